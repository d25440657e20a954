"""Rendering pages: one Jinja2 environment, one ``render`` that every page goes through.

``render`` adds what every page needs (the CSRF token for its forms, the disclaimer, the
urgent-help line with its ``tel:995`` link, asset URLs with a content hash so they can be
cached for a long time) and marks the response ``Cache-Control: no-store``: pages hold health
data and must not be kept by a shared computer's cache or a proxy. Templates are autoescaped;
the only HTML inserted unescaped is the desk's Markdown summary, rendered with raw HTML off.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from popliteal import __version__
from popliteal.results import DISCLAIMER, URGENT_HELP
from popliteal.web import csrf

SGT = timezone(timedelta(hours=8), "SGT")  # Singapore: no daylight saving
STATIC_FILES = ("style.css", "app.js")


class PageError(Exception):
    """Raised by a page: rendered as a friendly error page with this status."""

    def __init__(self, status: int, title: str, message: str, *,
                 headers: dict[str, str] | None = None, action: tuple[str, str] | None = None
                 ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.headers = headers or {}
        self.action = action  # (href, label) of the way out


def _local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SGT).strftime("%d %b %Y, %H:%M")


@lru_cache(maxsize=1)
def asset_versions() -> dict[str, str]:
    """A short content hash per static file, appended to its URL (``?v=``) to bust caches."""
    folder = resources.files("popliteal.web") / "static"
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()[:10]
            for name in STATIC_FILES}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("popliteal.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["local_time"] = _local_time
    env.globals.update(disclaimer=DISCLAIMER, urgent_help=URGENT_HELP, version=__version__)
    return env


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status: int = 200, headers: dict[str, str] | None = None,
           csrf_token: str | None = None) -> HTMLResponse:
    """The page ``template`` with ``context``; sets the browser cookie the first time."""
    binding, fresh = csrf.browser_id(request)
    root = request.scope.get("root_path", "")
    values: dict[str, Any] = {
        "root": root,
        "assets": {name: f"{root}/static/{name}?v={v}" for name, v in asset_versions().items()},
        "csrf_field": csrf.CSRF_FIELD,
        "csrf_token": csrf_token or csrf.sign(csrf.settings_of(request), "form", binding),
        "desk": False,
        "errors": {},
        "form": {},
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status, headers=headers)
    response.headers["cache-control"] = "no-store"
    if fresh:
        csrf.set_cookie(request, response, csrf.BROWSER_COOKIE, binding)
    return response


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 See Other: the browser follows with GET (post-redirect-get)."""
    response = RedirectResponse(request.scope.get("root_path", "") + path, status_code=303)
    response.headers["cache-control"] = "no-store"
    return response


def error_page(request: Request, exc: PageError) -> HTMLResponse:
    return render(request, "error.html", {"title": exc.title, "message": exc.message,
                                          "action": exc.action}, status=exc.status,
                  headers=exc.headers)
