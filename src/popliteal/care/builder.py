"""Build a care plan from the triage level and the likely causes.

Why this order: safety first. The plan starts from what is dangerous (a plausible cause whose
urgency is emergency_now or urgent_same_day shapes the whole plan: its concern comes first,
its cautions rule remedies out), then what the triage level always says, then self-care that
passed every gate, then what may follow, and only when triage allows it, a home programme.
All the sentences come from ``care/data``; this module only decides which apply.
"""

from __future__ import annotations

from popliteal.care.context import RANK, CareContext, guide_tables, make_context
from popliteal.care.guide import get_care_guide
from popliteal.care.pain_relief import build_pain_relief
from popliteal.care.plan import CarePlan, HelpStep, Treatment
from popliteal.care.programme import build_programme
from popliteal.care.schema import CareGuide, HelpItem, When
from popliteal.knowledge import KnowledgeBase, RemedyCategory, TriageLevel

#: Remedies the plan covers in its own sections, not under "what may follow".
_OWN_SECTIONS = {RemedyCategory.pain_relief, RemedyCategory.rice}
MAX_TREATMENTS = 8


def build_care_plan(kb: KnowledgeBase, *, age: int, sex: str, level: TriageLevel,
                    conditions: list[tuple[str, float]], present: set[str], absent: set[str],
                    guide: CareGuide | None = None) -> CarePlan:
    """The care plan for one assessment.

    Args:
        kb: the knowledge base (remedies, exercises, conditions' urgency).
        age, sex: the person.
        level: the triage level; ``plan.level`` is always this level.
        conditions: (condition id, probability), most likely first.
        present, absent: yes/no finding ids answered yes / no.
        guide: the care data; the packaged one by default.
    """
    ctx = make_context(kb, guide or get_care_guide(), age=age, sex=sex, level=level,
                       conditions=conditions, present=set(present), absent=set(absent))
    level_guide = ctx.guide.guide_for(ctx.level)
    ctx.sources.update(level_guide.sources)

    do_now: list[str] = []
    avoid: list[str] = []

    def add(target: list[str], text: str | None) -> None:
        if text and text not in target:
            target.append(text)

    for cls in ctx.classes:  # dangerous classes lead: concerns first
        if cls.concern and set(cls.conditions) & ctx.dangerous:
            add(do_now, ctx.use(cls.concern))
    for claim in level_guide.do_now:
        add(do_now, ctx.use(claim))
    for claim in level_guide.avoid:
        add(avoid, ctx.use(claim))
    for cls in ctx.classes:
        for claim in cls.do:
            add(do_now, ctx.use(claim))
        for claim in cls.avoid:
            add(avoid, ctx.use(claim))

    suggested: list[str] = []
    for option in ctx.guide.self_care:
        reason = ctx.why_not(option.remedy)
        if reason is None and _holds(option.when, ctx):
            for claim in option.how:
                add(do_now, ctx.use(claim))
            for claim in option.never:
                add(avoid, ctx.use(claim))
            suggested.append(option.remedy)
        elif option.warn_if_ruled_out and reason and not reason.startswith("not at triage"):
            for claim in option.never:
                add(avoid, ctx.use(claim))

    pain = build_pain_relief(ctx)
    programme = build_programme(ctx)
    rules = ctx.guide.programme
    if programme is not None:
        add(do_now, ctx.use(rules.start))
        suggested.append("physio_exercise")
    elif ctx.level_allows(TriageLevel.physio):
        add(do_now, ctx.use(rules.no_programme))
    suggested = [*pain.suggested, *suggested]

    return CarePlan(
        level=ctx.level,
        headline=level_guide.headline,
        stage=ctx.stage,
        likely_causes=[cid for cid, _ in ctx.plausible],
        do_now=do_now,
        avoid=avoid,
        get_help=_get_help(ctx, level_guide.get_help),
        pain_relief=pain,
        treatments_may_follow=_treatments(ctx),
        exercise_programme=programme,
        remedies_suggested=suggested,
        sources=sorted(ctx.sources),
    )


def _holds(when: When, ctx: CareContext) -> bool:
    return bool(
        (when.findings_any and set(when.findings_any) & ctx.present)
        or (when.findings_all and set(when.findings_all) <= ctx.present)
        or (when.conditions_any and set(when.conditions_any) & ctx.condition_ids)
    )


def _get_help(ctx: CareContext, level_items: list[HelpItem]) -> list[HelpStep]:
    """Escalations more urgent than the plan (995 always), then level and cause specifics."""
    items: list[HelpItem] = []
    level = RANK[ctx.level]
    for item in ctx.guide.safety_netting.escalations:
        if item.level is TriageLevel.emergency_now or RANK[item.level] < level:
            items.append(item)
    items += level_items
    for cls in ctx.classes:
        items += [i for i in cls.get_help
                  if i.level is TriageLevel.emergency_now or RANK[i.level] < level]
    out: list[HelpStep] = []
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: RANK[i.level]):  # stable: data order within a level
        if item.when in seen:
            continue
        seen.add(item.when)
        ctx.sources.update(item.sources)
        out.append(HelpStep(when=item.when, action=item.action, level=item.level))
    return out


def _treatments(ctx: CareContext) -> list[Treatment]:
    """What may follow once a clinician confirms the cause, weighted by probability.

    At emergency_now/urgent_same_day only hospital treatments allowed at that level are named
    (no physiotherapy, heat or exercise). Remedies a plausible cause or a finding rules out
    are left out.
    """
    mapping = guide_tables(ctx.guide).treatments
    weight: dict[str, float] = {}
    first: dict[str, int] = {}
    causes: dict[str, list[str]] = {}
    order = 0
    urgent = ctx.urgent
    if urgent:
        weight["emergency_care"], first["emergency_care"] = 2.0, -1
    for cid, p in ctx.plausible:
        tm = mapping.get(cid)
        rids = [*(tm.remedies if tm else []), *ctx.kb.conditions[cid].remedies]
        if tm:
            ctx.sources.update(tm.sources)
        boost = 1.0 if cid in ctx.dangerous else 0.0
        for rid in rids:
            remedy = ctx.kb.remedies.get(rid)
            if remedy is None or remedy.category in _OWN_SECTIONS:
                continue
            if urgent and not ctx.level_allows(remedy.min_level):
                continue
            if rid in ctx.blocked or not ctx.present.isdisjoint(remedy.not_for_findings):
                continue
            if rid not in first:
                first[rid], order = order, order + 1
            weight[rid] = weight.get(rid, 0.0) + p + boost
            if cid not in causes.setdefault(rid, []):
                causes[rid].append(cid)
    ranked = sorted(weight, key=lambda rid: (-weight[rid], first[rid]))[:MAX_TREATMENTS]
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
