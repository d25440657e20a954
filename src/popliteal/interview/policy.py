"""Which question next: expected information gain, plus a term for triage, plus screens.

Why this shape: a checker that only maximises information about the *cause* will happily
stop before asking about a clot, because the clot question rarely changes the ranking. So
each candidate's value has two parts:

* information gain over the causes, H(P) - E_answer[H(P | answer)], computed for every
  yes/no candidate at once with numpy;
* a triage term: the chance the answer is "yes" times how many levels a "yes" would raise
  the triage level (rules only, evaluated cheaply), weighted so that a question that could
  change what the patient should *do* outranks one that only reorders benign causes.

Red-flag screens (knowledge/data/screens) are a hard constraint, not a score: the interview
cannot end while a screen relevant to the current differential has unasked questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import numpy.typing as npt

from popliteal.engine import CompiledModel, Evidence, FloatArray
from popliteal.knowledge import (
    Finding,
    FindingKind,
    KnowledgeBase,
    RuleExpr,
    TriageLevel,
    TriageRule,
)
from popliteal.triage import CompiledExpr, TriageFacts, holds

#: One triage level of possible change is worth this many bits of diagnostic information.
TRIAGE_WEIGHT = 0.6
#: A question in the same group as the last one gets this bonus (natural grouping).
GROUP_BONUS = 0.02


@dataclass(frozen=True)
class Candidate:
    finding: str
    value: float
    info_gain: float
    triage_gain: float
    required: bool


def entropy(p: FloatArray) -> FloatArray:
    """Shannon entropy in bits along axis 0."""
    q = np.clip(p, 1e-12, 1.0)
    bits: FloatArray = -(p * np.log2(q)).sum(axis=0)
    return bits


def rule_level(kb: KnowledgeBase, facts: TriageFacts) -> TriageLevel:
    """The most urgent level the deterministic rules alone give (no scores, no ranking)."""
    levels = [rule.level for rs in kb.rulesets for rule in rs.rules if holds(rule.when, facts)]
    return TriageLevel.most_urgent(levels)


def _positive_ids(expr: RuleExpr | str) -> set[str]:
    """Findings whose presence ``expr`` reads (bare ids, at any depth; not ``absent``)."""
    if isinstance(expr, str):
        return {expr}
    out: set[str] = set()
    for item in [*expr.all, *expr.any]:
        out |= _positive_ids(item)
    return out


@lru_cache(maxsize=4)
def _rules_reading(kb: KnowledgeBase) -> dict[str, tuple[TriageRule, ...]]:
    """For each finding, the rules whose outcome its presence can change."""
    out: dict[str, list[TriageRule]] = {}
    for rs in kb.rulesets:
        for rule in rs.rules:
            for fid in _positive_ids(rule.when):
                out.setdefault(fid, []).append(rule)
    return {fid: tuple(rules) for fid, rules in out.items()}


def raised_level(kb: KnowledgeBase, facts: TriageFacts, current: TriageLevel,
                 finding_id: str) -> TriageLevel:
    """``rule_level`` with ``finding_id`` added to the positives, given ``current`` for facts.

    Equal to ``rule_level(kb, facts + finding_id)`` because rules are monotone (``absent``
    never names a finding that could be added here, and adding a positive can only switch
    rules on): only the rules that read ``finding_id`` can change, so only they are evaluated.
    This is a speed-up (the interview scores ~150 candidates per question), not a new rule.
    """
    rules = _rules_reading(kb).get(finding_id, ())
    if not rules:
        return current
    raised = TriageFacts(facts.positive | {finding_id}, facts.absent, facts.unknown, facts.age)
    return TriageLevel.most_urgent(
        [current, *(r.level for r in rules if holds(r.when, raised))])


def required_questions(kb: KnowledgeBase, model: CompiledModel, post: FloatArray,
                       evidence: Evidence) -> list[str]:
    """Screen questions that must still be asked, in screen order."""
    return _required(_tables(model), kb, post, evidence)


def established_by(finding: Finding) -> set[str]:
    """The yes/no findings an answer to a choice or number question can settle."""
    return {f for o in finding.options for f in o.implies} | {
        f for r in finding.ranges for f in [*r.implies, *r.denies]}


def askable(kb: KnowledgeBase, finding: Finding, evidence: Evidence, answered: set[str]) -> bool:
    """Not yet known or answered, and its skip logic allows it."""
    if finding.id in answered:
        return False
    if finding.kind is FindingKind.yes_no and (
            finding.id in evidence.present or finding.id in evidence.absent):
        return False
    if finding.kind is not FindingKind.yes_no:
        implied = established_by(finding)
        if implied and implied <= (evidence.present | evidence.absent):
            return False
    if finding.ask_if_any and not any(f in evidence.present for f in finding.ask_if_any):
        return False
    return True


def score_candidates(model: CompiledModel, age: int, post: FloatArray, evidence: Evidence,
                     answered: set[str], last_group: str | None) -> list[Candidate]:
    """Every askable question with its value, best first (ties broken by id: deterministic)."""
    return rank_candidates(model, age, post, evidence, answered, last_group).candidates()


# --------------------------------------------------------------------------- the fast path
#
# Why a second layout of the same rules: every POST /answers rebuilds an interview and asks
# for its next question, so ``score_candidates`` sits on the API's hot path. Walking the
# pydantic objects per finding (askable, established_by, raised_level: ~36k calls of
# ``holds`` per question) cost ~0.7 ms (~2 ms under a profiler). Everything that depends
# only on the knowledge base is laid out once per compiled model (``_tables``); per call,
# skip logic is a few numpy masks, the triage term is one pass over the rules, and the
# candidates are sorted as arrays. The results are identical to the plain definitions above
# (askable, raised_level, rule_level): tests/interview/test_policy_equivalence.py checks
# them against a verbatim copy of the original implementation.

BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]


_NOTHING: frozenset[str] = frozenset()


def _completions(cond: CompiledExpr, facts: TriageFacts) -> frozenset[str] | None:
    """The findings f for which ``holds(cond, facts + f)``; None when it holds already.

    Exactly ``holds`` evaluated for every single added positive at once: a bare id holds
    when it is positive (for every f) or is f itself; ``all`` intersects, ``any`` unites; the
    age and ``absent`` parts do not depend on f. (The result only ever names ids the
    expression reads, as ``_rules_reading`` assumes.)
    """
    if cond.age_min is not None and facts.age < cond.age_min:
        return _NOTHING
    if cond.age_max is not None and facts.age > cond.age_max:
        return _NOTHING
    if cond.absent and any(f not in facts.absent for f in cond.absent):
        return _NOTHING
    missing = cond.all_ids - facts.positive
    if len(missing) > 1:
        return _NOTHING  # one added finding cannot supply two
    out: frozenset[str] | None = missing or None
    for sub in cond.all_nested:
        got = _completions(sub, facts)
        if got is not None:
            out = got if out is None else out & got
            if not out:
                return _NOTHING
    if not cond.has_any or not cond.any_ids.isdisjoint(facts.positive):
        return out
    alternatives = set(cond.any_ids)
    for sub in cond.any_nested:
        got = _completions(sub, facts)
        if got is None:
            return out  # this alternative holds already
        alternatives |= got
    return frozenset(alternatives) if out is None else out & alternatives


@dataclass(frozen=True, eq=False)
class _Tables:
    """What the policy needs from one compiled model, computed once (see ``_tables``).

    Positions: the catalogue (``kb.findings``) order first, then any id the skip logic names
    that is not itself a finding, so that evidence becomes boolean vectors. Choice and number
    questions that establish yes/no findings ("settling" questions) get one row each in
    ``settle_known``/``settle_columns``, padded by repeating their first id (which changes
    neither an ``all`` nor a ``max``).
    """

    ids: tuple[str, ...]  # the catalogue
    position: dict[str, int]  # id -> position (catalogue, then the extra ids)
    universe: int
    yes_no: BoolArray  # (n,)
    column: IndexArray  # (n,) model column of each yes/no finding, -1 for others
    gated: IndexArray  # positions of findings with ask_if_any
    gate: BoolArray  # (len(gated), universe): gate[g, j] = id j in ask_if_any of gated[g]
    settling: IndexArray  # (s,) positions of the settling questions
    settle_known: IndexArray  # (s, m) positions of the ids each one establishes
    settle_columns: IndexArray  # (s, m) their model columns; ids with no column -> zero slot
    group_masks: dict[str, BoolArray]  # group -> (n,) findings in it
    name_rank: IndexArray  # (n,) rank of each id in sorted order: the tie-break
    rules: tuple[tuple[int, CompiledExpr], ...]  # (level rank, condition), most urgent first
    condition_index: dict[str, int]
    answer_entropy: FloatArray  # (C, F) H(answer | condition) in bits, per model column
    #: what the rules read of the facts: positive ids, absent ids, age limits (min, max)
    rule_reads: tuple[frozenset[str], frozenset[str], tuple[int, ...], tuple[int, ...]]
    #: ``_triage_levels_up`` by what the rules read of the facts (bounded, see there)
    levels_up: dict[tuple[object, ...], dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Shared by every request of the process: make the arrays read-only."""
        for value in vars(self).values():
            for item in value.values() if isinstance(value, dict) else [value]:
                if isinstance(item, np.ndarray):
                    item.flags.writeable = False


