"""The tables, as SQLAlchemy 2 typed ORM classes; the Alembic migration creates the same.

Why these shapes:

- A patient's assessment is found only by the SHA-256 of its token (``token_hash``). The
  token itself is never stored, so a copy of the database (a backup, a leaked dump) does not
  open anyone's assessment.
- ``consent_given_at`` is NOT NULL: no row can exist without consent (PDPA).
- ``expires_at`` is fixed at creation from the retention period, so purging is one indexed
  range delete and needs no configuration at purge time.
- ``answers`` has one row per acknowledged answer, keyed by ``(assessment_id, seq)``. An
  answer is acknowledged only after its row commits, which makes it crash-safe, and any server
  process can rebuild the interview from these rows, which lets two processes share it.
- ``audit_log`` holds ids and fixed words only: no free text, no personal data, no tokens.
- ``rate_limits`` holds one token bucket per limit and client, shared by every server
  process: the client is a keyed hash of its address, never the address, and a row idle for a
  day is deleted.
- Times are stored in UTC and always read back timezone-aware (:class:`UTCDateTime`), so
  SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names: the same on SQLite and PostgreSQL, so migrations can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TOKEN_HASH_LENGTH = 64  # hex SHA-256


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone type and returns naive values; PostgreSQL's ``timestamptz`` returns
    aware ones. Normalising both ways keeps comparisons (``expires_at <= now``) correct.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Assessment(Base):
    """One patient's assessment: what they said, the interview so far, and its result."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("sex IN ('female', 'male')", name="sex"),
        CheckConstraint("age >= 0 AND age <= 130", name="age"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    consent_given_at: Mapped[datetime]
    age: Mapped[int]
    sex: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[Any] = mapped_column(JSON, nullable=False)
    result: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    triage_level: Mapped[str | None] = mapped_column(String(32), index=True)
    top_condition: Mapped[str | None] = mapped_column(String(64))
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[str | None] = mapped_column(String(64))


class Answer(Base):
    """One acknowledged answer; ``seq`` counts from 1 within its assessment."""

    __tablename__ = "answers"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    finding_id: Mapped[str] = mapped_column(String(100))
    answer: Mapped[Any] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Booking(Base):
    """A request to be contacted for an appointment; outlives its assessment (SET NULL)."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))
    branch_id: Mapped[str] = mapped_column(String(64))
    preferred_times: Mapped[Any] = mapped_column(JSON, nullable=False)
    consent_to_contact_at: Mapped[datetime]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[str | None] = mapped_column(String(64))


class User(Base):
    """A clinician account; the password is kept only as an argon2id hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuthToken(Base):
    """A clinician's session or bearer token, stored as its SHA-256 only."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what to which object, and when: fixed vocabularies and ids only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))


class RateLimit(Base):
    """One client's token bucket for one limit (``assessments``, ``logins``, ``bookings``).

    ``client`` is an HMAC of the client's address with the server's secret key; ``updated``
    is wall-clock seconds (processes on several machines share it, which a monotonic clock
    cannot be).
    """

    __tablename__ = "rate_limits"

    bucket: Mapped[str] = mapped_column(String(16), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float, index=True)
