"""The patient's routes do their work on the event loop, not in worker threads.

Why a test: handing this CPU-bound work to worker threads made them and the event loop fight
for the GIL (about 16 thread switches a request, nearly twice the CPU per request under
concurrent patients; see the docstring of ``popliteal.api.routes.assessments``). Nothing
functional would break if a route went back to ``run_in_threadpool``, so this guards the
choice: every interview function a patient's request calls must find a running event loop
in its own thread (in a worker thread there is none).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from api_helpers import API, PATIENT_TEXT, pick_answer
from fastapi.testclient import TestClient

from popliteal.api import interviews

PATIENT_WORK = ("start", "state", "answer", "back", "load", "result_json", "result", "delete")


def test_patient_routes_work_on_the_event_loop(client: TestClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool]] = []

    def on_loop(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                asyncio.get_running_loop()
                calls.append((name, True))
            except RuntimeError:
                calls.append((name, False))
            return function(*args, **kwargs)
        return wrapper

    for name in PATIENT_WORK:
        monkeypatch.setattr(interviews, name, on_loop(name, getattr(interviews, name)))
    started = client.post(f"{API}/assessments",
                          json={"age": 50, "sex": "female", "text": PATIENT_TEXT, "consent": True})
    assert started.status_code == 201, started.text
    token, question = started.json()["token"], started.json()["next_question"]
    answered = client.post(f"{API}/assessments/{token}/answers",
                           json={"id": question["id"], "answer": pick_answer(question)})
    assert answered.status_code == 200, answered.text
    for method, path in [("POST", "back"), ("GET", ""), ("GET", "result"), ("GET", "summary"),
                         ("DELETE", "")]:
        url = f"{API}/assessments/{token}" + (f"/{path}" if path else "")
        response = client.request(method, url)
        assert response.status_code < 300, (method, url, response.text)
    called = {name for name, _ in calls}
    assert {"start", "answer", "back", "state", "load", "result_json", "delete"} <= called
    assert [name for name, on in calls if not on] == []


def test_every_route_is_the_apps_own_not_an_included_routers(client: TestClient) -> None:
    """The app's router holds the routes themselves (``include_routes``): an included router
    is matched twice per request after walking every route to check its cache, which cost
    12 % of the app's instructions. Nothing functional would break if a router were included
    again, so this guards the choice. Every route still answers at its full path."""
    from fastapi.routing import APIRoute
    from starlette.routing import Mount, Route

    app = client.app
    routes = app.router.routes  # type: ignore[attr-defined]
    assert routes and all(isinstance(r, APIRoute | Route | Mount) for r in routes), [
        type(r).__name__ for r in routes if not isinstance(r, APIRoute | Route | Mount)]
    paths = {r.path for r in routes if isinstance(r, APIRoute)}
    assert {f"{API}/health", f"{API}/assessments/{{token}}/answers", "/start",
            "/desk/login"} <= paths
    assert client.get(f"{API}/health").status_code == 200
    assert client.get("/").status_code == 200
    assert client.post(f"{API}/health").status_code == 405  # a path known by another method
