"""Immutable copies of rows, returned by :class:`~popliteal.store.Store`.

Why not hand out ORM objects: each store call is its own transaction, so its objects would
be detached afterwards, where changing an attribute silently saves nothing and a lazy load
raises. Frozen dataclasses make "this is a snapshot" explicit, and the clinician listing can
carry less (no free text) than the full record. Personal fields (free text, names, phone
numbers, answers) are left out of ``repr``, so a record that ends up in a log line or a
traceback does not carry them there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from popliteal.store.models import Answer, Assessment, AuditEntry, Booking, User


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """A whole assessment, for its patient (via token) or a clinician who opens it."""

    id: int
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    consent_given_at: datetime
    age: int
    sex: str
    text: str = field(repr=False)
    state: Any = field(repr=False)
    result: dict[str, Any] | None = field(repr=False)
    triage_level: str | None
    top_condition: str | None
    handled_at: datetime | None
    handled_by: str | None

    @classmethod
    def of(cls, row: Assessment) -> AssessmentRecord:
        return cls(
            id=row.id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            expires_at=row.expires_at,
            consent_given_at=row.consent_given_at,
            age=row.age,
            sex=row.sex,
            text=row.text,
            state=row.state,
            result=row.result,
            triage_level=row.triage_level,
            top_condition=row.top_condition,
            handled_at=row.handled_at,
            handled_by=row.handled_by,
        )


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    """One line of the clinician's list: no free text, no interview state."""

    id: int
    created_at: datetime
    age: int
    sex: str
    triage_level: str | None
    top_condition: str | None
    handled_at: datetime | None
    handled_by: str | None

    @classmethod
    def of(cls, row: Assessment) -> AssessmentSummary:
        return cls(
            id=row.id,
            created_at=row.created_at,
            age=row.age,
            sex=row.sex,
            triage_level=row.triage_level,
            top_condition=row.top_condition,
            handled_at=row.handled_at,
            handled_by=row.handled_by,
        )


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    assessment_id: int
    seq: int
    finding_id: str
    answer: Any = field(repr=False)
    created_at: datetime

    @classmethod
    def of(cls, row: Answer) -> AnswerRecord:
        return cls(row.assessment_id, row.seq, row.finding_id, row.answer, row.created_at)


@dataclass(frozen=True, slots=True)
class AppendedAnswer:
    """What :meth:`Store.append_answer_by_token` wrote, and what the caller needs next.

    ``log`` (the whole log, the new answer last) and ``state`` are None when the caller
    said which answer it already knew to be the last (``after_seq``) and the write proved
    it right: the caller holds that state already, so it is not read again.
    """

    assessment_id: int
    seq: int
    expires_at: datetime
    state: Any = field(repr=False)
    log: list[AnswerRecord] | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class BookingRecord:
    id: int
    assessment_id: int | None
    name: str = field(repr=False)
    phone: str = field(repr=False)
    branch_id: str
    preferred_times: list[str]
    consent_to_contact_at: datetime
    notes: str | None = field(repr=False)
    created_at: datetime
    expires_at: datetime
    handled_at: datetime | None
    handled_by: str | None

    @classmethod
    def of(cls, row: Booking) -> BookingRecord:
        return cls(
            id=row.id,
            assessment_id=row.assessment_id,
            name=row.name,
            phone=row.phone,
            branch_id=row.branch_id,
            preferred_times=list(row.preferred_times),
            consent_to_contact_at=row.consent_to_contact_at,
            notes=row.notes,
            created_at=row.created_at,
            expires_at=row.expires_at,
            handled_at=row.handled_at,
            handled_by=row.handled_by,
        )


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A clinician account, without its password hash."""

    id: int
    username: str
    created_at: datetime
    is_active: bool

    @property
    def actor(self) -> str:
        """How this clinician appears in the audit log."""
        return f"clinician:{self.username}"

    @classmethod
    def of(cls, row: User) -> UserRecord:
        return cls(row.id, row.username, row.created_at, row.is_active)


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """What one purge deleted; answers went with their assessments (ON DELETE CASCADE)."""

    assessments: int
    answers: int
    bookings: int
    auth_tokens: int


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None

    @classmethod
    def of(cls, row: AuditEntry) -> AuditRecord:
        return cls(row.id, row.at, row.actor, row.action, row.object_type, row.object_id)
