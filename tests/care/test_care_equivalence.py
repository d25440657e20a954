"""The care plan built with the per-guide tables is exactly the plan built the original way.

Why this file: ``make_context``, ``_treatments`` and ``_get_help`` were changed for speed
(condition -> classes and condition -> treatments looked up in tables built once per guide,
classes compared by identity when the guide's classes are all distinct, level ranks read from
a dict). The original functions are kept below, verbatim apart from names, as the *slow
reference*; the plans built with them swapped in must equal the ones built without.
"""

from __future__ import annotations

import random

import pytest

from popliteal.care import build_care_plan, get_care_guide
from popliteal.care import builder as care_builder
from popliteal.care.context import (
    CLOT_FINDINGS,
    RANK,
    URGENT,
    CareContext,
    guide_tables,
    stage_for,
)
from popliteal.care.plan import HelpStep, Treatment
from popliteal.care.schema import CareGuide, ConditionClass, HelpItem
from popliteal.knowledge import KnowledgeBase, RemedyCategory, TriageLevel

# ============================================================================ slow reference


def ref_make_context(kb: KnowledgeBase, guide: CareGuide, *, age: int, sex: str,
                     level: TriageLevel, conditions: list[tuple[str, float]], present: set[str],
                     absent: set[str]) -> CareContext:
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
        kb.conditions[item[0]].urgency.rank if item[0] in dangerous else 0,
        -item[1],
    ))
    effective = level
    ids = {cid for cid, _ in plausible}
    clot = bool(CLOT_FINDINGS & present)
    classes: list[ConditionClass] = []
    for cid, _ in plausible:
        for cls in guide.classes:
            if cid in cls.conditions and cls not in classes:
                classes.append(cls)
    for cls in guide.classes:
        if cls.clot_suspected and (ids & set(cls.conditions) or clot) and cls not in classes:
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


def ref_get_help(ctx: CareContext, level_items: list[HelpItem]) -> list[HelpStep]:
    items: list[HelpItem] = []
    for item in ctx.guide.safety_netting.escalations:
        if item.level is TriageLevel.emergency_now or item.level.rank < ctx.level.rank:
            items.append(item)
    items += level_items
    for cls in ctx.classes:
        items += [i for i in cls.get_help
                  if i.level is TriageLevel.emergency_now or i.level.rank < ctx.level.rank]
    out: list[HelpStep] = []
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: i.level.rank):
        if item.when in seen:
            continue
        seen.add(item.when)
        ctx.sources.update(item.sources)
        out.append(HelpStep(when=item.when, action=item.action, level=item.level))
    return out


def ref_treatments(ctx: CareContext) -> list[Treatment]:
    mapping = {t.condition: t for t in ctx.guide.treatments}
    weight: dict[str, float] = {}
    first: dict[str, int] = {}
    causes: dict[str, list[str]] = {}
    order = 0
    if ctx.urgent:
        weight["emergency_care"], first["emergency_care"] = 2.0, -1
    for cid, p in ctx.plausible:
        tm = mapping.get(cid)
        rids = [*(tm.remedies if tm else []), *ctx.kb.conditions[cid].remedies]
        if tm:
            ctx.sources.update(tm.sources)
        boost = 1.0 if cid in ctx.dangerous else 0.0
        for rid in rids:
            remedy = ctx.kb.remedies.get(rid)
            if remedy is None or remedy.category in care_builder._OWN_SECTIONS:
                continue
            if ctx.urgent and not ctx.level_allows(remedy.min_level):
                continue
            if rid in ctx.blocked or set(remedy.not_for_findings) & ctx.present:
                continue
            if rid not in first:
                first[rid], order = order, order + 1
            weight[rid] = weight.get(rid, 0.0) + p + boost
            if cid not in causes.setdefault(rid, []):
                causes[rid].append(cid)
    ranked = sorted(weight, key=lambda rid: (-weight[rid], first[rid]))[
        :care_builder.MAX_TREATMENTS]
    out: list[Treatment] = []
    for rid in ranked:
        remedy = ctx.kb.remedies[rid]
        ctx.sources.update(remedy.sources)
        names = [ctx.kb.conditions[cid].name for cid in causes.get(rid, [])[:2]]
        if rid == "emergency_care" and not names:
            why = "Your answers need checking in hospital today."
        else:
            why = f"May follow if a doctor or physiotherapist confirms {' or '.join(names)}."
        if remedy.category is RemedyCategory.surgery:
            why += (" Surgery is usually considered only when other treatment has not helped, "
                    "or when there is significant damage.")
            ctx.sources.add("article")
        out.append(Treatment(remedy=rid, name=remedy.name, summary=remedy.summary, why=why))
    return out


# ============================================================================ tests


def test_level_ranks_are_the_levels_own() -> None:
    assert RANK == {level: level.rank for level in TriageLevel}


def test_guide_tables_say_what_the_guide_says() -> None:
    guide = get_care_guide()
    tables = guide_tables(guide)
    assert guide_tables(guide) is tables
    assert tables.treatments == {t.condition: t for t in guide.treatments}
    assert tables.clot_classes == tuple(c for c in guide.classes if c.clot_suspected)
    for cid in {c for cls in guide.classes for c in cls.conditions}:
        assert tables.classes_of[cid] == tuple(c for c in guide.classes if cid in c.conditions)
    assert tables.distinct  # the packaged classes are all different
    assert tables.distinct == all(
        a != b for i, a in enumerate(guide.classes) for b in guide.classes[i + 1:])


def test_a_guide_with_two_equal_classes_still_counts_them_once(real_kb) -> None:  # type: ignore[no-untyped-def]
    guide = get_care_guide()
    doubled = guide.model_copy(update={"classes": [*guide.classes, guide.classes[0]]})
    assert not guide_tables(doubled).distinct
    cid = guide.classes[0].conditions[0]
    ctx_args = dict(age=50, sex="male", level=TriageLevel.doctor_soon,
                    conditions=[(cid, 0.9)], present=set(), absent=set())
    fast = care_builder.make_context(real_kb, doubled, **ctx_args)  # type: ignore[arg-type]
    slow = ref_make_context(real_kb, doubled, **ctx_args)  # type: ignore[arg-type]
    assert fast == slow


@pytest.mark.parametrize("seed", range(3))
def test_plans_equal_the_reference(real_kb, monkeypatch, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    ids = sorted(real_kb.conditions)
    findings = sorted(real_kb.binary_findings)
    cases = []
    for _ in range(120):
        weights = [rng.random() ** 4 for _ in ids]
        total = sum(weights)
        conditions = sorted(((cid, w / total) for cid, w in zip(ids, weights, strict=True)),
                            key=lambda item: -item[1])
        present = set(rng.sample(findings, rng.randint(0, 12)))
        absent = set(rng.sample(findings, rng.randint(0, 12))) - present
        cases.append(dict(age=rng.randint(0, 120), sex=rng.choice(["female", "male"]),
                          level=rng.choice(list(TriageLevel)), conditions=conditions,
                          present=present, absent=absent))
    fast = [build_care_plan(real_kb, **case) for case in cases]  # type: ignore[arg-type]
    monkeypatch.setattr(care_builder, "make_context", ref_make_context)
    monkeypatch.setattr(care_builder, "_get_help", ref_get_help)
    monkeypatch.setattr(care_builder, "_treatments", ref_treatments)
    slow = [build_care_plan(real_kb, **case) for case in cases]  # type: ignore[arg-type]
    for a, b in zip(fast, slow, strict=True):
        assert a == b
        assert a.model_dump(mode="json") == b.model_dump(mode="json")
