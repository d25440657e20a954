"""Urgency from the ranking, computed so that a red flag can only ever add concern.

Why the enumeration: the ranking is probabilistic, and a red flag that makes one dangerous
cause *more* likely can make another *less* likely (fever moves probability from a clot to an
infection). Taken naively, adding a red flag could lower the level. So the level from the
ranking is the most urgent level over every way of reading the red flags the patient reported:
each as reported, unanswered, or denied. Adding a red flag only adds readings, so the result
can never fall (the property tests in tests/triage check this). With more than
``MAX_ENUMERATED`` red flags reported, the most urgent level is returned outright: that many
warning signs together are an emergency in themselves.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from popliteal.engine import CompiledModel, Evidence, log_scores, normalise
from popliteal.knowledge import TriageLevel

MAX_ENUMERATED = 7
#: A non-critical cause's usual level applies when it is at least this probable (C.2 rule 2
#: suggests 10%; the top-ranked cause always counts).
DEFAULT_THRESHOLD = 0.25
#: Critical causes (``escalate_above`` in their files) apply at their own, lower threshold.


@dataclass(frozen=True)
class RankingLevel:
    level: TriageLevel
    condition: str | None  # the cause that set the level
    probability: float
    exact: bool  # True when the patient's own reading set it


def level_from_ranking(model: CompiledModel, age: int, sex: str, evidence: Evidence,
                       red_flags: frozenset[str],
                       threshold: float = DEFAULT_THRESHOLD) -> RankingLevel:
    """Most urgent level implied by the ranking over all readings of the reported red flags."""
    flags = sorted(f for f in evidence.present & red_flags if f in model.finding_index)
    if len(flags) > MAX_ENUMERATED:
        return RankingLevel(TriageLevel.emergency_now, None, 1.0, False)
    base_ev = Evidence(evidence.present - set(flags), evidence.absent, evidence.unknown)
    base = log_scores(model, age, sex, base_ev)
    idx = [model.finding_index[f] for f in flags]
    # states: 0 reported (yes), 1 unanswered, 2 denied; the first row is the patient's own.
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
    # prefer the patient's own reading when it reaches the level (the first row)
    reading = 0 if exact else int(best_per_reading.argmin())
    candidates = np.where(level_rank[reading] == best_rank)[0]
    ci = int(candidates[post[reading, candidates].argmax()])
    return RankingLevel(model.urgency[ci], model.condition_ids[ci], float(post[reading, ci]),
                        exact)
