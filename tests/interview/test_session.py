"""The interview as a plain value: round trips, resume, determinism, changing answers, back,
"don't know" for every kind, skip logic, red-flag screens and the stop rule."""

from __future__ import annotations

import json
import random

import pytest

from popliteal.assessment import AssessmentInputError
from popliteal.engine import UNKNOWN, AnswerError
from popliteal.interview import Interview, InterviewConfig, InterviewState
from popliteal.knowledge import FindingKind, KnowledgeBase, UnknownFindingError

from .helpers import play, says_yes_to

OTTAWA = {"kneecap_tender", "fibular_head_tender", "unable_to_bend_90"}


def random_patient(seed: int, yes: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)

    def answer(q):  # type: ignore[no-untyped-def]
        if q.id in yes:
            return "yes"
        if q.kind == "number":
            return rng.choice([UNKNOWN, q.min, q.max])
        return rng.choice(q.options)

    return answer


# ----------------------------------------------------------------------------- value semantics


def test_round_trip_gives_the_same_state_and_next_question() -> None:
    iv = Interview.start(54, "female")
    for _ in range(4):
        q = iv.next_question()
        assert q is not None
        iv = iv.answer(q.id, "no")
    data = iv.to_json()
    back = Interview.from_json(data)
    assert back.state == iv.state
    assert back.to_json() == data
    assert back.next_question() == iv.next_question()
    assert json.loads(data)["answers"][0]["answer"] is False  # plain JSON, storable anywhere


def test_resume_mid_way_asks_what_an_uninterrupted_interview_asks() -> None:
    whole, asked_whole = play(random_patient(3), age=35, sex="male")
    recorded = {a.id: a.answer for a in whole.state.answers}
    first = Interview.start(35, "male")
    for qid in asked_whole[:6]:
        assert first.next_question().id == qid  # type: ignore[union-attr]
        first = first.answer(qid, recorded[qid])
    resumed = Interview.from_json(first.to_json())
    rest, asked_rest = play(lambda q: recorded[q.id], start=resumed)
    assert asked_whole[:6] + asked_rest == asked_whole
    assert rest.state == whole.state
    assert rest.result().model_dump() == whole.result().model_dump()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_answers_give_the_same_questions_and_result(seed: int) -> None:
    a, asked_a = play(random_patient(seed), age=61, sex="male")
    b, asked_b = play(random_patient(seed), age=61, sex="male")
    assert asked_a == asked_b
    assert a.to_json() == b.to_json()
    assert a.result().model_dump() == b.result().model_dump()


def test_changing_an_earlier_answer_replaces_it() -> None:
    iv = Interview.start(40, "male").answer("pain_calf", "yes").answer("injury", "no")
    changed = iv.answer("pain_calf", "no")
    assert [(a.id, a.answer) for a in changed.state.answers] == [("injury", False),
                                                                  ("pain_calf", False)]
    assert "pain_calf" in changed.evidence.absent
    assert changed.result().model_dump() == Interview.start(40, "male").answer(
        "injury", "no").answer("pain_calf", "no").result().model_dump()


def test_back_undoes_the_last_answer_and_asks_it_again() -> None:
    iv = Interview.start(50, "female")
    q1 = iv.next_question()
    assert q1 is not None
    after = iv.answer(q1.id, "yes")
    assert after.questions_asked == 1 and after.next_question() != q1
    undone = after.back()
    assert undone.questions_asked == 0
    assert undone.next_question() == q1
    assert undone.state == iv.state


def test_dont_know_is_accepted_for_every_kind_in_the_catalogue(kb) -> None:  # type: ignore[no-untyped-def]
    iv = Interview.start(50, "female")
    kinds = {}
    for f in kb.findings.values():
        kinds.setdefault(f.kind, f.id)
    assert FindingKind.yes_no in kinds and FindingKind.number in kinds
    for kind, fid in kinds.items():
        for spelling in ("unknown", "don't know", "Not sure"):
            assert iv.answer(fid, spelling).state.answers[-1].answer == UNKNOWN, kind


def test_dont_know_for_a_multi_question(multi_kb: KnowledgeBase) -> None:
    iv = Interview.start(50, "female", kb=multi_kb)
    assert iv.answer("joints_hurting", "unknown").state.answers[-1].answer == UNKNOWN
    assert iv.answer("joints_hurting", ["hips", "hands"]).state.answers[-1].answer == [
        "hands", "hips"]
    with pytest.raises(AnswerError):
        iv.answer("joints_hurting", ["knees"])


def test_bad_input_raises_the_existing_error_types() -> None:
    with pytest.raises(AssessmentInputError):
        Interview.start(200, "female")
    with pytest.raises(AssessmentInputError):
        Interview.start(30, "robot")
    iv = Interview.start(30, "male")
    with pytest.raises(UnknownFindingError):
        iv.answer("no_such_finding", "yes")
    with pytest.raises(AnswerError):
        iv.answer("pain_calf", "perhaps")
    with pytest.raises(AnswerError):
        iv.answer("days_since_onset", 99999)


def test_state_rejects_unknown_fields() -> None:
    data = json.loads(Interview.start(30, "male").to_json())
    data["surprise"] = 1
    with pytest.raises(ValueError):
        InterviewState.model_validate(data)


