"""Timings of the depth simulator (vs PyTorch autograd, if installed) and of parse_logits.

Run:  python benchmarks/bench_depth.py [--repeats N]
      python benchmarks/bench_depth.py --memory   # peak memory of the depth page's large runs

Prints the median of several runs: wall-clock time, and for ours also the process's CPU time
(every thread's: simulate draws the weights on a helper thread for larger networks, and a server
pays for CPU time, not wall time). Both sides generate their weights inside the timed region
(like with like). The load average is printed with the figures: on a shared machine, compare
only figures taken under the same load. PyTorch is timed with its default thread count and
with one thread; on a machine loaded by other work, a multi-threaded OpenBLAS can be many times
slower than one thread (its threads spin waiting for each other): run with
OPENBLAS_NUM_THREADS=1 there (the app sets one thread itself, ui/blas.py).
``--memory`` runs each of :data:`MEMORY_SHAPES` once in a fresh process, keeping the weights and
not, and prints the process's peak RSS against ``simulation_bytes`` (the estimate the page
refuses networks by) and what a bare interpreter with the core imported peaks at.
PyTorch is not a project requirement: it is imported lazily
and skipped with a notice when absent. The BLAS environment is printed because
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, change which matmul kernel numpy uses.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from activations import parse_logits, simulate
from activations.depth import simulation_bytes

SHAPES = [(50, 256, 256), (100, 512, 256), (50, 256, 64)]  # (depth, width, batch); last: the app's
#: The page's largest settings, the largest batch it allows there, and its default.
MEMORY_SHAPES = [(200, 1024, 512), (200, 1024, 93), (200, 1024, 64), (50, 256, 64)]


def median_ms(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def median_wall_cpu_ms(fn, repeats: int) -> tuple[float, float]:
    """Medians of wall-clock and CPU time (``time.process_time``: all of this process's threads)."""
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3


def blas_info() -> None:
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        print(f"  {var} = {os.environ.get(var, '(unset)')}")
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f"  numpy BLAS: {cfg.get('openblas configuration', cfg.get('name'))}")
        print("  (threadpoolctl not installed: kernel at run time not reported)")
        return
    for pool in threadpool_info():
        print(
            f"  {pool.get('internal_api')}: {pool.get('architecture')} kernel, "
            f"{pool.get('num_threads')} threads"
        )


def torch_step(torch, depth: int, width: int, batch: int, seed: int = 0):
    """The same network in PyTorch: init, forward, backward via autograd (float64, ReLU, He)."""

    def run() -> None:
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(batch, width, dtype=torch.float64, generator=g)
        std = (2.0 / width) ** 0.5
        ws = [
            (torch.randn(width, width, dtype=torch.float64, generator=g) * std).requires_grad_()
            for _ in range(depth)
        ]
        up = torch.randn(batch, width, dtype=torch.float64, generator=g)
        h = x
        for w in ws:
            h = torch.relu(h @ w)
        (h * up).sum().backward()
        _ = [w.grad.norm() for w in ws]

    return run


def peak_rss_mb(code: str) -> tuple[float, float]:
    """Peak RSS (MB) of a fresh interpreter running ``code``, and its wall time (s)."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True)
    seconds = time.perf_counter() - t0
    # RUSAGE_CHILDREN's maximum is over every child so far: callers run the smallest first.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, seconds


def memory() -> None:
    print("peak RSS of one simulate('relu') in a fresh process (OPENBLAS_NUM_THREADS=1)")
    base, _ = peak_rss_mb("import activations")
    print(f"  the interpreter with the core imported: {base:7.0f} MB")
    print(f"{'depth, width, batch':>22} {'keep':>6} {'peak MB':>8} {'estimate MB':>12} {'s':>6}")
    runs = [(shape, keep) for shape in MEMORY_SHAPES for keep in (False, True)]
    runs.sort(key=lambda run: simulation_bytes(*run[0], keep_weights=run[1]))
    for (depth, width, batch), keep in runs:
        code = (
            "from activations import simulate; "
            f"simulate('relu', {depth}, {width}, {batch}, keep_weights={keep})"
        )
        peak, seconds = peak_rss_mb(code)
        estimate = simulation_bytes(depth, width, batch, keep_weights=keep) / 2**20
        print(
            f"{depth:>8}, {width:>5}, {batch:>5} {keep!s:>6} {peak:>8.0f} "
            f"{estimate + base:>12.0f} {seconds:>6.1f}"
        )
    print("(estimate: simulation_bytes plus the interpreter's own peak)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--memory", action="store_true", help="peak memory of large runs instead")
    args = ap.parse_args()
    if args.memory:
        memory()
        return

    print("BLAS environment:")
    blas_info()
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch not installed: skipping the comparison (it is not a project requirement).")
    else:
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")

    print("\nsimulate('relu', init='he'), float64, median of", args.repeats, "runs")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'depth, width, batch':>22} {'ours (ms)':>10} {'ours CPU':>9} {'torch (ms)':>11} "
        f"{'ratio':>6} {'torch1 (ms)':>11} {'ratio1':>6}"
    )
    for depth, width, batch in SHAPES:
        ours, ours_cpu = median_wall_cpu_ms(
            lambda d=depth, w=width, b=batch: simulate("relu", d, w, b), args.repeats
        )
        if torch is not None:
            threads = torch.get_num_threads()
            theirs = median_ms(torch_step(torch, depth, width, batch), args.repeats)
            torch.set_num_threads(1)
            theirs1 = median_ms(torch_step(torch, depth, width, batch), args.repeats)
            torch.set_num_threads(threads)
            row = (
                f"{ours:>10.1f} {ours_cpu:>9.1f} {theirs:>11.1f} {ours / theirs:>6.2f} "
                f"{theirs1:>11.1f} {ours / theirs1:>6.2f}"
            )
            print(f"{depth:>8}, {width:>5}, {batch:>5} {row}")
        else:
            print(f"{depth:>8}, {width:>5}, {batch:>5} {ours:>10.1f} {ours_cpu:>9.1f} {'-':>11}")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")

    print("\nparse_logits on a 1 MB paste (median ms; every one is rejected):")
    pastes = {
        "200k numbers": "1.8, " * 200_000,
        "one 1 MB token": "1" * 1_000_000,
        "1 MB of brackets": "[" * 500_000 + "]" * 500_000,
        "1 MB of separators": " ," * 500_000,
    }
    for name, text in pastes.items():

        def parse(t=text) -> None:
            with contextlib.suppress(ValueError):
                parse_logits(t)

        print(f"  {name:>20}: {median_ms(parse, args.repeats):8.1f} ms")


if __name__ == "__main__":
    main()
