"""Clinics, the nearest branch, and booking requests through the API."""

from __future__ import annotations

import json

from api_helpers import API
from fastapi.testclient import TestClient

from popliteal.store import Store

BOOKING = {"name": "Tan Ah Kow", "phone": "9123 4567", "branch_id": "serangoon",
           "preferred_times": ["saturday morning", {"day": "any", "part_of_day": "evening"}],
           "consent_to_contact": True}


def test_clinics_and_nearest(client: TestClient) -> None:
    branches = client.get(f"{API}/clinics").json()
    assert [b["id"] for b in branches] == ["novena", "serangoon", "tampines"]
    assert all({"name", "address", "postal_code", "phone"} <= set(b) for b in branches)
    near = client.get(f"{API}/clinics/nearest", params={"postal_code": "560123"})
    assert near.status_code == 200
    body = near.json()
    assert body["nearest"]["id"] == body["branches"][0]["id"] == "serangoon"
    distances = [b["distance_km"] for b in body["branches"]]
    assert distances == sorted(distances)


def test_impossible_postal_code_is_400_with_the_reason(client: TestClient) -> None:
    for code in ("999999", "12345", "abcdef", "000000"):
        response = client.get(f"{API}/clinics/nearest", params={"postal_code": code})
        assert response.status_code == 400, code
        error = response.json()["error"]
        assert error["code"] == "invalid_postal_code" and error["field"] == "postal_code"
        assert "postal code" in error["message"]
    assert client.get(f"{API}/clinics/nearest").status_code == 422


def test_booking_request_is_validated_and_stored(client: TestClient, store: Store) -> None:
    response = client.post(f"{API}/bookings", json=BOOKING)
    assert response.status_code == 201
    assert response.json() == {"status": "received", "branch_id": "serangoon",
                               "preferred_times": ["saturday morning", "any evening"],
                               "linked_to_assessment": False}
    [stored] = store.list_bookings()
    assert stored.phone == "+6591234567" and stored.assessment_id is None


def test_booking_linked_to_own_assessment_by_token(client: TestClient, run_interview,
                                                   store: Store) -> None:
    token, _ = run_interview(limit=1)
    response = client.post(f"{API}/bookings", json={**BOOKING, "assessment_id": token})
    assert response.status_code == 201 and response.json()["linked_to_assessment"] is True
    record = store.get_assessment_by_token(token, record_access=False)
    assert record is not None and store.list_bookings()[0].assessment_id == record.id
    unknown = client.post(f"{API}/bookings", json={**BOOKING, "assessment_id": "1"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "assessment_id"


def test_booking_errors(client: TestClient, store: Store) -> None:
    cases = [({**BOOKING, "phone": "12345"}, "phone", "validation_error"),
             ({**BOOKING, "branch_id": "orchard"}, "branch_id", "validation_error"),
             ({**BOOKING, "preferred_times": []}, "preferred_times", "validation_error"),
             ({**BOOKING, "name": "x" * 101}, "name", "validation_error"),
             ({**BOOKING, "name": "Tan \ud800"}, "name", "validation_error"),
             ({**BOOKING, "notes": "a\u0000b"}, "notes", "validation_error"),
             ({**BOOKING, "consent_to_contact": False}, "consent_to_contact", "consent_required")]
    for body, field, code in cases:
        response = client.post(f"{API}/bookings", content=json.dumps(body),
                               headers={"content-type": "application/json"})
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["code"] == code and error["field"] == field, error
    assert store.list_bookings() == []
