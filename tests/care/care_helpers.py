"""Shared helpers for the care tests."""

from __future__ import annotations

import re

from popliteal.care import CarePlan, build_care_plan
from popliteal.knowledge.base import KnowledgeBase
from popliteal.knowledge.schema import TriageLevel

#: Words that mean exercise, heat, massage, compression or RICE advice.
BANNED_URGENT = re.compile(
    r"exercis|stretch|\bheat\b|warm pack|massag|compress|bandage|\bice\b|\brice\b|elevat",
    re.IGNORECASE,
)


def plan(kb: KnowledgeBase, level: TriageLevel, conditions: list[tuple[str, float]],
         present: set[str] | None = None, age: int = 40, absent: set[str] | None = None
         ) -> CarePlan:
    return build_care_plan(kb, age=age, sex="female", level=level, conditions=conditions,
                           present=present or set(), absent=absent or set())


def advice_text(p: CarePlan) -> str:
    """Everything the plan tells the person to do (not what it tells them to avoid)."""
    parts = [p.headline, *p.do_now, *p.pain_relief.advice]
    parts += [f"{s.when} {s.action}" for s in p.get_help]
    parts += [f"{t.name} {t.summary} {t.why}" for t in p.treatments_may_follow]
    return "\n".join(parts)
