"""PDPA: retention and purge, and an audit log that holds no personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from popliteal.store import InvalidInput, PurgeCounts, Store
from popliteal.store.models import Answer, Assessment, AuthToken, Booking

NAME = "Tan Mei Ling"
PHONE = "+65 9123 4567"
TEXT = f"My name is {NAME}, NRIC S1234567D, phone {PHONE}. The back of my knee is swollen."


def _count(store: Store, model: type) -> int:
    with store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_purge_deletes_what_is_past_retention(store: Store) -> None:
    now = datetime.now(UTC)
    old = now - store.retention - timedelta(hours=1)
    old_record, old_token = store.create_assessment(
        consent=True, age=54, sex="female", text=TEXT, state={}, now=old
    )
    new_record, new_token = store.create_assessment(
        consent=True, age=54, sex="female", text=TEXT, state={}, now=now
    )
    for index in range(3):
        store.append_answer(old_record.id, f"f{index}", "yes")
    store.append_answer(new_record.id, "f", "yes")
    # A recent booking attached to the old assessment: the booking stays, the link goes.
    recent_booking = store.create_booking(
        name=NAME,
        phone=PHONE,
        branch_id="novena",
        preferred_times=["Mon"],
        consent_to_contact=True,
        assessment_id=old_record.id,
        now=now,
    )
    store.create_booking(
        name=NAME,
        phone=PHONE,
        branch_id="novena",
        preferred_times=[],
        consent_to_contact=True,
        now=old,
    )
    user = store.add_user("dr.lim", "correct horse battery")
    store.issue_token(user.id, ttl=timedelta(hours=1), now=old)
    live_login = store.issue_token(user.id)

    counts = store.purge_expired(now=now)

    assert counts == PurgeCounts(assessments=1, answers=3, bookings=1, auth_tokens=1)
    assert store.get_assessment_by_token(old_token) is None
    assert store.get_assessment_by_token(new_token) is not None
    assert _count(store, Assessment) == 1 and _count(store, Answer) == 1
    assert _count(store, Booking) == 1 and _count(store, AuthToken) == 1
    [kept] = store.list_bookings()
    assert kept.id == recent_booking.id and kept.assessment_id is None
    assert (kept.name, kept.phone, kept.preferred_times) == (NAME, PHONE, ["Mon"])
    assert store.user_for_token(live_login) is not None
    purges = [e for e in store.audit_entries() if e.action == "purge"]
    assert {(e.actor, e.object_type) for e in purges} == {
        ("system", "assessment"),
        ("system", "booking"),
    }
    assert store.purge_expired(now=now) == PurgeCounts(0, 0, 0, 0)


def test_retention_comes_from_the_store(db_url: str) -> None:
    store = Store.from_url(db_url, retention=timedelta(days=7))
    try:
        record, _ = store.create_assessment(consent=True, age=30, sex="male", text="", state={})
        assert record.expires_at - record.created_at == timedelta(days=7)
        assert store.purge_expired(now=record.created_at + timedelta(days=6)).assessments == 0
        assert store.purge_expired(now=record.created_at + timedelta(days=7)).assessments == 1
    finally:
        store.dispose()


def test_audit_log_records_who_opened_what_without_personal_data(store: Store) -> None:
    record, token = store.create_assessment(
        consent=True, age=54, sex="female", text=TEXT, state={"note": TEXT}
    )
    store.append_answer(record.id, "calf_swelling", {"free": TEXT})
    store.get_assessment_by_token(token)
    store.get_assessment_by_token(token, record_access=False)
    booking = store.create_booking(
        name=NAME,
        phone=PHONE,
        branch_id="novena",
        preferred_times=["Mon"],
        consent_to_contact=True,
        assessment_id=record.id,
        notes=TEXT,
    )
    store.add_user("dr.lim", "correct horse battery")
    logged_in = store.login("dr.lim", "correct horse battery")
    assert logged_in is not None
    store.list_assessments(actor="clinician:dr.lim")
    store.get_assessment(record.id, actor="clinician:dr.lim")
    store.mark_handled(record.id, username="dr.lim")
    store.list_bookings(actor="clinician:dr.lim")
    store.mark_booking_handled(booking.id, username="dr.lim")
    store.delete_assessment_by_token(token)

    entries = list(reversed(store.audit_entries()))
    summary = [(e.actor, e.action, e.object_type, e.object_id) for e in entries]
    assessment_id, booking_id = str(record.id), str(booking.id)
    assert ("patient-token", "create", "assessment", assessment_id) in summary
    assert ("patient-token", "answer", "assessment", assessment_id) in summary
    assert summary.count(("patient-token", "open", "assessment", assessment_id)) == 1
    assert ("patient-token", "create", "booking", booking_id) in summary
    assert ("clinician:dr.lim", "login", "user", str(logged_in[0].id)) in summary
    assert ("clinician:dr.lim", "list", "assessment", None) in summary
    assert ("clinician:dr.lim", "open", "assessment", assessment_id) in summary
    assert ("clinician:dr.lim", "handle", "assessment", assessment_id) in summary
    assert ("clinician:dr.lim", "list", "booking", None) in summary
    assert ("clinician:dr.lim", "handle", "booking", booking_id) in summary
    assert summary[-1] == ("patient-token", "delete", "assessment", assessment_id)
    dumped = repr(summary)
    for secret in [NAME, PHONE, "S1234567D", "swollen", token, logged_in[1], "calf_swelling"]:
        assert secret not in dumped


@pytest.mark.parametrize(
    "actor, action, object_type, object_id",
    [
        ("Tan Mei Ling", "open", "assessment", 1),
        ("clinician:Dr Lim", "open", "assessment", 1),
        ("system", "read the notes about knee pain", "assessment", 1),
        ("system", "open", "a patient's file", 1),
        ("system", "open", "assessment", "S1234567D"),
        ("system", "open", "assessment", True),
    ],
)
def test_audit_refuses_free_text(
    store: Store, actor: str, action: str, object_type: str, object_id: object
) -> None:
    with pytest.raises(InvalidInput):
        store.audit(actor, action, object_type, object_id)  # type: ignore[arg-type]
    assert store.audit_entries() == []


def test_audit_accepts_the_vocabulary(store: Store) -> None:
    store.audit("system", "open", "assessment", 7)
    store.audit("clinician:dr.lim", "list", "booking")
    assert [(e.actor, e.action, e.object_id) for e in store.audit_entries()] == [
        ("clinician:dr.lim", "list", None),
        ("system", "open", "7"),
    ]


def test_database_errors_do_not_echo_personal_data(store: Store) -> None:
    """A logged traceback of a failed statement must not carry the values it wrote."""
    from sqlalchemy.exc import IntegrityError

    from popliteal.store.models import utcnow

    record, _ = store.create_assessment(consent=True, age=54, sex="female", text="", state={})
    store.append_answer(record.id, "a", "yes")
    with pytest.raises(IntegrityError) as raised, store.transaction() as session:
        session.add(
            Answer(assessment_id=record.id, seq=1, finding_id="a", answer=TEXT, created_at=utcnow())
        )
        session.flush()
    assert NAME not in str(raised.value) and "S1234567D" not in str(raised.value)
