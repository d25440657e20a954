"""Cross-file checks: every id a knowledge file names must exist, with the right kind.

Why separate from the schema: a single file can be valid on its own and still cite a source
or a finding that no other file defines. These checks see the whole base at once.
"""

from __future__ import annotations

from typing import Any

from popliteal.knowledge.schema import FindingKind, TriageRuleSet

#: The 30 condition ids fixed by ``spec/interfaces.md``; more may be added, none removed.
SPEC_CONDITION_IDS = frozenset(
    """leg_cramps patellar_tendinopathy hamstring_injury acl_injury pcl_injury mcl_injury
    lcl_injury calf_strain bakers_cyst meniscus_tear chondromalacia_patellae knee_osteoarthritis
    rheumatoid_arthritis lupus_arthritis psoriatic_arthritis deep_vein_thrombosis
    septic_arthritis ruptured_bakers_cyst popliteus_tendinopathy gastrocnemius_tear
    posterolateral_corner_injury gout popliteal_artery_aneurysm popliteal_artery_entrapment
    peripheral_arterial_disease lumbar_radiculopathy nerve_entrapment fracture bone_tumour
    compartment_syndrome""".split()
)


def cross_check(parts: dict[str, dict[str, Any]], rulesets: list[tuple[str, TriageRuleSet]],
                require_spec_conditions: bool = True) -> list[Any]:
    """Return a Problem for every dangling or ill-typed reference."""
    from popliteal.knowledge.loader import Problem

    problems: list[Problem] = []
    sources, findings = parts["sources"], parts["findings"]
    conditions, remedies = parts["conditions"], parts["remedies"]
    yes_no = {fid for fid, f in findings.items() if f.kind is FindingKind.yes_no}
    red_flags = {fid for fid, f in findings.items() if f.red_flag}

    def need(file: str, field: str, value: str, pool: Any, what: str) -> None:
        if value not in pool:
            import difflib

            close = difflib.get_close_matches(value, list(pool), n=2, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.append(Problem(file, field, f"unknown {what}{hint}", value))

    for fid, f in findings.items():
        file = f"findings ({fid})"
        if f.source:
            need(file, "source", f.source, sources, "source")
        for i, opt in enumerate(f.options):
            for ref in [*opt.implies, *opt.denies]:
                need(file, f"options[{i}].implies", ref, yes_no, "yes/no finding")
        for i, rng in enumerate(f.ranges):
            for ref in [*rng.implies, *rng.denies]:
                need(file, f"ranges[{i}].implies", ref, yes_no, "yes/no finding")
        for ref in f.implies:
            need(file, "implies", ref, yes_no, "yes/no finding")
        if f.red_flag and f.implies:
            problems.append(Problem(
                file, "implies", "a red flag may not imply other findings (the red-flag "
                "readings behind monotone triage could not undo them)", ", ".join(f.implies)))
        for ref in f.ask_if_any:
            need(file, "ask_if_any", ref, yes_no, "yes/no finding")

    missing = sorted(SPEC_CONDITION_IDS - set(conditions)) if require_spec_conditions else []
    for cid in missing:
        problems.append(Problem("conditions/", "id", "spec condition has no file", cid))
    for cid, c in conditions.items():
        file = f"conditions/{cid}.yaml"
        need(file, "prior.source", c.prior.source, sources, "source")
        for i, mod in enumerate(c.prior.modifiers):
            need(file, f"prior.modifiers[{i}].source", mod.source, sources, "source")
            if mod.when.finding:
                need(file, f"prior.modifiers[{i}].when.finding", mod.when.finding, yes_no,
                     "yes/no finding")
                if mod.when.finding in red_flags:
                    problems.append(Problem(
                        file, f"prior.modifiers[{i}].when.finding",
                        "a prior modifier may not use a red flag (use a likelihood instead)",
                        mod.when.finding))
        for i, lk in enumerate(c.findings):
            need(file, f"findings[{i}].finding", lk.finding, yes_no, "yes/no finding")
            need(file, f"findings[{i}].source", lk.source, sources, "source")
        for i, rid in enumerate(c.remedies):
            need(file, f"remedies[{i}]", rid, remedies, "remedy")
        for i, sid in enumerate(c.sources):
            need(file, f"sources[{i}]", sid, sources, "source")

    for rid, r in remedies.items():
        for i, sid in enumerate(r.sources):
            need(f"remedies ({rid})", f"sources[{i}]", sid, sources, "source")
        for i, ref in enumerate(r.not_for_findings):
            need(f"remedies ({rid})", f"not_for_findings[{i}]", ref, yes_no, "yes/no finding")

    for eid, e in parts["exercises"].items():
        file = f"exercises ({eid})"
        for i, sid in enumerate(e.sources):
            need(file, f"sources[{i}]", sid, sources, "source")
        for i, ref in enumerate(e.suits):
            need(file, f"suits[{i}]", ref, conditions, "condition")
        for i, ref in enumerate(e.not_for_findings):
            need(file, f"not_for_findings[{i}]", ref, yes_no, "yes/no finding")

    for sid, screen in parts.get("screens", {}).items():
        file = f"screens ({sid})"
        need(file, "source", screen.source, sources, "source")
        for i, ref in enumerate(screen.conditions):
            need(file, f"conditions[{i}]", ref, conditions, "condition")
        for i, ref in enumerate([*screen.ask, *screen.when_any]):
            need(file, f"ask[{i}]", ref, findings, "finding")

    for file, rs in rulesets:
        need(file, "source", rs.source, sources, "source")
        for rule in rs.rules:
            field = f"rules(id={rule.id})"
            need(file, f"{field}.source", rule.source, sources, "source")
            for ref in sorted(rule.when.finding_ids()):
                need(file, f"{field}.when", ref, yes_no, "yes/no finding")
            for ref in sorted(rule.when.absent_ids() & red_flags):
                problems.append(Problem(
                    file, f"{field}.when.absent",
                    "a rule may not require a red flag to be absent (adding it would lower "
                    "urgency)", ref))
        for score in rs.scores:
            field = f"scores(id={score.id})"
            need(file, f"{field}.source", score.source, sources, "source")
            refs = {f for i in score.items for f in i.findings}
            if score.applies_when:
                refs |= score.applies_when.finding_ids()
                for ref in sorted(score.applies_when.absent_ids() & red_flags):
                    problems.append(Problem(file, f"{field}.applies_when.absent",
                                            "may not require a red flag to be absent", ref))
            for ref in sorted(refs):
                need(file, field, ref, yes_no, "yes/no finding")
    return problems
