"""The 2016–2026 entries (issue #18) and hard_tanh's / softplus's new parameters.

The catalogue-wide tests in test_functions.py (derivatives, extremes, snippets run in torch)
already cover these entries; here: values against the papers' and Hugging Face's formulas
written independently with ``math``, the conventions at the kinks, the constraint between
parameters, and the numbers the notes state.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

import activations as A
from activations import properties
from tests.test_functions import _run_torch_snippet

NEW = ["quick_gelu", "lisht", "golu", "snake", "dyt", "laplace", "xielu", "srelu"]
X = [-30.0, -5.0, -1.3, -0.4, -1e-7, 0.0, 2e-7, 0.3, 1.0, 2.7, 8.0, 40.0]


def act(name: str) -> A.Activation:
    return A.ACTIVATIONS[name]


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _xielu_hf(x: float, ap: float = 0.8, an: float = 0.8, beta: float = 0.5, eps: float = -1e-6):
    """Hugging Face's XIELUActivation with its effective αp, αn (post-softplus)."""
    if x > 0:
        return ap * x * x + beta * x
    return (math.expm1(min(x, eps)) - x) * an + beta * x


REFERENCES = {
    "quick_gelu": (lambda x: x * _sig(1.702 * x), {}),
    "lisht": (lambda x: x * math.tanh(x), {}),
    "golu": (lambda x: x * math.exp(-math.exp(-x)), {}),
    "snake": (lambda x: x + math.sin(1.3 * x) ** 2 / 1.3, {"alpha": 1.3}),
    "dyt": (lambda x: math.tanh(0.5 * x), {}),
    "laplace": (
        # Hugging Face's rounded constants: the same function to 1e-6.
        lambda x: 0.5 * (1 + math.erf((x - 0.707107) / (0.282095 * math.sqrt(2)))),
        {},
    ),
    "xielu": (_xielu_hf, {}),
    "srelu": (
        lambda x: 1 + 0.1 * (x - 1) if x >= 1 else (-1 + 0.1 * (x + 1) if x <= -1 else x),
        {},
    ),
}


def test_the_issue_entries_with_their_parameter_names_and_defaults():
    expected = {
        "quick_gelu": {},
        "lisht": {},
        "golu": {},
        "snake": {"alpha": 1.0},
        "dyt": {"alpha": 0.5},
        "laplace": {"mu": math.sqrt(0.5), "sigma": math.sqrt(1 / (4 * math.pi))},
        "xielu": {"alpha_p": 0.8, "alpha_n": 0.8, "beta": 0.5, "eps": -1e-6},
        "srelu": {"t_left": -1.0, "a_left": 0.1, "t_right": 1.0, "a_right": 0.1},
        "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
        "softplus": {"beta": 1.0, "threshold": 0.0},
    }
    for name, defaults in expected.items():
        assert act(name).param_defaults() == pytest.approx(defaults, rel=1e-15), name


@pytest.mark.parametrize("name", NEW)
def test_values_match_the_published_formulas(name):
    reference, params = REFERENCES[name]
    got = act(name).forward(np.array(X), **params)
    want = np.array([reference(x) for x in X])
    tol = 2e-6 if name == "laplace" else 1e-13
    np.testing.assert_allclose(got, want, rtol=tol, atol=1e-300 if tol < 1e-6 else 1e-7)


def test_quick_gelu_is_swish_with_beta_1702_and_the_note_states_its_gap_to_gelu():
    np.testing.assert_array_equal(act("quick_gelu").forward(X), act("swish").forward(X, beta=1.702))
    grid = np.linspace(-10, 10, 200_001)
    gap = np.abs(act("quick_gelu").forward(grid) - act("gelu").forward(grid)).max()
    assert round(gap, 2) == 0.02 and "0.02" in act("quick_gelu").note


def test_lisht_is_even_and_never_negative():
    x = np.linspace(0, 20, 201)
    f = act("lisht").forward(x)
    np.testing.assert_array_equal(f, act("lisht").forward(-x))
    assert f.min() == 0.0
    assert props_of("lisht").output_range == (0.0, math.inf)
    # The note: its slope is negative for every x < 0.
    assert np.all(act("lisht").derivative(-np.geomspace(1e-300, 1e6, 400)) < 0)
    assert "slope is negative for every x < 0" in act("lisht").note


def props_of(name: str, **params: float) -> A.Properties:
    return properties(act(name), **params)


