"""Browser work per slider move: where a student's browser spends its time, page against floor.

``bench_browser_latency.py`` times one chart's redraw; this asks what the whole move costs the
browser's main thread, which on a phone decides whether a drag keeps up. For each case (the same
cases, servers and key presses as ``bench_browser_latency.py``) it makes ``--moves`` moves in
headless Chromium and prints, per move:

* from Chrome's ``Performance.getMetrics``: script, layout and style-recalculation time;
* from a JavaScript CPU profile (CDP ``Profiler``, 100 µs sampling): self time per script
  bundle of Streamlit's front end (``PlotlyChart`` is Plotly, ``react-dom`` React's renderer,
  ``StreamlitMarkdown`` Markdown, ``(program)``/``(garbage collector)`` the engine's own).

    python benchmarks/bench_browser_work.py --cases floor_softmax_all,softmax
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_browser_latency import CASES, CHROMIUM, CHROMIUM_ARGS, case_page, measure

METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
#: Listed for every case, in the top list or not: the front end's renderers.
ALWAYS = ("PlotlyChart", "react-dom", "emotion-styled.browser.esm", "StreamlitMarkdown")


def bundle(url: str, function: str) -> str:
    """``.../PlotlyChart.D9Z0_fxz.js`` → ``PlotlyChart``; the engine's own entries by name."""
    if not url:
        return function or "(anonymous)"
    name = url.rsplit("/", 1)[-1]
    return re.sub(r"\.[\w-]+\.js$", "", name) or name


def self_time_by_bundle(profile: dict) -> collections.Counter:
    """Microseconds of self time per bundle over a CDP CPU profile."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    spent: collections.Counter = collections.Counter()
    for node_id, dt in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]
        spent[bundle(frame["url"], frame["functionName"])] += dt
    return spent


def run_case(browser, name: str, moves: int) -> tuple[dict[str, float], collections.Counter]:
    case = CASES[name]
    if not case.slider_key:
        raise SystemExit(f"{name}: a sweep has no server move to profile")
    with case_page(browser, case) as page:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        measure(page, case, 3)  # warm-up: caches filled, the front end's code compiled

        def metrics() -> dict[str, float]:
            got = cdp.send("Performance.getMetrics")["metrics"]
            return {m["name"]: m["value"] for m in got}

        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        before = metrics()
        cdp.send("Profiler.start")
        measure(page, case, moves)
        profile = cdp.send("Profiler.stop")["profile"]
        after = metrics()
    per_move = {k: (after[k] - before[k]) * 1e3 / moves for k in METRICS}  # s → ms
    return per_move, self_time_by_bundle(profile)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="floor_softmax_all,softmax,floor_depth_all,depth")
    ap.add_argument("--moves", type=int, default=16)
    ap.add_argument("--top", type=int, default=8, help="bundles listed per case")
    args = ap.parse_args()
    print(
        f"browser main-thread work per move, ms; {args.moves} moves; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. The profile's samples include the "
        "benchmark's own polling (Runtime.evaluate every 2 ms) and idle time: compare cases, "
        "not totals"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in args.cases.split(","):
                per_move, spent = run_case(browser, name, args.moves)
                print(f"\n{name}: " + ", ".join(f"{k} {v:.1f}" for k, v in per_move.items()))
                busy = {k: v for k, v in spent.items() if k != "(idle)"}
                top = sorted(busy, key=busy.__getitem__, reverse=True)[: args.top]
                for key in top + [k for k in ALWAYS if k not in top]:
                    print(f"  {busy.get(key, 0) / 1e3 / args.moves:7.1f}  {key}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
