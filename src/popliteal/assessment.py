"""One call from a patient's words and answers to ranked causes, triage and a care plan.

Why a single pipeline: the CLI, the interview, the API and the evaluation must all reach the
same answer for the same input. Inputs are checked here (age, sex, text size, every answer
against the catalogue) before anything is inferred, so bad input fails whole, with a clear
message, and never yields a partial result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from popliteal.engine import (
    UNKNOWN,
    CompiledModel,
    FloatArray,
    PatientPrior,
    compile_model,
    evidence_from,
    observed_answers,
    parse_answer,
    rank_arrays,
)
from popliteal.knowledge import FindingKind, KnowledgeBase, get_knowledge_base
from popliteal.results import AssessmentResult, Contribution
from popliteal.triage import triage

IndexArray = npt.NDArray[np.intp]

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
    # Findings, conditions and the result are laid out as plain data and validated in one
    # pass at the end (``AssessmentResult.model_validate``): the same models as building each
    # one by keyword, in a fraction of the time.
    results: dict[str, dict[str, Any]] = {}
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
            results[tf.id] = dict(
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
        results[fid] = dict(
            id=fid, label=finding.label,
            present=(None if value == UNKNOWN else value) if is_yes_no else None,
            source="answer", evidence=_answer_words(value),
            value=None if is_yes_no else value, overrides_text=overrides,
            red_flag=finding.red_flag)

    evidence = evidence_from(kb, merged, checked.keys())
    for fid in sorted((evidence.present | evidence.absent) - set(results)):
        finding = kb.findings[fid]
        results[fid] = dict(id=fid, label=finding.label, present=fid in evidence.present,
                            source="derived", red_flag=finding.red_flag)
    post, prior, order = rank_arrays(model, age, sex, evidence)
    condition_ids = [model.condition_ids[i] for i in order.tolist()]
    probabilities = post[order].tolist()
    triage_result = triage(model, age, sex, evidence)
    care_plan = None
    if with_care:
        care_plan = _care_plan(kb, age, sex, triage_result.level,
                               list(zip(condition_ids, probabilities, strict=True)), evidence)
    return AssessmentResult.model_validate(dict(
        conditions=_ranked_conditions(model, order, probabilities, _rounded(prior),
                                      observed_answers(model, evidence)),
        triage=triage_result,
        findings=sorted(results.values(), key=_finding_order),
        unparsed_sentences=unparsed,
        age=age, sex=sex,
        care_plan=care_plan,
        knowledge_version=model.version,
    ))


def _finding_order(r: dict[str, Any]) -> tuple[bool, int, str]:
    """Where the text said it first, then by id (answers and derived findings last)."""
    start = r.get("start")
    return start is None, start or 0, r["id"]


def _answer_words(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


@lru_cache(maxsize=256)
def _rounded(prior: PatientPrior) -> tuple[float, ...]:
    """The prior probabilities as shown (model order); a prior is shared, so is this."""
    return tuple(round(p, 4) for p in prior.probabilities.tolist())


def _ranked_conditions(model: CompiledModel, order: IndexArray, probabilities: list[float],
                       priors: tuple[float, ...],
                       observed: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    """Every condition (most likely first) as ``RankedCondition`` data, with its reasons.

    The reasons are the answers whose likelihood ratio, rounded to 3 places, is above 1 (for)
    or below 1 (against), strongest first (ties in answer order), at most ``MAX_REASONS`` of
    each: as ``popliteal.engine.rank``'s explanations would give them, read from per-model
    tables instead of one ``Explanation`` per condition and answer.
    """
    tables = _reason_tables(model)
    idx = model.finding_index
    keys = np.array([2 * idx[fid] + present for fid, present in observed], dtype=np.intp)
    rows = order[:, None]
    ratios = tables.rounded[rows, keys]  # (C, answers), answers in ``observed`` order
    position = np.arange(len(keys))
    sides = []
    for strength, shown in ((-ratios, ratios > 1), (ratios, ratios < 1)):
        ranked = np.argsort(strength, axis=1, kind="stable")  # ties keep answer order
        count = np.minimum(shown.sum(axis=1), MAX_REASONS)
        take = position < count[:, None]  # the first ``count`` of each row
        items = tables.gather(np.broadcast_to(rows, take.shape)[take], keys[ranked][take])
        sides.append((items, [0, *np.cumsum(count).tolist()]))
    (pro, pro_at), (con, con_at) = sides
    conditions = model.kb.conditions
    out = []
    for row, ci in enumerate(order.tolist()):
        cid = model.condition_ids[ci]
        cond = conditions[cid]
        out.append({"id": cid, "name": cond.name, "probability": round(probabilities[row], 4),
                    "urgency": cond.urgency, "prior": priors[ci],
                    "reasons_for": pro[pro_at[row]:pro_at[row + 1]],
                    "reasons_against": con[con_at[row]:con_at[row + 1]]})
    return out


@dataclass(frozen=True, eq=False)
class _ReasonTables:
    """Per compiled model: every (condition, answer) likelihood ratio rounded as shown.

    An answer is keyed ``2 * column + present``. The ratios are the ones ``rank`` computes
    (P(answer | condition) / P(answer | baseline), the same float64 division) passed through
    Python's ``round(.., 3)``. Each (condition, answer)'s ``Contribution`` is built on first
    use and kept: it is frozen, and a result's validation accepts the instance as it is (191
    of them in a typical result; validating them as data was a third of ``assess``).
    """

    model: CompiledModel
    rounded: FloatArray  # (C, 2F)
    data: npt.NDArray[np.object_]  # (C, 2F): Contribution or None

    def gather(self, ci: IndexArray, key: IndexArray) -> list[Contribution]:
        items: list[Contribution | None] = self.data[ci, key].tolist()
        if None in items:
            for n, (c, k) in enumerate(zip(ci.tolist(), key.tolist(), strict=True)):
                if items[n] is None:
                    items[n] = self.data[c, k] = self._contribution(c, k)
        return items  # type: ignore[return-value]

    def _contribution(self, ci: int, key: int) -> Contribution:
        model = self.model
        j, present = divmod(key, 2)
        fid = model.finding_ids[j]
        return Contribution(finding=fid, label=model.kb.findings[fid].label,
                            present=bool(present),
                            likelihood_ratio=float(self.rounded[ci, key]),
                            p_condition=float(model.p_yes[ci, j]),
                            p_baseline=float(model.background[j]))


@lru_cache(maxsize=4)
def _reason_tables(model: CompiledModel) -> _ReasonTables:
    """The rounded ratios for ``model`` (cached by model identity, like ``compile_model``)."""
    p_yes, background = model.p_yes, model.background
    rounded = np.empty((model.n_conditions, 2 * len(model.finding_ids)))
    for present, ratio in ((1, p_yes / background), (0, (1 - p_yes) / (1 - background))):
        rounded[:, present::2] = [[round(x, 3) for x in row] for row in ratio.tolist()]
    rounded.flags.writeable = False
    return _ReasonTables(model, rounded, np.full(rounded.shape, None, dtype=object))


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


def _care_plan(kb: KnowledgeBase, age: int, sex: str, level: Any,
               conditions: list[tuple[str, float]], evidence: Any) -> dict[str, Any]:
    from popliteal.care import build_care_plan

    plan = build_care_plan(kb, age=age, sex=sex, level=level, conditions=conditions,
                           present=set(evidence.present), absent=set(evidence.absent))
    return plan.model_dump(mode="json")
