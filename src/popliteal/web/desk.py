"""The clinician's desk: log in, assessments and booking requests, the summary, handled.

Closed to anyone not logged in: every page checks the session cookie first and redirects to
the login page before reading anything. The session is the API's (same cookie, same store
token, revoked at logout); the desk's forms carry a CSRF token bound to that session. Each
list, open and handle is audited by the store with the clinician's name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any, Protocol, TypeVar

from fastapi import APIRouter
from markdown_it import MarkdownIt
from starlette.requests import Request
from starlette.responses import Response

from popliteal.api import interviews
from popliteal.clinics import load_branches
from popliteal.knowledge import get_knowledge_base
from popliteal.store import NotFound, Store, UserRecord
from popliteal.web import csrf
from popliteal.web.patient import rate_limit, store_of
from popliteal.web.render import PageError, redirect, render
from popliteal.web.views import LEVELS, condition_name

router = APIRouter(prefix="/desk", include_in_schema=False)
PAGE_SIZE = 50
MAX_OFFSET = 1_000_000
Row = TypeVar("Row")


class LoginRequired(Exception):
    """No valid clinician session: the handler redirects to the login page."""


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default": CommonMark + tables, raw HTML off, unsafe link schemes refused.
    return MarkdownIt("js-default")


def summary_html(markdown: str) -> str:
    return _markdown().render(markdown)


def _session(request: Request) -> tuple[UserRecord, str]:
    token = request.cookies.get(csrf.SESSION_COOKIE, "")
    user = store_of(request).user_for_token(token) if 0 < len(token) <= 256 else None
    if user is None:
        raise LoginRequired()
    return user, token


def _desk(request: Request, template: str, context: dict[str, Any], token: str,
          user: UserRecord, status: int = 200) -> Response:
    token_for_forms = csrf.sign(csrf.settings_of(request), "desk", token)
    return render(request, template, {**context, "desk": True, "user": user,
                                      "levels": LEVELS}, status=status,
                  csrf_token=token_for_forms)


async def _desk_form(request: Request) -> tuple[UserRecord, Any]:
    user, token = _session(request)
    form = await request.form()
    csrf.check(request, form, purpose="desk", binding=token)
    return user, form


def _offset(request: Request) -> int:
    raw = request.query_params.get("offset", "0")
    return min(int(raw), MAX_OFFSET) if raw.isdigit() else 0


def _handled(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _list_page(request: Request, fetch: Callable[..., list[Row]]) -> dict[str, Any]:
    """One page of a desk list, and its "Handled" filter, as ``_desk_list.html`` expects them.

    Both lists read the filter and the offset, and page, alike; ``fetch`` (a store listing with
    the list's own filters bound) is asked for one row more than a page, so that the pager
    knows whether an "Older" link is due without counting the table.
    """
    handled = request.query_params.get("handled", "")
    offset = _offset(request)
    rows = fetch(handled=_handled(handled), limit=PAGE_SIZE + 1, offset=offset)
    return {"items": rows[:PAGE_SIZE], "handled": handled, "offset": offset,
            "more": len(rows) > PAGE_SIZE, "page_size": PAGE_SIZE}


class _MarkHandled(Protocol):
    """A store method that marks one row handled (or not): ``Store.mark_handled`` and the like."""

    def __call__(self, store: Store, row_id: int, /, *, username: str, handled: bool) -> object:
        ...


async def _mark_from_form(request: Request, mark: _MarkHandled, row_id: int, missing: str,
                          back: tuple[str, str]) -> None:
    """Apply a posted "Mark (not) handled" form to one row.

    Both lists post the same form, so one place checks its CSRF token, reads its yes/no and
    turns a row deleted meanwhile (a patient may delete their data at any time) into a 404
    page titled ``missing`` that leads ``back``.
    """
    user, form = await _desk_form(request)
    try:
        mark(store_of(request), row_id, username=user.username,
             handled=form.get("handled") != "no")
    except NotFound as exc:
        raise PageError(404, missing, "It may have been deleted.", action=back) from exc


# ------------------------------------------------------------------ login


@router.get("/login")
def login_page(request: Request) -> Response:
    try:
        _session(request)
    except LoginRequired:
        return render(request, "desk_login.html", {
            "desk": True, "logged_out": request.query_params.get("logged_out") == "1"})
    return redirect(request, "/desk")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    rate_limit(request, "logins")
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    logged_in = store_of(request).login(username, password) if username and password else None
    if logged_in is None:
        return render(request, "desk_login.html", {
            "desk": True, "logged_out": False, "form": {"username": username},
            "errors": {"login": "Wrong username or password."}}, status=401)
    _, token = logged_in
    response = redirect(request, "/desk")
    csrf.set_cookie(request, response, csrf.SESSION_COOKIE, token, samesite="strict",
                    max_age=int(store_of(request).session_ttl.total_seconds()))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    _, token = _session(request)
    form = await request.form()
    csrf.check(request, form, purpose="desk", binding=token)
    store_of(request).revoke_token(token)
    response = redirect(request, "/desk/login?logged_out=1")
    csrf.clear_cookie(request, response, csrf.SESSION_COOKIE, samesite="strict")
    return response


# ------------------------------------------------------------------ assessments


@router.get("")
def assessments(request: Request) -> Response:
    user, token = _session(request)
    chosen = [lv for lv in request.query_params.getlist("level") if lv in LEVELS]
    page = _list_page(request, partial(store_of(request).list_assessments, actor=user.actor,
                                       triage_level=chosen or None))
    items = [{"row": r, "condition": condition_name(r.top_condition)} for r in page["items"]]
    return _desk(request, "desk_assessments.html", {**page, "items": items, "chosen": chosen},
                 token, user)


@router.get("/assessments/{assessment_id:int}")
def assessment(request: Request, assessment_id: int) -> Response:
    user, token = _session(request)
    try:
        record = store_of(request).get_assessment(assessment_id, actor=user.actor)
    except NotFound as exc:
        raise PageError(404, "No such assessment", "It may have been deleted by the patient "
                        "or passed its retention period.", action=("/desk", "All assessments")
                        ) from exc
    result, partial = record.result, False
    if not isinstance(result, dict):  # the patient stopped before their result: derive it
        store = store_of(request)
        interview = interviews.rebuild(record.state, store.list_answers(record.id),
                                       get_knowledge_base())
        result, partial = interview.result().model_dump(mode="json"), True
    summary = summary_html(interviews.summary_markdown(result))
    return _desk(request, "desk_assessment.html", {
        "record": record, "summary": summary, "partial": partial,
        "level": LEVELS.get(record.triage_level or ""),
        "condition": condition_name(record.top_condition)}, token, user)


@router.post("/assessments/{assessment_id:int}/handled")
async def assessment_handled(request: Request, assessment_id: int) -> Response:
    await _mark_from_form(request, Store.mark_handled, assessment_id, "No such assessment",
                          ("/desk", "All assessments"))
    return redirect(request, f"/desk/assessments/{assessment_id}")


# ------------------------------------------------------------------ bookings


@router.get("/bookings")
def bookings(request: Request) -> Response:
    user, token = _session(request)
    branches = {b.id: b for b in load_branches()}
    branch = request.query_params.get("branch", "")
    page = _list_page(request, partial(store_of(request).list_bookings, actor=user.actor,
                                       branch_id=branch if branch in branches else None))
    return _desk(request, "desk_bookings.html", {**page, "branches": branches, "branch": branch},
                 token, user)


@router.post("/bookings/{booking_id:int}/handled")
async def booking_handled(request: Request, booking_id: int) -> Response:
    await _mark_from_form(request, Store.mark_booking_handled, booking_id,
                          "No such booking request", ("/desk/bookings", "All booking requests"))
    return redirect(request, "/desk/bookings")
