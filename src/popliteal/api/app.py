"""The FastAPI application: routers under ``/api/v1``, middleware, and the store's lifetime.

Why a factory: tests build an app per database, ``popliteal serve`` builds one from the
environment, and several uvicorn workers each build their own (``uvicorn --factory
popliteal.api:create_app``). The store is created once per app, at start-up (the lifespan),
which also migrates the database and warms the knowledge base and the language pipeline so
the first patient does not wait for them.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from popliteal import __version__
from popliteal.api.errors import ErrorShieldMiddleware, install_error_handlers
from popliteal.api.ratelimit import RateLimit
from popliteal.api.security import (
    BodySizeLimitMiddleware,
    RequestLogMiddleware,
    SecurityHeadersMiddleware,
)
from popliteal.api.settings import ApiSettings

log = logging.getLogger("popliteal.api")


def _warm_up() -> None:
    """Load the knowledge base and the language pipeline now rather than at the first request."""
    from popliteal.interview import Interview

    interview = Interview.start(40, "female", "Pain behind my knee.")
    interview.next_question()
    interview.result()  # the care guide and plan builders load on first use


def include_routes(app: FastAPI) -> None:
    """Add the API's routes to the app's own router, each as it was declared.

    Why not ``app.include_router``: FastAPI (0.165) keeps an included router as a wrapper that
    every request matches twice (to select it, then inside it) after checking, by walking
    every route, that its cached view of the routes is still current. Over the same 10 whole
    assessments and 150 ``/health`` requests, callgrind counted 634 million instructions
    with the routers included and 557 million with their routes added directly (-12 %).
    Each router already carries its full prefix, tags and error responses, so its routes are
    complete as they are; the app's router then tries them in order, as Starlette does.
    """
    from popliteal.api.routes import assessments, bookings, clinicians, clinics, health

    for router in (health.router, assessments.router, clinicians.auth, clinicians.router,
                   clinics.router, bookings.router):
        app.router.routes.extend(router.routes)


def create_app(settings: ApiSettings | None = None, *, warm_up: bool = True) -> FastAPI:
    """The application for ``settings`` (default: from the environment)."""
    settings = settings or ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from popliteal.store import Store

        store = Store.from_settings(settings.store)
        if warm_up:
            _warm_up()
            # Everything loaded so far (knowledge base, language pipeline: millions of objects)
            # lives as long as the process. Freezing it keeps the garbage collector's full
            # passes from walking it again and again while requests are served.
            gc.collect()
            gc.freeze()
        app.state.store = store
        secret = settings.secret_key.get_secret_value().encode()
        app.state.limiters = {name: RateLimit(name, store, per_minute, secret=secret)
                              for name, per_minute in (
                                  ("assessments", settings.rate_assessments_per_minute),
                                  ("logins", settings.rate_logins_per_minute),
                                  ("bookings", settings.rate_bookings_per_minute))}
        try:
            yield
        finally:
            store.dispose()

    app = FastAPI(
        title="Popliteal API",
        version=__version__,
        description="Assessment, triage and care plans for pain at the back of the knee.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI needs a CDN that our CSP refuses; the schema is enough
        redoc_url=None,
        openapi_url="/openapi.json",
        # No OpenTelemetry from FastAPI itself: spans would carry request paths, and a
        # patient's token is in the path. (It also spares every request a provider check.)
        telemetry={"tracing": False, "metrics": False, "logs": False,
                   "operation_spans": False},
    )
    app.state.settings = settings
    install_error_handlers(app)
    include_routes(app)
    from popliteal.web import install_web

    install_web(app)  # the patient pages, the clinician's desk and their static files
    # Added innermost first: CORS (only if configured), body cap, error shield, log, headers.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=True,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"])
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ErrorShieldMiddleware)
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=not settings.is_development)
    return app


def __getattr__(name: str) -> Any:
    """``popliteal.api.app:app`` for ``uvicorn popliteal.api.app:app``, built on first access."""
    if name == "app":
        application = create_app()
        globals()["app"] = application  # built once
        return application
    raise AttributeError(name)
