"""Time the catalogue: forward + derivative on 10⁶ float64 points, per activation and in total.

Like with like: ours is one ``forward_and_derivative`` call (the fused path where an entry has
one), PyTorch's is its CPU kernels doing the forward and the autograd backward on the same
points, where PyTorch has a built-in (torch is optional: without it the comparison is skipped
with a notice). NumPy runs on one thread, so PyTorch is timed on one thread too, and with its
default thread count for reference. The separate ``forward`` + ``derivative`` calls are timed
too ("sep ms"). On a loaded machine the timings are interleaved (one run of each contender per
round, ``--repeat`` rounds per entry) and the best of the rounds is kept. Also times
properties() per activation (it runs on every slider move). Prints figures; asserts nothing.

    python benchmarks/bench_catalogue.py [--points N] [--repeat R]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from activations import ACTIVATIONS, properties


def best_time(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def torch_run(torch, module, x_np: np.ndarray):
    x = torch.from_numpy(x_np)

    def run():
        xt = x.detach().requires_grad_(True)
        y = module(xt)
        if y.requires_grad:
            y.backward(torch.ones_like(y))

    return run


def interleaved_best(contenders: dict, repeat: int) -> dict[str, float]:
    """Best time of each contender over ``repeat`` rounds, one run of each per round, so that
    a burst of load from elsewhere hits all of them alike. A contender is (setup, fn): setup
    (such as setting torch's thread count) runs untimed before each of its runs."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeat):
        for key, (setup, fn) in contenders.items():
            setup()
            best[key] = min(best[key], best_time(fn, 1))
    return best


def torch_module(code: str):
    """The torch module a one-expression snippet builds, loaded from a module file (no eval)."""
    folder = Path(tempfile.mkdtemp(prefix="snippet_"))
    path = folder / "snippet.py"
    path.write_text(f"import torch\n\nact = {code}\n")
    spec = importlib.util.spec_from_file_location("snippet", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.act


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.uniform(-10.0, 10.0, args.points)

    try:
        import torch
    except ImportError:
        torch = None
        print("notice: torch is not importable; the PyTorch comparison is skipped")
    if torch is not None:
        default_threads = torch.get_num_threads()
        print(f"torch {torch.__version__}, default threads {default_threads}")

    print(
        f"numpy {np.__version__}, {args.points:,} float64 points, best of {args.repeat} "
        "interleaved rounds (ours, separate, torch 1 thread, torch default; the machine may be "
        "loaded by other work: the best round is the least disturbed)"
    )
    header = (
        f"{'activation':16s} {'ours ms':>8s} {'sep ms':>8s} {'torch1 ms':>9s} {'ratio':>6s} "
        f"{'torchN ms':>9s} {'props ms':>8s}"
    )
    print(header)
    print("-" * len(header))

    total_ours = total_ours_shared = total_torch1 = total_torchn = 0.0
    rows = []
    for name, act in ACTIVATIONS.items():
        props_ms = 1e3 * best_time(lambda a=act: properties(a), args.repeat)

        def nothing() -> None:
            pass

        contenders = {
            "ours": (nothing, lambda a=act: a.forward_and_derivative(x)),
            "sep": (nothing, lambda a=act: (a.forward(x), a.derivative(x))),
        }
        code = act.snippet("pytorch")
        shared = torch is not None and not code.startswith("#")  # a built-in, not a fallback
        if shared:
            module = torch_module(code).double().train(False)
            run = torch_run(torch, module, x)
            contenders["t1"] = (lambda: torch.set_num_threads(1), run)
            contenders["tn"] = (lambda: torch.set_num_threads(default_threads), run)
        best = interleaved_best(contenders, args.repeat)
        ours, sep = best["ours"], best["sep"]
        t1, tn = best.get("t1", float("nan")), best.get("tn", float("nan"))
        if torch is not None:
            torch.set_num_threads(default_threads)
            if shared:
                total_ours_shared += ours
                total_torch1 += t1
                total_torchn += tn
        total_ours += ours
        ratio = ours / t1 if t1 == t1 else float("nan")
        rows.append((name, ratio))
        print(
            f"{name:16s} {1e3 * ours:8.2f} {1e3 * sep:8.2f} {1e3 * t1:9.2f} {ratio:6.2f} "
            f"{1e3 * tn:9.2f} {props_ms:8.2f}"
        )

    print("-" * len(header))
    print(f"all {len(ACTIVATIONS)} activations, ours: {1e3 * total_ours:.1f} ms")
    if torch is not None and total_torch1:
        print(
            f"the {sum(r == r for _, r in rows)} with a PyTorch built-in: ours "
            f"{1e3 * total_ours_shared:.1f} ms, torch 1 thread {1e3 * total_torch1:.1f} ms "
            f"(ratio {total_ours_shared / total_torch1:.2f}), torch {default_threads} threads "
            f"{1e3 * total_torchn:.1f} ms"
        )
        slow = [f"{n} {r:.2f}x" for n, r in rows if r == r and r > 1.5]
        print("over 1.5x torch (1 thread): " + (", ".join(slow) if slow else "none"))


if __name__ == "__main__":
    main()
