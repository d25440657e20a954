"""RICE, ice and heat only where they apply; nothing that harms a suspected clot."""

from __future__ import annotations

import re

import pytest
from care_helpers import advice_text, plan

from popliteal.knowledge.schema import TriageLevel

T = TriageLevel
CLOT_UNSAFE = {"rice", "manual_therapy", "oral_nsaid", "topical_nsaid", "physio_modalities"}


@pytest.mark.parametrize("level", [T.doctor_soon, T.physio, T.self_care])
@pytest.mark.parametrize("how", ["calf_swelling", "dvt", "ruptured"])
def test_clot_suspected_no_compression_massage_or_nsaid(kb, level, how):
    conditions = [("calf_strain", 0.7), ("meniscus_tear", 0.3)]
    present = {"injury", "onset_recent"}
    if how == "calf_swelling":
        present.add("calf_swelling")
    elif how == "dvt":
        conditions = [("calf_strain", 0.6), ("deep_vein_thrombosis", 0.3)]
    else:
        conditions = [("bakers_cyst", 0.6), ("ruptured_bakers_cyst", 0.3)]
    p = plan(kb, level, conditions, present)
    assert not CLOT_UNSAFE & set(p.remedies_suggested)
    assert not CLOT_UNSAFE & {t.remedy for t in p.treatments_may_follow}
    text = advice_text(p)
    assert not re.search(r"compress|bandage|massag", text, re.IGNORECASE)
    assert not re.search(r"ibuprofen.*can ease|gel rubbed", text)
    avoid = " ".join(p.avoid)
    assert "massage" in avoid and "compression" in avoid and "anti-inflammatory" in avoid


def test_fresh_injury_gets_ice_not_heat(kb):
    p = plan(kb, T.self_care, [("calf_strain", 0.8)], {"injury", "onset_recent",
                                                         "knee_stiffness"})
    assert "ice_therapy" in p.remedies_suggested and "rice" in p.remedies_suggested
    assert "heat_therapy" not in p.remedies_suggested
    assert any(line.startswith("Ice:") for line in p.do_now)
    assert not any(line.startswith("Heat:") for line in p.do_now)


def test_stiff_arthritis_gets_heat(kb):
    p = plan(kb, T.physio, [("knee_osteoarthritis", 0.8)], {"knee_stiffness"})
    assert "heat_therapy" in p.remedies_suggested
    assert "rice" not in p.remedies_suggested  # no injury: RICE does not apply


@pytest.mark.parametrize("finding", ["knee_hot", "fever", "knee_red", "onset_recent"])
def test_no_heat_on_hot_joint_fever_or_fresh(kb, finding):
    p = plan(kb, T.physio, [("knee_osteoarthritis", 0.8)], {"knee_stiffness", finding})
    assert "heat_therapy" not in p.remedies_suggested
    assert not any(line.startswith("Heat:") for line in p.do_now)
    assert any("Do not use heat" in line for line in p.avoid)  # and says so


def test_first_gout_flare_goes_today_without_heat(kb):
    p = plan(kb, T.doctor_soon, [("gout", 0.6), ("knee_osteoarthritis", 0.4)],
             {"knee_stiffness", "knee_hot"})
    assert p.level is T.doctor_soon  # the plan never overrides triage's level
    assert "heat_therapy" not in p.remedies_suggested
    assert any("heat" in line for line in p.avoid)
    assert "gout_medicines" in {t.remedy for t in p.treatments_may_follow}


def test_rice_not_at_urgent_levels_even_after_injury(kb):
    for level in (T.emergency_now, T.urgent_same_day):
        p = plan(kb, level, [("fracture", 0.5), ("mcl_injury", 0.5)], {"injury",
                                                                       "onset_recent"})
        assert not {"rice", "ice_therapy", "heat_therapy"} & set(p.remedies_suggested)


def test_arterial_cause_no_massage_or_heat(kb):
    p = plan(kb, T.doctor_soon, [("peripheral_arterial_disease", 0.6),
                                  ("knee_osteoarthritis", 0.4)], {"knee_stiffness"})
    assert "heat_therapy" not in p.remedies_suggested
    assert "manual_therapy" not in {t.remedy for t in p.treatments_may_follow}
    assert any("massage the back of the knee" in line for line in p.avoid)


def test_infection_rules_out_steroid_injection(kb):
    p = plan(kb, T.urgent_same_day, [("septic_arthritis", 0.5), ("gout", 0.4)], {"fever"})
    assert "corticosteroid_injection" not in {t.remedy for t in p.treatments_may_follow}
    assert {"emergency_care", "antibiotics_drainage"} <= {t.remedy for t in
                                                          p.treatments_may_follow}
