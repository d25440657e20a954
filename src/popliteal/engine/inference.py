"""Naive Bayes over mutually exclusive causes, with explanations a clinician can redo by hand.

Which model and why: naive Bayes over likelihood ratios, not noisy-OR. The question a patient
asks is "which one cause explains my back-of-knee pain?", so the causes are treated as
mutually exclusive and exhaustive and the posterior sums to 1; noisy-OR (QMR-DT) models
several diseases at once and its posteriors need approximate inference. Naive Bayes is exact,
runs in microseconds, and each answer's effect is one likelihood ratio that can be checked
on paper: posterior odds = prior odds x product of LRs.

Assumptions, stated so they can be challenged: findings are independent given the cause
(correlated findings such as "knee hot" and "knee red" are over-counted, which the knowledge
files offset by using moderate probabilities); an unmentioned finding carries no information;
"don't know" carries no information (triage, not the ranking, treats it with caution).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from popliteal.engine.evidence import Evidence
from popliteal.engine.model import CompiledModel, FloatArray


@dataclass(frozen=True)
class Explanation:
    """One answer's effect on one condition."""

    finding: str
    present: bool
    likelihood_ratio: float
    p_condition: float
    p_baseline: float


@dataclass(frozen=True)
class Ranking:
    """Every condition with its probability, most likely first, and the reasons."""

    condition_ids: tuple[str, ...]
    probabilities: tuple[float, ...]
    priors: tuple[float, ...]
    explanations: tuple[tuple[Explanation, ...], ...]
    version: str

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        return list(zip(self.condition_ids[:n], self.probabilities[:n], strict=True))

    def probability(self, condition_id: str) -> float:
        return self.probabilities[self.condition_ids.index(condition_id)]


def log_prior(model: CompiledModel, age: int, sex: str, present: frozenset[str]) -> FloatArray:
    """Log prior per condition after age, sex and activity modifiers (not normalised)."""
    return _log_prior(model, age, sex, present).copy()


def _log_prior(model: CompiledModel, age: int, sex: str, present: frozenset[str]) -> FloatArray:
    """:func:`log_prior`, shared and read-only."""
    return patient_prior(model, age, sex, present).log


@dataclass(frozen=True, eq=False)
class PatientPrior:
    """The prior for one age, sex and set of context findings; shared, read-only arrays."""

    log: FloatArray  # as :func:`log_prior`
    probabilities: FloatArray  # normalised: ``normalise(log)``


def patient_prior(model: CompiledModel, age: int, sex: str,
                  present: frozenset[str]) -> PatientPrior:
    """The prior (computed once per key: it depends only on the age, the sex and which of the
    few findings the prior rules read are present)."""
    key = frozenset(j for fid, j in _prior_tables(model).findings if fid in present)
    return _prior_for(model, age, sex, key)


@dataclass(frozen=True, eq=False)
class _PriorTables:
    findings: tuple[tuple[str, int], ...]  # (id, column) of every finding a prior rule reads
    logs: tuple[np.float64, ...]  # np.log(rule.multiply), per rule


@lru_cache(maxsize=4)
def _prior_tables(model: CompiledModel) -> _PriorTables:
    columns = {rule.finding for rule in model.prior_rules if rule.finding is not None}
    return _PriorTables(
        findings=tuple((fid, j) for fid, j in model.finding_index.items() if j in columns),
        logs=tuple(np.log(rule.multiply) for rule in model.prior_rules))


@lru_cache(maxsize=2048)
def _prior_for(model: CompiledModel, age: int, sex: str,
               present_idx: frozenset[int]) -> PatientPrior:
    """The modifiers added one by one in rule order, as :func:`log_prior` always did."""
    out = model.log_prior.copy()
    for rule, log_multiply in zip(model.prior_rules, _prior_tables(model).logs, strict=True):
        if rule.age_min is not None and age < rule.age_min:
            continue
        if rule.age_max is not None and age > rule.age_max:
            continue
        if rule.sex is not None and sex != rule.sex:
            continue
        if rule.finding is not None and rule.finding not in present_idx:
            continue
        out[rule.condition] += log_multiply
    probabilities = normalise(out)
    out.flags.writeable = False
    probabilities.flags.writeable = False
    return PatientPrior(out, probabilities)


