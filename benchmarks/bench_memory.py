"""Heavy use: the server's memory while four students run the largest depth networks at once.

Four sessions open ``/depth?depth=200&width=1024&batch=93`` (the largest batch that fits one
run's 320 MB) with four ``compare`` pairs each: 5 runs of ~315 MB per session, 20 per round, all
sent at once. Three rounds, each with a new seed (so nothing comes from the cache). The server's
RSS (/proc/<pid>/status) is sampled every 0.1 s: the peak of each round, and the idle RSS a few
seconds after the round's last run finished. Uses bench_load.py's websocket client (a session
speaks the browser's protocol). The goal (issue #20): peak under 600 MB, idle under 250 MB.

    python benchmarks/bench_memory.py                 # this checkout
    python benchmarks/bench_memory.py --root /tmp/old # another checkout of the app (before/after)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import bench_load as load  # noqa: E402

QUERY = "depth=200&width=1024&batch=93"
PAIRS = (
    ("tanh:xavier", "sigmoid:xavier", "gelu:he", "elu:he"),
    ("swish:he", "selu:lecun", "leaky_relu:he", "softplus:he"),
    ("mish:he", "celu:he", "tanh:lecun", "relu:xavier"),
    ("gelu:xavier", "sigmoid:lecun", "elu:xavier", "relu:lecun"),
)
RUN_TIMEOUT = 900.0
IDLE_WAIT_S = 5.0


def start(root: Path, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def reset(self) -> None:
        self.peak = load.rss_mb(self.pid)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, load.rss_mb(self.pid))
            self.stop.wait(0.1)


def one_session(port: int, query: str, out: dict[str, object]) -> None:
    target = load.Target("app.py", "depth", "depth", "double", (), 0, query)
    student = load.Student(port, target, None)
    student.query = query
    t0 = time.perf_counter()
    try:
        student.ws = load.websocket.create_connection(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], timeout=60
        )
        student.rerun(timeout=RUN_TIMEOUT)
    except Exception as exc:
        student.errors.append(f"{type(exc).__name__}: {exc}"[:120])
    finally:
        if student.ws is not None:
            student.ws.close()
    out["seconds"] = time.perf_counter() - t0
    out["errors"] = student.errors
    out["charts"] = student.first_chart_s is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py runs")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    port = load.free_port()
    proc = start(args.root, port)
    try:
        load.wait_healthy(port, proc)
        sampler = RssSampler(proc.pid)
        sampler.start()
        print(f"server {args.root} pid {proc.pid}: fresh RSS {load.rss_mb(proc.pid):.0f} MB")
        for r in range(1, args.rounds + 1):
            sampler.reset()
            results: list[dict[str, object]] = [{} for _ in PAIRS]
            threads = [
                threading.Thread(
                    target=one_session,
                    args=(port, f"{QUERY}&seed={r}&compare={','.join(pairs)}", results[i]),
                )
                for i, pairs in enumerate(PAIRS)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            time.sleep(IDLE_WAIT_S)
            idle = load.rss_mb(proc.pid)
            slowest = max(float(res["seconds"]) for res in results)
            errors = [e for res in results for e in res["errors"]]  # type: ignore[union-attr]
            drawn = sum(bool(res["charts"]) for res in results)
            print(
                f"round {r}: peak {sampler.peak:.0f} MB, idle {idle:.0f} MB "
                f"({IDLE_WAIT_S:.0f} s after), 4 sessions x 5 runs in {wall:.1f} s "
                f"(slowest session {slowest:.1f} s), charts drawn in {drawn}/4 sessions, "
                f"errors: {errors or 'none'}"
            )
        sampler.stop.set()
        with open("/proc/loadavg") as f:
            print(f"load average (1, 5, 15 min) at the end: {' '.join(f.read().split()[:3])}")
    finally:
        load.stop_server(proc)


if __name__ == "__main__":
    main()
