"""Helpers shared by the API tests (plain functions and constants; fixtures are in conftest)."""

from __future__ import annotations

from typing import Any

from popliteal.api import ApiSettings
from popliteal.store import StoreSettings

API = "/api/v1"
PATIENT_TEXT = "Sharp pain behind my left knee since a football tackle on Saturday, it locks."
CLINICIAN = ("dr.tan", "correct horse battery staple")


def make_settings(db_url: str, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "env": "test",
        "store": StoreSettings(database_url=db_url),
        "rate_assessments_per_minute": 1000,
        "rate_logins_per_minute": 1000,
    }
    values.update(overrides)
    return ApiSettings(**values)


def pick_answer(question: dict[str, Any]) -> Any:
    """A valid answer for any question kind (the second option, so not always 'yes')."""
    if question["kind"] == "number":
        return "unknown"
    if question["kind"] == "multi":
        return [question["options"][0]]
    return question["options"][min(1, len(question["options"]) - 1)]


# ---------------------------------------------------------------------------- real servers


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``popliteal serve`` in a subprocess on a free loopback port."""

    def __init__(self, db_url: str, **env: str) -> None:
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "POPLITEAL_DATABASE_URL": db_url, "POPLITEAL_ENV": "test",
                       "POPLITEAL_RATE_ASSESSMENTS_PER_MINUTE": "100000", **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "popliteal.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self, timeout: float = 90.0) -> Server:
        import time

        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"server exited with {self.process.returncode}: {stderr}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"server on {self.url} not ready after {timeout}s")

    def kill(self) -> None:
        """kill -9: no shutdown handler runs."""
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:  # noqa: BLE001 - fall back to kill
                self.kill()
        if self.process.stderr:
            self.process.stderr.close()
