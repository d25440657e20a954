"""``popliteal serve`` prints the address, and the pages answer there."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from browser_support import free_port


def test_serve_prints_the_address_and_serves_the_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "POPLITEAL_ENV": "test",
           "POPLITEAL_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "popliteal.cli", "serve", "--port", str(port),
         "--log-level", "warning"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first == f"Popliteal is running at http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 90
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert page.status_code == 200 and 'href="tel:995"' in page.text
    finally:
        process.terminate()
        process.wait(timeout=30)
