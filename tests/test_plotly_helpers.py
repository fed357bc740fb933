"""The figure decoder the page tests rely on, checked against Plotly's own encoding."""

import json

import numpy as np
import plotly.graph_objects as go

from tests.plotly_helpers import as_array, decode, trace


def test_decode_round_trips_plotly_binary_arrays():
    x = np.linspace(-3.0, 3.0, 7)
    z = np.arange(6.0).reshape(2, 3)
    fig = go.Figure([go.Scatter(x=x, y=x**2, name="f"), go.Heatmap(z=z, name="h")])
    spec = decode(json.loads(fig.to_json()))
    assert np.array_equal(as_array(trace(spec, "f")["x"]), x)
    assert np.array_equal(as_array(trace(spec, "f")["y"]), x**2)
    assert np.array_equal(as_array(trace(spec, "h")["z"]), z)
