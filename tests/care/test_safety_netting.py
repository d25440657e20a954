"""Every triage level gets safety-netting: which changes mean 995, go today, or book."""

from __future__ import annotations

import pytest
from care_helpers import plan

from popliteal.knowledge.schema import TriageLevel

T = TriageLevel
BENIGN = [("meniscus_tear", 0.6), ("knee_osteoarthritis", 0.3), ("bakers_cyst", 0.1)]


@pytest.mark.parametrize("level", list(TriageLevel))
def test_every_level_names_995(kb, level):
    p = plan(kb, level, BENIGN)
    assert p.level is level
    emergency = [s for s in p.get_help if s.level is T.emergency_now]
    assert emergency, "no 995 safety-netting"
    assert all("995" in s.action for s in emergency)
    assert "995" in p.get_help[0].action  # most urgent first


@pytest.mark.parametrize("level", list(TriageLevel))
def test_every_more_urgent_level_is_covered(kb, level):
    p = plan(kb, level, BENIGN)
    levels = {s.level for s in p.get_help}
    for more_urgent in TriageLevel:
        if more_urgent.rank < level.rank:
            assert more_urgent in levels, f"{level.value}: nothing says when to {more_urgent}"
    assert [s.level.rank for s in p.get_help] == sorted(s.level.rank for s in p.get_help)


def test_self_care_says_when_to_book(kb):
    p = plan(kb, T.self_care, [("leg_cramps", 0.7)])
    book = [s for s in p.get_help if s.level is T.physio]
    assert book and any("2 weeks" in s.when for s in book)
    assert any("6 weeks" in s.when for s in p.get_help if s.level is T.doctor_soon)


def test_headline_matches_level(kb):
    assert "995" in plan(kb, T.emergency_now, BENIGN).headline
    assert "today" in plan(kb, T.urgent_same_day, BENIGN).headline
    assert "doctor" in plan(kb, T.doctor_soon, BENIGN).headline
    assert "physiotherapy" in plan(kb, T.physio, BENIGN).headline
    assert "home" in plan(kb, T.self_care, BENIGN).headline


def test_clot_adds_its_own_995_reason(kb):
    p = plan(kb, T.urgent_same_day, [("deep_vein_thrombosis", 0.6), ("calf_strain", 0.3)])
    assert any("lungs" in s.action and s.level is T.emergency_now for s in p.get_help)
