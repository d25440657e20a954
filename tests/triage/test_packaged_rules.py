"""Every packaged triage rule fires when its conditions hold, and the clinical scenarios the
issue names get the right level: a clot or a septic joint is never sent home."""

from __future__ import annotations

from typing import Any

import pytest

from popliteal.engine import build_evidence
from popliteal.knowledge import RuleExpr, TriageLevel, get_knowledge_base
from popliteal.triage import triage

KB = get_knowledge_base()
RULES = [rule for rs in KB.rulesets for rule in rs.rules]


def satisfying(expr: RuleExpr | str, answers: dict[str, Any], age: list[int]) -> None:
    """Fill ``answers`` with a minimal set that makes ``expr`` hold."""
    if isinstance(expr, str):
        answers[expr] = "yes"
        return
    for item in expr.all:
        satisfying(item, answers, age)
    if expr.any:
        satisfying(expr.any[0], answers, age)
    for fid in expr.absent:
        answers[fid] = "no"
    if expr.age_min is not None:
        age[0] = max(age[0], expr.age_min)
    if expr.age_max is not None:
        age[0] = min(age[0], expr.age_max)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_fires_with_its_reason(model, rule) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, Any] = {}
    age = [30]
    satisfying(rule.when, answers, age)
    result = triage(model, age[0], "female", build_evidence(KB, answers))
    fired = {d.rule for d in result.details}
    assert rule.id in fired
    assert result.level.rank <= rule.level.rank
    if result.level is rule.level:
        assert rule.reason in result.reasons


def level(model, answers: dict[str, Any], age: int = 45, sex: str = "female"):  # type: ignore[no-untyped-def]
    return triage(model, age, sex, build_evidence(KB, answers))


SCENARIOS = [
    ("possible PE", {"calf_swelling": "yes", "breathless": "yes"}, TriageLevel.emergency_now),
    ("cold pale foot", {"foot_cold": "yes", "foot_pale_blue": "yes"}, TriageLevel.emergency_now),
    ("compartment", {"crush_injury": "yes", "pain_out_of_proportion": "yes",
                     "calf_tense_hard": "yes"}, TriageLevel.emergency_now),
    ("cauda equina", {"back_pain": "yes", "saddle_numbness": "yes"}, TriageLevel.emergency_now),
    ("sepsis", {"fever": "yes", "sepsis_signs": "yes"}, TriageLevel.emergency_now),
    ("dislocation", {"injury": "yes", "knee_deformed": "yes"}, TriageLevel.emergency_now),
    ("clot after flight", {"pain_calf": "yes", "long_travel": "yes"}, TriageLevel.urgent_same_day),
    ("septic knee", {"knee_swelling": "yes", "knee_hot": "yes", "fever": "yes"},
     TriageLevel.urgent_same_day),
    ("hot knee no fever", {"knee_swelling": "yes", "knee_red": "yes", "fever": "no"},
     TriageLevel.urgent_same_day),
    ("locked knee", {"injury": "yes", "knee_locking": "yes"}, TriageLevel.doctor_soon),
    ("pulsating lump", {"lump_behind_knee": "yes", "lump_pulsating": "yes"},
     TriageLevel.doctor_soon),
    ("pulseless foot, sudden pain", {"foot_pulse_missing": "yes", "sudden_severe_leg_pain": "yes"},
     TriageLevel.emergency_now),
    ("missing foot pulse", {"foot_pulse_missing": "yes"}, TriageLevel.urgent_same_day),
]


def test_dont_know_about_the_foot_pulse_changes_nothing_where_it_is_asked(model) -> None:  # type: ignore[no-untyped-def]
    # "don't know" counts as yes for a red flag, and few patients know their foot pulses: the
    # question is asked only after signs that already set its level, so it cannot raise it
    gates = KB.findings["foot_pulse_missing"].ask_if_any
    assert gates
    for gate in gates:
        for age in (30, 75):
            plain = level(model, {gate: "yes"}, age=age).level
            unsure = level(model, {gate: "yes", "foot_pulse_missing": "unknown"}, age=age).level
            assert unsure is plain, (gate, age)


@pytest.mark.parametrize(("name", "answers", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenarios_reach_at_least_their_level(model, name, answers, expected) -> None:  # type: ignore[no-untyped-def]
    assert level(model, answers).level.rank <= expected.rank


def test_wells_score_is_shown_with_its_items(model) -> None:  # type: ignore[no-untyped-def]
    result = level(model, {"pain_calf": "yes", "calf_swelling": "yes", "active_cancer": "yes",
                           "previous_clot": "no", "recent_surgery": "no"})
    wells = next(s for s in result.scores if s.id == "wells_dvt")
    assert wells.total == 2 and "likely" in wells.band
    met = {i.label: i.met for i in wells.items}
    assert met["Active cancer"] is True and met["Previous DVT"] is False
    assert not wells.complete
    assert result.level is TriageLevel.urgent_same_day


def test_wells_dont_know_counts_for_safety(model) -> None:  # type: ignore[no-untyped-def]
    result = level(model, {"pain_calf": "yes", "calf_swelling": "no", "active_cancer": "unknown",
                           "previous_clot": "unknown", "calf_tender": "no"})
    wells = next(s for s in result.scores if s.id == "wells_dvt")
    assert wells.total >= 2 and result.level is TriageLevel.urgent_same_day


def test_ottawa_after_knee_trauma(model) -> None:  # type: ignore[no-untyped-def]
    result = level(model, {"twisting_injury": "yes", "onset_recent": "yes",
                           "kneecap_tender": "yes"}, age=30)
    ottawa = next(s for s in result.scores if s.id == "ottawa_knee")
    assert ottawa.total == 1 and result.level is TriageLevel.urgent_same_day
    negative = level(model, {"twisting_injury": "yes", "onset_recent": "yes",
                             "kneecap_tender": "no", "fibular_head_tender": "no",
                             "unable_to_bend_90": "no", "unable_to_bear_weight": "no"}, age=30)
    assert next(s for s in negative.scores if s.id == "ottawa_knee").total == 0


def test_ottawa_age_item_not_applied_to_a_calf_strain(model) -> None:  # type: ignore[no-untyped-def]
    result = level(model, {"pushoff_injury": "yes", "onset_recent": "yes", "pain_calf": "yes",
                           "calf_swelling": "no"}, age=60)
    assert all(s.id != "ottawa_knee" for s in result.scores)


def test_no_injury_no_ottawa(model) -> None:  # type: ignore[no-untyped-def]
    result = level(model, {"injury": "no", "gradual_onset": "yes"}, age=70)
    assert all(s.id != "ottawa_knee" for s in result.scores)


def test_a_plausible_clot_escalates_without_a_single_red_flag(model) -> None:  # type: ignore[no-untyped-def]
    # calf pain with heaviness, no injury, older: DVT stays plausible by probability alone
    result = level(model, {"pain_calf": "yes", "injury": "no", "gradual_onset": "no",
                           "sudden_onset": "no"}, age=70)
    ranking = next(d for d in result.details if d.rule == "ranking")
    assert result.level.rank <= TriageLevel.urgent_same_day.rank
    assert "deep_vein_thrombosis" in ranking.clinician or result.level is not TriageLevel.physio


def test_mechanism_implies_injury() -> None:
    ev = build_evidence(KB, {"twisting_injury": "yes"})
    assert "injury" in ev.present
    assert "injury" in build_evidence(KB, {"twisting_injury": "yes", "injury": "no"}).absent