def test_golu_keeps_its_tails():
    golu = act("golu")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert golu.forward(-800.0) == 0.0 and golu.derivative(-800.0) == 0.0
        assert golu.forward(1e6) == 1e6 and golu.derivative(1e6) == 1.0
    # f′ = e^{−e^{−x}}(1 + x e^{−x}) at x = −3, where the gate is tiny but not 0.
    x = -3.0
    assert golu.derivative(x) == pytest.approx(
        math.exp(-math.exp(-x)) * (1 + x * math.exp(-x)), rel=1e-13
    )


def test_golu_gate_is_asymmetric_as_the_note_says():
    """The gate flattens fast on the left, approaches 1 slowly on the right: at ±3 it is
    e^{−e³} ≈ 2e-9 away from 0 but 1 − e^{−e^{−3}} ≈ 0.049 away from 1."""
    gate = act("golu").forward(np.array([-3.0, 3.0])) / np.array([-3.0, 3.0])
    assert gate[0] < 1e-8 and 1 - gate[1] > 0.04
    assert "asymmetric" in act("golu").note


def test_snake_is_monotonic_and_tends_to_the_identity():
    assert props_of("snake").monotonic and props_of("snake", alpha=3.0).monotonic
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(act("snake").forward(x, alpha=0.0), x)
    np.testing.assert_array_equal(act("snake").derivative(x, alpha=0.0), 1.0)
    assert np.abs(act("snake").forward(x, alpha=1e-6) - x).max() < 1e-4
    assert "identity" in act("snake").note and "monotonic" in act("snake").note


def test_dyt_is_tanh_of_alpha_x():
    x = np.linspace(-10, 10, 201)
    np.testing.assert_allclose(act("dyt").forward(x, alpha=2.0), np.tanh(2 * x), rtol=1e-15)
    assert act("dyt").derivative(0.0) == 0.5  # α at the origin
    assert "γ" in act("dyt").note and "β" in act("dyt").note


def test_laplace_note_numbers():
    p = props_of("laplace")
    assert p.max_abs_derivative == pytest.approx(math.sqrt(2), rel=1e-9)
    assert p.output_range == pytest.approx((0.0, 1.0), abs=1e-12)
    assert p.saturates_left and p.saturates_right
    assert "√2" in act("laplace").note


def test_xielu_slopes_and_its_eps_interval():
    xielu = act("xielu")
    beta, an = 0.5, 0.8
    assert xielu.kink_points() == (-1e-6, 0.0)
    # f′ on [ε, 0] is β − αn, ends included; just below ε it is ≈ β; above 0 it is β.
    assert xielu.derivative(-1e-6) == pytest.approx(beta - an, rel=1e-15)
    assert xielu.derivative(-5e-7) == pytest.approx(beta - an, rel=1e-15)
    assert xielu.derivative(0.0) == pytest.approx(beta - an, rel=1e-15)
    assert xielu.derivative(-2e-6) == pytest.approx(an * math.expm1(-2e-6) + beta, rel=1e-12)
    assert xielu.derivative(1e-9) == pytest.approx(beta, rel=1e-8)
    # f itself drops by αn·expm1(ε) ≈ −8e-7 at 0: too small for the charts to call it a jump.
    (at_eps, at_zero) = xielu.kink_limits()
    assert at_zero.f.at == pytest.approx(an * math.expm1(-1e-6), rel=1e-9)
    assert at_zero.f.right == pytest.approx(0.0, abs=1e-6)
    assert at_zero.df.jumps and at_eps.df.jumps and not at_zero.f.jumps
    assert f"{an * -math.expm1(-1e-6):.0e}" == "8e-07" and "8e-7 at the defaults" in xielu.kink
    # With ε = −0.5 that jump is 0.8·(1 − e^−0.5) ≈ 0.31: drawn, and f is not continuous.
    (_, k0) = xielu.kink_limits(eps=-0.5)
    assert k0.f.jumps and k0.f.at == pytest.approx(an * math.expm1(-0.5), rel=1e-12)
    assert not props_of("xielu", eps=-0.5).continuous
    # A visible ε: f′ jumps from αn e^ε − αn + β to β − αn at ε.
    (k, _) = xielu.kink_limits(eps=-0.5)
    assert k.df.left == pytest.approx(an * math.exp(-0.5) - an + beta, rel=1e-6)
    assert k.df.right == pytest.approx(beta - an, rel=1e-12)


