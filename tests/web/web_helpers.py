"""Helpers for the page tests: settings, reading forms out of HTML, a patient's whole visit."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from popliteal.api import ApiSettings
from popliteal.store import StoreSettings

PATIENT_TEXT = "Sharp pain behind my left knee since a football tackle on Saturday, it locks."
EMERGENCY_TEXT = "My left leg suddenly went cold and pale an hour ago and my foot is numb"
CLINICIAN = ("dr.tan", "correct horse battery staple")
GOOD_BOOKING = {"branch_id": "serangoon", "name": "Tan Ah Kow", "phone": "9123 4567",
                "day1": "saturday", "part1": "morning", "consent": "yes", "share": "yes"}


def make_settings(db_url: str, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {"env": "test", "store": StoreSettings(database_url=db_url),
                              "rate_assessments_per_minute": 1000,
                              "rate_logins_per_minute": 1000,
                              "rate_bookings_per_minute": 1000}
    values.update(overrides)
    return ApiSettings(**values)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def start(client: TestClient, text: str = PATIENT_TEXT, age: str = "34",
          sex: str = "male") -> Any:
    token = csrf_of(client.get("/").text)
    return client.post("/start", data={"csrf_token": token, "age": age, "sex": sex,
                                       "text": text, "consent": "yes"},
                       follow_redirects=False)


def answer_form(html: str) -> dict[str, Any]:
    """A valid answer to the question on ``html`` (the second option, so not always yes)."""
    data: dict[str, Any] = {"csrf_token": csrf_of(html), "question": hidden(html, "question"),
                            "seq": hidden(html, "seq")}
    values = re.findall(r'<button type="submit" name="answer" value="([^"]+)"', html)
    if values:
        data["answer"] = values[min(1, len(values) - 1)]
    else:
        data["dont_know"] = "1"
    return data


def finish(client: TestClient, limit: int = 40) -> int:
    """Answer until the pages show the result; returns the number of answers given."""
    for n in range(limit):
        page = client.get("/assessment/question", follow_redirects=False)
        if page.status_code == 303:
            assert page.headers["location"].endswith("/assessment/result")
            return n
        assert page.status_code == 200, page.text
        sent = client.post("/assessment/answer", data=answer_form(page.text),
                           follow_redirects=False)
        assert sent.status_code == 303, sent.text
    raise AssertionError("the interview did not finish")
