"""``popliteal serve`` in a subprocess on a free loopback port: for tests, benchmarks and the
crash test, which need a real server they can time, share between processes or ``kill -9``.

Why here and not in the tests: the benchmarks need the same launcher and should not import
the test suite. Only 127.0.0.1 is ever used, and the server's stderr goes to a temporary file
(read when start-up fails), so a chatty server can never block on a full pipe.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import Any, NamedTuple

import httpx

READY_TIMEOUT = 120.0


class Usage(NamedTuple):
    """What a server process tree has used so far (see :meth:`LocalServer.usage`)."""

    user: float  # seconds
    system: float
    voluntary_switches: int  # a thread gave up the CPU (waited: I/O, a lock, the GIL)
    involuntary_switches: int  # a thread was preempted

    def __sub__(self, other: tuple[Any, ...]) -> Usage:  # type: ignore[override]
        return Usage(*(a - b for a, b in zip(self, other, strict=True)))

    def __add__(self, other: tuple[Any, ...]) -> Usage:  # type: ignore[override]
        return Usage(*(a + b for a, b in zip(self, other, strict=True)))


def _switches(status_path: str) -> tuple[int, int]:
    """(voluntary, involuntary) context switches of one thread, from its ``status`` file."""
    voluntary = involuntary = 0
    try:
        with open(status_path) as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches"):
                    voluntary = int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches"):
                    involuntary = int(line.split()[1])
    except OSError:  # the thread ended meanwhile
        pass
    return voluntary, involuntary


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """One ``popliteal serve`` (with ``workers`` processes) on ``db_url``; ``env`` overrides
    the environment (``POPLITEAL_ENV`` is ``test`` and the start limit is lifted unless set)."""

    def __init__(self, db_url: str, *, workers: int = 1, port: int | None = None,
                 **env: str) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "POPLITEAL_DATABASE_URL": db_url, "POPLITEAL_ENV": "test",
                       "POPLITEAL_RATE_ASSESSMENTS_PER_MINUTE": "1000000", **env}
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "popliteal.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--workers", str(workers)],
            env=environment, stdout=subprocess.DEVNULL, stderr=self._stderr)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> LocalServer:
        """Return once /api/v1/health answers; raise with the server's stderr if it died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with code {self.process.returncode}: {self.stderr()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"server on {self.url} not ready after {timeout}s")

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def usage(self) -> Usage:
        """CPU time (user, system) and context switches so far of the server and its worker
        processes, all their threads included (Linux ``/proc``)."""
        tick = os.sysconf("SC_CLK_TCK")
        user = system = 0.0
        voluntary = involuntary = 0
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/task/{pid}/children") as children:
                    pending += [int(c) for c in children.read().split()]
                switches = [_switches(f"/proc/{pid}/task/{task}/status")
                            for task in os.listdir(f"/proc/{pid}/task")]
            except OSError:  # exited meanwhile
                continue
            user += int(fields[11]) / tick
            system += int(fields[12]) / tick
            voluntary += sum(v for v, _ in switches)
            involuntary += sum(n for _, n in switches)
        return Usage(user, system, voluntary, involuntary)

    def kill9(self) -> None:
        """``kill -9`` the whole server (workers too): no shutdown handler runs."""
        if self.process.poll() is None:
            try:
                with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
                    workers = [int(c) for c in f.read().split()]
            except OSError:
                workers = []
            # The supervisor first, so it cannot start new workers in place of killed ones.
            self.process.send_signal(signal.SIGKILL)
            for pid in workers:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Ask the server to stop (SIGTERM); ``kill -9`` if it has not within 15 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        self._stderr.close()

    def __enter__(self) -> LocalServer:
        return self.wait_ready()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
