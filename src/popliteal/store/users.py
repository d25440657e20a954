"""Clinician accounts and their login tokens.

Why argon2id with argon2-cffi's defaults: it is the OWASP recommendation, memory-hard, and the
library tunes its parameters; ``needs_rehash`` upgrades old hashes at the next login. A failed
lookup still runs one verification against a dummy hash, so response time does not reveal
which usernames exist. Login tokens are random (256 bits) and stored only as SHA-256, like the
patients' assessment tokens.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from popliteal.store.audit import USERNAME_PATTERN
from popliteal.store.errors import InvalidInput, NotFound, UserExists
from popliteal.store.models import AuthToken, User, utcnow
from popliteal.store.tokens import hash_token, hashes_match, new_token, plausible_token

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_hasher = PasswordHasher()  # argon2id


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only here to spend the same time")


def add_user(session: Session, username: str, password: str) -> User:
    """Create an active clinician account; usernames are lower-case ``[a-z0-9_.-]``, 3-64."""
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise InvalidInput("username must be 3-64 characters of a-z, 0-9, '_', '.', '-'")
    if not isinstance(password, str) or not (
        MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH
    ):
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise UserExists(f"user {username!r} already exists")
    row = User(username=username, password_hash=_hasher.hash(password), is_active=True)
    session.add(row)
    session.flush()
    return row


def by_username(session: Session, username: str) -> User:
    row = session.scalars(select(User).where(User.username == username)).first()
    if row is None:
        raise NotFound(f"user {username!r} not found")
    return row


def verify_password(session: Session, username: str, password: str) -> User | None:
    """The active user whose password this is, or None (unknown user, wrong password)."""
    row = None
    if isinstance(username, str) and USERNAME_PATTERN.match(username):
        row = session.scalars(select(User).where(User.username == username)).first()
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return None
    if row is None or not row.is_active:
        try:
            _hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
        session.flush()
    return row


def set_password(session: Session, username: str, password: str) -> None:
    """Replace a password and end every session of that user."""
    if not isinstance(password, str) or not (
        MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH
    ):
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    row = by_username(session, username)
    row.password_hash = _hasher.hash(password)
    session.execute(delete(AuthToken).where(AuthToken.user_id == row.id))
    session.flush()


def issue_token(
    session: Session, user_id: int, ttl: timedelta, *, now: datetime | None = None
) -> str:
    """A new login token for ``user_id``, valid for ``ttl``; only its hash is stored."""
    if ttl <= timedelta(0):
        raise InvalidInput("token lifetime must be positive")
    now = now or utcnow()
    token = new_token()
    session.add(
        AuthToken(
            token_hash=hash_token(token), user_id=user_id, created_at=now, expires_at=now + ttl
        )
    )
    session.flush()
    return token


def user_for_token(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The active user ``token`` belongs to, or None (unknown, expired, revoked, inactive)."""
    if not plausible_token(token):
        return None
    row = session.get(AuthToken, hash_token(token))
    if row is None or not hashes_match(row.token_hash, token):
        return None
    if row.expires_at <= (now or utcnow()):
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def revoke_token(session: Session, token: str) -> bool:
    """Log out: forget the token. True when it existed."""
    if not plausible_token(token):
        return False
    result = session.execute(delete(AuthToken).where(AuthToken.token_hash == hash_token(token)))
    return bool(getattr(result, "rowcount", 0))


def set_active(session: Session, username: str, active: bool) -> User:
    """Disable (or re-enable) an account; disabling also ends its sessions."""
    row = by_username(session, username)
    row.is_active = active
    if not active:
        session.execute(delete(AuthToken).where(AuthToken.user_id == row.id))
    session.flush()
    return row
