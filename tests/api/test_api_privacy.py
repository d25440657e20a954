"""PDPA: no free text or token in logs, an audit trail, purge after retention."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import API
from fastapi.testclient import TestClient

from popliteal.interview import Interview
from popliteal.store import Store

PRIVATE_TEXT = "Zorblax pain behind my knee since I fell at Mdm Lim's flat in Bedok."


def test_logs_hold_neither_the_text_nor_the_token(client: TestClient, run_interview, auth,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token, _ = run_interview(text=PRIVATE_TEXT)
    client.get(f"{API}/assessments/{token}")
    client.get(f"{API}/assessments/{token}/result")
    client.get(f"{API}/assessments/{token}/summary")
    client.post(f"{API}/bookings", json={
        "name": "Lim Bee Hoon", "phone": "+65 9876 5432", "branch_id": "tampines",
        "preferred_times": ["any evening"], "consent_to_contact": True,
        "notes": "Zorblax notes", "assessment_id": token})
    client.get(f"{API}/clinician/assessments/1", headers=auth)
    client.post(f"{API}/assessments/{token}/answers", json={"id": "Zorblax", "answer": "x"})
    client.delete(f"{API}/assessments/{token}")
    # httpx logs the URLs *the test client* requested; it is not part of the server.
    logged = "\n".join(caplog.handler.format(r) for r in caplog.records if r.name != "httpx")
    assert "popliteal.api" in logged  # the request log is on, so this test can fail
    assert "POST /api/v1/assessments/{token}/answers 200" in logged
    for secret in (token, "Zorblax", "Bedok", "Lim Bee Hoon", "98765432", "Mdm Lim"):
        assert secret not in logged, secret
    api_records = [r for r in caplog.records if r.name.startswith("popliteal")]
    assert api_records and all(token not in r.getMessage() for r in api_records)


def test_every_patient_access_is_audited_without_the_token(client: TestClient, run_interview,
                                                           store: Store) -> None:
    token, answered = run_interview(limit=2)
    client.get(f"{API}/assessments/{token}")
    client.get(f"{API}/assessments/{token}/result")
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None
    client.delete(f"{API}/assessments/{token}")
    entries = [e for e in store.audit_entries() if e.object_id == str(record.id)]
    actions = [e.action for e in reversed(entries)]
    assert actions[0] == "create" and actions[-1] == "delete"
    assert actions.count("answer") == len(answered) and "open" in actions
    assert all(e.actor == "patient-token" for e in entries)
    for entry in store.audit_entries():
        assert token not in repr(entry)


def test_each_showing_of_a_result_is_audited_once(client: TestClient, run_interview,
                                                 store: Store) -> None:
    """The result is audited as it is shown (with its cache, in one write): once per
    request, whether it was computed now or read from the cache."""
    token, _ = run_interview(limit=2)
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None

    def opens() -> int:
        return sum(1 for e in store.audit_entries()
                   if e.action == "open" and e.object_id == str(record.id))

    before = opens()
    for path in ("result", "result", "summary"):  # computed, then cached twice
        assert client.get(f"{API}/assessments/{token}/{path}").status_code == 200
    assert opens() == before + 3


def test_a_result_that_fails_still_audits_the_opening(
        client: TestClient, run_interview, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    token, _ = run_interview(limit=2)
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None

    def broken(self: Interview) -> None:
        raise RuntimeError("no result today")

    monkeypatch.setattr(Interview, "result", broken)
    assert client.get(f"{API}/assessments/{token}/result").status_code == 500
    opens = [e for e in store.audit_entries()
             if e.action == "open" and e.object_id == str(record.id)]
    assert len(opens) == 1


def test_purge_deletes_what_is_past_retention(client: TestClient, run_interview,
                                              store: Store) -> None:
    old_token, _ = run_interview(limit=2)
    new_token, _ = run_interview(limit=1)
    record = store.get_assessment_by_token(old_token, record_access=False)
    assert record is not None
    with store.transaction() as session:  # age the first assessment past its retention
        from popliteal.store.models import Assessment

        row = session.get(Assessment, record.id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert client.get(f"{API}/assessments/{old_token}").status_code == 404  # gone at once
    counts = store.purge_expired()
    assert counts.assessments == 1 and counts.answers == 2
    assert store.list_answers(record.id) == []
    assert client.get(f"{API}/assessments/{new_token}").status_code == 200
