"""Evaluate the rule files' conditions and scores against what the patient reported.

Why "present for triage" differs from "present": the clinical reference (section B, C.2 rule
3) says a rule input answered "don't know" must be treated as positive, because a self-report
tool must never assume the reassuring answer. The ranking, by contrast, treats "don't know"
as no information. Both views come from the same :class:`Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass

from popliteal.engine import Evidence
from popliteal.knowledge import KnowledgeBase, RuleExpr, Score
from popliteal.results import ScoreItemResult, ScoreResult


@dataclass(frozen=True)
class TriageFacts:
    """What triage reasons over: findings positive for triage, explicit noes, the age."""

    positive: frozenset[str]
    absent: frozenset[str]
    unknown: frozenset[str]
    age: int

    @classmethod
    def from_evidence(cls, kb: KnowledgeBase, evidence: Evidence, age: int) -> TriageFacts:
        cautious = evidence.unknown & rule_inputs(kb)
        return cls(evidence.present | cautious, evidence.absent, evidence.unknown, age)


def rule_inputs(kb: KnowledgeBase) -> frozenset[str]:
    """Every finding a triage rule or score reads (so "don't know" counts as yes for it)."""
    out: set[str] = set(kb.red_flags)
    for rs in kb.rulesets:
        for rule in rs.rules:
            out |= rule.when.finding_ids() - rule.when.absent_ids()
        for score in rs.scores:
            out |= {f for item in score.items for f in item.findings}
    return frozenset(out)


def holds(expr: RuleExpr | str, facts: TriageFacts) -> bool:
    """Whether ``expr`` holds; a bare id holds when that finding is positive for triage."""
    if isinstance(expr, str):
        return expr in facts.positive
    if expr.age_min is not None and facts.age < expr.age_min:
        return False
    if expr.age_max is not None and facts.age > expr.age_max:
        return False
    if any(f not in facts.absent for f in expr.absent):
        return False
    if not all(holds(item, facts) for item in expr.all):
        return False
    return not expr.any or any(holds(item, facts) for item in expr.any)


def compute_score(score: Score, facts: TriageFacts) -> ScoreResult | None:
    """The score with each item shown, or None when it does not apply and nothing was asked.

    An item answered "don't know" is shown as unanswered but counted (B: treat unknown as
    positive); ``complete`` says whether every finding item was answered.
    """
    asked = {f for item in score.items for f in item.findings}
    answered = asked & (facts.positive | facts.absent | facts.unknown)
    applies = score.applies_when is None or holds(score.applies_when, facts)
    if not applies:
        return None
    items: list[ScoreItemResult] = []
    total = 0.0
    complete = True
    for item in score.items:
        if item.findings:
            if any(f in facts.positive - facts.unknown for f in item.findings):
                met: bool | None = True
            elif any(f in facts.unknown for f in item.findings):
                met = None
            elif all(f in facts.absent for f in item.findings):
                met = False
            else:
                met, complete = None, False
            counted = met is True or any(f in facts.unknown for f in item.findings)
        else:
            lo = item.age_min if item.age_min is not None else 0
            hi = item.age_max if item.age_max is not None else 200
            met = lo <= facts.age <= hi
            counted = met
        if counted:
            total += item.points
        items.append(ScoreItemResult(label=item.label, points=item.points, met=met))
    if not answered and score.applies_when is None:
        return None
    band = next(
        (b for b in score.bands
         if (b.min is None or total >= b.min) and (b.max is None or total <= b.max)),
        score.bands[-1],
    )
    return ScoreResult(id=score.id, title=score.title, total=total, band=band.label,
                       items=items, complete=complete)
