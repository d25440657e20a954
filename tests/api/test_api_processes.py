"""Real servers: two processes share one interview on PostgreSQL, and kill -9 loses nothing.

Each test starts ``popliteal serve`` in subprocesses (several seconds each: the language
pipeline loads at start-up), so these are marked slow.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import httpx
import pytest
from api_helpers import API, Server, pick_answer

from popliteal.store import Store

pytestmark = pytest.mark.slow
TEXT = "Pain and a swelling behind my knee, worse after gardening."


def _start(url: str) -> dict[str, Any]:
    response = httpx.post(f"{url}{API}/assessments", timeout=30,
                          json={"age": 58, "sex": "female", "text": TEXT, "consent": True})
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.postgres
def test_two_servers_on_postgresql_share_an_interview(postgres_url: str) -> None:
    servers = [Server(postgres_url), Server(postgres_url)]
    try:
        # Start both at once (each loads the language pipeline), then migrate-race is harmless.
        for server in servers:
            server.wait_ready()
        a, b = (s.url for s in servers)
        started = _start(a)
        token, question = started["token"], started["next_question"]
        turn = 0
        while question is not None:
            url = (a, b)[turn % 2]  # alternate servers on every answer
            response = httpx.post(f"{url}{API}/assessments/{token}/answers", timeout=30,
                                  json={"id": question["id"], "answer": pick_answer(question)})
            assert response.status_code == 200, response.text
            assert response.json()["seq"] == turn + 1
            question = response.json()["next_question"]
            turn += 1
        assert turn >= 2
        state_a = httpx.get(f"{a}{API}/assessments/{token}", timeout=30).json()
        state_b = httpx.get(f"{b}{API}/assessments/{token}", timeout=30).json()
        assert state_a == state_b and state_a["status"] == "finished"
        result_a = httpx.get(f"{a}{API}/assessments/{token}/result", timeout=30).json()
        store = Store.from_url(postgres_url)  # recompute on b, not from a's cached result
        try:
            record = store.get_assessment_by_token(token, record_access=False)
            assert record is not None
            store.set_result(record.id, {"conditions": [], "triage": {}})
        finally:
            store.dispose()
        result_b = httpx.get(f"{b}{API}/assessments/{token}/result", timeout=30).json()
        assert result_a == result_b
        assert result_a["questions_asked"] == turn
    finally:
        for server in servers:
            server.stop()


def test_kill_9_during_answers_loses_no_acknowledged_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'crash.db'}"
    server = Server(db_url).wait_ready()
    acknowledged: list[tuple[int, str, Any]] = []
    try:
        token = _start(server.url)["token"]
        # A stream of answers that never finishes the interview: the same few findings,
        # changed again and again (each is a new acknowledged row).
        ids = ["calf_swelling", "knee_swelling", "fever"]
        stop = threading.Event()

        def stream() -> None:
            with httpx.Client(base_url=server.url, timeout=10) as client:
                n = 0
                while not stop.is_set():
                    finding, value = ids[n % 3], ("yes", "no")[(n // 3) % 2]
                    try:
                        response = client.post(f"{API}/assessments/{token}/answers",
                                               json={"id": finding, "answer": value})
                    except httpx.TransportError:
                        return  # the server died mid-request: not acknowledged
                    if response.status_code == 200:
                        acknowledged.append((response.json()["seq"], finding, value == "yes"))
                    n += 1

        worker = threading.Thread(target=stream)
        worker.start()
        while len(acknowledged) < 25 and worker.is_alive():
            threading.Event().wait(0.01)
        server.kill9()
        stop.set()
        worker.join(timeout=30)
    finally:
        server.stop()
    assert len(acknowledged) >= 25
    restarted = Server(db_url).wait_ready()
    try:
        store = Store.from_url(db_url)
        try:
            record = store.get_assessment_by_token(token, record_access=False)
            assert record is not None
            stored = {(a.seq, a.finding_id, a.answer) for a in store.list_answers(record.id)}
        finally:
            store.dispose()
        assert set(acknowledged) <= stored
        state = httpx.get(f"{restarted.url}{API}/assessments/{token}", timeout=30)
        assert state.status_code == 200
    finally:
        restarted.stop()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def test_serve_with_two_workers_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``serve --workers 2``: two processes on one SQLite file, any may take any request."""
    server = Server(f"sqlite:///{tmp_path / 'workers.db'}", workers=2).wait_ready()
    try:
        with open(f"/proc/{server.process.pid}/task/{server.process.pid}/children") as f:
            children = [int(c) for c in f.read().split()]
        assert len(children) >= 2  # the two workers (and multiprocessing's resource tracker)
        finished: list[int] = []

        def patient(_: int) -> None:
            with httpx.Client(base_url=server.url, timeout=30) as client:
                started = client.post(f"{API}/assessments", json={
                    "age": 58, "sex": "female", "text": TEXT, "consent": True})
                assert started.status_code == 201, started.text
                token, question = started.json()["token"], started.json()["next_question"]
                while question is not None:
                    response = client.post(f"{API}/assessments/{token}/answers", json={
                        "id": question["id"], "answer": pick_answer(question)})
                    assert response.status_code == 200, response.text
                    question = response.json()["next_question"]
                assert client.get(f"{API}/assessments/{token}/result").status_code == 200
                finished.append(1)

        threads = [threading.Thread(target=patient, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(finished) == 4
        server.kill9()
        deadline = time.monotonic() + 10  # SIGKILL is delivered at once, death takes a moment
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
    finally:
        server.stop()


def test_two_workers_without_a_configured_secret_accept_each_others_forms(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Unset ``POPLITEAL_SECRET_KEY`` and ``serve --workers 2``: a form page fetched on one
    connection and posted on another (any worker may take either) is accepted every time.
    With a key drawn per worker, about half the posts failed the CSRF check."""
    server = Server(f"sqlite:///{tmp_path / 'forms.db'}", workers=2,
                    POPLITEAL_SECRET_KEY="").wait_ready()
    try:
        statuses = []
        for _ in range(16):
            with httpx.Client(base_url=server.url, timeout=30) as first:  # a connection each
                page = first.get("/")
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                assert page.status_code == 200 and token, page.text[:300]
                cookies = dict(first.cookies)
            with httpx.Client(base_url=server.url, timeout=30, cookies=cookies) as second:
                posted = second.post("/start", follow_redirects=False, data={
                    "csrf_token": token.group(1), "age": "40", "sex": "female",
                    "text": TEXT, "consent": "yes"})
            statuses.append(posted.status_code)
        assert statuses == [303] * 16
    finally:
        server.stop()
