"""properties(): shape facts computed from the function, checked against the textbook facts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import activations as A
from activations import properties

NAMES = list(A.ACTIVATIONS)
RAISE = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


def props(name: str, **params: float) -> A.Properties:
    return properties(A.ACTIVATIONS[name], **params)


def test_sigmoid():
    p = props("sigmoid")
    assert p.output_range == (0.0, 1.0)
    assert p.max_abs_derivative == pytest.approx(0.25, rel=1e-12)
    assert p.monotonic and p.smooth_c1 and not p.zero_centred
    assert p.saturates_left and p.saturates_right


def test_tanh():
    p = props("tanh")
    assert p.output_range == (-1.0, 1.0)
    assert p.max_abs_derivative == pytest.approx(1.0, rel=1e-12)
    assert p.zero_centred and p.saturates_left and p.saturates_right


def test_relu():
    p = props("relu")
    assert not p.bounded_above and p.bounded_below and p.output_range == (0.0, math.inf)
    assert p.continuous and not p.smooth_c1 and not p.zero_centred
    assert p.saturates_left and not p.saturates_right  # the flat half where units die


@pytest.mark.parametrize(("alpha", "c1"), [(1.0, True), (0.5, False), (2.0, False), (0.0, False)])
def test_elu_is_c1_iff_alpha_is_one(alpha, c1):
    p = props("elu", alpha=alpha)
    assert p.smooth_c1 is c1
    assert p.output_range[0] == pytest.approx(-alpha, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.1, 0.5, 1.0, 2.5])
def test_celu_is_c1_for_every_alpha(alpha):
    assert props("celu", alpha=alpha).smooth_c1


def test_selu_saturates_to_minus_lambda_alpha():
    p = props("selu")
    assert p.limit_left == pytest.approx(-1.0507009873554805 * 1.6732632423543772, rel=1e-9)
    assert not p.smooth_c1


def test_swish_is_non_monotonic_with_its_known_minimum():
    p = props("swish")
    assert not p.monotonic
    assert p.minimum == pytest.approx(-0.2784645, abs=1e-6)
    assert p.argmin == pytest.approx(-1.2784645, abs=1e-5)
    assert p.output_range[0] == pytest.approx(p.minimum)
    assert props("swish", beta=0.0).monotonic  # x/2
    assert not props("swish", beta=0.0).bounded_below


@pytest.mark.parametrize(
    ("name", "minimum", "argmin"),
    [("gelu", -0.1700, -0.7518), ("mish", -0.3088, -1.1924), ("hard_swish", -0.375, -1.5)],
)
def test_non_monotonic_minima(name, minimum, argmin):
    p = props(name)
    assert not p.monotonic
    assert p.minimum == pytest.approx(minimum, abs=1e-4)
    assert p.argmin == pytest.approx(argmin, abs=1e-3)


def test_limits_approached_like_one_over_x_are_extrapolated():
    assert props("softsign").output_range == pytest.approx((-1.0, 1.0), rel=1e-9)
    assert props("arctan").output_range == pytest.approx((-math.pi / 2, math.pi / 2), rel=1e-8)
    assert props("isru", alpha=4.0).output_range == pytest.approx((-0.5, 0.5), rel=1e-9)
    assert props("squareplus").output_range[0] == pytest.approx(0.0, abs=1e-12)
    assert props("bent_identity").max_abs_derivative == pytest.approx(1.5, rel=1e-9)


def test_exponential_is_unbounded_with_unbounded_slope():
    p = props("exponential")
    assert p.output_range == (0.0, math.inf)
    assert p.max_abs_derivative == math.inf
    assert p.saturates_left and not p.saturates_right


def test_gaussian_is_a_bump():
    p = props("gaussian")
    assert not p.monotonic and p.output_range == (0.0, 1.0)
    assert p.maximum == 1.0 and p.argmax == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(p.minimum)  # 0 is only approached
    assert p.max_abs_derivative == pytest.approx(math.sqrt(2) * math.exp(-0.5), rel=1e-6)
    assert p.saturates_left and p.saturates_right


def test_sinusoid_neither_saturates_nor_has_limits():
    p = props("sinusoid")
    assert p.output_range == pytest.approx((-1.0, 1.0), abs=1e-12)
    assert not p.saturates_left and not p.saturates_right
    assert math.isnan(p.limit_left) and math.isnan(p.limit_right)
    assert p.argmax == pytest.approx(math.pi / 2, abs=1e-6)


def test_leaky_relu_never_saturates_and_is_zero_centred():
    p = props("leaky_relu")
    assert not p.saturates_left and not p.saturates_right
    assert not p.bounded_below and not p.bounded_above and p.zero_centred


def test_discontinuities():
    assert not props("binary_step").continuous
    assert props("binary_step").max_abs_derivative == 0.0
    assert not props("hard_shrink").continuous and props("hard_shrink").monotonic
    soft = props("soft_shrink")
    assert soft.continuous and not soft.smooth_c1
    assert props("soft_shrink", lam=0.0).smooth_c1  # the identity
    jump_down = props("threshold", threshold=1.0, value=2.0)
    assert not jump_down.continuous and not jump_down.monotonic


def test_squareplus_and_relu_squared_smoothness():
    assert props("squareplus").smooth_c1
    assert not props("squareplus", b=0.0).smooth_c1
    p = props("relu_squared")
    assert p.smooth_c1 and p.max_abs_derivative == math.inf


def test_log_sigmoid_is_bounded_above_by_zero():
    p = props("log_sigmoid")
    assert p.bounded_above and not p.bounded_below
    assert p.output_range[1] == 0.0
    assert p.saturates_right and not p.saturates_left


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_properties_are_consistent_with_the_function(name, data):
    a = A.ACTIVATIONS[name]
    params = {p.name: data.draw(st.floats(p.low, p.high)) for p in a.params}
    for o in a.orders:  # min_val ≤ max_val, t_left ≤ t_right: drawn apart, put in order
        if params[o.low] > params[o.high]:
            params[o.low], params[o.high] = params[o.high], params[o.low]
    assume(a.refusal(params) is None)
    with np.errstate(**RAISE):
        p = properties(a, **params)
    lo, hi = p.output_range
    assert lo <= hi
    assert p.bounded_below == math.isfinite(lo) and p.bounded_above == math.isfinite(hi)
    assert not p.smooth_c1 or p.continuous
    # Every value f takes lies in the range; every slope is within max |f′|.
    x = np.concatenate([np.linspace(-60, 60, 2401), [-1e4, 1e4]])
    f, df = a.forward(x, **params), a.derivative(x, **params)
    slack = 1e-9 * (1 + np.abs(f))
    assert np.all(f >= lo - slack) and np.all(f <= hi + slack)
    assert np.all(np.abs(df) <= p.max_abs_derivative * (1 + 1e-9) + 1e-12)
    if p.monotonic:
        assert math.isnan(p.minimum) and math.isnan(p.maximum)
    if not math.isnan(p.minimum):
        assert float(a.forward(p.argmin, **params)) == pytest.approx(p.minimum)
        assert np.all(f >= p.minimum - slack)


@pytest.mark.parametrize(
    ("slug", "attains_low", "attains_high"),
    [
        ("relu", True, False),  # 0 for every x ≤ 0; unbounded above
        ("sigmoid", False, False),  # 0 and 1 are limits only
        ("tanh", False, False),
        ("elu", False, False),  # −α approached as x → −∞
        ("relu6", True, True),  # 0 for x ≤ 0, 6 for x ≥ 6
        ("hard_tanh", True, True),
        ("gaussian", False, True),  # exp(−x²): 1 at x = 0, 0 only in the limit
        ("swish", True, False),  # its minimum −0.278 at x ≈ −1.278
        ("binary_step", True, True),
    ],
)
def test_range_ends_are_closed_exactly_where_f_reaches_them(slug, attains_low, attains_high):
    props = A.properties(A.ACTIVATIONS[slug])
    assert props.attains_low is attains_low
    assert props.attains_high is attains_high


def test_a_tail_of_subnormal_numbers_has_a_limit_not_a_crash():
    # Hypothesis found it: squareplus with b ≈ 2.2e-313 decays to subnormal values far out on the
    # left, where rounding to 9 digits of their scale divided by 10**-332, i.e. by 0.
    props = A.properties(A.ACTIVATIONS["squareplus"], b=2.2250738585e-313)
    assert props.limit_left == pytest.approx(0.0, abs=1e-300)
    assert props.limit_right == math.inf


def test_maxout_pieces_crossing_beyond_float64_make_no_kink():
    # Hypothesis found it: w₁ − w₂ = 2.2e-311 puts the crossing at 1/2.2e-311 = inf, and the
    # points either side of that "kink" were inf − inf. On the real line f is max(w₁x, 1) = 1.
    params = {"w1": 2.225073858507e-311, "b1": 0.0, "w2": 0.0, "b2": 1.0}
    maxout = A.ACTIVATIONS["maxout"]
    assert maxout.kink_points(**params) == ()
    with np.errstate(**RAISE):
        props = A.properties(maxout, **params)
    assert props.output_range == (1.0, 1.0)
    assert props.continuous and props.smooth_c1
    # A crossing far out but inside float64's range is still a kink.
    assert maxout.kink_points(w1=1e-300, b1=0.0, w2=0.0, b2=1.0) == pytest.approx((1e300,))


@pytest.mark.parametrize("beta", [0.046875, 0.01, 1e-3])
def test_swish_max_slope_is_found_beyond_the_dense_grid(beta):
    # Hypothesis found it: for β < 2.4/50, swish's f′ peaks (≈ 1.0998) at x ≈ 2.3994/β, outside
    # the dense grid on [−50, 50]; the peak was read off the sparse tail and came out too low.
    swish = A.ACTIVATIONS["swish"]
    x = np.linspace(1.0 / beta, 4.0 / beta, 200_001)
    true_max = float(np.max(np.abs(swish.derivative(x, beta=beta))))
    assert true_max == pytest.approx(1.0998, abs=1e-4)
    found = A.properties(swish, beta=beta).max_abs_derivative
    assert found == pytest.approx(true_max, rel=1e-9)  # within what the consistency test allows


@pytest.mark.parametrize("beta", [0.0234375, 0.01, 1e-3])
def test_swish_minimum_is_found_beyond_the_dense_grid(beta):
    # Hypothesis found it: for β < 1.28/50 swish's minimum, −0.2785/β at x ≈ −1.2785/β, lies
    # outside the dense grid on [−50, 50]; the range's lower end came out too high.
    swish = A.ACTIVATIONS["swish"]
    x = np.linspace(-4.0 / beta, -0.5 / beta, 400_001)
    f = swish.forward(x, beta=beta)
    props = A.properties(swish, beta=beta)
    assert props.minimum == pytest.approx(float(f.min()), rel=1e-9)
    assert props.argmin == pytest.approx(-1.2785 / beta, rel=1e-3)
    assert props.output_range[0] == props.minimum
