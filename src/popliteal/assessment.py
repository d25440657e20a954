"""One call from a patient's words and answers to ranked causes, triage and a care plan.

Why a single pipeline: the CLI, the interview, the API and the evaluation must all reach the
same answer for the same input. Inputs are checked here (age, sex, text size, every answer
against the catalogue) before anything is inferred, so bad input fails whole, with a clear
message, and never yields a partial result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from popliteal.engine import (
    UNKNOWN,
    CompiledModel,
    Ranking,
    build_evidence,
    compile_model,
    parse_answer,
    rank,
)
from popliteal.knowledge import FindingKind, KnowledgeBase, get_knowledge_base
from popliteal.results import (
    AssessmentResult,
    Contribution,
    FindingResult,
    RankedCondition,
)
from popliteal.triage import triage

MIN_AGE, MAX_AGE = 0, 120
Sex = Literal["female", "male"]
SEXES: tuple[Sex, ...] = ("female", "male")
MAX_REASONS = 6


class AssessmentInputError(ValueError):
    """Input that cannot be assessed (age, sex, text); the message names the field."""


def check_patient(age: Any, sex: Any) -> tuple[int, Sex]:
    """Validate age and sex, returning them in canonical form."""
    if isinstance(age, bool) or not isinstance(age, int | float) or age != int(age):
        raise AssessmentInputError(f"age must be a whole number of years, got {age!r}")
    if not MIN_AGE <= age <= MAX_AGE:
        raise AssessmentInputError(f"age must be between {MIN_AGE} and {MAX_AGE}, got {age!r}")
    canonical = sex.strip().lower() if isinstance(sex, str) else None
    for known in SEXES:
        if canonical == known:
            return int(age), known
    raise AssessmentInputError(f"sex must be 'female' or 'male', got {sex!r}")


def assess(age: Any, sex: Any, text: str | None = None,
           answers: Mapping[str, Any] | None = None, *,
           kb: KnowledgeBase | None = None, with_care: bool = True) -> AssessmentResult:
    """Assess one patient.

    Args:
        age: years, 0-120.
        sex: "female" or "male".
        text: the patient's own words (optional; needs the language layer).
        answers: finding id -> answer; overrides what the text suggested.
        kb: knowledge base (the packaged one by default).
        with_care: attach the care plan.

    Raises:
        AssessmentInputError: bad age, sex or text.
        UnknownFindingError, AnswerError: an answer that does not fit the catalogue.
    """
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
        care_plan = _care_plan(kb, age, sex, triage_result.level, ranking, evidence)
    return AssessmentResult(
        conditions=_ranked_conditions(model, ranking),
        triage=triage_result,
        findings=sorted(results.values(), key=lambda r: (r.start is None, r.start or 0, r.id)),
        unparsed_sentences=unparsed,
        age=age, sex=sex,
        care_plan=care_plan,
        knowledge_version=model.version,
    )


def _answer_words(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _ranked_conditions(model: CompiledModel, ranking: Ranking) -> list[RankedCondition]:
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


def read_text(kb: KnowledgeBase, text: str) -> Any:
    """The findings in ``text`` (an ``Extraction``); unreadable text is an input error.

    Shared by :func:`assess` and the interview, so both refuse the same texts the same way.
    """
    from popliteal.language import LanguageInputError, extract_findings

    try:
        return extract_findings(text, kb)
    except LanguageInputError as exc:
        raise AssessmentInputError(str(exc)) from exc


def text_answer(kb: KnowledgeBase, tf: Any) -> Any:
    """A text finding as an answer: present/absent for yes/no, else its value (maybe None)."""
    return tf.present if kb.findings[tf.id].kind is FindingKind.yes_no else tf.value


def _care_plan(kb: KnowledgeBase, age: int, sex: str, level: Any, ranking: Ranking,
               evidence: Any) -> dict[str, Any]:
    from popliteal.care import build_care_plan

    plan = build_care_plan(kb, age=age, sex=sex, level=level,
                           conditions=list(zip(ranking.condition_ids, ranking.probabilities,
                                               strict=True)),
                           present=set(evidence.present), absent=set(evidence.absent))
    return plan.model_dump(mode="json")
