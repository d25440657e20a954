"""``assess`` gives exactly the result the original, plain pipeline gave.

Why this file: ``assess`` was rewritten for speed. It no longer builds an ``Explanation`` and
a ``Contribution`` for every (condition, answer) pair only to keep six of each side: the
reasons are picked from per-model tables of rounded likelihood ratios; the findings, causes
and reasons are laid out as plain data and validated in one pass; priors are shared per
(age, sex, context). The original ``assess`` is kept below, verbatim apart from names, as the
*slow reference*: it builds every model one by one from ``rank``'s explanations. (``rank``,
``triage`` and the care plan are proved equal to their own references in tests/engine,
tests/triage and tests/care.) Results must be equal, and dump to the same JSON, byte for byte.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

import pytest

from popliteal.assessment import (
    MAX_REASONS,
    _answer_words,
    assess,
    check_patient,
    read_text,
    text_answer,
)
from popliteal.care import build_care_plan
from popliteal.engine import (
    UNKNOWN,
    CompiledModel,
    Ranking,
    build_evidence,
    compile_model,
    parse_answer,
    rank,
)
from popliteal.interview import Interview
from popliteal.knowledge import FindingKind, KnowledgeBase, get_knowledge_base
from popliteal.results import AssessmentResult, Contribution, FindingResult, RankedCondition
from popliteal.triage import triage

# ============================================================================ slow reference


def ref_assess(age: Any, sex: Any, text: str | None = None,
               answers: Mapping[str, Any] | None = None, *,
               kb: KnowledgeBase | None = None, with_care: bool = True) -> AssessmentResult:
    age, sex = check_patient(age, sex)
    kb = kb or get_knowledge_base()
    model = compile_model(kb)
    answers = dict(answers or {})
    checked = {fid: parse_answer(kb, fid, value) for fid, value in answers.items()}

    merged: dict[str, Any] = {}
    results: dict[str, FindingResult] = {}
    unparsed: list[str] = []
    if text is not None:
        extraction = read_text(kb, text)
        unparsed = list(extraction.unparsed_sentences)
        for tf in extraction.findings:
            finding = kb.findings[tf.id]
            value = text_answer(kb, tf)
            if value is None:
                continue
            merged[tf.id] = value
            results[tf.id] = FindingResult(
                id=tf.id, label=finding.label,
                present=tf.present if finding.kind is FindingKind.yes_no else None,
                source="text", evidence=tf.evidence, start=tf.start, end=tf.end,
                value=None if finding.kind is FindingKind.yes_no else tf.value,
                red_flag=finding.red_flag)
    for fid, value in checked.items():
        finding = kb.findings[fid]
        overrides = fid in merged and merged[fid] != value
        merged[fid] = value
        is_yes_no = finding.kind is FindingKind.yes_no
        results[fid] = FindingResult(
            id=fid, label=finding.label,
            present=(None if value == UNKNOWN else value) if is_yes_no else None,
            source="answer", evidence=_answer_words(value),
            value=None if is_yes_no else value, overrides_text=overrides,
            red_flag=finding.red_flag)

    evidence = build_evidence(kb, merged)
    for fid in sorted((evidence.present | evidence.absent) - set(results)):
        finding = kb.findings[fid]
        results[fid] = FindingResult(id=fid, label=finding.label, present=fid in evidence.present,
                                     source="derived", red_flag=finding.red_flag)
    ranking = rank(model, age, sex, evidence)
    triage_result = triage(model, age, sex, evidence)
    care_plan = None
    if with_care:
        care_plan = build_care_plan(
            kb, age=age, sex=sex, level=triage_result.level,
            conditions=list(zip(ranking.condition_ids, ranking.probabilities, strict=True)),
            present=set(evidence.present), absent=set(evidence.absent)).model_dump(mode="json")
    return AssessmentResult(
        conditions=ref_ranked_conditions(model, ranking),
        triage=triage_result,
        findings=sorted(results.values(), key=lambda r: (r.start is None, r.start or 0, r.id)),
        unparsed_sentences=unparsed,
        age=age, sex=sex,
        care_plan=care_plan,
        knowledge_version=model.version,
    )


def ref_ranked_conditions(model: CompiledModel, ranking: Ranking) -> list[RankedCondition]:
    kb = model.kb
    out = []
    for cid, prob, prior, expl in zip(ranking.condition_ids, ranking.probabilities,
                                      ranking.priors, ranking.explanations, strict=True):
        cond = kb.conditions[cid]
        contributions = [
            Contribution(finding=e.finding, label=kb.findings[e.finding].label,
                         present=e.present, likelihood_ratio=round(e.likelihood_ratio, 3),
                         p_condition=e.p_condition, p_baseline=e.p_baseline)
            for e in expl
        ]
        pro = sorted((c for c in contributions if c.likelihood_ratio > 1),
                     key=lambda c: -c.likelihood_ratio)
        con = sorted((c for c in contributions if c.likelihood_ratio < 1),
                     key=lambda c: c.likelihood_ratio)
        out.append(RankedCondition(id=cid, name=cond.name, probability=round(prob, 4),
                                   urgency=cond.urgency, prior=round(prior, 4),
                                   reasons_for=pro[:MAX_REASONS],
                                   reasons_against=con[:MAX_REASONS]))
    return out


# ============================================================================ random cases

TEXTS = [
    None,
    "The back of my knee hurts and my calf is swollen and red since yesterday.",
    "I twisted my knee playing football and heard a pop; it swelled up within hours.",
]


def random_answer(finding: Any, rng: random.Random) -> Any:
    if rng.random() < 0.15:
        return rng.choice(["unknown", "don't know"])
    if finding.kind is FindingKind.yes_no:
        return rng.choice([True, False, "yes", "no"])
    if finding.kind is FindingKind.number:
        return rng.choice([finding.min, finding.max, rng.uniform(finding.min, finding.max)])
    options = [o.value for o in finding.options]
    if finding.kind is FindingKind.multi:
        return rng.sample(options, rng.randint(0, len(options)))
    return rng.choice(options)


def same(fast: AssessmentResult, slow: AssessmentResult) -> None:
    assert fast == slow
    assert json.dumps(fast.model_dump(mode="json"), sort_keys=True) == json.dumps(
        slow.model_dump(mode="json"), sort_keys=True)
    assert fast.model_dump_json() == slow.model_dump_json()


@pytest.mark.parametrize("seed", range(3))
def test_assess_equals_the_reference(kb, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    findings = list(kb.findings.values())
    red = [f for f in findings if f.red_flag]
    for _ in range(60):
        chosen = rng.sample(findings, rng.choice([0, 3, 8, 12, 20, 40]))
        chosen += rng.sample(red, rng.choice([0, 0, 1, 2, 3, 5]))
        answers = {f.id: random_answer(f, rng) for f in chosen}
        args = dict(age=rng.randint(0, 120), sex=rng.choice(["female", " Male "]),
                    text=rng.choice(TEXTS), answers=answers, with_care=rng.random() < 0.8)
        same(assess(**args), ref_assess(**args))  # type: ignore[arg-type]


def test_interview_results_equal_the_reference(kb) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    for n in range(12):
        iv = Interview.start(rng.randint(12, 90), rng.choice(["female", "male"]),
                             text=TEXTS[n % len(TEXTS)])
        while (q := iv.next_question()) is not None:
            iv = iv.answer(q.id, random_answer(kb.findings[q.id], rng))
            answers = {a.id: a.answer for a in iv.state.answers}
            same(iv.result(), ref_assess(iv.state.age, iv.state.sex, text=iv.state.text,
                                         answers=answers, kb=iv.kb))


def test_other_knowledge_bases_equal_the_reference(mini_kb) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(9)
    findings = list(mini_kb.findings.values())
    for _ in range(80):
        answers = {f.id: random_answer(f, rng)
                   for f in rng.sample(findings, rng.randint(0, len(findings)))}
        args = dict(age=rng.randint(0, 120), sex=rng.choice(["female", "male"]),
                    answers=answers, kb=mini_kb, with_care=False)
        same(assess(**args), ref_assess(**args))  # type: ignore[arg-type]


def test_reasons_are_shared_frozen_instances_that_validation_accepts_as_they_are() -> None:
    """Each (condition, answer)'s Contribution is built once and shared by every result
    (validating ~200 of them as data was a third of ``assess``): frozen, so no result can
    change what another shows."""
    from pydantic import ValidationError

    answers = {"calf_swelling": "yes", "long_travel": "yes"}
    first = assess(50, "female", answers=answers)
    second = assess(61, "male", answers=answers)
    reason = next(c.reasons_for[0] for c in first.conditions if c.reasons_for)
    shared = [r for c in second.conditions for r in c.reasons_for if r == reason]
    assert shared and all(r is reason for r in shared)
    with pytest.raises(ValidationError):
        reason.likelihood_ratio = 99.0
