"""The knowledge base compiled into arrays, once, stamped with the data's hash.

Why compile: inference runs on every answer of every interview (and thousands of times in the
interview's look-ahead), so the YAML objects are turned once into dense numpy arrays of
log-likelihoods. The model carries the knowledge base's version and hash, so every result can
be traced to the exact data that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from popliteal.knowledge import KnowledgeBase, TriageLevel

#: Likelihoods are clipped into this range so that no single answer is ever certain proof.
P_FLOOR, P_CEIL = 0.002, 0.998


@dataclass(frozen=True)
class PriorRule:
    condition: int
    multiply: float
    age_min: int | None
    age_max: int | None
    sex: str | None
    finding: int | None


FloatArray = npt.NDArray[np.float64]
"""The engine's arrays: probabilities and log scores, float64."""


@dataclass(frozen=True, eq=False)
class CompiledModel:
    """Dense arrays over conditions (rows) and yes/no findings (columns)."""

    kb: KnowledgeBase
    condition_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    finding_index: dict[str, int]
    log_prior: FloatArray  # (C,) log base rates
    prior_rules: tuple[PriorRule, ...]
    p_yes: FloatArray  # (C, F) P(present | condition)
    background: FloatArray  # (F,) P(present | baseline)
    log_yes: FloatArray  # (C, F)
    log_no: FloatArray  # (C, F)
    urgency: tuple[TriageLevel, ...]
    escalate_above: FloatArray  # (C,) NaN where the condition has no escalation threshold
    version: str

    @property
    def n_conditions(self) -> int:
        return len(self.condition_ids)


def compile_model(kb: KnowledgeBase) -> CompiledModel:
    """Compile ``kb``; cached per knowledge-base hash."""
    return _compile_cached(kb)


@lru_cache(maxsize=4)
def _compile_cached(kb: KnowledgeBase) -> CompiledModel:
    conditions = sorted(kb.conditions.values(), key=lambda c: c.id)
    findings = kb.binary_findings
    index = {fid: i for i, fid in enumerate(findings)}
    background = np.array([kb.findings[f].background for f in findings], dtype=float)
    p_yes = np.tile(background, (len(conditions), 1))
    rules: list[PriorRule] = []
    for ci, cond in enumerate(conditions):
        for lk in cond.findings:
            p_yes[ci, index[lk.finding]] = lk.p
        listed = {lk.finding for lk in cond.findings}
        for mod in cond.prior.modifiers:
            w = mod.when
            if w.finding is not None and w.finding in listed:
                # The likelihood already carries this finding (and its absence); applying the
                # context multiplier as well would count the same evidence twice.
                continue
            rules.append(PriorRule(ci, mod.multiply, w.age_min, w.age_max, w.sex,
                                   index[w.finding] if w.finding else None))
    p_yes = np.clip(p_yes, P_FLOOR, P_CEIL)
    per_1000 = np.array([c.prior.per_1000 for c in conditions], dtype=float)
    escalate = np.array([c.escalate_above if c.escalate_above is not None else np.nan
                         for c in conditions])
    return CompiledModel(
        kb=kb,
        condition_ids=tuple(c.id for c in conditions),
        finding_ids=tuple(findings),
        finding_index=index,
        log_prior=np.log(per_1000 / per_1000.sum()),
        prior_rules=tuple(rules),
        p_yes=p_yes,
        background=np.clip(background, P_FLOOR, P_CEIL),
        log_yes=np.log(p_yes),
        log_no=np.log1p(-p_yes),
        urgency=tuple(c.urgency for c in conditions),
        escalate_above=escalate,
        version=kb.version,
    )
