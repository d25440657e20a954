"""Booking requests: what the clinic can act on, refused with a clear reason otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from popliteal.clinics import BookingRequest

GOOD: dict[str, Any] = {
    "name": "  Tan Mei Ling ",
    "phone": "+65 9123 4567",
    "branch_id": "serangoon",
    "preferred_times": [{"day": "saturday", "part_of_day": "morning"}, "any evening"],
    "consent_to_contact": True,
}


def make(**changes: Any) -> BookingRequest:
    return BookingRequest(**{**GOOD, **changes})


def error_text(**changes: Any) -> str:
    with pytest.raises(ValidationError) as info:
        make(**changes)
    return str(info.value)


def test_good_request_is_normalised() -> None:
    req = make()
    assert req.name == "Tan Mei Ling"
    assert req.phone == "+6591234567"
    assert [str(t) for t in req.preferred_times] == ["saturday morning", "any evening"]
    assert req.assessment_id is None and req.notes is None


@pytest.mark.parametrize(
    "phone",
    [
        "+65 9123 4567",
        "91234567",
        "9123 4567",
        "9123-4567",
        "+65-9123-4567",
        "6591234567",
        "65 9123 4567",
        "+6561234567",
        "6123 4567",
        "3158 1234",
        "8800 1830",
    ],
)
def test_singapore_phones_accepted(phone: str) -> None:
    assert make(phone=phone).phone.startswith("+65")
    assert len(make(phone=phone).phone) == 11


def test_local_number_starting_65_is_not_mistaken_for_country_code() -> None:
    assert make(phone="6512 3456").phone == "+6565123456"


@pytest.mark.parametrize(
    ("phone", "why"),
    [
        ("12345678", "start with 3, 6, 8 or 9"),
        ("+1 555 123 4567", "Only Singapore numbers"),
        ("9123456", "7 digits"),
        ("912345678", "9 digits"),
        ("+65 1234 5678", "start with 3, 6, 8 or 9"),
        ("9123 4567 ext 2", "Use only digits"),
        ("(+65) 9123 4567", "Use only digits"),
        ("", "Use only digits"),
    ],
)
def test_bad_phones_refused_with_reason(phone: str, why: str) -> None:
    assert why in error_text(phone=phone)


def test_consent_false_refused() -> None:
    assert "agree that the clinic may contact you" in error_text(consent_to_contact=False)


def test_consent_missing_refused() -> None:
    data = {k: v for k, v in GOOD.items() if k != "consent_to_contact"}
    with pytest.raises(ValidationError):
        BookingRequest(**data)


def test_name_rules() -> None:
    assert make(name="x" * 100).name == "x" * 100
    assert "at most 100" in error_text(name="x" * 101)
    assert "at least 1" in error_text(name="   ")
    assert "control characters" in error_text(name="Tan\nMei")
    assert "control characters" in error_text(name="Tan\x00")
    assert "control characters" in error_text(name="abc\u202edef")  # bidi override
    assert make(name="Siti binte Ahmad").name == "Siti binte Ahmad"


def test_unknown_branch_refused_with_choices() -> None:
    text = error_text(branch_id="orchard")
    assert "novena" in text and "tampines" in text


def test_preferred_times_rules() -> None:
    assert "at least 1" in error_text(preferred_times=[])
    six = [
        f"{d} morning" for d in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    ]
    assert "at most 5" in error_text(preferred_times=six)
    assert "listed once" in error_text(preferred_times=["monday morning", "Monday  morning"])
    assert "day and a part of the day" in error_text(preferred_times=["whenever"])
    error_text(preferred_times=["funday morning"])
    error_text(preferred_times=[{"day": "monday", "part_of_day": "night"}])


def test_notes_and_assessment_id() -> None:
    req = make(notes="Knee worse on stairs.\nPrefer female physio.", assessment_id=" abc-123 ")
    assert req.assessment_id == "abc-123"
    assert req.notes is not None and "\n" in req.notes
    assert make(notes="   ").notes is None
    assert "at most 500" in error_text(notes="x" * 501)
    assert "spaces" in error_text(assessment_id="abc 123")


def test_unknown_fields_refused() -> None:
    with pytest.raises(ValidationError):
        make(email="a@b.sg")
