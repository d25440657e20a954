"""The fast triage gives exactly what the original, plain one gave.

Why this file: ``triage`` was rewritten for speed (rule conditions compiled to sets once per
knowledge base; the reasons validated in one pass; the escalation no longer enumerates every
reading of the red flags when the patient's own reading, or a bound, settles the level, and
enumerates the rest in blocks, stopping early). The original implementation is kept below,
verbatim apart from names, as the *slow reference*: the tests require equal results, every
float equal to the bit, on many random answer sets, most of them with several red flags.
Do not "optimise" the reference: its only job is to stay obviously equal to the old code.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import numpy as np
import pytest

from popliteal.engine import CompiledModel, Evidence, build_evidence, log_scores, normalise
from popliteal.knowledge import KnowledgeBase, Score, TriageLevel
from popliteal.results import ScoreItemResult, ScoreResult, TriageReason, TriageResult
from popliteal.triage import (
    TriageFacts,
    compute_score,
    escalation,
    holds,
    level_from_ranking,
    triage,
)
from popliteal.triage.decide import _RANKING_WORDS
from popliteal.triage.escalation import DEFAULT_THRESHOLD, MAX_ENUMERATED, RankingLevel
from popliteal.triage.rules import CompiledExpr

# ============================================================================ slow reference


@dataclass(frozen=True)
class RefRankingLevel:
    level: TriageLevel
    condition: str | None
    probability: float
    exact: bool


def ref_level_from_ranking(model: CompiledModel, age: int, sex: str, evidence: Evidence,
                           red_flags: frozenset[str],
                           threshold: float = DEFAULT_THRESHOLD) -> RefRankingLevel:
    flags = sorted(f for f in evidence.present & red_flags if f in model.finding_index)
    if len(flags) > MAX_ENUMERATED:
        return RefRankingLevel(TriageLevel.emergency_now, None, 1.0, False)
    base_ev = Evidence(evidence.present - set(flags), evidence.absent, evidence.unknown)
    base = log_scores(model, age, sex, base_ev)
    idx = [model.finding_index[f] for f in flags]
    states = np.array(list(itertools.product((0, 1, 2), repeat=len(flags))), dtype=int)
    states = states.reshape(3 ** len(flags), len(flags))
    total = np.tile(base, (len(states), 1))
    for k, j in enumerate(idx):
        options = np.stack([model.log_yes[:, j], np.zeros(model.n_conditions),
                            model.log_no[:, j]])
        total += options[states[:, k]]
    post = normalise(total)
    ranks = np.array([u.rank for u in model.urgency])
    thresholds = np.where(np.isnan(model.escalate_above), threshold, model.escalate_above)
    eligible = post >= thresholds
    eligible[np.arange(len(post)), post.argmax(axis=1)] = True
    level_rank = np.where(eligible, ranks, 99)
    best_per_reading = level_rank.min(axis=1)
    best_rank = int(best_per_reading.min())
    exact = bool(best_per_reading[0] == best_rank)
    reading = 0 if exact else int(best_per_reading.argmin())
    candidates = np.where(level_rank[reading] == best_rank)[0]
    ci = int(candidates[post[reading, candidates].argmax()])
    return RefRankingLevel(model.urgency[ci], model.condition_ids[ci],
                           float(post[reading, ci]), exact)


def ref_rule_inputs(kb: KnowledgeBase) -> frozenset[str]:
    out: set[str] = set(kb.red_flags)
    for rs in kb.rulesets:
        for rule in rs.rules:
            out |= rule.when.finding_ids() - rule.when.absent_ids()
        for score in rs.scores:
            out |= {f for item in score.items for f in item.findings}
    return frozenset(out)


def ref_compute_score(score: Score, facts: TriageFacts) -> ScoreResult | None:
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


def ref_triage(model: CompiledModel, age: int, sex: str, evidence: Evidence,
               threshold: float = DEFAULT_THRESHOLD) -> TriageResult:
    kb = model.kb
    cautious = evidence.unknown & ref_rule_inputs(kb)
    facts = TriageFacts(evidence.present | cautious, evidence.absent, evidence.unknown, age)
    details: list[TriageReason] = []
    scores: list[ScoreResult] = []
    for ruleset in kb.rulesets:
        for rule in ruleset.rules:
            if holds(rule.when, facts):
                details.append(TriageReason(rule=rule.id, level=rule.level, patient=rule.reason,
                                            clinician=rule.clinician))
        for score in ruleset.scores:
            result = ref_compute_score(score, facts)
            if result is None:
                continue
            scores.append(result)
            band = next(b for b in score.bands if b.label == result.band)
            if band.level is not None:
                details.append(TriageReason(
                    rule=score.id, level=band.level,
                    patient=band.reason or f"{score.title}: {band.label}.",
                    clinician=f"{score.title}: {result.total:g} points, {band.label}."))

    ranked = ref_level_from_ranking(model, age, sex, evidence, kb.red_flags, threshold)
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


# ============================================================================ random cases


def random_evidence(kb: KnowledgeBase, rng: random.Random) -> Evidence:
    """Random yes/no/unknown answers, weighted towards several red flags reported."""
    yes_no = kb.binary_findings
    flags = sorted(kb.red_flags & set(yes_no))
    answers = {f: rng.choice(["yes", "no", "no", "unknown"])
               for f in rng.sample(yes_no, rng.randint(0, 30))}
    for f in rng.sample(flags, min(len(flags), rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8]))):
        answers[f] = rng.choice(["yes", "yes", "yes", "unknown"])
    return build_evidence(kb, answers)


def ranking_level_fields(r: RankingLevel | RefRankingLevel) -> tuple[object, ...]:
    return r.level, r.condition, r.probability, r.exact


@pytest.mark.parametrize("seed", range(4))
def test_triage_equals_the_reference(kb, model, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    for _ in range(150):
        ev = random_evidence(kb, rng)
        age, sex = rng.randint(0, 120), rng.choice(["female", "male"])
        threshold = rng.choice([DEFAULT_THRESHOLD, DEFAULT_THRESHOLD, 0.1, 0.5])
        fast, slow = triage(model, age, sex, ev, threshold), ref_triage(model, age, sex, ev,
                                                                           threshold)
        assert fast == slow
        assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
        assert ranking_level_fields(level_from_ranking(
            model, age, sex, ev, kb.red_flags, threshold)) == ranking_level_fields(
            ref_level_from_ranking(model, age, sex, ev, kb.red_flags, threshold))


def test_every_escalation_path_is_taken_and_agrees(kb, model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Settled by the patient's reading, pruned by the bound, enumerated in one block, in
    several blocks, stopped early: each path is exercised, and each agrees."""
    seen: set[str] = set()
    bound, blocks = escalation._more_urgent_possible, escalation._readings

    def spy_bound(*args, **kwargs):  # type: ignore[no-untyped-def]
        possible = bound(*args, **kwargs)
        seen.add("enumerated after the bound" if possible else "pruned by the bound")
        return possible

    def spy_blocks(base, options):  # type: ignore[no-untyped-def]
        n = 0
        for block in blocks(base, options):
            n += 1
            seen.add("several blocks" if n > 1 else "one block")
            yield block
        seen.add("every block")

    monkeypatch.setattr(escalation, "_more_urgent_possible", spy_bound)
    monkeypatch.setattr(escalation, "_readings", spy_blocks)
    rng = random.Random(11)
    flags = sorted(kb.red_flags & set(kb.binary_findings))
    for _ in range(400):
        answers = {f: "yes" for f in rng.sample(flags, rng.randint(0, MAX_ENUMERATED))}
        answers |= {f: rng.choice(["yes", "no"]) for f in rng.sample(kb.binary_findings, 8)}
        ev = build_evidence(kb, answers)
        age, sex = rng.randint(0, 120), rng.choice(["female", "male"])
        got = level_from_ranking(model, age, sex, ev, kb.red_flags)
        assert ranking_level_fields(got) == ranking_level_fields(
            ref_level_from_ranking(model, age, sex, ev, kb.red_flags))
    # "several blocks" without "every block" afterwards would still show an early stop
    assert seen >= {"pruned by the bound", "enumerated after the bound", "one block",
                    "several blocks", "every block"}


