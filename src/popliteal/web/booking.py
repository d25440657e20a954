"""Finding the nearest branch from a postal code, and asking the clinic to call back.

The booking form is validated by the same model as the API (:class:`popliteal.api.schemas.
BookingIn`, built on :class:`popliteal.clinics.BookingRequest`) and stored by the API's own
function, so both paths keep the same rules: a Singapore phone number, a real branch, 1 to 5
preferred times, consent to be contacted. When the browser holds an assessment, the patient
may attach it (by its token, never an internal number) so the physiotherapist can read it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from popliteal.api.errors import ApiError
from popliteal.api.routes.bookings import request_booking
from popliteal.api.schemas import BookingIn
from popliteal.clinics import PostalCodeError, get_branch, load_branches, nearest_branches
from popliteal.web import csrf
from popliteal.web.patient import MAX_TOKEN, rate_limit, store_of
from popliteal.web.render import redirect, render
from popliteal.web.views import URGENT_LEVELS

router = APIRouter(include_in_schema=False)
DAYS = ["any", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
PARTS = ["any", "morning", "afternoon", "evening"]
TIME_SLOTS = 3
FIELDS = ("name", "phone", "branch_id", "notes")


def _assessment(request: Request) -> tuple[str | None, str | None]:
    """The browser's assessment token and its triage level, if it has a live one."""
    token = request.cookies.get(csrf.ASSESSMENT_COOKIE, "")
    if not token or len(token) > MAX_TOKEN:
        return None, None
    record = store_of(request).get_assessment_by_token(token, record_access=False)
    if record is None:
        return None, None
    return token, record.triage_level


def _branches(postal_code: str) -> tuple[list[Any], str | None]:
    if not postal_code:
        return list(load_branches()), None
    try:
        return list(nearest_branches(postal_code)), None
    except PostalCodeError as exc:
        return list(load_branches()), str(exc)


def _page(request: Request, *, form: dict[str, Any], errors: dict[str, str],
          status: int = 200) -> Response:
    token, level = _assessment(request)
    postal_code = str(form.get("postal_code", "")).strip()[:20]
    branches, postal_error = _branches(postal_code)
    if postal_error:
        errors = {"postal_code": postal_error, **errors}
    if not form.get("branch_id") and postal_code and not postal_error:
        form = {**form, "branch_id": branches[0].id}
    return render(request, "book.html", {
        "branches": branches, "postal_code": postal_code,
        "nearest": branches[0] if postal_code and not postal_error else None,
        "form": form, "errors": errors, "has_assessment": token is not None,
        "urgent": level in URGENT_LEVELS, "days": DAYS, "parts": PARTS,
        "slots": range(1, TIME_SLOTS + 1)}, status=status)


@router.get("/book")
def book_page(request: Request) -> Response:
    query = request.query_params
    form: dict[str, Any] = {"postal_code": query.get("postal_code", ""), "share": "yes"}
    return _page(request, form=form, errors={})


def _times(form: FormData) -> list[dict[str, str]]:
    times = []
    for n in range(1, TIME_SLOTS + 1):
        day, part = str(form.get(f"day{n}", "")), str(form.get(f"part{n}", ""))
        if day or part:
            times.append({"day": day or "any", "part_of_day": part or "any"})
    return times


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else "form"
        key = {"preferred_times": "times", "consent_to_contact": "consent",
               "assessment_id": "share"}.get(where, where)
        message = str(error["msg"]).removeprefix("Value error, ")
        if key == "name":
            message = "Please give your name (up to 100 characters)."
        elif key == "times" and error["type"] in ("too_short", "missing"):
            message = "Please choose at least one time that suits you."
        elif key == "times" and error["type"] != "value_error":
            message = "Please choose a day and a time of day from the lists."
        elif key == "branch_id":
            message = "Please choose a branch."
        errors.setdefault(key, message)
    return errors


@router.post("/book")
async def book(request: Request) -> Response:
    form = await request.form()
    csrf.check(request, form)
    rate_limit(request, "bookings")
    kept: dict[str, Any] = {k: str(form.get(k, ""))[:600] for k in (*FIELDS, "postal_code")}
    kept["consent"] = "yes" if form.get("consent") == "yes" else ""
    kept["share"] = "yes" if form.get("share") == "yes" else ""
    for n in range(1, TIME_SLOTS + 1):
        kept[f"day{n}"], kept[f"part{n}"] = str(form.get(f"day{n}", "")), str(
            form.get(f"part{n}", ""))
    token, _ = _assessment(request)
    try:
        body = BookingIn(name=kept["name"], phone=kept["phone"], branch_id=kept["branch_id"],
                         preferred_times=_times(form),  # type: ignore[arg-type]
                         consent_to_contact=kept["consent"] == "yes",
                         notes=kept["notes"] or None,
                         assessment_id=token if token and kept["share"] == "yes" else None)
        request_booking(body, store_of(request))
    except ValidationError as exc:
        return _page(request, form=kept, errors=_errors(exc), status=422)
    except ApiError as exc:  # the assessment expired between the page and the post
        return _page(request, form={**kept, "share": ""}, errors={"share": exc.message},
                     status=422)
    return redirect(request, f"/book/thanks?branch={body.branch_id}")


@router.get("/book/thanks")
def thanks(request: Request) -> Response:
    branch_id = request.query_params.get("branch", "")
    try:
        branch = get_branch(branch_id)
    except (KeyError, ValueError, LookupError):
        branch = None
    return render(request, "thanks.html", {"branch": branch})
