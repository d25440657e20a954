"""Urgency from the ranking, computed so that a red flag can only ever add concern.

Why the enumeration: the ranking is probabilistic, and a red flag that makes one dangerous
cause *more* likely can make another *less* likely (fever moves probability from a clot to an
infection). Taken naively, adding a red flag could lower the level. So the level from the
ranking is the most urgent level over every way of reading the red flags the patient reported:
each as reported, unanswered, or denied. Adding a red flag only adds readings, so the result
can never fall (the property tests in tests/triage check this). With more than
``MAX_ENUMERATED`` red flags reported, the most urgent level is returned outright: that many
warning signs together are an emergency in themselves.

How, without computing every reading when that cannot change the answer: the patient's own
reading comes first. It settles the level when it already reaches the most urgent level any
cause has, or when a bound shows that no more urgent cause can count in any reading
(:func:`_more_urgent_possible`). Otherwise the readings are computed in blocks, in order,
stopping once the most urgent level is reached. Each reading's scores are added in the same
order as ever, so every probability, and so every level and reason, is the same to the bit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from popliteal.engine import CompiledModel, Evidence, FloatArray, log_scores, normalise
from popliteal.knowledge import TriageLevel

IntArray = npt.NDArray[np.int_]

MAX_ENUMERATED = 7
#: A non-critical cause's usual level applies when it is at least this probable (C.2 rule 2
#: suggests 10%; the top-ranked cause always counts).
DEFAULT_THRESHOLD = 0.25
#: Critical causes (``escalate_above`` in their files) apply at their own, lower threshold.

#: Readings are computed in blocks of 3 ** BLOCK_FLAGS (the last flags vary within a block).
BLOCK_FLAGS = 5
#: How far inside the bound a cause must be to be left out: far above any rounding error.
BOUND_MARGIN = 1e-6


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
    tables = _tables(model)
    thresholds = _thresholds(model, threshold)
    # states: 0 reported (yes), 1 unanswered, 2 denied; options[k][state] is what flag k adds.
    options = [tables.options[model.finding_index[f]] for f in flags]
    own = base
    for opt in options:
        own = own + opt[0]
    # ``post``/``level_rank``: one row, the reading that sets the level (first the patient's).
    post = normalise(own[None, :])
    level_rank = _level_ranks(post, tables.ranks, thresholds)
    own_rank = int(level_rank.min())
    settled = own_rank == tables.min_rank or not flags or (
        len(flags) > 1 and not _more_urgent_possible(
            base, [tables.least_gap(model.finding_index[f]) for f in flags], tables.ranks,
            thresholds, own_rank))
    if not settled:
        post, level_rank = _first_most_urgent(base, options, tables, thresholds)
    best_rank = int(level_rank.min())
    candidates = np.where(level_rank[0] == best_rank)[0]
    ci = int(candidates[post[0, candidates].argmax()])
    return RankingLevel(model.urgency[ci], model.condition_ids[ci], float(post[0, ci]),
                        best_rank == own_rank)


def _level_ranks(post: FloatArray, ranks: IntArray, thresholds: FloatArray) -> IntArray:
    """Per reading (row) and cause: the cause's level rank where it counts, else 99.

    A cause counts when it is past its threshold or the most probable cause of the reading.
    """
    eligible = post >= thresholds
    eligible[np.arange(len(post)), post.argmax(axis=1)] = True
    level_rank: IntArray = np.where(eligible, ranks, 99)
    return level_rank


def _first_most_urgent(base: FloatArray, options: list[FloatArray], tables: _Tables,
                       thresholds: FloatArray) -> tuple[FloatArray, IntArray]:
    """(posterior, level ranks) of the first reading, in enumeration order, that reaches the
    most urgent level of all readings (so the patient's own whenever it does)."""
    best: tuple[int, FloatArray, IntArray] | None = None
    for total in _readings(base, options):
        post = normalise(total)
        level_rank = _level_ranks(post, tables.ranks, thresholds)
        per_reading = level_rank.min(axis=1)
        i = int(per_reading.argmin())
        if best is None or per_reading[i] < best[0]:
            best = int(per_reading[i]), post[i:i + 1], level_rank[i:i + 1]
            if best[0] == tables.min_rank:
                break  # nothing later can be more urgent, or come first
    assert best is not None
    return best[1], best[2]


def _readings(base: FloatArray, options: list[FloatArray]) -> Iterator[FloatArray]:
    """The log scores of every reading, in blocks of rows, in ``itertools.product`` order
    (the first flag varies slowest; row 0 is the patient's own reading).

    Each row is ``base + options[0][s0] + options[1][s1] + ...``, added in that order.
    """
    head = max(0, len(options) - BLOCK_FLAGS)
    for states in itertools.product((0, 1, 2), repeat=head):
        start = base
        for opt, state in zip(options[:head], states, strict=True):
            start = start + opt[state]
        total = start[None, :]
        for opt in options[head:]:
            # C order, as tiled rows were: a row's sum (in ``normalise``) depends on layout.
            grown = np.empty((len(total), 3, len(base)))
            np.add(total[:, None, :], opt[None, :, :], out=grown)
            total = grown.reshape(-1, len(base))
        yield total


def _more_urgent_possible(base: FloatArray, least_gaps: list[FloatArray], ranks: IntArray,
                          thresholds: FloatArray, level_rank: int) -> bool:
    """Whether a cause more urgent than ``level_rank`` might count in some reading.

    Over all readings, the log odds of cause c' over cause c are at least
    ``gap[c', c] = base[c'] - base[c] + sum over flags of least_gap[c', c]``, where a flag's
    ``least_gap`` is the least, over its three states, of what it adds to c' minus what it
    adds to c (each flag's state is chosen independently, so the minimum splits flag by flag).
    So in every reading P(c) <= 1 / sum over c' of exp(gap[c', c]), and c is never the most
    probable when gap[c', c] > 0 for some c'. A cause below its threshold by that bound, and
    never the most probable, never counts. ``False`` is a proof (with ``BOUND_MARGIN`` to
    spare); ``True`` only means "enumerate".
    """
    urgent = ranks < level_rank
    if not urgent.any():
        return False
    gap = base[:, None] - base[None, :]
    for least in least_gaps:
        gap = gap + least
    gap = gap[:, urgent]
    # Capped so that nothing overflows; a smaller sum only raises the bound (still valid).
    bound = 1.0 / np.exp(np.minimum(gap, 600.0)).sum(axis=0)
    never_top = (gap > BOUND_MARGIN).any(axis=0)
    can_count = ~never_top | (bound >= thresholds[urgent] - BOUND_MARGIN)
    return bool(can_count.any())


@dataclass(frozen=True, eq=False)
class _Tables:
    ranks: IntArray  # (C,) each cause's level rank
    min_rank: int  # the most urgent of them
    options: FloatArray  # (F, 3, C): per finding, log P(yes), 0 (unanswered), log P(no)
    least_gaps: dict[int, FloatArray] = field(default_factory=dict)  # filled on first use

    def least_gap(self, j: int) -> FloatArray:
        """(C, C): the least, over finding j's states, of what it adds to c' minus to c."""
        least = self.least_gaps.get(j)
        if least is None:
            opt = self.options[j]
            least = (opt[:, :, None] - opt[:, None, :]).min(axis=0)
            least.flags.writeable = False
            self.least_gaps[j] = least
        return least


@lru_cache(maxsize=4)
def _tables(model: CompiledModel) -> _Tables:
    """Per compiled model, once (cached by model identity, like ``compile_model`` by kb)."""
    ranks = np.array([u.rank for u in model.urgency])
    options = np.stack([model.log_yes.T, np.zeros_like(model.log_yes.T), model.log_no.T],
                       axis=1)
    ranks.flags.writeable = False
    options.flags.writeable = False
    return _Tables(ranks=ranks, min_rank=int(ranks.min()), options=options)


@lru_cache(maxsize=16)
def _thresholds(model: CompiledModel, threshold: float) -> FloatArray:
    """Each cause's escalation threshold: its own ``escalate_above``, else ``threshold``."""
    out: FloatArray = np.where(np.isnan(model.escalate_above), threshold, model.escalate_above)
    out.flags.writeable = False
    return out
