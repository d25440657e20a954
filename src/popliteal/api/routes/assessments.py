"""The patient's assessment, reached only through its token.

Start (consent first) -> next question -> answer / change an answer / go back -> result ->
physiotherapy summary -> delete. There is no route that lists assessments: a patient can
only name their own, by a token with 256 bits of randomness.

Why ``async def`` handlers that do their work inline, on the event loop, database write
included: a patient's request is a few milliseconds of CPU-bound Python (reading the text,
the next question, the result) and one short durable write. Handed to worker threads, that
work and the event loop fought for the GIL: under four concurrent patients the server
switched threads about 16 times a request and spent 1.9-2.3 ms of CPU per request, against
1.0-1.2 ms and 3 switches with the work inline (``benchmarks/api_benchmark.py``, same
machine, same run). The cost is that a process waits while its database commits (an fsync
on SQLite, a round trip on PostgreSQL): that is what ``popliteal serve --workers`` is for,
one process per core or more, as for any synchronous server. The patient web pages do the
same (:mod:`popliteal.web.patient`).

Why the patient's handlers return :func:`json_response` rather than a model: FastAPI would
dump the model to a dict, validate that dict against the response model again and encode
it, three passes over a value our own model has just validated. The routes still declare
``response_model`` for the OpenAPI schema, and the schema tests check real responses
against it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from popliteal.api import interviews
from popliteal.api.deps import AssessmentLimit, PatientToken, StoreDep, settings_of, store_of
from popliteal.api.direct import DirectRoute
from popliteal.api.errors import CONFLICT_RESPONSES, ERROR_RESPONSES, MARKDOWN, ApiError
from popliteal.api.routes import API_PREFIX
from popliteal.api.schemas import (
    AnswerAccepted,
    AnswerIn,
    AssessmentIn,
    AssessmentStarted,
    AssessmentState,
    BackIn,
    ResultOut,
)

router = APIRouter(prefix=f"{API_PREFIX}/assessments", tags=["assessments (patient)"],
                   responses=ERROR_RESPONSES)


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as a JSON response, encoded once (see the module's docstring)."""
    return Response(model.model_dump_json(), status_code, media_type="application/json")


@router.post("", status_code=201, response_model=AssessmentStarted)
async def start_assessment(body: AssessmentIn, store: StoreDep,
                           _: AssessmentLimit) -> Response:
    """Start an interview. Refused (``consent_required``) and nothing stored without consent."""
    fields, token = interviews.start(store, body)
    return json_response(AssessmentStarted(token=token, **fields), 201)


@router.get("/{token}", response_model=AssessmentState)
async def get_assessment(token: PatientToken, request: Request) -> Response:
    """Where the interview stands: the next question (null when finished) and the answers."""
    return json_response(interviews.state(store_of(request), token))


async def answer_question(token: PatientToken, body: AnswerIn, request: Request) -> Response:
    """Answer the next question, or change an earlier answer by sending its id again.

    The answer is committed to the database before this returns: when you get 200, it is kept.
    """
    seq, fields = interviews.answer(
        store_of(request), token, body.id, body.answer, body.expected_seq,
        limit=settings_of(request).max_answers_per_assessment)
    return json_response(AnswerAccepted(seq=seq, **fields))


# Most of the API's requests: served by DirectRoute, which skips FastAPI's general request
# handling for well-formed requests (popliteal.api.direct). (The decorators cannot choose a
# route class for one route.)
router.add_api_route("/{token}/answers", answer_question, methods=["POST"],
                     response_model=AnswerAccepted, responses=CONFLICT_RESPONSES,
                     route_class_override=DirectRoute)


@router.post("/{token}/back", response_model=AnswerAccepted, responses=CONFLICT_RESPONSES)
async def go_back(token: PatientToken, request: Request,
                  body: Annotated[BackIn | None, Body()] = None) -> Response:
    """Undo the last answer (its question is asked again)."""
    seq, fields = interviews.back(
        store_of(request), token, body.expected_seq if body else None,
        limit=settings_of(request).max_answers_per_assessment)
    return json_response(AnswerAccepted(seq=seq, **fields))


@router.get("/{token}/result", response_model=ResultOut)
async def get_result(token: PatientToken, request: Request) -> Response:
    """Likely causes with their reasons, triage, and the care plan, from the answers so far."""
    store = store_of(request)
    loaded = interviews.load(store, token, audit=False)  # audited as the result is shown
    # The fields of an AssessmentResult's JSON dump plus two: already ResultOut's shape.
    return Response(interviews.result_json(store, loaded), media_type="application/json")


@router.get("/{token}/summary", response_model=None,
            responses={200: MARKDOWN})
async def get_summary(token: PatientToken, store: StoreDep) -> PlainTextResponse:
    """The one-page physiotherapy summary (Markdown): the patient's own data, theirs to share."""
    loaded = interviews.load(store, token, audit=False)  # audited as the result is shown
    text = interviews.summary_markdown(interviews.result(store, loaded))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.delete("/{token}", status_code=204, response_class=Response)
async def delete_assessment(token: PatientToken, store: StoreDep) -> Response:
    """Delete the assessment, its answers and its result now (bookings keep only themselves)."""
    if not interviews.delete(store, token):
        raise ApiError(404, "not_found", interviews.NOT_FOUND)
    return Response(status_code=204)
