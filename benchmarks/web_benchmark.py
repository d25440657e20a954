"""Web benchmark: page weight and time to first contentful paint of each patient page.

Starts ``popliteal serve`` (one process, temporary SQLite, development mode so cookies work
over plain http on 127.0.0.1), walks a patient through the pages in headless Debian chromium
on a 320 x 640 phone screen, then opens each page again in a fresh browser context (empty
cache, the patient's cookies) and reports, per page:

- requests and bytes transferred (sum of response headers + bodies, as the browser received
  them; no compression is used, see docs/web.md);
- first contentful paint (``performance.getEntriesByType('paint')``), unthrottled
  (loopback), and with "slow 4G" emulation (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s
  up) and a 4x CPU slowdown, as Lighthouse simulates a mid-range phone;
- the same page again with a warm cache (assets reused).

Run: .venv/bin/python benchmarks/web_benchmark.py [--repeat 3] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from popliteal.api.local_server import LocalServer as Server

PHONE = {"width": 320, "height": 640}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
           "uploadThroughput": 750e3 / 8}
STORY = "Sharp pain behind my left knee since a football tackle on Saturday, it locks."
FCP_JS = """() => new Promise(resolve => {
  const found = performance.getEntriesByName('first-contentful-paint')[0];
  if (found) { resolve(found.startTime); return; }
  new PerformanceObserver(list => {
    const e = list.getEntriesByName('first-contentful-paint')[0];
    if (e) resolve(e.startTime);
  }).observe({type: 'paint', buffered: true});
})"""


def measure(browser: Any, base: str, state: dict[str, Any], path: str, *,
            throttle: bool) -> dict[str, float]:
    """Open ``path`` in a new context (cold cache), then again (warm cache)."""
    context = browser.new_context(viewport=PHONE, base_url=base, storage_state=state,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    sizes: list[int] = []

    def finished(request: Any) -> None:
        s = request.sizes()
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(path, wait_until="load")
    fcp = float(page.evaluate(FCP_JS))
    cold_bytes, cold_requests = sum(sizes), len(sizes)
    sizes.clear()
    page.goto(path, wait_until="load")  # same context: the stylesheet and script are cached
    warm_fcp = float(page.evaluate(FCP_JS))
    warm_bytes = sum(sizes)
    context.close()
    return {"bytes": cold_bytes, "requests": cold_requests, "fcp": fcp,
            "warm_bytes": warm_bytes, "warm_fcp": warm_fcp}


def walk(browser: Any, base: str, repeat: int) -> list[tuple[str, list[Any], list[Any]]]:
    """A patient's visit, measuring each page while the patient is on it."""
    context = browser.new_context(viewport=PHONE, base_url=base, is_mobile=True)
    page = context.new_page()
    rows: list[tuple[str, list[Any], list[Any]]] = []

    def measure_here(label: str, path: str) -> None:
        state = context.storage_state()
        rows.append((label,
                     [measure(browser, base, state, path, throttle=False) for _ in range(repeat)],
                     [measure(browser, base, state, path, throttle=True) for _ in range(repeat)]))

    page.goto("/")
    measure_here("start", "/")
    page.fill("#text", STORY)
    page.fill("#age", "34")
    page.check("#sex-male")
    page.check("#consent")
    page.click("button.primary")
    page.wait_for_url("**/assessment/question")
    measure_here("question", "/assessment/question")
    for _ in range(40):
        if "/assessment/result" in page.url:
            break
        page.locator("button.choice").nth(1).click()
        page.wait_for_load_state()
    measure_here("result", "/assessment/result")
    measure_here("book", "/book?postal_code=560123")
    measure_here("thanks", "/book/thanks?branch=serangoon")
    measure_here("delete", "/assessment/delete")
    context.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (median shown)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"{args.chromium} is missing: run scripts/setup.sh --with-browser",
              file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(f"sqlite:///{Path(tmp) / 'bench.db'}", POPLITEAL_ENV="development")
        try:
            server.wait_ready()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                version = browser.version
                rows = walk(browser, server.url, args.repeat)
                browser.close()
        finally:
            server.stop()
    med = statistics.median
    print(f"chromium {version} headless, viewport 320x640, 1 uvicorn process, SQLite; "
          f"median of {args.repeat} cold loads per page (fresh context, cookies kept)")
    print(f"{'page':<10}{'requests':>9}{'bytes':>9}{'warm bytes':>12}{'FCP loopback':>14}"
          f"{'FCP slow 4G+4x CPU':>20}{'warm FCP slow':>15}")
    for label, fast, slow in rows:
        print(f"{label:<10}{int(med(r['requests'] for r in fast)):>9}"
              f"{int(med(r['bytes'] for r in fast)):>9}"
              f"{int(med(r['warm_bytes'] for r in fast)):>12}"
              f"{med(r['fcp'] for r in fast):>11.0f} ms"
              f"{med(r['fcp'] for r in slow):>17.0f} ms"
              f"{med(r['warm_fcp'] for r in slow):>12.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
