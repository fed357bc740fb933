"""The classroom tools shared by every page: CSV round trip, focused links, presenter view."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui import classroom


def test_csv_round_trips_numbers_and_settings_exactly():
    x = np.linspace(-3.0, 3.0, 11)
    y = np.tanh(x) / 3.0
    text = classroom.to_csv({"x": x, "f": y}, {"activation": "tanh", "x range": "[-3, 3]"})
    settings, columns = classroom.read_csv(text)
    assert settings == {"activation": "tanh", "x range": "[-3, 3]"}
    assert np.array_equal(columns["x"], x)
    assert np.array_equal(columns["f"], y)


def test_csv_rejects_columns_of_different_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        classroom.to_csv({"a": [1.0, 2.0], "b": [1.0]}, {})


def test_csv_keeps_text_columns():
    _, columns = classroom.read_csv(
        classroom.to_csv({"class": ["cat", "dog"], "p": [0.25, 0.75]}, {})
    )
    assert list(columns["class"]) == ["cat", "dog"]
    assert np.array_equal(columns["p"], [0.25, 0.75])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("param_alpha", frozenset({"param_alpha"})),
        ("depth, init", frozenset({"depth", "init"})),
        ("<script>,depth", frozenset({"depth"})),
        ("<script>", None),
    ],
)
def test_focused_link_keeps_only_valid_widget_keys(raw, expected):
    assert classroom._parse_only(raw) == expected


def test_hides_only_what_a_focused_link_leaves_out():
    focused = classroom.Classroom(present=False, only=frozenset({"param_alpha"}))
    assert not focused.hides("param_alpha")
    assert focused.hides("activation")
    assert not classroom.Classroom(present=False, only=None).hides("activation")


def _home(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=30)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def test_presenter_flag_in_the_link_turns_presenter_view_on():
    assert _home({"present": "true"}).toggle(key="present").value is True
    assert _home({}).toggle(key="present").value is False


def test_tampered_presenter_flag_warns_and_falls_back():
    at = _home({"present": "<b>yes</b>"})
    assert at.toggle(key="present").value is False
    assert any("present" in w.value for w in at.warning)
