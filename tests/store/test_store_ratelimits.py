"""Rate limits in the database: token buckets that every process on one database shares."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from popliteal.store import InvalidInput, Store, make_engine, purge_expired
from popliteal.store.models import RateLimit
from popliteal.store.ratelimits import IDLE_SECONDS, take

T0 = 1_800_000_000.0  # wall-clock seconds


def test_a_bucket_allows_its_burst_then_refills_at_its_rate(store: Store) -> None:
    def take(now: float, client: str = "c1") -> float | None:
        return store.take_rate_token("logins", client, per_minute=60, burst=2, now=now)

    assert take(T0) is None and take(T0) is None
    wait = take(T0)
    assert wait is not None and 0.99 < wait <= 1.0  # one token a second
    assert take(T0 + 0.5) is not None  # half a token: still refused, and not taken
    assert take(T0 + 1.0) is None
    assert take(T0 + 100) is None and take(T0 + 100) is None  # refilled to the burst, no more
    assert take(T0 + 100) is not None
    assert take(T0, client="c2") is None  # each client has its own bucket
    assert store.take_rate_token("bookings", "c1", per_minute=60, burst=1, now=T0) is None


def test_a_clock_behind_the_bucket_neither_refills_it_nor_moves_it_back() -> None:
    """Machines on one database may disagree about the time by a little."""
    assert take(0.5, T0 + 10, rate=1.0, capacity=5, now=T0) == (0.5, T0 + 10, 0.5)
    assert take(0.5, T0, rate=1.0, capacity=5, now=T0 + 10) == (4.0, T0 + 10, None)


def test_two_stores_on_one_database_share_the_limit(db_url: str) -> None:
    """Two server processes each have their own Store: the limit is still one."""
    first = Store.from_url(db_url)
    second = Store(make_engine(db_url))
    try:
        got = [s.take_rate_token("assessments", "c", per_minute=3, now=T0)
               for s in (first, second, first, second)]
        assert got[:3] == [None, None, None] and got[3] is not None
    finally:
        first.dispose()
        second.dispose()


def test_buckets_idle_for_a_day_are_deleted(store: Store) -> None:
    store.take_rate_token("logins", "old", per_minute=5, now=T0)
    store.take_rate_token("logins", "recent", per_minute=5, now=T0 + IDLE_SECONDS - 60)
    store.take_rate_token("logins", "new", per_minute=5, now=T0 + IDLE_SECONDS + 1)
    with store.transaction() as session:
        clients = set(session.scalars(select(RateLimit.client)))
    assert clients == {"recent", "new"}


def test_purge_deletes_idle_buckets_even_when_no_client_comes(store: Store) -> None:
    store.take_rate_token("logins", "old", per_minute=5, now=T0)
    store.take_rate_token("logins", "recent", per_minute=5, now=T0 + IDLE_SECONDS - 60)
    with store.transaction() as session:
        purge_expired(session, now=datetime.fromtimestamp(T0 + IDLE_SECONDS + 1, UTC))
    with store.transaction() as session:
        assert set(session.scalars(select(RateLimit.client))) == {"recent"}


@pytest.mark.parametrize(("bucket", "client", "per_minute"), [
    ("", "c", 5), ("x" * 17, "c", 5), ("logins", "", 5), ("logins", "c" * 65, 5),
    ("logins", "c", 0), ("logins", "c", -1)])
def test_bad_limits_are_refused(store: Store, bucket: str, client: str, per_minute: int) -> None:
    with pytest.raises(InvalidInput, match="rate limit"):
        store.take_rate_token(bucket, client, per_minute=per_minute, now=T0)


def test_a_bucket_commits_without_waiting_for_the_disk_and_leaves_the_connection_durable(
        store: Store) -> None:
    """A bucket's commit skips the fsync (SQLite: synchronous=NORMAL around it; PostgreSQL:
    synchronous_commit off); the same pooled connection goes back to the connections'
    durable setting (SQLite: FULL, which the ORM's transactions use; the patient's durable
    writes sync the log themselves, tests/store/test_store_writers.py)."""
    statements = store._patient
    sqlite = store.engine.dialect.name == "sqlite"
    read = "PRAGMA synchronous" if sqlite else "SHOW synchronous_commit"
    relaxed, durable = (1, 2) if sqlite else ("off", "on")

    def setting_outside_the_driver() -> object:
        with store.transaction() as session:
            return session.execute(text(read)).scalar()

    with statements.transaction(durable=False) as cursor:
        cursor.execute(read)
        assert cursor.fetchone()[0] == relaxed
    assert store.take_rate_token("logins", "c1", per_minute=60, now=T0) is None
    assert setting_outside_the_driver() == durable  # the same connection, back from the pool
    with pytest.raises(RuntimeError), statements.transaction(durable=False):
        raise RuntimeError("rolled back: the setting is restored all the same")
    assert setting_outside_the_driver() == durable
    if not sqlite:
        with statements.transaction() as cursor:
            cursor.execute(read)
            assert cursor.fetchone()[0] == durable
