"""ui/sweep.py: every frame the browser swaps in is the core's own curve, one slider step per frame.

The figures are checked as the browser receives them: serialised with ``to_json`` (Plotly's
binary arrays) and decoded, so the payload itself is what is compared to the core.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from activations import ACTIVATIONS, softmax
from tests.plotly_helpers import as_array, decode, sampled_mask
from ui import sweep

X = np.linspace(-5.0, 5.0, 601)
SWEPT = [(act, p) for act in ACTIVATIONS.values() for p in act.params]


def shipped(fig) -> dict:
    return decode(json.loads(fig.to_json()))


def frames_by_name(spec: dict) -> dict[str, dict]:
    return {frame["name"]: frame for frame in spec["frames"]}


@pytest.mark.parametrize(("act", "param"), SWEPT, ids=[f"{a.name}-{p.name}" for a, p in SWEPT])
def test_each_frame_is_the_core_curve_at_its_value(act, param):
    defaults = act.param_defaults()
    # The slider grid, less the values the entry refuses with the others at their defaults
    # (hard tanh's min_val ≥ max_val = 1).
    values = [
        v for v in sweep.param_values(param) if act.refusal({**defaults, param.name: v}) is None
    ]
    spec = shipped(sweep_default(act, param.name))
    frames = frames_by_name(spec)
    steps = spec["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(values) == len(spec["frames"])
    # The grid, but for the points drawn at jumps (checked in tests/test_jumps.py).
    keep = sampled_mask(spec["data"][0]["x"])
    x = as_array(spec["data"][0]["x"])[keep]
    assert np.isin(x, X).all() and len(x) >= len(X) - 2 * len(values)
    for value, step in zip(values, steps, strict=True):
        (name,) = step["args"][0]
        assert step["method"] == "animate"
        assert float(step["label"]) == pytest.approx(value, rel=1e-2, abs=1e-12)
        f, df = frames[name]["data"][:2]  # then the dots at the jumps
        at = {**defaults, param.name: value}
        np.testing.assert_array_equal(as_array(f["y"])[keep], act.forward(x, **at))
        np.testing.assert_array_equal(as_array(df["y"])[keep], act.derivative(x, **at))


def sweep_default(act, name):
    return sweep.sweep_figure(act, name, act.param_defaults(), X)


@pytest.mark.parametrize(("act", "param"), SWEPT, ids=[f"{a.name}-{p.name}" for a, p in SWEPT])
def test_values_are_on_the_slider_grid_capped_and_span_the_range(act, param):
    values = sweep.param_values(param)
    assert 2 <= len(values) <= sweep.MAX_FRAMES
    assert values[0] == param.low and values[-1] == pytest.approx(param.high, abs=1e-12)
    ticks = (np.asarray(values) - param.low) / param.step
    np.testing.assert_allclose(ticks, np.round(ticks), atol=1e-6)
    assert np.all(np.diff(values) > 0)
    if round((param.high - param.low) / param.step) + 1 <= sweep.MAX_FRAMES:
        assert len(values) == round((param.high - param.low) / param.step) + 1


def test_starts_on_the_current_value_with_the_other_parameters_fixed():
    act = ACTIVATIONS["maxout"]
    params = {**act.param_defaults(), "w1": 0.7, "b2": -1.25}
    spec = shipped(sweep.sweep_figure(act, "w1", params, X))
    slider = spec["layout"]["sliders"][0]
    values = sweep.param_values(next(p for p in act.params if p.name == "w1"))
    assert values[slider["active"]] == pytest.approx(0.7)
    f, df = spec["data"][:2]
    keep = sampled_mask(f["x"])
    x = as_array(f["x"])[keep]
    assert np.isin(x, X).all() and x[0] == X[0] and x[-1] == X[-1]
    np.testing.assert_array_equal(as_array(f["y"])[keep], act.forward(x, **params))
    np.testing.assert_array_equal(as_array(df["y"])[keep], act.derivative(x, **params))
    # every frame keeps b2 = -1.25
    last = frames_by_name(spec)[slider["steps"][-1]["args"][0][0]]
    expected = act.forward(x, **{**params, "w1": values[-1]})
    np.testing.assert_array_equal(as_array(last["data"][0]["y"])[keep], expected)
    assert "b₂ = -1.25" in spec["layout"]["title"]["text"]


def test_explicit_values_and_fixed_axes():
    act = ACTIVATIONS["elu"]
    spec = shipped(sweep.sweep_figure(act, "alpha", {"alpha": 2.0}, X, values=[0.5, 1.0, 2.0]))
    assert [s["label"] for s in spec["layout"]["sliders"][0]["steps"]] == ["0.5", "1", "2"]
    assert spec["layout"]["sliders"][0]["active"] == 2
    lo, hi = spec["layout"]["yaxis"]["range"]
    for frame in spec["frames"]:
        # f, f′ (a NaN at each jump) and the dots at the jumps (NaN: a hidden dot)
        for curve in frame["data"]:
            y = as_array(curve["y"])
            y = y[~np.isnan(y)]
            assert y.size == 0 or (lo < y.min() and y.max() < hi)


def test_unknown_parameter_is_a_clear_error():
    with pytest.raises(ValueError, match="has no parameter"):
        sweep.sweep_figure(ACTIVATIONS["relu"], "alpha", {}, X)


def test_temperature_frames_are_the_core_softmax():
    z = np.array([2.0, 1.0, 0.1, -3.0])
    spec = shipped(sweep.temperature_sweep_figure(z))
    grid = sweep.TEMPERATURES
    assert len(grid) == 41 and grid[0] == pytest.approx(0.01) and grid[-1] == pytest.approx(100)
    assert grid[20] == 1.0
    np.testing.assert_allclose(np.diff(np.log10(grid)), 0.1, atol=1e-12)
    steps = spec["layout"]["sliders"][0]["steps"]
    frames = frames_by_name(spec)
    assert len(steps) == len(frames) == len(grid)
    for t, step in zip(grid, steps, strict=True):
        (bars,) = frames[step["args"][0][0]]["data"]
        np.testing.assert_array_equal(as_array(bars["y"]), softmax(z, t))
    assert spec["layout"]["sliders"][0]["active"] == 20
    np.testing.assert_array_equal(as_array(spec["data"][0]["y"]), softmax(z, 1.0))


def test_temperature_starts_nearest_on_a_log_scale():
    spec = shipped(sweep.temperature_sweep_figure([1.0, 0.0], temperature=0.3, labels=["a", "a"]))
    active = spec["layout"]["sliders"][0]["active"]
    assert sweep.TEMPERATURES[active] == pytest.approx(10**-0.5)
    # two classes with the same name stay two bars
    assert list(as_array(spec["data"][0]["x"])) == [0, 1]
    assert spec["layout"]["xaxis"]["ticktext"] == ["a", "a"]
    with pytest.raises(ValueError, match="> 0"):
        sweep.temperature_sweep_figure([1.0, 0.0], temperatures=[0.0, 1.0])
