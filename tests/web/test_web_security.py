"""CSRF on every form, cookie flags, headers, nothing from another host, no token in logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from web_helpers import CLINICIAN, GOOD_BOOKING, csrf_of, finish, make_settings, start

from popliteal.api import create_app
from popliteal.store import Store

PATIENT_POSTS = ["/start", "/assessment/answer", "/assessment/back", "/assessment/delete",
                 "/book", "/desk/login"]


@pytest.mark.parametrize("path", PATIENT_POSTS)
def test_forms_without_a_valid_csrf_token_get_a_friendly_403(client: TestClient,
                                                              path: str) -> None:
    start(client)
    good = csrf_of(client.get("/").text)
    for data in ({}, {"csrf_token": "0" * 64}, {"csrf_token": good + "0"}):
        page = client.post(path, data=data, follow_redirects=False)
        assert page.status_code == 403, (path, data)
        assert "This form has expired" in page.text
        assert page.headers["content-type"].startswith("text/html")


def test_a_token_from_another_browser_is_refused(client: TestClient) -> None:
    theirs = csrf_of(client.get("/").text)
    with TestClient(client.app, base_url="https://testserver") as other:
        other.get("/")  # its own browser cookie
        page = other.post("/start", data={"csrf_token": theirs, "age": "30", "sex": "male",
                                          "consent": "yes"})
        assert page.status_code == 403


def test_desk_forms_are_bound_to_the_session(client: TestClient, store: Store,
                                              clinician: tuple[str, str]) -> None:
    token = csrf_of(client.get("/desk/login").text)
    client.post("/desk/login", data={"csrf_token": token, "username": clinician[0],
                                     "password": clinician[1]})
    start(client)
    [row] = store.list_assessments(actor="system")
    browser_token = csrf_of(client.get("/").text)  # valid for patient forms, not the desk's
    refused = client.post(f"/desk/assessments/{row.id}/handled",
                          data={"csrf_token": browser_token})
    assert refused.status_code == 403
    desk_token = csrf_of(client.get("/desk").text)
    done = client.post(f"/desk/assessments/{row.id}/handled",
                       data={"csrf_token": desk_token, "handled": "yes"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert store.list_assessments(actor="system", handled=True)[0].id == row.id


def _cookies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


def test_cookies_are_httponly_samesite_and_secure(client: TestClient,
                                                  clinician: tuple[str, str]) -> None:
    first = client.get("/")
    started = start(client)
    login = client.post("/desk/login", data={"csrf_token": csrf_of(first.text),
                                             "username": clinician[0],
                                             "password": clinician[1]},
                        follow_redirects=False)
    cookies = {**_cookies(first), **_cookies(started), **_cookies(login)}
    assert set(cookies) >= {"popliteal_csrf", "popliteal_assessment", "popliteal_session"}
    for name, header in cookies.items():
        lowered = header.lower()
        assert "httponly" in lowered and "secure" in lowered, name
        assert "samesite=" in lowered, name
    assert "samesite=strict" in cookies["popliteal_session"].lower()


def test_cookies_are_not_secure_in_local_development(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'dev.db'}", env="development")
    with TestClient(create_app(settings)) as dev:
        header = dev.get("/").headers["set-cookie"].lower()
        assert "httponly" in header and "samesite=lax" in header and "secure" not in header


def test_security_headers_on_pages(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"


def _pages(client: TestClient, store: Store) -> dict[str, str]:
    pages = {"start": client.get("/").text}
    start(client)
    pages["question"] = client.get("/assessment/question").text
    finish(client)
    pages["result"] = client.get("/assessment/result").text
    pages["book"] = client.get("/book?postal_code=560123").text
    client.post("/book", data={**GOOD_BOOKING, "csrf_token": csrf_of(pages["book"])})
    pages["thanks"] = client.get("/book/thanks?branch=serangoon").text
    pages["delete"] = client.get("/assessment/delete").text
    store.add_user(*CLINICIAN)
    pages["login"] = client.get("/desk/login").text
    client.post("/desk/login", data={"csrf_token": csrf_of(pages["login"]),
                                     "username": CLINICIAN[0], "password": CLINICIAN[1]})
    pages["desk"] = client.get("/desk").text
    pages["bookings"] = client.get("/desk/bookings").text
    row = store.list_assessments(actor="system")[0]
    pages["assessment"] = client.get(f"/desk/assessments/{row.id}").text
    return pages


def test_nothing_is_loaded_from_another_host(client: TestClient, store: Store) -> None:
    pages = _pages(client, store)
    for name, html in pages.items():
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html), name  # no inline JS
        assert not re.search(r"\son[a-z]+=", html), name  # no inline event handlers
        assert not re.search(r"\sstyle=", html), name  # CSP: no inline styles either
        assert "<link" not in html.replace('<link rel="stylesheet" href="/static/', ""), name
        for url in re.findall(r"https?://[^\s\"'<>]+", html):
            assert urlsplit(url).hostname == "testserver", (name, url)  # only the resume link
        assert not re.search(r"""(src|href|action)=["']//""", html), name
    css = client.get("/static/style.css").text
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    js = client.get("/static/app.js").text
    assert "http" not in js and "fetch(" not in js and "XMLHttpRequest" not in js


def test_tokens_and_words_stay_out_of_the_log(client: TestClient, store: Store,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    pages = _pages(client, store)
    token = re.search(r"/resume/([A-Za-z0-9_-]+)", pages["result"])
    assert token
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert token.group(1) not in logged
    assert "football" not in logged and "Tan Ah Kow" not in logged


def test_login_is_rate_limited(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'rl.db'}", rate_logins_per_minute=2)
    with TestClient(create_app(settings), base_url="https://testserver") as limited:
        token = csrf_of(limited.get("/desk/login").text)
        codes = [limited.post("/desk/login", data={"csrf_token": token, "username": "x",
                                                   "password": "y"}).status_code
                 for _ in range(3)]
        assert codes == [401, 401, 429]


def test_booking_form_is_rate_limited(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'rl.db'}", rate_bookings_per_minute=2)
    with TestClient(create_app(settings, warm_up=False), base_url="https://testserver") as c:
        token = csrf_of(c.get("/book").text)
        codes = [c.post("/book", data={**GOOD_BOOKING, "csrf_token": token},
                        follow_redirects=False).status_code for _ in range(3)]
        assert codes[:2] == [303, 303] and codes[2] == 429
    store = Store.from_url(settings.store.database_url)
    try:
        assert len(store.list_bookings()) == 2
    finally:
        store.dispose()
