"""API benchmark: whole assessments through HTTP beside a trivial endpoint, in the same run.

Starts ``popliteal serve`` (one process, a temporary SQLite file in WAL mode with
synchronous=FULL, so every answer is fsynced before it is acknowledged) on a free loopback
port, then, with the same client and concurrency, drives:

- ``--assessments`` whole assessments: start (POST), every answer (POST) until the interview
  ends, then the result (GET); each HTTP request is timed;
- as many ``GET /api/v1/health`` requests as the assessments made in total.

Prints requests per second and p50/p99 latency for both, the ratio of throughputs (target:
the assessment's at least half the trivial endpoint's), and assessments per second.
Run: .venv/bin/python benchmarks/api_benchmark.py [--assessments 40] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from api_server import Server

TEXTS = [
    "Pain behind my knee and a swelling that feels tight when I bend it.",
    "My calf is swollen and warm after a long flight.",
    "I twisted my knee playing football, it clicks and locks.",
    "Aching at the back of the knee when I run uphill.",
    "Sharp pain behind the knee when I straighten it fully.",
    "Knee stiff in the morning for an hour, both knees, fingers swollen too.",
]


def answer_for(question: dict, rng: random.Random) -> object:
    if question["kind"] == "number":
        return "unknown"
    if question["kind"] == "multi":
        return [rng.choice(question["options"][:-1] or question["options"])]
    return rng.choice(question["options"])


def one_assessment(client: httpx.Client, rng: random.Random, timings: list[float]) -> int:
    """Start, answer until done, result. Returns the number of requests made."""
    def timed(call: Callable[[], httpx.Response]) -> httpx.Response:
        start = time.perf_counter()
        response = call()
        timings.append(time.perf_counter() - start)
        response.raise_for_status()
        return response

    body = {"age": rng.randint(16, 85), "sex": rng.choice(["female", "male"]),
            "text": rng.choice(TEXTS), "consent": True}
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
    def worker(index: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            work(index, client)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.assessments <= 2000 or not 1 <= args.concurrency <= 64:
        parser.error("--assessments 1-2000, --concurrency 1-64")

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(f"sqlite:///{Path(tmp) / 'bench.db'}").wait_ready()
        try:
            with httpx.Client(base_url=server.url) as warm:  # first-request costs, not measured
                for _ in range(20):
                    warm.get("/api/v1/health")
            lock = threading.Lock()
            a_timings: list[float] = []
            counts = [0]
            per_worker = [args.assessments // args.concurrency
                          + (1 if i < args.assessments % args.concurrency else 0)
                          for i in range(args.concurrency)]

            def assess_work(index: int, client: httpx.Client) -> None:
                rng = random.Random(args.seed * 1000 + index)
                mine: list[float] = []
                made = sum(one_assessment(client, rng, mine) for _ in range(per_worker[index]))
                with lock:
                    a_timings.extend(mine)
                    counts[0] += made

            a_elapsed = run_parallel(args.concurrency, assess_work, server.url)
            n_health = counts[0]
            h_timings: list[float] = []

            def health_work(index: int, client: httpx.Client) -> None:
                share = n_health // args.concurrency + (1 if index < n_health % args.concurrency
                                                        else 0)
                mine = []
                for _ in range(share):
                    start = time.perf_counter()
                    client.get("/api/v1/health").raise_for_status()
                    mine.append(time.perf_counter() - start)
                with lock:
                    h_timings.extend(mine)

            h_elapsed = run_parallel(args.concurrency, health_work, server.url)
        finally:
            server.stop()

    a_rps, h_rps = len(a_timings) / a_elapsed, len(h_timings) / h_elapsed
    print(f"server: 1 uvicorn process, SQLite (WAL, synchronous=FULL); client: httpx, "
          f"concurrency {args.concurrency}; python {sys.version.split()[0]}")
    print(f"assessments: {args.assessments} whole assessments, {len(a_timings)} requests "
          f"({len(a_timings) / args.assessments:.1f} per assessment) in {a_elapsed:.2f} s")
    print(f"  assessment requests: {a_rps:8.1f} req/s  p50 {pct(a_timings, 0.5):6.1f} ms  "
          f"p99 {pct(a_timings, 0.99):6.1f} ms  mean {statistics.mean(a_timings) * 1000:.1f} ms")
    print(f"  /health (trivial):   {h_rps:8.1f} req/s  p50 {pct(h_timings, 0.5):6.1f} ms  "
          f"p99 {pct(h_timings, 0.99):6.1f} ms  ({len(h_timings)} requests)")
    print(f"  whole assessments:   {args.assessments / a_elapsed:8.2f} per second")
    ratio = a_rps / h_rps
    print(f"ratio assessment/trivial throughput: {ratio:.2f} (target >= 0.50: "
          f"{'met' if ratio >= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
