"""Driving Debian's chromium with playwright: a server in a thread, axe-core, screenshots.

Chromium is the system package (``scripts/setup.sh --with-browser``), launched through
``executable_path``; playwright downloads nothing. axe's findings per page are written to
``test-artifacts/axe/`` beside the screenshots. axe-core comes from
``.cache/axe/node_modules/axe-core/axe.min.js`` (installed by the same set-up script, never at
test time) and is evaluated in the page through the DevTools protocol, so the page's own
Content-Security-Policy stays on and is tested too. When either is missing the tests skip,
or fail when ``CI=true``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("POPLITEAL_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 320, "height": 640}
BLOCKING = ("serious", "critical")


def missing(what: str) -> None:
    """Skip, or fail in CI, when a browser-test prerequisite is missing."""
    message = f"{what}; run scripts/setup.sh --with-browser"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadServer:
    """uvicorn serving ``app`` on a free loopback port, in a daemon thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


class Visit:
    """One browser page: records requests and CSP errors, runs axe, saves screenshots."""

    def __init__(self, page: Any, base_url: str, axe_source: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.axe_source = axe_source
        self.name = name
        self.count = 0
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.axe_results: dict[str, list[dict[str, Any]]] = {}
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(
            msg.text))

    def check(self, label: str) -> None:
        """Screenshot the page, run axe on it, and check it spoke only to our server."""
        self.count += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{self.count:02d}-{slug}.png"),
                             full_page=True)
        if self.page.evaluate("typeof window.axe") != "object":
            self.page.evaluate(self.axe_source)  # DevTools evaluation: the CSP stays on
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
        self.axe_results[label] = result
        (SCREENSHOTS.parent / "axe").mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS.parent / "axe" / f"{self.name}-{self.count:02d}-{slug}.json").write_text(
            json.dumps(result, indent=1), encoding="utf-8")
        blocking = [v for v in result if v["impact"] in BLOCKING]
        assert not blocking, f"axe on {label}: {blocking}"
        strangers = [u for u in self.requests
                     if not u.startswith(self.base_url) and not u.startswith("data:")]
        assert not strangers, f"requests to other hosts from {label}: {strangers}"
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not csp, f"CSP violations on {label}: {csp}"
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.viewport_size["width"] if self.page.viewport_size else width
        assert width <= viewport, f"{label} scrolls sideways at {viewport}px ({width}px wide)"
