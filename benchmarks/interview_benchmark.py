"""Benchmark the adaptive interview against fixed-order questionnaires of the same questions.

    .venv/bin/python benchmarks/interview_benchmark.py [--patients 1000] [--seed 7]
        [--max-questions 20] [--jobs 2] [--runs truthful,dont_know,vignettes]

It prints figures, it is not a test. Three runs:

* ``truthful``: simulated patients sampled from the compiled model itself. Age uniform in
  12-85, sex 50/50; the true cause drawn from the prior for that age and sex (activity
  modifiers left out: they depend on findings not yet drawn); every yes/no finding drawn
  independently with P(present | cause), exactly the naive-Bayes model the engine assumes.
  Choice and number questions are answered with the option or a value in the range whose
  implied findings match the drawn ones exactly (``side``: "both" iff both_knees, else left or
  right at random); when no option or range matches, "unknown".
* ``dont_know``: the same patients, but each of them answers "don't know" to a fixed random
  20 % of the questions (the same questions in every strategy).
* ``vignettes``: the public vignettes; each question is answered from what the language
  layer (``popliteal.language.extract_findings``) finds in the vignette's text, and
  "unknown" otherwise. Scored against ``gold`` / ``triage`` (+ ``triage_acceptable``).

Simulated patients start with no text, so every strategy begins from the same prior. Vignette
interviews start from the vignette's text, as the product does (questions the text cannot
answer get "unknown", which triage treats as "yes" for red flags: a pessimistic reading);
``--no-vignettes-from-text`` starts them from nothing instead. Strategies, all with the same
question limit:

* ``adaptive``: :class:`popliteal.interview.Interview` with its stop rule.
* ``fixed (catalogue)``: the catalogue order (knowledge/data/findings, file by file), each
  question asked if the interview's skip logic allows it (``policy.askable``); never stops
  early.
* ``fixed (best static)``: a stronger baseline: the order the adaptive policy ranks the
  questions in before any answer (information gain + triage term at the population prior),
  with the same skip logic.

Reference triage for simulated patients: ``triage`` on the patient's full truth (every drawn
finding known). Scores at k questions use the answers after k questions (or the final answers
if the interview stopped earlier).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from popliteal.engine import UNKNOWN, Evidence, compile_model, normalise
from popliteal.engine.inference import log_prior, posterior
from popliteal.interview import Interview, InterviewConfig, policy
from popliteal.interview.policy import askable, score_candidates
from popliteal.knowledge import Finding, FindingKind, KnowledgeBase, get_knowledge_base
from popliteal.triage import triage

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes" / "public.jsonl"
LEVELS = ["emergency_now", "urgent_same_day", "doctor_soon", "physio", "self_care"]
CONFIG = InterviewConfig()
STRATEGIES = ("adaptive", "fixed_catalogue", "fixed_static")
TITLES = {"adaptive": "adaptive", "fixed_catalogue": "fixed (catalogue)",
          "fixed_static": "fixed (best static)"}


@dataclass
class Patient:
    age: int
    sex: str
    gold: str
    triage_ok: frozenset[str]  # reference level(s)
    answers: dict[str, Any] = field(default_factory=dict)  # finding id -> answer
    text: str | None = None  # the patient's words the interview starts from, if any


# ----------------------------------------------------------------------------- patients


def _implied(f: Finding) -> set[str]:
    return {x for o in f.options for x in o.implies} | {
        x for r in f.ranges for x in r.implies}


def _exact(implies: list[str], denies: list[str], present: set[str], implied_all: set[str],
           ) -> bool:
    """An option/range a truthful patient could give: it says exactly what is true."""
    return (set(implies) == implied_all & present) and not (set(denies) & present)


def answer_for(f: Finding, present: set[str], rng: np.random.Generator) -> Any:
    """A truthful answer to a non-yes/no question given the drawn yes/no findings."""
    implied_all = _implied(f)
    if f.kind is FindingKind.choice:
        fits = [o.value for o in f.options if _exact(o.implies, o.denies, present, implied_all)]
        return fits[int(rng.integers(len(fits)))] if fits else UNKNOWN
    if f.kind is FindingKind.multi:
        chosen = [o.value for o in f.options if o.implies and set(o.implies) <= present]
        return chosen or UNKNOWN
    fits = [r for r in f.ranges if _exact(r.implies, r.denies, present, implied_all)]
    if not fits:
        return UNKNOWN
    r = fits[int(rng.integers(len(fits)))]
    assert f.min is not None and f.max is not None
    lo = f.min if r.min is None else max(r.min, f.min)
    hi = f.max if r.max is None else min(r.max, f.max)
    return round((lo + hi) / 2, 3)


def simulate(kb: KnowledgeBase, n: int, seed: int, dont_know: float) -> list[Patient]:
    model = compile_model(kb)
    rng = np.random.default_rng(seed)
    patients = []
    for _ in range(n):
        age = int(rng.integers(12, 86))
        sex = "female" if rng.random() < 0.5 else "male"
        prior = normalise(log_prior(model, age, sex, frozenset()))
        c = int(rng.choice(len(prior), p=prior))
        drawn = rng.random(len(model.finding_ids)) < model.p_yes[c]
        present = {f for f, d in zip(model.finding_ids, drawn, strict=True) if d}
        absent = set(model.finding_ids) - present
        answers: dict[str, Any] = {}
        for fid, f in kb.findings.items():
            answers[fid] = fid in present if f.kind is FindingKind.yes_no else answer_for(
                f, present, rng)
        mask = rng.random(len(kb.findings)) < dont_know  # drawn even at 0: same patients
        if dont_know > 0:
            for fid, m in zip(kb.findings, mask, strict=True):
                if m:
                    answers[fid] = UNKNOWN
        ref = triage(model, age, sex, Evidence(frozenset(present), frozenset(absent)))
        patients.append(Patient(age, sex, model.condition_ids[c],
                                frozenset({ref.level.value}), answers))
    return patients


def vignette_patients(kb: KnowledgeBase, path: Path, from_text: bool) -> list[Patient] | str:
    try:
        from popliteal.language import extract_findings
    except ImportError as exc:
        return f"skipped: the language layer does not import ({exc})"
    if not path.exists():
        return f"skipped: {path} not found"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        v = json.loads(line)
        answers: dict[str, Any] = {fid: UNKNOWN for fid in kb.findings}
        for tf in extract_findings(v["text"], kb).findings:
            value = tf.present if kb.findings[tf.id].kind is FindingKind.yes_no else tf.value
            if value is not None:
                answers[tf.id] = value
        out.append(Patient(v["age"], v["sex"], v["gold"],
                           frozenset([v["triage"], *v.get("triage_acceptable", [])]), answers,
                           text=v["text"] if from_text else None))
    return out


# ----------------------------------------------------------------------------- strategies


def static_order(kb: KnowledgeBase) -> list[str]:
    """The policy's ranking before any answer (adults of both sexes, averaged by rank)."""
    model = compile_model(kb)
    ranks: dict[str, list[int]] = {}
    for age, sex in ((25, "male"), (45, "female"), (65, "male"), (75, "female")):
        post = posterior(model, age, sex, Evidence())
        for i, c in enumerate(score_candidates(model, age, post, Evidence(), set(), None)):
            ranks.setdefault(c.finding, []).append(i)
    return sorted(ranks, key=lambda f: (statistics.mean(ranks[f]), f))


