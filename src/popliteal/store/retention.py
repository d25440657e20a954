"""``popliteal purge``: delete what is past its retention period (PDPA retention limitation).

Every assessment and booking gets ``expires_at`` when it is created (created_at + the
retention period then configured). Purging deletes rows whose time has come: assessments with
their answers (ON DELETE CASCADE), bookings, and expired clinician login tokens. A booking of
a purged assessment that is itself still within retention loses only the link (SET NULL). Each
deleted assessment and booking leaves one audit row with its id and nothing else. Rate-limit
buckets idle for a day go too (they hold only a keyed hash of an address, and a new client
also clears them out, but a quiet day must not keep them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from popliteal.store import audit, ratelimits
from popliteal.store.models import Answer, Assessment, AuthToken, Booking, utcnow
from popliteal.store.records import PurgeCounts


def purge_expired(session: Session, *, now: datetime | None = None) -> PurgeCounts:
    """Delete everything whose ``expires_at`` is at or before ``now``; the caller commits."""
    now = now or utcnow()
    assessment_ids = list(
        session.scalars(select(Assessment.id).where(Assessment.expires_at <= now))
    )
    expired = select(Assessment.id).where(Assessment.expires_at <= now)
    answer_count = 0
    if assessment_ids:
        answer_count = (
            session.scalar(
                select(func.count()).select_from(Answer).where(Answer.assessment_id.in_(expired))
            )
            or 0
        )
        session.execute(
            delete(Assessment).where(Assessment.expires_at <= now),
            execution_options={"synchronize_session": False},
        )
    booking_ids = list(session.scalars(select(Booking.id).where(Booking.expires_at <= now)))
    if booking_ids:
        session.execute(
            delete(Booking).where(Booking.expires_at <= now),
            execution_options={"synchronize_session": False},
        )
    token_result = session.execute(
        delete(AuthToken).where(AuthToken.expires_at <= now),
        execution_options={"synchronize_session": False},
    )
    ratelimits.forget_idle(session, now=now.timestamp())
    audit.record_many(session, audit.SYSTEM, "purge", "assessment", assessment_ids, now=now)
    audit.record_many(session, audit.SYSTEM, "purge", "booking", booking_ids, now=now)
    session.expire_all()
    return PurgeCounts(
        assessments=len(assessment_ids),
        answers=answer_count,
        bookings=len(booking_ids),
        auth_tokens=int(getattr(token_result, "rowcount", 0) or 0),
    )
