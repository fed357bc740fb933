"""The activation catalogue: derivatives, kinks, tails, identities, metadata and snippets.

Every parametrized test runs over the whole registry, so a new entry is covered by adding it.
References are computed independently (``math`` on single values, closed forms, asymptotics),
never copied from the implementation.
"""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import activations as A
from activations.functions import Activation

NAMES = list(A.ACTIVATIONS)
EPS = np.finfo(np.float64).eps
RAISE = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


def act(name: str) -> Activation:
    return A.ACTIVATIONS[name]


def ordered(a: Activation, params: dict[str, float]) -> dict[str, float]:
    """Independently drawn parameters, put in the order the entry requires (a.orders): the
    smaller of min_val and max_val becomes min_val. Equal values may still be refused."""
    params = dict(params)
    for o in a.orders:
        if params[o.low] > params[o.high]:
            params[o.low], params[o.high] = params[o.high], params[o.low]
    return params


def random_params(a: Activation, rng: np.random.Generator) -> dict[str, float]:
    return ordered(a, {p.name: float(rng.uniform(p.low, p.high)) for p in a.params})


def param_sets(a: Activation, n_random: int = 3, seed: int = 0) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed + sum(map(ord, a.name)))
    return [a.param_defaults()] + [random_params(a, rng) for _ in range(n_random)]


def rel_err(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-300)


