"""Attach the pages to the FastAPI app: routers, static files, and HTML error pages.

Errors on page routes become pages, not the API's JSON: a form with a missing or wrong CSRF
token gets a friendly 403; a browser (``Accept: text/html``) asking for an unknown address
outside ``/api`` gets an HTML 404. Everything else keeps the API's JSON error shape (its
handler is kept and called), so API clients see no change.
"""

from __future__ import annotations

import inspect
import re
from importlib import resources
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from popliteal.web import csrf
from popliteal.web.desk import LoginRequired
from popliteal.web.render import PageError, error_page, redirect

STATIC_MAX_AGE = 7 * 24 * 3600  # URLs carry a content hash (?v=), so a week is safe
_FIGURE = re.compile(r"[a-z0-9_]{1,64}\.svg")


class CachedStaticFiles(StaticFiles):
    """Static files with a ``Cache-Control`` header: a slow phone fetches them once."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = f"public, max-age={STATIC_MAX_AGE}"
        return response


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not an API client) outside ``/api``."""
    path = request.url.path
    if path.startswith("/api/") or path == "/api" or path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "")


def install_web(app: FastAPI) -> None:
    """Add the patient pages, the clinician's desk and their assets to ``app``."""
    from popliteal.web import booking, desk, patient

    for router in (patient.router, booking.router, desk.router):
        # the routes themselves, not the router: see popliteal.api.app.include_routes
        app.router.routes.extend(router.routes)
    static = resources.files("popliteal.web") / "static"
    figures = resources.files("popliteal.knowledge") / "data" / "figures"
    app.mount("/static", CachedStaticFiles(directory=str(static)), name="static")

    @app.get("/figures/{name}", include_in_schema=False)
    def figure(name: str) -> Response:
        """An exercise figure (SVG from the knowledge base); only plain names are served."""
        if not _FIGURE.fullmatch(name) or not (figures / name).is_file():
            raise PageError(404, "Picture not found", "There is no picture with this name.")
        return Response((figures / name).read_bytes(), media_type="image/svg+xml",
                        headers={"cache-control": f"public, max-age={STATIC_MAX_AGE}"})

    api_http_handler: Any = app.exception_handlers.get(StarletteHTTPException)

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(request, exc)

    async def csrf_error(request: Request, exc: Exception) -> Response:
        return error_page(request, PageError(
            403, "This form has expired",
            "For your safety we could not accept this form: it may have been open for a long "
            "time, or cookies may be switched off in your browser. Please go back, reload the "
            "page and try again.", action=("/", "Back to the start")))

    async def login_required(request: Request, exc: Exception) -> Response:
        return redirect(request, "/desk/login")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code in (404, 405) and _wants_page(request):
            title = "Page not found" if exc.status_code == 404 else "Not allowed here"
            return error_page(request, PageError(
                exc.status_code, title, "There is nothing at this address.",
                action=("/", "Go to the start page")))
        response = api_http_handler(request, exc)
        if inspect.isawaitable(response):
            response = await response
        return response  # type: ignore[no-any-return]

    app.add_exception_handler(PageError, page_error)
    app.add_exception_handler(csrf.CsrfError, csrf_error)
    app.add_exception_handler(LoginRequired, login_required)
    if api_http_handler is not None:
        app.add_exception_handler(StarletteHTTPException, http_error)