def _fixed_next(iv: Interview, order: list[str]) -> str | None:
    answered = {a.id for a in iv.state.answers}
    for fid in order:
        if askable(iv.kb, iv.kb.findings[fid], iv.evidence, answered):
            return fid
    return None


def _score(iv: Interview, p: Patient) -> tuple[bool, bool, bool, int]:
    post = posterior(iv.model, p.age, p.sex, iv.evidence)
    top = [iv.model.condition_ids[i] for i in np.argsort(-post, kind="stable")[:3]]
    level = triage(iv.model, p.age, p.sex, iv.evidence).level.value
    under = LEVELS.index(level) > max(LEVELS.index(x) for x in p.triage_ok)
    return top[0] == p.gold, p.gold in top, level in p.triage_ok, int(under)


def run_one(args: tuple[Patient, int, list[str], list[str]]) -> dict[str, Any]:
    """Every strategy on one patient: scores after 0..max questions, questions asked."""
    p, max_q, catalogue, best_static = args
    cfg = CONFIG
    out: dict[str, Any] = {"reference": min(p.triage_ok, key=LEVELS.index)}
    for name in STRATEGIES:
        iv = Interview.start(p.age, p.sex, text=p.text, config=cfg)
        scores = [_score(iv, p)]
        t0 = time.perf_counter()
        while iv.questions_asked < max_q:
            if name == "adaptive":
                q = iv.next_question()
                fid = q.id if q else None
            else:
                fid = _fixed_next(iv, catalogue if name == "fixed_catalogue" else best_static)
            if fid is None:
                break
            iv = iv.answer(fid, p.answers[fid])
            scores.append(_score(iv, p))
        elapsed = time.perf_counter() - t0
        asked = iv.questions_asked
        scores += [scores[-1]] * (max_q + 1 - len(scores))
        out[name] = {"scores": scores, "asked": asked, "seconds": elapsed}
    return out


# ----------------------------------------------------------------------------- report


