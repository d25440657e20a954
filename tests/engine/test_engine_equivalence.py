"""The engine's caches and shortcuts give exactly what the plain computations gave.

Why this file: the log prior is now computed once per (age, sex, context findings) and
shared read-only; ``rank`` computes it once instead of twice; ``assess`` builds evidence
without parsing its already-checked answers a second time. The plain versions are kept
below, verbatim apart from names, as the *slow reference*; results must be equal to the bit.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from popliteal.engine import (
    UNKNOWN,
    CompiledModel,
    Evidence,
    Explanation,
    FloatArray,
    Ranking,
    build_evidence,
    evidence_from,
    log_scores,
    normalise,
    parse_answer,
    patient_prior,
    posterior,
    rank,
    rank_arrays,
)
from popliteal.engine.inference import log_prior
from popliteal.knowledge import FindingKind, KnowledgeBase

# ============================================================================ slow reference


def ref_log_prior(model: CompiledModel, age: int, sex: str, present: frozenset[str]
                  ) -> FloatArray:
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


def ref_log_scores(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> FloatArray:
    idx = model.finding_index
    # (sorted since: the sums must not depend on set order, i.e. on PYTHONHASHSEED)
    yes = sorted(idx[f] for f in evidence.present if f in idx)
    no = sorted(idx[f] for f in evidence.absent if f in idx)
    scores = ref_log_prior(model, age, sex, evidence.present)
    if yes:
        scores = scores + model.log_yes[:, yes].sum(axis=1)
    if no:
        scores = scores + model.log_no[:, no].sum(axis=1)
    return scores


def ref_rank(model: CompiledModel, age: int, sex: str, evidence: Evidence) -> Ranking:
    post = normalise(ref_log_scores(model, age, sex, evidence))
    prior = normalise(ref_log_prior(model, age, sex, evidence.present))
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


# ============================================================================ tests


def random_evidence(kb: KnowledgeBase, rng: random.Random) -> Evidence:
    answers = {f: rng.choice(["yes", "no", "unknown"])
               for f in rng.sample(kb.binary_findings,
                                   rng.randint(0, min(40, len(kb.binary_findings))))}
    return build_evidence(kb, answers)


@pytest.fixture(params=["packaged", "mini"])
def some_kb(request, kb, mini_kb) -> KnowledgeBase:  # type: ignore[no-untyped-def]
    return kb if request.param == "packaged" else mini_kb


def test_rank_and_posterior_equal_the_reference(some_kb) -> None:  # type: ignore[no-untyped-def]
    from popliteal.engine import compile_model

    model = compile_model(some_kb)
    rng = random.Random(1)
    for _ in range(200):
        ev = random_evidence(some_kb, rng)
        age, sex = rng.randint(0, 120), rng.choice(["female", "male"])
        assert rank(model, age, sex, ev) == ref_rank(model, age, sex, ev)
        assert np.array_equal(posterior(model, age, sex, ev),
                              normalise(ref_log_scores(model, age, sex, ev)))
        assert np.array_equal(log_scores(model, age, sex, ev), ref_log_scores(model, age, sex, ev))
        post, prior, order = rank_arrays(model, age, sex, ev)
        assert np.array_equal(prior.log, ref_log_prior(model, age, sex, ev.present))
        assert np.array_equal(prior.probabilities,
                              normalise(ref_log_prior(model, age, sex, ev.present)))


def test_the_shared_prior_cannot_be_changed_through_log_prior(model) -> None:  # type: ignore[no-untyped-def]
    present = frozenset({"regular_sport"})
    first = log_prior(model, 30, "male", present)
    first += 100.0  # the caller's own copy
    assert np.array_equal(log_prior(model, 30, "male", present),
                          ref_log_prior(model, 30, "male", present))
    shared = patient_prior(model, 30, "male", present)
    assert not shared.log.flags.writeable and not shared.probabilities.flags.writeable
    scores = log_scores(model, 30, "male", Evidence())  # no answers: still a fresh array
    scores += 1.0
    assert np.array_equal(patient_prior(model, 30, "male", frozenset()).log,
                          ref_log_prior(model, 30, "male", frozenset()))


def test_parse_answer_returns_its_own_output_unchanged(kb) -> None:  # type: ignore[no-untyped-def]
    """What ``evidence_from`` relies on to skip parsing checked answers a second time."""
    rng = random.Random(2)
    for finding in kb.findings.values():
        raws: list[object] = ["unknown", "Don't know"]
        if finding.kind is FindingKind.yes_no:
            raws += [True, False, "yes", "No", 1, 0]
        elif finding.kind is FindingKind.choice:
            raws += [o.value.upper() + " " for o in finding.options]
        elif finding.kind is FindingKind.multi:
            raws += [[o.value for o in finding.options], ",".join(o.value.upper() for o in
                                                               finding.options[:2])]
        else:
            assert finding.min is not None and finding.max is not None
            raws += [finding.min, finding.max, str(rng.uniform(finding.min, finding.max)),
                     int((finding.min + finding.max) // 2)]
        for raw in raws:
            once = parse_answer(kb, finding.id, raw)
            twice = parse_answer(kb, finding.id, once)
            assert twice == once and type(twice) is type(once), (finding.id, raw)


def test_evidence_from_checked_answers_equals_build_evidence(kb) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    findings = list(kb.findings.values())
    for _ in range(200):
        raw: dict[str, object] = {}
        for f in rng.sample(findings, rng.randint(0, 30)):
            if f.kind is FindingKind.yes_no:
                raw[f.id] = rng.choice([True, False, "yes", "no", UNKNOWN])
            elif f.kind is FindingKind.number:
                assert f.min is not None and f.max is not None
                raw[f.id] = rng.uniform(f.min, f.max)
            else:
                raw[f.id] = rng.choice([o.value for o in f.options])
        checked = {fid: parse_answer(kb, fid, v) for fid, v in raw.items()}
        some = set(rng.sample(sorted(checked), len(checked) // 2))
        expected = build_evidence(kb, raw)
        assert evidence_from(kb, checked, checked.keys()) == expected
        assert evidence_from(kb, {**raw, **{f: checked[f] for f in some}}, some) == expected
