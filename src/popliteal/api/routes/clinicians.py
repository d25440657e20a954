"""Clinicians: log in, list assessments and booking requests, open one, mark it handled.

Every route but login needs a clinician token; the store audits each list, open and handle
with the clinician's username.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from fastapi.responses import PlainTextResponse

from popliteal.api import interviews
from popliteal.api.deps import (
    SESSION_COOKIE,
    ClinicianDep,
    LoginLimit,
    SessionToken,
    SettingsDep,
    StoreDep,
    csrf_token,
)
from popliteal.api.errors import AUTH_RESPONSES, ERROR_RESPONSES, MARKDOWN, ApiError
from popliteal.api.routes import API_PREFIX
from popliteal.api.schemas import (
    AssessmentListItem,
    ClinicianAnswer,
    ClinicianAssessment,
    ClinicianBooking,
    HandledIn,
    LoginIn,
    LoginOut,
    MeOut,
    TriageLevelName,
)
from popliteal.store import BookingRecord, Store

auth = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["clinician login"],
                 responses=ERROR_RESPONSES)
router = APIRouter(prefix=f"{API_PREFIX}/clinician", tags=["clinicians"],
                   responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@auth.post("/login", response_model=LoginOut, responses=AUTH_RESPONSES)
def login(body: LoginIn, store: StoreDep, settings: SettingsDep, response: Response,
          _: LoginLimit) -> LoginOut:
    """Exchange a username and password for a token (also set as an HttpOnly cookie)."""
    logged_in = store.login(body.username, body.password)
    if logged_in is None:
        raise ApiError(401, "unauthorized", "Wrong username or password.")
    user, token = logged_in
    expires_at = datetime.now(UTC) + store.session_ttl  # the store stamps now + the same ttl
    response.set_cookie(SESSION_COOKIE, token, max_age=int(store.session_ttl.total_seconds()),
                        httponly=True, samesite="strict", secure=not settings.is_development,
                        path="/")
    return LoginOut(access_token=token, expires_at=expires_at, username=user.username,
                    csrf_token=csrf_token(settings, token))


@auth.post("/logout", status_code=204, response_class=Response, responses=AUTH_RESPONSES)
def logout(token: SessionToken, _: ClinicianDep, store: StoreDep) -> Response:
    """End this session: the token stops working at once."""
    store.revoke_token(token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@auth.get("/me", response_model=MeOut, responses=AUTH_RESPONSES)
def me(user: ClinicianDep) -> MeOut:
    return MeOut(username=user.username)


@router.get("/assessments", response_model=list[AssessmentListItem])
def list_assessments(
    user: ClinicianDep, store: StoreDep,
    triage_level: Annotated[list[TriageLevelName] | None, Query(max_length=5)] = None,
    handled: bool | None = None, since: datetime | None = None,
    limit: Limit = 100, offset: Offset = 0,
) -> list[AssessmentListItem]:
    """Newest first, without free text; filter by triage level(s), handled, created since."""
    rows = store.list_assessments(actor=user.actor, triage_level=triage_level, handled=handled,
                                  since=since, limit=limit, offset=offset)
    return [AssessmentListItem.model_validate(row, from_attributes=True) for row in rows]


def _open(store: Store, assessment_id: int, actor: str) -> ClinicianAssessment:
    record = store.get_assessment(assessment_id, actor=actor)  # audited "open"
    answers = [ClinicianAnswer(seq=a.seq, id=a.finding_id, answer=a.answer,
                               created_at=a.created_at)
               for a in store.list_answers(record.id)]
    return ClinicianAssessment.model_validate(
        {**{f: getattr(record, f) for f in AssessmentListItem.model_fields},
         "updated_at": record.updated_at, "expires_at": record.expires_at,
         "consent_given_at": record.consent_given_at, "text": record.text,
         "answers": answers, "result": record.result})


@router.get("/assessments/{assessment_id}", response_model=ClinicianAssessment)
def open_assessment(assessment_id: Id, user: ClinicianDep,
                    store: StoreDep) -> ClinicianAssessment:
    """One assessment in full: the patient's words, every answer, the result (audited)."""
    return _open(store, assessment_id, user.actor)


@router.get("/assessments/{assessment_id}/summary", response_model=None,
            responses={200: MARKDOWN})
def assessment_summary(assessment_id: Id, user: ClinicianDep,
                       store: StoreDep) -> PlainTextResponse:
    """The physiotherapy summary of a finished (or partial) assessment, as Markdown."""
    record = store.get_assessment(assessment_id, actor=user.actor)
    if not isinstance(record.result, dict):
        raise ApiError(404, "not_found", "This assessment has no result yet.")
    text = interviews.summary_markdown(record.result)
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.post("/assessments/{assessment_id}/handled", response_model=AssessmentListItem)
def mark_assessment_handled(assessment_id: Id, user: ClinicianDep,
                            store: StoreDep,
                            body: Annotated[HandledIn | None, Body()] = None
                            ) -> AssessmentListItem:
    """Mark handled (``{"handled": false}`` to undo)."""
    record = store.mark_handled(assessment_id, username=user.username,
                                handled=body.handled if body else True)
    return AssessmentListItem.model_validate(record, from_attributes=True)


def _booking(record: BookingRecord) -> ClinicianBooking:
    return ClinicianBooking.model_validate(record, from_attributes=True)


@router.get("/bookings", response_model=list[ClinicianBooking])
def list_bookings(user: ClinicianDep, store: StoreDep, handled: bool | None = None,
                  branch_id: Annotated[str | None, Query(max_length=64,
                                                         pattern=r"^[a-z][a-z0-9_]*$")] = None,
                  limit: Limit = 100, offset: Offset = 0) -> list[ClinicianBooking]:
    """Booking requests newest first (audited ``list``)."""
    rows = store.list_bookings(actor=user.actor, handled=handled, branch_id=branch_id,
                               limit=limit, offset=offset)
    return [_booking(row) for row in rows]


@router.post("/bookings/{booking_id}/handled", response_model=ClinicianBooking)
def mark_booking_handled(booking_id: Id, user: ClinicianDep, store: StoreDep,
                         body: Annotated[HandledIn | None, Body()] = None) -> ClinicianBooking:
    """Mark a booking request handled (the clinic called back), or ``{"handled": false}``."""
    record = store.mark_booking_handled(booking_id, username=user.username,
                                        handled=body.handled if body else True)
    return _booking(record)