def test_srelu_kinks_and_its_special_cases():
    srelu = act("srelu")
    assert srelu.kink_points() == (-1.0, 1.0)
    assert srelu.derivative(1.0) == 0.1 and srelu.derivative(-1.0) == 0.1
    assert srelu.derivative(0.999) == 1.0
    x = np.linspace(-6, 6, 121)
    np.testing.assert_array_equal(srelu.forward(x, a_left=1.0, a_right=1.0), x)
    assert srelu.kink_points(a_left=1.0, a_right=1.0) == ()
    # The note: S-shaped with small outer slopes, convex with aₗ ≤ 1 ≤ aᵣ.
    f = srelu.forward(x)
    assert f.max() < x.max() and f.min() > x.min() and props_of("srelu").monotonic
    assert np.all(np.diff(srelu.forward(x, a_left=0.5, a_right=2.0), 2) >= -1e-12)
    assert "S-shaped" in srelu.note and "convex" in srelu.note
    # t_left = t_right: one kink, the right slope at it.
    assert srelu.kink_points(t_left=0.5, t_right=0.5) == (0.5,)
    assert srelu.derivative(0.5, t_left=0.5, t_right=0.5, a_right=0.3) == 0.3


# --- constraints between parameters -----------------------------------------------------------


def test_hard_tanh_refuses_min_val_at_or_above_max_val_as_torch_does():
    torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    ht = act("hard_tanh")
    assert (
        ht.refusal({"min_val": 2.0, "max_val": 1.0})
        == "min_val = 2 must be smaller than max_val = 1"
    )
    assert ht.refusal({"min_val": 1.0, "max_val": 1.0}) is not None
    assert ht.refusal({"min_val": 0.0, "max_val": 6.0}) is None
    with pytest.raises(ValueError, match="min_val = 2 must be smaller than max_val = 1"):
        ht.forward(0.0, min_val=2.0, max_val=1.0)
    for lo, hi in ((2.0, 1.0), (1.0, 1.0)):
        with pytest.raises(AssertionError, match="must be greater than min_val"):
            torch.nn.Hardtanh(min_val=lo, max_val=hi)
    with pytest.raises(ValueError):
        A.properties(ht, min_val=3.0)
    x = np.linspace(-8, 8, 161)
    np.testing.assert_array_equal(ht.forward(x, min_val=0.0, max_val=6.0), act("relu6").forward(x))
    np.testing.assert_array_equal(ht.kink_points(min_val=-2.0, max_val=0.5), (-2.0, 0.5))


def test_srelu_thresholds_may_meet_but_not_cross():
    srelu = act("srelu")
    assert srelu.refusal({"t_left": 0.5, "t_right": 0.5}) is None
    assert "t_left = 1 must be at most t_right = 0" in srelu.refusal(
        {"t_left": 1.0, "t_right": 0.0}
    )


def test_refusal_names_unknown_parameters_like_resolve():
    with pytest.raises(TypeError):
        act("hard_tanh").refusal({"lower": 1.0})


# --- softplus's threshold -------------------------------------------------------------------------


def test_softplus_threshold_is_off_by_default_and_pytorchs_when_set():
    sp = act("softplus")
    x = np.array([-3.0, 0.0, 19.0, 20.0, 20.5, 25.0])
    exact = np.logaddexp(0.0, x)
    np.testing.assert_allclose(sp.forward(x), exact, rtol=1e-15)  # threshold 0: off
    at20 = sp.forward(x, threshold=20.0)
    np.testing.assert_array_equal(at20[-2:], x[-2:])  # x itself where βx > 20
    np.testing.assert_allclose(at20[:4], exact[:4], rtol=1e-15)  # at 20 itself: softplus
    assert sp.derivative(20.5, threshold=20.0) == 1.0
    assert sp.derivative(20.0, threshold=20.0) == pytest.approx(_sig(20.0), rel=1e-15)
    assert sp.kink_points(threshold=10.0, beta=2.0) == (5.0,)
    assert sp.kink_points() == ()


def test_softplus_threshold_jump_is_the_one_the_note_states_and_charts_draw():
    sp = act("softplus")
    (k,) = sp.kink_limits(threshold=20.0)
    # At 20 f is still softplus(20); just after it is x itself, which tends to 20.
    jump = k.f.at - k.x
    assert jump == pytest.approx(math.log1p(math.exp(-20.0)), rel=1e-6)
    assert k.f.right == pytest.approx(k.x, abs=1e-5)
    stated = f"{math.log1p(math.exp(-20.0)):.1e}".replace("e-09", "e-9")
    assert f"≈ {stated}/β" in sp.note
    # A visible one at a small threshold: the charts break the line there.
    (k1,) = sp.kink_limits(threshold=1.0)
    assert k1.f.jumps and k1.f.left - k1.f.right == pytest.approx(math.log1p(math.exp(-1.0)))


