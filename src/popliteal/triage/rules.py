"""Evaluate the rule files' conditions and scores against what the patient reported.

Why "present for triage" differs from "present": the clinical reference (section B, C.2 rule
3) says a rule input answered "don't know" must be treated as positive, because a self-report
tool must never assume the reassuring answer. The ranking, by contrast, treats "don't know"
as no information. Both views come from the same :class:`Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from popliteal.engine import Evidence
from popliteal.knowledge import KnowledgeBase, RuleExpr, Score
from popliteal.results import ScoreResult


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
    return _rule_inputs(kb)


@lru_cache(maxsize=4)
def _rule_inputs(kb: KnowledgeBase) -> frozenset[str]:
    """:func:`rule_inputs`, once per knowledge base (cached by identity, like the model)."""
    out: set[str] = set(red_flags(kb))
    for rs in kb.rulesets:
        for rule in rs.rules:
            out |= rule.when.finding_ids() - rule.when.absent_ids()
        for score in rs.scores:
            out |= {f for item in score.items for f in item.findings}
    return frozenset(out)


@lru_cache(maxsize=4)
def red_flags(kb: KnowledgeBase) -> frozenset[str]:
    """``kb.red_flags``, computed once per knowledge base rather than on every read."""
    return kb.red_flags


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
    applies = score.applies_when is None or holds(score.applies_when, facts)
    return score_result(score, facts, applies,
                        frozenset(f for item in score.items for f in item.findings))


def score_result(score: Score, facts: TriageFacts, applies: bool,
                 asked: frozenset[str]) -> ScoreResult | None:
    """:func:`compute_score` given whether ``score.applies_when`` holds and the findings its
    items read (both computed once per score by ``triage``)."""
    if not applies:
        return None
    if score.applies_when is None and asked.isdisjoint(facts.positive) and asked.isdisjoint(
            facts.absent) and asked.isdisjoint(facts.unknown):
        return None  # nothing it reads was answered
    surely = facts.positive - facts.unknown
    items: list[dict[str, Any]] = []
    total = 0.0
    complete = True
    for item in score.items:
        if item.findings:
            if any(f in surely for f in item.findings):
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
        items.append({"label": item.label, "points": item.points, "met": met})
    band = next(
        (b for b in score.bands
         if (b.min is None or total >= b.min) and (b.max is None or total <= b.max)),
        score.bands[-1],
    )
    # Validated in one pass (the items as data): the same models as one by one, faster.
    return ScoreResult.model_validate({"id": score.id, "title": score.title, "total": total,
                                       "band": band.label, "items": items,
                                       "complete": complete})


@dataclass(frozen=True, eq=False)
class CompiledExpr:
    """A ``RuleExpr`` with its bare ids as sets, for :meth:`holds` (same answer as
    :func:`holds`, without walking the pydantic objects item by item)."""

    age_min: int | None
    age_max: int | None
    absent: frozenset[str]
    all_ids: frozenset[str]
    all_nested: tuple[CompiledExpr, ...]
    any_ids: frozenset[str]
    any_nested: tuple[CompiledExpr, ...]
    has_any: bool

    @classmethod
    def of(cls, expr: RuleExpr) -> CompiledExpr:
        return cls(
            expr.age_min, expr.age_max, frozenset(expr.absent),
            frozenset(i for i in expr.all if isinstance(i, str)),
            tuple(cls.of(i) for i in expr.all if not isinstance(i, str)),
            frozenset(i for i in expr.any if isinstance(i, str)),
            tuple(cls.of(i) for i in expr.any if not isinstance(i, str)),
            bool(expr.any))

    def holds(self, facts: TriageFacts) -> bool:
        if self.age_min is not None and facts.age < self.age_min:
            return False
        if self.age_max is not None and facts.age > self.age_max:
            return False
        if not self.absent.issubset(facts.absent) or not self.all_ids.issubset(facts.positive):
            return False
        for sub in self.all_nested:
            if not sub.holds(facts):
                return False
        if not self.has_any or not self.any_ids.isdisjoint(facts.positive):
            return True
        for sub in self.any_nested:  # noqa: SIM110 (a loop: no generator per call)
            if sub.holds(facts):
                return True
        return False
