"""The fast question policy gives exactly what the original, plain one gave.

Why this file: ``score_candidates`` was rewritten for speed (tables per knowledge base, numpy
skip logic, one pass over the triage rules, sorting without building every candidate first).
The original implementation is kept below, verbatim apart from names, as the *slow
reference*; the tests play many random interviews and random synthetic states and require
the same candidates in the same order, values equal within 1e-9, and the same next question.
Do not "optimise" the reference: its only job is to stay obviously equal to the old code.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from popliteal.assessment import read_text, text_answer
from popliteal.engine import UNKNOWN, CompiledModel, Evidence, FloatArray, compile_model
from popliteal.engine.inference import posterior
from popliteal.interview import Interview, InterviewConfig, policy
from popliteal.interview.policy import Candidate, _round9, entropy, score_candidates
from popliteal.knowledge import (
    Finding,
    FindingKind,
    KnowledgeBase,
    RuleExpr,
    TriageLevel,
    TriageRule,
    load_knowledge_base,
)
from popliteal.triage import TriageFacts, holds

# ============================================================================ slow reference
# Slow reference, kept to prove the fast one equal (copied from policy.py / session.py before
# the speed-up; only the names changed, and the weights are read from ``policy`` at call time
# so that a test can override them as the interview benchmark does).


def ref_rule_level(kb: KnowledgeBase, facts: TriageFacts) -> TriageLevel:
    levels = [rule.level for rs in kb.rulesets for rule in rs.rules if holds(rule.when, facts)]
    return TriageLevel.most_urgent(levels)


def ref_positive_ids(expr: RuleExpr | str) -> set[str]:
    if isinstance(expr, str):
        return {expr}
    out: set[str] = set()
    for item in [*expr.all, *expr.any]:
        out |= ref_positive_ids(item)
    return out


@lru_cache(maxsize=4)
def ref_rules_reading(kb: KnowledgeBase) -> dict[str, tuple[TriageRule, ...]]:
    out: dict[str, list[TriageRule]] = {}
    for rs in kb.rulesets:
        for rule in rs.rules:
            for fid in ref_positive_ids(rule.when):
                out.setdefault(fid, []).append(rule)
    return {fid: tuple(rules) for fid, rules in out.items()}


def ref_raised_level(kb: KnowledgeBase, facts: TriageFacts, current: TriageLevel,
                     finding_id: str) -> TriageLevel:
    rules = ref_rules_reading(kb).get(finding_id, ())
    if not rules:
        return current
    raised = TriageFacts(facts.positive | {finding_id}, facts.absent, facts.unknown, facts.age)
    return TriageLevel.most_urgent(
        [current, *(r.level for r in rules if holds(r.when, raised))])


def ref_required_questions(kb: KnowledgeBase, model: CompiledModel, post: FloatArray,
                           evidence: Evidence) -> list[str]:
    index = {cid: i for i, cid in enumerate(model.condition_ids)}
    out: list[str] = []
    for screen in kb.screens.values():
        relevant = screen.always or any(post[index[c]] >= screen.threshold
                                        for c in screen.conditions) or any(
            f in evidence.present for f in screen.when_any)
        if relevant:
            out.extend(f for f in screen.ask if f not in out)
    return out


def ref_established_by(finding: Finding) -> set[str]:
    return {f for o in finding.options for f in o.implies} | {
        f for r in finding.ranges for f in [*r.implies, *r.denies]}


def ref_askable(kb: KnowledgeBase, finding: Finding, evidence: Evidence,
                answered: set[str]) -> bool:
    if finding.id in answered:
        return False
    if finding.kind is FindingKind.yes_no and (
            finding.id in evidence.present or finding.id in evidence.absent):
        return False
    if finding.kind is not FindingKind.yes_no:
        implied = ref_established_by(finding)
        if implied and implied <= (evidence.present | evidence.absent):
            return False
    if finding.ask_if_any and not any(f in evidence.present for f in finding.ask_if_any):
        return False
    return True


def ref_score_candidates(model: CompiledModel, age: int, post: FloatArray, evidence: Evidence,
                         answered: set[str], last_group: str | None) -> list[Candidate]:
    kb = model.kb
    required = set(ref_required_questions(kb, model, post, evidence))
    ids = [f.id for f in kb.findings.values() if ref_askable(kb, f, evidence, answered)]
    yes_no = [f for f in ids if f in model.finding_index]
    gains: dict[str, float] = {}
    p_yes_by_id: dict[str, float] = {}
    if yes_no:
        cols = [model.finding_index[f] for f in yes_no]
        like = model.p_yes[:, cols]  # (C, k)
        p_yes = post @ like  # (k,)
        post_yes = post[:, None] * like / np.clip(p_yes, 1e-12, None)
        post_no = post[:, None] * (1 - like) / np.clip(1 - p_yes, 1e-12, None)
        h_now = float(entropy(post[:, None])[0])
        expected = p_yes * entropy(post_yes) + (1 - p_yes) * entropy(post_no)
        for f, g, py in zip(yes_no, h_now - expected, p_yes, strict=True):
            gains[f] = float(g)
            p_yes_by_id[f] = float(py)

    facts = TriageFacts(evidence.present, evidence.absent, frozenset(), age)
    current = ref_rule_level(kb, facts)
    out: list[Candidate] = []
    for fid in ids:
        finding = kb.findings[fid]
        if finding.kind is FindingKind.yes_no:
            info = gains.get(fid, 0.0)
            raised = ref_raised_level(kb, facts, current, fid)
            levels_up = max(0, current.rank - raised.rank)
            triage_gain = p_yes_by_id.get(fid, finding.background) * levels_up
        else:
            info = max((gains.get(f, 0.0) for f in ref_established_by(finding)), default=0.0)
            triage_gain = 0.0
        value = info + policy.TRIAGE_WEIGHT * triage_gain
        if last_group is not None and finding.group == last_group:
            value += policy.GROUP_BONUS
        out.append(Candidate(fid, value, info, triage_gain, fid in required))
    out.sort(key=lambda c: (-round(c.value, 9), c.finding))
    return out


def ref_text_answers(kb: KnowledgeBase, text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    out: dict[str, Any] = {}
    for tf in read_text(kb, text).findings:
        value = text_answer(kb, tf)
        if value is not None:
            out[tf.id] = value
    return out


def ref_candidates(iv: Interview) -> tuple[FloatArray, list[Candidate]]:
    """``Interview.candidates`` on the reference: (posterior, candidates)."""
    state, kb, model = iv.state, iv.kb, iv.model
    post = posterior(model, state.age, state.sex, iv.evidence)
    last = state.answers[-1].id if state.answers else None
    last_group = kb.findings[last].group if last else None
    answered = {a.id for a in state.answers} | set(ref_text_answers(kb, state.text))
    return post, ref_score_candidates(model, state.age, post, iv.evidence, answered, last_group)


def ref_next_question(iv: Interview, post: FloatArray, candidates: list[Candidate],
                      ) -> tuple[str, bool] | None:
    """``Interview.next_question`` on the reference candidates: (question id, required)."""
    state, kb, model = iv.state, iv.kb, iv.model
    cfg = state.config
    if len(state.answers) >= cfg.max_questions:
        return None
    if not candidates:
        return None
    asked = {a.id for a in state.answers}
    known = iv.evidence.present | iv.evidence.absent | asked
    required = {f for f in ref_required_questions(kb, model, post, iv.evidence)
                if f not in known}
    screens = [c for c in candidates if c.finding in required]
    remaining = cfg.max_questions - len(state.answers)

    def confident(best: Candidate) -> bool:
        settled = best.triage_gain <= 0.0
        probable = float(post.max()) >= cfg.stop_probability
        return settled and (probable or best.info_gain < cfg.min_gain)

    if screens and (remaining <= len(screens) or confident(candidates[0])):
        return screens[0].finding, True
    if confident(candidates[0]):
        return None
    best = candidates[0]
    return best.finding, best.finding in required


# ============================================================================ comparison


def assert_same(fast: list[Candidate], slow: list[Candidate]) -> None:
    assert [c.finding for c in fast] == [c.finding for c in slow]
    for f, s in zip(fast, slow, strict=True):
        assert type(f) is Candidate
        assert f.required == s.required, f.finding
        assert abs(f.value - s.value) <= 1e-9, f.finding
        assert abs(f.info_gain - s.info_gain) <= 1e-9, f.finding
        assert abs(f.triage_gain - s.triage_gain) <= 1e-9, f.finding


TEXTS = [
    None,
    "My knee hurts at the back.",
    "My calf is swollen and the calf hurts.",
    "I twisted my knee playing football yesterday and it swelled up quickly.",
    "There is a lump behind my knee that gets tight when I bend it.",
    "Pain behind my knee for months, worse after running downhill.",
    "Sudden pain in my calf after a long flight, and now I am short of breath.",
    "My knee gave way on the stairs and now it locks and I cannot straighten it.",
    "Both knees are stiff in the morning for over an hour and my fingers are swollen.",
    "I have a fever and the back of my knee is hot and red.",
]


def random_answer(finding: Finding, rng: random.Random) -> Any:
    """Any answer the finding accepts, "unknown" included."""
    if rng.random() < 0.2:
        return UNKNOWN
    if finding.kind is FindingKind.yes_no:
        return rng.choice(["yes", "no"])
    if finding.kind is FindingKind.number:
        assert finding.min is not None and finding.max is not None
        return rng.choice([finding.min, finding.max, rng.uniform(finding.min, finding.max),
                           float(rng.randint(0, 10))])
    values = [o.value for o in finding.options]
    if finding.kind is FindingKind.multi:
        return rng.sample(values, rng.randint(1, len(values)))
    return rng.choice(values)


def check(iv: Interview) -> None:
    """The fast policy equals the reference on this interview (candidates and next question)."""
    state = iv.state
    post, slow = ref_candidates(iv)
    last = state.answers[-1].id if state.answers else None
    last_group = iv.kb.findings[last].group if last else None
    answered = {a.id for a in state.answers} | set(ref_text_answers(iv.kb, state.text))
    assert_same(score_candidates(iv.model, state.age, post, iv.evidence, answered, last_group),
                slow)
    assert_same(iv.candidates(), slow)
    # the ranking's shortcuts read the full order the same way
    ranking = iv._ranking()
    if len(ranking):
        assert ranking.best() == ranking.candidate(0) == iv.candidates()[0]
        for ids in (set(ranking.required), set(ranking.findings[::3]), {"no_such_id"}):
            assert ranking.in_order(ids) == [f for f in ranking.findings if f in ids]
    q = iv.next_question()
    assert (None if q is None else (q.id, q.required)) == ref_next_question(iv, post, slow)


def walk(kb: KnowledgeBase | None, seed: int, texts: list[str | None]) -> int:
    """One random interview to a random depth <= 20, checked after every answer."""
    rng = random.Random(seed)
    config = InterviewConfig(max_questions=rng.choice([20, 20, 12, 6]))
    iv = Interview.start(rng.randint(12, 90), rng.choice(["female", "male"]),
                         text=rng.choice(texts), config=config, kb=kb)
    findings = list(iv.kb.findings.values())
    checked = 0
    for _ in range(rng.randint(0, 20)):
        check(iv)
        checked += 1
        q = iv.next_question()
        roll = rng.random()
        if roll < 0.05 and iv.state.answers:
            iv = iv.back()
            continue
        finding = iv.kb.findings[q.id] if q is not None and roll < 0.6 else rng.choice(findings)
        iv = iv.answer(finding.id, random_answer(finding, rng))
    check(iv)
    return checked + 1


def test_random_interviews_match_the_reference(kb: KnowledgeBase) -> None:
    checked = sum(walk(kb, seed, TEXTS) for seed in range(100))
    assert checked > 800


def test_interviews_played_by_the_policy_match_the_reference(kb: KnowledgeBase) -> None:
    """Interviews that follow the policy (as real ones do) to the stop rule or the limit."""
    for seed in range(25):
        rng = random.Random(1000 + seed)
        iv = Interview.start(rng.randint(12, 90), rng.choice(["female", "male"]),
                             text=rng.choice(TEXTS), kb=kb)
        while True:
            check(iv)
            q = iv.next_question()
            if q is None:
                break
            iv = iv.answer(q.id, random_answer(kb.findings[q.id], rng))


# ---------------------------------------------------------------- synthetic states, odd KBs

EXTRA_FINDINGS = """
- id: joints_hurting
  kind: multi
  label: other joints
  question: "Which other joints hurt?"
  group: joints
  options:
    - {value: hands, label: Hands, implies: [sport]}
    - {value: hips, label: Hips, implies: [lump], denies: [sport]}