def report(title: str, results: list[dict[str, Any]], max_q: int, seconds: float) -> None:
    n = len(results)
    refs = [r["reference"] for r in results]
    curves = {s: np.array([r[s]["scores"] for r in results], dtype=float).mean(axis=0)
              for s in STRATEGIES}  # (max_q + 1, 4)
    print(f"\n=== {title}: n={n}, at most {max_q} questions ({seconds:.0f} s) ===")
    print("reference triage (most urgent acceptable): " + ", ".join(
        f"{lv} {refs.count(lv) / n:.0%}" for lv in LEVELS))
    head = "  ".join(f"{TITLES[s]:>26}" for s in STRATEGIES)
    print(f"{'questions':>9}  {head}")
    print(f"{'':>9}  " + "  ".join(f"{'top1  top3 triage under':>26}" for _ in STRATEGIES))
    for k in range(0, max_q + 1, 2):
        cells = "  ".join("{:>26}".format(" ".join(f"{curves[s][k][i]:5.1%}" for i in range(4)))
                          for s in STRATEGIES)
        print(f"{k:>9}  {cells}")
    asked = [r["adaptive"]["asked"] for r in results]
    per_q = sum(r["adaptive"]["seconds"] for r in results) / max(1, sum(asked))
    early = np.mean(np.array(asked) < max_q)
    print(f"adaptive: median questions {statistics.median(asked):g}, mean "
          f"{statistics.mean(asked):.1f}, stopped before the limit {early:.0%}"
          f"; {per_q * 1000:.1f} ms per question")
    for base in ("fixed_catalogue", "fixed_static"):
        final = curves[base][max_q]
        needed = []
        for i, label in enumerate(("top1", "top3", "triage")):
            k = next((k for k in range(max_q + 1) if curves["adaptive"][k][i] >= final[i] - 1e-12),
                     None)
            needed.append(f"{label} {final[i]:.1%} at {k if k is not None else 'never'}")
        print(f"adaptive reaches {TITLES[base]} final accuracy ({max_q} q): " + ", ".join(needed)
              + f"  (target <= {max_q // 2})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-questions", type=int, default=InterviewConfig().max_questions)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", default="truthful,dont_know,vignettes")
    ap.add_argument("--vignettes", type=Path, default=VIGNETTES)
    ap.add_argument("--vignettes-from-text", action=argparse.BooleanOptionalAction, default=True,
                    help="start each vignette interview from its text, as the product does "
                         "(default); --no-vignettes-from-text starts from nothing and draws "
                         "every answer from the text")
    ap.add_argument("--stop-probability", type=float, default=None,
                    help="override InterviewConfig.stop_probability (for tuning)")
    ap.add_argument("--min-gain", type=float, default=None,
                    help="override InterviewConfig.min_gain (for tuning)")
    ap.add_argument("--triage-weight", type=float, default=None,
                    help="override policy.TRIAGE_WEIGHT (for tuning)")
    args = ap.parse_args(argv)
    global CONFIG
    CONFIG = InterviewConfig(**{k: v for k, v in (
        ("max_questions", args.max_questions), ("stop_probability", args.stop_probability),
        ("min_gain", args.min_gain)) if v is not None})
    if args.triage_weight is not None:
        policy.TRIAGE_WEIGHT = args.triage_weight  # inherited by forked workers
    kb = get_knowledge_base()
    catalogue = list(kb.findings)
    best_static = static_order(kb)
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    print(f"knowledge base {kb.version}; seed {args.seed}; config {CONFIG}; TRIAGE_WEIGHT "
          f"{policy.TRIAGE_WEIGHT}, GROUP_BONUS {policy.GROUP_BONUS}")
    for run in runs:
        t0 = time.perf_counter()
        if run == "truthful":
            patients = simulate(kb, args.patients, args.seed, 0.0)
            title = "simulated patients, truthful"
        elif run == "dont_know":
            patients = simulate(kb, args.patients, args.seed, 0.2)
            title = "simulated patients, 20% don't know"
        elif run == "vignettes":
            got = vignette_patients(kb, args.vignettes, args.vignettes_from_text)
            if isinstance(got, str):
                print(f"\n=== public vignettes: {got} ===")
                continue
            patients, title = got, f"public vignettes ({args.vignettes.name})"
        else:
            print(f"unknown run {run!r}", file=sys.stderr)
            return 2
        work = [(p, args.max_questions, catalogue, best_static) for p in patients]
        if args.jobs > 1:
            with ProcessPoolExecutor(args.jobs) as pool:
                results = list(pool.map(run_one, work, chunksize=16))
        else:
            results = [run_one(w) for w in work]
        report(title, results, args.max_questions, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
