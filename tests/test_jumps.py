"""Jumps drawn as jumps: a curve's line never joins the two sides of a jump.

The core gives each kink's one-sided limits and value (``Activation.kink_limits``); the charts
end the line at one limit, leave a gap, restart at the other, and mark the value taken with a
filled dot and each limit only approached with an open circle (``ui.plotting``). Checked
against the facts in TEACHING.md (relu′(0) = 0, ELU is C¹ only for α = 1, …) and against the
functions themselves.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from activations import ACTIVATIONS, OneSided, properties
from tests.plotly_helpers import as_array, decode, lines, sampled_mask, trace
from tests.test_page_explorer import explorer, main_figure
from ui import explorer_view, sweep
from ui.plotting import drawn_with_jumps, jump_dots, jump_markers

NAMES = list(ACTIVATIONS)
X_RANGE = (-6.0, 6.0)


# --- the core: limits and values at each kink ---------------------------------------------------


def only_kink(slug: str, **params: float):
    (kink,) = ACTIVATIONS[slug].kink_limits(**params)
    return kink


def test_relu_derivative_jumps_from_0_to_1_and_takes_0_at_0():
    k = only_kink("relu")
    assert k.x == 0.0
    assert (k.df.left, k.df.at, k.df.right) == (0.0, 0.0, 1.0)  # relu′(0) = 0 (PyTorch, JAX)
    assert k.df.jumps and not k.df.continuous
    assert k.f.continuous


def test_leaky_relu_derivative_takes_the_negative_slope_at_0():
    k = only_kink("leaky_relu", slope=0.2)
    assert (k.df.left, k.df.at, k.df.right) == (0.2, 0.2, 1.0)
    assert k.f.continuous
    assert ACTIVATIONS["leaky_relu"].kink_limits(slope=1.0) == ()  # the identity


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_elu_derivative_jumps_unless_alpha_is_one(alpha):
    k = only_kink("elu", alpha=alpha)
    assert k.df.left == pytest.approx(alpha, rel=1e-6) and k.df.right == 1.0
    assert k.df.at == alpha  # the x ≤ 0 branch
    assert k.f.continuous
    assert ACTIVATIONS["elu"].kink_limits(alpha=1.0) == ()


@pytest.mark.parametrize("alpha", [0.3, 1.0, 2.5])
def test_celu_has_no_jump_for_any_alpha(alpha):
    assert all(
        k.f.continuous and k.df.continuous for k in ACTIVATIONS["celu"].kink_limits(alpha=alpha)
    )


def test_binary_step_jumps_from_0_to_1_and_takes_1_at_0():
    k = only_kink("binary_step")
    assert (k.f.left, k.f.at, k.f.right) == (0.0, 1.0, 1.0)  # 1 for x ≥ 0
    assert k.f.jumps
    assert k.df.continuous and k.df.at == 0.0  # f′ = 0 wherever it exists


def test_hard_swish_derivative_jumps_at_both_ends_of_its_ramp():
    low, high = ACTIVATIONS["hard_swish"].kink_limits()
    assert (low.x, high.x) == (-3.0, 3.0)
    assert low.df.left == 0.0 and low.df.at == 0.0
    assert low.df.right == pytest.approx(-0.5, rel=1e-6)
    assert high.df.left == pytest.approx(1.5, rel=1e-6) and high.df.at == high.df.right == 1.0
    assert low.f.continuous and high.f.continuous


@pytest.mark.parametrize("lam", [1e-8, 1e-12])
def test_kinks_closer_than_the_reading_distance_are_read_on_their_own_side(lam):
    """Soft shrink's dead zone [−λ, λ] is narrower than 1e-7: f′ must still read 1 outside it
    and 0 inside."""
    low, high = ACTIVATIONS["soft_shrink"].kink_limits(lam=lam)
    assert (low.df.left, low.df.right, high.df.left, high.df.right) == (1.0, 0.0, 0.0, 1.0)


def test_a_lone_value_off_a_continuous_curve_is_not_a_jump():
    lone = OneSided(1.0, 0.0, 1.0)  # soft shrink with λ = 0: f′ = 1 on both sides, 0 at 0
    assert not lone.jumps and not lone.continuous
    assert OneSided(2.0, 2.0 + 1e-9, 2.0).continuous


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_limits_are_the_function_beside_the_kink(name, data):
    """The value is f (f′) at the kink itself; each limit is what f (f′) tends to from its side,
    read 1e-4 away; the jumps agree with properties()' continuity."""
    act = ACTIVATIONS[name]
    params = {p.name: data.draw(st.floats(p.low, p.high)) for p in act.params}
    for o in act.orders:  # min_val ≤ max_val, t_left ≤ t_right: drawn apart, put in order
        if params[o.low] > params[o.high]:
            params[o.low], params[o.high] = params[o.high], params[o.low]
    assume(act.refusal(params) is None)
    kinks = act.kink_limits(**params)
    assert [k.x for k in kinks] == list(act.kink_points(**params))
    for k in kinks:
        assert k.f.at == float(act.forward(k.x, **params))
        assert k.df.at == float(act.derivative(k.x, **params))
        # Not past the next kink: soft shrink's two are only 2λ apart.
        gap = min((abs(k.x - o.x) for o in kinks if o.x != k.x), default=math.inf)
        h = min(1e-4 * max(1.0, abs(k.x)), gap / 4)
        if not k.x - h < k.x < k.x + h:  # kinks a few subnormals apart: no float between
            continue
        for fn, side in ((act.forward, k.f), (act.derivative, k.df)):
            for limit, x in ((side.left, k.x - h), (side.right, k.x + h)):
                assert limit == pytest.approx(float(fn(x, **params)), rel=1e-3, abs=1e-3)
    p = properties(act, **params)
    assert p.continuous == (not any(k.f.jumps for k in kinks))
    assert p.smooth_c1 == (p.continuous and not any(k.df.jumps for k in kinks))


