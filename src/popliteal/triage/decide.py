"""Decide the triage level: deterministic rules first, the ranking only ever adding urgency.

Order of authority (clinical reference C.2): every rule and score that fires sets a floor;
the ranking can raise the level (a dangerous cause that stays plausible) but never lower it;
a reported red flag rules out self-care. The final level is the most urgent of all of these,
and every contribution is reported with its reason, most urgent first.
"""

from __future__ import annotations

from popliteal.engine import CompiledModel, Evidence
from popliteal.knowledge import TriageLevel
from popliteal.results import ScoreResult, TriageReason, TriageResult
from popliteal.triage.escalation import DEFAULT_THRESHOLD, level_from_ranking
from popliteal.triage.rules import TriageFacts, compute_score, holds

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
    details: list[TriageReason] = []
    scores: list[ScoreResult] = []
    for ruleset in kb.rulesets:
        for rule in ruleset.rules:
            if holds(rule.when, facts):
                details.append(TriageReason(rule=rule.id, level=rule.level, patient=rule.reason,
                                            clinician=rule.clinician))
        for score in ruleset.scores:
            result = compute_score(score, facts)
            if result is None:
                continue
            scores.append(result)
            band = next(b for b in score.bands if b.label == result.band)
            if band.level is not None:
                details.append(TriageReason(
                    rule=score.id, level=band.level,
                    patient=band.reason or f"{score.title}: {band.label}.",
                    clinician=f"{score.title}: {result.total:g} points, {band.label}."))

    ranked = level_from_ranking(model, age, sex, evidence, kb.red_flags, threshold)
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
    details.append(TriageReason(rule="ranking", level=ranked.level, patient=patient,
                                clinician=clinician))

    flags = sorted(facts.positive & kb.red_flags)
    if flags:
        labels = ", ".join(kb.findings[f].label for f in flags[:4])
        details.append(TriageReason(
            rule="red_flag_no_self_care", level=TriageLevel.physio,
            patient=f"You reported a warning sign ({labels}), so this should not be managed "
                    "at home alone.",
            clinician=f"Red flag(s) reported: {', '.join(flags)}; "
                      "self-care excluded (C.2 rule 5)."))

    level = TriageLevel.most_urgent([d.level for d in details])
    details.sort(key=lambda d: d.level.rank)
    reasons = list(dict.fromkeys(d.patient for d in details if d.level is level))
    return TriageResult(level=level, reasons=reasons, details=details, scores=scores)
