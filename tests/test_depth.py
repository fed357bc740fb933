"""The gradient-through-depth simulator: backprop, physics, mean field, overflow, validation."""

import dataclasses
import math
import threading
import tracemalloc

import numpy as np
import pytest

import activations as A
import activations.depth as depth_module
from activations.depth import (
    SATURATION_THRESHOLD,
    critical_weight_std,
    simulate,
    simulation_bytes,
    verdict,
)

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}


def need(slug):
    if slug not in A.ACTIVATIONS:
        pytest.skip(f"{slug} is not in the catalogue yet")
    return slug


def network_loss(act, weights, inputs, upstream, residual, params=None):
    """L = Σ upstream ⊙ h_L, written independently of the simulator (the model it documents)."""
    h = inputs
    f = A.ACTIVATIONS[act]
    for w in weights:
        # Residual: the pre-activation block h + f(h)W (He et al. 2016), as documented.
        h = (
            h + f.forward(h, **(params or {})) @ w
            if residual
            else f.forward(h @ w, **(params or {}))
        )
    return float(np.sum(upstream * h))


def weight_grads_by_central_differences(act, res, residual, eps=1e-6):
    ws = [w.copy() for w in res.weights]
    grads = []
    for w in ws:
        g = np.empty_like(w)
        for idx in np.ndindex(w.shape):
            old = w[idx]
            w[idx] = old + eps
            up = network_loss(act, ws, res.inputs, res.upstream, residual)
            w[idx] = old - eps
            down = network_loss(act, ws, res.inputs, res.upstream, residual)
            w[idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "gelu", "swish", "softplus"])
@pytest.mark.parametrize("residual", [False, True])
def test_backprop_matches_finite_differences_of_the_whole_network(act, residual):
    need(act)
    res = simulate(act, depth=3, width=4, batch=2, init="xavier", seed=7, residual=residual)
    assert res.output.shape == (2, 4)
    assert math.isclose(
        network_loss(act, res.weights, res.inputs, res.upstream, residual),
        float(np.sum(res.upstream * res.output)),
        rel_tol=1e-12,
    )
    numeric = weight_grads_by_central_differences(act, res, residual)
    norms = np.array([np.linalg.norm(g) for g in numeric])
    rel = np.abs(res.grad_norms - norms) / np.maximum(res.grad_norms + norms, 1e-300)
    assert np.all(rel < 1e-6), rel


def test_backprop_gradient_entries_match_finite_differences():
    # The norms could agree by accident; check the full ∂L/∂W_1 through δh_0 = ∂L/∂h_0 too.
    act = need("tanh")
    res = simulate(act, depth=3, width=4, batch=2, init="he", seed=3)
    eps = 1e-6
    x = res.inputs.copy()
    dx = np.empty_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = network_loss(act, res.weights, x, res.upstream, False)
        x[idx] = old - eps
        down = network_loss(act, res.weights, x, res.upstream, False)
        x[idx] = old
        dx[idx] = (up - down) / (2 * eps)
    assert math.isclose(res.grad_stds[0], dx.std(), rel_tol=1e-6)


def test_same_seed_same_result_and_init_only_rescales():
    a = simulate("relu", 5, 16, 8, "he", seed=42)
    b = simulate("relu", 5, 16, 8, "he", seed=42)
    c = simulate("relu", 5, 16, 8, "xavier", seed=42)
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)
    np.testing.assert_array_equal(a.act_hist, b.act_hist)
    np.testing.assert_allclose(c.weights[2] * math.sqrt(2.0), a.weights[2])
    np.testing.assert_array_equal(a.inputs, c.inputs)
    assert not np.array_equal(a.inputs, simulate("relu", 5, 16, 8, "he", seed=43).inputs)


@pytest.mark.parametrize(
    ("init", "sigma2_times_n"),
    [("xavier", 1.0), ("he", 2.0), ("lecun", 1.0)],
)
def test_init_scales(init, sigma2_times_n):
    res = simulate("relu", 2, 64, 4, init)
    assert math.isclose(res.sigma_w**2 * 64, sigma2_times_n)
    w = np.concatenate([w.ravel() for w in res.weights])
    assert abs(w.std() ** 2 * 64 / sigma2_times_n - 1) < 0.05  # 8192 samples
    assert simulate("relu", 2, 64, 4, "small").sigma_w == 0.01
    assert simulate("relu", 2, 64, 4, "large").sigma_w == 1.0
    assert simulate("relu", 2, 64, 4, "custom", weight_std=0.3).sigma_w == 0.3