@lru_cache(maxsize=4)
def _tables(model: CompiledModel) -> _Tables:
    """The per-model tables (cached by model identity, like ``_rules_reading`` by kb)."""
    kb = model.kb
    findings = list(kb.findings.values())
    ids = tuple(f.id for f in findings)
    position = {fid: i for i, fid in enumerate(ids)}
    settles = {i: sorted(established_by(f)) for i, f in enumerate(findings)
               if f.kind is not FindingKind.yes_no and established_by(f)}
    for fid in [*(g for f in findings for g in f.ask_if_any),
                *(e for est in settles.values() for e in est)]:
        position.setdefault(fid, len(position))
    yes_no = np.array([f.kind is FindingKind.yes_no for f in findings], dtype=bool)
    column = np.array([model.finding_index.get(f.id, -1) for f in findings], dtype=np.intp)
    if not np.all(column[yes_no] >= 0):
        raise ValueError("every yes/no finding must have a model column")
    gated = [i for i, f in enumerate(findings) if f.ask_if_any]
    gate = np.zeros((len(gated), len(position)), dtype=bool)
    for row, i in enumerate(gated):
        gate[row, [position[g] for g in findings[i].ask_if_any]] = True
    width = max((len(est) for est in settles.values()), default=1)
    padded = [est + [est[0]] * (width - len(est)) for est in settles.values()]
    zero_slot = len(model.finding_ids)
    name_rank = np.empty(len(ids), dtype=np.intp)
    name_rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    rules = sorted(((rule.level.rank, CompiledExpr.of(rule.when))
                    for rs in kb.rulesets for rule in rs.rules), key=lambda r: r[0])
    return _Tables(
        ids=ids, position=position, universe=len(position), yes_no=yes_no, column=column,
        gated=np.array(gated, dtype=np.intp), gate=gate,
        settling=np.array(list(settles), dtype=np.intp),
        settle_known=np.array([[position[e] for e in row] for row in padded],
                              dtype=np.intp).reshape(len(padded), width),
        settle_columns=np.array([[model.finding_index.get(e, zero_slot) for e in row]
                                 for row in padded], dtype=np.intp).reshape(len(padded), width),
        group_masks={g: np.array([f.group == g for f in findings], dtype=bool)
                     for g in {f.group for f in findings}},
        name_rank=name_rank, rules=tuple(rules),
        condition_index={cid: i for i, cid in enumerate(model.condition_ids)},
        answer_entropy=_binary_entropy(model.p_yes),
        rule_reads=_rule_reads(cond for _, cond in rules))


