"""SQLite writers queue on a lock that wakes the next one at once, across processes.

Why a file lock: a writer that meets SQLite's own lock sleeps in its busy handler (steps of 1 to
100 ms; measured here with two processes writing, the slowest commit waited 130-531 ms), while
a writer waiting on an ``flock`` is woken as soon as the holder lets go (slowest 7 ms). Two
``SQLiteWriters`` on one database stand for two processes: each opens the lock file itself, and
``flock`` locks of separate opens exclude each other even within one process.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from popliteal.store import Store, driver
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


def _lock_is_free(database: Path) -> bool:
    """Whether another process could take the write lock now (a separate open of the lock
    file stands for it: ``flock`` locks of separate opens exclude each other)."""
    with open(f"{database}.write-lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True


def test_a_durable_write_is_flushed_after_the_lock_is_let_go_and_before_it_returns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The patient's durable writes commit without waiting for the disk while holding the
    write lock, then flush the WAL with the lock free, and only then return: what is
    acknowledged is on disk, and the other server process did not wait for the flush."""
    database = tmp_path / "clinic.db"
    store = Store.from_url(f"sqlite:///{database}")
    flushed: list[tuple[int, bool, int]] = []
    real = driver._fdatasync

    def spy(fd: int) -> None:
        with sqlite3.connect(database) as other:  # what another process can read by now
            answers = other.execute("SELECT count(*) FROM answers").fetchone()[0]
        flushed.append((os.fstat(fd).st_ino, _lock_is_free(database), answers))
        real(fd)

    try:
        _, token = store.create_assessment(consent=True, age=40, sex="female", text="",
                                           state={})
        monkeypatch.setattr(driver, "_fdatasync", spy)
        appended = store.append_answer_by_token(token, "calf_swelling", True)
        assert appended is not None and appended.seq == 1
        wal = os.stat(f"{database}-wal").st_ino
        assert flushed == [(wal, True, 1)]  # the WAL, the lock free, the answer committed

        with store._patient.transaction() as cursor:  # no wait for the disk inside
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
        assert len(flushed) == 2
        with pytest.raises(RuntimeError), store._patient.transaction():
            raise RuntimeError("rolled back: nothing to flush")
        assert len(flushed) == 2
    finally:
        store.dispose()


def test_a_missing_wal_needs_no_flush(tmp_path: Path) -> None:
    """SQLite deletes the WAL when the last connection closes, after checkpointing it into
    the database file: nothing is left to flush, and the write still returns."""
    database = tmp_path / "clinic.db"
    store = Store.from_url(f"sqlite:///{database}")
    try:
        store.engine.dispose()  # every connection closed: the WAL is checkpointed, deleted
        assert not Path(f"{database}-wal").exists()
        store._patient._sync_wal(f"{database}-wal")  # finds no WAL: returns without error
        record, _ = store.create_assessment(consent=True, age=40, sex="female", text="",
                                            state={})
        assert record.id > 0
    finally:
        store.dispose()
