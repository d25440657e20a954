"""Helpers shared by the API tests (plain functions and constants; fixtures are in conftest)."""

from __future__ import annotations

from typing import Any

from popliteal.api import ApiSettings
from popliteal.api.local_server import LocalServer
from popliteal.store import StoreSettings

API = "/api/v1"
PATIENT_TEXT = "Sharp pain behind my left knee since a football tackle on Saturday, it locks."
CLINICIAN = ("dr.tan", "correct horse battery staple")


def make_settings(db_url: str, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "env": "test",
        "store": StoreSettings(database_url=db_url),
        "rate_assessments_per_minute": 1000,
        "rate_logins_per_minute": 1000,
        "rate_bookings_per_minute": 1000,
    }
    values.update(overrides)
    return ApiSettings(**values)


def pick_answer(question: dict[str, Any]) -> Any:
    """A valid answer for any question kind (the second option, so not always 'yes')."""
    if question["kind"] == "number":
        return "unknown"
    if question["kind"] == "multi":
        return [question["options"][0]]
    return question["options"][min(1, len(question["options"]) - 1)]


# ---------------------------------------------------------------------------- real servers

Server = LocalServer  # ``popliteal serve`` in a subprocess (shared with the benchmarks)
