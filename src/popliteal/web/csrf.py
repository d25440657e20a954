"""Cookies and CSRF tokens for the pages.

Why HMAC-bound tokens and no server-side session table: every form carries a token that is
``HMAC(secret, purpose:binding)``, where the binding is a random value in an HttpOnly cookie
(the browser's ``popliteal_csrf`` cookie for patient forms and the login form; the clinician's
session token for the desk's forms). Another site can make a browser send the cookie, but it
cannot read it, so it cannot compute the token. Nothing is stored, so any server process
(sharing ``POPLITEAL_SECRET_KEY``) accepts a form another process rendered.

Cookies are HttpOnly, SameSite (Lax for the patient: a resume link opened from a message
must work; Strict for the clinician's session) and Secure everywhere but local development.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from popliteal.api.deps import SESSION_COOKIE
from popliteal.api.settings import ApiSettings

BROWSER_COOKIE = "popliteal_csrf"
ASSESSMENT_COOKIE = "popliteal_assessment"
CSRF_FIELD = "csrf_token"
_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)

__all__ = ["ASSESSMENT_COOKIE", "BROWSER_COOKIE", "CSRF_FIELD", "SESSION_COOKIE", "CsrfError",
           "browser_id", "check", "set_cookie", "sign"]


class CsrfError(Exception):
    """A form arrived without a valid token (expired page, cookies off, or another site)."""


def settings_of(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


def sign(settings: ApiSettings, purpose: str, binding: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{purpose}:{binding}".encode(), hashlib.sha256).hexdigest()


def browser_id(request: Request) -> tuple[str, bool]:
    """The browser's CSRF binding from its cookie, or a new one (True: set the cookie)."""
    current = request.cookies.get(BROWSER_COOKIE, "")
    if _BROWSER_ID.fullmatch(current):
        return current, False
    return secrets.token_urlsafe(32), True


def check(request: Request, form: Mapping[str, Any], *, purpose: str = "form",
          binding: str | None = None) -> None:
    """Raise :class:`CsrfError` unless the form's token matches the cookie it is bound to."""
    if binding is None:
        binding = request.cookies.get(BROWSER_COOKIE, "")
        if not _BROWSER_ID.fullmatch(binding):
            raise CsrfError("no browser cookie")
    presented = form.get(CSRF_FIELD)
    if not isinstance(presented, str) or not binding:
        raise CsrfError("no token")
    if not hmac.compare_digest(presented, sign(settings_of(request), purpose, binding)):
        raise CsrfError("wrong token")


def set_cookie(request: Request, response: Response, name: str, value: str, *,
               samesite: str = "lax", max_age: int | None = None) -> None:
    """Set an HttpOnly cookie, Secure unless the app runs in development."""
    response.set_cookie(name, value, max_age=max_age, httponly=True,
                        samesite=samesite,  # type: ignore[arg-type]
                        secure=not settings_of(request).is_development, path="/")


def clear_cookie(request: Request, response: Response, name: str, *,
                 samesite: str = "lax") -> None:
    response.delete_cookie(name, path="/", httponly=True,
                           samesite=samesite,  # type: ignore[arg-type]
                           secure=not settings_of(request).is_development)
