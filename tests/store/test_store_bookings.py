"""Booking requests: consent to be contacted, stored fields, clinicians' list."""

from __future__ import annotations

from typing import Any

import pytest

from popliteal.store import ConsentRequired, InvalidInput, NotFound, Store

BOOKING: dict[str, Any] = dict(
    name="Tan Mei Ling",
    phone="+65 9123 4567",
    branch_id="novena",
    preferred_times=["Mon morning", "Tue evening"],
)


def test_booking_is_stored_with_its_assessment(store: Store) -> None:
    assessment, _ = store.create_assessment(consent=True, age=54, sex="female", text="", state={})
    booking = store.create_booking(
        **BOOKING, consent_to_contact=True, assessment_id=assessment.id, notes="  after 5pm "
    )
    assert booking.assessment_id == assessment.id
    assert booking.preferred_times == ["Mon morning", "Tue evening"]
    assert booking.notes == "after 5pm"
    assert booking.consent_to_contact_at == booking.created_at
    assert "Tan Mei Ling" not in repr(booking) and "9123" not in repr(booking)
    [listed] = store.list_bookings()
    assert listed == booking


@pytest.mark.parametrize("consent", [False, None, "yes"])
def test_consent_to_contact_is_required(store: Store, consent: object) -> None:
    with pytest.raises(ConsentRequired):
        store.create_booking(**BOOKING, consent_to_contact=consent)  # type: ignore[arg-type]
    assert store.list_bookings() == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "  "},
        {"name": "x" * 201},
        {"phone": ""},
        {"branch_id": ""},
        {"preferred_times": "Mon morning"},
        {"preferred_times": ["x"] * 11},
        {"preferred_times": [""]},
        {"notes": "x" * 2001},
    ],
)
def test_invalid_bookings_are_refused(store: Store, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        store.create_booking(**{**BOOKING, **overrides}, consent_to_contact=True)


def test_booking_of_unknown_assessment(store: Store) -> None:
    with pytest.raises(NotFound):
        store.create_booking(**BOOKING, consent_to_contact=True, assessment_id=999_999)


def test_list_and_mark_handled(store: Store) -> None:
    first = store.create_booking(**BOOKING, consent_to_contact=True)
    second = store.create_booking(**{**BOOKING, "branch_id": "tampines"}, consent_to_contact=True)
    assert [b.id for b in store.list_bookings()] == [second.id, first.id]
    handled = store.mark_booking_handled(first.id, username="dr.lim")
    assert handled.handled_by == "dr.lim" and handled.handled_at is not None
    assert [b.id for b in store.list_bookings(handled=True)] == [first.id]
    assert [b.id for b in store.list_bookings(handled=False)] == [second.id]
    assert [b.id for b in store.list_bookings(branch_id="tampines")] == [second.id]
    with pytest.raises(NotFound):
        store.mark_booking_handled(999_999, username="dr.lim")
