"""Time the explorer's gated-units charts: build + freeze per unit and view, and their payload.

Each chart is built once per (unit, view, presenter) and kept in st.cache_resource; this is what
a cache miss costs the server and what the browser then receives. Prints figures; asserts nothing.

    python benchmarks/bench_gated.py [--repeat R]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime": the caches are unused here

from activations import GATED_UNITS  # noqa: E402
from ui import gated_view  # noqa: E402
from ui.plotting import freeze  # noqa: E402


def best_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return 1e3 * best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; grid {gated_view.GRID}², best of {args.repeat}")
    print(f"{'unit':8} {'view':4} {'build+freeze ms':>16} {'JSON kB':>8}")
    for unit in GATED_UNITS:
        for which in gated_view.VIEWS:
            build = lambda u=unit, w=which: freeze(gated_view.surface_figure(u, w, False))  # noqa: E731
            ms = best_ms(build, args.repeat)
            size = len(gated_view.surface_figure(unit, which, False).to_json()) / 1e3
            print(f"{unit:8} {which:4} {ms:16.1f} {size:8.0f}")
        ms = best_ms(lambda u=unit: freeze(gated_view.cut_figure(u, False)), args.repeat)
        size = len(gated_view.cut_figure(unit, False).to_json()) / 1e3
        print(f"{unit:8} {'cut':4} {ms:16.1f} {size:8.0f}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