def test_result_shapes():
    d, n, b = 7, 12, 5
    res = simulate("tanh" if "tanh" in A.ACTIVATIONS else "sigmoid", d, n, b, nbins=30)
    assert len(res.weights) == d and res.weights[0].shape == (n, n)
    for name in ("activation_stds", "activation_means", "grad_stds", "unit_spread"):
        assert getattr(res, name).shape == (d + 1,), name
    for name in ("grad_norms", "saturated_fraction", "dead_fraction", "preactivation_stds"):
        assert getattr(res, name).shape == (d,), name
    for name in ("predicted_grad_norms", "predicted_gain"):
        assert getattr(res, name).shape == (d,), name
    assert res.predicted_activation_stds.shape == res.predicted_grad_stds.shape == (d + 1,)
    assert res.act_hist.shape == res.grad_hist.shape == (d + 1, 30)
    assert res.hist_edges.shape == (31,)
    assert np.all(res.act_hist.sum(axis=1) == n * b)
    assert np.all(res.grad_hist.sum(axis=1) == n * b)
    assert math.isclose(res.activation_stds[0], res.inputs.std())
    assert math.isclose(res.grad_stds[d], res.upstream.std())
    with pytest.raises(AttributeError):
        res.depth = 3  # frozen


def reference_statistics(res, act, residual, params=None):
    """The per-layer statistics written plainly (np.std, a fresh array per layer, the same
    binning rule), from the result's own weights, inputs and upstream."""
    f = A.ACTIVATIONS[act]
    lo, hi = res.hist_edges[0], res.hist_edges[-1]
    nbins = len(res.hist_edges) - 1

    def hist(x):
        idx = np.clip((x.ravel() - lo) * (nbins / (hi - lo)), 0, nbins - 1).astype(int)
        return np.bincount(idx, minlength=nbins)

    hs, ds, zs = [res.inputs], [], []
    for w in res.weights:
        # Residual: f sees h_{l-1} itself (the pre-activation block h + f(h)W).
        z = hs[-1] if residual else hs[-1] @ w
        zs.append(z)
        ds.append(f.derivative(z, **(params or {})))
        fz = f.forward(z, **(params or {}))
        hs.append(hs[-1] + fz @ w if residual else fz)
    dh = res.upstream
    grad_stds, grad_norms, grad_hists = [dh.std()], [], [hist(dh)]
    for h, d, w in zip(hs[-2::-1], ds[::-1], res.weights[::-1], strict=True):
        if residual:
            grad_norms.append(np.linalg.norm(f.forward(h, **(params or {})).T @ dh))
            dh = dh + (dh @ w.T) * d
        else:
            dz = dh * d
            grad_norms.append(np.linalg.norm(h.T @ dz))
            dh = dz @ w.T
        grad_stds.append(dh.std())
        grad_hists.append(hist(dh))
    small = [np.abs(d) < SATURATION_THRESHOLD for d in ds]
    return {
        "activation_stds": [h.std() for h in hs],
        "activation_means": [h.mean() for h in hs],
        "preactivation_stds": [z.std() for z in zs],
        "unit_spread": [np.max(h.max(axis=1) - h.min(axis=1)) for h in hs],
        "saturated_fraction": [s.mean() for s in small],
        "dead_fraction": [s.all(axis=0).mean() for s in small],
        "grad_stds": grad_stds[::-1],
        "grad_norms": grad_norms[::-1],
        "act_hist": [hist(h) for h in hs],
        "grad_hist": grad_hists[::-1],
        "output": hs[-1],
    }


