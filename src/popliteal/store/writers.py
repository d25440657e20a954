"""One SQLite writer at a time, woken as soon as the last one finishes, across processes.

Why: SQLite has one writer at a time, and a writer that finds the file locked sleeps in
SQLite's busy handler, in steps of 1, 2, 5 ... 100 ms, rather than being woken when the lock
is free. A patient's transaction holds the lock for a fraction of a millisecond (mostly the
fsync), so with ``popliteal serve --workers 2`` those sleeps, not the work, set the latency
of colliding requests, and since a process does the patient's work on its event loop, it
serves nobody while it sleeps. Here the threads of a process queue on a lock and the
processes on an ``flock`` of ``<database file>.write-lock``; the kernel wakes the next
waiter at once. SQLite's own locking stays as it is underneath (a writer this lock does not
know of, such as the ``sqlite3`` shell, still meets the busy handler).

In-memory databases belong to one process and get the thread lock only; so does a system
without ``fcntl`` (Windows).
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import IO, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class SQLiteWriters:
    """A re-entrant context manager: the thread lock, then (outermost only) the file lock."""

    def __init__(self, database: str | None) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self.path: str | None = None
        if fcntl is not None and database and database != ":memory:" and not (
                database.startswith("file:")):
            self.path = f"{database}.write-lock"
        self._file: IO[Any] | None = None

    def __enter__(self) -> SQLiteWriters:
        self._lock.acquire()
        try:
            if self._depth == 0 and self.path is not None:
                if self._file is None:  # opened on first use: after a fork, in the worker
                    self._file = open(self.path, "a")  # noqa: SIM115 - kept for the store's life
                fcntl.flock(self._file, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise
        self._depth += 1
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._file is not None:
                fcntl.flock(self._file, fcntl.LOCK_UN)
        finally:
            self._lock.release()

    def close(self) -> None:
        """Close the lock file (the store is being disposed of)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
