"""A patient's whole assessment through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import re

from api_helpers import API, PATIENT_TEXT, pick_answer
from fastapi.testclient import TestClient

from popliteal.assessment import assess
from popliteal.store import Store

TRIAGE_LEVELS = {"emergency_now", "urgent_same_day", "doctor_soon", "physio", "self_care"}


def test_whole_assessment_start_answer_result_summary(client: TestClient, run_interview,
                                                      store: Store) -> None:
    token, answered = run_interview()
    assert answered, "the interview asked no question"
    assert [a["seq"] for a in answered] == list(range(1, len(answered) + 1))
    assert answered[-1]["status"] == "finished" and answered[-1]["next_question"] is None

    state = client.get(f"{API}/assessments/{token}").json()
    assert state["status"] == "finished"
    assert state["questions_asked"] == len(answered)
    assert len(state["answers"]) == len(answered)

    result = client.get(f"{API}/assessments/{token}/result")
    assert result.status_code == 200
    data = result.json()
    assert data["finished"] is True and data["questions_asked"] == len(answered)
    assert len(data["conditions"]) >= 5
    probs = [c["probability"] for c in data["conditions"]]
    assert probs == sorted(probs, reverse=True) and math.isclose(sum(probs), 1, abs_tol=0.01)
    assert data["triage"]["level"] in TRIAGE_LEVELS and data["triage"]["reasons"]
    assert any(c["reasons_for"] for c in data["conditions"][:3])
    assert data["care_plan"] is not None

    # The API's result is the pipeline's result for the same inputs.
    answers = {a["id"]: a["answer"] for a in state["answers"]}
    direct = assess(34, "male", text=PATIENT_TEXT, answers=answers).model_dump(mode="json")
    assert [c["id"] for c in data["conditions"]] == [c["id"] for c in direct["conditions"]]
    assert data["triage"]["level"] == direct["triage"]["level"]

    # The result is stored for clinicians, with its triage level filterable.
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None and record.triage_level == data["triage"]["level"]

    summary = client.get(f"{API}/assessments/{token}/summary")
    assert summary.status_code == 200
    assert summary.headers["content-type"].startswith("text/markdown")
    assert summary.text.startswith("# Physiotherapy summary: 34-year-old male")


def test_start_returns_a_first_question_and_a_long_random_token(client: TestClient) -> None:
    tokens = set()
    for _ in range(3):
        response = client.post(f"{API}/assessments", json={
            "age": 60, "sex": "female", "text": "My calf is swollen and red.", "consent": True})
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "in_progress" and body["next_question"]["id"]
        assert body["next_question"]["options"]
        token = body["token"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)  # >= 256 bits, url-safe
        tokens.add(token)
    assert len(tokens) == 3


def test_text_is_optional(client: TestClient) -> None:
    response = client.post(f"{API}/assessments", json={"age": 40, "sex": "male", "consent": True})
    assert response.status_code == 201
    assert response.json()["next_question"] is not None


def test_change_an_earlier_answer_and_go_back(client: TestClient) -> None:
    started = client.post(f"{API}/assessments",
                          json={"age": 54, "sex": "female", "text": "", "consent": True}).json()
    token, first = started["token"], started["next_question"]
    one = client.post(f"{API}/assessments/{token}/answers",
                      json={"id": first["id"], "answer": "yes"}).json()
    second = one["next_question"]
    two = client.post(f"{API}/assessments/{token}/answers",
                      json={"id": second["id"], "answer": pick_answer(second)}).json()
    assert two["seq"] == 2 and two["questions_asked"] == 2

    # Change the first answer: the same endpoint with the earlier id.
    changed = client.post(f"{API}/assessments/{token}/answers",
                          json={"id": first["id"], "answer": "no"}).json()
    assert changed["seq"] == 3 and changed["questions_asked"] == 2
    answers = {a["id"]: a["answer"] for a in changed["answers"]}
    assert answers[first["id"]] is False

    # Back undoes the last effective answer (the changed one) and asks again.
    back = client.post(f"{API}/assessments/{token}/back")
    assert back.status_code == 200
    assert [a["id"] for a in back.json()["answers"]] == [second["id"]]
    state = client.get(f"{API}/assessments/{token}").json()
    assert [a["id"] for a in state["answers"]] == [second["id"]]


def test_back_with_nothing_to_undo_is_a_conflict(client: TestClient) -> None:
    token = client.post(f"{API}/assessments",
                        json={"age": 30, "sex": "male", "consent": True}).json()["token"]
    response = client.post(f"{API}/assessments/{token}/back")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "nothing_to_undo"


def test_expected_seq_refuses_a_duplicate_retry(client: TestClient) -> None:
    started = client.post(f"{API}/assessments",
                          json={"age": 30, "sex": "male", "consent": True}).json()
    token, q = started["token"], started["next_question"]
    body = {"id": q["id"], "answer": pick_answer(q), "expected_seq": 1}
    assert client.post(f"{API}/assessments/{token}/answers", json=body).status_code == 200
    retry = client.post(f"{API}/assessments/{token}/answers", json=body)
    assert retry.status_code == 409
    assert retry.json()["error"]["code"] == "conflict"
    assert client.get(f"{API}/assessments/{token}").json()["questions_asked"] == 1


def test_result_before_the_end_is_the_result_so_far(client: TestClient) -> None:
    token = client.post(f"{API}/assessments", json={
        "age": 70, "sex": "female", "text": "Swollen calf after a long flight.",
        "consent": True}).json()["token"]
    data = client.get(f"{API}/assessments/{token}/result").json()
    assert data["finished"] is False and data["questions_asked"] == 0
    assert len(data["conditions"]) >= 5


def test_result_is_recomputed_after_a_new_answer(client: TestClient) -> None:
    started = client.post(f"{API}/assessments",
                          json={"age": 30, "sex": "male", "consent": True}).json()
    token, q = started["token"], started["next_question"]
    before = client.get(f"{API}/assessments/{token}/result").json()
    client.post(f"{API}/assessments/{token}/answers", json={"id": q["id"], "answer": "yes"})
    after = client.get(f"{API}/assessments/{token}/result").json()
    assert after["questions_asked"] == before["questions_asked"] + 1
    assert any(f["id"] == q["id"] and f["source"] == "answer" for f in after["findings"])


def test_delete_own_assessment(client: TestClient, run_interview, store: Store) -> None:
    token, _ = run_interview(limit=3)
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None and store.list_answers(record.id)
    response = client.delete(f"{API}/assessments/{token}")
    assert response.status_code == 204 and response.content == b""
    assert store.get_assessment_by_token(token, record_access=False) is None
    assert store.list_answers(record.id) == []
    for path in ("", "/result", "/summary"):
        gone = client.get(f"{API}/assessments/{token}{path}")
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert client.delete(f"{API}/assessments/{token}").status_code == 404
