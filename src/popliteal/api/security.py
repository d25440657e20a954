"""Security middleware: response headers, a request body cap, and a log line without secrets.

Why plain ASGI middleware and not ``BaseHTTPMiddleware``: these run on every request, and a
pure ASGI wrapper adds microseconds where ``BaseHTTPMiddleware`` adds a task and a stream.

- :class:`SecurityHeadersMiddleware` sets a strict CSP (``default-src 'self'``), nosniff,
  ``Referrer-Policy: no-referrer`` (a patient's token is in URLs, so no URL may leak to another
  site), ``X-Frame-Options: DENY``, a Permissions-Policy denying powerful features, and HSTS
  outside development. API responses are ``Cache-Control: no-store``: they hold health data.
- :class:`BodySizeLimitMiddleware` reads at most ``max_bytes`` of a request body before the
  application sees it, whether the client sent ``Content-Length`` or streamed chunks, and
  answers 413 in the one error shape otherwise.
- :class:`RequestLogMiddleware` logs method, *route template* (``/assessments/{token}``, never
  the token itself), status and time. The server's own access log is switched off by
  ``popliteal serve`` because it would log raw paths, tokens included.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from popliteal.api.errors import error_response

log = logging.getLogger("popliteal.api.access")

BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
     b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy",
     b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NO_STORE = (b"cache-control", b"no-store")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool, no_store_prefix: str = "/api/") -> None:
        self.app = app
        self.headers = BASE_HEADERS + ((HSTS,) if hsts else ())
        self.no_store_prefix = no_store_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers
        if scope.get("path", "").startswith(self.no_store_prefix):
            extra = extra + (NO_STORE,)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in extra if n not in present]
                message["headers"] = list(message.get("headers", [])) + added
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Buffer a request body of at most ``max_bytes``, or answer 413 without calling the app."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope.get("headers", ()))
        if declared is not None and declared > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "payload_too_large",
            f"The request body is larger than {self.max_bytes} bytes.",
            headers={"connection": "close"})
        await response(scope, receive, send)


def _content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestLogMiddleware:
    """One line per request: method, route template, status, milliseconds. No path, no query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            if log.isEnabledFor(logging.INFO):
                route = getattr(scope.get("route"), "path", None) or "(unmatched)"
                log.info("%s %s %d %.1fms", scope.get("method"), route, status,
                         (time.perf_counter() - start) * 1000)