@pytest.mark.parametrize(
    ("act", "residual"), [("tanh", False), ("relu", False), ("gelu", True), ("identity", False)]
)
def test_every_layer_statistic_matches_a_plain_computation(act, residual):
    # The simulator reuses its buffers from layer to layer; every layer must still get its own
    # numbers (depth 6: each buffer changes hands several times).
    res = simulate(need(act), depth=6, width=24, batch=10, init="he", seed=5, residual=residual)
    expected = reference_statistics(res, act, residual)
    for name in ("act_hist", "grad_hist"):
        np.testing.assert_array_equal(getattr(res, name), expected[name], err_msg=name)
    for name, values in expected.items():
        np.testing.assert_allclose(getattr(res, name), values, rtol=1e-12, err_msg=name)


def test_weights_are_one_draw_per_layer_in_order():
    """The random numbers come in a fixed order: inputs, each layer's weights, upstream."""
    res = simulate("relu", 4, 8, 3, "he", seed=11)
    rng = np.random.default_rng(11)
    np.testing.assert_array_equal(res.inputs, rng.standard_normal((3, 8)))
    for w in res.weights:
        np.testing.assert_array_equal(w, rng.standard_normal((8, 8)) * math.sqrt(2 / 8))
    np.testing.assert_array_equal(res.upstream, rng.standard_normal((3, 8)))


def test_the_output_is_not_a_view_of_a_buffer():
    # A view of a reused buffer, or of a block of every layer, would keep that memory alive.
    res = simulate("relu", 10, 32, 4, "he", seed=0)
    assert res.output.flags.owndata and res.output.shape == (4, 32)


# --- the weights drawn on a helper thread ---------------------------------------------------------


class RecordingGenerator:
    """``np.random.default_rng(seed)`` that notes which thread draws each array, and can fail."""

    def __init__(self, seed, fail_at=None):
        self._rng = np.random.Generator(np.random.PCG64(seed))  # default_rng(seed)'s numbers
        self.threads = []
        self.fail_at = fail_at

    def standard_normal(self, size=None, out=None):
        self.threads.append(threading.current_thread().name)
        if len(self.threads) == self.fail_at:
            raise MemoryError("simulated: no memory for this draw")
        return self._rng.standard_normal(size, out=out)


@pytest.fixture
def recorded(monkeypatch):
    """The generators simulate() creates, each a RecordingGenerator."""
    made = []

    def default_rng(seed, fail_at=None):
        made.append(RecordingGenerator(seed, fail_at))
        return made[-1]

    monkeypatch.setattr(np.random, "default_rng", default_rng)
    return made


def draws_in_background(monkeypatch, on):
    monkeypatch.setattr(depth_module, "_draws_in_background", lambda *shape: on)


def assert_same_result(a, b):
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if field.name == "weights":
            assert len(x) == len(y)
            for u, v in zip(x, y, strict=True):
                np.testing.assert_array_equal(u, v, err_msg=field.name)
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=field.name)  # NaN equals NaN here
            assert x.dtype == y.dtype, field.name
        else:
            assert x == y, field.name


def reference_draws(seed, depth, width, batch, sigma_w):
    """The docstring's order, drawn plainly: inputs, each layer's weights, upstream."""
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((batch, width))
    weights = []
    for _ in range(depth):
        w = rng.standard_normal((width, width))
        w *= sigma_w
        weights.append(w)
    return inputs, weights, rng.standard_normal((batch, width))


@pytest.mark.parametrize(
    ("act", "depth", "width", "batch", "kwargs"),
    [
        ("relu", 12, 40, 9, {"init": "he"}),
        ("tanh", 6, 24, 10, {"init": "xavier", "residual": True}),
        ("sigmoid", 5, 17, 3, {"init": "large", "seed": 3}),
        ("gelu", 4, 32, 8, {"init": "custom", "weight_std": 0.7, "residual": True}),
        ("relu", 3, 16, 4, {"init": "zeros"}),  # σ_w = 0: every weight ±0
        ("selu", 1, 8, 2, {"init": "lecun"}),  # depth 1: the upstream follows one matrix
        ("identity", 200, 64, 8, {"init": "custom", "weight_std": 100.0}),  # overflows forward
    ],
)
def test_weights_drawn_on_a_helper_thread_give_the_same_result(
    monkeypatch, recorded, act, depth, width, batch, kwargs
):
    draws_in_background(monkeypatch, False)
    alone = simulate(act, depth, width, batch, **kwargs)
    assert set(recorded[-1].threads) == {threading.current_thread().name}
    draws_in_background(monkeypatch, True)
    before = threading.active_count()
    helped = simulate(act, depth, width, batch, **kwargs)
    assert threading.active_count() == before
    # The inputs here, everything after them (weights, then upstream) on the helper thread.
    names = recorded[-1].threads
    assert names[0] == threading.current_thread().name
    assert names[1:] == ["depth-weights"] * (depth + 1)
    assert_same_result(alone, helped)
    inputs, weights, upstream = reference_draws(
        kwargs.get("seed", 0), depth, width, batch, helped.sigma_w
    )
    np.testing.assert_array_equal(helped.inputs, inputs)
    for got, expected in zip(helped.weights, weights, strict=True):
        np.testing.assert_array_equal(got, expected)
        assert np.array_equal(np.signbit(got), np.signbit(expected))  # −0.0 too, for zero init
    np.testing.assert_array_equal(helped.upstream, upstream)