def _positions(tables: _Tables, ids: frozenset[str] | set[str]) -> list[int]:
    """Positions of the ids that the tables know (others cannot affect any check)."""
    pos = tables.position
    return [pos[f] for f in ids if f in pos]


def _askable_mask(tables: _Tables, evidence: Evidence, answered: set[str]) -> BoolArray:
    """``askable`` for every finding at once, as a (n,) mask in catalogue order."""
    n = len(tables.ids)
    present = _positions(tables, evidence.present)
    known = np.zeros(tables.universe, dtype=bool)
    known[present] = True
    known[_positions(tables, evidence.absent)] = True
    mask = ~(tables.yes_no & known[:n])
    mask[[i for i in _positions(tables, answered) if i < n]] = False
    if len(tables.gated):
        mask[tables.gated[~tables.gate[:, present].any(axis=1)]] = False
    if len(tables.settling):
        mask[tables.settling[known[tables.settle_known].all(axis=1)]] = False
    return mask


#: How many ``_triage_levels_up`` results a knowledge base keeps (then it starts afresh).
LEVELS_UP_CACHE = 4096


def _rule_reads(conditions: Iterable[CompiledExpr]
                ) -> tuple[frozenset[str], frozenset[str], tuple[int, ...], tuple[int, ...]]:
    """Every id the rules read as present or as absent, and every age limit, at any depth."""
    positive: set[str] = set()
    absent: set[str] = set()
    minimum: set[int] = set()
    maximum: set[int] = set()
    pending = list(conditions)
    while pending:
        cond = pending.pop()
        positive |= cond.all_ids | cond.any_ids
        absent |= cond.absent
        if cond.age_min is not None:
            minimum.add(cond.age_min)
        if cond.age_max is not None:
            maximum.add(cond.age_max)
        pending += [*cond.all_nested, *cond.any_nested]
    return frozenset(positive), frozenset(absent), tuple(sorted(minimum)), tuple(sorted(maximum))


