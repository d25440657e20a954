"""Decide the triage level: deterministic rules first, the ranking only ever adding urgency.

Order of authority (clinical reference C.2): every rule and score that fires sets a floor;
the ranking can raise the level (a dangerous cause that stays plausible) but never lower it;
a reported red flag rules out self-care. The final level is the most urgent of all of these,
and every contribution is reported with its reason, most urgent first.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from popliteal.engine import CompiledModel, Evidence
from popliteal.knowledge import KnowledgeBase, Score, TriageLevel, TriageRule
from popliteal.results import ScoreResult, TriageResult
from popliteal.triage.escalation import DEFAULT_THRESHOLD, level_from_ranking
from popliteal.triage.rules import CompiledExpr, TriageFacts, red_flags, score_result

_RANKING_WORDS = {
    TriageLevel.emergency_now: "this needs emergency care now: call 995",
    TriageLevel.urgent_same_day: "it must be checked by a doctor today",
    TriageLevel.doctor_soon: "a doctor should see you within a few days",
    TriageLevel.physio: "a physiotherapist should assess it",
    TriageLevel.self_care: "you can start looking after it at home",
}


def triage(model: CompiledModel, age: int, sex: str, evidence: Evidence,
           threshold: float = DEFAULT_THRESHOLD) -> TriageResult:
    """The triage level for this patient, with reasons for the patient and the clinician."""
    kb = model.kb
    facts = TriageFacts.from_evidence(kb, evidence, age)
    # The reasons are laid out as data and validated once, with the result.
    details: list[dict[str, Any]] = []
    scores: list[ScoreResult] = []
    for rules, ruleset_scores in _compiled_rules(kb):
        for when, rule in rules:
            if when.holds(facts):
                details.append({"rule": rule.id, "level": rule.level, "patient": rule.reason,
                                "clinician": rule.clinician})
        for score, applies_when, asked in ruleset_scores:
            applies = applies_when is None or applies_when.holds(facts)
            result = score_result(score, facts, applies, asked)
            if result is None:
                continue
            scores.append(result)
            band = next(b for b in score.bands if b.label == result.band)
            if band.level is not None:
                details.append({
                    "rule": score.id, "level": band.level,
                    "patient": band.reason or f"{score.title}: {band.label}.",
                    "clinician": f"{score.title}: {result.total:g} points, {band.label}."})

    flagged = red_flags(kb)
    ranked = level_from_ranking(model, age, sex, evidence, flagged, threshold)
    if ranked.condition is not None:
        name = kb.conditions[ranked.condition].name
        pct = max(1, round(ranked.probability * 100))
        if ranked.exact:
            patient = f"From what you told us, {name.lower()} is possible (about {pct}%): " \
                      f"{_RANKING_WORDS[ranked.level]}."
        else:
            patient = f"Some of the warning signs you reported could point to " \
                      f"{name.lower()}: to be safe, {_RANKING_WORDS[ranked.level]}."
        clinician = f"Ranking: {ranked.condition} at {ranked.probability:.0%} " \
                    f"(default level {ranked.level.value}" + \
                    ("" if ranked.exact else "; reached on a reading of the red flags") + ")."
    else:
        patient = "You reported many warning signs together: this needs emergency care now."
        clinician = "More red flags than the ranking enumerates: emergency by default."
    details.append({"rule": "ranking", "level": ranked.level, "patient": patient,
                    "clinician": clinician})

    flags = sorted(facts.positive & flagged)
    if flags:
        labels = ", ".join(kb.findings[f].label for f in flags[:4])
        details.append({
            "rule": "red_flag_no_self_care", "level": TriageLevel.physio,
            "patient": f"You reported a warning sign ({labels}), so this should not be managed "
                       "at home alone.",
            "clinician": f"Red flag(s) reported: {', '.join(flags)}; "
                         "self-care excluded (C.2 rule 5)."})

    level = TriageLevel.most_urgent([d["level"] for d in details])
    details.sort(key=lambda d: _RANK[d["level"]])
    reasons = list(dict.fromkeys(d["patient"] for d in details if d["level"] is level))
    return TriageResult.model_validate({"level": level, "reasons": reasons, "details": details,
                                        "scores": scores})


_RANK = {level: level.rank for level in TriageLevel}


_Rules = tuple[tuple[CompiledExpr, TriageRule], ...]
_Scores = tuple[tuple[Score, CompiledExpr | None, frozenset[str]], ...]


@lru_cache(maxsize=4)
def _compiled_rules(kb: KnowledgeBase) -> tuple[tuple[_Rules, _Scores], ...]:
    """Per rule set: each rule with its compiled condition, and each score with its compiled
    ``applies_when`` and the findings its items read (once per knowledge base)."""
    return tuple(
        (tuple((CompiledExpr.of(rule.when), rule) for rule in ruleset.rules),
         tuple((score,
                None if score.applies_when is None else CompiledExpr.of(score.applies_when),
                frozenset(f for item in score.items for f in item.findings))
               for score in ruleset.scores))
        for ruleset in kb.rulesets)
