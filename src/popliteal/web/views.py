"""What the pages show, in plain words, computed from a result (no HTML here).

Why a separate module: the templates stay simple loops, and the rules that matter for
safety live in tested Python, not in template conditions. The main one: for
``emergency_now`` and ``urgent_same_day`` there is no exercise programme and no booking
form, only what to do now (the care plan omits the programme already; this enforces it
again, whatever the stored plan says).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from popliteal.knowledge import get_knowledge_base

URGENT_LEVELS = frozenset({"emergency_now", "urgent_same_day"})
MAX_CAUSES = 4
MAX_REASONS_FOR = 3
MAX_REASONS_AGAINST = 2


@dataclass(frozen=True)
class Level:
    id: str
    word: str  # a short label that says the level in text (never colour alone)
    title: str


LEVELS: dict[str, Level] = {
    "emergency_now": Level("emergency_now", "Emergency", "Call 995 now"),
    "urgent_same_day": Level("urgent_same_day", "Urgent", "See a doctor today"),
    "doctor_soon": Level("doctor_soon", "See a doctor soon", "See a doctor within a few days"),
    "physio": Level("physio", "See a physiotherapist", "Book a physiotherapy assessment"),
    "self_care": Level("self_care", "Self-care", "You can look after this at home for now"),
}


@dataclass
class Cause:
    id: str
    name: str
    summary: str
    chance: str
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)


def chance_words(p: float) -> str:
    percent = round(p * 100)
    if percent < 1:
        return "less than 1 in 100"
    return f"about {percent} in 100"


def reason_words(contribution: dict[str, Any]) -> str:
    """``you said: one calf swollen`` / ``you said no to: fever``."""
    label = str(contribution.get("label", "")).strip()
    return f"you said: {label}" if contribution.get("present") else f"you said no to: {label}"


def causes(result: dict[str, Any]) -> list[Cause]:
    """The causes the care plan names (dangerous first), else the most probable few."""
    kb = get_knowledge_base()
    ranked: dict[str, dict[str, Any]] = {c["id"]: c for c in result.get("conditions", [])}
    plan = result.get("care_plan") or {}
    ids = [i for i in plan.get("likely_causes", []) if i in ranked]
    if not ids:
        ids = [c["id"] for c in result.get("conditions", [])[:3]]
    out = []
    for cid in ids[:MAX_CAUSES]:
        c = ranked[cid]
        condition = kb.conditions.get(cid)
        out.append(Cause(
            id=cid, name=c["name"], summary=condition.summary if condition else "",
            chance=chance_words(float(c["probability"])),
            reasons_for=[reason_words(r) for r in c.get("reasons_for", [])[:MAX_REASONS_FOR]],
            reasons_against=[reason_words(r)
                             for r in c.get("reasons_against", [])[:MAX_REASONS_AGAINST]]))
    return out


def result_view(result: dict[str, Any]) -> dict[str, Any]:
    """Everything the result page shows."""
    triage = result["triage"]
    level = LEVELS[triage["level"]]
    plan = result.get("care_plan")
    urgent = level.id in URGENT_LEVELS
    programme = None
    if plan and not urgent:
        programme = plan.get("exercise_programme")
    return {
        "level": level,
        "urgent": urgent,
        "emergency": level.id == "emergency_now",
        "headline": plan["headline"] if plan else level.title,
        "reasons": triage.get("reasons", []),
        "plan": plan,
        "programme": programme,
        "causes": causes(result),
        "finished": bool(result.get("finished")),
        "disclaimer_text": result.get("disclaimer"),
    }


def condition_name(condition_id: str | None) -> str:
    if not condition_id:
        return ""
    condition = get_knowledge_base().conditions.get(condition_id)
    return condition.name if condition else condition_id
