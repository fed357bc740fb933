"""Classroom load: N students on one ``streamlit run`` server, each moving a slider once a second.

Each simulated student is a websocket client that speaks the browser's protocol to
``/_stcore/stream``: a ``BackMsg.rerun_script`` (query string, page, the slider's widget state,
the hashes of cached messages it already holds, as the browser sends them) and ForwardMsgs read
until ``script_finished``. The widget id is read from the first run's deltas (the slider whose id
ends in the widget key), and so is the fragment it is drawn in: as a browser does, a move of a
widget inside an ``st.fragment`` asks for a rerun of that fragment only (``fragment_id``).
Every student moves the slider one step left or right (a key press) at about one move a second,
each at its own random phase (the training page: one move every 10 s, each student on its own
seed and walking one way, so every move is a new training).

Per N (10, 30, 60 by default) the run has two phases:

* join: all N students open the page within ``--ramp`` seconds; time from connecting to the
  first chart's delta — "60 students open the link at once" (by default the teacher has opened
  the page once before, as in class; ``--cold`` skips that);
* steady: once all have joined, ``--seconds`` of moves; rerun latency p50/p95 (send →
  script_finished), errors (exceptions in the page, failed runs, dropped sockets, runs over
  10 s), the server's CPU (cores, from /proc/<pid>/stat) and peak RSS (/proc/<pid>/status),
  each of the server and every process under it (the training page's worker processes) together.

The server runs with the repo's .streamlit/config.toml (``runner.postScriptGC = false``) and is
stopped by pid at the end.

``--replicas K`` starts K identical servers and keeps student i on server i mod K: what a load
balancer with sticky sessions in front of K processes does (docs/PERFORMANCE.md, scaling out).

``--via-nginx`` puts Debian's nginx in front of the K servers, configured by ``deploy/serve``'s
own ``nginx_conf`` (route cookie, consistent hash, websocket upgrade): each student first fetches
``/_stcore/health`` through it, as a browser loads the page, keeps the ``lab_route`` cookie it is
given and opens its websocket with it. Each N then runs twice in one go, first with every student
connected straight to server i mod K, then through nginx: the ratio of the two rows is the proxy's
overhead per move, and nginx's own CPU is counted in the through-nginx row.

    python benchmarks/bench_load.py --page explorer --sessions 10,30,60 --seconds 60
    python benchmarks/bench_load.py --page floor --sessions 60 --seconds 20   # the bare page
    python benchmarks/bench_load.py --page depth --replicas 2 --sessions 60,120   # two servers
    python benchmarks/bench_load.py --page explorer --replicas 2 --via-nginx --sessions 120
    python benchmarks/bench_load.py --page training --sessions 60 --seconds 60   # lr every 10 s
    python benchmarks/bench_load.py --page training_lesson --cold --sessions 60 --seconds 10
    python benchmarks/bench_load.py --page training --heavy 2 --sessions 60   # 2 at 8 × 64
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.machinery
import importlib.util
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websocket  # websocket-client
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from activations import training as training_core  # noqa: E402
from ui import depth_view, softmax_view, training_view  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
RUN_TIMEOUT = 10.0  # a slider rerun slower than this counts as an error
JOIN_TIMEOUT = 60.0  # the first run (a cold server imports numpy/scipy/plotly first)
FINISHED_OK = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}


@dataclass(frozen=True)
class Target:
    script: str  # what `streamlit run` serves
    page: str  # url path ("" for the floor app)
    key: str  # the widget key the students move
    kind: str  # "double" (st.slider) or "string" (st.select_slider: formatted labels)
    grid: tuple  # the slider's values, in order
    start: int  # index of the initial value
    query: str = ""
    period: float = 1.0  # seconds between a student's moves
    # Appended to each student's query, formatted with the student's index (e.g. "&seed={i}":
    # each student its own data and weights, so no two share a cached result).
    query_each: str = ""
    # "random": each move one step left or right; "straight": every move one step the same
    # way (each student's own, turning only at an end), so a value is revisited only after
    # the far end: with query_each, every move is a new computation.
    walk: str = "random"
    # Appended to the query of the first ``--heavy K`` students: the largest setting the page
    # allows (the training page: 8 × 64 and the most steps that fit), so that the others'
    # latency shows whether one student's heavy setting holds up the class.
    query_heavy: str = ""


def targets() -> dict[str, Target]:
    alphas = tuple(round(0.05 * i, 2) for i in range(61))
    temps = tuple(softmax_view.format_t(t) for t in softmax_view.TEMPERATURES)
    t_start = list(softmax_view.TEMPERATURES).index(1.0)
    lo, hi = depth_view.DEPTH_RANGE
    depths = tuple(float(d) for d in range(lo, hi + 1))
    d_start = depths.index(float(depth_view.DEFAULTS["depth"]))
    floor = "benchmarks/floor_app.py"
    rates = tuple(training_view.format_lr(v) for v in training_view.LEARNING_RATES)
    lr_start = rates.index(training_view.format_lr(float(training_view.DEFAULTS["lr"])))
    lesson = "&".join(f"{k}={v}" for k, v in training_view.LESSONS["dying_relu"].query)
    wide = (training_view.WIDTH_RANGE[1],) * training_view.LAYERS_RANGE[1]
    most = training_core.largest_steps(
        wide, 32, n=training_view.N_POINTS, snapshots=training_view.SNAPSHOTS, activation="relu"
    )
    heavy = (
        f"layers={len(wide)}&width={wide[0]}"
        f"&steps={most // training_view.STEPS_STEP * training_view.STEPS_STEP}"
    )
    return {
        "explorer": Target(
            "app.py", "explorer", "param_alpha", "double", alphas, 20, "activation=elu"
        ),
        "softmax": Target("app.py", "softmax", "temperature", "string", temps, t_start),
        "depth": Target("app.py", "depth", "depth", "double", depths, d_start),
        # a class on the training page: a new learning rate every 10 s, each its own training
        "training": Target(
            "app.py",
            "training",
            "lr",
            "string",
            rates,
            lr_start,
            period=10.0,
            query_each="seed={i}",
            walk="straight",
            query_heavy=heavy,
        ),
        # a class opening one lesson link at once (run with --cold: one training, shared)
        "training_lesson": Target(
            "app.py", "training", "lr", "string", rates, rates.index("3"), lesson, period=10.0
        ),
        "floor": Target(floor, "", "v", "double", alphas, 20, "figure=explorer"),
        "floor_softmax": Target(floor, "", "v", "string", temps, t_start, "figure=softmax"),
        "floor_depth": Target(floor, "", "v", "double", depths, d_start, "figure=depth"),
        # the same figures taken from the pages' caches: what sending them alone costs
        "floor_cached": Target(floor, "", "v", "double", alphas, 20, "figure=explorer&cached=1"),
        "floor_softmax_cached": Target(
            floor, "", "v", "string", temps, t_start, "figure=softmax&cached=1"
        ),
        "floor_depth_cached": Target(
            floor, "", "v", "double", depths, d_start, "figure=depth&cached=1"
        ),
        # like for like: every chart the page redraws on that move (floor_app.py)
        "floor_softmax_all": Target(floor, "", "v", "string", temps, t_start, "figure=softmax_all"),
        "floor_depth_all": Target(floor, "", "v", "double", depths, d_start, "figure=depth_all"),
        "sampling": Target("app.py", "sampling", "temperature", "string", temps, t_start),
        "floor_sampling_all": Target(
            floor, "", "v", "string", temps, t_start, "figure=sampling_all"
        ),
    }


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    config = ROOT / ".streamlit" / "config.toml"
    if not config.exists() or "postScriptGC = false" not in config.read_text():
        cmd += ["--runner.postScriptGC", "false"]
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        url = f"http://127.0.0.1:{port}/_stcore/health"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError("server did not become healthy")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _deploy_serve():
    """deploy/serve (a script without .py) as a module: its nginx config is the one measured."""
    path = ROOT / "deploy" / "serve"
    loader = importlib.machinery.SourceFileLoader("deploy_serve", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    sys.modules[loader.name] = module
    loader.exec_module(module)
    return module


def start_nginx(ports: list[int], run_dir: Path) -> tuple[subprocess.Popen, int]:
    """nginx in front of ``ports`` with deploy/serve's config; (its process, its port)."""
    serve = _deploy_serve()
    nginx = serve.find_nginx()
    if nginx is None:
        raise SystemExit("--via-nginx needs nginx (Debian: apt-get install -y nginx)")
    port = free_port()
    conf = serve.write_nginx_conf(run_dir, "127.0.0.1", port, ports)
    err = str(run_dir / "logs" / "nginx-error.log")
    proc = subprocess.Popen(
        [nginx, "-p", str(run_dir), "-c", str(conf), "-e", err],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return proc, port
        time.sleep(0.1)
    raise RuntimeError("nginx did not start")


def with_children(pid: int) -> list[int]:
    """``pid`` and its direct children (nginx's master and its worker)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return [pid, *map(int, kids)]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process under it: a server's training workers (ui/workers.py: its
    forkserver and the workers forked from it) count as the server."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(k) for k in (task / "children").read_text().split())
    return out


def tree_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds of every process under each of ``pids`` (themselves included)."""
    out = {}
    for pid in pids:
        for p in descendants(pid):
            with contextlib.suppress(OSError):
                out[p] = cpu_seconds(p)
    return out


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two :func:`tree_cpu` readings (a process started in between
    counts from 0)."""
    return sum(v - before.get(p, 0.0) for p, v in after.items())


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """The RSS of ``pid`` and every process under it, added up (pages the workers share with
    their forkserver count once per process: an upper bound)."""
    total = 0.0
    for p in descendants(pid):
        with contextlib.suppress(OSError):
            total += rss_mb(p)
    return total


class Sampler(threading.Thread):
    """Peak RSS of the server (with its worker processes) while running."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.stop.wait(0.25)


@dataclass
class Phase:
    """Students join, then all move together once everyone has joined (or given up)."""

    joined: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    go: threading.Event = field(default_factory=threading.Event)
    stop_at: float = float("inf")


# --- one student ----------------------------------------------------------------------------------


@dataclass
class Student:
    port: int
    target: Target
    rng: random.Random
    join_s: float | None = None  # connect → the first chart on screen (its delta received)
    first_chart_s: float | None = None
    latencies: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)  # when each move's rerun finished
    errors: list[str] = field(default_factory=list)
    lost: bool = False
    ws: websocket.WebSocket | None = None
    widget_id: str | None = None
    fragment_id: str = ""  # the fragment the slider is drawn in ("" outside any fragment)
    messages: int = 0  # ForwardMsgs the last rerun received
    page_hash: str = ""
    query: str = ""
    hashes: set[str] = field(default_factory=set)
    index: int = 0  # the student's number in its level (Target.query_each)
    heavy: bool = False  # this student uses Target.query_heavy (--heavy)
    via_proxy: bool = False  # fetch a route cookie first and send it, as a browser would
    replica: str = ""  # the replica nginx chose (its X-Lab-Replica header)

    def connect(self) -> websocket.WebSocket:
        header = []
        if self.via_proxy:
            url = f"http://127.0.0.1:{self.port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=JOIN_TIMEOUT) as r:
                r.read()
                self.replica = r.headers.get("X-Lab-Replica", "")
                cookie = next(
                    c.split(";", 1)[0]
                    for c in r.headers.get_all("Set-Cookie") or []
                    if c.startswith("lab_route=")
                )
            header = [f"Cookie: {cookie}"]
        return websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            subprotocols=["streamlit"],
            timeout=JOIN_TIMEOUT,
            header=header,
        )

    def rerun(self, value=None, timeout: float = RUN_TIMEOUT) -> float:
        """Send one rerun (with the slider at ``value`` if given); seconds until script_finished.

        ``first_chart_s``: seconds from the send until the first Plotly chart arrived.
        """
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.target.page
        cs.page_script_hash = self.page_hash
        cs.cached_message_hashes.extend(sorted(self.hashes))
        if value is not None and self.widget_id:
            w = cs.widget_states.widgets.add()
            w.id = self.widget_id
            if self.target.kind == "double":
                w.double_array_value.data.append(float(value))
            else:
                w.string_array_value.data.append(str(value))
            cs.fragment_id = self.fragment_id  # what a browser sends for a widget in a fragment
        t0 = time.perf_counter()
        self.messages = 0
        self.ws.send_binary(msg.SerializeToString())
        while True:
            remaining = timeout - (time.perf_counter() - t0)
            if remaining <= 0:
                raise TimeoutError(f"no script_finished within {timeout:.0f} s")
            self.ws.settimeout(remaining)
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv())
            self.messages += 1
            if fwd.metadata.cacheable and fwd.hash:
                self.hashes.add(fwd.hash)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "exception":
                    self.errors.append(f"exception: {el.exception.message[:80]}")
                elif which == "slider" and el.slider.id.endswith(self.target.key):
                    self.widget_id = el.slider.id
                    self.fragment_id = fwd.delta.fragment_id
                elif which == "plotly_chart" and self.first_chart_s is None:
                    self.first_chart_s = time.perf_counter() - t0
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue
                if status not in FINISHED_OK:
                    self.errors.append(status)
                return time.perf_counter() - t0

    def run(self, start_at: float, phase: Phase) -> None:
        t = self.target
        each = t.query_each.format(i=self.index)
        heavy = t.query_heavy if self.heavy else ""
        self.query = "&".join(q for q in (t.query, each, heavy) if q)
        index = t.start
        step = self.rng.choice((-1, 1))
        try:
            time.sleep(max(0.0, start_at - time.perf_counter()))
            t0 = time.perf_counter()
            try:
                self.ws = self.connect()
                t_sent = time.perf_counter()
                self.rerun(timeout=JOIN_TIMEOUT)
            finally:
                phase.joined.release()
            if self.first_chart_s is None:
                self.errors.append("the first run drew no chart")
            else:
                self.join_s = t_sent - t0 + self.first_chart_s
            if not self.widget_id:
                self.errors.append(f"no widget ending in {t.key!r} on the page")
                return
            phase.go.wait(JOIN_TIMEOUT + 30)
            time.sleep(self.rng.random() * t.period)  # each student at its own phase
            while time.perf_counter() < phase.stop_at:
                tick = time.perf_counter()
                if t.walk == "random":
                    step = self.rng.choice((-1, 1))
                elif not 0 <= index + step < len(t.grid):
                    step = -step  # straight: turn at an end
                index = min(max(index + step, 0), len(t.grid) - 1)
                self.latencies.append(self.rerun(t.grid[index]))
                self.ends.append(time.perf_counter())
                delay = t.period * (1 + self.rng.uniform(-0.2, 0.2)) - (time.perf_counter() - tick)
                time.sleep(max(0.0, delay))
        except Exception as exc:
            self.lost = True
            self.errors.append(f"{type(exc).__name__}: {exc}"[:120])
        finally:
            if self.ws is not None:
                with contextlib.suppress(Exception):
                    self.ws.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def level(
    ports: list[int],
    pids: list[int],
    target: Target,
    n: int,
    seconds: float,
    ramp: float,
    seed: int,
    proxy_port: int | None = None,
    proxy_pids: tuple[int, ...] = (),
    heavy: int = 0,
):
    """One level of N students; with several servers (replicas), student i stays on server
    i mod K all along, as behind a load balancer with sticky sessions. With ``proxy_port``,
    every student goes through nginx there instead (it picks the replica by the route cookie);
    nginx's CPU (``proxy_pids``) is then measured too."""
    join_start = time.perf_counter() + 0.5
    rng = random.Random(seed)
    phase = Phase()
    students = [
        Student(
            proxy_port or ports[i % len(ports)],
            target,
            random.Random(rng.random()),
            index=i,
            via_proxy=proxy_port is not None,
            heavy=i < heavy,
        )
        for i in range(n)
    ]
    threads = [
        threading.Thread(target=s.run, args=(join_start + rng.uniform(0, ramp), phase))
        for s in students
    ]
    samplers = [Sampler(pid) for pid in pids]
    for sampler in samplers:
        sampler.start()
    j0 = tree_cpu(pids)
    for th in threads:
        th.start()
    deadline = join_start + ramp + JOIN_TIMEOUT + 5
    for _ in students:  # the join phase: until every student has had its first run
        phase.joined.acquire(timeout=max(0.0, deadline - time.perf_counter()))
    join_cpu = cpu_since(j0, tree_cpu(pids))
    # the steady phase: CPU is read over [go + 1.5 s, stop], once every student is moving
    go = time.perf_counter()
    phase.stop_at = go + 1.5 + seconds
    phase.go.set()
    time.sleep(1.5)
    c0 = tree_cpu(pids)
    p0 = sum(cpu_seconds(pid) for pid in proxy_pids)
    w0, m0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(max(0.0, phase.stop_at - time.perf_counter()))
    c1 = tree_cpu(pids)
    p1 = sum(cpu_seconds(pid) for pid in proxy_pids)
    w1, m1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    client_cores = (m1.ru_utime + m1.ru_stime - m0.ru_utime - m0.ru_stime) / (w1 - w0)
    for th in threads:
        th.join(RUN_TIMEOUT + 5)
    for sampler in samplers:
        sampler.stop.set()
        sampler.join()
    in_window = sum(w0 <= e <= w1 for s in students for e in s.ends)
    lat = [x for s in students for x in s.latencies]
    light = [x for s in students if not s.heavy for x in s.latencies]
    heavy_lat = [x for s in students if s.heavy for x in s.latencies]
    joins = [s.join_s for s in students if s.join_s is not None]
    cores = (cpu_since(c0, c1) + p1 - p0) / (w1 - w0)  # the servers' (workers too), the proxy's
    proxy_cores = (p1 - p0) / (w1 - w0)
    moves_per_s = in_window / (w1 - w0)
    per_replica: dict[str, int] = {}
    for s in students:
        if s.replica:
            per_replica[s.replica] = per_replica.get(s.replica, 0) + 1
    return {
        "n": n,
        "join_p50": pct(joins, 0.5),
        "join_p95": pct(joins, 0.95),
        "joined": len(joins),
        "moves": len(lat),
        "p50": pct(lat, 0.5) * 1e3,
        "p95": pct(lat, 0.95) * 1e3,
        "max": (max(lat) if lat else float("nan")) * 1e3,
        "errors": sum(len(s.errors) for s in students),
        "lost": sum(s.lost for s in students),
        "cores": cores,
        "cpu_ms_per_move": cores * 1e3 / moves_per_s if moves_per_s else float("nan"),
        "rss": max(sampler.peak for sampler in samplers),  # the busiest replica's
        "client_cores": client_cores,
        "join_cpu": join_cpu,
        "proxy_cores": proxy_cores,
        "proxy_ms_per_move": proxy_cores * 1e3 / moves_per_s if moves_per_s else float("nan"),
        "per_replica": dict(sorted(per_replica.items())),
        "samples": [e for s in students for e in s.errors][:3],
        "heavy": heavy,
        "light_moves": len(light),
        "light_p50": pct(light, 0.5) * 1e3,
        "light_p95": pct(light, 0.95) * 1e3,
        "heavy_moves": len(heavy_lat),
        "heavy_p50": pct(heavy_lat, 0.5) * 1e3,
        "heavy_p95": pct(heavy_lat, 0.95) * 1e3,
    }


