"""ui/state.py's URL writes held until a fragment has drawn the rest (``urls_written_last``)."""

from __future__ import annotations

import pytest
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


# --- numbers a link carries: ASCII digits only (issue #20) ---------------------------------------


def test_numbers_in_a_link_are_ascii_digits_only():
    from ui import state

    for raw in ("²", "①", "٣", "１２", "1_000", " 12", "12\n", "inf", "nan", "1e400", "0x1f", ""):
        assert state.parse_number(raw) is None, raw
        assert state.parse_number(raw, integer=True) is None, raw
        assert state.number_in(0, 1e9, integer=True)(raw) is not None, raw
    assert state.parse_number("-1.5e-3") == -1.5e-3
    assert state.parse_number("12", integer=True) == 12
    assert state.parse_number("1.5", integer=True) is None
    assert state.number_in(1, 200, integer=True)("٣") == (
        "must be a whole number from 1 to 200 (ASCII digits)"
    )


# --- user text shown literally (issue #20) -------------------------------------------------------


def test_shown_keeps_user_text_inside_one_code_span():
    from tests.hostile_links import MARK, PAYLOADS, markdown_problems
    from ui import state

    for payload in PAYLOADS:
        quoted = state.shown(payload, limit=200)
        assert quoted.count("`") == 2 and "\n" not in quoted, quoted
        assert markdown_problems(f"x={quoted} is not known") == [], payload
    # the newline that used to leave the code span is shown as \n
    assert state.shown("\n\n# H") == "`\\n\\n# H`"
    assert state.shown("\u202eab") == "`\\u202eab`"
    # text outside code spans (a message built without shown) is escaped
    message = state.literal_outside_code(f"key=[{MARK}](https://e.org) *{MARK}* `{MARK}`")
    # (a bare URL outside a code span would still be a link in Streamlit: user text goes through
    # shown(), never only through this)
    assert markdown_problems(message.replace("https\\://", "")) == []
    assert message.endswith(f"`{MARK}`")


def _repeated_script() -> None:
    import streamlit as st

    from ui import state

    st.session_state.problems = state.check_query_params(
        {"depth": state.number_in(1, 200, integer=True)}
    )
    st.session_state.seen = st.query_params.get_all("depth")


@pytest.mark.parametrize(
    ("values", "kept"),
    [(["3", "500"], ["3"]), (["500", "3"], ["3"]), (["3", "7"], ["7"]), (["x", "y"], [])],
)
def test_a_repeated_key_keeps_the_last_valid_occurrence(values, kept):
    at = AppTest.from_function(_repeated_script)
    at.query_params["depth"] = values
    at.run()
    assert not at.exception
    assert at.session_state.seen == kept
    assert len(at.session_state.problems) == len(values) - len(kept)


def test_a_key_repeated_many_times_is_reported_in_a_few_lines():
    at = AppTest.from_function(_repeated_script)
    at.query_params["depth"] = ["x"] * 200 + ["9"]  # (Streamlit ignores over 1,000 parameters)
    at.run()
    assert at.session_state.seen == ["9"]
    problems = at.session_state.problems
    assert len(problems) == 6 and problems[-1] == "195 more values of depth left out"


# --- Back and Forward: the address wins over the widget's older state ---------------------------


def _slider_script() -> None:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from ui import state

    # The browser's Back/Forward sets this on the run (Streamlit's ClientState); AppTest cannot.
    get_script_run_ctx().is_history_navigation = st.session_state.pop("back", False)
    state.url_slider("Depth", 1, 200, key="depth", default=50, step=1, integer=True)


def test_on_back_or_forward_the_address_wins_over_the_widget():
    at = AppTest.from_function(_slider_script).run()
    at.slider(key="depth").set_value(70).run()  # the student's own moves write the URL
    assert dict(at.query_params) == {"depth": "70"}
    at.slider(key="depth").set_value(90).run()
    assert at.slider(key="depth").value == 90 and dict(at.query_params) == {"depth": "90"}
    # A rerun whose address is older than the widget (a key press that overtook the last URL
    # write): not history navigation, the student's value stays
    at.query_params["depth"] = "70"
    at.run()
    assert at.slider(key="depth").value == 90 and dict(at.query_params) == {"depth": "90"}
    # Back: the browser reruns the page with the previous address (Streamlit pushed one a move)
    at.query_params["depth"] = "70"
    at.session_state.back = True
    at.run()
    assert at.slider(key="depth").value == 70
    assert at.number_input(key="depth_exact").value == 70  # the number field follows
    assert dict(at.query_params) == {"depth": "70"}
    # Back to the first address, which had no depth: the default
    del at.query_params["depth"]
    at.session_state.back = True
    at.run()
    assert at.slider(key="depth").value == 50 and "depth" not in at.query_params
    # and a move after that is the student's again
    at.slider(key="depth").set_value(60).run()
    assert at.slider(key="depth").value == 60 and dict(at.query_params) == {"depth": "60"}
