"""Triage mechanics on the mini base: rules, scores, "don't know", escalation, monotonicity."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from popliteal.engine import build_evidence, compile_model
from popliteal.knowledge import TriageLevel
from popliteal.triage import triage


def level(kb, answers, age=30):  # type: ignore[no-untyped-def]
    return triage(compile_model(kb), age, "female", build_evidence(kb, answers))


def test_rule_fires_with_its_reason(mini_kb) -> None:  # type: ignore[no-untyped-def]
    result = level(mini_kb, {"calf_swelling": "yes"})
    assert result.level is TriageLevel.urgent_same_day
    assert "clot must be ruled out today" in result.reasons[0]


def test_dont_know_to_a_red_flag_counts_as_yes(mini_kb) -> None:  # type: ignore[no-untyped-def]
    assert level(mini_kb, {"calf_swelling": "unknown"}).level is TriageLevel.urgent_same_day
    assert level(mini_kb, {"calf_swelling": "no", "lump": "yes"}).level is TriageLevel.physio


def test_score_shows_items_and_sets_level(mini_kb) -> None:  # type: ignore[no-untyped-def]
    result = level(mini_kb, {"injury": "yes", "lump": "yes", "calf_swelling": "no"}, age=60)
    [score] = result.scores
    assert score.total == 2 and score.band == "Positive"
    assert [i.met for i in score.items] == [True, True]
    assert result.level is TriageLevel.doctor_soon
    negative = level(mini_kb, {"injury": "yes", "lump": "no", "calf_swelling": "no"}, age=30)
    assert negative.scores[0].total == 0 and negative.level is TriageLevel.physio


def test_score_not_shown_when_it_does_not_apply(mini_kb) -> None:  # type: ignore[no-untyped-def]
    assert level(mini_kb, {"injury": "no", "lump": "yes"}).scores == []


def test_plausible_clot_escalates_without_any_rule(mini_kb) -> None:  # type: ignore[no-untyped-def]
    # lump no, injury no: clot .1*.9*.8=.072 vs strain .6*.95*.1=.057, cyst .3*.2*.9=.054
    result = level(mini_kb, {"lump": "no", "injury": "no"})
    assert result.level is TriageLevel.urgent_same_day
    assert any(d.rule == "ranking" and d.level is TriageLevel.urgent_same_day
               for d in result.details)


def test_red_flag_rules_out_self_care(mini_kb) -> None:  # type: ignore[no-untyped-def]
    result = level(mini_kb, {"fever": "yes", "injury": "yes"})
    assert result.level.rank <= TriageLevel.physio.rank


ANSWER = st.sampled_from(["yes", "no", "unknown"])


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(st.sampled_from(["injury", "lump", "sport", "recent",
                                                "calf_swelling", "fever"]), ANSWER),
       flag=st.sampled_from(["calf_swelling", "fever"]), age=st.integers(0, 120))
def test_adding_a_red_flag_never_lowers_the_level(mini_kb, answers, flag, age) -> None:  # type: ignore[no-untyped-def]
    before = level(mini_kb, answers, age).level
    after = level(mini_kb, {**answers, flag: "yes"}, age).level
    assert after.rank <= before.rank
