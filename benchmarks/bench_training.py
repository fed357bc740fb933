"""Timings of the training core (issue #15) and of PyTorch doing the same training loop.

Run:  python benchmarks/bench_training.py [--repeats N]

Prints medians over ``--repeats`` runs (after a warm-up) of wall-clock and CPU time for

* the default run: ``train("relu", make_dataset("circle"))``: 2 × 8 hidden, 400 points, 1,000
  steps, batch 32, 50 snapshots (goal: ≤ 150 ms on one core);
* a race of four (relu, leaky_relu, tanh, gelu on the same data, one after the other, as the
  page trains them; goal: ≤ 600 ms);
* PyTorch doing the same loop on one thread (float64; each step the loss and accuracy on the
  training and test sets without autograd, then the batch's forward, backward and
  ``optimizer.step()``; at each snapshot the decision surface and f′ on the training set),
  timed interleaved with ours so that both see the same load: the ratio is ours / PyTorch's
  (goal: ≤ 1);
* the work estimate (``training_cost``) against the CPU time of runs from 2 × 8 to 8 × 64, with
  cheap and expensive activations (the widest at the most steps ``largest_steps`` allows it):
  the calibration of ``MAX_WORK`` (1.5 · 10¹⁰ units, about 1.5 s at 10¹⁰ units per second).

One BLAS thread (``OPENBLAS_NUM_THREADS=1`` unless set) and ``torch.set_num_threads(1)``: the
app's server runs one BLAS thread per process (ui/blas.py). The load average is printed with
the figures: on a shared machine a figure measured under load is an upper bound. PyTorch is not
a project requirement: without it, its rows are skipped with a notice.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads its BLAS

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from activations.training import (
    GRID_DEFAULT,
    largest_steps,
    make_dataset,
    snapshot_schedule,
    train,
    training_cost,
)

RACE = ("relu", "leaky_relu", "tanh", "gelu")


def wall_cpu(fn) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def torch_loop(torch, dataset, run, steps: int, snapshots: int, grid: int):
    """The same training as ``run`` (its initial weights and batches), the ordinary PyTorch way."""
    F = torch.nn.functional
    layers = [
        (
            torch.tensor(w, dtype=torch.float64).requires_grad_(),
            torch.tensor(b, dtype=torch.float64).requires_grad_(),
        )
        for w, b in run.initial_weights
    ]
    opt = torch.optim.SGD([p for layer in layers for p in layer], lr=run.lr)
    x_train = torch.tensor(dataset.x_train)
    y_train = torch.tensor(dataset.y_train)
    x_all = torch.cat([x_train, torch.tensor(dataset.x_test)])
    y_all = torch.cat([y_train, torch.tensor(dataset.y_test)])
    n_train = len(y_train)
    gx = torch.linspace(dataset.box[0], dataset.box[1], grid, dtype=torch.float64)
    gy = torch.linspace(dataset.box[2], dataset.box[3], grid, dtype=torch.float64)
    yy, xx = torch.meshgrid(gy, gx, indexing="ij")
    grid_points = torch.stack([xx.ravel(), yy.ravel()], dim=1)
    batches = torch.tensor(run.batch_indices)
    snaps = set(snapshot_schedule(steps, snapshots).tolist())
    curves = torch.empty((4, steps + 1), dtype=torch.float64)
    surfaces, stats = [], []

    def forward(x, keep=None):
        h = x
        for k, (w, b) in enumerate(layers):
            h = h @ w + b
            if k < len(layers) - 1:
                if keep is not None:
                    keep.append(h)
                h = F.relu(h)
        return h

    for t in range(steps + 1):
        with torch.no_grad():
            zs = []
            logits = forward(x_all, zs)
            nll = F.cross_entropy(logits, y_all, reduction="none")
            hit = (logits.argmax(dim=1) == y_all).double()
            curves[0, t] = nll[:n_train].mean()
            curves[1, t] = nll[n_train:].mean()
            curves[2, t] = hit[:n_train].mean()
            curves[3, t] = hit[n_train:].mean()
            if t in snaps:
                surfaces.append(F.softmax(forward(grid_points), dim=1))
                for z in zs:
                    d = (z[:n_train] > 0).double()  # relu′
                    stats.append(((d == 0).all(dim=0).double().mean(), (d < 0.01).double().mean()))
        if t == steps:
            break
        idx = batches[t]
        opt.zero_grad()
        F.cross_entropy(forward(x_train[idx]), y_train[idx]).backward()
        opt.step()
    return curves, surfaces, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    repeats = args.repeats

    dataset = make_dataset("circle")
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(load())

    try:
        import torch

        torch.set_num_threads(1)
        print(f"torch {torch.__version__}, 1 thread")
    except ImportError:
        torch = None
        print("torch not installed (pip install torch==2.13.0): the PyTorch rows are skipped")

    default = lambda: train("relu", dataset)  # noqa: E731
    race = lambda: [train(a, dataset) for a in RACE]  # noqa: E731
    run = default()
    assert run.diverged_at is None
    loop = (
        (lambda: torch_loop(torch, dataset, run, 1000, 50, GRID_DEFAULT))
        if torch is not None
        else None
    )
    if loop is not None:  # the reference is the same training: check before timing it
        curves, _, _ = loop()
        np.testing.assert_allclose(curves[0].numpy(), run.loss_train, rtol=1e-6)

    # Warm-up, then interleaved repeats: ours, PyTorch's, the race.
    default(), race()
    ours, theirs, races = [], [], []
    for _ in range(repeats):
        ours.append(wall_cpu(default))
        if loop is not None:
            theirs.append(wall_cpu(loop))
        races.append(wall_cpu(race))

    def show(label: str, rows: list[tuple[float, float]]) -> float:
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        print(f"  {label:<46} {wall:8.1f} ms wall   {cpu:8.1f} ms CPU")
        return wall

    print("\nmedians of", repeats, "runs:")
    w_ours = show("default run (relu, 2×8, 400 pts, 1000 steps)", ours)
    show("race of four (relu, leaky_relu, tanh, gelu)", races)
    if theirs:
        w_torch = show("PyTorch, the same loop, 1 thread", theirs)
        ratios = [a[0] / b[0] for a, b in zip(ours, theirs, strict=True)]
        print(
            f"  ours / PyTorch: {w_ours / w_torch:.2f}× (medians); "
            f"per interleaved pair {min(ratios):.2f}–{max(ratios):.2f}×"
        )

    # The work estimate against CPU time: the calibration of training_cost and MAX_WORK.
    print("\n  work estimate vs CPU time (one run each; units/s = estimate / CPU time):")
    wide = (64,) * 8
    cases = [
        ("relu", (8, 8), 1000),
        ("gelu", (8, 8), 1000),
        ("sinc", (8, 8), 1000),
        ("sigmoid", (16,) * 6, 2000),
        ("elu", (32,) * 4, 1000),
        ("sinc", (32,) * 4, 300),
        ("relu", wide, largest_steps(wide, activation="relu")),
        ("gelu", wide, 100),
    ]
    for act, hidden, steps in cases:
        cost = training_cost(hidden, steps, activation=act)
        wall, cpu = wall_cpu(lambda a=act, h=hidden, s=steps: train(a, dataset, hidden=h, steps=s))
        shape = "×".join(map(str, hidden))
        print(
            f"  {act:<8} {shape:<24} {steps:5} steps {wall:7.0f} ms wall {cpu:6.0f} ms CPU   "
            f"{cost.work / 1e9:6.2f}e9 units → {cost.work / (cpu / 1e3) / 1e9:5.1f}e9 units/s"
        )
    print(load())


if __name__ == "__main__":
    main()
