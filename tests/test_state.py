"""ui/state.py's URL writes held until a fragment has drawn the rest (``urls_written_last``)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from ui import state

    @state.urls_written_last
    def body(fail: bool) -> None:
        state.sync_url("depth", 7, 50)
        state.sync_url("width", 64, 256)
        state.sync_url("width", 128, 256)  # the last write of a key wins, as unheld
        st.session_state.seen_inside = dict(st.query_params)
        if fail:
            raise RuntimeError("the run stops here")

    try:
        body(st.session_state.get("fail", False))
    except RuntimeError:
        st.session_state.raised = True
    st.session_state.seen_after = dict(st.query_params)
    state.sync_url("depth", 9, 50)  # outside a decorated function: written at once
    st.session_state.seen_unheld = dict(st.query_params)


def test_held_url_writes_are_made_when_the_function_returns():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert at.session_state.seen_inside == {}
    assert at.session_state.seen_after == {"depth": "7", "width": "128"}
    assert at.session_state.seen_unheld == {"depth": "9", "width": "128"}
    assert dict(at.query_params) == {"depth": "9", "width": "128"}


def test_an_exception_drops_the_held_writes():
    at = AppTest.from_function(_script)
    at.session_state.fail = True
    at.run()
    assert at.session_state.raised
    assert at.session_state.seen_after == {}
