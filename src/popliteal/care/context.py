"""The facts one care plan is built from, and the single gate every suggestion passes.

Why one gate: "no heat on a hot knee", "no massage while a clot is suspected" and "no exercise
at emergency level" are the same question asked three ways: is this remedy allowed for this
person, at this level, with these plausible causes? :meth:`CareContext.allowed` answers it
from the data (a remedy's ``min_level`` and ``not_for_findings``, and the ``blocks`` of every
plausible condition class), and says why not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from popliteal.care.schema import CareGuide, Claim, ConditionClass, TreatmentMap
from popliteal.knowledge import KnowledgeBase, Stage, TriageLevel

URGENT = (TriageLevel.emergency_now, TriageLevel.urgent_same_day)
#: ``level.rank`` for every level, looked up rather than computed on each of many reads.
RANK = {level: level.rank for level in TriageLevel}

#: Findings that mean a clot is suspected whatever the ranking says (brief; B.1).
CLOT_FINDINGS = frozenset({"calf_swelling", "whole_leg_swelling"})


@dataclass
class CareContext:
    kb: KnowledgeBase
    guide: CareGuide
    age: int
    sex: str
    level: TriageLevel
    stage: Stage
    plausible: list[tuple[str, float]]  # dangerous first, then most likely first
    dangerous: set[str]
    present: set[str]
    absent: set[str]
    classes: list[ConditionClass]
    clot_suspected: bool
    blocked: dict[str, str] = field(default_factory=dict)  # remedy id -> reason
    sources: set[str] = field(default_factory=set)

    @property
    def urgent(self) -> bool:
        return self.level in URGENT

    @property
    def condition_ids(self) -> set[str]:
        return {cid for cid, _ in self.plausible}

    def level_allows(self, claim_level: TriageLevel) -> bool:
        """True when a plan at ``self.level`` may say something allowed from ``claim_level``."""
        return RANK[self.level] >= RANK[claim_level]

    def allowed(self, remedy_id: str) -> bool:
        return self.why_not(remedy_id) is None

    def why_not(self, remedy_id: str) -> str | None:
        """None when ``remedy_id`` may be suggested now; else the reason it may not."""
        remedy = self.kb.remedies.get(remedy_id)
        if remedy is None:
            return "unknown remedy"
        if not self.level_allows(remedy.min_level):
            return f"not at triage level {self.level.value}"
        hits = sorted(set(remedy.not_for_findings) & self.present)
        if hits:
            return "ruled out by " + ", ".join(hits)
        return self.blocked.get(remedy_id)

    def use(self, claim: Claim) -> str | None:
        """The claim's text if it may be said now (level and tied remedy), recording sources."""
        if not self.level_allows(claim.min_level):
            return None
        if claim.remedy and not self.allowed(claim.remedy):
            return None
        self.sources.update(claim.sources)
        return claim.text


def stage_for(present: set[str]) -> Stage:
    """Early if recent or severe, late if over 6 weeks and not severe, else middle (D.0)."""
    if "onset_recent" in present or "pain_severe" in present:
        return Stage.early
    if "symptoms_over_6_weeks" in present:
        return Stage.late
    return Stage.middle


def make_context(kb: KnowledgeBase, guide: CareGuide, *, age: int, sex: str,
                 level: TriageLevel, conditions: list[tuple[str, float]], present: set[str],
                 absent: set[str]) -> CareContext:
    """Rank the plausible causes (dangerous first) and work out what they rule out.

    A plausible dangerous cause (critical, or with urgency emergency_now/urgent_same_day, past
    its ``escalate_above`` or the programme's bar) shapes the plan's cautions and comes first.
    The plan's *level* is always the triage level: triage is the one place urgency is decided
    (and already escalates for plausible dangerous causes), so a patient never reads two
    different instructions.
    """
    unknown = [cid for cid, _ in conditions if cid not in kb.conditions]
    if unknown:
        raise ValueError(f"unknown condition ids: {', '.join(unknown)}")
    rules = guide.programme
    plausible: list[tuple[str, float]] = []
    dangerous: set[str] = set()
    for cid, p in conditions:
        cond = kb.conditions[cid]
        is_dangerous = cond.critical or cond.urgency in URGENT
        bar = cond.escalate_above or (rules.critical_above if cond.critical
                                      else rules.plausible_above)
        if is_dangerous and p >= bar:
            dangerous.add(cid)
            plausible.append((cid, p))
        elif p >= rules.plausible_above:
            plausible.append((cid, p))
    if not plausible and conditions:
        plausible = [max(conditions, key=lambda item: item[1])]
    plausible.sort(key=lambda item: (
        item[0] not in dangerous,
        RANK[kb.conditions[item[0]].urgency] if item[0] in dangerous else 0,
        -item[1],
    ))
    effective = level
    ids = {cid for cid, _ in plausible}
    clot = bool(CLOT_FINDINGS & present)
    tables = guide_tables(guide)
    classes: list[ConditionClass] = []
    for cid, _ in plausible:
        for cls in tables.classes_of.get(cid, ()):
            if not tables.contains(classes, cls):
                classes.append(cls)
    for cls in tables.clot_classes:
        if (clot or not ids.isdisjoint(cls.conditions)) and not tables.contains(classes, cls):
            classes.insert(0, cls)
    clot = clot or any(cls.clot_suspected for cls in classes)
    blocked: dict[str, str] = {}
    for cls in classes:
        for rid in cls.blocks:
            blocked.setdefault(rid, cls.block_reason or cls.label)
    return CareContext(
        kb=kb, guide=guide, age=age, sex=sex, level=effective, stage=stage_for(present),
        plausible=plausible, dangerous=dangerous, present=set(present), absent=set(absent),
        classes=classes, clot_suspected=clot, blocked=blocked,
    )


@dataclass(frozen=True, eq=False)
class GuideTables:
    """What :func:`make_context` and the builder look up in a care guide, laid out once."""

    guide: CareGuide
    classes_of: dict[str, tuple[ConditionClass, ...]]  # condition -> classes naming it, in order
    clot_classes: tuple[ConditionClass, ...]  # the classes with ``clot_suspected``, in order
    treatments: dict[str, TreatmentMap]  # condition -> its treatments (the last one listed)
    distinct: bool  # no two classes are equal, so identity stands for equality

    def contains(self, classes: list[ConditionClass], cls: ConditionClass) -> bool:
        """``cls in classes`` (for classes of this guide; by identity when that is the same)."""
        if self.distinct:
            return any(c is cls for c in classes)
        return cls in classes


_GUIDE_TABLES: dict[int, GuideTables] = {}


def guide_tables(guide: CareGuide) -> GuideTables:
    """The tables of ``guide``, built on first use (kept per guide object, a few at most)."""
    tables = _GUIDE_TABLES.get(id(guide))
    if tables is None or tables.guide is not guide:
        classes_of: dict[str, list[ConditionClass]] = {}
        for cls in guide.classes:
            for cid in dict.fromkeys(cls.conditions):
                classes_of.setdefault(cid, []).append(cls)
        every = guide.classes
        tables = GuideTables(
            guide=guide,
            classes_of={cid: tuple(found) for cid, found in classes_of.items()},
            clot_classes=tuple(cls for cls in every if cls.clot_suspected),
            treatments={t.condition: t for t in guide.treatments},
            distinct=all(a != b for i, a in enumerate(every) for b in every[i + 1:]))
        if len(_GUIDE_TABLES) >= 8:
            _GUIDE_TABLES.clear()
        _GUIDE_TABLES[id(guide)] = tables
    return tables