- id: lump_hard
  label: the lump is hard
  question: "Is the lump hard?"
  group: lump
  ask_if_any: [lump, calf_swelling]
  background: 0.2
- id: lump_grows
  label: the lump grows
  question: "Is the lump growing?"
  group: lump
  ask_if_any: [lump_hard]
  background: 0.1
"""

EXTRA_RULES = """
id: extra
title: Extra rules that use every kind of condition
source: test-source
rules:
  - id: nested
    level: emergency_now
    when: {all: [injury, {any: [lump_hard, {all: [fever, lump]}]}], age_min: 30}
    reason: "A rule with nested conditions, for the tests."
    clinician: "Nested."
    source: test-source
  - id: unless_sport
    level: doctor_soon
    when: {any: [lump, lump_grows], absent: [sport]}
    reason: "A rule that needs an explicit no, for the tests."
    clinician: "Absent."
    source: test-source
  - id: young_pair
    level: urgent_same_day
    when: {all: [lump, recent], age_max: 40}
    reason: "A rule with two findings and an age, for the tests."
    clinician: "Pair."
    source: test-source
  - id: old_any_nested
    level: physio
    when: {any: [{all: [sport, injury]}, {any: [lump_grows]}], age_min: 60}
    reason: "A rule with only nested alternatives, for the tests."
    clinician: "Older."
    source: test-source