def _triage_levels_up(tables: _Tables, facts: TriageFacts) -> dict[str, int]:
    """For each finding whose "yes" alone would make the rules more urgent: by how many levels.

    Equal to ``current.rank - raised_level(...).rank`` with ``current = rule_level(...)``.
    Rules are visited most urgent first; once one holds, it sets the current level and no
    later (no more urgent) rule can change either answer, so the rest are skipped.

    Kept per knowledge base by what the rules can read of ``facts`` (the rule ids present and
    absent, which side of each age limit): the rules look at nothing else, so facts that agree
    on these give the same answer, and most patients agree with many others. (Callers must
    not change the returned dict.)
    """
    positive, absent, minimum, maximum = tables.rule_reads
    key = (facts.positive & positive, facts.absent & absent,
           tuple(facts.age < m for m in minimum), tuple(facts.age > m for m in maximum))
    cache = tables.levels_up
    found = cache.get(key)
    if found is None:
        if len(cache) >= LEVELS_UP_CACHE:
            cache.clear()
        found = cache[key] = _levels_up(tables, facts)
    return found


def _levels_up(tables: _Tables, facts: TriageFacts) -> dict[str, int]:
    """:func:`_triage_levels_up`, computed."""
    current = TriageLevel.self_care.rank
    best: dict[str, int] = {}
    for rank, cond in tables.rules:
        if rank >= current:
            break
        added = _completions(cond, facts)
        if added is None:
            current = rank
            continue
        for fid in added:
            if rank < best.get(fid, current):
                best[fid] = rank
    return {fid: current - rank for fid, rank in best.items() if rank < current}


def _info_gains(model: CompiledModel, post: FloatArray, cols: IndexArray,
                ) -> tuple[FloatArray, FloatArray]:
    """Information gain and P(yes) for the model columns ``cols``.

    The gain H(C) - E_answer[H(C | answer)] is the mutual information of cause and answer,
    which equals H(answer) - H(answer | C): the entropy of a yes/no with P(yes) = ``p_yes``,
    less the posterior-weighted entropy of each cause's own yes/no. The second term's
    per-cause entropies depend only on the model (``_Tables.answer_entropy``), so a question
    costs two vector products instead of two posteriors per candidate and their entropies.
    Equal to the plain definition (:func:`entropy` of the updated posteriors) within float
    rounding; tests/interview/test_policy_equivalence.py checks it against that reference.
    """
    p_yes: FloatArray = (post @ model.p_yes)[cols]
    conditional: FloatArray = (post @ _tables(model).answer_entropy)[cols]
    gains: FloatArray = _binary_entropy(p_yes) - conditional
    return gains, p_yes


