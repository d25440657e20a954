"""Token buckets in the database, so that every server process counts against one limit.

Why in the database: with ``popliteal serve --workers N``, or several machines on one
PostgreSQL, buckets kept in each process's memory let a client start assessments, guess
passwords or send booking requests N times as fast as the limit says. The database is the one
thing all processes share, and the guarded requests (a start, a login, a booking) write to it
anyway, so one more short transaction costs little.

One bucket per (limit, client): ``tokens`` refill at ``rate`` a second up to ``capacity``;
a request takes one. The row is read ``FOR UPDATE`` (PostgreSQL) or under SQLite's single
writer, so two processes never both take the last token. A bucket idle for
:data:`IDLE_SECONDS` is full again, so it is deleted (when another new client arrives).

A lost update costs nothing worse than a client's bucket refilled early, so PostgreSQL does
not wait for the WAL flush here (``synchronous_commit`` off for this transaction only). SQLite
cannot change its ``synchronous`` setting inside a transaction, so it fsyncs as for any write.
"""

from __future__ import annotations

from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from popliteal.store.models import RateLimit

IDLE_SECONDS = 86_400.0  # a day: longer than any bucket takes to refill


def take(session: Session, bucket: str, client: str, *, rate: float, capacity: float,
         now: float) -> float | None:
    """Take a token from ``client``'s ``bucket``: None if there was one, else the seconds
    until there is. ``rate``: tokens a second; ``now``: wall-clock seconds."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":  # a bucket lost to a crash is only a refill: no WAL flush wait
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    created = session.execute(
        insert(RateLimit).values(bucket=bucket, client=client, tokens=capacity, updated=now)
        .on_conflict_do_nothing())
    if getattr(created, "rowcount", 0):  # a new client: clear out buckets long full again
        forget_idle(session, now=now)
    row = session.execute(
        select(RateLimit).where(RateLimit.bucket == bucket, RateLimit.client == client)
        .with_for_update()).scalar_one()
    tokens = min(capacity, row.tokens + max(0.0, now - row.updated) * rate)
    allowed = tokens >= 1.0
    row.tokens = tokens - 1.0 if allowed else tokens
    row.updated = max(row.updated, now)
    return None if allowed else (1.0 - tokens) / rate


def forget_idle(session: Session, *, now: float) -> None:
    """Delete the buckets idle for :data:`IDLE_SECONDS` (full again: as good as no row)."""
    session.execute(delete(RateLimit).where(RateLimit.updated < now - IDLE_SECONDS),
                    execution_options={"synchronize_session": False})
