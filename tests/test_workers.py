"""ui.workers: the core's heavy calls in worker processes (the training page's trainings)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from activations import training as core
from ui import workers

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _workers_on(monkeypatch):
    """Two light workers whatever the machine (and whatever the environment says)."""
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "2")
    yield


# Module-level, so that a worker can import them by name.
def pid() -> int:
    return os.getpid()


def loaded(module: str) -> bool:
    return module in sys.modules


def die_unless_in(process: int) -> str:
    """Kills the worker it runs in; returns where it is allowed to run."""
    if os.getpid() != process:
        os._exit(3)
    return "ran on the calling thread"


def test_a_call_runs_in_another_process_and_gives_the_same_run_bit_for_bit():
    data = core.make_dataset("xor", n=200, noise=0.2, seed=3)
    kwargs = {"hidden": (6, 6), "steps": 150, "seed": 3, "snapshots": 11, "lr": 0.3}
    here = core.train("tanh", data, **kwargs)
    there = workers.call(core.train, "tanh", data, work=1, **kwargs)
    assert workers.call(pid, work=1) != os.getpid()
    for field in ("loss_train", "loss_test", "acc_test", "surface", "grad_norm", "update_ratio"):
        np.testing.assert_array_equal(getattr(there, field), getattr(here, field))
    for (w1, b1), (w2, b2) in zip(there.final_weights, here.final_weights, strict=True):
        np.testing.assert_array_equal(w1, w2)
        np.testing.assert_array_equal(b1, b2)


def test_the_core_s_errors_arrive_as_they_are():
    data = core.make_dataset("circle", n=100)
    with pytest.raises(ValueError, match="unknown activation 'nope'"):
        workers.call(core.train, "nope", data, work=1)


def test_a_worker_loads_numpy_and_the_core_but_never_streamlit_or_plotly():
    assert workers.call(loaded, "activations.training", work=1)
    assert not workers.call(loaded, "streamlit", work=1)
    assert not workers.call(loaded, "plotly", work=1)


@pytest.mark.parametrize("script", ["app.py", "a page script AppTest wrote"])
def test_a_worker_never_runs_the_main_script(monkeypatch, tmp_path, script):
    """Streamlit makes the running script the main module, and multiprocessing would have a new
    worker import it: the workers skip it (ui.workers), whatever it is."""
    import types

    marker = tmp_path / "ran"
    if script == "app.py":
        path = ROOT / "app.py"
    else:
        path = tmp_path / "page.py"
        path.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('imported')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(path)
    monkeypatch.setitem(sys.modules, "__main__", main)
    workers.shutdown()  # the next call starts new workers, under this main module
    assert workers.call(pid, work=1) != os.getpid()
    assert workers.call(main_file, work=1) is None
    assert not workers.call(loaded, "streamlit", work=1)
    assert not marker.exists()
    assert workers.running_lanes() == {"light": 2}  # no worker failed to start
    workers.shutdown()


def main_file() -> str | None:
    main = sys.modules.get("__mp_main__")
    return getattr(main, "__file__", None)


def test_light_and_heavy_calls_run_on_separate_lanes():
    assert workers.lane_for(workers.LIGHT_WORK) == "light"
    assert workers.lane_for(workers.LIGHT_WORK + 1) == "heavy"
    workers.shutdown()
    light = {workers.call(pid, work=1) for _ in range(6)}
    assert workers.running_lanes() == {"light": 2}
    heavy = {workers.call(pid, work=workers.LIGHT_WORK + 1) for _ in range(3)}
    assert workers.running_lanes() == {"light": 2, "heavy": 1}
    assert len(heavy) == 1  # one heavy worker
    assert not heavy & light
    assert len(light) <= 2


def test_the_default_run_of_the_training_page_is_a_light_call():
    from ui import training_view as view

    s = view.Settings(**view.DEFAULTS)
    work = core.training_cost(
        s.hidden, s.steps, s.batch, n=view.N_POINTS, snapshots=view.SNAPSHOTS, activation="relu"
    ).work
    assert workers.lane_for(work) == "light"
    # ... and the largest run the page allows is heavy
    big = core.training_cost((64,) * 8, 100, 320, n=view.N_POINTS, snapshots=view.SNAPSHOTS).work
    assert workers.lane_for(big) == "heavy"


def test_zero_workers_means_the_calling_thread(monkeypatch):
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "0")
    assert workers.light_workers() == 0
    assert workers.call(pid, work=1) == os.getpid()
    assert workers.call(pid, work=workers.LIGHT_WORK * 10) == os.getpid()


@pytest.mark.parametrize("raw", ["", "two", "-1", "1.5", "٣"])
def test_a_bad_worker_count_means_the_cores(monkeypatch, raw):
    monkeypatch.setenv(workers.WORKERS_VARIABLE, raw)
    assert workers.light_workers() == len(os.sched_getaffinity(0))


def test_a_worker_that_dies_costs_one_slower_call_not_an_error():
    workers.shutdown()
    assert workers.call(die_unless_in, os.getpid(), work=1) == "ran on the calling thread"
    # the dead lane is replaced on the next call
    assert workers.call(pid, work=1) != os.getpid()
    assert workers.running_lanes() == {"light": 2}


def test_workers_exit_when_the_server_is_killed():
    """SIGKILL leaves no time to stop the pool: the workers (and their forkserver) must notice
    and go by themselves."""
    script = textwrap.dedent(
        """
        import os, sys, time
        from ui import workers

        def main():
            pids = {workers.call(os.getpid, work=1) for _ in range(8)}
            pids.add(workers.call(os.getpid, work=workers.LIGHT_WORK + 1))
            pids.add(workers.call(os.getppid, work=1))  # the forkserver
            print(" ".join(map(str, sorted(pids))), flush=True)
            time.sleep(60)

        if __name__ == "__main__":
            main()
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{workers.WORKERS_VARIABLE: "2"})
    server = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
        worker_pids = [int(p) for p in line.split()]
        assert len(worker_pids) >= 3, line
        assert all(_alive(p) for p in worker_pids)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in worker_pids):
            time.sleep(0.1)
        assert not [p for p in worker_pids if _alive(p)]
    finally:
        if server.poll() is None:
            server.kill()
        server.stdout.close()


def _alive(process: int) -> bool:
    """Running (a zombie waiting for its parent to read its status counts as gone)."""
    try:
        state = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_where_there_is_no_forkserver_the_workers_are_spawned_the_same_way(monkeypatch, tmp_path):
    import multiprocessing
    import types

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn"])
    page = tmp_path / "page.py"
    page.write_text("raise SystemExit('a worker imported the main script')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", main)
    workers.shutdown()
    try:
        assert workers.call(pid, work=1) != os.getpid()
        assert not workers.call(loaded, "streamlit", work=1)
        assert workers.running_lanes() == {"light": 2}
    finally:
        workers.shutdown()
