"""The engine's arithmetic, checked against cases computed by hand on the mini base.

Mini base priors: strain 600, cyst 300, clot 100 per 1000. Likelihoods P(present | cause):
injury .9/.1/.2, lump .05/.8/(background .1), calf_swelling .1/.1/.8, fever bg .05/.05/.05.
Modifiers: strain x2 with sport; cyst x3 at age >= 50.
"""

from __future__ import annotations

import math

import pytest

from popliteal.engine import (
    AnswerError,
    Evidence,
    build_evidence,
    compile_model,
    parse_answer,
    posterior,
    rank,
)
from popliteal.knowledge import UnknownFindingError


def probs(kb, age, sex, answers):  # type: ignore[no-untyped-def]
    r = rank(compile_model(kb), age, sex, build_evidence(kb, answers))
    return dict(zip(r.condition_ids, r.probabilities, strict=True)), r


def test_no_answers_gives_the_priors(mini_kb) -> None:  # type: ignore[no-untyped-def]
    p, _ = probs(mini_kb, 30, "female", {})
    assert p == pytest.approx({"strain": 0.6, "cyst": 0.3, "clot": 0.1})


def test_lump_yes_injury_no_by_hand(mini_kb) -> None:  # type: ignore[no-untyped-def]
    # strain .6*.05*.1=.003; cyst .3*.8*.9=.216; clot .1*.1*.8=.008; total .227
    p, r = probs(mini_kb, 30, "female", {"lump": "yes", "injury": "no"})
    assert r.condition_ids[0] == "cyst"
    assert p["cyst"] == pytest.approx(0.216 / 0.227)
    assert p["strain"] == pytest.approx(0.003 / 0.227)
    assert p["clot"] == pytest.approx(0.008 / 0.227)


def test_age_modifier_multiplies_the_prior(mini_kb) -> None:  # type: ignore[no-untyped-def]
    # cyst prior x3 at 60: .6 / .9 / .1 -> normalised by 1.6
    p, _ = probs(mini_kb, 60, "male", {})
    assert p["cyst"] == pytest.approx(0.9 / 1.6)


def test_activity_modifier_and_likelihood(mini_kb) -> None:  # type: ignore[no-untyped-def]
    # sport present: strain prior x2 (1.2); every cause has sport at background .3
    p, _ = probs(mini_kb, 30, "male", {"sport": "yes"})
    assert p["strain"] == pytest.approx(1.2 / 1.6)


def test_unknown_answer_carries_no_information(mini_kb) -> None:  # type: ignore[no-untyped-def]
    p1, _ = probs(mini_kb, 30, "female", {"lump": "unknown"})
    p0, _ = probs(mini_kb, 30, "female", {})
    assert p1 == pytest.approx(p0)


def test_explanations_are_likelihood_ratios(mini_kb) -> None:  # type: ignore[no-untyped-def]
    _, r = probs(mini_kb, 30, "female", {"injury": "yes", "lump": "no"})
    strain = r.explanations[r.condition_ids.index("strain")]
    by_id = {e.finding: e for e in strain}
    assert by_id["injury"].likelihood_ratio == pytest.approx(0.9 / 0.5)
    assert by_id["lump"].likelihood_ratio == pytest.approx(0.95 / 0.9)
    # posterior odds = prior odds x product of LRs (relative to another cause)
    pc, _ = probs(mini_kb, 30, "female", {"injury": "yes", "lump": "no"})
    odds = (0.6 * 0.9 * 0.95) / (0.3 * 0.1 * 0.2)
    assert pc["strain"] / pc["cyst"] == pytest.approx(odds)


def test_number_answer_sets_its_derived_findings(mini_kb) -> None:  # type: ignore[no-untyped-def]
    assert "recent" in build_evidence(mini_kb, {"days_since_onset": 3}).present
    assert "recent" in build_evidence(mini_kb, {"days_since_onset": "30"}).absent
    # the patient's own yes/no beats what a number implies
    ev = build_evidence(mini_kb, {"days_since_onset": 30, "recent": "yes"})
    assert "recent" in ev.present


@pytest.mark.parametrize(
    ("finding", "value", "message"),
    [
        ("lump", "maybe", "expected yes, no or unknown"),
        ("days_since_onset", 99999, "from 0 to 3650"),
        ("days_since_onset", "soon", "expected a number"),
        ("days_since_onset", float("nan"), "from 0 to 3650"),
        ("side", "middle", "expected one of left, right"),
    ],
)
def test_bad_answers_are_refused(mini_kb, finding, value, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerError, match=message):
        parse_answer(mini_kb, finding, value)


def test_unknown_finding_suggests(mini_kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownFindingError, match="did you mean lump"):
        parse_answer(mini_kb, "lumpy", "yes")


def test_posterior_sums_to_one_on_the_packaged_model(model, kb) -> None:  # type: ignore[no-untyped-def]
    ev = Evidence(present=frozenset(list(kb.binary_findings)[:10]))
    p = posterior(model, 40, "female", ev)
    assert math.isclose(float(p.sum()), 1.0)
    assert len(p) == len(kb.conditions)


_FINGERPRINT = """
import hashlib
from popliteal.interview import Interview
iv = Interview.start(58, "female", "Swollen warm calf and pain behind my knee after a long flight.")
for fid, value in [("fever", "no"), ("knee_swelling", "yes"), ("calf_tender", "unknown")]:
    iv = iv.answer(fid, value)
result = iv.result().model_dump_json()
question = iv.next_question()
print(hashlib.sha256((result + repr(question)).encode()).hexdigest())
"""


def test_the_same_answers_give_the_same_bits_in_every_process() -> None:
    """Two server processes serving one interview must agree exactly: set order (which
    depends on PYTHONHASHSEED) must not leak into sums, rankings or the next question."""
    import os
    import subprocess
    import sys

    prints = {
        subprocess.run([sys.executable, "-c", _FINGERPRINT], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(prints) == 1, prints
