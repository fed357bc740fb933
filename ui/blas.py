"""One BLAS thread per server process, whatever imported NumPy first.

Why: a classroom server runs many sessions' reruns at once on one or two cores, and each matrix
product of the depth simulator is small (256 × 256). With OpenBLAS's default of one thread per
core, the threads of concurrent products spin waiting for each other: two depth servers on two
cores, 5 students each on a cold cache, spent 100–340 ms of CPU per move and some moves took
5–10 s, against 26–38 ms and at most 0.5 s with one thread each (docs/PERFORMANCE.md, "One BLAS
thread, really").

Why not the environment variable: OpenBLAS reads ``OPENBLAS_NUM_THREADS`` once, when NumPy is
first imported, and ``streamlit run`` (1.67) imports NumPy before it runs ``app.py``, so setting
it there does nothing. threadpoolctl sets the thread count of every BLAS already loaded (NumPy's
and SciPy's), at any time. (It lets one living thread at a time change OpenBLAS's process-wide
pool, and ignores the others: on a server each rerun runs in a script thread that ends with the
run, so the router's call always takes effect.)
"""

from __future__ import annotations

import functools
import os

from threadpoolctl import ThreadpoolController

import activations  # noqa: F401  (loads NumPy's and SciPy's BLAS before they are looked up)

#: Set in the environment before the server starts, this wins: OpenBLAS has read it already.
OVERRIDE_VARIABLE = "OPENBLAS_NUM_THREADS"


@functools.cache
def _controller() -> ThreadpoolController:
    # Finding the loaded libraries costs ~6 ms, so once per process; setting a limit, ~40 µs.
    return ThreadpoolController()


def limit_to_one_thread() -> None:
    """Run BLAS on the calling thread only (every BLAS library loaded in this process).

    Idempotent and cheap, so the router calls it on each run. Does nothing when the deployment
    chose its own count with ``OPENBLAS_NUM_THREADS``.
    """
    if OVERRIDE_VARIABLE in os.environ:
        return
    _controller().limit(limits=1, user_api="blas")