def test_an_overflow_still_draws_every_weight_and_leaves_no_thread(monkeypatch):
    draws_in_background(monkeypatch, True)
    before = threading.active_count()
    res = simulate("identity", 200, 64, 8, "custom", weight_std=100.0, seed=0)
    assert threading.active_count() == before
    assert res.overflow_layer is not None and res.overflow_layer < 200
    _, weights, upstream = reference_draws(0, 200, 64, 8, 100.0)
    np.testing.assert_array_equal(res.weights[-1], weights[-1])
    np.testing.assert_array_equal(res.upstream, upstream)


@pytest.mark.parametrize(
    ("act", "depth", "width", "batch", "kwargs"),
    [
        ("relu", 12, 40, 9, {"init": "he"}),
        ("tanh", 6, 24, 10, {"init": "xavier", "residual": True}),
        ("gelu", 4, 32, 8, {"init": "custom", "weight_std": 0.7, "residual": True}),
        ("relu", 3, 16, 4, {"init": "zeros"}),  # σ_w = 0: every weight ±0
        ("selu", 1, 8, 2, {"init": "lecun"}),
        ("identity", 200, 64, 8, {"init": "custom", "weight_std": 100.0}),  # overflows forward
        ("sinc", 200, 16, 4, {"init": "custom", "weight_std": 1e3}),  # overflows backward
        ("relu", 50, 256, 256, {"init": "he", "seed": 7}),  # the size that draws on a helper
    ],
)
def test_without_keeping_the_weights_the_result_is_the_same(act, depth, width, batch, kwargs):
    kept = simulate(act, depth, width, batch, **kwargs)
    lean = simulate(act, depth, width, batch, keep_weights=False, **kwargs)
    assert len(kept.weights) == depth and lean.weights == ()
    assert_same_result(dataclasses.replace(kept, weights=()), lean)


def test_the_overflow_cases_above_overflow_where_they_say():
    with np.errstate(**STRICT):
        forward = simulate("identity", 200, 64, 8, "custom", weight_std=100.0)
        backward = simulate("sinc", 200, 16, 4, "custom", weight_std=1e3)
    assert forward.overflow_layer is not None
    assert backward.overflow_layer is None and backward.grad_overflow_layer is not None


@pytest.mark.parametrize("keep_weights", [True, False])
@pytest.mark.parametrize("act", ["relu", "gelu", "selu", "swish", "tanh"])
def test_simulation_bytes_bounds_the_peak_memory(act, keep_weights):
    shape = (40, 96, 48)  # depth, width, batch
    simulate(act, *shape, keep_weights=keep_weights)  # anything imported or cached once, first
    tracemalloc.start()
    try:
        simulate(act, *shape, keep_weights=keep_weights)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = simulation_bytes(*shape, keep_weights=keep_weights)
    assert peak <= estimate <= 1.5 * peak


def test_not_keeping_the_weights_saves_what_they_weigh():
    depth, width, batch = 100, 512, 8
    saved = simulation_bytes(depth, width, batch) - simulation_bytes(
        depth, width, batch, keep_weights=False
    )
    assert saved == 8 * (depth - 1) * width * width  # 99 matrices of 512² float64: 208 MB


