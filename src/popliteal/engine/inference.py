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

import numpy as np

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
    out = model.log_prior.copy()
    idx = model.finding_index
    present_idx = {idx[f] for f in present if f in idx}
    for rule in model.prior_rules:
        if rule.age_min is not None and age < rule.age_min:
            continue
        if rule.age_max is not None and age > rule.age_max:
            continue
        if rule.sex is not None and sex != rule.sex:
            continue
        if rule.finding is not None and rule.finding not in present_idx:
            continue
        out[rule.condition] += np.log(rule.multiply)
    return out


def log_scores(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> FloatArray:
    """Unnormalised log posterior per condition (model order)."""
    idx = model.finding_index
    yes = [idx[f] for f in evidence.present if f in idx]
    no = [idx[f] for f in evidence.absent if f in idx]
    scores = log_prior(model, age, sex, evidence.present)
    if yes:
        scores = scores + model.log_yes[:, yes].sum(axis=1)
    if no:
        scores = scores + model.log_no[:, no].sum(axis=1)
    return scores


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
    post = posterior(model, age, sex, evidence)
    prior = normalise(log_prior(model, age, sex, evidence.present))
    order = np.argsort(-post, kind="stable")
    idx = model.finding_index
    observed = [(f, True) for f in sorted(evidence.present) if f in idx] + [
        (f, False) for f in sorted(evidence.absent) if f in idx
    ]
    explanations = []
    for ci in order:
        items = []
        for fid, present in observed:
            j = idx[fid]
            p_c, p_b = float(model.p_yes[ci, j]), float(model.background[j])
            lr = p_c / p_b if present else (1 - p_c) / (1 - p_b)
            if abs(np.log(lr)) > 1e-9:
                items.append(Explanation(fid, present, lr, p_c, p_b))
        explanations.append(tuple(items))
    return Ranking(
        condition_ids=tuple(model.condition_ids[i] for i in order),
        probabilities=tuple(float(post[i]) for i in order),
        priors=tuple(float(prior[i]) for i in order),
        explanations=tuple(explanations),
        version=model.version,
    )
