"""Request and response bodies: inputs bounded, outputs carrying only what their reader needs.

Why separate input and public models (habit 6): an input model is a contract about what we
accept, so every string has a ``max_length``, every number a range and every list a size,
and unknown keys are refused. A public model is a contract about what we disclose: the
patient's view has no internal ids, the clinician's list has no free text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from popliteal.clinics import BookingRequest, BranchDistance
from popliteal.interview import Question
from popliteal.results import AssessmentResult

MAX_TEXT = 5000
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _printable(value: str) -> str:
    """Refuse control characters and lone surrogates: PostgreSQL cannot store NUL, UTF-8
    cannot encode a lone surrogate, and neither belongs in a patient's description."""
    for char in value:
        code = ord(char)
        if (code < 32 and char not in _ALLOWED_CONTROLS) or code == 127 or 0xD800 <= code <= 0xDFFF:
            raise ValueError("must not contain control characters or invalid Unicode")
    return value


FindingId = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Word = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]
Number = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
AnswerValue = bool | Number | Word | Annotated[list[Word], Field(max_length=30)]
Status = Literal["in_progress", "finished"]
TriageLevelName = Literal["emergency_now", "urgent_same_day", "doctor_soon", "physio", "self_care"]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------- patient: inputs


class AssessmentIn(Input):
    """Start an assessment. Nothing is stored unless ``consent`` is true."""

    age: int = Field(ge=0, le=120, description="years")
    sex: Literal["female", "male"]
    text: Annotated[str, AfterValidator(_printable)] = Field(default="", max_length=MAX_TEXT,
                      description="the problem in the patient's own words (may be empty)")
    consent: bool = Field(description="the patient agrees that their answers are stored for the "
                                      "retention period and read by the clinic's clinicians")


class AnswerIn(Input):
    """Answer the current question, or change the answer to an earlier one (same ``id``)."""

    id: FindingId
    answer: AnswerValue = Field(description="yes/no/unknown, an option, a list of options, "
                                            "or a number, as the question's kind says")
    expected_seq: int | None = Field(
        default=None, ge=1, le=100_000,
        description="optional: the seq this answer should get; a retry after a lost response "
                    "then gets 409 instead of answering twice")


class BackIn(Input):
    expected_seq: int | None = Field(default=None, ge=1, le=100_000)


class BookingIn(BookingRequest):
    """A booking request. ``assessment_id`` is the patient's assessment *token* (optional)."""

    name: Annotated[str, AfterValidator(_printable)] = Field(min_length=1, max_length=100)
    phone: str = Field(max_length=32, description="Singapore number; normalised to +65XXXXXXXX")
    branch_id: str = Field(max_length=64, description="a branch id, e.g. novena")
    notes: Annotated[str, AfterValidator(_printable)] | None = Field(default=None, max_length=500)


# ---------------------------------------------------------------------------- patient: outputs


class AnswerOut(BaseModel):
    id: str
    answer: bool | float | str | list[str]


class AssessmentState(BaseModel):
    """Where the interview stands: the next question (None when finished) and the answers."""

    status: Status
    questions_asked: int
    max_questions: int
    next_question: Question | None
    answers: list[AnswerOut] = Field(description="effective answers, in the order given")
    expires_at: datetime = Field(description="deleted after this (retention period)")


class AssessmentStarted(AssessmentState):
    token: str = Field(description="the only key to this assessment: keep it private; it is "
                                   "shown once and stored only as a hash")


class AnswerAccepted(AssessmentState):
    seq: int = Field(description="the stored answer's sequence number (durable when returned)")


class ResultOut(AssessmentResult):
    """The assessment so far (``finished`` says whether the interview had more to ask)."""

    questions_asked: int
    finished: bool


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


# ---------------------------------------------------------------------------- clinics, bookings


class NearestOut(BaseModel):
    postal_code: str
    nearest: BranchDistance
    branches: list[BranchDistance] = Field(description="every branch, nearest first")


class BookingReceived(BaseModel):
    status: Literal["received"] = "received"
    branch_id: str
    preferred_times: list[str]
    linked_to_assessment: bool


# ---------------------------------------------------------------------------- clinicians


class LoginIn(Input):
    username: Annotated[str, AfterValidator(_printable)] = Field(min_length=1, max_length=64)
    password: Annotated[str, AfterValidator(_printable)] = Field(min_length=1, max_length=1024)


class LoginOut(BaseModel):
    access_token: str = Field(description="send as 'Authorization: Bearer <token>'")
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    username: str
    csrf_token: str = Field(description="send as X-CSRF-Token on unsafe requests that "
                                        "authenticate with the session cookie instead")


class MeOut(BaseModel):
    username: str


class HandledIn(Input):
    handled: bool = True


class AssessmentListItem(BaseModel):
    """One line of the clinician's list: no free text, no answers."""

    id: int
    created_at: datetime
    age: int
    sex: str
    triage_level: str | None
    top_condition: str | None
    handled_at: datetime | None
    handled_by: str | None


class ClinicianAnswer(BaseModel):
    seq: int
    id: str
    answer: Any
    created_at: datetime


class ClinicianAssessment(AssessmentListItem):
    updated_at: datetime
    expires_at: datetime
    consent_given_at: datetime
    text: str
    answers: list[ClinicianAnswer]
    result: dict[str, Any] | None


class ClinicianBooking(BaseModel):
    id: int
    assessment_id: int | None
    name: str
    phone: str
    branch_id: str
    preferred_times: list[str]
    notes: str | None
    consent_to_contact_at: datetime
    created_at: datetime
    expires_at: datetime
    handled_at: datetime | None
    handled_by: str | None