def _binary_entropy(p: FloatArray) -> FloatArray:
    """Entropy in bits of a yes/no answer with P(yes) = ``p``, elementwise (0 log 0 = 0)."""
    yes = np.maximum(p, 1e-12)
    no = np.maximum(1.0 - p, 1e-12)
    bits: FloatArray = -(p * np.log2(yes) + (1.0 - p) * np.log2(no))
    return bits


def _round9(values: FloatArray) -> FloatArray:
    """``round(v, 9)`` for every v, equal to Python's (correctly rounded) ``round``.

    ``rint(v * 1e9)`` is the integer m that Python's exact decimal rounding picks whenever
    ``v * 1e9`` is not within 1e-4 of a half-integer (its float error is far smaller for
    |v| < 1000), and ``m / 1e9`` is then the double nearest m * 10**-9, which is what Python
    returns. The rare values outside that (near a tie, huge, not finite) go to ``round``.
    """
    if not np.abs(values).max(initial=0.0) < 1000.0:  # also NaN; never for bits and levels
        return np.array([round(v, 9) for v in values.tolist()], dtype=float)
    scaled = values * 1e9
    whole = np.rint(scaled)
    out: FloatArray = whole / 1e9
    for i in np.flatnonzero(np.abs(scaled - whole) > 0.4999).tolist():
        out[i] = round(float(values[i]), 9)
    return out


class CandidateRanking:
    """``score_candidates`` as arrays, best first on demand, without building every Candidate.

    Why: the interview needs only the best candidate and the order of the few screen
    questions still open. Sorting all ~150 candidates and listing them (``findings``,
    ``values``, ...) is done only when something asks for the whole list; ``best`` and
    ``in_order`` give the same answers as reading that list (tests compare them).
    """

    def __init__(self, tables: _Tables, positions: IndexArray, values: FloatArray,
                 info_gains: FloatArray, triage_gains: FloatArray, required: list[str]) -> None:
        self._ids = tables.ids
        self._position = tables.position
        self._positions = positions  # catalogue position of each candidate
        self._values = values
        self._info = info_gains
        self._triage = triage_gains
        self._rank = tables.name_rank[positions]  # the tie-break: the id's rank in sorted order
        self.required = required  # required_questions(...), in screen order

    def __len__(self) -> int:
        return len(self._positions)

    @cached_property
    def _rounded(self) -> FloatArray:
        return _round9(self._values)

    @cached_property
    def _order(self) -> IndexArray:
        """Indices by ``(-round(value, 9), id)``."""
        return np.lexsort((self._rank, -self._rounded))

    @cached_property
    def findings(self) -> list[str]:
        ids = self._ids
        return [ids[i] for i in self._positions[self._order].tolist()]

    @cached_property
    def values(self) -> list[float]:
        return self._values[self._order].tolist()  # type: ignore[no-any-return]

    @cached_property
    def info_gains(self) -> list[float]:
        return self._info[self._order].tolist()  # type: ignore[no-any-return]

    @cached_property
    def triage_gains(self) -> list[float]:
        return self._triage[self._order].tolist()  # type: ignore[no-any-return]

    def best(self) -> Candidate:
        """``candidate(0)``: the highest rounded value, the first id on a tie, without
        sorting the rest."""
        rounded = self._rounded
        tied = np.flatnonzero(rounded == rounded.max())
        i = int(tied[np.argmin(self._rank[tied])]) if len(tied) > 1 else int(tied[0])
        return self._at(i)

    def in_order(self, ids: set[str]) -> list[str]:
        """The candidates among ``ids``, best first (``[f for f in findings if f in ids]``)."""
        if not ids:
            return []
        wanted = np.zeros(len(self._ids), dtype=bool)
        wanted[[p for f in ids if (p := self._position.get(f, -1)) in range(len(self._ids))]] = True
        at = np.flatnonzero(wanted[self._positions])
        rounded = self._rounded[at].tolist()
        rank = self._rank[at].tolist()
        keyed = sorted(zip(rounded, rank, self._positions[at].tolist(), strict=True),
                       key=lambda r: (-r[0], r[1]))
        return [self._ids[p] for _, _, p in keyed]

    def candidate(self, i: int) -> Candidate:
        """The ``i``-th best."""
        return self._at(int(self._order[i]))

    def _at(self, i: int) -> Candidate:
        f = self._ids[int(self._positions[i])]
        return Candidate(f, float(self._values[i]), float(self._info[i]),
                         float(self._triage[i]), f in self.required)

    def candidates(self) -> list[Candidate]:
        required = set(self.required)
        return [Candidate(f, v, g, t, f in required) for f, v, g, t in zip(
            self.findings, self.values, self.info_gains, self.triage_gains, strict=True)]


