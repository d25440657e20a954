"""API fixtures: an app and a client per database (SQLite and PostgreSQL), a clinician, and a
helper that runs a patient's whole interview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_helpers import API, CLINICIAN, PATIENT_TEXT, make_settings, pick_answer
from fastapi.testclient import TestClient

# The fixtures "client" and "store", shared with tests/web: pytest registers them here.
from app_fixtures import app_client, app_store  # noqa: F401
from popliteal.api import ApiSettings
from popliteal.store import Store


@pytest.fixture
def settings(db_url: str) -> ApiSettings:
    return make_settings(db_url)


@pytest.fixture
def clinician(store: Store) -> tuple[str, str]:
    store.add_user(*CLINICIAN)
    return CLINICIAN


@pytest.fixture
def auth(client: TestClient, clinician: tuple[str, str]) -> dict[str, str]:
    """Bearer headers of a logged-in clinician."""
    response = client.post(f"{API}/auth/login",
                           json={"username": clinician[0], "password": clinician[1]})
    assert response.status_code == 200, response.text
    client.cookies.clear()  # tests choose bearer or cookie explicitly
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


Interview = Callable[..., tuple[str, list[dict[str, Any]]]]


@pytest.fixture
def run_interview(client: TestClient) -> Interview:
    """Start with consent and answer until finished; returns (token, responses of answers)."""

    def run(text: str = PATIENT_TEXT, age: int = 34, sex: str = "male",
            limit: int = 40) -> tuple[str, list[dict[str, Any]]]:
        started = client.post(f"{API}/assessments",
                              json={"age": age, "sex": sex, "text": text, "consent": True})
        assert started.status_code == 201, started.text
        token = started.json()["token"]
        question = started.json()["next_question"]
        answered: list[dict[str, Any]] = []
        while question is not None and len(answered) < limit:
            response = client.post(f"{API}/assessments/{token}/answers",
                                   json={"id": question["id"], "answer": pick_answer(question)})
            assert response.status_code == 200, response.text
            answered.append(response.json())
            question = response.json()["next_question"]
        return token, answered

    return run
