"""``DirectRoute`` answers every request exactly as FastAPI's own handler would.

The same endpoint (the answer route's signature) is mounted twice, once as a ``DirectRoute``
and once as a plain ``APIRoute``; every generated request (any token, content type and body,
valid answers and junk alike) must get the same status and the same body from both. The
direct handler serves well-formed requests itself and hands the rest to FastAPI, so this
checks both that it accepts what FastAPI accepts, with the same values, and that it never
accepts what FastAPI refuses.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from api_helpers import make_settings
from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from popliteal.api import create_app
from popliteal.api.deps import PatientToken
from popliteal.api.direct import DirectRoute, Plan
from popliteal.api.errors import install_error_handlers
from popliteal.api.schemas import AnswerIn, BackIn


async def echo(token: PatientToken, body: AnswerIn, request: Request) -> Response:
    """What the endpoint was called with, as JSON (types included)."""
    return JSONResponse({"token": token, "body": body.model_dump(mode="json"),
                         "types": [type(body.answer).__name__, request.method]})


def _twin_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)  # the API's error shape, as in the real app
    app.router.add_api_route("/direct/{token}/answers", echo, methods=["POST"],
                             route_class_override=DirectRoute)
    app.router.add_api_route("/plain/{token}/answers", echo, methods=["POST"])
    return app


CLIENT = TestClient(_twin_app())

ANSWERS = st.one_of(st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(), st.text(max_size=120),
                    st.lists(st.text(max_size=20), max_size=35), st.none(),
                    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
WELL_FORMED = st.fixed_dictionaries(
    {"id": st.sampled_from(["calf_swelling", "pain_score", "x", "Bad-id", "a" * 70]),
     "answer": ANSWERS},
    optional={"expected_seq": st.one_of(st.integers(-5, 100_005), st.none(), st.text()),
              "extra": st.integers()})
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
BODIES = st.one_of(
    WELL_FORMED.map(lambda d: json.dumps(d).encode()),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40),
    st.sampled_from([b"", b"{", b'{"id": "calf_swelling", "answer": "yes"',
                     b'{"id": "calf_swelling", "answer": NaN}',
                     b'{"id": "calf_swelling", "answer": "yes", "id": "pain_score"}',
                     '{"id": "calf_swelling", "answer": "\u00e9"}'.encode("latin-1")]))
CONTENT_TYPES = st.sampled_from([
    None, "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
    "application/merge-patch+json", "application/jsonx", "text/json", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])
TOKENS = st.one_of(st.text(alphabet="abcXYZ019-_", min_size=1, max_size=140),
                   st.sampled_from(["A" * 43, "A" * 128, "A" * 129]))


def _post(path: str, body: bytes, content_type: str | None) -> tuple[int, Any]:
    headers = {} if content_type is None else {"content-type": content_type}
    response = CLIENT.post(path, content=body, headers=headers)
    return response.status_code, response.json()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=TOKENS, body=BODIES, content_type=CONTENT_TYPES)
def test_a_direct_route_answers_as_fastapi_does(token: str, body: bytes,
                                                content_type: str | None) -> None:
    direct = _post(f"/direct/{token}/answers", body, content_type)
    plain = _post(f"/plain/{token}/answers", body, content_type)
    assert direct == plain


def test_well_formed_answers_are_served_directly() -> None:
    """The cases the property test relies on do reach the direct path (not only FastAPI's)."""
    plan = Plan.of(echo, {"token"})
    assert plan is not None
    body = json.dumps({"id": "calf_swelling", "answer": "yes", "expected_seq": 3}).encode()
    values = plan.read({"token": "A" * 43}, "application/json", body)
    assert values is not None
    assert values["token"] == "A" * 43
    assert values["body"] == AnswerIn(id="calf_swelling", answer="yes", expected_seq=3)
    assert plan.read({"token": "A" * 129}, "application/json", body) is None  # too long
    assert plan.read({"token": "A" * 43}, "text/plain", body) is None
    assert plan.read({"token": "A" * 43}, None, body) is None  # FastAPI decides
    assert plan.read({"token": "A" * 43}, "application/json", b"{") is None


def test_other_signatures_are_left_to_fastapi() -> None:
    async def optional_body(token: str,
                            body: Annotated[BackIn | None, Body()] = None) -> Response:
        return Response()

    def blocking(token: str, body: AnswerIn) -> Response:
        return Response()

    async def returns_a_model(token: str, body: AnswerIn) -> BaseModel:
        return body

    async def query_parameter(token: str, body: AnswerIn, page: int = 1) -> Response:
        return Response()

    for endpoint in (optional_body, blocking, returns_a_model, query_parameter):
        assert Plan.of(endpoint, {"token"}) is None, endpoint.__name__


def test_the_answer_route_is_served_directly(db_url: str) -> None:
    """The patient's answer route keeps its direct handler (the benchmark's main request)."""
    app = create_app(make_settings(db_url), warm_up=False)
    routes = [r for r in app.router.routes
              if getattr(r, "path", "") == "/api/v1/assessments/{token}/answers"]
    assert len(routes) == 1 and isinstance(routes[0], DirectRoute)
    assert routes[0].plan is not None and routes[0].plan.body_model is AnswerIn


def test_an_endpoint_without_annotations_is_left_to_fastapi() -> None:
    async def untyped(token, body) -> Response:  # type: ignore[no-untyped-def]
        return Response()

    assert Plan.of(untyped, {"token"}) is None


def test_a_route_with_dependencies_is_left_to_fastapi() -> None:
    """A dependency (a login, a rate limit), on the route or its router, is never skipped."""
    calls: list[str] = []

    async def guard() -> None:
        calls.append("guard")

    app = FastAPI()
    app.router.add_api_route("/guarded/{token}/answers", echo, methods=["POST"],
                             dependencies=[Depends(guard)], route_class_override=DirectRoute)
    router = APIRouter(dependencies=[Depends(guard)], route_class=DirectRoute)
    router.add_api_route("/router/{token}/answers", echo, methods=["POST"])
    app.router.routes.extend(router.routes)
    body = json.dumps({"id": "calf_swelling", "answer": "yes"}).encode()
    with TestClient(app) as client:
        for path in ("/guarded/tok/answers", "/router/tok/answers"):
            response = client.post(path, content=body,
                                   headers={"content-type": "application/json"})
            assert response.status_code == 200
    assert calls == ["guard", "guard"]
    assert all(getattr(r, "plan", None) is None for r in app.router.routes
               if isinstance(r, DirectRoute))