def test_normalise_gives_each_row_the_same_bits_in_any_block() -> None:
    """What the block enumeration relies on: a reading's probabilities do not depend on how
    many other readings are normalised with it."""
    rng = np.random.default_rng(5)
    for rows in (1, 3, 9, 81, 243, 2187):
        total = rng.normal(-30, 15, size=(rows, 30))
        whole = normalise(total)
        for start in {0, rows // 3, rows - 1}:
            for size in (1, 3, min(9, rows - start)):
                part = normalise(total[start:start + size])
                assert np.array_equal(part, whole[start:start + size])


def test_compiled_rule_conditions_hold_exactly_when_holds_does(kb) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    exprs = [rule.when for rs in kb.rulesets for rule in rs.rules]
    exprs += [s.applies_when for rs in kb.rulesets for s in rs.scores if s.applies_when]
    compiled = [CompiledExpr.of(e) for e in exprs]
    ids = sorted({f for e in exprs for f in e.finding_ids()})
    for _ in range(300):
        positive = frozenset(rng.sample(ids, rng.randint(0, len(ids))))
        absent = frozenset(rng.sample(ids, rng.randint(0, len(ids)))) - positive
        facts = TriageFacts(positive, absent, frozenset(), rng.randint(0, 120))
        assert [c.holds(facts) for c in compiled] == [holds(e, facts) for e in exprs]


def test_scores_equal_the_reference(kb) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(4)
    scores = [s for rs in kb.rulesets for s in rs.scores]
    ids = sorted({f for s in scores for item in s.items for f in item.findings}
                 | {f for s in scores if s.applies_when for f in s.applies_when.finding_ids()})
    for _ in range(300):
        positive = frozenset(rng.sample(ids, rng.randint(0, len(ids))))
        unknown = frozenset(rng.sample(sorted(positive), rng.randint(0, len(positive))))
        absent = frozenset(rng.sample(ids, rng.randint(0, len(ids)))) - positive
        facts = TriageFacts(positive, absent, unknown, rng.randint(0, 120))
        for score in scores:
            assert compute_score(score, facts) == ref_compute_score(score, facts)


def test_readings_are_the_tiled_rows_in_order_and_c_contiguous(kb, model) -> None:  # type: ignore[no-untyped-def]
    """The blocks hold exactly the reference's rows (base + option + ..., first flag slowest),
    laid out in C order as the reference's tiled matrix is (a row's sum depends on layout)."""
    rng = np.random.default_rng(2)
    tables = escalation._tables(model)
    for k in range(MAX_ENUMERATED + 1):
        base = rng.normal(-20, 5, size=model.n_conditions)
        cols = rng.choice(len(model.finding_ids), size=k, replace=False)
        states = np.array(list(itertools.product((0, 1, 2), repeat=k)), dtype=int)
        expected = np.tile(base, (3 ** k, 1))
        for n, j in enumerate(cols):
            options = np.stack([model.log_yes[:, j], np.zeros(model.n_conditions),
                                model.log_no[:, j]])
            expected += options[states.reshape(3 ** k, k)[:, n]]
        blocks = list(escalation._readings(base, [tables.options[j] for j in cols]))
        assert all(b.flags.c_contiguous for b in blocks)
        assert np.array_equal(np.concatenate(blocks), expected)
