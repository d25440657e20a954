"""Clinician accounts: argon2id passwords, login tokens that expire, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from popliteal.store import InvalidInput, Store, UserExists
from popliteal.store.models import AuthToken, User

PASSWORD = "correct horse battery staple"


def test_password_is_argon2id_and_verifies(store: Store) -> None:
    user = store.add_user("dr.lim", PASSWORD)
    with store.transaction() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    verified = store.verify_password("dr.lim", PASSWORD)
    assert verified is not None and verified.id == user.id
    assert store.verify_password("dr.lim", PASSWORD + "!") is None
    assert store.verify_password("dr.lim", "") is None
    assert store.verify_password("nobody", PASSWORD) is None
    assert store.verify_password("Not A Username", PASSWORD) is None


def test_username_and_password_rules(store: Store) -> None:
    store.add_user("dr.lim", PASSWORD)
    with pytest.raises(UserExists):
        store.add_user("dr.lim", PASSWORD)
    for bad in ["", "ab", "Dr Lim", "x" * 65, "lim@clinic.sg"]:
        with pytest.raises(InvalidInput):
            store.add_user(bad, PASSWORD)
    with pytest.raises(InvalidInput):
        store.add_user("dr.tan", "short")


def test_login_token_authenticates_until_it_expires(store: Store) -> None:
    user = store.add_user("dr.lim", PASSWORD)
    now = datetime.now(UTC)
    token = store.issue_token(user.id, ttl=timedelta(hours=1), now=now)
    assert len(token) >= 43
    found = store.user_for_token(token, now=now + timedelta(minutes=59))
    assert found is not None and found.username == "dr.lim" and found.actor == "clinician:dr.lim"
    assert store.user_for_token(token, now=now + timedelta(hours=1)) is None
    assert store.user_for_token(token, now=now + timedelta(days=2)) is None
    assert store.user_for_token(token[:-2] + "xx") is None
    assert store.user_for_token("") is None
    with store.transaction() as session:
        assert token not in session.scalars(select(AuthToken.token_hash)).all()


def test_login_logout_and_disabled_accounts(store: Store) -> None:
    store.add_user("dr.lim", PASSWORD)
    assert store.login("dr.lim", "wrong password!") is None
    logged_in = store.login("dr.lim", PASSWORD)
    assert logged_in is not None
    user, token = logged_in
    assert store.user_for_token(token) == user
    assert store.revoke_token(token) is True
    assert store.user_for_token(token) is None
    assert store.revoke_token(token) is False

    logged_in = store.login("dr.lim", PASSWORD)
    assert logged_in is not None
    store.set_user_active("dr.lim", False)
    assert store.user_for_token(logged_in[1]) is None
    assert store.login("dr.lim", PASSWORD) is None
    store.set_user_active("dr.lim", True)
    assert store.login("dr.lim", PASSWORD) is not None


def test_changing_the_password_ends_sessions(store: Store) -> None:
    user = store.add_user("dr.lim", PASSWORD)
    token = store.issue_token(user.id)
    store.set_password("dr.lim", "another long passphrase")
    assert store.user_for_token(token) is None
    assert store.verify_password("dr.lim", PASSWORD) is None
    assert store.verify_password("dr.lim", "another long passphrase") is not None
    assert [u.username for u in store.list_users()] == ["dr.lim"]
