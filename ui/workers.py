"""Worker processes for the core's heavy calls: a class's trainings use every core of the server.

Why. Streamlit runs every session's script on a thread of one process, and the core's training
loop is a few thousand small NumPy calls that hold the GIL. A class of 60 on the training page,
each retraining every 10 s, asks for six trainings a second (~85 ms each): on the script threads
they shared one core with every other rerun, and 60 students lost their sessions; in worker
processes the same class had 0 errors (docs/PERFORMANCE.md, "Training off the script thread").

Two lanes, each a pool of processes started on first use:

* **light**: :func:`light_workers` processes (the server's cores by default) for calls up to
  :data:`LIGHT_WORK` work units (a few times the default training run);
* **heavy**: one process for anything bigger. A student's heavy setting waits behind other heavy
  settings, never in front of a classmate's light one.

``ACTIVATION_LAB_WORKERS`` sets the number of light workers; ``0`` runs every call on the calling
thread, as before (a host that cannot start processes, or a debugger). A lane whose process died
(e.g. killed for memory) is replaced on the next call, and the call that saw it die runs on the
calling thread instead: a student sees a slower run, never an error.

This module imports the standard library only, so that a worker never loads Streamlit: a worker
holds NumPy and the core (about 55 MB), forked from one "forkserver" process that loaded them.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import multiprocessing
import multiprocessing.context as mp_context
import multiprocessing.spawn as mp_spawn
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: The environment variable that sets the number of light workers (0: no worker processes).
WORKERS_VARIABLE = "ACTIVATION_LAB_WORKERS"
#: The most work units (``activations.training.training_cost``) of a call on the light lane:
#: about 0.3 s on one core, three times the default training run.
LIGHT_WORK = 3_000_000_000
#: Modules the forkserver imports once, so that each worker starts with them loaded.
PRELOAD = ["numpy", "activations", "ui.blas", "ui.memory"]

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_lanes: dict[str, concurrent.futures.ProcessPoolExecutor] = {}
_sizes: dict[str, int] = {}


def light_workers() -> int:
    """How many light workers: ``ACTIVATION_LAB_WORKERS`` if set to a whole number ≥ 0, else
    the cores this process may run on."""
    raw = os.environ.get(WORKERS_VARIABLE, "").strip()
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if raw:
        _log.warning("%s=%r is not a whole number ≥ 0; using the cores", WORKERS_VARIABLE, raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def lane_for(work: int) -> str:
    """The lane a call of ``work`` units runs on: ``"light"`` or ``"heavy"``."""
    return "light" if work <= LIGHT_WORK else "heavy"


#: Every worker process's name starts with this (``ps``, and :func:`_preparation_data`).
WORKER_NAME = "activation-lab-worker"


def _preparation_data(real: Callable[[str], dict]) -> Callable[[str], dict]:
    """``multiprocessing.spawn.get_preparation_data`` for our workers without the main module.

    A new process started by "spawn" or "forkserver" imports the parent's main module first.
    Under Streamlit that is the running script (Streamlit makes it ``__main__``): app.py, or in
    the tests whatever script AppTest ran last. A worker needs none of it (its calls name their
    module), and running a page script there would load Streamlit or fail. Other processes are
    prepared as before."""

    @functools.wraps(real)
    def prepared(name: str) -> dict:
        data = real(name)
        if name.startswith(WORKER_NAME):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    prepared.__wrapped_for_workers__ = True  # type: ignore[attr-defined]
    return prepared


class _Named:
    """A worker process: its name marks it for :func:`_preparation_data` (and ``ps``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = f"{WORKER_NAME}-{self.name}"  # type: ignore[attr-defined]


class _SpawnWorker(_Named, mp_context.SpawnProcess):
    pass


class _SpawnContext(mp_context.SpawnContext):
    Process = _SpawnWorker


if hasattr(mp_context, "ForkServerContext"):  # POSIX

    class _ForkServerWorker(_Named, mp_context.ForkServerProcess):
        pass

    class _ForkServerContext(mp_context.ForkServerContext):
        Process = _ForkServerWorker


def _context() -> mp_context.BaseContext:
    # forkserver: each worker is forked from a clean process that never ran a Streamlit thread
    # (forking the server itself copies its locks mid-use); spawn where there is no forkserver.
    if not getattr(mp_spawn.get_preparation_data, "__wrapped_for_workers__", False):
        mp_spawn.get_preparation_data = _preparation_data(mp_spawn.get_preparation_data)
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = _ForkServerContext()
        context.set_forkserver_preload(PRELOAD)
        return context
    return _SpawnContext()


#: How often a worker checks that the server it works for is still there (seconds).
ORPHAN_CHECK_S = 0.5


def _started(process: int) -> str | None:
    """When ``process`` started (Linux: clock ticks since boot, from /proc), None if it is not
    running; elsewhere "?" while a signal 0 reaches it."""
    try:
        return Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        pass
    if Path("/proc/self/stat").exists():
        return None  # Linux, and the process is gone
    try:
        os.kill(process, 0)
    except OSError:
        return None
    return "?"


def _exit_when_orphaned(server: int, started: str | None) -> None:
    # A worker must not outlive the server (ended however, SIGKILL included) holding memory.
    # Its parent is the forkserver, which lives until its last worker ends (each worker holds
    # the forkserver's "alive" pipe): so the worker watches the server itself, by pid and start
    # time (a pid can be reused).
    while _started(server) == started:
        time.sleep(ORPHAN_CHECK_S)
    os._exit(0)


def _start_worker(server: int, started: str | None) -> None:
    """Each worker: BLAS on one thread (the calls are small; threads would spin against each
    other and against the server), large arrays mapped and unmapped on their own, and an exit
    of its own once the server is gone."""
    from ui import blas, memory  # loaded already by the forkserver's preload

    blas.limit_to_one_thread()
    memory.limit_allocator()
    threading.Thread(
        target=_exit_when_orphaned, args=(server, started), name="orphan-check", daemon=True
    ).start()


def _run_and_trim(fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """In the worker: ``fn(*args, **kwargs)``, then the freed memory back to the system (a
    heavy run's arrays must not stay in the worker's heap while it idles)."""
    from ui import memory

    try:
        return fn(*args, **kwargs)
    finally:
        memory.give_back()


def _pool(lane: str) -> concurrent.futures.ProcessPoolExecutor | None:
    count = light_workers()  # read on every call: 0 turns the workers off at once
    if count == 0:
        return None
    with _lock:
        pool = _lanes.get(lane)
        if pool is None:
            pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=count if lane == "light" else 1,
                mp_context=_context(),
                initializer=_start_worker,
                initargs=(os.getpid(), _started(os.getpid())),
            )
            _lanes[lane] = pool
            _sizes[lane] = count if lane == "light" else 1
        return pool


def _drop(lane: str, pool: concurrent.futures.ProcessPoolExecutor) -> None:
    with _lock:
        if _lanes.get(lane) is pool:
            del _lanes[lane]
    pool.shutdown(wait=False, cancel_futures=True)


def call(fn: Callable[..., T], /, *args: object, work: int = 0, **kwargs: object) -> T:
    """``fn(*args, **kwargs)`` computed in a worker process of the lane for ``work`` units
    (:func:`lane_for`), the calling thread waiting without the GIL.

    ``fn`` must be a module-level function of an importable module (not of the main script:
    workers do not import it), and its arguments and result picklable. Its
    exceptions are raised here as they are. Falls back to the calling thread when workers are
    off (``ACTIVATION_LAB_WORKERS=0``) or the lane's process died (module docstring)."""
    lane = lane_for(work)
    pool = _pool(lane)
    if pool is None:
        return fn(*args, **kwargs)
    try:
        future = pool.submit(_run_and_trim, fn, args, kwargs)
    except (BrokenProcessPool, RuntimeError) as exc:  # RuntimeError: shut down meanwhile
        return _fallback(lane, pool, exc, fn, args, kwargs)
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return _fallback(lane, pool, exc, fn, args, kwargs)


def _fallback(
    lane: str,
    pool: concurrent.futures.ProcessPoolExecutor,
    exc: BaseException,
    fn: Callable[..., T],
    args: tuple,
    kwargs: dict,
) -> T:
    _log.warning("the %s worker lane failed (%s); computing on this thread", lane, exc)
    _drop(lane, pool)
    return fn(*args, **kwargs)


def shutdown() -> None:
    """Stop every worker (tests; the interpreter does it at exit by itself)."""
    with _lock:
        pools = list(_lanes.values())
        _lanes.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


def running_lanes() -> dict[str, int]:
    """The lanes started so far and their process count (tests, benchmarks)."""
    with _lock:
        return {lane: _sizes[lane] for lane in _lanes}