def ridders(f, x: np.ndarray, h0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Central differences extrapolated to h → 0 (Ridders), vectorised: estimate and its error.

    Steps shrink by 1.4 from h0; each column of the Neville tableau removes the next even power
    of h. An element stops improving once its error estimate grows (rounding has taken over).
    """
    shrink, ntab = 1.4, 10
    tableau = np.empty((ntab, ntab, *x.shape))
    h = h0.copy()

    def central(h):
        step = (x + h) - x  # a step that is exactly representable
        return (f(x + step) - f(x - step)) / (2.0 * step)

    tableau[0, 0] = central(h)
    best, err = tableau[0, 0].copy(), np.full(x.shape, np.inf)
    active = np.ones(x.shape, dtype=bool)
    for i in range(1, ntab):
        h = h / shrink
        tableau[0, i] = central(h)
        fac = shrink**2
        for j in range(1, i + 1):
            tableau[j, i] = (tableau[j - 1, i] * fac - tableau[j - 1, i - 1]) / (fac - 1.0)
            fac *= shrink**2
            errt = np.maximum(
                np.abs(tableau[j, i] - tableau[j - 1, i]),
                np.abs(tableau[j, i] - tableau[j - 1, i - 1]),
            )
            better = active & (errt <= err)
            best = np.where(better, tableau[j, i], best)
            err = np.where(better, errt, err)
        active &= np.abs(tableau[i, i] - tableau[i - 1, i - 1]) < 2.0 * err
    return best, err


# Where the pieces of a C¹ piecewise definition meet (read off the formulas' cases): f′ is
# continuous there, so they are not kinks, but f″ jumps, which spoils Richardson extrapolation.
C1_JOINS = {
    "relu_squared": (0.0,),
    "elu": (0.0,),
    "selu": (0.0,),
    "celu": (0.0,),
    "isrlu": (0.0,),
    "sparse_plus": (-1.0, 1.0),
    "softsign": (0.0,),
}


def breakpoints(a: Activation, params: dict[str, float]) -> np.ndarray:
    return np.array([*a.kink_points(**params), *C1_JOINS.get(a.name, ())])


def fd_points(a: Activation, params: dict[str, float], rng: np.random.Generator) -> np.ndarray:
    fixed = np.concatenate(
        [np.linspace(-30, 30, 121), [-1e-3, 1e-3, 0.0999, 0.1001, -0.0999, 0.05, -2.5, 2.5]]
    )
    x = np.concatenate([fixed, rng.uniform(-30, 30, 60)])
    breaks = breakpoints(a, params)
    if breaks.size:
        distance = np.min(np.abs(x[:, None] - breaks[None, :]), axis=1)
        x = x[distance > 1e-3]
    return x


# --- derivatives ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    a = act(name)
    rng = np.random.default_rng(7)
    for params in param_sets(a):
        x = fd_points(a, params, rng)
        breaks = breakpoints(a, params)
        # Steps on the scale the function changes on: e^{−x²} at x = 27 varies over 1/54.
        f, df = a.forward(x, **params), a.derivative(x, **params)
        scale = np.abs(f) / np.maximum(np.abs(df), 1e-300)
        room = np.clip(0.2 * scale, 1e-6 * (1 + np.abs(x)), 0.1)
        if breaks.size:
            room = np.minimum(room, np.min(np.abs(x[:, None] - breaks[None, :]), axis=1) / 2.5)
        numeric, _ = ridders(lambda z, p=params: a.forward(z, **p), x, room)
        analytic = a.derivative(x, **params)
        # A difference quotient cannot resolve slopes below about eps·|f|/h: where f ≈ 1 and
        # f′ ≈ 1e−13 (sigmoid at 30) the tails are checked against closed forms instead.
        f_max = np.maximum.reduce([np.abs(a.forward(x + s * room, **params)) for s in (-1, 0, 1)])
        noise_floor = 1e-9 * f_max + 1e-300  # (and subnormal results have fewer digits)
        tolerance = 1e-9 * (np.abs(analytic) + np.abs(numeric)) + noise_floor
        bad = np.abs(analytic - numeric) > tolerance
        assert not bad.any(), (
            f"{name} {params}: x={x[bad][:5]}, analytic={analytic[bad][:5]}, "
            f"numeric={numeric[bad][:5]}, rel={rel_err(analytic[bad], numeric[bad])[:5]}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_derivative_at_a_kink_is_one_of_the_one_sided_slopes(name):
    a = act(name)
    for params in param_sets(a):
        for k in a.kink_points(**params):
            delta = 1e-9 * max(1.0, abs(k))
            at = float(a.derivative(k, **params))
            left = float(a.derivative(k - delta, **params))
            right = float(a.derivative(k + delta, **params))
            assert min(abs(at - left), abs(at - right)) <= 1e-6 * (1 + abs(at)), (k, params)


KINK_CONVENTIONS = [
    # (name, params, x, f′(x)) — the PyTorch/JAX conventions the notes state.
    ("relu", {}, 0.0, 0.0),
    ("binary_step", {}, 0.0, 0.0),
    ("leaky_relu", {}, 0.0, 0.01),
    ("leaky_relu", {"slope": 0.2}, 0.0, 0.2),
    ("prelu", {}, 0.0, 0.25),
    ("rrelu", {"lower": 0.1, "upper": 0.3}, 0.0, 0.2),
    ("threshold", {"threshold": 1.0, "value": 0.5}, 1.0, 0.0),
    ("maxout", {}, 0.0, 0.0),
    ("maxout", {"w1": 0.01}, 0.0, 0.01),
    ("elu", {"alpha": 2.0}, 0.0, 2.0),
    ("selu", {}, 0.0, 1.0507009873554805 * 1.6732632423543772),
    ("squareplus", {"b": 0.0}, 0.0, 0.0),
    ("relu6", {}, 0.0, 0.0),
    ("relu6", {}, 6.0, 0.0),
    ("hard_tanh", {}, -1.0, 0.0),
    ("hard_tanh", {}, 1.0, 0.0),
    ("hard_sigmoid", {}, -3.0, 0.0),
    ("hard_sigmoid", {}, 3.0, 0.0),
    ("hard_swish", {}, -3.0, 0.0),
    ("hard_swish", {}, 3.0, 1.0),
    ("sparse_sigmoid", {}, 1.0, 0.0),
    ("soft_shrink", {}, 0.5, 0.0),
    ("soft_shrink", {}, -0.5, 0.0),
    ("hard_shrink", {"lam": 1.0}, 1.0, 0.0),
]


@pytest.mark.parametrize(("name", "params", "x", "expected"), KINK_CONVENTIONS)
def test_kink_conventions(name, params, x, expected):
    assert act(name).derivative(x, **params) == pytest.approx(expected, rel=1e-15, abs=1e-300)


def test_elu_has_a_kink_unless_alpha_is_one():
    assert act("elu").kink_points(alpha=1.0) == ()
    assert act("elu").kink_points(alpha=0.5) == (0.0,)
    assert act("celu").kink_points(alpha=0.5) == ()


# --- numerics: dtype, shape, extremes, tails ------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3)])
def test_shape_and_dtype(name, shape):
    a = act(name)
    x = np.linspace(-2, 2, int(np.prod(shape))).reshape(shape).astype(np.float32)
    for out in (a.forward(x), a.derivative(x)):
        assert out.shape == shape
        assert out.dtype == np.float64
    assert np.shape(a.forward(0.5)) == ()
    assert np.shape(a.derivative(0.5)) == ()


EXTREMES = np.array(
    [-1e6, -1e5, -1e3, -745.0, -710.0, -709.0, -89.0, -40.0, -20.0, -1.0, -1e-300, -5e-324, 0.0]
)
EXTREMES = np.concatenate([EXTREMES, -EXTREMES[::-1]])


@pytest.mark.parametrize("name", NAMES)
def test_extremes_are_finite_and_warning_free(name):
    a = act(name)
    for params in param_sets(a, n_random=5):
        with np.errstate(**RAISE):
            f = a.forward(EXTREMES, **params)
            df = a.derivative(EXTREMES, **params)
        assert np.all(np.isfinite(f)), (params, EXTREMES[~np.isfinite(f)])
        assert np.all(np.isfinite(df)), (params, EXTREMES[~np.isfinite(df)])


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_random_inputs_and_params_never_give_nan_inf_or_warnings(name, data):
    a = act(name)
    x = np.array(
        data.draw(st.lists(st.floats(-1e6, 1e6, allow_subnormal=True), min_size=1, max_size=16))
    )
    params = ordered(a, {p.name: data.draw(st.floats(p.low, p.high)) for p in a.params})
    assume(a.refusal(params) is None)  # hard_tanh's min_val = max_val
    with np.errstate(**RAISE):
        f = a.forward(x, **params)
        df = a.derivative(x, **params)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))
    assert f.shape == x.shape == df.shape


def _sigmoid_ref(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _mish_grad_ref(x: float) -> float:
    sp = math.log1p(math.exp(-abs(x))) + max(x, 0.0)
    return math.tanh(sp) + x * _sigmoid_ref(x) / math.cosh(sp) ** 2


def _gelu_tanh_ref(x: float) -> float:
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    return x / (1 + math.exp(-2 * u))  # (1 + tanh u)/2 = 1/(1 + e^{−2u}), no cancellation


TAILS = [
    # (name, params, x, which, reference): values where naive formulas lose every digit.
    ("sigmoid", {}, -40.0, "f", math.exp(-40) / (1 + math.exp(-40))),
    ("sigmoid", {}, 700.0, "df", math.exp(-700) / (1 + math.exp(-700)) ** 2),
    ("sigmoid", {}, -700.0, "df", math.exp(-700) / (1 + math.exp(-700)) ** 2),
    ("tanh", {}, 20.0, "df", 1 / math.cosh(20.0) ** 2),
    ("tanh", {}, -300.0, "df", 1 / math.cosh(300.0) ** 2),
    ("softplus", {}, 89.0, "f", 89.0 + math.log1p(math.exp(-89))),
    ("softplus", {}, -40.0, "f", math.log1p(math.exp(-40))),
    ("softplus", {"beta": 10.0}, -5.0, "f", math.log1p(math.exp(-50)) / 10),
    ("log_sigmoid", {}, 40.0, "f", -math.log1p(math.exp(-40))),
    ("log_sigmoid", {}, -800.0, "f", -800.0),
    ("log_sigmoid", {}, 800.0, "df", 0.0),
    ("gelu", {}, -10.0, "f", -10.0 * 0.5 * math.erfc(10 / math.sqrt(2))),
    (
        "gelu",
        {},
        -10.0,
        "df",
        0.5 * math.erfc(10 / math.sqrt(2)) - 10 * math.exp(-50) / 2.5066282746310002,
    ),
    ("gelu_tanh", {}, -10.0, "f", _gelu_tanh_ref(-10.0)),
    ("swish", {}, -40.0, "f", -40.0 * math.exp(-40) / (1 + math.exp(-40))),
    ("mish", {}, -40.0, "df", _mish_grad_ref(-40.0)),
    ("mish", {}, 40.0, "df", _mish_grad_ref(40.0)),
    ("mish", {}, -3.0, "df", _mish_grad_ref(-3.0)),
    ("mish", {}, 30.0, "f", 30.0 * math.tanh(30.0 + math.log1p(math.exp(-30)))),
    ("elu", {}, -1e-10, "f", -1e-10 + 5e-21),
    ("celu", {"alpha": 0.5}, -1e-10, "f", -1e-10 + 1e-20),
    ("squareplus", {}, -1e6, "f", 1e-6 * (1 - 1e-12)),  # b/(4|x|)·(1 − b/(4x²) + …)
    ("squareplus", {}, -1e6, "df", 4 / (2 * 1e6 * 2e6)),  # b/(2r(r + |x|)) ≈ b/(4x²)
    ("tanh_shrink", {}, 1e-3, "f", 1e-9 / 3 - 2e-15 / 15),
    ("tanh_shrink", {}, -0.05, "f", -(0.05**3) / 3 + 2 * 0.05**5 / 15 - 17 * 0.05**7 / 315),
    ("bent_identity", {}, 1e-9, "f", 1e-9 + 1e-18 / 4),
    ("sinc", {}, 1e-4, "df", -1e-4 / 3 + 1e-12 / 30),
    ("sinc", {}, 0.0, "f", 1.0),
    ("exponential", {}, 1e6, "f", np.finfo(np.float64).max * math.exp(709.78 - 709.782712893384)),
    ("gaussian", {}, 26.0, "df", -52.0 * math.exp(-676.0)),
]


@pytest.mark.parametrize(("name", "params", "x", "which", "reference"), TAILS)
def test_tails_keep_their_digits(name, params, x, which, reference):
    a = act(name)
    with np.errstate(**RAISE):
        got = (a.forward if which == "f" else a.derivative)(x, **params)
    assert float(got) == pytest.approx(reference, rel=1e-6, abs=0.0 if reference else 1e-300)


# --- identities the notes teach -------------------------------------------------------------------

X = np.concatenate([np.linspace(-30, 30, 601), [0.0, -1e-8, 1e-8]])


def test_sigmoid_slope_is_at_most_a_quarter_and_a_quarter_at_zero():
    d = act("sigmoid").derivative(X)
    assert d.max() <= 0.25
    assert act("sigmoid").derivative(0.0) == 0.25
    assert np.all(act("sigmoid").derivative([5.01, -5.01]) < 0.007)


def test_softplus_derivative_is_the_sigmoid():
    np.testing.assert_allclose(
        act("softplus").derivative(X), act("sigmoid").forward(X), rtol=1e-14, atol=0
    )
    np.testing.assert_allclose(
        act("softplus").derivative(X, beta=3.0), act("sigmoid").forward(3.0 * X), rtol=1e-14
    )


def test_softplus_minus_relu_is_in_zero_log2():
    gap = act("softplus").forward(X) - act("relu").forward(X)
    assert np.all(gap > 0)
    assert np.all(gap <= math.log(2))
    assert act("softplus").forward(0.0) == pytest.approx(math.log(2), rel=1e-15)


def test_tanh_is_a_rescaled_sigmoid():
    np.testing.assert_allclose(
        act("tanh").forward(X), 2 * act("sigmoid").forward(2 * X) - 1, rtol=1e-12, atol=1e-15
    )


def test_tanh_slope_is_at_most_one():
    assert act("tanh").derivative(X).max() == 1.0


def test_prelu_generalises_relu_and_leaky_relu():
    for fn in ("forward", "derivative"):
        prelu, leaky, relu = (getattr(act(n), fn) for n in ("prelu", "leaky_relu", "relu"))
        np.testing.assert_array_equal(prelu(X, alpha=0.01), leaky(X, slope=0.01))
        np.testing.assert_array_equal(prelu(X, alpha=0.0), relu(X))


def test_maxout_defaults_are_relu_and_w1_001_is_leaky_relu():
    for fn in ("forward", "derivative"):
        maxout, leaky, relu = (getattr(act(n), fn) for n in ("maxout", "leaky_relu", "relu"))
        np.testing.assert_array_equal(maxout(X), relu(X))
        np.testing.assert_array_equal(maxout(X, w1=0.01), leaky(X, slope=0.01))


def test_maxout_is_convex():
    grid = np.linspace(-30, 30, 601)
    for params in param_sets(act("maxout"), n_random=10):
        f = act("maxout").forward(grid, **params)
        assert np.all(np.diff(f, 2) >= -1e-12), params


def test_swish_beta_one_is_x_sigmoid_and_beta_zero_is_half_x():
    reference = np.array([x * _sigmoid_ref(x) for x in X])
    np.testing.assert_allclose(act("swish").forward(X), reference, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(act("swish").forward(X, beta=0.0), X / 2, rtol=1e-15)


def test_swish_tends_to_relu_for_large_beta():
    gap = np.abs(act("swish").forward(X, beta=10.0) - act("relu").forward(X))
    assert gap.max() < 0.03  # max over x of |x|σ(−β|x|) = 0.278/β


def test_relu_is_positively_homogeneous():
    for a in (0.0, 0.5, 3.0):
        np.testing.assert_array_equal(act("relu").forward(a * X), a * act("relu").forward(X))


def test_elu_family_relations():
    elu, celu, selu = act("elu"), act("celu"), act("selu")
    np.testing.assert_allclose(celu.forward(X, alpha=1.0), elu.forward(X, alpha=1.0), rtol=1e-15)
    np.testing.assert_allclose(
        selu.forward(X, alpha=1.3, lam=1.2), 1.2 * elu.forward(X, alpha=1.3), rtol=1e-15
    )
    assert elu.forward(-50.0, alpha=2.0) == pytest.approx(-2.0)
    # f′ = f + α for x ≤ 0, as the formula says.
    neg = np.linspace(-5, 0, 51)
    np.testing.assert_allclose(
        elu.derivative(neg, alpha=1.7), elu.forward(neg, alpha=1.7) + 1.7, rtol=1e-12
    )


def test_gelu_tanh_is_within_5e_4_of_gelu():
    grid = np.linspace(-10, 10, 20001)
    gap = np.abs(act("gelu").forward(grid) - act("gelu_tanh").forward(grid))
    assert gap.max() < 5e-4


def test_hard_functions_are_built_from_relu6():
    relu6 = act("relu6").forward
    np.testing.assert_allclose(act("hard_sigmoid").forward(X), relu6(X + 3) / 6, rtol=1e-14)
    np.testing.assert_allclose(act("hard_swish").forward(X), X * relu6(X + 3) / 6, rtol=1e-14)
    np.testing.assert_array_equal(act("hard_tanh").forward(X), np.clip(X, -1, 1))


def test_sparse_plus_derivative_is_sparse_sigmoid():
    np.testing.assert_array_equal(
        act("sparse_plus").derivative(X), act("sparse_sigmoid").forward(X)
    )


def test_log_sigmoid_is_minus_softplus_of_minus_x():
    np.testing.assert_allclose(
        act("log_sigmoid").forward(X), -act("softplus").forward(-X), rtol=1e-15
    )


def test_special_parameter_values():
    np.testing.assert_array_equal(act("squareplus").forward(X, b=0.0), act("relu").forward(X))
    np.testing.assert_array_equal(act("threshold").forward(X), act("relu").forward(X))
    np.testing.assert_allclose(act("isru").forward(X, alpha=0.0), X)
    np.testing.assert_array_equal(
        act("rrelu").forward(X, lower=0.1, upper=0.3), act("leaky_relu").forward(X, slope=0.2)
    )
    assert act("squareplus").forward(0.0) == 1.0
    np.testing.assert_array_equal(act("binary_step").derivative(X), 0.0)


def test_forward_and_derivative_reject_unknown_parameters():
    with pytest.raises(TypeError, match="alpha"):
        act("relu").forward(1.0, alpha=1.0)
    with pytest.raises(TypeError, match="slope"):
        act("leaky_relu").derivative(1.0, negative_slope=0.1)
    for a in A.ACTIVATIONS.values():
        with pytest.raises(TypeError):
            a.forward(0.0, not_a_parameter=1.0)
        with pytest.raises(TypeError):
            a.derivative(0.0, not_a_parameter=1.0)


# --- metadata -------------------------------------------------------------------------------------

# The issue's list: slug → parameter defaults (the frameworks' defaults).
REQUIRED = {
    "identity": {},
    "binary_step": {},
    "sigmoid": {},
    "tanh": {},
    "relu": {},
    "leaky_relu": {"slope": 0.01},
    "prelu": {"alpha": 0.25},
    "elu": {"alpha": 1.0},
    "selu": {"alpha": 1.6732632423543772, "lam": 1.0507009873554805},
    "celu": {"alpha": 1.0},
    "swish": {"beta": 1.0},
    "soft_shrink": {"lam": 0.5},
    "squareplus": {"b": 4.0},
    "gelu": {},
    "gelu_tanh": {},
    "softplus": {"beta": 1.0, "threshold": 0.0},
    "mish": {},
    "relu6": {},
    "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
    "hard_sigmoid": {},
    "hard_swish": {},
    "softsign": {},
    "log_sigmoid": {},
    "tanh_shrink": {},
    "hard_shrink": {"lam": 0.5},
    "maxout": {"w1": 0.0, "b1": 0.0, "w2": 1.0, "b2": 0.0},
}


def test_catalogue_has_the_required_entries_with_framework_defaults():
    assert len(A.ACTIVATIONS) >= 30
    for name, defaults in REQUIRED.items():
        assert name in A.ACTIVATIONS, name
        assert act(name).param_defaults() == defaults, name


def test_display_order_starts_with_the_classics():
    assert NAMES[:4] == ["identity", "binary_step", "sigmoid", "tanh"]
    assert NAMES.index("relu") < NAMES.index("elu") < NAMES.index("gelu") < NAMES.index("relu6")
    assert NAMES.index("relu6") < NAMES.index("soft_shrink")


def test_slugs_are_snake_case_and_match_names():
    for slug, a in A.ACTIVATIONS.items():
        assert a.name == slug
        assert re.fullmatch(r"[a-z][a-z0-9_]*", slug)


# Framework constants that are not on any decimal slider grid.
OFF_GRID = {
    ("selu", "alpha"),
    ("selu", "lam"),
    ("rrelu", "upper"),
    ("laplace", "mu"),  # √½
    ("laplace", "sigma"),  # √(1/(4π))
    ("xielu", "eps"),  # −1e-6
}


@pytest.mark.parametrize("name", NAMES)
def test_params_are_sensible_slider_metadata(name):
    for p in act(name).params:
        assert p.low < p.high and p.step > 0, p
        assert p.low <= p.default <= p.high, p
        assert (p.high - p.low) / p.step <= 1000, p
        assert p.label and p.help and p.symbol, p
        if (name, p.name) not in OFF_GRID:
            k = (p.default - p.low) / p.step
            assert abs(k - round(k)) < 1e-9, f"{name}.{p.name} default is off the step grid"


LATEX_SYMBOL = {
    "α": r"\alpha",
    "β": r"\beta",
    "λ": r"\lambda",
    "θ": r"\theta",
    "μ": r"\mu",
    "σ": r"\sigma",
    "ε": r"\varepsilon",
}
SUBSCRIPT = {"₁": "_1", "₂": "_2", "ₗ": "_l", "ᵣ": "_r", "ₚ": "_p", "ₙ": "_n"}


def _latex(symbol: str) -> str:
    return "".join(LATEX_SYMBOL.get(c, SUBSCRIPT.get(c, c)) for c in symbol)


def _balanced(latex: str) -> bool:
    depth = 0
    for ch in latex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and latex.count(r"\begin{") == latex.count(r"\end{")


@pytest.mark.parametrize("name", NAMES)
def test_formulas_notes_and_kinks_are_filled_in(name):
    a = act(name)
    for latex in (a.formula, a.derivative_formula):
        assert isinstance(latex, str) and latex.strip()
        assert _balanced(latex), latex
        assert "{ns}" not in latex
    for p in a.params:
        assert _latex(p.symbol) in a.formula, f"{name}: {p.symbol} not in the formula"
    assert a.label and a.kink
    sentences = re.findall(r"[.!?](?:\s|$)", a.note.strip())
    assert 2 <= len(sentences) <= 3, f"{name}: {len(sentences)} sentences"


def test_notes_avoid_the_known_mistakes():
    assert "0.5" in act("sigmoid").note and "continuous" in act("sigmoid").note
    assert act("elu").note.startswith("Linear for positive inputs, exponential for negative")
    for d in ("0.01", "0.2", "0.3"):
        assert d in act("leaky_relu").note
    assert "0.2x + 0.5" in act("hard_sigmoid").note and "x/6" in act("hard_sigmoid").note
    assert "fixed point" in act("selu").note


# --- snippets -------------------------------------------------------------------------------------


def test_snippet_formats_builtins_with_compact_numbers():
    assert act("leaky_relu").snippet("pytorch") == "torch.nn.LeakyReLU(negative_slope=0.01)"
    assert act("elu").snippet("pytorch", alpha=1.5) == "torch.nn.ELU(alpha=1.5)"
    assert act("elu").snippet("keras") == "keras.layers.ELU(alpha=1)"
    assert act("gelu_tanh").snippet("pytorch") == "torch.nn.GELU(approximate='tanh')"
    assert act("softplus").snippet("pytorch", beta=2.0) == "torch.nn.Softplus(beta=2)"
    assert act("swish").snippet("pytorch") == "torch.nn.SiLU()"


def test_snippet_falls_back_to_a_custom_function_with_a_reason():
    selu = act("selu").snippet("pytorch", alpha=1.0)
    assert "torch.nn.SELU()" in selu and selu.lstrip().startswith("#")
    assert "def selu(x):" in selu
    swish = act("swish").snippet("keras", beta=2.0)
    assert "keras.ops.sigmoid(2 * x)" in swish
    gaussian = act("gaussian").snippet("pytorch")
    assert "no built-in" in gaussian and "torch.exp(" in gaussian
    with pytest.raises(ValueError):
        act("relu").snippet("mxnet")


@pytest.mark.parametrize("name", NAMES)
def test_every_snippet_is_filled_in(name):
    a = act(name)
    for params in param_sets(a):
        for framework, prefix in (("pytorch", ("torch.", "#")), ("keras", ("keras.", "#"))):
            code = a.snippet(framework, **params)
            assert code.startswith(prefix), code
            assert "{" not in code and "}" not in code, code


def _run_torch_snippet(code: str, folder: Path):
    """The module or function a snippet defines, loaded as a module file (no eval/exec here).

    A built-in snippet is one expression (``torch.nn.ELU(alpha=1.5)``); a custom one is a
    commented function definition. Either way the snippet is our own generated text.
    """
    builtin = not code.startswith("#")
    source = f"import torch\n\nact = {code}\n" if builtin else f"import torch\n\n{code}\n"
    path = folder / f"snippet_{abs(hash(code))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if builtin:
        return module.act.double().train(False), True
    functions = [v for k, v in vars(module).items() if callable(v) and not k.startswith("_")]
    (fn,) = [f for f in functions if getattr(f, "__module__", None) == module.__name__]
    return fn, False


@pytest.mark.parametrize("name", NAMES)
def test_pytorch_snippet_computes_the_same_function(name, tmp_path):
    """The honest check of the snippets: run them. torch is not a dependency of the app: CI
    installs it for this test; without it the test is skipped with that reason."""
    torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    a = act(name)
    for params in param_sets(a, n_random=2):
        fn, builtin = _run_torch_snippet(a.snippet("pytorch", **params), tmp_path)
        # Kinks only for built-ins: their conventions at kinks are the ones we follow.
        x = np.concatenate([np.linspace(-8, 8, 100), a.kink_points(**params) if builtin else []])
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        y = fn(xt)
        np.testing.assert_allclose(
            y.detach().numpy(), a.forward(x, **params), rtol=1e-7, atol=1e-9, err_msg=name
        )
        if not y.requires_grad:  # a step function: no graph, its derivative is 0
            np.testing.assert_array_equal(a.derivative(x, **params), 0.0)
            continue
        y.backward(torch.ones_like(y))
        np.testing.assert_allclose(
            xt.grad.numpy(), a.derivative(x, **params), rtol=1e-7, atol=1e-9, err_msg=name
        )


# --- forward_and_derivative: the fused path ---------------------------------------------------

WIDE = np.concatenate(
    [
        EXTREMES,
        np.linspace(-50.0, 50.0, 2001),
        np.geomspace(1e-300, 1e6, 400),
        -np.geomspace(1e-300, 1e6, 400),
        np.random.default_rng(7).uniform(-1e3, 1e3, 500),
    ]
)


@pytest.mark.parametrize("name", NAMES)
def test_forward_and_derivative_equals_forward_and_derivative(name):
    a = act(name)
    for params in param_sets(a, n_random=5):
        with np.errstate(**RAISE):
            f, df = a.forward_and_derivative(WIDE, **params)
            f_ref, df_ref = a.forward(WIDE, **params), a.derivative(WIDE, **params)
        for got, ref in ((f, f_ref), (df, df_ref)):
            assert got.dtype == np.float64 and got.shape == WIDE.shape
            assert np.all(np.isfinite(got))
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-300, err_msg=str(params))


@pytest.mark.parametrize("name", NAMES)
def test_forward_and_derivative_keeps_the_shape(name):
    a = act(name)
    f, df = a.forward_and_derivative(0.5)
    assert np.shape(f) == np.shape(df) == ()
    x = np.linspace(-3.0, 3.0, 12, dtype=np.float32).reshape(3, 4)
    f, df = a.forward_and_derivative(x)
    assert f.shape == df.shape == (3, 4) and f.dtype == df.dtype == np.float64
