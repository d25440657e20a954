"""Assessments: consent, tokens, answers, results, clinicians' list, deletion."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from popliteal.store import (
    AnswerConflict,
    ConsentRequired,
    InvalidInput,
    NotFound,
    Store,
    make_engine,
)
from popliteal.store.models import Answer, Assessment, Base, Booking

PATIENT_TEXT = "Swelling behind my left knee since I fell; I am Tan Mei Ling, 91234567."
STATE = {"asked": ["calf_swelling"], "version": 1}


def _new(store: Store, **overrides: object) -> tuple[int, str]:
    values: dict[str, object] = dict(
        consent=True, age=54, sex="female", text=PATIENT_TEXT, state=STATE
    )
    values.update(overrides)
    record, token = store.create_assessment(**values)  # type: ignore[arg-type]
    return record.id, token


@pytest.mark.parametrize("consent", [False, None, "yes", 1])
def test_consent_is_required(store: Store, consent: object) -> None:
    with pytest.raises(ConsentRequired):
        store.create_assessment(consent=consent, age=54, sex="female", text="x", state={})  # type: ignore[arg-type]
    with store.transaction() as session:
        assert session.scalar(select(Assessment.id)) is None


def test_consent_time_and_retention_are_recorded(store: Store) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    record, _ = store.create_assessment(
        consent=True, age=40, sex="male", text="", state={}, now=now
    )
    assert record.consent_given_at == now
    assert record.expires_at == now + store.retention


@pytest.mark.parametrize(
    "overrides", [{"age": -1}, {"age": 200}, {"age": True}, {"sex": "x"}, {"text": "x" * 20_001}]
)
def test_invalid_values_are_refused(store: Store, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        _new(store, **overrides)


def test_token_opens_only_its_own_assessment(store: Store) -> None:
    first_id, first_token = _new(store)
    second_id, second_token = _new(store, age=30, sex="male", text="other")
    first = store.get_assessment_by_token(first_token)
    second = store.get_assessment_by_token(second_token)
    assert first is not None and first.id == first_id and first.text == PATIENT_TEXT
    assert first.state == STATE
    assert second is not None and second.id == second_id and second.text == "other"
    wrong = first_token[:-1] + ("A" if first_token[-1] != "A" else "B")
    for bad in [wrong, "", "x" * 5000, first_token.upper(), str(first_id)]:
        assert store.get_assessment_by_token(bad) is None


def test_token_has_at_least_128_bits(store: Store) -> None:
    tokens = {_new(store)[1] for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)  # url-safe
        assert len(token) * math.log2(64) >= 128  # 43 chars * 6 bits = 256 bits


def test_token_is_not_stored(store: Store, db_url: str) -> None:
    assessment_id, token = _new(store)
    store.append_answer(assessment_id, "calf_swelling", "yes")
    user = store.add_user("dr.lim", "correct horse battery")
    login_token = store.issue_token(user.id)
    with store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                dumped = repr(tuple(row))
                assert token not in dumped and login_token not in dumped, table.name
    if db_url.startswith("sqlite"):
        store.dispose()
        path = Path(db_url.removeprefix("sqlite:///"))
        for file in [path, *path.parent.glob(path.name + "-*")]:
            raw = file.read_bytes()
            assert token.encode() not in raw and login_token.encode() not in raw, file


def test_expired_assessment_is_not_opened(store: Store) -> None:
    past = datetime.now(UTC) - store.retention - timedelta(days=1)
    record, token = store.create_assessment(
        consent=True, age=54, sex="female", text="", state={}, now=past
    )
    assert store.get_assessment_by_token(token) is None
    assert record.expires_at < datetime.now(UTC)


def test_answers_are_numbered_and_survive_a_new_engine(store: Store, db_url: str) -> None:
    assessment_id, token = _new(store)
    given = [("calf_swelling", "yes"), ("age_band", 3), ("sites", ["back", "calf"]), ("x", None)]
    seqs = [store.append_answer(assessment_id, finding, answer) for finding, answer in given]
    assert seqs == [1, 2, 3, 4]
    store.dispose()
    # A brand-new engine, as a second server process (or this one restarted) would have.
    other = Store(make_engine(db_url))
    try:
        record = other.get_assessment_by_token(token)
        assert record is not None
        answers = other.list_answers(record.id)
        assert [(a.finding_id, a.answer) for a in answers] == given
        assert [a.seq for a in answers] == [1, 2, 3, 4]
        assert other.append_answer(record.id, "fever", "no") == 5
    finally:
        other.dispose()


def test_expected_seq_prevents_a_duplicate_answer(store: Store) -> None:
    assessment_id, _ = _new(store)
    assert store.append_answer(assessment_id, "a", "yes", expected_seq=1) == 1
    with pytest.raises(AnswerConflict) as raised:
        store.append_answer(assessment_id, "a", "yes", expected_seq=1)  # a retried request
    assert raised.value.actual_seq == 2
    assert len(store.list_answers(assessment_id)) == 1


def test_answer_to_missing_assessment(store: Store) -> None:
    with pytest.raises(NotFound):
        store.append_answer(999_999, "a", "yes")
    with pytest.raises(InvalidInput):
        store.append_answer(_new(store)[0], "", "yes")


def test_state_and_result(store: Store) -> None:
    assessment_id, token = _new(store)
    store.update_state(assessment_id, {"asked": ["a", "b"]})
    result = {
        "conditions": [{"id": "bakers_cyst", "probability": 0.4}, {"id": "meniscus_tear"}],
        "triage": {"level": "physio", "reasons": []},
    }
    store.set_result(assessment_id, result)
    again = store.get_assessment_by_token(token)
    assert again is not None
    assert again.triage_level == "physio" and again.top_condition == "bakers_cyst"
    with pytest.raises(NotFound):
        store.set_result(assessment_id + 1000, result)
    assert again.state == {"asked": ["a", "b"]} and again.result == result


def test_a_result_shown_is_stored_and_audited_together(store: Store) -> None:
    assessment_id, _ = _new(store)
    result = {"conditions": [{"id": "bakers_cyst"}], "triage": {"level": "physio"}}

    def opens() -> int:
        return sum(1 for e in store.audit_entries()
                   if e.action == "open" and e.object_id == str(assessment_id))

    store.set_result(assessment_id, result)  # a cache write alone is no opening
    assert opens() == 0
    store.set_result(assessment_id, result, opened=True)
    store.record_open(assessment_id)  # the cached result shown again
    assert opens() == 2
    with pytest.raises(NotFound):  # a gone assessment: neither the result nor the audit row
        store.set_result(assessment_id + 1000, result, opened=True)
    assert not [e for e in store.audit_entries() if e.object_id == str(assessment_id + 1000)]


def test_clinician_list_filters_and_hides_free_text(store: Store) -> None:
    old = datetime.now(UTC) - timedelta(days=10)
    ids: dict[str | None, list[int]] = {}
    for level, when in [("emergency_now", None), ("physio", None), ("physio", old), (None, None)]:
        record, _ = store.create_assessment(
            consent=True, age=60, sex="male", text=PATIENT_TEXT, state={}, now=when
        )
        if level:
            store.set_result(record.id, {"conditions": [], "triage": {"level": level}})
        ids.setdefault(level, []).append(record.id)
    actor = "clinician:dr.lim"
    everything = store.list_assessments(actor=actor)
    assert len(everything) == 4
    assert all(not hasattr(item, "text") for item in everything)
    physio = store.list_assessments(actor=actor, triage_level="physio")
    assert sorted(item.id for item in physio) == sorted(ids["physio"])
    urgent = store.list_assessments(actor=actor, triage_level=["emergency_now", "urgent_same_day"])
    assert [item.id for item in urgent] == ids["emergency_now"]
    recent = store.list_assessments(actor=actor, since=datetime.now(UTC) - timedelta(days=1))
    assert len(recent) == 3
    assert len(store.list_assessments(actor=actor, limit=2)) == 2

    handled = store.mark_handled(ids["physio"][0], username="dr.lim")
    assert handled.handled_by == "dr.lim" and handled.handled_at is not None
    assert [i.id for i in store.list_assessments(actor=actor, handled=True)] == [handled.id]
    assert len(store.list_assessments(actor=actor, handled=False)) == 3
    store.mark_handled(ids["physio"][0], username="dr.lim", handled=False)
    assert store.list_assessments(actor=actor, handled=True) == []
    opened = store.get_assessment(ids["physio"][0], actor=actor)
    assert opened.text == PATIENT_TEXT
    with pytest.raises(NotFound):
        store.get_assessment(999_999, actor=actor)


def test_delete_by_token_cascades(store: Store) -> None:
    assessment_id, token = _new(store)
    other_id, _ = _new(store)
    for index in range(3):
        store.append_answer(assessment_id, f"f{index}", "yes")
    store.append_answer(other_id, "f", "no")
    booking = store.create_booking(
        name="Tan Mei Ling",
        phone="+65 9123 4567",
        branch_id="novena",
        preferred_times=["weekday mornings"],
        consent_to_contact=True,
        assessment_id=assessment_id,
    )
    assert store.delete_assessment_by_token("not-the-token") is False
    assert store.delete_assessment_by_token(token) is True
    assert store.get_assessment_by_token(token) is None
    assert store.delete_assessment_by_token(token) is False
    with store.transaction() as session:
        assert session.get(Assessment, assessment_id) is None
        remaining = session.scalars(select(Answer.assessment_id)).all()
        assert remaining == [other_id]  # ON DELETE CASCADE, only this assessment's answers
        kept = session.get(Booking, booking.id)
        assert kept is not None and kept.assessment_id is None  # ON DELETE SET NULL
        assert kept.name == "Tan Mei Ling"


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.transaction() as session:
        session.execute(
            text(
                "INSERT INTO answers (assessment_id, seq, finding_id, answer, created_at) "
                "VALUES (424242, 1, 'a', '\"yes\"', CURRENT_TIMESTAMP)"
            )
        )


def test_records_do_not_show_personal_data_in_repr(store: Store) -> None:
    record, token = store.create_assessment(
        consent=True, age=54, sex="female", text=PATIENT_TEXT, state=STATE
    )
    assert PATIENT_TEXT not in repr(record) and token not in repr(record)


# ------------------------------------------------------- the patient's one-transaction path


def test_open_assessment_reads_record_and_log_together(store: Store) -> None:
    assessment_id, token = _new(store)
    store.append_answer(assessment_id, "calf_swelling", "yes")
    opened = store.open_assessment(token)
    assert opened is not None
    record, log = opened
    assert record.id == assessment_id and record.state == STATE
    assert [(a.seq, a.finding_id, a.answer) for a in log] == [(1, "calf_swelling", "yes")]
    assert log[0].created_at.tzinfo is not None  # aware UTC on both backends
    opens = [e for e in store.audit_entries() if e.action == "open"]
    assert [e.object_id for e in opens] == [str(assessment_id)]
    store.open_assessment(token, record_access=False)
    assert len([e for e in store.audit_entries() if e.action == "open"]) == 1
    assert store.open_assessment("no-such-token") is None
    assert store.open_assessment("") is None


def test_append_by_token_returns_the_log_with_the_new_answer(store: Store) -> None:
    assessment_id, token = _new(store)
    first = store.append_answer_by_token(token, "calf_swelling", "yes")
    assert first is not None and first.log is not None
    assert (first.assessment_id, first.seq, first.state) == (assessment_id, 1, STATE)
    assert [(a.seq, a.finding_id) for a in first.log] == [(1, "calf_swelling")]
    second = store.append_answer_by_token(token, "fever", False, expected_seq=2)
    assert second is not None and second.log is not None
    assert [(a.seq, a.finding_id, a.answer) for a in second.log] == [
        (1, "calf_swelling", "yes"), (2, "fever", False)]
    # What the function returned is what a fresh read (another process) sees.
    assert [(a.seq, a.finding_id, a.answer) for a in store.list_answers(assessment_id)] == [
        (a.seq, a.finding_id, a.answer) for a in second.log]
    assert second.expires_at == store.get_assessment(assessment_id, actor="system").expires_at
    answered = [e for e in store.audit_entries() if e.action == "answer"]
    assert len(answered) == 2


def test_append_after_a_known_seq_skips_the_log_only_when_it_ends_there(store: Store) -> None:
    """``after_seq`` is a belief about the log; the primary key checks it, and a wrong belief
    (another process answered meanwhile) falls back to reading the log, never to a gap or a
    duplicate seq."""
    assessment_id, token = _new(store)
    store.append_answer_by_token(token, "calf_swelling", "yes")
    trusted = store.append_answer_by_token(token, "fever", False, after_seq=1)
    assert trusted is not None
    assert (trusted.seq, trusted.log, trusted.state) == (2, None, None)  # not read again
    behind = store.append_answer_by_token(token, "knee_swelling", True, after_seq=1)
    assert behind is not None and behind.log is not None  # seq 2 was taken: the log was read
    assert [(a.seq, a.finding_id) for a in behind.log] == [
        (1, "calf_swelling"), (2, "fever"), (3, "knee_swelling")]
    # an expected_seq that disagrees with the belief is settled by the log too
    with pytest.raises(AnswerConflict) as raised:
        store.append_answer_by_token(token, "fever", True, after_seq=3, expected_seq=3)
    assert raised.value.actual_seq == 4
    assert [a.seq for a in store.list_answers(assessment_id)] == [1, 2, 3]
    assert store.append_answer_by_token("no-such-token", "fever", True, after_seq=3) is None
    assert len([e for e in store.audit_entries() if e.action == "answer"]) == 3


def test_rows_written_on_the_driver_read_back_the_same_through_the_orm(store: Store) -> None:
    """The patient's hot path writes on the driver's cursor; the clinician's pages read with
    the ORM. Datetimes must come back aware UTC and JSON as JSON on both backends."""
    when = datetime.now(UTC).replace(microsecond=891011)  # not expired: opened below
    record, token = store.create_assessment(
        consent=True, age=33, sex="male", text="ache", state={"a": [1, 2.5, None]}, now=when)
    store.append_answer_by_token(token, "pain_score", 7.5, now=when)
    store.append_answer_by_token(token, "location", ["calf", "knee"], after_seq=1, now=when)
    store.set_result(record.id, {"triage": {"level": "physio"}, "conditions": [{"id": "x"}],
                                 "answers_seq": 2})
    with store.transaction() as session:
        row = session.get(Assessment, record.id)
        assert row is not None
        assert (row.created_at, row.updated_at, row.expires_at) == (
            when, when, when + store.retention)
        assert row.state == {"a": [1, 2.5, None]}
        assert (row.triage_level, row.top_condition) == ("physio", "x")
        answers = session.scalars(select(Answer).order_by(Answer.seq)).all()
        assert [(a.answer, a.created_at) for a in answers] == [(7.5, when),
                                                              (["calf", "knee"], when)]
    opened = store.open_assessment(token)
    assert opened is not None
    assert opened[0] == store.get_assessment(record.id, actor="system")
    assert [(a.answer, a.created_at) for a in opened[1]] == [(7.5, when), (["calf", "knee"], when)]


def test_append_by_token_refusals_write_nothing(store: Store) -> None:
    assessment_id, token = _new(store)
    assert store.append_answer_by_token("no-such-token", "fever", "no") is None
    store.append_answer_by_token(token, "fever", "no")
    with pytest.raises(AnswerConflict) as raised:
        store.append_answer_by_token(token, "fever", "no", expected_seq=1)  # a retried request
    assert raised.value.actual_seq == 2

    def full(log: list[object]) -> None:
        raise LookupError(f"{len(log)} answers already")

    with pytest.raises(LookupError, match="1 answers already"):
        store.append_answer_by_token(token, "knee_swelling", "yes", check=full)
    with pytest.raises(InvalidInput):
        store.append_answer_by_token(token, "", "yes")
    assert [a.finding_id for a in store.list_answers(assessment_id)] == ["fever"]
    assert len([e for e in store.audit_entries() if e.action == "answer"]) == 1


def test_append_by_token_refuses_an_expired_assessment(store: Store) -> None:
    past = datetime.now(UTC) - store.retention - timedelta(days=1)
    record, token = store.create_assessment(
        consent=True, age=54, sex="female", text="", state={}, now=past)
    assert store.append_answer_by_token(token, "fever", "no") is None
    assert store.list_answers(record.id) == []


def test_result_columns_of_a_model_match_those_of_its_dump() -> None:
    """A model's filter values are read from it directly when its dump is not needed."""
    from popliteal.assessment import assess
    from popliteal.store.assessments import result_columns

    model = assess(67, "female", text="Sudden swollen calf after a long flight, it hurts.")
    dumped = result_columns(model.model_dump(mode="json"))
    assert result_columns(model) == dumped
    assert result_columns(model, dump=False) == {**dumped, "result": None}
    assert dumped["triage_level"] and dumped["top_condition"]