def print_row(via: str, n: int, r: dict, period: float) -> None:
    # at one move a period per student, a core carries period × 1000 ms / (CPU ms per move)
    per_core = period * 1e3 / r["cpu_ms_per_move"]
    print(
        (f"{via:6} " if via else "")
        + f"{n:3d} {r['join_p50']:8.2f} {r['join_p95']:8.2f} {r['moves']:6d} "
        f"{r['p50']:7.0f} {r['p95']:7.0f} {r['max']:7.0f} {r['errors']:4d} "
        f"{r['lost']:4d} {r['cores']:5.2f} {r['cpu_ms_per_move']:11.1f} "
        f"{r['rss']:6.0f} {per_core:13.0f} {r['client_cores']:6.2f} "
        f"{r['join_cpu']:10.2f}",
        flush=True,
    )
    if r["joined"] < n:
        print(f"    only {r['joined']} of {n} students saw their first run")
    if r["heavy"]:
        print(
            f"    the {n - r['heavy']} others: {r['light_moves']} moves, rerun p50 "
            f"{r['light_p50']:.0f} ms, p95 {r['light_p95']:.0f} ms; the {r['heavy']} on the "
            f"heavy setting: {r['heavy_moves']} moves, p50 {r['heavy_p50']:.0f} ms, p95 "
            f"{r['heavy_p95']:.0f} ms"
        )
    for e in r["samples"]:
        print(f"    error: {e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--page", default="explorer", choices=sorted(targets()))
    ap.add_argument("--sessions", default="10,30,60", help="comma-separated N (default 10,30,60)")
    ap.add_argument("--seconds", type=float, default=60.0, help="steady phase per N (default 60)")
    ap.add_argument("--ramp", type=float, default=3.0, help="students join within this (s)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="identical servers, students spread over them and each kept on its own (as behind "
        "a balancer with sticky sessions); CPU is their sum, RSS the largest one's",
    )
    ap.add_argument(
        "--heavy",
        type=int,
        default=0,
        help="the first K students of each level use the page's heaviest setting (the training "
        "page: 8 x 64 and the most steps that fit); the others' latency is reported apart",
    )
    ap.add_argument(
        "--cold",
        action="store_true",
        help="no teacher's visit first: the first level joins a freshly started server",
    )
    ap.add_argument(
        "--via-nginx",
        action="store_true",
        help="each N twice: straight to the servers, then through nginx (deploy/serve's config)",
    )
    args = ap.parse_args()
    if args.replicas < 1:
        ap.error("--replicas must be at least 1")
    target = targets()[args.page]
    ports, procs = [], []
    nginx: subprocess.Popen | None = None
    proxy_port, proxy_pids = None, ()
    nginx_dir = tempfile.TemporaryDirectory(prefix="bench-nginx-")
    try:
        for _ in range(args.replicas):
            ports.append(free_port())
            procs.append(start_server(target.script, ports[-1]))
        for port, proc in zip(ports, procs, strict=True):
            wait_healthy(port, proc)
        pids = [proc.pid for proc in procs]
        if args.via_nginx:
            nginx, proxy_port = start_nginx(ports, Path(nginx_dir.name))
            time.sleep(0.3)  # its worker forks
            proxy_pids = tuple(with_children(nginx.pid))
        servers = (
            f"server pid {pids[0]}"
            if len(pids) == 1
            else f"{len(pids)} servers (replicas), pids {', '.join(map(str, pids))}"
        )
        print(
            f"page={args.page} ({target.script} /{target.page}?{target.query}), {servers}, "
            f"idle RSS {max(rss_mb(pid) for pid in pids):.0f} MB, {os.cpu_count()} cores, "
            f"{args.seconds:g} s per level, 1 move per {target.period:g} s per student, "
            f"load average "
            f"{os.getloadavg()[0]:.1f}"
            + (f"; nginx pids {', '.join(map(str, proxy_pids))}" if args.via_nginx else "")
        )
        print(
            "cores: the server's CPU in the steady phase; students/core = period × 1000 / CPU "
            "ms per move (one move a period each); client: this load generator's own cores; "
            "join CPU: the server's CPU seconds while the level joined"
            + (
                "; via: direct or nginx (cores, CPU ms then include nginx's)"
                if args.via_nginx
                else ""
            )
        )
        print(
            ("via    " if args.via_nginx else "")
            + f"{'N':>3} {'join p50':>8} {'join p95':>8} {'moves':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'max ms':>7} {'err':>4} {'lost':>4} {'cores':>5} {'CPU ms/move':>11} "
            f"{'RSS MB':>6} {'students/core':>13} {'client':>6} {'join CPU s':>10}"
        )
        for port in [] if args.cold else ports:
            teacher = Student(port, target, random.Random(-1))
            t0 = time.perf_counter()
            done = Phase(stop_at=0.0)
            done.go.set()
            teacher.run(t0, done)  # connect, first run, leave: the teacher opens it first
            print(
                f"teacher's first load on the fresh server: {time.perf_counter() - t0:.2f} s "
                f"(chart after {teacher.join_s or float('nan'):.2f} s); errors {teacher.errors}"
            )
        runs = [("direct", None), ("nginx", proxy_port)] if args.via_nginx else [("", None)]
        for n in (int(v) for v in args.sessions.split(",")):
            rows = {}
            for via, proxy in runs:
                seed = args.seed + n
                own = proxy_pids if proxy else ()
                r = level(
                    ports, pids, target, n, args.seconds, args.ramp, seed, proxy, own, args.heavy
                )
                rows[via] = r
                print_row(via, n, r, target.period)
            if args.via_nginx:
                d, x = rows["direct"], rows["nginx"]
                print(
                    f"    nginx/direct at N={n}: rerun p50 {x['p50'] / d['p50']:.2f}x, "
                    f"p95 {x['p95'] / d['p95']:.2f}x, CPU per move "
                    f"{x['cpu_ms_per_move'] / d['cpu_ms_per_move']:.2f}x (nginx itself "
                    f"{x['proxy_ms_per_move']:.2f} ms/move, {x['proxy_cores']:.3f} core); "
                    f"students per replica {list(x['per_replica'].values())}",
                    flush=True,
                )
    finally:
        if nginx is not None:
            stop_server(nginx)
        for proc in procs:
            stop_server(proc)
        nginx_dir.cleanup()


if __name__ == "__main__":
    main()
