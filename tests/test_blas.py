"""ui/blas.py: the router leaves every BLAS in the process on one thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from threadpoolctl import ThreadpoolController, threadpool_info

from ui import blas

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def _set_threads(n: int) -> None:
    # From a thread that then ends: threadpoolctl lets only one living thread at a time change
    # OpenBLAS's process-wide pool, so the test's own thread must not keep that role (on a server,
    # each rerun's script thread ends with its run).
    worker = threading.Thread(
        target=lambda: ThreadpoolController().limit(limits=n, user_api="blas")
    )
    worker.start()
    worker.join()


@pytest.fixture
def two_blas_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """BLAS on two threads (the default on a 2-core server), restored afterwards."""
    monkeypatch.delenv(blas.OVERRIDE_VARIABLE, raising=False)
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    _set_threads(2)
    yield
    _set_threads(max(before))


def test_numpy_s_blas_is_found() -> None:
    # Without a library to limit, the tests below would pass vacuously.
    assert any(lib["user_api"] == "blas" for lib in threadpool_info())


def test_the_router_sets_one_thread_although_numpy_was_imported_first(
    two_blas_threads: None,
) -> None:
    # NumPy is imported (here by the test, on a server by Streamlit) before app.py runs, so an
    # OPENBLAS_NUM_THREADS set by app.py would come too late: two threads must become one.
    assert _blas_threads() == {2}
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert _blas_threads() == {1}


def test_a_deployment_s_own_thread_count_wins(
    two_blas_threads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(blas.OVERRIDE_VARIABLE, "2")
    worker = threading.Thread(target=blas.limit_to_one_thread)
    worker.start()
    worker.join()
    assert _blas_threads() == {2}
