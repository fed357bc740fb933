"""Browser latency: a key press on a slider until the chart's line changes, in headless Chromium.

For each page (and its floors, benchmarks/floor_app.py: the page's main chart alone, and for
softmax and depth every chart the page redraws on that move, ``floor_*_all``), against a real
``streamlit run`` server: focus the slider's handle, install a MutationObserver on the chart,
press ArrowRight/ArrowLeft (alternating) and time, with ``performance.now()`` in the page, from
the ``keydown`` event to the first change of a drawn path's ``d`` attribute in that chart
(``path.js-line`` for line charts, bar paths for bars, the ``href`` of a heatmap's image).
Each move waits for the rerun to settle before the next.

The Plotly-slider sweeps (ui/sweep.py, served by floor_app ``?figure=sweep`` /
``temperature_sweep``) have no Streamlit widget: their slider is SVG and not focusable, so the
script clicks the next step's tick with the mouse and times from the ``mousedown`` event to the
path change (Plotly.animate swaps the frame in the browser; no server round trip). The training
page's snapshot scrubber (``training_scrubber``; ``_race``: four activations, four images a
frame) is timed the same way, to the change of a decision surface's image.

    python benchmarks/bench_browser_latency.py --moves 24
    python benchmarks/bench_browser_latency.py --cases explorer,floor,sweep --moves 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import free_port, start_server, stop_server, wait_healthy

#: Elements (blocks included) in /sampling's main area at its defaults: the floor
#: ``floor_sampling_plain`` shows as many plain ones (tests/test_floor_app.py counts the page's).
PAGE_ELEMENTS = 57

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class Case:
    name: str
    script: str
    path: str  # url path + query
    slider_key: str | None  # the Streamlit widget key; None: a Plotly slider (click its ticks)
    chart_key: str  # the st.plotly_chart key (its container has class st-key-<key>)
    floor: str | None = None  # the case this one is compared with


FLOOR = "benchmarks/floor_app.py"
CASES = {
    c.name: c
    for c in (
        Case("floor", FLOOR, "/?figure=explorer", "v", "chart"),
        Case(
            "explorer", "app.py", "/explorer?activation=elu", "param_alpha", "explorer_chart",
            "floor",
        ),
        Case("floor_softmax", FLOOR, "/?figure=softmax", "v", "chart"),
        Case("softmax", "app.py", "/softmax", "temperature", "softmax_bars", "floor_softmax"),
        Case("floor_depth", FLOOR, "/?figure=depth", "v", "chart"),
        Case("depth", "app.py", "/depth", "depth", "depth_grad_chart", "floor_depth"),
        # the floors again, their figure taken from the page's cache, as the pages draw theirs
        Case("floor_cached", FLOOR, "/?figure=explorer&cached=1", "v", "chart"),
        Case("floor_softmax_cached", FLOOR, "/?figure=softmax&cached=1", "v", "chart"),
        Case("floor_depth_cached", FLOOR, "/?figure=depth&cached=1", "v", "chart"),
        # like for like: every chart the page redraws on that move, the watched one first
        Case("floor_softmax_all", FLOOR, "/?figure=softmax_all", "v", "chart"),
        # the softmax page with its sparse comparison on (6 charts a move), and its floor
        Case("floor_softmax_all_sparse", FLOOR, "/?figure=softmax_all&sparse=1", "v", "chart"),
        Case(
            "softmax_sparse", "app.py", "/softmax?sparse=true", "temperature", "softmax_bars",
            "floor_softmax_all_sparse",
        ),
        Case("floor_depth_all", FLOOR, "/?figure=depth_all", "v", "chart"),
        Case("sweep", FLOOR, "/?figure=sweep", None, "chart"),
        Case("temperature_sweep", FLOOR, "/?figure=temperature_sweep", None, "chart"),
        # the training page's snapshot scrubber: a frame of decision surfaces (layout images)
        Case("training_scrubber", "app.py", "/training", None, "training_surface_chart"),
        Case(
            "training_scrubber_race", "app.py", "/training?compare=tanh,leaky_relu,gelu", None,
            "training_surface_chart",
        ),
        # pages/sampling.py: a T move, its like-for-like floor, and its in-chart T sweep
        Case("floor_sampling_all", FLOOR, "/?figure=sampling_all", "v", "chart"),
        Case(
            "sampling", "app.py", "/sampling", "temperature", "sampling_bars", "floor_sampling",
        ),
        Case("sampling_sweep", FLOOR, "/?figure=sampling_sweep", None, "chart"),
        # that floor with its slider and chart in a fragment, as the page's knobs are; then with
        # as many plain elements outside the fragment as /sampling shows (floor_app docstring)
        Case("floor_sampling_fragment", FLOOR, "/?figure=sampling_all&fragment=1", "v", "chart"),
        Case(
            "floor_sampling_plain", FLOOR,
            f"/?figure=sampling_all&fragment=1&plain={PAGE_ELEMENTS}", "v", "chart",
        ),
    )
}  # fmt: skip

# Installed once per page: records the time of the last keydown/mousedown and of the first
# change of any drawn path's "d" in the chart after it.
OBSERVER_JS = """
(chartSel) => {
  if (!document.querySelector(chartSel)) return false;
  window.__t = {input: null, change: null};
  const mark = () => { window.__t = {input: performance.now(), change: null}; };
  document.addEventListener('keydown', mark, true);
  document.addEventListener('mousedown', mark, true);
  const sel = '.scatterlayer .trace path.js-line, .barlayer .point path, .heatmaplayer image, '
    + '.imagelayer image';
  // Re-query the chart each time: a rerun may replace the plot's element.
  const snapshot = () => {
    const root = document.querySelector(chartSel);
    if (!root) return '';
    return Array.from(root.querySelectorAll(sel))
      .map(p => p.getAttribute('d') || p.getAttribute('href') || p.getAttribute('xlink:href'))
      .join('|');
  };
  window.__last = snapshot();
  // No attributeFilter: it never matches a namespaced attribute, and Plotly sets a layout
  // image's xlink:href (the training scrubber's surfaces). Filtered here instead.
  const watched = (r) => r.type === 'childList' || r.attributeName === 'd'
    || r.attributeName === 'href';
  new MutationObserver((records) => {
    if (!records.some(watched)) return;
    const now = snapshot();
    if (now !== window.__last) {
      window.__last = now;
      const t = window.__t;
      if (t.input !== null && t.change === null) t.change = performance.now();
    }
  }).observe(document.body, {attributes: true, childList: true, subtree: true});
  return true;
}
"""


def chart_selector(case: Case) -> str:
    return f".st-key-{case.chart_key} .js-plotly-plot"


def wait_idle(page, timeout_s: float = 10.0) -> None:
    """Until Streamlit's 'Running…' status is gone (the rerun has finished)."""
    deadline = time.monotonic() + timeout_s
    time.sleep(0.05)
    while time.monotonic() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        time.sleep(0.02)


