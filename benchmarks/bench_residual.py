"""Residual networks against their mean field: simulated / predicted std of ∂L/∂h_0 over seeds.

The depth page's residual blocks are pre-activation, h + f(h)W (activations/depth.py), and its
dashed line multiplies the gradient's mean square by 1 + χ per layer. This prints, per setting,
the spread of simulated / predicted over ``--seeds`` seeds: what the tolerance of
``tests/test_depth.py::RESIDUAL_AGREEMENT`` is measured from.

    python benchmarks/bench_residual.py --seeds 20      # ~1-4 min depending on load
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from activations.depth import simulate

SETTINGS = (
    ("relu", "he", 50, 256),
    ("gelu", "he", 50, 256),
    ("tanh", "xavier", 50, 256),
    ("relu", "he", 20, 128),
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    start = time.perf_counter()
    print(f"seeds 0-{args.seeds - 1}, batch {args.batch}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'setting':>24} {'min':>6} {'median':>6} {'max':>6}")
    for act, init, depth, width in SETTINGS:
        ratios = np.array(
            [
                (
                    r := simulate(act, depth, width, args.batch, init, seed=s, residual=True)
                ).grad_stds[0]
                / r.predicted_grad_stds[0]
                for s in range(args.seeds)
            ]
        )
        name = f"{act}/{init} {depth}×{width}"
        print(f"{name:>24} {ratios.min():6.2f} {np.median(ratios):6.2f} {ratios.max():6.2f}")
    print(f"{time.perf_counter() - start:.0f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
