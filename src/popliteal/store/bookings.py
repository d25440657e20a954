"""Booking requests: a patient asks the clinic to call them back for an appointment.

The clinics package validates the fields a patient typed (Singapore phone number, a real
branch); here we re-check only what the table needs, so a bad caller gets InvalidInput and not
a database error that differs between SQLite and PostgreSQL. A booking keeps only its own
fields: when its assessment is deleted or purged, ``assessment_id`` becomes NULL and nothing of
the assessment remains in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from popliteal.store.errors import ConsentRequired, InvalidInput, NotFound
from popliteal.store.models import Assessment, Booking, utcnow

MAX_NAME = 200
MAX_PHONE = 32
MAX_BRANCH_ID = 64
MAX_TIMES = 10
MAX_TIME_LENGTH = 100
MAX_NOTES = 2000


def _text(value: object, field: str, maximum: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > maximum:
        raise InvalidInput(f"{field} must be 1 to {maximum} characters")
    return value.strip()


def create_booking(
    session: Session,
    *,
    name: str,
    phone: str,
    branch_id: str,
    preferred_times: Sequence[str],
    consent_to_contact: bool,
    retention: timedelta,
    assessment_id: int | None = None,
    notes: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """Store a validated booking request; the patient must consent to being contacted."""
    if consent_to_contact is not True:
        raise ConsentRequired("the patient must consent to being contacted")
    if isinstance(preferred_times, str) or len(preferred_times) > MAX_TIMES:
        raise InvalidInput(f"preferred_times must be a list of at most {MAX_TIMES} entries")
    times = [_text(time, "a preferred time", MAX_TIME_LENGTH) for time in preferred_times]
    if notes is not None and (not isinstance(notes, str) or len(notes) > MAX_NOTES):
        raise InvalidInput(f"notes must be at most {MAX_NOTES} characters")
    if assessment_id is not None and session.get(Assessment, assessment_id) is None:
        raise NotFound(f"assessment {assessment_id} not found")
    now = now or utcnow()
    row = Booking(
        assessment_id=assessment_id,
        name=_text(name, "name", MAX_NAME),
        phone=_text(phone, "phone", MAX_PHONE),
        branch_id=_text(branch_id, "branch_id", MAX_BRANCH_ID),
        preferred_times=times,
        consent_to_contact_at=now,
        notes=notes.strip() or None if notes is not None else None,
        created_at=now,
        expires_at=now + retention,
    )
    session.add(row)
    session.flush()
    return row


def by_id(session: Session, booking_id: int) -> Booking:
    row = session.get(Booking, booking_id)
    if row is None:
        raise NotFound(f"booking {booking_id} not found")
    return row


def list_bookings(
    session: Session,
    *,
    handled: bool | None = None,
    branch_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Booking]:
    """Bookings newest first, optionally only handled or unhandled ones, or one branch's."""
    statement = select(Booking)
    if handled is True:
        statement = statement.where(Booking.handled_at.is_not(None))
    elif handled is False:
        statement = statement.where(Booking.handled_at.is_(None))
    if branch_id is not None:
        statement = statement.where(Booking.branch_id == branch_id)
    statement = statement.order_by(Booking.created_at.desc(), Booking.id.desc())
    return list(session.scalars(statement.limit(max(0, limit)).offset(max(0, offset))))