def test_softplus_snippets_follow_the_threshold():
    sp = act("softplus")
    assert sp.snippet("pytorch") == "torch.nn.Softplus(beta=1)"
    assert sp.snippet("pytorch", threshold=20.0) == "torch.nn.Softplus(beta=1, threshold=20)"
    keras = sp.snippet("keras", threshold=20.0)
    assert keras.startswith("#") and "keras.ops.where(1 * x > 20, x," in keras
    assert sp.snippet("jax") == "jax.nn.softplus"
    assert sp.snippet("jax", beta=2.0).startswith("#")


# --- the PyTorch snippets' autograd at the special points -------------------------------------


SPECIAL = [
    ("srelu", {}),
    ("srelu", {"t_left": -0.5, "a_left": 0.3, "t_right": 2.0, "a_right": 1.7}),
    ("srelu", {"t_left": 0.5, "t_right": 0.5, "a_right": 0.3}),
    ("xielu", {}),
    ("xielu", {"eps": -0.5}),
    ("xielu", {"eps": 0.0}),
    ("snake", {"alpha": 0.0}),
    ("hard_tanh", {"min_val": 0.0, "max_val": 6.0}),
    ("softplus", {"threshold": 3.0, "beta": 2.0}),
]


@pytest.mark.parametrize(("name", "params"), SPECIAL)
def test_torch_autograd_gives_our_derivative_at_the_kinks(name, params, tmp_path):
    """Built-in or a few lines of torch: autograd at each kink (and just beside it) gives the
    app's f′ there, so the convention the chart's filled dot shows is the one torch computes."""
    torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    a = act(name)
    fn, _ = _run_torch_snippet(a.snippet("pytorch", **params), tmp_path)
    kinks = np.array(a.kink_points(**params))
    x = np.concatenate([kinks, kinks - 1e-3, kinks + 1e-3, [-2.0, 0.25, 3.0]])
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(xt)
    y.backward(torch.ones_like(y))
    np.testing.assert_allclose(y.detach().numpy(), a.forward(x, **params), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(xt.grad.numpy(), a.derivative(x, **params), rtol=1e-12, atol=1e-15)


def test_xielu_matches_hugging_faces_torch_code_off_the_tie():
    """HF's forward (torch.min(x, eps), trainable weights through softplus) against ours; at
    x = ε exactly torch.min's backward splits the gradient, hence points off it."""
    torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    sp = torch.nn.functional.softplus
    w_p = torch.log(torch.expm1(torch.tensor(0.8, dtype=torch.float64)))
    w_n = torch.log(torch.expm1(torch.tensor(0.8 - 0.5, dtype=torch.float64)))
    beta, eps = torch.tensor(0.5, dtype=torch.float64), torch.tensor(-1e-6, dtype=torch.float64)
    x = np.array([-6.0, -1.0, -2e-6, -5e-7, 0.0, 1e-3, 2.5])
    xt = torch.tensor(x, requires_grad=True)
    alpha_p, alpha_n = sp(w_p), beta + sp(w_n)
    y = torch.where(
        xt > 0,
        alpha_p * xt * xt + beta * xt,
        (torch.expm1(torch.min(xt, eps)) - xt) * alpha_n + beta * xt,
    )
    y.backward(torch.ones_like(y))
    np.testing.assert_allclose(y.detach().numpy(), act("xielu").forward(x), rtol=1e-12)
    np.testing.assert_allclose(xt.grad.numpy(), act("xielu").derivative(x), rtol=1e-12)


def test_new_entries_name_their_source_in_the_note():
    sources = {
        "quick_gelu": "CLIP",
        "lisht": "2019",
        "golu": "2025",
        "snake": "BigVGAN",
        "dyt": "2025",
        "laplace": "MEGA",
        "xielu": "XIELUActivation",
        "srelu": "2016",
    }
    for name, source in sources.items():
        assert source in act(name).note, name
        assert re.search(r"\S", act(name).kink)


def test_the_readme_states_the_catalogue_size():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert f"the catalogue's {len(A.ACTIVATIONS)} activations" in readme