def log_scores(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> FloatArray:
    """Unnormalised log posterior per condition (model order)."""
    return _log_scores(model, _log_prior(model, age, sex, evidence.present), evidence)


def _log_scores(model: CompiledModel, prior: FloatArray, evidence: Evidence) -> FloatArray:
    """:func:`log_scores` from the log prior (which is never modified)."""
    idx = model.finding_index
    # Sorted, so the sums run in the same order in every process: set order depends on
    # PYTHONHASHSEED, and two processes serving one interview must agree to the last bit.
    yes = sorted(idx[f] for f in evidence.present if f in idx)
    no = sorted(idx[f] for f in evidence.absent if f in idx)
    scores = prior
    if yes:
        scores = scores + model.log_yes[:, yes].sum(axis=1)
    if no:
        scores = scores + model.log_no[:, no].sum(axis=1)
    return scores if scores is not prior else prior.copy()


def normalise(scores: FloatArray) -> FloatArray:
    """Softmax along the last axis, stable for large negative logs."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    probabilities: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return probabilities


def posterior(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> FloatArray:
    """Posterior probability per condition, in model order."""
    return normalise(log_scores(model, age, sex, evidence))


def rank(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> Ranking:
    """Rank all conditions and explain each by the answers that moved it.

    The likelihood ratio shown for an answer compares the condition with the baseline (the
    finding's background rate): P(answer | condition) / P(answer | baseline).
    """
    post, prior, order = rank_arrays(model, age, sex, evidence)
    observed = observed_answers(model, evidence)
    # Every (condition, answer) ratio at once; Python objects only for the ones that move.
    idx = model.finding_index
    cols = np.array([idx[fid] for fid, _ in observed], dtype=np.intp)
    is_yes = np.array([present for _, present in observed], dtype=bool)
    p_cond = model.p_yes[np.ix_(order, cols)] if len(cols) else np.empty((len(order), 0))
    p_base = model.background[cols]
    ratios = np.where(is_yes, p_cond / p_base, (1 - p_cond) / (1 - p_base))
    moves = np.abs(np.log(ratios)) > 1e-9
    base = p_base.tolist()
    explanations = []
    for row_p, row_lr, row_moves in zip(p_cond.tolist(), ratios.tolist(), moves.tolist(),
                                        strict=True):
        explanations.append(tuple(
            Explanation(fid, present, lr, p_c, p_b)
            for (fid, present), p_c, p_b, lr, moved in zip(observed, row_p, base, row_lr,
                                                            row_moves, strict=True)
            if moved))
    return Ranking(
        condition_ids=tuple(model.condition_ids[i] for i in order),
        probabilities=tuple(float(post[i]) for i in order),
        priors=tuple(float(prior.probabilities[i]) for i in order),
        explanations=tuple(explanations),
        version=model.version,
    )


def rank_arrays(model: CompiledModel, age: int, sex: str,
           evidence: Evidence) -> tuple[FloatArray, PatientPrior, npt.NDArray[np.intp]]:
    """(posterior, prior, condition order most likely first): :func:`rank`'s numbers without
    the explanations (the prior is computed once for both, and shared)."""
    prior = patient_prior(model, age, sex, evidence.present)
    post = normalise(_log_scores(model, prior.log, evidence))
    return post, prior, np.argsort(-post, kind="stable")


def observed_answers(model: CompiledModel, evidence: Evidence) -> list[tuple[str, bool]]:
    """The answers an explanation can name: (finding, present), present ones first, by id."""
    idx = model.finding_index
    return [(f, True) for f in sorted(evidence.present) if f in idx] + [
        (f, False) for f in sorted(evidence.absent) if f in idx
    ]
