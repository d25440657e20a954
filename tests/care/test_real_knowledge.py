"""Smoke test against the packaged knowledge base (skipped until it loads)."""

from __future__ import annotations

import pytest
from care_helpers import BANNED_URGENT, advice_text, plan

from popliteal.knowledge.checks import SPEC_CONDITION_IDS
from popliteal.knowledge.schema import TriageLevel

T = TriageLevel


@pytest.mark.parametrize("condition", sorted(SPEC_CONDITION_IDS))
def test_every_condition_at_every_level(real_kb, condition):
    for level in TriageLevel:
        p = plan(real_kb, level, [(condition, 0.7), ("knee_osteoarthritis", 0.2)]
                 if condition != "knee_osteoarthritis" else [(condition, 0.9)],
                 {"onset_recent", "injury"})
        assert p.level.rank <= level.rank
        assert any("995" in s.action for s in p.get_help)
        if p.level in (T.emergency_now, T.urgent_same_day):
            assert p.exercise_programme is None
            assert not BANNED_URGENT.search(advice_text(p))
        if p.exercise_programme:
            assert 3 <= len(p.exercise_programme.exercise_ids) <= 6
