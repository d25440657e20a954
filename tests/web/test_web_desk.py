"""The clinician's desk: closed when logged out; lists, filters, the summary, handled."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import GOOD_BOOKING, csrf_of, finish, start

from popliteal.store import Store

DESK_PAGES = ["/desk", "/desk/bookings", "/desk/assessments/1"]


def _login(client: TestClient, clinician: tuple[str, str]) -> None:
    token = csrf_of(client.get("/desk/login").text)
    done = client.post("/desk/login", data={"csrf_token": token, "username": clinician[0],
                                            "password": clinician[1]}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/desk"


def _patient_books(client: TestClient, text: str | None = None) -> None:
    start(client, text=text) if text else start(client)
    finish(client)
    assert client.get("/assessment/result").status_code == 200  # stores the result
    book = client.get("/book?postal_code=560123")
    client.post("/book", data={**GOOD_BOOKING, "csrf_token": csrf_of(book.text)})


@pytest.mark.parametrize("path", DESK_PAGES)
def test_desk_is_closed_to_strangers(client: TestClient, path: str) -> None:
    _patient_books(client)
    page = client.get(path, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/desk/login"
    assert "Tan Ah Kow" not in page.text and "9123" not in page.text
    login = client.get(path)
    assert "Clinician login" in login.text and "Tan Ah Kow" not in login.text


def test_stranger_cannot_mark_handled_or_use_a_forged_cookie(client: TestClient,
                                                             store: Store) -> None:
    _patient_books(client)
    token = csrf_of(client.get("/").text)
    for path in ("/desk/assessments/1/handled", "/desk/bookings/1/handled", "/desk/logout"):
        done = client.post(path, data={"csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/desk/login"
    client.cookies.set("popliteal_session", "forged-token-value", domain="testserver")
    assert client.get("/desk", follow_redirects=False).status_code == 303
    assert store.list_bookings(handled=True) == []
    assert store.list_assessments(actor="system", handled=True) == []


def test_clinician_sees_the_booking_and_the_summary(client: TestClient, store: Store,
                                                    clinician: tuple[str, str]) -> None:
    _patient_books(client, text="Pain behind my knee <script>alert(1)</script> | *bold*")
    _login(client, clinician)
    bookings = client.get("/desk/bookings").text
    assert "Tan Ah Kow" in bookings and 'href="tel:+6591234567"' in bookings
    assert "saturday morning" in bookings
    listing = client.get("/desk").text
    [row] = store.list_assessments(actor="system")
    assert f"/desk/assessments/{row.id}" in listing
    page = client.get(f"/desk/assessments/{row.id}").text
    assert "<table>" in page and "Physiotherapy summary" in page  # Markdown rendered
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_of_an_unfinished_assessment(client: TestClient, store: Store,
                                             clinician: tuple[str, str]) -> None:
    start(client)
    _login(client, clinician)
    [row] = store.list_assessments(actor="system")
    page = client.get(f"/desk/assessments/{row.id}").text
    assert "answers so far" in page and "<table>" in page


def test_filters_and_mark_handled(client: TestClient, store: Store,
                                  clinician: tuple[str, str]) -> None:
    _patient_books(client)
    _login(client, clinician)
    [row] = store.list_assessments(actor="system")
    level = row.triage_level
    assert level is not None
    assert f"Assessment {row.id}" in client.get(f"/desk?level={level}").text
    other = "emergency_now" if level != "emergency_now" else "self_care"
    assert f"Assessment {row.id}" not in client.get(f"/desk?level={other}").text
    token = csrf_of(client.get("/desk").text)
    client.post(f"/desk/assessments/{row.id}/handled", data={"csrf_token": token,
                                                             "handled": "yes"})
    assert f"Assessment {row.id}" not in client.get("/desk?handled=no").text
    assert f"Assessment {row.id}" in client.get("/desk?handled=yes").text
    [booking] = store.list_bookings()
    client.post(f"/desk/bookings/{booking.id}/handled", data={"csrf_token": token,
                                                              "handled": "yes"})
    assert "Tan Ah Kow" not in client.get("/desk/bookings?handled=no").text
    assert "Tan Ah Kow" in client.get("/desk/bookings?handled=yes&branch=serangoon").text
    assert "Tan Ah Kow" not in client.get("/desk/bookings?branch=novena").text
    assert client.get("/desk/assessments/99999").status_code == 404


def test_wrong_password_and_logout(client: TestClient, clinician: tuple[str, str]) -> None:
    token = csrf_of(client.get("/desk/login").text)
    wrong = client.post("/desk/login", data={"csrf_token": token, "username": clinician[0],
                                             "password": "nope"})
    assert wrong.status_code == 401 and "Wrong username or password." in wrong.text
    assert f'value="{clinician[0]}"' in wrong.text
    _login(client, clinician)
    session = client.cookies.get("popliteal_session")
    assert session
    out = client.post("/desk/logout", data={"csrf_token": csrf_of(client.get("/desk").text)},
                      follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("popliteal_session", session, domain="testserver")  # replay the old one
    assert client.get("/desk", follow_redirects=False).status_code == 303