def test_an_error_in_the_forward_pass_stops_the_helper(monkeypatch):
    draws_in_background(monkeypatch, True)
    calls = []

    def failing_fused(x):
        calls.append(1)
        if len(calls) == 3:
            raise FloatingPointError("simulated failure in layer 3")
        return np.tanh(x), 1.0 - np.tanh(x) ** 2

    act = dataclasses.replace(A.ACTIVATIONS["tanh"], fused=failing_fused)
    before = threading.active_count()
    with pytest.raises(FloatingPointError, match="layer 3"):
        simulate(act, 100, 64, 8, "xavier")
    assert threading.active_count() == before


@pytest.mark.parametrize("fail_at", [2, 5, 22])  # W_1, W_4, the upstream (depth 20)
def test_an_error_in_the_helper_reaches_the_caller(monkeypatch, recorded, fail_at):
    draws_in_background(monkeypatch, True)
    monkeypatch.setattr(
        np.random, "default_rng", lambda seed: RecordingGenerator(seed, fail_at=fail_at)
    )
    before = threading.active_count()
    with pytest.raises(MemoryError, match="simulated"):
        simulate("relu", 20, 32, 4, "he")
    assert threading.active_count() == before


def test_bad_arguments_leave_no_thread(monkeypatch):
    draws_in_background(monkeypatch, True)
    before = threading.active_count()
    with pytest.raises(ValueError, match="width"):
        simulate("relu", 50, 4096, 8, "he")
    assert threading.active_count() == before


@pytest.mark.parametrize(
    ("shape", "helped"),
    [
        ((50, 256, 256), True),  # the setting
        ((50, 256, 64), False),  # the page's default: the helper would cost 3 % more CPU time
        ((200, 64, 256), False),  # narrow layers: many hand-overs for little gain
        ((20, 768, 128), False),  # 4.5 MiB matrices: huge pages
        ((5, 16, 4), False),
    ],
)
def test_the_helper_draws_only_where_it_pays(recorded, shape, helped):
    simulate("relu", *shape)
    assert ("depth-weights" in recorded[-1].threads) == helped


# --- the physics ---------------------------------------------------------------------------------


def test_selu_with_lecun_keeps_activations_normalised():
    need("selu")
    with np.errstate(**STRICT):
        res = simulate("selu", 50, 256, 256, "lecun", seed=0)
    stds = res.activation_stds
    assert np.all((stds > 0.7) & (stds < 1.4)), stds
    assert np.all(np.abs(res.activation_means) < 0.2)


def test_selu_with_changed_lambda_drifts():
    need("selu")
    names = {p.name: p for p in A.ACTIVATIONS["selu"].params}
    if not names:
        pytest.skip("selu has no slider parameters")
    name, p = next(iter(names.items()))
    res_default = simulate("selu", 50, 256, 256, "lecun")
    res = simulate("selu", 50, 256, 256, "lecun", params={name: p.high})
    assert abs(math.log(res.activation_stds[-1])) > abs(math.log(res_default.activation_stds[-1]))


def test_relu_with_xavier_collapses_activations_and_gradients():
    # Mean field: the variance halves per layer, std × 2^(−1/2): 2^(−25) ≈ 3e−8 after 50 layers.
    with np.errstate(**STRICT):
        res = simulate("relu", 50, 256, 256, "xavier", seed=0)
    assert res.activation_stds[50] < 1e-5 * res.activation_stds[0]
    assert res.grad_stds[0] < 1e-5 * res.grad_stds[50]
    v = verdict(res)
    assert v.kind == "vanishing" and 0.6 < v.factor_per_layer < 0.8  # √½ ≈ 0.71
    # ‖∂L/∂W_l‖ = ‖h_{l−1}ᵀ δz_l‖ does not show it: both factors shrink, in opposite directions.
    assert 0.1 < v.weight_grad_ratio < 10


def test_relu_with_he_holds_activations_and_gradients():
    with np.errstate(**STRICT):
        res = simulate("relu", 50, 256, 256, "he", seed=0)
    stds = res.activation_stds
    assert stds.max() / stds.min() < 3.0, stds
    assert verdict(res).kind == "healthy"
    assert 1 / 3 < res.grad_stds[0] / res.grad_stds[50] < 3