# ----------------------------------------------------------------------------- skip logic


@pytest.mark.parametrize("seed", range(8))
def test_no_ottawa_questions_without_an_injury(seed: int) -> None:
    rng = random.Random(seed)

    def patient(q):  # type: ignore[no-untyped-def]
        if q.id in ("injury", "twisting_injury", "direct_blow", "high_energy_trauma"):
            return "no"
        return random_patient(seed)(q) if rng.random() < 0.5 else (
            "no" if q.kind == "yes_no" else UNKNOWN)

    iv, asked = play(patient, age=rng.randint(18, 80), sex=rng.choice(["female", "male"]))
    assert "injury" in iv.evidence.absent
    assert not OTTAWA & set(asked)


def test_ottawa_questions_may_be_asked_after_an_injury() -> None:
    _, asked = play(says_yes_to("injury", "knee_swelling", "unable_to_bear_weight"), age=60)
    assert OTTAWA & set(asked)


# ----------------------------------------------------------------------------- red-flag screens


CLOT = {"calf_swelling", "long_travel", "recent_surgery", "active_cancer"}
INFECTION = {"fever", "knee_hot"}


@pytest.mark.parametrize(("age", "sex"), [(25, "male"), (45, "female"), (70, "male"),
                                          (82, "female")])
def test_calf_pain_always_gets_the_clot_screen(age: int, sex: str) -> None:
    iv, asked = play(says_yes_to("pain_calf"), age=age, sex=sex)
    assert CLOT <= set(asked), CLOT - set(asked)
    assert iv.next_question() is None


@pytest.mark.parametrize("seed", range(6))
def test_calf_pain_clot_screen_whatever_else_is_answered(seed: int) -> None:
    rng = random.Random(seed)

    def patient(q):  # type: ignore[no-untyped-def]
        if q.id == "pain_calf":
            return "yes"
        if q.kind != "yes_no":
            return UNKNOWN
        return rng.choice(["no", "no", "no", "unknown"])

    # the patient has told us about the calf pain (as the text or a first answer would)
    start = Interview.start(rng.randint(18, 85), rng.choice(["female", "male"])).answer(
        "pain_calf", "yes")
    _, asked = play(patient, start=start)
    assert CLOT <= set(asked), CLOT - set(asked)


@pytest.mark.parametrize(("age", "sex"), [(30, "male"), (55, "female"), (75, "male")])
def test_hot_swollen_knee_is_asked_fever_and_heat(age: int, sex: str) -> None:
    _, asked = play(says_yes_to("knee_swelling", "knee_hot"), age=age, sex=sex)
    assert "fever" in asked and ("knee_hot" in asked)


def test_swollen_knee_alone_is_asked_fever_and_heat() -> None:
    _, asked = play(says_yes_to("knee_swelling"), age=45)
    assert INFECTION <= set(asked)


def test_screens_come_before_the_end_even_with_a_small_limit() -> None:
    iv, asked = play(says_yes_to("pain_calf"), age=50,
                     config=InterviewConfig(max_questions=12))
    assert len(asked) <= 12
    assert {"calf_swelling", "fever", "injury"} <= set(asked)


# ----------------------------------------------------------------------------- stop rule


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_max_questions_is_respected(limit: int) -> None:
    iv, asked = play(random_patient(limit), config=InterviewConfig(max_questions=limit))
    assert len(asked) == iv.questions_asked <= limit
    assert iv.next_question() is None


def test_a_confident_case_stops_early() -> None:
    iv, asked = play(says_yes_to("lump_behind_knee", "lump_softer_when_bent", "knee_swelling",
                                 "grinding_crepitus", "knee_stiffness"), age=67)
    assert len(asked) < iv.state.config.max_questions
    result = iv.result()
    assert result.conditions[0].id == "bakers_cyst"
    assert result.conditions[0].probability >= iv.state.config.stop_probability
    assert {"calf_swelling", "fever", "injury"} <= set(asked)  # the basic screen, still


def test_stop_probability_is_configuration() -> None:
    yes = says_yes_to("lump_behind_knee", "lump_softer_when_bent", "knee_swelling",
                      "grinding_crepitus", "knee_stiffness")
    _, low = play(yes, age=67, config=InterviewConfig(stop_probability=0.3))
    _, high = play(yes, age=67, config=InterviewConfig(stop_probability=0.99))
    assert len(low) < len(high)


# ----------------------------------------------------------------------------- the text


def _language_ok() -> bool:
    try:
        from popliteal.language import extract_findings  # noqa: F401
    except Exception:  # noqa: BLE001 - any failure of the other package means skip
        return False
    return True


@pytest.mark.skipif(not _language_ok(), reason="the language layer does not import")
def test_what_the_text_said_is_not_asked_again() -> None:
    iv = Interview.start(40, "male", text="My calf is swollen and the calf hurts.")
    said = iv.evidence.present
    assert said, "the language layer understood nothing"
    _, asked = play(says_yes_to(), start=iv)
    assert not said & set(asked)


@pytest.mark.skipif(not _language_ok(), reason="the language layer does not import")
def test_empty_text_is_refused_at_the_start() -> None:
    with pytest.raises(AssessmentInputError):
        Interview.start(40, "male", text="   ")
