"""Server CPU per rerun of each page, side by side with its floor (benchmarks/floor_app.py).

Each page runs through the router (``AppTest.from_file("app.py")`` + ``switch_page``) and moves
one slider per rerun; its floor moves its own slider the same way. The slider cycles through
``--distinct`` values, so the first pass runs cold (nothing cached) and the rest warm (the
pages' ``st.cache_data`` hits, as when a class drags the same slider back and forth). CPU is
``time.process_time()`` around ``at.run()`` (the script thread plus the protobuf deltas it
produces; not the websocket send, which bench_load.py measures on a real server).

AppTest builds a new ``ScriptCache`` on every ``run()``, so it recompiles app.py and the page
script on every rerun, which a real server does once (one ScriptCache per server, kept while
the file watcher is off). That fixed cost (a few ms for a long page) lands on the page side and
inflates page / floor. ``--script-cache shared`` hands every run one ScriptCache, like a server;
``fresh`` (the default) is AppTest as it comes.

    python benchmarks/bench_server_cpu.py --reruns 40 --distinct 8
    python benchmarks/bench_server_cpu.py --reruns 40 --distinct 8 --script-cache shared

Prints one row per page: warm median / p90 CPU ms per rerun, cold mean, and the ratio to the
floor's warm median (goal ≤ 1.3).
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit import config  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import depth_view, softmax_view  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    floor: str  # ?figure= of floor_app.py
    page: str
    widget: str  # "slider" or "select_slider"
    key: str
    values: tuple
    query: tuple[tuple[str, str], ...] = ()


def cases(distinct: int) -> list[Case]:
    def spread(values, n):
        step = max(1, len(values) // n)
        return tuple(values[::step][:n])

    alphas = tuple(round(0.05 * i, 2) for i in range(2, 61))  # ELU α grid, 0.1..3
    temps = tuple(t for t in softmax_view.TEMPERATURES if t != 1.0)
    depths = tuple(d for d in range(10, depth_view.DEPTH_RANGE[1] + 1, 5) if d != 50)
    return [
        Case(
            "explorer",
            "explorer",
            "pages/explorer.py",
            "slider",
            "param_alpha",
            spread(alphas, distinct),
            (("activation", "elu"),),
        ),
        Case(
            "softmax",
            "softmax",
            "pages/softmax.py",
            "select_slider",
            "temperature",
            spread(temps, distinct),
        ),
        Case("depth", "depth", "pages/depth.py", "slider", "depth", spread(depths, distinct)),
    ]


def drive(at: AppTest, widget: str, key: str, values: tuple, reruns: int) -> list[float]:
    """CPU seconds of each rerun, one slider move per rerun."""
    times = []
    for i in range(reruns):
        w = at.slider(key=key) if widget == "slider" else at.select_slider(key=key)
        w.set_value(values[i % len(values)])
        t0 = time.process_time()
        at.run()
        times.append(time.process_time() - t0)
        if at.exception:
            raise RuntimeError(f"{key}: {at.exception[0].message}")
    return times


def share_script_cache() -> None:
    """Give every AppTest run one ScriptCache (each script compiled once), as a server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def page_app(case: Case) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(dict(case.query))
    at.switch_page(case.page)
    at.run()
    return at


def floor_app(case: Case) -> AppTest:
    at = AppTest.from_file(str(ROOT / "benchmarks" / "floor_app.py"), default_timeout=120)
    at.query_params["figure"] = case.floor
    at.run()
    return at


def summarise(times: list[float], distinct: int) -> tuple[float, float, float]:
    cold = statistics.fmean(times[:distinct]) * 1e3
    warm = sorted(times[distinct:]) or sorted(times)
    median = statistics.median(warm) * 1e3
    p90 = warm[min(len(warm) - 1, int(0.9 * len(warm)))] * 1e3
    return median, p90, cold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reruns", type=int, default=40, help="reruns per page (default 40)")
    ap.add_argument("--distinct", type=int, default=8, help="distinct slider values (default 8)")
    ap.add_argument("--pages", default="explorer,softmax,depth", help="comma-separated subset")
    ap.add_argument(
        "--script-cache",
        choices=("fresh", "shared"),
        default="fresh",
        help="fresh: AppTest's own (recompiles the scripts every run); shared: one for all runs, "
        "compiled once, as on a real server",
    )
    args = ap.parse_args()
    if args.script_cache == "shared":
        share_script_cache()
    wanted = set(args.pages.split(","))
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    print(
        f"CPU ms per rerun (process_time), {args.reruns} reruns, {args.distinct} distinct values, "
        f"runner.postScriptGC={config.get_option('runner.postScriptGC')} (.streamlit/config.toml), "
        f"script cache {args.script_cache}"
    )
    print(
        f"{'page':10} {'warm p50':>9} {'warm p90':>9} {'cold':>8}   {'floor p50':>9} "
        f"{'floor cold':>10}   {'ratio':>5}"
    )
    for case in cases(args.distinct):
        if case.name not in wanted:
            continue
        results = {}
        for label, make in (("floor", floor_app), ("page", page_app)):
            st.cache_data.clear()  # each side starts cold: the floor shares the page's caches
            st.cache_resource.clear()  # the figures are kept there
            at = make(case)
            widget = "slider" if label == "floor" and case.widget == "slider" else case.widget
            key = "v" if label == "floor" else case.key
            gc.collect()
            results[label] = summarise(
                drive(at, widget, key, case.values, args.reruns), args.distinct
            )
        (p50, p90, cold), (f50, _, fcold) = results["page"], results["floor"]
        print(
            f"{case.name:10} {p50:9.1f} {p90:9.1f} {cold:8.1f}   {f50:9.1f} {fcold:10.1f}   "
            f"{p50 / f50:5.2f}"
        )


if __name__ == "__main__":
    main()