def test_sigmoid_gradients_vanish_toward_the_input():
    # Backprop gain σ_w²·n·E[σ′²] ≤ 1/16 with Xavier: at least ×1/4 in std per layer.
    res = simulate("sigmoid", 20, 128, 64, "xavier", seed=0)
    assert res.grad_norms[0] < 1e-6 * res.grad_norms[-1]
    assert np.all(np.diff(res.grad_norms) > 0)
    assert verdict(res).kind == "vanishing"


def test_tanh_with_large_init_saturates_and_gradients_explode():
    # Measured first: with σ_w = 1 the units saturate (|tanh| ≈ 1, most |f′| < 1e−3), yet the
    # backward gain σ_w²·n·E[f′²] ≈ 256·0.04 ≫ 1: the gradient grows toward the input.
    need("tanh")
    with np.errstate(**STRICT):
        res = simulate("tanh", 30, 256, 128, "large", seed=0)
    assert np.all(res.activation_stds[1:] > 0.9)
    assert np.all(res.saturated_fraction > 0.5)
    v = verdict(res)
    assert v.kind == "exploding" and v.factor_per_layer > 1.5
    assert np.all(res.predicted_gain > 2.0)


def test_residual_connections_keep_gradients_from_vanishing():
    plain = simulate("sigmoid", 50, 128, 64, "xavier", seed=0)
    res = simulate("sigmoid", 50, 128, 64, "xavier", seed=0, residual=True)
    assert verdict(plain).kind == "vanishing"
    assert verdict(res).kind != "vanishing"
    assert res.grad_norms[0] > 1e-2 * res.grad_norms[-1]
    assert np.all(np.diff(res.grad_stds) <= 1e-12 * res.grad_stds[1:]) or res.grad_stds[0] >= 1.0


# Simulated / predicted std of ∂L/∂h_0 with residual connections, measured over seeds 0-19
# (batch 64): ReLU/He 50 × 256: 0.70-1.77 (median 1.06); GELU/He 50 × 256: 0.75-1.86;
# tanh/Xavier 50 × 256: 0.93-1.10; ReLU/He 20 × 128: 0.85-1.40. A factor 2.5 either way holds
# them all with room; with the branch h + f(hW) ReLU/He 50 × 256 was 850-1,540× off.
RESIDUAL_AGREEMENT = [
    ("relu", "he", 50, 256, 2.5),
    ("gelu", "he", 50, 256, 2.5),
    ("tanh", "xavier", 50, 256, 1.25),
    ("relu", "he", 20, 128, 1.6),
]


@pytest.mark.parametrize(("act", "init", "depth", "width", "factor"), RESIDUAL_AGREEMENT)
def test_residual_gradient_follows_the_mean_field_gain(act, init, depth, width, factor):
    """The dashed line of the residual network is 1 + χ per layer, and the simulation follows it
    (the page says so: what it says about the dashed line must be what it shows)."""
    for seed in (0, 1, 2):
        res = simulate(act, depth, width, 64, init, seed=seed, residual=True)
        gain = float(np.prod(1.0 + res.predicted_gain))
        assert res.predicted_grad_stds[0] == pytest.approx(math.sqrt(gain), rel=1e-9)
        ratio = res.grad_stds[0] / res.predicted_grad_stds[0]
        assert 1 / factor < ratio < factor, (act, seed, ratio)


def test_relu_he_residual_prediction_is_two_per_layer():
    """ReLU with He: χ = 1 at every layer, so the gradient's mean square doubles per layer and
    its size grows 2^(depth/2) (2²⁵ ≈ 3.4e7 at depth 50), which the simulation reaches."""
    res = simulate("relu", 50, 256, 64, "he", seed=0, residual=True)
    np.testing.assert_allclose(res.predicted_gain, 1.0, rtol=1e-9)
    assert res.predicted_grad_stds[0] == pytest.approx(2.0**25, rel=1e-9)
    assert 2.0**25 / 2.5 < res.grad_stds[0] < 2.0**25 * 2.5


