"""SQLite writers queue on a lock that wakes the next one at once, across processes.

Why a file lock: a writer that meets SQLite's own lock sleeps in its busy handler (steps of 1 to
100 ms; measured here with two processes writing, the slowest commit waited 130-531 ms), while
a writer waiting on an ``flock`` is woken as soon as the holder lets go (slowest 7 ms). Two
``SQLiteWriters`` on one database stand for two processes: each opens the lock file itself, and
``flock`` locks of separate opens exclude each other even within one process.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from popliteal.store import Store
from popliteal.store.writers import SQLiteWriters


def test_a_second_writer_waits_until_the_first_has_finished(tmp_path: Path) -> None:
    database = str(tmp_path / "clinic.db")
    first, second = SQLiteWriters(database), SQLiteWriters(database)
    order: list[str] = []

    def other_process() -> None:
        with second:
            order.append("second")

    with first:
        waiter = threading.Thread(target=other_process)
        waiter.start()
        time.sleep(0.2)  # ample time for the waiter to get in, if nothing stopped it
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]
    first.close()
    second.close()


def test_the_lock_is_reentrant_and_released_after_an_error(tmp_path: Path) -> None:
    writers = SQLiteWriters(str(tmp_path / "clinic.db"))
    try:
        with writers, writers:  # a transaction inside a transaction of the same thread
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    other = SQLiteWriters(str(tmp_path / "clinic.db"))
    got = threading.Event()

    def take() -> None:
        with other:
            got.set()

    thread = threading.Thread(target=take)
    thread.start()
    assert got.wait(timeout=5), "the file lock was not released"
    thread.join()
    writers.close()
    other.close()


def test_in_memory_databases_need_no_lock_file() -> None:
    assert SQLiteWriters(":memory:").path is None
    assert SQLiteWriters(None).path is None


def test_the_store_writes_under_the_file_lock(tmp_path: Path) -> None:
    database = tmp_path / "clinic.db"
    store = Store.from_url(f"sqlite:///{database}")
    try:
        record, _ = store.create_assessment(consent=True, age=40, sex="female", text="",
                                            state={})
        assert record.id > 0
        assert (tmp_path / "clinic.db.write-lock").exists()
    finally:
        store.dispose()
