"""ui/plotting.freeze: a cached figure's JSON is what the live figure would send, every time."""

from __future__ import annotations

import json

import numpy as np
import plotly.io
import plotly.tools
import pytest

from activations import ACTIVATIONS
from ui import depth_view, explorer_view, softmax_view, sweep
from ui.plotting import FrozenFigure, freeze


def sent_json(fig) -> str:
    """The spec st.plotly_chart (Streamlit 1.67) puts in its message, by the same two calls."""
    figure = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(figure, validate=False)


def builders():
    x = np.linspace(-6.0, 6.0, 101)
    return {
        "explorer main": lambda: explorer_view.main_figure(
            "elu", (("alpha", 1.3),), explorer_view.X_DEFAULT, 0.5, False, True
        ),
        "explorer compare": lambda: explorer_view.compare_figure(
            (("relu", ()), ("elu", (("alpha", 1.0),))), (-4.0, 4.0), "df", True
        ),
        "sweep with frames": lambda: sweep.sweep_figure(
            ACTIVATIONS["elu"], "alpha", {"alpha": 1.0}, x
        ),
        "softmax bars": lambda: softmax_view.probability_figure(
            np.array([0.7, 0.2, 0.1]), ("a", "b", "c"), title="t", present=False, muted=False
        ),
        "depth grad norm": lambda: depth_view.grad_norm_figure(
            [("relu·he", depth_view.run("relu", (), 6, 16, 8, "he", 0, False, None))], title="g"
        ),
    }


@pytest.mark.parametrize("name", list(builders()))
def test_frozen_figure_sends_the_same_json_as_the_live_one(name):
    build = builders()[name]
    live = sent_json(build())
    frozen = freeze(build())
    assert isinstance(frozen, FrozenFigure)
    assert sent_json(frozen) == live
    # Sessions share a frozen figure: serialising it must not change what the next one sends.
    assert sent_json(frozen) == live
    assert json.loads(live)["data"], "the figure has traces"


def test_freeze_keeps_the_object_and_its_contents():
    fig = builders()["explorer main"]()
    title, n_traces = fig.layout.title.text, len(fig.data)
    assert freeze(fig) is fig
    assert fig.layout.title.text == title and len(fig.data) == n_traces


@pytest.mark.parametrize(
    "cached",
    [
        lambda: explorer_view.cached_main_figure(
            "relu", (), explorer_view.X_DEFAULT, 1.0, False, True
        ),
        lambda: explorer_view.cached_mystery_figure("tanh", False),
        lambda: (
            softmax_view.temperature_view(
                z=np.array([1.0, 2.0]),
                labels=("a", "b"),
                t=1.0,
                target=1,
                present=False,
                muted=False,
            ).gradient_chart
        ),
    ],
)
def test_the_pages_cached_figures_are_frozen(cached):
    assert isinstance(cached(), FrozenFigure)
