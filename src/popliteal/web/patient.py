"""The patient's pages: start, one question at a time, the result, resume, delete.

Every form posts, then redirects (303) to a page that can be reloaded safely. The patient's
assessment token (their only key) lives in an HttpOnly cookie; the resume link
``/resume/<token>`` is what they keep to come back on another day or device. Pages call the
same functions as the API routes (:mod:`popliteal.api.interviews`), so the web and the API
give the same questions and results for the same answers.

Every page handler is ``async def`` and does its work on the event loop, as the API's patient
routes do (:mod:`popliteal.api.routes.assessments` says why: worker threads fought the loop
for the GIL).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from popliteal.api import interviews
from popliteal.api.errors import ApiError
from popliteal.api.ratelimit import RateLimit, retry_after
from popliteal.api.schemas import AssessmentIn
from popliteal.engine import AnswerError
from popliteal.interview import Question
from popliteal.knowledge import UnknownFindingError
from popliteal.store import AnswerConflict, Store
from popliteal.web import csrf
from popliteal.web.render import PageError, redirect, render
from popliteal.web.views import result_view

router = APIRouter(include_in_schema=False)
MAX_TEXT = 5000
MAX_TOKEN = 128


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def rate_limit(request: Request, name: str) -> None:
    bucket: RateLimit = request.app.state.limiters[name]
    wait = bucket.hit(request.client.host if request.client else "unknown")
    if wait is not None:
        raise PageError(429, "Please wait a moment",
                        "There have been too many attempts from this connection. Please wait a "
                        "minute and try again.", headers={"Retry-After": retry_after(wait)})


def no_assessment(message: str | None = None) -> PageError:
    return PageError(
        404, "We could not find your answers",
        message or "This browser has no assessment in progress. If you saved your link, open "
        "it again; otherwise you can start a new one.", action=("/", "Start an assessment"))


def patient_token(request: Request) -> str:
    token = request.cookies.get(csrf.ASSESSMENT_COOKIE, "")
    if not token or len(token) > MAX_TOKEN:
        raise no_assessment()
    return token


def load(request: Request, token: str, *, audit: bool = True) -> interviews.Loaded:
    try:
        return interviews.load(store_of(request), token, audit=audit)
    except ApiError as exc:
        raise no_assessment(interviews.NOT_FOUND) from exc


def resume_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/resume/{token}"


# ------------------------------------------------------------------ start


@router.get("/")
async def start_page(request: Request) -> Response:
    return _start_page(request, has_assessment=bool(request.cookies.get(
        csrf.ASSESSMENT_COOKIE)))


def _start_page(request: Request, *, errors: dict[str, str] | None = None,
                form: dict[str, Any] | None = None, has_assessment: bool = False) -> Response:
    return render(request, "start.html", {
        "errors": errors or {}, "form": form or {}, "has_assessment": has_assessment,
        "retention_days": store_of(request).retention.days}, status=422 if errors else 200)


def _start_errors(form: FormData) -> tuple[dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    kept = {k: str(form.get(k, "")) for k in ("age", "sex", "text")}
    kept["consent"] = "yes" if form.get("consent") == "yes" else ""
    age = kept["age"].strip()
    if not age.isdigit() or not 0 <= int(age) <= 120:
        errors["age"] = "Please give your age in years, as a whole number from 0 to 120."
    if kept["sex"] not in ("female", "male"):
        errors["sex"] = "Please choose female or male."
    if len(kept["text"]) > MAX_TEXT:
        errors["text"] = (f"Please keep it under {MAX_TEXT} characters "
                          f"(you wrote {len(kept['text'])}).")
    if kept["consent"] != "yes":
        errors["consent"] = ("Please tick the box to agree before we start: without your "
                             "consent nothing is kept.")
    return errors, kept


@router.post("/start")
async def start(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    errors, kept = _start_errors(form)
    body = None
    if not errors:
        try:
            body = AssessmentIn(age=int(kept["age"]), sex=kept["sex"], text=kept["text"],
                                consent=True)
        except ValidationError:
            errors["text"] = ("Your words contain characters we cannot store. Please type "
                              "them again without special symbols.")
    if body is None:
        return _start_page(request, errors=errors, form=kept)
    rate_limit(request, "assessments")
    try:
        _, token = interviews.start(store_of(request), body)
    except ApiError as exc:  # the language layer could not read the text
        return _start_page(request, errors={"text": exc.message}, form=kept)
    response = redirect(request, "/assessment/question")
    csrf.set_cookie(request, response, csrf.ASSESSMENT_COOKIE, token)
    return response


# ------------------------------------------------------------------ the interview


@router.get("/assessment")
async def assessment(request: Request) -> Response:
    return redirect(request, "/assessment/question")


def _question_page(request: Request, loaded: interviews.Loaded, question: Question, *,
                   error: str | None = None, typed: str = "", status: int = 200) -> Response:
    choices = list(zip(question.options, question.option_labels, strict=False))
    return render(request, "question.html", {
        "question": question, "choices": choices, "seq": loaded.last_seq,
        "can_go_back": bool(loaded.interview.state.answers), "error": error,
        "typed": typed, "number": question.asked + 1,
        "resume_url": resume_url(request, patient_token(request)),
    }, status=status)


@router.get("/assessment/question")
async def question_page(request: Request) -> Response:
    loaded = load(request, patient_token(request))
    if loaded.interview.current_level() == "emergency_now":
        return redirect(request, "/assessment/result")  # safety first: stop asking
    question = loaded.built.question
    if question is None:
        return redirect(request, "/assessment/result")
    return _question_page(request, loaded, question)


class _Unanswered(ValueError):
    """The form did not carry a usable answer; the message is for the patient."""


def _answer_value(question: Question, form: FormData) -> tuple[Any, str]:
    """The submitted answer for ``question`` (and what was typed, to show it again)."""
    if form.get("dont_know"):
        return "unknown", ""
    if question.kind == "multi":
        chosen = [str(v) for v in form.getlist("answer")]
        if not chosen:
            raise _Unanswered("Choose at least one, or press Don't know.")
        return chosen, ""
    raw = str(form.get("answer", "")).strip()
    if question.kind == "number":
        if not raw:
            raise _Unanswered("Please type a number, or press Don't know.")
        try:
            return float(raw.replace(",", ".")), raw
        except ValueError:
            raise _Unanswered("Please type a number, or press Don't know.") from None
    return raw, raw


def _friendly(question: Question) -> str:
    """What to do about an answer the engine refused (its own message names ids)."""
    if question.kind == "number" and question.min is not None and question.max is not None:
        unit = f" {question.unit}" if question.unit else ""
        return f"Please give a number from {question.min:g} to {question.max:g}{unit}."
    if question.kind == "multi":
        return "Please choose from the list, or press Don't know."
    return "Please choose one of the answers."


@router.post("/assessment/answer")
async def answer(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    token = patient_token(request)
    loaded = load(request, token)
    question = loaded.built.question
    if question is None or form.get("question") != question.id:
        return redirect(request, "/assessment/question")  # a stale page: show the current one
    try:
        seq = int(str(form.get("seq", "")))
    except ValueError:
        return redirect(request, "/assessment/question")
    settings = csrf.settings_of(request)
    typed = str(form.get("answer", ""))[:50] if question.kind == "number" else ""
    try:
        value, typed = _answer_value(question, form)
        interviews.answer(store_of(request), token, question.id, value, seq + 1,
                          limit=settings.max_answers_per_assessment)
    except AnswerConflict:
        return redirect(request, "/assessment/question")  # answered twice (double tap)
    except _Unanswered as exc:
        return _question_page(request, loaded, question, error=str(exc), typed=typed,
                              status=422)
    except AnswerError:
        return _question_page(request, loaded, question, error=_friendly(question),
                              typed=typed, status=422)
    except UnknownFindingError:
        return redirect(request, "/assessment/question")
    except ApiError as exc:
        raise PageError(exc.status, "We could not save this answer", exc.message,
                        action=("/assessment/result", "See your result")) from exc
    return redirect(request, "/assessment/question")


@router.post("/assessment/back")
async def back(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    token = patient_token(request)
    settings = csrf.settings_of(request)
    try:
        seq = int(str(form.get("seq", "")))
        interviews.back(store_of(request), token, seq + 1,
                        limit=settings.max_answers_per_assessment)
    except (ValueError, AnswerConflict):
        pass
    except ApiError as exc:
        if exc.status == 404:
            raise no_assessment(interviews.NOT_FOUND) from exc
        # nothing to undo, or too many answers: show the current question
    return redirect(request, "/assessment/question")


# ------------------------------------------------------------------ the result


@router.get("/assessment/result")
async def result_page(request: Request) -> Response:
    token = patient_token(request)
    loaded = load(request, token, audit=False)  # audited as the result is shown
    data = interviews.result(store_of(request), loaded)
    view = result_view(data)
    return render(request, "result.html", {**view, "resume_url": resume_url(request, token)})


@router.get("/resume/{token}")
async def resume(request: Request, token: str) -> Response:
    """The link the patient keeps: opens their assessment in this browser."""
    if len(token) > MAX_TOKEN or store_of(request).get_assessment_by_token(
            token, record_access=False) is None:
        raise no_assessment(interviews.NOT_FOUND)
    response = redirect(request, "/assessment/question")
    csrf.set_cookie(request, response, csrf.ASSESSMENT_COOKIE, token)
    return response


# ------------------------------------------------------------------ deletion


@router.get("/assessment/delete")
async def delete_page(request: Request) -> Response:
    load(request, patient_token(request))
    return render(request, "delete.html")


@router.post("/assessment/delete")
async def delete(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    token = patient_token(request)
    if not interviews.delete(store_of(request), token):
        raise no_assessment(interviews.NOT_FOUND)
    response = redirect(request, "/deleted")
    csrf.clear_cookie(request, response, csrf.ASSESSMENT_COOKIE)
    return response


@router.get("/deleted")
async def deleted(request: Request) -> Response:
    return render(request, "deleted.html")