def rank_candidates(model: CompiledModel, age: int, post: FloatArray, evidence: Evidence,
                    answered: set[str], last_group: str | None) -> CandidateRanking:
    """What ``score_candidates`` returns, as a :class:`CandidateRanking`.

    Per-finding arrays are kept in catalogue positions (n,) and cut to the askable ones
    (in catalogue order, as the original listed them) only at the end.
    """
    tables = _tables(model)
    mask = _askable_mask(tables, evidence, answered)
    info = np.zeros(len(tables.ids))
    triage_gain = np.zeros(len(tables.ids))
    yn = np.flatnonzero(mask & tables.yes_no)
    if len(yn):
        cols = tables.column[yn]
        gains, p_yes = _info_gains(model, post, cols)
        info[yn] = gains
        facts = TriageFacts(evidence.present, evidence.absent, frozenset(), age)
        _triage_gains(tables, facts, yn, p_yes, triage_gain)
        _settled_info(model, tables, mask, info, cols, gains)
    sel = np.flatnonzero(mask)
    info, triage_gain = info[sel], triage_gain[sel]
    value = info + TRIAGE_WEIGHT * triage_gain
    if last_group is not None and last_group in tables.group_masks:
        value[tables.group_masks[last_group][sel]] += GROUP_BONUS
    return CandidateRanking(tables, sel, value, info, triage_gain,
                            _required(tables, model.kb, post, evidence))


def _triage_gains(tables: _Tables, facts: TriageFacts, yn: IndexArray, p_yes: FloatArray,
                  out: FloatArray) -> None:
    """``P(yes) * levels up`` at the askable yes/no positions ``yn``, in place in ``out``.

    Only the few findings a rule reads can raise the level; every other entry stays 0.
    """
    up = _triage_levels_up(tables, facts)
    if not up:
        return
    n = len(tables.ids)
    at = [(tables.position[f], k) for f, k in up.items() if tables.position.get(f, n) < n]
    if not at:
        return
    p_full = np.zeros(n)  # P(yes) where askable yes/no, else 0 (and 0 * levels = 0)
    p_full[yn] = p_yes
    pos = np.array([p for p, _ in at], dtype=np.intp)
    out[pos] = p_full[pos] * np.array([k for _, k in at], dtype=np.intp)


def _settled_info(model: CompiledModel, tables: _Tables, mask: BoolArray, info: FloatArray,
                  cols: IndexArray, gains: FloatArray) -> None:
    """Info of each askable settling question, in place: the best gain among the askable
    yes/no findings it establishes, 0 for the others (``max(gains.get(f, 0.0) ...)``)."""
    if not len(tables.settling):
        return
    asked = mask[tables.settling]
    if asked.any():
        by_column = np.zeros(len(model.finding_ids) + 1)  # the last slot: ids with no column
        by_column[cols] = gains
        info[tables.settling[asked]] = by_column[tables.settle_columns[asked]].max(axis=1)


def _required(tables: _Tables, kb: KnowledgeBase, post: FloatArray,
              evidence: Evidence) -> list[str]:
    """``required_questions`` with the condition index taken from the tables (and the
    posterior read as Python floats: the same comparisons, without numpy scalars)."""
    index = tables.condition_index
    p = post.tolist()
    out: list[str] = []
    for screen in kb.screens.values():
        relevant = screen.always or any(p[index[c]] >= screen.threshold
                                        for c in screen.conditions) or any(
            f in evidence.present for f in screen.when_any)
        if relevant:
            out.extend(f for f in screen.ask if f not in out)
    return out
