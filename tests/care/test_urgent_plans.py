"""No exercise, heat, massage, compression or RICE advice leaks into an urgent plan."""

from __future__ import annotations

from care_helpers import BANNED_URGENT, advice_text, plan
from hypothesis import given, settings
from hypothesis import strategies as st

from popliteal.knowledge.checks import SPEC_CONDITION_IDS
from popliteal.knowledge.schema import TriageLevel

T = TriageLevel
URGENT = [T.emergency_now, T.urgent_same_day]
FINDINGS = sorted({
    "onset_recent", "injury", "pain_severe", "symptoms_over_6_weeks", "knee_stiffness",
    "calf_swelling", "knee_hot", "fever", "kidney_disease", "stomach_ulcer_or_bleed",
    "takes_blood_thinners", "pregnant_or_postpartum", "nsaid_asthma", "heart_failure",
    "morning_stiffness_long", "cramps_at_night", "knee_swelling", "twisting_injury",
})
SELF_USE = {"rice", "ice_therapy", "heat_therapy", "physio_exercise", "manual_therapy",
            "physio_modalities", "functional_training", "oral_nsaid", "topical_nsaid"}


@st.composite
def cases(draw):
    ids = draw(st.lists(st.sampled_from(sorted(SPEC_CONDITION_IDS)), min_size=1, max_size=6,
                        unique=True))
    probs = draw(st.lists(st.floats(0.0, 1.0), min_size=len(ids), max_size=len(ids)))
    total = sum(probs) or 1.0
    conditions = sorted(zip(ids, (p / total for p in probs), strict=True), key=lambda c: -c[1])
    present = set(draw(st.lists(st.sampled_from(FINDINGS), max_size=8, unique=True)))
    level = draw(st.sampled_from(list(TriageLevel)))
    age = draw(st.integers(16, 95))
    return level, conditions, present, age


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_exercise_heat_massage_compression_when_urgent(kb, case):
    level, conditions, present, age = case
    p = plan(kb, level, conditions, present, age=age)
    assert p.level.rank <= level.rank  # never less urgent than triage
    if p.level in URGENT:
        assert p.exercise_programme is None
        assert not SELF_USE & set(p.remedies_suggested)
        text = advice_text(p)
        assert not BANNED_URGENT.search(text), BANNED_URGENT.search(text)
        assert {t.remedy for t in p.treatments_may_follow}.isdisjoint(SELF_USE)
    assert any(s.level is T.emergency_now and "995" in s.action for s in p.get_help)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_no_dose_numbers_in_pain_relief(kb, case):
    import re

    level, conditions, present, age = case
    p = plan(kb, level, conditions, present, age=age)
    text = " ".join(p.pain_relief.advice)
    assert not re.search(r"\d\s*(mg|g|ml|tablets?)\b", text, re.IGNORECASE)
    if p.pain_relief.suggested:
        assert "as the packet and your pharmacist say" in text


def test_dangerous_cause_shapes_the_plan(kb):
    p = plan(kb, T.physio, [("meniscus_tear", 0.7), ("deep_vein_thrombosis", 0.08)],
             {"knee_stiffness"})
    assert p.level is T.physio  # the plan never overrides triage's level
    assert p.likely_causes[0] == "deep_vein_thrombosis"
    assert "clot" in p.do_now[0]
    assert p.exercise_programme is None
    assert p.treatments_may_follow[0].remedy == "emergency_care"


def test_unlikely_critical_cause_below_its_bar_does_not_escalate(kb):
    p = plan(kb, T.physio, [("meniscus_tear", 0.9), ("deep_vein_thrombosis", 0.01)])
    assert p.level is T.physio
    assert "deep_vein_thrombosis" not in p.likely_causes


def test_emergency_plan_is_only_what_to_do_now(kb):
    p = plan(kb, T.emergency_now, [("compartment_syndrome", 0.5), ("calf_strain", 0.4)],
             {"calf_tense_hard", "injury", "onset_recent"})
    assert p.do_now[0].startswith("Your answers fit dangerous pressure")
    assert any("Call 995 now" in line for line in p.do_now)
    assert any("heart" in line and "not raised" in line for line in p.do_now)
    assert p.pain_relief.suggested == []
    assert p.exercise_programme is None
