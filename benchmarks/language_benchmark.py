"""Language benchmark: narratives per second, p50/p99 per narrative, and cold start.

Times (a) extracting findings from text and (b) the whole assessment from text, over the
public vignette texts repeated to --narratives, after a warm-up; then the cold start of one
`popliteal assess --text` process beside `python -c "import popliteal"`, in the same run.
Run: .venv/bin/python benchmarks/language_benchmark.py [--narratives 2000] [--cold-runs 5]
     [--matching keyed|plain]
(``plain``: the plain medSpaCy target matcher and spaCy matchers, every rule at every token,
the "before" figure of the keyed matchers; see popliteal.language.matching.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from popliteal.assessment import assess
from popliteal.knowledge import get_knowledge_base
from popliteal.language import clear_cache, extract_findings
from popliteal.language.pipeline import get_pipeline, use_matching

ROOT = Path(__file__).resolve().parents[1]
VIGNETTES = ROOT.parent / "shared" / "vignettes" / "public.jsonl"
FALLBACK = [
    "Sore lump behind my knee, feels tight when I squat, no fever.",
    "My calf is swollen and warm after a 13 hour flight from London last week.",
    "Leg kena twisted during futsal, knee jammed and cannot straighten, got swelling.",
]


def texts(n: int) -> list[tuple[int, str, str]]:
    rows = []
    if VIGNETTES.exists():
        for line in VIGNETTES.read_text().splitlines():
            if line.strip():
                v = json.loads(line)
                rows.append((v["age"], v["sex"], v["text"]))
    rows = rows or [(45, "female", t) for t in FALLBACK]
    return [rows[i % len(rows)] for i in range(n)]


def time_each(label: str, fn, items) -> None:  # type: ignore[no-untyped-def]
    for item in items[:50]:
        fn(*item)
    lat = []
    start, cpu = time.perf_counter(), time.process_time()
    for item in items:
        t = time.perf_counter()
        fn(*item)
        lat.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    ms = np.array(lat) * 1000
    print(f"{label:<26} {len(items) / total:>8.0f} narratives/s   "
          f"p50 {np.percentile(ms, 50):.2f} ms   p99 {np.percentile(ms, 99):.2f} ms   "
          f"CPU {cpu / len(items) * 1000:.2f} ms/narrative")


def cold(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--narratives", type=int, default=2000)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--matching", choices=["keyed", "plain"], default="keyed")
    args = parser.parse_args()
    use_matching(args.matching)
    kb = get_knowledge_base()
    t = time.perf_counter()
    extract_findings("Warm-up: pain behind my knee.", kb)
    print(f"pipeline build (first text): {(time.perf_counter() - t) * 1000:.0f} ms "
          f"(build_pipeline {get_pipeline(kb).build_seconds * 1000:.0f} ms, spaCy imports "
          f"included; matching: {args.matching})")
    items = texts(args.narratives)
    # the reading cache is cleared before each narrative: these are first readings
    time_each("extract findings", lambda a, s, x: (clear_cache(), extract_findings(x, kb)), items)
    time_each("whole assessment", lambda a, s, x: (clear_cache(), assess(a, s, text=x, kb=kb)),
              items)
    bindir = Path(sys.executable).parent
    imp = cold([sys.executable, "-c", "import popliteal"], args.cold_runs)
    one = cold([str(bindir / "popliteal"), "assess", "--age", "54", "--sex", "female", "--text",
                FALLBACK[0], "--json"], args.cold_runs)
    print(f"cold start, median of {args.cold_runs}: python -c 'import popliteal' "
          f"{imp * 1000:.0f} ms; popliteal assess --text {one * 1000:.0f} ms")


if __name__ == "__main__":
    main()
