"""Server CPU per slider move on a real ``streamlit run`` server, one student, moves in a row.

Where ``bench_load.py`` asks how many students a server carries, this asks what one move costs
the server, with nothing else going on: a quick, steady figure to compare two versions of a page
(or a page with its floor) while working on it. One websocket client (``bench_load.Student``,
which speaks the browser's protocol, fragments included) opens the page, makes a few warm-up
moves, then ``--moves`` moves of the slider back and forth over ``--distinct`` neighbouring
values (so the page's caches are warm, as in a lesson once the first students have been there).
The server's CPU (``/proc/<pid>/stat``) over those moves ÷ moves is the CPU per move; also
printed: the ForwardMsgs one move sends, and the wall time per move.

    python benchmarks/bench_rerun_cpu.py                      # every page and its floor
    python benchmarks/bench_rerun_cpu.py --pages explorer,floor --moves 400
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_load as bl

PAGES = (
    "explorer,floor,floor_cached,softmax,floor_softmax,floor_softmax_cached,floor_softmax_all,"
    "depth,floor_depth,floor_depth_cached,floor_depth_all"
)


def measure(name: str, moves: int, distinct: int) -> dict[str, float]:
    target = bl.targets()[name]
    port = bl.free_port()
    proc = bl.start_server(target.script, port)
    try:
        bl.wait_healthy(port, proc)
        student = bl.Student(port, target, random.Random(0))
        student.query = target.query
        student.ws = bl.websocket.create_connection(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], timeout=60
        )
        student.rerun(timeout=bl.JOIN_TIMEOUT)
        if not student.widget_id:
            raise RuntimeError(f"{name}: no slider ending in {target.key!r}")
        lo = max(0, min(target.start, len(target.grid) - distinct))
        values = [target.grid[lo + i] for i in range(distinct)]
        walk = values + values[-2:0:-1]  # there and back: every move changes the value
        for value in walk * 2:  # warm-up: every value once, caches filled
            student.rerun(value)
        c0, w0 = bl.cpu_seconds(proc.pid), time.perf_counter()
        for i in range(moves):
            student.rerun(walk[i % len(walk)])
        c1, w1 = bl.cpu_seconds(proc.pid), time.perf_counter()
        student.ws.close()
        if student.errors:
            raise RuntimeError(f"{name}: {student.errors[:3]}")
        return {
            "cpu_ms": (c1 - c0) * 1e3 / moves,
            "wall_ms": (w1 - w0) * 1e3 / moves,
            "messages": student.messages,
            "fragment": bool(student.fragment_id),
        }
    finally:
        bl.stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=PAGES, help=f"comma-separated (default {PAGES})")
    ap.add_argument("--moves", type=int, default=300)
    ap.add_argument("--distinct", type=int, default=5, help="values the slider walks over")
    args = ap.parse_args()
    print(
        f"{args.moves} moves over {args.distinct} values, after a warm-up; {os.cpu_count()} "
        f"cores, load average {os.getloadavg()[0]:.1f}; students/core = 1000 / CPU ms per move"
    )
    print(f"{'page':>20} {'CPU ms/move':>11} {'msgs/move':>9} {'wall ms':>7} {'fragment':>8}")
    for name in args.pages.split(","):
        r = measure(name, args.moves, args.distinct)
        print(
            f"{name:>20} {r['cpu_ms']:11.2f} {r['messages']:9d} {r['wall_ms']:7.1f} "
            f"{'yes' if r['fragment'] else 'no':>8}",
            flush=True,
        )


if __name__ == "__main__":
    main()