# --- drawing a curve with its jumps ---------------------------------------------------------------


def test_a_jump_becomes_limit_gap_limit_at_its_x():
    x = np.array([-1.0, 0.0, 1.0])
    y = np.array([0.0, 0.0, 1.0])
    xs, ys = drawn_with_jumps(x, y, [(0.0, OneSided(0.0, 0.0, 1.0))])
    np.testing.assert_array_equal(xs, [-1.0, 0.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(ys, [0.0, 0.0, np.nan, 1.0, 1.0])  # the grid's x = 0 is gone


def test_a_lone_value_is_bridged_by_the_limit_and_continuous_points_are_left_alone():
    x = np.linspace(-1.0, 1.0, 5)  # 0 on the grid
    y = np.ones(5)
    y[2] = 0.0  # the lone value
    xs, ys = drawn_with_jumps(x, y, [(0.0, OneSided(1.0, 0.0, 1.0))])
    np.testing.assert_array_equal(xs, [-1.0, -0.5, 0.0, 0.0, 0.0, 0.5, 1.0])
    np.testing.assert_array_equal(ys, np.ones(7))  # the line runs through the limit
    same = drawn_with_jumps(x, y, [(0.5, OneSided(1.0, 1.0, 1.0)), (5.0, OneSided(0, 0, 1))])
    assert same[0] is x or np.array_equal(same[0], x)  # continuous, and outside the range
    xs, _ = drawn_with_jumps(x, y, [(0.25, OneSided(1.0, 1.0, 1.0))], every_point=True)
    assert len(xs) == 8  # the sweeps' frames insert every point, to keep one length


def test_markers_fill_the_value_and_circle_the_limits_only_approached():
    near = [
        (0.0, OneSided(0.0, 0.0, 1.0)),
        (1.0, OneSided(2.0, 0.5, 2.0)),
        (9.0, OneSided(0, 0, 1)),
    ]
    dots = jump_dots(near, (-6.0, 6.0), "f′")
    assert dots["x"] == [0.0, 0.0, 1.0, 1.0]  # x = 9 is outside the range
    assert dots["y"] == [0.0, 1.0, 0.5, 2.0]
    assert dots["marker"]["symbol"] == ["circle", "circle-open", "circle", "circle-open"]
    assert "f′(0) = 0" in dots["customdata"][0] and "→ 1 from the right" in dots["customdata"][0]
    padded = jump_dots(near, (-6.0, 6.0), "f′", slots=6)
    assert padded["x"][:4] == dots["x"] and np.isnan(padded["y"][4:]).all()
    with pytest.raises(ValueError, match="do not fit"):
        jump_dots(near, (-6.0, 6.0), "f′", slots=3)
    trace = jump_markers(dots, colour="#123456", name="d", present=False)
    assert list(trace.y) == dots["y"] and trace.marker.line.color == "#123456"


def jumps_in_range(slug: str, params: dict[str, float], which: str):
    for k in ACTIVATIONS[slug].kink_limits(**params):
        if X_RANGE[0] < k.x < X_RANGE[1]:
            yield k.x, getattr(k, which)


def assert_line_respects_jumps(line: dict, slug: str, params: dict[str, float], which: str):
    """No segment of the line crosses a jump; at each jump: limit, gap, limit; NaN nowhere else."""
    x, y = as_array(line["x"]), as_array(line["y"])
    gaps = 0
    for at, side in jumps_in_range(slug, params, which):
        if side.continuous:
            continue
        (where,) = np.nonzero(x == at)
        assert len(where) == 3 and np.all(np.diff(where) == 1)
        drawn = y[where]
        assert drawn[0] == side.left and drawn[2] == side.right
        assert math.isnan(drawn[1]) if side.jumps else drawn[1] == side.left
        gaps += side.jumps
    assert np.count_nonzero(np.isnan(y)) == gaps
    assert np.all(np.diff(x) >= 0)


def assert_dots(fig: dict, name: str, slug: str, params: dict[str, float], which: str):
    expected = [(at, s) for at, s in jumps_in_range(slug, params, which) if not s.continuous]
    found = [t for t in fig["data"] if t.get("name") == name]
    if not expected:
        assert not found
        return
    (dots,) = found
    filled = [
        (x, y)
        for x, y, s in zip(dots["x"], dots["y"], dots["marker"]["symbol"], strict=True)
        if s == "circle"
    ]
    assert filled == [(at, s.at) for at, s in expected]  # the value taken, one per jump


@pytest.mark.parametrize("slug", NAMES)
def test_main_chart_draws_every_jump_at_defaults_and_moved_parameters(slug):
    act = ACTIVATIONS[slug]
    settings_ = [act.param_defaults()]
    for p in act.params:  # each parameter in turn a third of the way up its range
        settings_.append({**act.param_defaults(), p.name: p.low + (p.high - p.low) / 3})
    for params in settings_:
        if act.refusal(params) is not None:  # hard_tanh's max_val below its min_val
            continue
        items = tuple(sorted(params.items()))
        fig = decode(
            json.loads(explorer_view.main_figure(slug, items, X_RANGE, None, False).to_json())
        )
        for line, dots, which in (("f", "f at its jumps", "f"), ("f′", "f′ at its jumps", "df")):
            assert_line_respects_jumps(trace(fig, line), slug, params, which)
            assert_dots(fig, dots, slug, params, which)


def test_relu_on_the_explorer_page():
    """On the page itself: f′ stops at 0, restarts at 1, a dot at (0, 0) and a circle at (0, 1)."""
    fig = main_figure(explorer(activation="relu"))
    df = trace(fig, "f′")
    x, y = as_array(df["x"]), as_array(df["y"])
    (i,) = np.flatnonzero(np.isnan(y))
    assert (x[i - 1], y[i - 1], x[i + 1], y[i + 1]) == (0.0, 0.0, 0.0, 1.0)
    dots = trace(fig, "f′ at its jumps")
    assert list(zip(dots["x"], dots["y"], dots["marker"]["symbol"], strict=True)) == [
        (0.0, 0.0, "circle"),
        (0.0, 1.0, "circle-open"),
    ]
    assert not [t for t in fig["data"] if t["name"] == "f at its jumps"]  # f is continuous


def test_compare_and_quiz_charts_draw_jumps_too():
    entries = [("relu", ()), ("sigmoid", ()), ("binary_step", ())]
    fig = decode(json.loads(explorer_view.compare_figure(entries, X_RANGE, "f", False).to_json()))
    relu, sigmoid, step = lines(fig)
    for line, slug in ((relu, "relu"), (sigmoid, "sigmoid"), (step, "binary_step")):
        assert_line_respects_jumps(line, slug, {}, "f")
    (dots,) = [t for t in fig["data"] if t.get("mode") == "markers"]
    assert dots["marker"]["color"] == step["line"]["color"]  # the step's own colour
    mystery = decode(json.loads(explorer_view.mystery_figure("relu", False).to_json()))
    (line,) = lines(mystery)
    assert np.count_nonzero(np.isnan(as_array(line["y"]))) == 1


def test_sweep_frames_draw_each_frames_jumps_on_one_shared_x():
    """Leaky ReLU's slope sweep: a jump in f′ at 0 in every frame but slope = 1 (the identity),
    where the line runs straight through."""
    act = ACTIVATIONS["leaky_relu"]
    x_grid = np.linspace(-5.0, 5.0, 601)
    spec = decode(json.loads(sweep.sweep_figure(act, "slope", {}, x_grid).to_json()))
    x = as_array(spec["data"][0]["x"])
    assert np.count_nonzero(~sampled_mask(x)) == 3  # one jump point, three drawn points
    (where,) = np.nonzero(x == 0.0)
    for frame in spec["frames"]:
        slope = float(frame["name"].partition("=")[2])
        _, df, _, dots = frame["data"]
        drawn = as_array(df["y"])[where]
        if slope == 1.0:
            np.testing.assert_array_equal(drawn, [1.0, 1.0, 1.0])
            # Hidden slots, not an empty trace: Plotly.animate would leave the old dots.
            assert len(dots["y"]) == 2 and np.isnan(as_array(dots["y"])).all()
        else:
            assert drawn[0] == slope and math.isnan(drawn[1]) and drawn[2] == 1.0
            assert list(dots["y"]) == [slope, 1.0]
