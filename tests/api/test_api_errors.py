"""Every error, whoever raised it, comes in one shape: {"error": {"code", "message", "field"?}}."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from api_helpers import API, make_settings
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from popliteal.api import create_app
from popliteal.store import Store
from popliteal.store.models import Answer, Assessment


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"code", "message", "field"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return dict(error)


def count(store: Store, table: type) -> int:
    with store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


START = {"age": 54, "sex": "female", "text": "Pain behind my knee.", "consent": True}


@pytest.mark.parametrize("body, field", [
    ({**START, "age": 121}, "age"),
    ({**START, "age": -1}, "age"),
    ({**START, "age": "old"}, "age"),
    ({**START, "sex": "other"}, "sex"),
    ({**START, "text": "x" * 5001}, "text"),
    ({**START, "extra": 1}, "extra"),
    ({**START, "text": "knee\u0000pain"}, "text"),  # PostgreSQL cannot store NUL
    ({**START, "text": "knee \ud800 pain"}, "text"),  # a lone surrogate is not UTF-8
])
def test_validation_errors_name_the_field(client: TestClient, body: dict[str, Any],
                                          field: str) -> None:
    raw = json.dumps(body)  # ASCII escapes, so a lone surrogate can be sent at all
    response = client.post(f"{API}/assessments", content=raw,
                           headers={"content-type": "application/json"})
    assert error_of(response, 422, "validation_error")["field"] == field


def test_validation_error_does_not_echo_the_input(client: TestClient) -> None:
    secret = "my-very-private-words " * 300
    response = client.post(f"{API}/assessments", json={**START, "text": secret})
    error_of(response, 422, "validation_error")
    assert "private" not in response.text


def test_malformed_json_and_wrong_content(client: TestClient) -> None:
    response = client.post(f"{API}/assessments", content=b"{not json",
                           headers={"content-type": "application/json"})
    error_of(response, 422, "validation_error")
    error_of(client.post(f"{API}/assessments", content=b"age=3"), 422, "validation_error")


def test_consent_false_is_refused_and_nothing_is_stored(client: TestClient, store: Store) -> None:
    error = error_of(client.post(f"{API}/assessments", json={**START, "consent": False}),
                     422, "consent_required")
    assert error["field"] == "consent"
    missing = {k: v for k, v in START.items() if k != "consent"}
    error = error_of(client.post(f"{API}/assessments", json=missing), 422, "consent_required")
    assert error["field"] == "consent"
    assert count(store, Assessment) == 0


def test_unknown_token_and_unknown_route_are_404(client: TestClient) -> None:
    fake = "A" * 43
    for method, path in [("GET", ""), ("GET", "/result"), ("GET", "/summary"), ("DELETE", ""),
                         ("POST", "/back")]:
        error_of(client.request(method, f"{API}/assessments/{fake}{path}"), 404, "not_found")
    error_of(client.post(f"{API}/assessments/{fake}/answers", json={"id": "fever", "answer": "no"}),
             404, "not_found")
    error_of(client.get(f"{API}/no-such-thing"), 404, "not_found")
    error_of(client.get("/nothing/here"), 404, "not_found")
    error_of(client.get(f"{API}/assessments/{'x' * 129}"), 422, "validation_error")


def test_wrong_method_is_405(client: TestClient) -> None:
    error_of(client.put(f"{API}/health"), 405, "method_not_allowed")


def test_bad_answers(client: TestClient, store: Store) -> None:
    started = client.post(f"{API}/assessments", json=START).json()
    token, question = started["token"], started["next_question"]
    url = f"{API}/assessments/{token}/answers"
    error = error_of(client.post(url, json={"id": "no_such_finding", "answer": "yes"}),
                     422, "bad_answer")
    assert error["field"] == "id"
    error = error_of(client.post(url, json={"id": question["id"], "answer": "purple"}),
                     422, "bad_answer")
    assert error["field"] == "answer"
    error_of(client.post(url, json={"id": "Bad Id!", "answer": "yes"}), 422, "validation_error")
    error_of(client.post(url, json={"id": question["id"], "answer": ["a"] * 31}),
             422, "validation_error")
    error_of(client.post(url, json={"id": question["id"], "answer": {"nested": 1}}),
             422, "validation_error")
    assert count(store, Answer) == 0


def test_too_many_answers_is_refused(db_url: str) -> None:
    settings = make_settings(db_url, max_answers_per_assessment=10)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        started = client.post(f"{API}/assessments", json=START).json()
        token, question = started["token"], started["next_question"]
        for answer in ["yes", "no"] * 5:
            ok = client.post(f"{API}/assessments/{token}/answers",
                             json={"id": question["id"], "answer": answer})
            assert ok.status_code == 200
        error_of(client.post(f"{API}/assessments/{token}/answers",
                             json={"id": question["id"], "answer": "yes"}),
                 409, "too_many_answers")


def test_body_too_large_is_413_with_or_without_content_length(client: TestClient,
                                                             store: Store) -> None:
    big = b'{"age": 40, "sex": "male", "consent": true, "text": "' + b"a" * 70_000 + b'"}'
    error_of(client.post(f"{API}/assessments", content=big,
                         headers={"content-type": "application/json"}), 413, "payload_too_large")

    def chunks():  # no Content-Length: streamed (chunked) body
        for start in range(0, len(big), 8192):
            yield big[start:start + 8192]

    error_of(client.post(f"{API}/assessments", content=chunks(),
                         headers={"content-type": "application/json"}), 413, "payload_too_large")
    assert count(store, Assessment) == 0
    # A body just under the cap is read normally.
    ok = client.post(f"{API}/assessments", json={**START, "text": "knee pain. " * 400})
    assert ok.status_code == 201


def test_unexpected_errors_are_500_without_internals(db_url: str,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(make_settings(db_url), warm_up=False)
    words = "_".join(["secret", "patient", "words"])  # the traceback's source lines show code

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError(f"SELECT {words} FROM assessments")

    with TestClient(app, base_url="https://testserver") as client, \
            caplog.at_level(logging.INFO):
        response = client.get("/api/v1/boom")
    error_of(response, 500, "internal_error")
    assert "secret_patient_words" not in response.text
    assert "RuntimeError" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError" in caplog.text  # the type is logged, for the operator ...
    assert "secret_patient_words" not in caplog.text  # ... but not the message
