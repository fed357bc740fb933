"""Cold start: from starting the server process to the first chart drawn in a browser.

For each target, a fresh ``streamlit run`` (Popen), headless Chromium opening the page as soon
as ``/_stcore/health`` answers, and the time from Popen until the first Plotly line or bar path
exists in the page. Also prints when the health check first answered. On Community Cloud a
sleeping app adds its container start on top; this is the part the app controls (imports, first
run of the script, first figure).

    python benchmarks/bench_cold_start.py --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_browser_latency import CHROMIUM, CHROMIUM_ARGS
from bench_load import free_port, start_server, stop_server

TARGETS = {
    "floor": ("benchmarks/floor_app.py", "/?figure=explorer"),
    "home": ("app.py", "/"),
    "explorer": ("app.py", "/explorer?activation=elu"),
    "softmax": ("app.py", "/softmax"),
    "depth": ("app.py", "/depth"),
}
DRAWN = ".js-plotly-plot .scatterlayer .trace path.js-line, .js-plotly-plot .barlayer .point path"


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def once(browser, script: str, path: str, timeout_s: float) -> tuple[float, float]:
    """(seconds to health, seconds to the first chart path) from Popen."""
    port = free_port()
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    t0 = time.perf_counter()
    proc = start_server(script, port)
    try:
        while not healthy(port):
            if proc.poll() is not None or time.perf_counter() - t0 > timeout_s:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        t_health = time.perf_counter() - t0
        page.goto(f"http://127.0.0.1:{port}{path}", wait_until="commit")
        page.wait_for_selector(DRAWN, state="attached", timeout=timeout_s * 1000)
        return t_health, time.perf_counter() - t0
    finally:
        page.close()
        stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--targets", default="floor,explorer,softmax,depth")
    ap.add_argument("--timeout", type=float, default=90.0, help="per start, seconds")
    args = ap.parse_args()
    print(
        f"Popen → first chart path in Chromium, s; {args.repeats} starts each; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'target':10} {'health':>7} {'chart median':>12} {'min':>6} {'max':>6}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in args.targets.split(","):
                script, path = TARGETS[name]
                runs = []
                for _ in range(args.repeats):
                    try:
                        runs.append(once(browser, script, path, args.timeout))
                    except Exception as exc:
                        print(f"{name:10} failed: {type(exc).__name__}: {str(exc)[:120]}")
                if runs:
                    health = statistics.median(h for h, _ in runs)
                    charts = [c for _, c in runs]
                    print(
                        f"{name:10} {health:7.2f} {statistics.median(charts):12.2f} "
                        f"{min(charts):6.2f} {max(charts):6.2f}",
                        flush=True,
                    )
        finally:
            browser.close()


if __name__ == "__main__":
    main()
