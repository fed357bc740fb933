"""The server's memory: one budget shared by every session's simulations, and giving it back.

Why: each depth simulation is capped (``depth_view.RUN_MEMORY_BUDGET``), but nothing bounded their
sum. Four students on ``/depth?depth=200&width=1024&batch=93`` with four comparison pairs each
start twenty runs of ~315 MB; the process grew from 74 MB to 875 MB, then 1.6 GB a round later,
and stayed there when idle, because glibc's allocator keeps what a thread freed in that thread's
arena for later (and raises its mmap threshold after each large free, so the next large arrays
come from the arenas too). A Community Cloud app gets far less than that and is killed above it.

So: every simulation takes its estimated peak from :data:`SERVER_BUDGET` before it allocates, and
one that does not fit waits (its page says so) until others give theirs back; with a fixed mmap
threshold (:func:`limit_allocator`) large arrays are mapped on their own and unmapped when freed,
and :func:`give_back` returns what the arenas still hold after a heavy run (``malloc_trim``).
Neither is needed for correctness: on a system without glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: What all the simulations running at one moment may hold together, in bytes. One run may hold
#: up to 320 MB (``depth_view.RUN_MEMORY_BUDGET``), so the largest run still fits, alone; the
#: server's own ~100 MB (Python, Streamlit, NumPy, SciPy, Plotly) and its caches (~60-110 MB)
#: come on top: under 600 MB in all, within Community Cloud's smallest allotment (690 MB).
SERVER_BUDGET_BYTES = 384 << 20
#: Arrays at least this large get their own mapping from glibc, returned to the system when freed.
MMAP_THRESHOLD_BYTES = 1 << 20
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers (malloc.h)


class MemoryBudget:
    """A number of bytes shared by threads: :meth:`hold` takes some, waiting until they fit.

    First come, first served: a large request is not overtaken forever by small ones (each
    request takes a ticket, and only the oldest waiting one may take bytes), except by a request
    made with ``overtake=True`` (a short, light run: a class's slider moves must not queue
    behind a large run waiting for room), which takes its bytes whenever they fit. A request
    larger than the whole budget is capped to it (it then runs alone) rather than waiting
    forever.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self._in_use = 0
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._abandoned: set[int] = set()

    @property
    def in_use(self) -> int:
        with self._cond:
            return self._in_use

    @contextmanager
    def hold(
        self,
        nbytes: int,
        on_wait: Callable[[int, int], None] | None = None,
        poll_s: float = 0.25,
        overtake: bool = False,
    ) -> Iterator[None]:
        """Hold ``nbytes`` of the budget for the ``with`` block.

        While the request waits, ``on_wait(in_use, total)`` is called every ``poll_s`` seconds
        (to say so on the page, or to raise and give up: the request then leaves the queue).
        """
        need = min(int(nbytes), self.total)
        if overtake:
            with self._cond:
                while self._in_use + need > self.total:
                    self._wait(on_wait, poll_s)
                self._in_use += need
            try:
                yield
            finally:
                self._give(need)
            return
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            try:
                while ticket != self._serving or self._in_use + need > self.total:
                    self._wait(on_wait, poll_s)
            except BaseException:
                self._leave_queue(ticket)
                raise
            self._in_use += need
            self._serving += 1
            self._skip_abandoned()
            self._cond.notify_all()
        try:
            yield
        finally:
            self._give(need)

    def _wait(self, on_wait: Callable[[int, int], None] | None, poll_s: float) -> None:
        # Called holding the lock; on_wait runs without it (it may draw, or raise to give up).
        if on_wait is not None:
            in_use = self._in_use
            self._cond.release()
            try:
                on_wait(in_use, self.total)
            finally:
                self._cond.acquire()
        self._cond.wait(poll_s)

    def _give(self, need: int) -> None:
        with self._cond:
            self._in_use -= need
            self._cond.notify_all()

    def _leave_queue(self, ticket: int) -> None:
        # A request that gives up while waiting: tickets are served in order, so it is marked
        # and skipped when its turn comes, and the later ones do not wait for it.
        self._abandoned.add(ticket)
        self._skip_abandoned()
        self._cond.notify_all()

    def _skip_abandoned(self) -> None:
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1


SERVER_BUDGET = MemoryBudget(SERVER_BUDGET_BYTES)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018  (glibc only: musl and macOS have none)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_allocator() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD_BYTES` (True if it could).

    By default glibc raises the threshold after each large free (up to 32 MB), so a server that
    ran one big simulation serves the next one's arrays from its per-thread arenas, which it
    keeps. Fixed, every array of 1 MB or more is its own mapping, unmapped when NumPy frees it.
    Idempotent; the router calls it once per run.
    """
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def give_back() -> float:
    """Return the free memory glibc's arenas hold to the system (``malloc_trim(0)``).

    Returns the seconds it took (0 where there is no glibc). Called after each heavy run.
    """
    libc = _libc()
    if libc is None:
        return 0.0
    start = time.perf_counter()
    libc.malloc_trim(0)
    return time.perf_counter() - start
