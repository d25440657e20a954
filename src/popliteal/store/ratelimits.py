"""Token buckets in the database, so that every server process counts against one limit.

Why in the database: with ``popliteal serve --workers N``, or several machines on one
PostgreSQL, buckets kept in each process's memory let a client start assessments, guess
passwords or send booking requests N times as fast as the limit says. The database is the one
thing all processes share, and the guarded requests (a start, a login, a booking) write to it
anyway, so one more short transaction costs little.

One bucket per (limit, client): ``tokens`` refill at ``rate`` a second up to ``capacity``;
a request takes one. The row is read ``FOR UPDATE`` (PostgreSQL) or under SQLite's single
writer, so two processes never both take the last token. A bucket idle for
:data:`IDLE_SECONDS` is full again, so it is deleted (when another new client arrives, and by
``popliteal purge``).

The statements run on the driver's cursor
(:meth:`popliteal.store.driver.PatientStatements.take_rate_token`), as a patient's answer
does: every start pays for them, and through the ORM they cost several times more CPU.

A lost update costs nothing worse than a client's bucket refilled early, so the bucket's
commit does not wait for the disk: ``synchronous_commit`` off for that transaction on
PostgreSQL, ``synchronous=NORMAL`` around it on SQLite (no fsync; the next durable commit's
fsync of the log carries it to disk). See ``PatientStatements.transaction(durable=False)``.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from popliteal.store.models import RateLimit

IDLE_SECONDS = 86_400.0  # a day: longer than any bucket takes to refill


def take(stored: float, updated: float, *, rate: float, capacity: float, now: float
         ) -> tuple[float, float, float | None]:
    """One request against a bucket holding ``stored`` tokens as of ``updated``: the tokens
    and time to store, and None if the request may go, else the seconds until it may. Clocks
    of several machines may disagree: time never runs backwards for a bucket."""
    tokens = min(capacity, stored + max(0.0, now - updated) * rate)
    if tokens >= 1.0:
        return tokens - 1.0, max(updated, now), None
    return tokens, max(updated, now), (1.0 - tokens) / rate


def forget_idle(session: Session, *, now: float) -> None:
    """Delete the buckets idle for :data:`IDLE_SECONDS` (full again: as good as no row)."""
    session.execute(delete(RateLimit).where(RateLimit.updated < now - IDLE_SECONDS),
                    execution_options={"synchronize_session": False})
