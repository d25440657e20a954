"""The anti-inflammatory screen runs first; each positive item changes the advice, says why."""

from __future__ import annotations

import pytest
from care_helpers import plan

from popliteal.knowledge.schema import TriageLevel

T = TriageLevel
OA = [("knee_osteoarthritis", 0.7), ("bakers_cyst", 0.2)]

SCREEN = {
    "kidney_disease": "kidney disease",
    "stomach_ulcer_or_bleed": "stomach ulcer",
    "takes_blood_thinners": "blood thinner",
    "pregnant_or_postpartum": "pregnant",
    "nsaid_asthma": "asthma",
    "heart_failure": "heart failure",
}


def test_clear_screen_offers_anti_inflammatories(kb):
    p = plan(kb, T.physio, OA, age=50)
    assert not p.pain_relief.nsaid_screen.positive
    assert p.pain_relief.nsaid_screen.reasons == []
    assert {"paracetamol", "topical_nsaid", "oral_nsaid"} <= set(p.pain_relief.suggested)
    text = " ".join(p.pain_relief.advice)
    assert "gel is usually tried before tablets" in text  # knee OA: topical first


@pytest.mark.parametrize("finding,words", sorted(SCREEN.items()))
def test_each_screen_item_flips_the_advice(kb, finding, words):
    p = plan(kb, T.physio, OA, {finding}, age=50)
    screen = p.pain_relief.nsaid_screen
    assert screen.positive and screen.items == [finding]
    assert words in screen.reasons[0]
    text = " ".join(p.pain_relief.advice)
    assert "not advised for you" in text and words in text  # says why
    assert "oral_nsaid" not in p.pain_relief.suggested
    assert "paracetamol" in p.pain_relief.suggested
    assert "Anti-inflammatory tablets (such as ibuprofen) can ease" not in text


def test_age_65_flips_the_advice(kb):
    young = plan(kb, T.self_care, OA, age=64)
    old = plan(kb, T.self_care, OA, age=65)
    assert "oral_nsaid" in young.pain_relief.suggested
    assert old.pain_relief.nsaid_screen.items == ["age_65_or_over"]
    assert "oral_nsaid" not in old.pain_relief.suggested
    assert "65 or over" in " ".join(old.pain_relief.advice)
    # a gel is still possible at 65+, but only after asking the pharmacist
    assert any("Ask your pharmacist first" in a for a in old.pain_relief.advice)


@pytest.mark.parametrize("finding", ["nsaid_asthma", "pregnant_or_postpartum"])
def test_gel_also_ruled_out(kb, finding):
    p = plan(kb, T.physio, OA, {finding})
    assert "topical_nsaid" not in p.pain_relief.suggested
    assert not any("gel" in a and "Ask your pharmacist" in a for a in p.pain_relief.advice)


def test_several_reasons_are_all_given(kb):
    p = plan(kb, T.physio, OA, {"kidney_disease", "heart_failure"}, age=70)
    screen = p.pain_relief.nsaid_screen
    assert len(screen.reasons) == 3
    text = " ".join(p.pain_relief.advice)
    assert "kidney" in text and "heart failure" in text and "65" in text


def test_screen_runs_at_urgent_levels_too(kb):
    p = plan(kb, T.urgent_same_day, [("fracture", 0.6)], {"takes_blood_thinners"})
    assert p.pain_relief.nsaid_screen.positive
    assert "oral_nsaid" not in p.pain_relief.suggested


def test_emergency_suggests_no_new_medicine(kb):
    p = plan(kb, T.emergency_now, OA)
    assert p.pain_relief.suggested == []
    assert any("ambulance crew" in a for a in p.pain_relief.advice)


def test_fresh_injury_mentions_peace_option(kb):
    p = plan(kb, T.self_care, [("calf_strain", 0.8)], {"injury", "onset_recent"})
    assert any("first 2 to 3 days after an injury" in a for a in p.pain_relief.advice)


def test_lupus_rules_out_tablets_and_says_why(kb):
    p = plan(kb, T.physio, [("lupus_arthritis", 0.8)])
    assert "oral_nsaid" not in p.pain_relief.suggested
    assert any("kidneys" in a for a in p.pain_relief.advice)
