"""API benchmark: whole assessments through HTTP beside a trivial endpoint, in the same run.

Starts ``popliteal serve`` (``--workers`` processes, by default one per core as the deployment
is documented; a temporary SQLite file in WAL mode unless ``--database-url`` says otherwise,
every answer flushed to disk before it is acknowledged) on a free loopback port, then, with
the same client and concurrency, drives:

- ``--assessments`` whole assessments, each patient with a text of their own (so the
  language layer's per-text cache never helps): start (POST), every answer (POST) until the
  interview ends, then the result (GET); each HTTP request is timed;
- as many ``GET /api/v1/health`` requests as the assessments made.

The two alternate ``--rounds`` times (a quarter of the assessments each by default): this
machine's speed drifts by a factor of two or more within minutes, and a run that measured
all assessments first and then all ``/health`` requests credited the drift to one side.

Prints requests per second and p50/p99 latency for both, the ratio of throughputs over the
whole run and per round (target: the assessment's at least half the trivial endpoint's),
assessments per second, and the
server's CPU time (user and system) and context switches per request for both (from /proc;
many voluntary switches mean threads waiting on each other, for the GIL). The CPU figure
does not depend on the client: the client (httpx in threads) runs on the same machine,
competes for its cores, and caps the trivial endpoint's rate, which flatters the throughput
ratio.
Run: .venv/bin/python benchmarks/api_benchmark.py [--assessments 200] [--workers CORES]
     [--concurrency 4*WORKERS] [--rounds 4] [--database-url postgresql+psycopg2://...]
(``--workers 1`` measures a single process, which waits for its own fsyncs.)
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from popliteal.api.local_server import LocalServer as Server
from popliteal.api.local_server import Usage

# Every patient gets a different text (as in a clinic), built from these parts, so the
# language layer's per-text cache never answers for a new patient.
OPENINGS = ["Pain behind my knee", "Aching at the back of my left knee",
            "Sharp pain behind the right knee", "My calf and the back of my knee hurt",
            "Tightness behind my knee", "A dull ache in the back of the knee"]
DETAILS = ["when I bend it", "after a long flight", "since I twisted it playing football",
           "when I run uphill", "when I straighten it fully", "and it is swollen and warm",
           "and it clicks and locks", "stiff in the morning for an hour",
           "with a lump I can feel", "after gardening all day"]
SINCE = ["for {n} days", "for about {n} weeks", "since {n} days ago", "on and off for {n} months"]


def patient_text(index: int) -> str:
    """The ``index``-th of 2,160 different texts (opening x detail x duration phrase x 1-9)."""
    index, opening = divmod(index, len(OPENINGS))
    index, detail = divmod(index, len(DETAILS))
    index, since = divmod(index, len(SINCE))
    return (f"{OPENINGS[opening]} {DETAILS[detail]}, "
            f"{SINCE[since].format(n=index % 9 + 1)}.")


def answer_for(question: dict, rng: random.Random) -> object:
    if question["kind"] == "number":
        return "unknown"
    if question["kind"] == "multi":
        return [rng.choice(question["options"][:-1] or question["options"])]
    return rng.choice(question["options"])


def one_assessment(client: httpx.Client, rng: random.Random, timings: list[float],
                   index: int) -> int:
    """Start, answer until done, result. Returns the number of requests made."""
    def timed(call: Callable[[], httpx.Response]) -> httpx.Response:
        start = time.perf_counter()
        response = call()
        timings.append(time.perf_counter() - start)
        response.raise_for_status()
        return response

    body = {"age": rng.randint(16, 85), "sex": rng.choice(["female", "male"]),
            "text": patient_text(index), "consent": True}
    started = timed(lambda: client.post("/api/v1/assessments", json=body)).json()
    token, question = started["token"], started["next_question"]
    requests = 1
    while question is not None:
        answer = {"id": question["id"], "answer": answer_for(question, rng)}
        question = timed(lambda body=answer: client.post(  # type: ignore[misc]
            f"/api/v1/assessments/{token}/answers", json=body)).json()["next_question"]
        requests += 1
    timed(lambda: client.get(f"/api/v1/assessments/{token}/result"))
    return requests + 1


def run_parallel(concurrency: int, work: Callable[[int, httpx.Client], None], url: str) -> float:
    failures: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                work(index, client)
        except BaseException as exc:  # reported after the run, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        first = failures[0]
        detail = first.response.text if isinstance(first, httpx.HTTPStatusError) else ""
        raise SystemExit(f"{len(failures)} client(s) failed: {first!r} {detail}")
    return elapsed


@dataclass
class Phase:
    """One phase of a round: every request's time, the wall time, the server's usage."""

    timings: list[float]
    elapsed: float
    usage: Usage
    client_cpu: float  # seconds of CPU this process (the client's threads) used


def one_round(server: Server, assessments: int, concurrency: int, seed: int,
              patients: Iterator[int]) -> tuple[Phase, Phase]:
    """``assessments`` whole assessments, then as many ``/health`` requests as they made."""
    lock = threading.Lock()
    a_timings: list[float] = []
    per_client = [assessments // concurrency + (1 if i < assessments % concurrency else 0)
                  for i in range(concurrency)]

    def assess_work(index: int, client: httpx.Client) -> None:
        rng = random.Random(seed * 1000 + index)
        mine: list[float] = []
        for _ in range(per_client[index]):
            one_assessment(client, rng, mine, next(patients))
        with lock:
            a_timings.extend(mine)

    before, cpu = server.usage(), time.process_time()
    a_elapsed = run_parallel(concurrency, assess_work, server.url)
    a = Phase(a_timings, a_elapsed, server.usage() - before, time.process_time() - cpu)
    n_health = len(a_timings)
    h_timings: list[float] = []

    def health_work(index: int, client: httpx.Client) -> None:
        share = n_health // concurrency + (1 if index < n_health % concurrency else 0)
        mine = []
        for _ in range(share):
            start = time.perf_counter()
            client.get("/api/v1/health").raise_for_status()
            mine.append(time.perf_counter() - start)
        with lock:
            h_timings.extend(mine)

    before, cpu = server.usage(), time.process_time()
    h_elapsed = run_parallel(concurrency, health_work, server.url)
    return a, Phase(h_timings, h_elapsed, server.usage() - before, time.process_time() - cpu)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=None,
                        help="client threads (default: 4 per server process)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=min(16, os.cpu_count() or 1),
                        help="server processes (default: one per core, as deployed)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="assessments and /health alternate this many times (the machine's "
                             "speed drifts; alternating exposes both to the same drift)")
    parser.add_argument("--database-url", default=None,
                        help="default: a temporary SQLite file (WAL); a PostgreSQL URL gets "
                             "real rows written into that database")
    args = parser.parse_args()
    if args.concurrency is None:
        args.concurrency = 4 * args.workers
    if not 1 <= args.assessments <= 2000 or not 1 <= args.concurrency <= 64 or not (
            1 <= args.workers <= 16) or not 1 <= args.rounds <= min(20, args.assessments):
        parser.error("--assessments 1-2000, --concurrency 1-64, --workers 1-16, "
                     "--rounds 1-20 (at most --assessments)")

    rounds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        server = Server(db_url, workers=args.workers).wait_ready()
        try:
            with httpx.Client(base_url=server.url) as warm:  # first-request costs, not measured
                for _ in range(20):
                    warm.get("/api/v1/health")
            a_timings: list[float] = []
            h_timings: list[float] = []
            a_elapsed = h_elapsed = a_client = h_client = 0.0
            a_use = h_use = Usage(0.0, 0.0, 0, 0)
            patients = itertools.count()  # next() on it is atomic: a unique number each
            for r in range(args.rounds):
                share = args.assessments // args.rounds + (r < args.assessments % args.rounds)
                a, h = one_round(server, share, args.concurrency, args.seed * 100 + r, patients)
                a_timings += a.timings
                h_timings += h.timings
                a_elapsed += a.elapsed
                h_elapsed += h.elapsed
                a_client += a.client_cpu
                h_client += h.client_cpu
                a_use, h_use = a_use + a.usage, h_use + h.usage
                rounds.append(len(a.timings) / a.elapsed / (len(h.timings) / h.elapsed))
        finally:
            server.stop()

    a_rps, h_rps = len(a_timings) / a_elapsed, len(h_timings) / h_elapsed
    database = ("PostgreSQL" if args.database_url and args.database_url.startswith("postgresql")
                else "SQLite (WAL, every answer flushed before it is acknowledged)")
    print(f"server: {args.workers} uvicorn process(es), {database}; client: httpx, "
          f"concurrency {args.concurrency}; python {sys.version.split()[0]}")
    print(f"assessments: {args.assessments} whole assessments, {len(a_timings)} requests "
          f"({len(a_timings) / args.assessments:.1f} per assessment) in {a_elapsed:.2f} s")
    print(f"  assessment requests: {a_rps:8.1f} req/s  p50 {pct(a_timings, 0.5):6.1f} ms  "
          f"p99 {pct(a_timings, 0.99):6.1f} ms  mean {statistics.mean(a_timings) * 1000:.1f} ms")
    print(f"  /health (trivial):   {h_rps:8.1f} req/s  p50 {pct(h_timings, 0.5):6.1f} ms  "
          f"p99 {pct(h_timings, 0.99):6.1f} ms  ({len(h_timings)} requests)")
    print(f"  whole assessments:   {args.assessments / a_elapsed:8.2f} per second")
    a_n, h_n = len(a_timings), len(h_timings)
    a_ms = (a_use.user + a_use.system) / a_n * 1000
    h_ms = (h_use.user + h_use.system) / h_n * 1000
    print(f"server CPU per request: assessment {a_ms:.2f} ms, /health {h_ms:.2f} ms "
          f"(/health's cost is {h_ms / a_ms:.2f} of the assessment's)")
    for name, use, n in (("assessment", a_use, a_n), ("/health", h_use, h_n)):
        print(f"  {name:11} user {use.user / n * 1000:.2f} ms, system {use.system / n * 1000:.2f} "
              f"ms, context switches {use.voluntary_switches / n:.1f} voluntary "
              f"+ {use.involuntary_switches / n:.1f} involuntary per request")
    print(f"client CPU per request (httpx, {args.concurrency} threads of one process, so at "
          f"most one core): assessment {a_client / a_n * 1000:.2f} ms, /health "
          f"{h_client / h_n * 1000:.2f} ms; client busy {a_client / a_elapsed:.0%} and "
          f"{h_client / h_elapsed:.0%} of the time")
    ratio = a_rps / h_rps
    print("ratio per round: " + ", ".join(f"{r:.2f}" for r in rounds)
          + f" (median {statistics.median(rounds):.2f})")
    print(f"ratio assessment/trivial throughput: {ratio:.2f} (target >= 0.50: "
          f"{'met' if ratio >= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
