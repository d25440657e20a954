"""Several processes on one database: shared interviews, and no acknowledged answer lost.

The crash test is the store's half of the issue's "kill -9 the server during a stream of
answers": a child process appends answers and prints each seq only after ``append_answer``
returned (= acknowledged); we kill -9 it mid-stream and check that every printed seq is there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import text

from popliteal.store import Store, make_engine

WRITER = textwrap.dedent(
    """
    import sys
    from popliteal.store import Store

    store = Store.from_url(sys.argv[1], upgrade=False)
    assessment_id, count = int(sys.argv[2]), int(sys.argv[3])
    for index in range(count):
        seq = store.append_answer(assessment_id, f"finding_{index}", {"n": index})
        print(seq, flush=True)
    """
)


def _assessment(store: Store) -> tuple[int, str]:
    record, token = store.create_assessment(consent=True, age=54, sex="female", text="", state={})
    return record.id, token


def test_two_engines_share_one_interview(db_url: str) -> None:
    first = Store.from_url(db_url)
    second = Store(make_engine(db_url))
    try:
        assessment_id, token = _assessment(first)
        opened = second.get_assessment_by_token(token)
        assert opened is not None and opened.id == assessment_id
        assert first.append_answer(assessment_id, "a", "yes") == 1
        assert [a.finding_id for a in second.list_answers(assessment_id)] == ["a"]
        assert second.append_answer(assessment_id, "b", "no") == 2
        assert first.append_answer(assessment_id, "c", "unknown") == 3
        for store in (first, second):
            answers = store.list_answers(assessment_id)
            assert [(a.seq, a.finding_id) for a in answers] == [(1, "a"), (2, "b"), (3, "c")]
        second.update_state(assessment_id, {"from": "second"})
        again = first.get_assessment_by_token(token)
        assert again is not None and again.state == {"from": "second"}
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.parametrize("mode", ["by-id", "by-token", "by-token-after-seq"])
def test_concurrent_appends_get_distinct_consecutive_seqs(db_url: str, mode: str) -> None:
    """Two engines (as two processes), six threads: by id (the UPDATE lock), by token (the
    API's path: the row locked by an UPDATE, a retry on a taken seq), and by token after the
    seq each thread last wrote (as the API's interview cache does; always behind here)."""
    stores = [Store.from_url(db_url), Store(make_engine(db_url))]
    assessment_id, token = _assessment(stores[0])
    known = threading.local()

    def append(store: Store, finding: str) -> int:
        if mode == "by-id":
            return store.append_answer(assessment_id, finding, "yes")
        after = getattr(known, "seq", 0) if mode == "by-token-after-seq" else None
        appended = store.append_answer_by_token(token, finding, "yes", after_seq=after)
        assert appended is not None
        known.seq = appended.seq
        return appended.seq

    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(store: Store, worker: int) -> None:
        try:
            for index in range(10):
                seq = append(store, f"w{worker}_{index}")
                with lock:
                    got.append(seq)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(stores[worker % 2], worker)) for worker in range(6)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert sorted(got) == list(range(1, 61))
        answers = stores[1].list_answers(assessment_id)
        assert [a.seq for a in answers] == list(range(1, 61))
        assert len({a.finding_id for a in answers}) == 60
    finally:
        for store in stores:
            store.dispose()


def test_answers_written_by_another_process_are_seen(db_url: str) -> None:
    store = Store.from_url(db_url)
    try:
        assessment_id, _ = _assessment(store)
        store.append_answer(assessment_id, "first", "yes")
        done = subprocess.run(
            [sys.executable, "-c", WRITER, db_url, str(assessment_id), "5"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert done.stdout.split() == ["2", "3", "4", "5", "6"]
        answers = store.list_answers(assessment_id)
        assert [a.seq for a in answers] == [1, 2, 3, 4, 5, 6]
        assert answers[-1].answer == {"n": 4}
        assert store.append_answer(assessment_id, "last", "no") == 7
    finally:
        store.dispose()


def test_kill_9_loses_no_acknowledged_answer(db_url: str) -> None:
    store = Store.from_url(db_url)
    assessment_id, _ = _assessment(store)
    store.dispose()
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(assessment_id), "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[int] = []
    assert child.stdout is not None
    deadline = time.monotonic() + 120
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    os.kill(child.pid, signal.SIGKILL)  # mid-stream: it is writing the next answer now
    rest, errors = child.communicate(timeout=60)
    acknowledged += [int(line) for line in rest.split()]  # printed before the kill
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 40, errors

    restarted = Store.from_url(db_url)
    try:
        seqs = [a.seq for a in restarted.list_answers(assessment_id)]
        assert set(acknowledged) <= set(seqs)
        assert seqs == list(range(1, len(seqs) + 1))  # no gap, no duplicate
        assert len(seqs) - len(acknowledged) <= 1  # at most the one in flight at the kill
        assert restarted.append_answer(assessment_id, "after", "yes") == len(seqs) + 1
        if db_url.startswith("sqlite"):
            with restarted.engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        restarted.dispose()


def test_processes_starting_together_migrate_a_new_sqlite_file_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``serve --workers 2`` on a new file: both processes migrate at the same moment.

    Without the migration lock, one of them found no ``alembic_version`` table, tried to
    create it after the other had, and failed at start-up (7 of 10 such pairs here)."""
    for attempt in range(4):
        url = f"sqlite:///{tmp_path / f'new{attempt}.db'}"
        code = f"from popliteal.store import migrate; migrate({url!r})"
        runs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
                for _ in range(3)]
        failures = [run.communicate(timeout=120)[1].decode()[-300:] for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0], failures
        store = Store.from_url(url, upgrade=False)  # the schema is there
        try:
            assert store.list_answers(1) == []
        finally:
            store.dispose()