"""


@pytest.fixture()
def rich_kb(mini_kb_dir: Path) -> KnowledgeBase:
    """The mini knowledge base plus a multi question, skip logic chains and rules with
    nesting, ``absent`` and ages (the packaged rules use no ``absent``)."""
    with (mini_kb_dir / "findings" / "f.yaml").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_FINDINGS)
    (mini_kb_dir / "triage" / "extra.yaml").write_text(EXTRA_RULES, encoding="utf-8")
    return load_knowledge_base(mini_kb_dir, require_spec_conditions=False)


def random_states(model: CompiledModel, seed: int, n: int,
                  ) -> list[tuple[int, FloatArray, Evidence, set[str], str | None]]:
    """Arbitrary (age, posterior, evidence, answered, last group): not only reachable ones."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    ids = list(model.kb.findings)
    groups = sorted({f.group for f in model.kb.findings.values()})
    out = []
    for _ in range(n):
        shuffled = rng.sample(ids, len(ids))
        k_present, k_absent = rng.randint(0, len(ids) // 3), rng.randint(0, len(ids) // 3)
        present = frozenset(shuffled[:k_present])
        absent = frozenset(shuffled[k_present:k_present + k_absent])
        answered = set(rng.sample(ids, rng.randint(0, len(ids) // 4))) | {"not_a_finding"}
        post = np_rng.dirichlet(np.full(model.n_conditions, rng.choice([0.05, 0.5, 5.0])))
        last_group = rng.choice([None, *groups])
        out.append((rng.randint(0, 120), post, Evidence(present, absent), answered,
                    last_group))
    return out


@pytest.mark.parametrize("which", ["packaged", "rich", "mini"])
def test_synthetic_states_match_the_reference(which: str, kb: KnowledgeBase,
                                              mini_kb: KnowledgeBase,
                                              rich_kb: KnowledgeBase) -> None:
    model = compile_model({"packaged": kb, "rich": rich_kb, "mini": mini_kb}[which])
    for age, post, evidence, answered, last_group in random_states(model, 7, 400):
        assert_same(score_candidates(model, age, post, evidence, answered, last_group),
                    ref_score_candidates(model, age, post, evidence, answered, last_group))


def test_rich_kb_interviews_match_the_reference(rich_kb: KnowledgeBase) -> None:
    for seed in range(60):
        walk(rich_kb, seed, [None])


def test_exact_ties_are_ordered_by_id(kb: KnowledgeBase) -> None:
    """A flat posterior gives many equal values: ties must fall back to the finding id."""
    model = compile_model(kb)
    post = np.full(model.n_conditions, 1.0 / model.n_conditions)
    fast = score_candidates(model, 40, post, Evidence(), set(), None)
    assert_same(fast, ref_score_candidates(model, 40, post, Evidence(), set(), None))


def test_weights_are_read_at_call_time(kb: KnowledgeBase,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The interview benchmark overrides ``policy.TRIAGE_WEIGHT`` for tuning."""
    model = compile_model(kb)
    states = random_states(model, 11, 30)
    for weight, bonus in ((0.0, 0.0), (2.5, 0.3)):
        monkeypatch.setattr(policy, "TRIAGE_WEIGHT", weight)
        monkeypatch.setattr(policy, "GROUP_BONUS", bonus)
        for age, post, evidence, answered, last_group in states:
            assert_same(score_candidates(model, age, post, evidence, answered, last_group),
                        ref_score_candidates(model, age, post, evidence, answered,
                                             last_group))


def test_vectorised_rounding_is_pythons_round() -> None:
    """The sort key rounds with numpy; it must give Python's ``round(v, 9)`` bit for bit,
    including decimal half-way values and their neighbours (which numpy alone can miss)."""
    rng = np.random.default_rng(3)
    halves = (rng.integers(-10**10, 10**10, 20_000) + 0.5) / 1e9
    values = np.concatenate([
        rng.uniform(-5.0, 5.0, 20_000), halves, np.nextafter(halves, np.inf),
        np.nextafter(halves, -np.inf), rng.integers(-10**12, 10**12, 5_000) / 1e9,
        np.exp(rng.uniform(-60.0, 2.0, 5_000)) * rng.choice([-1.0, 1.0], 5_000),
        [0.0, -0.0, 5e-10, -5e-10, 2.5e-9, 999.9999999995, 1e3, 1e300, -1e300],
    ])
    fast = _round9(values)
    slow = np.array([round(v, 9) for v in values.tolist()])
    assert np.array_equal(fast, slow)
    assert np.array_equal(np.signbit(fast), np.signbit(slow))
    for chunk in (values[:0], values[-3:], np.array([0.1234567895])):
        assert [round(v, 9) for v in chunk.tolist()] == _round9(chunk).tolist()
