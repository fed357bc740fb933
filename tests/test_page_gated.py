"""The explorer's gated-units section (behind the ``gated`` toggle), driven with AppTest.

Every number checked is recomputed from activations.gated at the points the page drew.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from activations import GATED_UNITS, ffn_parameters, gated_forward, gated_gradients, on_diagonal
from tests.plotly_helpers import as_array, figures
from tests.test_page_explorer import explorer


def gated_figures(at) -> tuple[dict, dict]:
    (surface,) = [f for f in figures(at) if "for a, b ∈" in f["layout"]["title"]["text"]]
    (cut,) = [f for f in figures(at) if "along b = a" in f["layout"]["title"]["text"]]
    return surface, cut


def test_off_by_default_and_nothing_drawn():
    at = explorer()
    assert at.toggle(key="gated").value is False
    assert not [f for f in figures(at) if "along b = a" in f["layout"]["title"]["text"]]
    assert "gated" not in at.query_params


@pytest.mark.parametrize(("which", "index"), [("f", None), ("da", 0), ("db", 1)])
def test_swiglu_surface_is_the_core_over_the_plane(which, index):
    at = explorer(gated="true", gated_view=which)
    assert not at.exception
    assert at.selectbox(key="gated_unit").value == "swiglu"
    surface, _ = gated_figures(at)
    contour = surface["data"][0]
    a, b = as_array(contour["x"]), as_array(contour["y"])
    z = (
        np.array([as_array(row) for row in contour["z"]])
        if isinstance(contour["z"], list)
        else (as_array(contour["z"]).reshape(len(b), len(a)))
    )
    aa, bb = np.meshgrid(a, b)
    expected = (
        gated_forward("swiglu", aa, bb)
        if index is None
        else gated_gradients("swiglu", aa, bb)[index]
    )
    np.testing.assert_allclose(z, expected, rtol=1e-12, atol=1e-300)
    cut_line = surface["data"][1]
    assert cut_line["name"] == "the cut b = a" and list(cut_line["x"]) == list(cut_line["y"])


def test_the_cut_shows_swiglu_is_not_swish():
    at = explorer(gated="true")
    _, cut = gated_figures(at)
    cut_trace, gate_trace = cut["data"]
    x = as_array(cut_trace["x"])
    np.testing.assert_allclose(as_array(cut_trace["y"]), on_diagonal("swiglu", x)[0], rtol=1e-12)
    np.testing.assert_allclose(as_array(gate_trace["y"]), gated_forward("swiglu", 1.0, x))
    captions = " ".join(c.value for c in at.caption)
    end = float(x[-1])
    stated = re.search(r"at x = 4 it is (\d+\.\d+), where Swish\(4\) alone is (\d+\.\d+)", captions)
    assert stated, captions
    assert float(stated.group(1)) == pytest.approx(on_diagonal("swiglu", end)[0], rel=1e-3)
    assert float(stated.group(2)) == pytest.approx(gated_forward("swiglu", 1.0, end), rel=1e-3)
    assert "SwiGLU is not Swish" in captions


def test_switching_unit_and_view_updates_the_link_and_the_chart():
    at = explorer(gated="true")
    at.selectbox(key="gated_unit").set_value("reglu").run()
    at.radio(key="gated_view").set_value("db").run()
    assert not at.exception
    assert at.query_params["gated_unit"] == "reglu" and at.query_params["gated_view"] == "db"
    surface, _ = gated_figures(at)
    assert surface["layout"]["title"]["text"].startswith("ReGLU (ReLU gate): ∂f/∂b")
    latex = [e.value for e in at.latex]
    assert GATED_UNITS["reglu"].formula in " ".join(latex)
    assert any("torch.nn.functional.relu(b)" in c.value for c in at.code)


def test_two_thirds_rule_table_is_computed_for_the_chosen_width():
    at = explorer(gated="true", gated_d_model="5120")
    assert at.slider(key="gated_d_model").value == 5120
    text = " ".join(m.value for m in at.markdown)
    d = 5120
    plain = ffn_parameters(d, 4 * d, gated=False)
    assert f"| plain, h = 4d | W, W₂ | {4 * d:,} | {plain:,} | 1.0000 |" in text
    assert f"| {13824:,} | {ffn_parameters(d, 13824, gated=True):,} |" in text  # LLaMA-13B
    at.slider(key="gated_d_model").set_value(4096).run()
    text = " ".join(m.value for m in at.markdown)
    assert "| 11,008 |" in text and "gated_d_model" not in at.query_params  # the default


@pytest.mark.parametrize(
    "query",
    [
        {"gated": "true", "gated_unit": "swish<b>"},
        {"gated": "true", "gated_view": "dz"},
        {"gated": "true", "gated_d_model": "100000"},
        {"gated": "maybe"},
    ],
)
def test_tampered_gated_links_warn_and_fall_back(query):
    at = explorer(**query)
    (warning,) = [w for w in at.warning if "could not be used" in w.value]
    key = next(k for k in query if k != "gated" or len(query) == 1)
    assert f"{key}=`" in warning.value
    assert "<b>" not in warning.value.replace("`swish<b>`", "")  # shown code-quoted only
    if query.get("gated") == "true":
        surface, _ = gated_figures(at)  # the rest of the section still draws, at its defaults
        assert surface["layout"]["title"]["text"].startswith("SwiGLU")