def measure(page, case: Case, moves: int) -> list[float]:
    sel = chart_selector(case)
    drawn = (
        f"{sel} .scatterlayer .trace path.js-line, {sel} .barlayer .point path, "
        f"{sel} .heatmaplayer image, {sel} .imagelayer image"
    )
    page.wait_for_selector(drawn, state="attached", timeout=60_000)
    wait_idle(page)
    if not page.evaluate(OBSERVER_JS, sel):
        raise RuntimeError(f"{case.name}: chart {sel} not found")
    latencies = []
    if case.slider_key:
        handle = page.locator(f".st-key-{case.slider_key} input[type='range']").first
        handle.focus()
    else:
        ticks = page.locator(f"{sel} .slider-container .slider-tick-rect")
        n_ticks = ticks.count()
        if n_ticks < 2:
            raise RuntimeError(f"{case.name}: no Plotly slider ticks")
        active = page.evaluate(
            "(s) => document.querySelector(s)._fullLayout.sliders[0].active", sel
        )
        if case.name.startswith("training_scrubber") and active != 0:
            # The scrubber opens on the last snapshot, where a trained surface no longer
            # changes (steps 390 and 400 draw the same image): move between steps 0 and 10.
            ticks.nth(0).scroll_into_view_if_needed()
            box = ticks.nth(0).bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] - 16)
            page.wait_for_function(
                "(s) => document.querySelector(s)._fullLayout.sliders[0].active === 0", arg=sel
            )
            time.sleep(0.3)
            active = 0
    for i in range(moves):
        if case.slider_key:
            handle.focus()  # a rerun may re-render the slider and drop the focus
        page.evaluate("() => { window.__t = {input: null, change: null}; }")
        if case.slider_key:
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        else:
            # one step right, then back (as the arrow keys do): near the start value the
            # curves move by whole pixels (at T = 50 vs 63 the bars differ by less than one)
            target = active + 1 if i % 2 == 0 else active
            if target >= n_ticks:
                target = active - 1
            ticks.nth(target).scroll_into_view_if_needed()  # below the fold on a tall page
            box = ticks.nth(target).bounding_box()
            # on the rail, straight above the step's tick (Plotly snaps to the nearest step)
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] - 16)
        deadline = time.monotonic() + 10
        t = None
        while time.monotonic() < deadline:
            t = page.evaluate("() => window.__t")
            if t["change"] is not None:
                break
            time.sleep(0.002)
        if t is None or t["change"] is None or t["input"] is None:
            raise RuntimeError(f"{case.name}: move {i}: the chart did not change within 10 s")
        latencies.append(t["change"] - t["input"])
        if case.slider_key:
            wait_idle(page)
        time.sleep(0.15)
    return latencies


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


