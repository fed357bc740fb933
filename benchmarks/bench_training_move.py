"""What one move on the training page costs the server, part by part (issue #15's class load).

Run:  python benchmarks/bench_training_move.py [--repeats N]

Medians over ``--repeats`` (after a warm-up) of

* **figures**: ``ui.training_view.figures`` building the page's five figures for the default
  run and for a race of four, cache cleared each time (the page builds them once per setting:
  every new training is a new build), and the JSON Streamlit then makes of them;
* **training**: the default run (``ui.training_view.run``'s call: ReLU, 2 × 8, 1,000 steps, 41
  snapshots) on the calling thread, and through ``ui.workers.call`` on a warm worker process
  (wall time as the page waits for it: the training, pickling both ways and the pipe); and the
  CPU time the calling thread spends meanwhile, which is what the server's other sessions lose.

The class-load figures themselves (60 students, p95) come from ``bench_load.py --page training``;
this script says where a move's CPU goes. Load average printed: on a shared machine a figure
measured under load is an upper bound.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" notices: bare mode

import plotly.io as pio  # noqa: E402

from activations import training as core  # noqa: E402
from ui import blas, workers  # noqa: E402
from ui import training_view as view  # noqa: E402


def timed(fn) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms) of ``fn()``."""
    w0, c0 = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - w0) * 1e3, (time.thread_time() - c0) * 1e3


def median_of(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = [timed(fn) for _ in range(repeats)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    blas.limit_to_one_thread()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.repeats} repeats, medians")

    s = view.Settings(**view.DEFAULTS)
    data = view.dataset(s.dataset, s.noise, s.seed)
    kwargs = {
        "hidden": s.hidden,
        "init": s.init,
        "optimizer": s.optimizer,
        "lr": s.lr,
        "batch": s.batch,
        "steps": s.steps,
        "l2": s.l2,
        "seed": s.seed,
        "snapshots": view.SNAPSHOTS,
    }
    for slugs in (("relu",), ("relu", "leaky_relu", "tanh", "gelu")):
        runs = [(slug, core.train(slug, data, **kwargs)) for slug in slugs]
        key = tuple((slug, ()) for slug in slugs)

        def build(runs=runs, key=key):
            view.figures.clear()
            return view.figures(key=key, settings=s, present=False, _runs=runs)

        figs = build()
        wall, _ = median_of(build, args.repeats)
        json_ms, _ = median_of(
            lambda figs=figs: [pio.to_json(f, validate=False) for f in figs], args.repeats
        )
        print(f"figures, {len(slugs)} activation(s): build {wall:.1f} ms, JSON {json_ms:.1f} ms")

    here_wall, here_cpu = median_of(lambda: core.train("relu", data, **kwargs), args.repeats)
    os.environ.setdefault(workers.WORKERS_VARIABLE, "1")
    work = core.training_cost(s.hidden, s.steps, s.batch, snapshots=view.SNAPSHOTS).work
    there_wall, there_cpu = median_of(
        lambda: workers.call(core.train, "relu", data, work=work, **kwargs), args.repeats
    )
    print(
        f"default training on the calling thread: {here_wall:.1f} ms wall, {here_cpu:.1f} ms "
        f"of its CPU\ndefault training in a worker process: {there_wall:.1f} ms wall, "
        f"{there_cpu:.1f} ms of the calling thread's CPU"
    )
    workers.shutdown()


if __name__ == "__main__":
    main()
