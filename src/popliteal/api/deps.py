"""Dependencies as ``Annotated`` aliases (habit 6): routes declare what they need in one word.

- ``StoreDep``, ``SettingsDep``: the store and settings created once at start-up.
- ``PatientToken``: the assessment token from the path, bounded (it is the patient's only key).
- ``ClinicianDep``: the logged-in clinician, from ``Authorization: Bearer`` or the session
  cookie; 401 otherwise. A cookie-authenticated unsafe request must also carry the
  ``X-CSRF-Token`` returned at login (a bearer token cannot be sent by another site, a cookie
  can).
- ``AssessmentLimit``, ``LoginLimit``, ``BookingLimit``: the per-IP rate limits (429 with
  ``Retry-After``); a booking request puts a name and a phone number in front of the clinic's
  team, so a script must not be able to flood it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from popliteal.api.errors import ApiError
from popliteal.api.ratelimit import RateLimit, retry_after
from popliteal.api.settings import ApiSettings
from popliteal.store import Store, UserRecord

SESSION_COOKIE = "popliteal_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="a clinician's token from /auth/login")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="the session cookie set by /auth/login")


def store_of(request: Request) -> Store:
    """The app's store. The patient's per-answer routes call this on their ``request``
    instead of declaring ``StoreDep``: each declared dependency costs FastAPI a resolution
    pass per request, a tenth of an answer's framework time."""
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """``async`` because it does no I/O: FastAPI then calls it inline, not in a worker
    thread (a thread hop per dependency costs more than most of our handlers' work)."""
    return store_of(request)


async def get_settings(request: Request) -> ApiSettings:
    return settings_of(request)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
PatientToken = Annotated[str, Path(min_length=1, max_length=128,
                                   description="the assessment's token, returned when it started")]


def csrf_token(settings: ApiSettings, session_token: str) -> str:
    """The CSRF token bound to a session token (HMAC with the secret key)."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, session_token.encode(), hashlib.sha256).hexdigest()


def _unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", "Please log in as a clinician.",
                    headers={"WWW-Authenticate": "Bearer"})


def session_token(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
    settings: SettingsDep,
) -> str:
    """The presented clinician token (bearer first), CSRF-checked when it came in a cookie."""
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    if cookie:
        if request.method not in SAFE_METHODS:
            presented = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(presented, csrf_token(settings, cookie)):
                raise ApiError(403, "forbidden",
                               "Missing or wrong X-CSRF-Token for a cookie-authenticated request.")
        return cookie
    raise _unauthorized()


SessionToken = Annotated[str, Depends(session_token)]


def current_clinician(token: SessionToken, store: StoreDep) -> UserRecord:
    user = store.user_for_token(token)
    if user is None:
        raise _unauthorized()
    return user


ClinicianDep = Annotated[UserRecord, Depends(current_clinician)]


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limit(name: str) -> Callable[[Request], Awaitable[None]]:
    async def check(request: Request) -> None:  # one short write: inline, as the patient's work
        bucket: RateLimit = request.app.state.limiters[name]
        wait = bucket.hit(_client_key(request))
        if wait is not None:
            raise ApiError(429, "rate_limited", "Too many requests; please wait and try again.",
                           headers={"Retry-After": retry_after(wait)})

    return check


AssessmentLimit = Annotated[None, Depends(_limit("assessments"))]
LoginLimit = Annotated[None, Depends(_limit("logins"))]
BookingLimit = Annotated[None, Depends(_limit("bookings"))]
