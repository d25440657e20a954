"""One error shape for every failure: ``{"error": {"code", "message", "field"?}}``.

Why one shape: a client (the web pages, a clinic's integration) handles errors by ``code``
alone and shows ``message`` to a person, whatever failed: FastAPI's own 422 and 404, the
packages' exceptions, the body-size cap, the rate limiter, or a bug. Unexpected exceptions
become a bare ``internal_error``: their messages may hold a patient's words or a SQL
statement, so neither the response nor the log carries them (only the exception's type and
the stack's code locations are logged).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from popliteal.assessment import AssessmentInputError
from popliteal.clinics import PostalCodeError
from popliteal.engine import AnswerError
from popliteal.knowledge import UnknownFindingError
from popliteal.store import AnswerConflict, ConsentRequired, InvalidInput, NotFound

log = logging.getLogger("popliteal.api")

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}
_STATUS_MESSAGES = {
    404: "Not found.",
    405: "This method is not allowed here.",
    500: "Something went wrong on our side. Nothing you sent was lost; please try again.",
}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=64, description="machine-readable, e.g. validation_error")
    message: str = Field(max_length=2000, description="for a person")
    field: str | None = Field(default=None, max_length=200, description="the input at fault")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


class ApiError(Exception):
    """Raised by routes and dependencies; rendered in the one error shape."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str, *, field: str | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message[:2000]}
    if field is not None:
        body["field"] = field[:200]
    return JSONResponse({"error": body}, status_code=status, headers=dict(headers or {}))


def _field(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {}
    field = _field(first.get("loc", ()))
    # pydantic's "msg" never includes the input, so a rejected text is not echoed back.
    message = str(first.get("msg", "invalid input")).removeprefix("Value error, ")
    code = "consent_required" if field in ("consent", "consent_to_contact") else "validation_error"
    if field:
        message = f"{field}: {message}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(422, code, message, field=field)


def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _STATUS_CODES.get(status, "error" if status < 500 else "internal_error")
    message = _STATUS_MESSAGES.get(status) or (exc.detail if isinstance(exc.detail, str) else "")
    return error_response(status, code, message or code.replace("_", " "),
                          headers=getattr(exc, "headers", None))


def _api(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, field=exc.field, headers=exc.headers)


def _package(_: Request, exc: Exception) -> JSONResponse:
    """The packages' own input errors: their messages are written for the person who erred."""
    if isinstance(exc, ConsentRequired):
        return error_response(422, "consent_required", str(exc), field="consent")
    if isinstance(exc, NotFound):
        return error_response(404, "not_found", "Not found.")
    if isinstance(exc, AnswerConflict):
        return error_response(409, "conflict", str(exc), field="expected_seq")
    if isinstance(exc, AnswerError):
        return error_response(422, "bad_answer", str(exc), field="answer")
    if isinstance(exc, UnknownFindingError):  # a KeyError: str() would add quotes
        return error_response(422, "bad_answer", str(exc.args[0] if exc.args else exc), field="id")
    if isinstance(exc, PostalCodeError):
        return error_response(400, "invalid_postal_code", str(exc), field="postal_code")
    if isinstance(exc, AssessmentInputError):
        return error_response(422, "validation_error", str(exc))
    return error_response(422, "validation_error", str(exc))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ApiError, _api)
    for exc_type in (ConsentRequired, NotFound, AnswerConflict, AnswerError, UnknownFindingError,
                     PostalCodeError, AssessmentInputError, InvalidInput):
        app.add_exception_handler(exc_type, _package)


class ErrorShieldMiddleware:
    """Turns any exception that escaped the handlers into a bare 500, logged without its message.

    Starlette's own server-error middleware re-raises so the server logs the traceback,
    message included; this one sits inside it and stops the exception there.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the point of this middleware
            route = getattr(scope.get("route"), "path", "(unmatched)")
            log.error("unhandled %s in %s %s\n%s", type(exc).__name__, scope.get("method"), route,
                      "".join(traceback.format_tb(exc.__traceback__)))
            if not started:
                response = error_response(500, "internal_error", _STATUS_MESSAGES[500])
                await response(scope, receive, send)


# The error responses every route may give, for the OpenAPI schema (so clients and
# schemathesis know the shape of each).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": code}
    for status, code in _STATUS_CODES.items()
    if status in (400, 404, 413, 422, 429, 500)
}
CONFLICT_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "conflict, nothing_to_undo, too_many_answers"},
}
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "unauthorized"},
    403: {"model": ErrorResponse, "description": "forbidden"},
}
MARKDOWN: dict[str, Any] = {
    "description": "Markdown text",
    "content": {"text/markdown": {"schema": {"type": "string"}}},
}