def test_zero_init_makes_every_unit_identical():
    for act in ("sigmoid", "relu"):
        with np.errstate(**STRICT):
            res = simulate(act, 6, 32, 8, "zeros", seed=1)
        assert np.all(res.unit_spread[1:] == 0.0)
        assert res.unit_spread[0] > 0
        assert np.all(res.output == res.output[:, :1])  # all columns equal
        assert np.all(res.activation_stds[1:] == 0.0)
        assert np.all(res.grad_norms[:-1] == 0.0)  # only the top layer gets any gradient
        assert verdict(res).kind == "vanishing"
    assert simulate("sigmoid", 6, 32, 8, "zeros").output[0, 0] == 0.5


def test_dead_and_saturated_fractions():
    res = simulate("relu", 4, 64, 32, "he", seed=0)
    assert np.all((res.saturated_fraction > 0.4) & (res.saturated_fraction < 0.6))
    assert np.all(res.dead_fraction <= res.saturated_fraction)
    assert np.all(simulate("identity", 3, 8, 4).saturated_fraction == 0.0)


# --- mean field ----------------------------------------------------------------------------------


def test_critical_weight_std_known_values():
    assert math.isclose(critical_weight_std("relu", width=256), math.sqrt(2 / 256), rel_tol=1e-8)
    assert math.isclose(critical_weight_std("identity", width=100), 0.1, rel_tol=1e-8)
    s = critical_weight_std(need("tanh"), width=256, depth=200)
    assert 1.0 < s**2 * 256 < 1.3  # tends to Xavier (σ_w²n = 1) as depth grows
    with pytest.raises(ValueError):
        critical_weight_std(need("binary_step"))


def test_mean_field_agrees_with_a_wide_tanh_net_at_critical_init():
    act = need("tanh")
    s = critical_weight_std(act, width=512, depth=30)
    res = simulate(act, 30, 512, 256, weight_std=s, seed=0)
    assert np.all(np.abs(res.activation_stds / res.predicted_activation_stds - 1) < 0.2)
    assert np.all(np.abs(res.grad_norms / res.predicted_grad_norms - 1) < 0.2)
    assert np.all(np.abs(res.grad_stds / res.predicted_grad_stds - 1) < 0.2)


def test_mean_field_agrees_with_wide_relu_nets_on_average():
    # Measured: a single ReLU net of width 512 wanders ±30% from mean field within 10 layers
    # (each layer multiplies ‖h‖² by 1 ± √(5/n)); averaged over 4 seeds at depth 5 it holds.
    s = critical_weight_std("relu", width=512)
    runs = [simulate("relu", 5, 512, 256, weight_std=s, seed=k) for k in range(4)]
    for name in ("activation_stds", "grad_norms", "grad_stds"):
        ratio = np.mean([getattr(r, name) / getattr(r, "predicted_" + name) for r in runs], axis=0)
        assert np.all(np.abs(ratio - 1) < 0.2), (name, ratio)


def test_mean_field_sigmoid_vanishing_rate():
    res = simulate("sigmoid", 20, 256, 128, "xavier", seed=0)
    log_sim = np.log(res.grad_norms[0] / res.grad_norms[-1])
    log_pred = np.log(res.predicted_grad_norms[0] / res.predicted_grad_norms[-1])
    assert abs(log_sim / log_pred - 1) < 0.1


# --- overflow ------------------------------------------------------------------------------------


def test_overflow_is_detected_without_warnings():
    with np.errstate(**STRICT):
        res = simulate("identity", 200, 64, 8, "custom", weight_std=100.0, seed=0)
    assert res.overflowed and res.overflow_layer is not None
    k = res.overflow_layer
    assert 100 < k < 200  # std × 800 per layer: 1e308 after about 106 layers
    assert np.all(np.isfinite(res.activation_stds[:k]))
    assert np.all(np.isnan(res.activation_stds[k:]))
    assert np.all(np.isnan(res.grad_norms))
    v = verdict(res)
    assert v.kind == "exploding" and v.overflowed and v.overflow_layer == k
    assert f"layer {k}" in v.summary


def test_exponential_activation_overflows_cleanly():
    act = need("exponential")
    with np.errstate(**STRICT):
        res = simulate(act, 50, 64, 16, "he")
    assert res.overflowed and verdict(res).kind == "exploding"


