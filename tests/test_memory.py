"""ui/memory.py: the server-wide memory budget, and giving memory back; the depth page's use of
them (every run holds its peak of the budget, a heavy run shows progress and can be abandoned).
The figures for the four-session abuse of issue #20 are benchmarks/bench_memory.py's."""

from __future__ import annotations

import re
import threading
import time

import pytest

from activations.depth import simulate
from ui import depth_view as view
from ui import memory

MB = 1 << 20


def test_the_largest_run_fits_the_server_budget_alone():
    largest = view.run_bytes(200, 1024, view.largest_batch(200, 1024))
    assert largest <= view.RUN_MEMORY_BUDGET <= memory.SERVER_BUDGET_BYTES
    # and two of them do not: the budget is what bounds their sum
    assert 2 * largest > memory.SERVER_BUDGET_BYTES


def test_a_request_waits_until_the_bytes_it_needs_are_given_back():
    budget = memory.MemoryBudget(100 * MB)
    order: list[str] = []
    first_in, first_may_leave = threading.Event(), threading.Event()
    waits: list[tuple[int, int]] = []

    def first():
        with budget.hold(70 * MB):
            order.append("first in")
            first_in.set()
            first_may_leave.wait(10)
            order.append("first out")

    def second():
        first_in.wait(10)
        with budget.hold(50 * MB, on_wait=lambda used, total: waits.append((used, total))):
            order.append("second in")

    def small():
        first_in.wait(10)
        time.sleep(0.1)
        with budget.hold(10 * MB):  # would fit, but comes after the waiting one: it waits too
            order.append("small in")

    threads = [threading.Thread(target=f) for f in (first, second, small)]
    for t in threads:
        t.start()
    first_in.wait(10)
    time.sleep(0.5)
    assert order == ["first in"]
    assert waits and waits[0] == (70 * MB, 100 * MB)  # told what holds the budget
    first_may_leave.set()
    for t in threads:
        t.join(10)
    assert order[:3] == ["first in", "first out", "second in"]
    assert "small in" in order
    assert budget.in_use == 0


def test_a_request_that_gives_up_leaves_the_queue():
    budget = memory.MemoryBudget(100 * MB)

    def give_up(used, total):
        raise RuntimeError("the student moved on")

    with budget.hold(90 * MB):
        with pytest.raises(RuntimeError), budget.hold(50 * MB, on_wait=give_up):
            pass
        assert budget.in_use == 90 * MB
    with budget.hold(100 * MB):  # the abandoned ticket does not block the next request
        assert budget.in_use == 100 * MB
    assert budget.in_use == 0


def test_a_request_larger_than_the_budget_runs_alone_instead_of_waiting_forever():
    budget = memory.MemoryBudget(10 * MB)
    with budget.hold(50 * MB):
        assert budget.in_use == 10 * MB


def test_memory_is_given_back_on_glibc():
    assert memory.limit_allocator() in (True, False)
    assert memory.give_back() >= 0.0
    if memory._libc() is not None:  # this machine's Linux: both must take effect
        assert memory.limit_allocator()


def test_every_run_holds_its_peak_of_the_server_budget(monkeypatch):
    held: list[int] = []

    def fake_simulate(slug, depth, width, batch, **kwargs):
        held.append(memory.SERVER_BUDGET.in_use)
        return simulate(slug, 3, 4, 2, **kwargs)

    monkeypatch.setattr(view, "simulate", fake_simulate)
    view.run.clear()
    try:
        view.run("relu", (), 20, 64, 8, "he", 7, False, None)  # light
        view.run("relu", (), 200, 1024, 8, "he", 7, False, None)  # heavy
    finally:
        view.run.clear()
    assert held == [view.run_bytes(20, 64, 8), view.run_bytes(200, 1024, 8)]
    assert memory.SERVER_BUDGET.in_use == 0


def test_progress_reports_every_layer_and_a_cancel_abandons_the_run():
    steps: list[tuple[int, int]] = []
    simulate("tanh", 5, 8, 4, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(k, 10) for k in range(1, 11)]

    progress = view.Progress()
    seen = []

    def step(done, total):
        seen.append(done)
        if done == 3:
            progress.cancel()
        progress.step(done, total)

    with pytest.raises(view.Abandoned):
        simulate("tanh", 50, 8, 4, progress=step)
    assert seen == [1, 2, 3]  # stopped at the layer after the cancel


class _Bar:
    """A stand-in for st.progress's element: records what it shows; ``stop_after`` updates it
    raises, as Streamlit does at a message when the student has changed something."""

    def __init__(self, texts: list[str], stop_after: int | None) -> None:
        self.texts, self.stop_after = texts, stop_after

    def progress(self, fraction: float, text: str) -> None:
        self.texts.append(text)
        if self.stop_after is not None and len(self.texts) > self.stop_after:
            raise KeyboardInterrupt("a rerun was requested")  # stands in for StopException

    def empty(self) -> None:
        self.texts.append("emptied")


@pytest.mark.parametrize("stop_after", [None, 1])
def test_a_heavy_run_shows_its_progress_and_stops_when_the_student_moves_on(
    monkeypatch, stop_after
):
    texts: list[str] = []
    layers_run: list[int] = []

    def slow_simulate(slug, depth, width, batch, progress=None, **kwargs):
        for k in range(1, 2 * 6 + 1):
            time.sleep(0.25)
            layers_run.append(k)
            progress(k, 12)
        return simulate(slug, 3, 4, 2, **kwargs)

    def fake_progress(fraction, text):
        bar = _Bar(texts, stop_after)
        bar.progress(fraction, text)
        return bar

    monkeypatch.setattr(view, "simulate", slow_simulate)
    monkeypatch.setattr(view.st, "progress", fake_progress)
    view.run.clear()
    args = ("relu", (), 200, 1024, 8, "he", 11, False, None)
    try:
        if stop_after is None:
            result = view.run_for(args)
            assert result.depth == 3  # the (fake) result came back
            assert len(layers_run) == 12
            assert any("backward pass, layer" in t for t in texts), texts
        else:
            with pytest.raises(KeyboardInterrupt):
                view.run_for(args)
            time.sleep(0.6)  # the worker notices the cancel at its next layer
            stopped_at = len(layers_run)
            time.sleep(0.5)
            assert stopped_at < 12 and len(layers_run) == stopped_at  # abandoned, not finished
    finally:
        view.run.clear()
    # the first update comes after PROGRESS_AFTER_S, at whatever layer the run has reached
    assert any(
        re.search(r"Simulating relu·he: 200 layers × 1024 units: forward pass, layer \d of 6", t)
        for t in texts
    ), texts
    assert texts[-1] == "emptied"
    assert memory.SERVER_BUDGET.in_use == 0 and view.HEAVY_SIMULATIONS.acquire(blocking=False)
    view.HEAVY_SIMULATIONS.release()


def test_a_light_request_overtakes_a_large_one_waiting_for_room():
    budget = memory.MemoryBudget(100 * MB)
    order: list[str] = []
    big_waiting = threading.Event()

    def big():
        with budget.hold(80 * MB, on_wait=lambda used, total: big_waiting.set()):
            order.append("big in")

    with budget.hold(60 * MB):
        thread = threading.Thread(target=big)
        thread.start()
        assert big_waiting.wait(10)
        with budget.hold(30 * MB, overtake=True):  # fits beside the 60: no queueing behind big
            order.append("light in")
        assert order == ["light in"]
    thread.join(10)
    assert order == ["light in", "big in"] and budget.in_use == 0
