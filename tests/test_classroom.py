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


# --- CSV formula injection (issue #20) ------------------------------------------------------------

FORMULAS = ["=1+1", "@SUM(1;2)", "+cmd|' /C calc'!A0", "-2+3", "\t=x", "\r=x", ' "=x"', " =x"]


def test_no_text_cell_starts_a_formula_and_numbers_stay_numbers():
    for cell in FORMULAS:
        assert classroom.csv_cell(cell).startswith("'"), cell
    for number in ("-1.5", "+2", "1e-3", "-0.0"):
        assert classroom.csv_cell(number) == number
    assert classroom.csv_cell(-1.5) == "-1.5" and classroom.csv_cell(-3) == -3
    assert classroom.csv_cell("cat") == "cat"


def _cells(text: str) -> list[str]:
    import csv
    import io

    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_every_cell_of_an_export_is_safe_settings_included():
    text = classroom.to_csv(
        {"class": FORMULAS, "z": [-1.0] * len(FORMULAS)},
        {"labels": ",".join(FORMULAS), "target": "0 (=1+1)\n=2+2", "logits": "-1.0, -2.0"},
    )
    for cell in _cells(text):
        stripped = cell.lstrip(' "')
        assert not stripped.startswith(classroom.FORMULA_START) or (
            classroom._PLAIN_NUMBER.fullmatch(cell.strip())
        ), cell
    settings, columns = classroom.read_csv(text)
    assert settings["logits"] == "-1.0, -2.0"  # negative numbers stay numbers
    np.testing.assert_array_equal(columns["z"], -1.0)
    assert list(columns["class"]) == ["'" + c.replace("\r", "\n") for c in FORMULAS]


def test_the_softmax_csv_neutralises_formula_labels():
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=30)
    at.query_params.update(
        {"logits": "1, -2, 3, 4", "labels": "=1+1,@SUM(1;2),x,+cmd|' /C calc'!A0"}
    )
    at.switch_page("pages/softmax.py")
    at.run()
    assert not at.exception
    text = at.session_state["_latest_table_softmax_csv"].csv()
    _, columns = classroom.read_csv(text)
    assert list(columns["class"]) == ["'=1+1", "'@SUM(1;2)", "x", "'+cmd|' /C calc'!A0"]
    np.testing.assert_array_equal(columns["z"], [1.0, -2.0, 3.0, 4.0])


# --- only= naming no control (issue #20) ------------------------------------------------------


def _page(page: str, query: dict[str, str]) -> AppTest:
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=30)
    at.query_params.update(query)
    at.switch_page(page)
    return at.run()


def test_an_only_that_names_no_control_shows_every_control_and_says_so():
    at = _page("pages/explorer.py", {"activation": "elu", "only": "param_alhpa"})
    assert not at.exception
    message = " ".join(w.value for w in at.warning)
    assert "`param_alhpa` names no control of this page" in message
    assert "param_alpha" in message  # the controls it could have named
    assert at.slider(key="param_alpha") is not None and at.selectbox(key="activation")
    assert "only" not in at.query_params


def test_an_only_with_one_unknown_key_keeps_the_known_one_and_names_the_other():
    at = _page("pages/depth.py", {"width": "16", "only": "depth,dpeth"})
    assert not at.exception
    assert any("`dpeth`" in w.value for w in at.warning)
    assert [s.key for s in at.slider] == ["depth"]  # only depth is shown