@contextmanager
def case_page(browser, case: Case) -> Iterator:
    """A fresh server for ``case`` and a 1280×1000 page opened on it; both closed on exit."""
    port = free_port()
    proc = start_server(case.script, port)
    try:
        wait_healthy(port, proc)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            page.goto(f"http://127.0.0.1:{port}{case.path}", wait_until="domcontentloaded")
            yield page
        finally:
            page.close()
    finally:
        stop_server(proc)


def run_case(browser, case: Case, moves: int) -> list[float]:
    with case_page(browser, case) as page:
        measure(page, case, 2)  # warm-up: the first moves fill the caches
        return measure(page, case, moves)


def ratios(case: Case, results: dict[str, list[float]]) -> str:
    """The case's median (and p95) over each of its floors measured so far, as text."""
    if case.floor is None:
        return ""
    lat = results[case.name]
    return ", ".join(
        f"{statistics.median(lat) / statistics.median(results[floor]):.2f}× "
        f"({percentile(lat, 0.95) / percentile(results[floor], 0.95):.2f}×) {floor}"
        for floor in (case.floor, *(f"{case.floor}_{s}" for s in ("cached", "all", "plain")))
        if floor in results
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moves", type=int, default=24, help="slider moves per case (default 24)")
    ap.add_argument("--cases", default=",".join(CASES), help=f"subset of {','.join(CASES)}")
    args = ap.parse_args()
    names = [n for n in args.cases.split(",") if n]
    print(
        f"key/click → chart path change, ms; {args.moves} moves; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'case':20} {'median':>7} {'p95':>7} {'min':>6} {'max':>7}   vs floors: medians (p95s)")
    results: dict[str, list[float]] = {}
    printed: dict[str, str] = {}  # each case's ratios as printed on its line
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in names:
                case = CASES[name]
                try:
                    lat = run_case(browser, case, args.moves)
                except Exception as exc:
                    print(f"{name:20} failed: {type(exc).__name__}: {str(exc)[:150]}")
                    continue
                results[name] = lat
                printed[name] = ratios(case, results)
                print(
                    f"{name:20} {statistics.median(lat):7.1f} {percentile(lat, 0.95):7.1f} "
                    f"{min(lat):6.1f} {max(lat):7.1f}   {printed[name]}",
                    flush=True,
                )
        finally:
            browser.close()
    # Again once every case has run, for the pages measured before some of their floors.
    late = {n: ratios(CASES[n], results) for n in results if CASES[n].floor}
    late = {n: text for n, text in late.items() if text and text != printed[n]}
    if late:
        print("page ÷ floor, medians (p95s):")
        for name, text in late.items():
            print(f"{name:20} {text}")


if __name__ == "__main__":
    main()