def test_huge_but_finite_values_give_finite_statistics():
    with np.errstate(**STRICT):
        res = simulate("relu", 200, 256, 16, "large", seed=0)
    if not res.overflowed:
        assert np.all(np.isfinite(res.activation_stds)) and np.all(np.isfinite(res.grad_norms))
    assert verdict(res).kind == "exploding"


def test_every_activation_runs_without_warnings():
    for slug in A.ACTIVATIONS:
        with np.errstate(**STRICT):
            for init in ("zeros", "he", "large"):
                res = simulate(slug, 20, 16, 8, init, seed=0)
                verdict(res)
                assert np.all(np.isfinite(res.predicted_gain) | np.isnan(res.predicted_gain))


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"depth": 0}, "depth"),
        ({"depth": 201}, "depth"),
        ({"width": 1025}, "width"),
        ({"batch": 0}, "batch"),
        ({"depth": 2.5}, "depth"),
        ({"activation": "relux"}, "unknown activation"),
        ({"init": "glorot"}, "unknown init"),
        ({"init": "custom"}, "weight_std"),
        ({"weight_std": -0.1}, "weight_std"),
        ({"weight_std": math.nan}, "weight_std"),
        ({"activation": "elu", "params": {"alpha": 99.0}}, r"alpha.*\[0.0, 3.0\]"),
        ({"activation": "elu", "params": {"beta": 1.0}}, "beta"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, match):
    args = {"activation": "relu", "depth": 3, "width": 8, "batch": 4, "init": "he"} | kwargs
    with pytest.raises(ValueError, match=match):
        simulate(**args)


def test_accepts_an_activation_object():
    res = simulate(A.ACTIVATIONS["relu"], 3, 8, 4)
    assert res.activation == "relu"


# --- exactly 0 or underflow (issue #16) -----------------------------------------------------


def test_std_of_tiny_values_is_not_zero():
    """Entries below ~1e−162 square to 0: the std must be rescaled, not read as 0."""
    from activations.depth import _fro, _std

    x = np.array([[3e-170, -1e-170], [2e-170, 5e-171]])
    assert _std(x) == pytest.approx(float((x / 1e-170).std()) * 1e-170, rel=1e-12)
    assert _fro(x) == pytest.approx(float(np.linalg.norm(x / 1e-170)) * 1e-170, rel=1e-12)
    assert _std(np.zeros((2, 2))) == 0.0 and _fro(np.zeros((2, 2))) == 0.0


def test_a_gradient_that_underflows_is_reported_as_underflow():
    """Sigmoid, small init, 200 × 8: ∂L/∂h shrinks by ~0.007 per layer and underflows; it is a
    normal number until the layers just above (the std no longer reads 0 at 1e−162)."""
    res = simulate("sigmoid", 200, 8, 64, "small", seed=0)
    v = verdict(res)
    assert v.ratio == 0.0 and v.kind == "vanishing" and v.underflow
    assert res.grad_stds[v.zero_from] == 0.0
    assert np.all(res.grad_stds[: v.zero_from + 1] == 0.0)
    assert 0.0 < res.grad_stds[v.zero_from + 1] < 1e-290
    assert "underflows" in v.summary and "exactly 0" not in v.summary


def test_a_gradient_stopped_by_zero_weights_is_exactly_zero():
    v = verdict(simulate("relu", 10, 16, 4, "zeros", seed=0))
    assert v.ratio == 0.0 and not v.underflow and v.zero_from == 9
    assert "exactly 0 from layer 9 down" in v.summary


def test_relu_weight_gradient_shape_does_not_depend_on_the_weight_scale():
    """Why the page reads vanishing from ∂L/∂h, not from ‖∂L/∂W_l‖: ReLU 50 × 256 with
    σ_w = 0.01 has He's weight-gradient ratio (1.3) while ∂L/∂h reaches 1e−48 of its size."""
    small, he = (simulate("relu", 50, 256, 64, init, seed=0) for init in ("small", "he"))
    assert verdict(small).weight_grad_ratio == pytest.approx(verdict(he).weight_grad_ratio)
    np.testing.assert_allclose(
        small.grad_norms / small.grad_norms[-1], he.grad_norms / he.grad_norms[-1], rtol=1e-9
    )
    assert verdict(small).kind == "vanishing" and verdict(he).kind == "healthy"
