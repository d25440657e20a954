"""Clinicians: login, expiry, logout, lists, opening one (audited), marking handled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import API
from fastapi.testclient import TestClient

from popliteal.store import Store

CLINICIAN_GETS = [f"{API}/clinician/assessments", f"{API}/clinician/assessments/1",
                  f"{API}/clinician/assessments/1/summary", f"{API}/clinician/bookings",
                  f"{API}/auth/me"]
CLINICIAN_POSTS = [f"{API}/clinician/assessments/1/handled",
                   f"{API}/clinician/bookings/1/handled", f"{API}/auth/logout"]


def test_clinician_endpoints_need_a_valid_token(client: TestClient, run_interview) -> None:
    run_interview(limit=2)
    for headers in ({}, {"Authorization": "Bearer " + "x" * 43}, {"Authorization": "Basic abc"}):
        for url in CLINICIAN_GETS:
            response = client.get(url, headers=headers)
            assert response.status_code == 401, url
            assert response.json()["error"]["code"] == "unauthorized"
            assert response.headers["www-authenticate"] == "Bearer"
        for url in CLINICIAN_POSTS:
            assert client.post(url, headers=headers).status_code == 401, url


def test_no_route_lists_assessments_without_login(client: TestClient) -> None:
    """Every GET route without path parameters is public data or needs a clinician."""
    schema = client.get("/openapi.json").json()
    public = {f"{API}/health", f"{API}/clinics", f"{API}/clinics/nearest"}
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path or path in public:
            continue
        assert client.get(path).status_code == 401, path
    # The patient's routes all need the token in the path.
    patient = [p for p in schema["paths"] if p.startswith(f"{API}/assessments")]
    assert all("{token}" in p for p in patient if p != f"{API}/assessments")
    assert set(schema["paths"][f"{API}/assessments"]) == {"post"}


def test_login_wrong_password_and_unknown_user(client: TestClient, clinician) -> None:
    for username, password in [(clinician[0], "wrong password!"), ("nobody", "whatever123")]:
        response = client.post(f"{API}/auth/login",
                               json={"username": username, "password": password})
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "Wrong username or password."


def test_login_logout_and_bearer(client: TestClient, clinician) -> None:
    response = client.post(f"{API}/auth/login",
                           json={"username": clinician[0], "password": clinician[1]})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 43
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=7) < expires - datetime.now(UTC) <= timedelta(hours=8, minutes=1)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(f"{API}/auth/me", headers=headers).json() == {"username": clinician[0]}
    assert client.post(f"{API}/auth/logout", headers=headers).status_code == 204
    assert client.get(f"{API}/auth/me", headers=headers).status_code == 401


def test_expired_token_is_refused(client: TestClient, store: Store, clinician) -> None:
    user = store.verify_password(*clinician)
    assert user is not None
    old = store.issue_token(user.id, ttl=timedelta(minutes=5),
                            now=datetime.now(UTC) - timedelta(minutes=10))
    response = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {old}"})
    assert response.status_code == 401


def test_cookie_session_needs_csrf_for_unsafe_requests(client: TestClient, clinician,
                                                       run_interview) -> None:
    run_interview(limit=2)
    login = client.post(f"{API}/auth/login",
                        json={"username": clinician[0], "password": clinician[1]}).json()
    assert client.cookies.get("popliteal_session")
    assert client.get(f"{API}/clinician/assessments").status_code == 200  # GET: cookie enough
    refused = client.post(f"{API}/clinician/assessments/1/handled")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    ok = client.post(f"{API}/clinician/assessments/1/handled",
                     headers={"X-CSRF-Token": login["csrf_token"]})
    assert ok.status_code == 200


def test_list_filter_open_and_mark_handled(client: TestClient, auth, run_interview,
                                           store: Store) -> None:
    run_interview()
    token2, _ = run_interview(text="My calf is hot and swollen after a long flight.",
                              age=66, sex="female")
    client.get(f"{API}/assessments/{token2}/result")
    listed = client.get(f"{API}/clinician/assessments", headers=auth)
    assert listed.status_code == 200
    rows = listed.json()
    assert len(rows) == 2 and rows[0]["created_at"] >= rows[1]["created_at"]
    assert all("text" not in row for row in rows)  # the list carries no free text
    level = rows[0]["triage_level"]
    assert level is not None
    only = client.get(f"{API}/clinician/assessments", headers=auth,
                      params={"triage_level": level}).json()
    assert [r["id"] for r in only] == [rows[0]["id"]]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert client.get(f"{API}/clinician/assessments", headers=auth,
                      params={"since": future}).json() == []

    opened = client.get(f"{API}/clinician/assessments/{rows[0]['id']}", headers=auth)
    assert opened.status_code == 200
    detail = opened.json()
    assert detail["text"].startswith("My calf") and detail["answers"]
    assert detail["result"]["triage"]["level"] == level
    summary = client.get(f"{API}/clinician/assessments/{rows[0]['id']}/summary", headers=auth)
    assert summary.status_code == 200 and summary.text.startswith("# Physiotherapy summary")
    no_result = client.get(f"{API}/clinician/assessments/{rows[1]['id']}/summary", headers=auth)
    assert no_result.status_code == 404

    handled = client.post(f"{API}/clinician/assessments/{rows[0]['id']}/handled", headers=auth)
    assert handled.status_code == 200 and handled.json()["handled_by"] == "dr.tan"
    unhandled = client.get(f"{API}/clinician/assessments", headers=auth,
                           params={"handled": "false"}).json()
    assert [r["id"] for r in unhandled] == [rows[1]["id"]]
    undo = client.post(f"{API}/clinician/assessments/{rows[0]['id']}/handled", headers=auth,
                       json={"handled": False})
    assert undo.json()["handled_by"] is None
    missing = client.get(f"{API}/clinician/assessments/999999", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"

    audit = {(e.actor, e.action, e.object_type, e.object_id) for e in store.audit_entries()}
    assert ("clinician:dr.tan", "list", "assessment", None) in audit
    assert ("clinician:dr.tan", "open", "assessment", str(rows[0]["id"])) in audit
    assert ("clinician:dr.tan", "handle", "assessment", str(rows[0]["id"])) in audit
    assert ("clinician:dr.tan", "login", "user", "1") in audit
    assert ("patient-token", "create", "assessment", str(rows[0]["id"])) in audit
    assert ("patient-token", "answer", "assessment", str(rows[0]["id"])) in audit


def test_bookings_list_and_handle(client: TestClient, auth) -> None:
    booking = {"name": "Tan Ah Kow", "phone": "9123 4567", "branch_id": "novena",
               "preferred_times": ["saturday morning"], "consent_to_contact": True}
    assert client.post(f"{API}/bookings", json=booking).status_code == 201
    rows = client.get(f"{API}/clinician/bookings", headers=auth).json()
    assert len(rows) == 1
    assert rows[0]["phone"] == "+6591234567" and rows[0]["handled_at"] is None
    done = client.post(f"{API}/clinician/bookings/{rows[0]['id']}/handled", headers=auth)
    assert done.status_code == 200 and done.json()["handled_by"] == "dr.tan"
    assert client.get(f"{API}/clinician/bookings", headers=auth,
                      params={"handled": "false"}).json() == []
    assert client.post(f"{API}/clinician/bookings/424242/handled",
                       headers=auth).status_code == 404
