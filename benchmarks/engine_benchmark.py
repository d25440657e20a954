"""Engine benchmark: sample patients from the model itself and time assessments.

Prints assessments per second and p50/p99 latency for (a) ranking alone (naive Bayes with
explanations) and (b) ranking plus triage (rules, scores and the red-flag enumeration).
Run: .venv/bin/python benchmarks/engine_benchmark.py [--patients 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from popliteal.engine import Evidence, compile_model, rank
from popliteal.engine.inference import log_prior, normalise
from popliteal.knowledge import get_knowledge_base
from popliteal.triage import triage


def sample_patients(n: int, seed: int) -> list[tuple[int, str, Evidence]]:
    """Draw age, sex, a true cause from the prior, then each finding with P(f | cause).

    Each patient reports a random subset (about 12) of their findings, as a real interview
    would, the rest being unknown.
    """
    kb = get_knowledge_base()
    model = compile_model(kb)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        age = int(rng.integers(12, 90))
        sex = "female" if rng.random() < 0.5 else "male"
        prior = normalise(log_prior(model, age, sex, frozenset()))
        ci = rng.choice(model.n_conditions, p=prior)
        truth = rng.random(len(model.finding_ids)) < model.p_yes[ci]
        asked = rng.choice(len(model.finding_ids), size=12, replace=False)
        present = frozenset(model.finding_ids[j] for j in asked if truth[j])
        absent = frozenset(model.finding_ids[j] for j in asked if not truth[j])
        out.append((age, sex, Evidence(present, absent)))
    return out


def time_it(label: str, fn, patients) -> None:  # type: ignore[no-untyped-def]
    for p in patients[:200]:
        fn(*p)  # warm-up
    lat = []
    start = time.perf_counter()
    for p in patients:
        t = time.perf_counter()
        fn(*p)
        lat.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    ms = np.array(lat) * 1000
    print(f"{label:<28} {len(patients) / total:>9.0f} /s   p50 {np.percentile(ms, 50):.3f} ms"
          f"   p99 {np.percentile(ms, 99):.3f} ms   max {ms.max():.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    kb = get_knowledge_base()
    model = compile_model(kb)
    patients = sample_patients(args.patients, args.seed)
    print(f"knowledge base {kb.version}: {model.n_conditions} conditions x "
          f"{len(model.finding_ids)} findings; {len(patients)} sampled patients")
    time_it("ranking + explanations", lambda a, s, e: rank(model, a, s, e), patients)
    time_it("ranking + triage", lambda a, s, e: (rank(model, a, s, e),
                                                  triage(model, a, s, e)), patients)


if __name__ == "__main__":
    main()
