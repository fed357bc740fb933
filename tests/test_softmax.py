"""Softmax, its Jacobian, entropy, cross-entropy and the logits parser."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import activations as A
from activations.softmax import MAX_LOGITS, softmax_steps

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}
finite = st.floats(allow_nan=False, allow_infinity=False)
temperatures = st.floats(min_value=0.01, max_value=100.0)


def rel_err(a, n):
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-300))


# --- softmax ------------------------------------------------------------------------------------


def test_worked_example():
    np.testing.assert_allclose(A.softmax([1.8, 0.9, 0.68]), [0.58, 0.23, 0.19], atol=0.005)


def test_matches_the_definition_for_moderate_logits():
    z = np.array([0.3, -1.2, 2.5, 0.0])
    for t in (0.5, 1.0, 3.0):
        e = np.exp(z / t)
        np.testing.assert_allclose(A.softmax(z, t), e / e.sum(), rtol=1e-14)


def test_two_classes_is_the_sigmoid():
    for z in (-30.0, -2.0, 0.0, 0.7, 25.0):
        assert math.isclose(A.softmax([z, 0.0])[0], special.expit(z), rel_tol=1e-13)


def test_shift_invariance():
    z = np.array([1.0, 2.0, -3.0])
    np.testing.assert_allclose(A.softmax(z), A.softmax(z + 1e6), rtol=1e-9)


def test_temperature_limits():
    z = np.array([1.0, 3.0, 3.0, -2.0])
    np.testing.assert_allclose(A.softmax(z, 0.01), [0.0, 0.5, 0.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(A.softmax(z, 1e6), np.full(4, 0.25), atol=1e-5)


def test_one_logit_is_certain():
    assert A.softmax([-7.5]).tolist() == [1.0]
    assert A.log_softmax([123.0]).tolist() == [0.0]


def test_extreme_logits_no_warning_no_nan():
    with np.errstate(**STRICT):
        for t in (0.01, 1.0, 100.0):
            p = A.softmax([1e308, -1e308], t)
            assert p.tolist() == [1.0, 0.0]
            lp = A.log_softmax([1e308, -1e308, 1e308], t)
            assert not np.isnan(lp).any()
            np.testing.assert_allclose(lp[[0, 2]], [-math.log(2) / 1] * 2)
            # The far logit's log-probability is −2e308/T − ln 2: finite at T = 100, beyond
            # float64's range (so −inf, as documented) at T ≤ 1.
            if t == 100.0:
                assert lp[1] == pytest.approx(-2e306)
            else:
                assert lp[1] == -np.inf
        p = A.softmax([1e308, 1.7e308, -1.7e308, 0.0])
        assert p.tolist() == [0.0, 1.0, 0.0, 0.0]
        # A span that fits in float64 stays finite in log space.
        lp = A.log_softmax([1e308, 0.0])
        assert lp[0] == 0.0 and lp[1] == -1e308


def test_axis_and_batches():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    p = A.softmax(z, axis=-1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    q = A.softmax(z, axis=0)
    np.testing.assert_allclose(q.sum(axis=0), 1.0)
    np.testing.assert_allclose(q, A.softmax(z.T, axis=-1).T)
    np.testing.assert_allclose(np.exp(A.log_softmax(z, 2.0, axis=0)), A.softmax(z, 2.0, axis=0))


def test_float32_input_gives_float64():
    p = A.softmax(np.array([1.0, 2.0], dtype=np.float32))
    assert p.dtype == np.float64


@pytest.mark.parametrize("t", [0.0, -1.0, math.nan, math.inf, -math.inf, "hot"])
def test_bad_temperature_rejected(t):
    with pytest.raises(ValueError, match="temperature"):
        A.softmax([1.0, 2.0], t)


@pytest.mark.parametrize("z", [[], [1.0, math.nan], [math.inf, 0.0], 3.0])
def test_bad_logits_rejected(z):
    with pytest.raises(ValueError):
        A.softmax(z)


@settings(max_examples=300, deadline=None)
@given(st.lists(finite, min_size=1, max_size=20), temperatures)
def test_softmax_is_a_distribution_for_any_finite_logits(z, t):
    with np.errstate(**STRICT):
        p = A.softmax(z, t)
        lp = A.log_softmax(z, t)
    assert np.all(np.isfinite(p)) and np.all(p >= 0.0)
    assert math.isclose(p.sum(), 1.0, rel_tol=1e-12)
    assert p[int(np.argmax(z))] >= 1.0 / len(z) - 1e-15
    assert not np.isnan(lp).any() and np.all(lp <= 0.0)
    # Where log p is finite it agrees with p (exp of a log-probability below −745 is 0).
    ok = np.isfinite(lp)
    np.testing.assert_allclose(np.exp(lp[ok]), p[ok], rtol=1e-9, atol=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=12), temperatures)
def test_agrees_with_scipy_for_moderate_logits(z, t):
    z = np.asarray(z)
    np.testing.assert_allclose(A.softmax(z, t), special.softmax(z / t), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(A.log_softmax(z, t), special.log_softmax(z / t), atol=1e-9)


# --- steps for the page -------------------------------------------------------------------------


def test_steps_explain_the_pipeline():
    s = softmax_steps([1.8, 0.9, 0.68], 2.0)
    np.testing.assert_allclose(s.scaled, [0.9, 0.45, 0.34])
    np.testing.assert_allclose(s.shifted, [0.0, -0.45, -0.56])
    assert s.exps.max() == 1.0 and s.total == pytest.approx(s.exps.sum())
    np.testing.assert_allclose(s.probs, A.softmax([1.8, 0.9, 0.68], 2.0))
    assert not s.naive_overflows and not s.naive_fails


def test_steps_show_the_naive_overflow_without_warnings():
    with np.errstate(**STRICT):
        s = softmax_steps([1000.0, 999.0, 0.0])
    assert s.naive_overflows and s.naive_fails
    assert np.isnan(s.naive_probs).any()
    np.testing.assert_allclose(s.probs[:2], special.softmax([1.0, 0.0]))


def test_steps_show_the_naive_underflow():
    s = softmax_steps([-1000.0, -1001.0])
    assert not s.naive_overflows and s.naive_fails  # 0/0
    np.testing.assert_allclose(s.probs, special.softmax([1.0, 0.0]))


# --- Jacobian -----------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0.3, 1.0, 4.0])
def test_jacobian_against_central_differences(t):
    z = np.array([0.5, -1.0, 2.0, 0.1])
    jac = A.softmax_jacobian(z, t)
    h = 1e-6
    num = np.empty((4, 4))
    for j in range(4):
        e = np.zeros(4)
        e[j] = h
        num[:, j] = (A.softmax(z + e, t) - A.softmax(z - e, t)) / (2 * h)
    # Entries span 1e−7..0.2: measure the error against the Jacobian's scale.
    assert np.max(np.abs(jac - num)) < 1e-8 * np.max(np.abs(jac))
    np.testing.assert_allclose(jac, jac.T)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-15)


def test_jacobian_needs_a_vector():
    with pytest.raises(ValueError, match="1-D"):
        A.softmax_jacobian([[1.0, 2.0]])


# --- entropy and cross-entropy ------------------------------------------------------------------


def test_entropy_known_values():
    assert A.entropy([1.0, 0.0, 0.0]) == 0.0
    assert math.isclose(A.entropy(np.full(4, 0.25)), math.log(4))
    assert math.isclose(A.entropy([0.5, 0.5], base=2), 1.0)
    assert math.isclose(A.entropy(np.full(8, 0.125), base=2), 3.0)
    np.testing.assert_allclose(A.entropy([[0.5, 0.5], [1.0, 0.0]], base=2), [1.0, 0.0])


def test_entropy_zero_times_log_zero_without_warning():
    with np.errstate(**STRICT):
        assert math.isclose(A.entropy([0.0, 0.5, 0.5, 0.0]), math.log(2))


@pytest.mark.parametrize(
    ("p", "kw"),
    [([0.5, 0.6], {}), ([-0.1, 1.1], {}), ([math.nan, 1.0], {}), ([], {}), ([1.0], {"base": 1})],
)
def test_entropy_rejects_non_distributions(p, kw):
    with pytest.raises(ValueError):
        A.entropy(p, **kw)


def test_cross_entropy_is_minus_log_p():
    z = [1.8, 0.9, 0.68]
    p = A.softmax(z, 1.5)
    for y in range(3):
        assert math.isclose(A.cross_entropy(z, y, 1.5), -math.log(p[y]), rel_tol=1e-13)
    expected = [-math.log(A.softmax(z)[i]) for i in (0, 2)]
    np.testing.assert_allclose(A.cross_entropy([z, z], [0, 2]), expected)


def test_cross_entropy_stays_finite_when_p_underflows():
    with np.errstate(**STRICT):
        loss = A.cross_entropy([0.0, 1000.0], 0)
    assert loss == pytest.approx(1000.0)  # log of the underflowed p would give inf


@pytest.mark.parametrize("t", [0.5, 1.0, 2.0])
def test_cross_entropy_grad_against_central_differences(t):
    z = np.array([0.2, -0.7, 1.3])
    g = A.cross_entropy_grad(z, 1, t)
    h = 1e-6
    num = [
        (A.cross_entropy(z + h * e, 1, t) - A.cross_entropy(z - h * e, 1, t)) / (2 * h)
        for e in np.eye(3)
    ]
    assert rel_err(g, num) < 1e-7
    assert abs(g.sum()) < 1e-15


def test_cross_entropy_grad_is_p_minus_onehot_at_t1():
    z = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]])
    g = A.cross_entropy_grad(z, [2, 0])
    expected = A.softmax(z) - np.eye(3)[[2, 0]]
    np.testing.assert_allclose(g, expected, atol=1e-16)


@pytest.mark.parametrize("target", [3, -1, 1.0, True, [0, 1, 2]])
def test_cross_entropy_rejects_bad_targets(target):
    with pytest.raises(ValueError):
        A.cross_entropy([1.0, 2.0, 3.0], target)


# --- parse_logits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.8, 0.9, 0.68", [1.8, 0.9, 0.68]),
        ("1.8 0.9\t0.68\n", [1.8, 0.9, 0.68]),
        ("1; 2;3", [1.0, 2.0, 3.0]),
        ("[1.8, 0.9, 0.68]", [1.8, 0.9, 0.68]),
        ("(  -1 , +2 )", [-1.0, 2.0]),
        ("1e-3, 2.5E+2, .5, 3., -0", [1e-3, 250.0, 0.5, 3.0, 0.0]),
        ("\u22121.5, \u22122e\u22121", [-1.5, -0.2]),
        ("\u20133", [-3.0]),
        ("1,\u00a02", [1.0, 2.0]),
        ("  7  ", [7.0]),
        ("1e-400", [0.0]),
    ],
)
def test_parse_accepts(text, expected):
    out = A.parse_logits(text)
    assert out.dtype == np.float64 and out.ndim == 1
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("", "No numbers"),
        ("   ", "No numbers"),
        ("[]", "No numbers"),
        ("1, two, 3", "“two”"),
        ("1, nan", "“nan”"),
        ("inf", "“inf”"),
        ("-Infinity", "“-Infinity”"),
        ("1e400", "“1e400”"),
        ("-1e309", "“-1e309”"),
        ("2**10", "“2**10”"),
        ("__import__('os').system('ls')", "“__import__('os').system('ls')”"),
        ("x" * 40, "“" + "x" * 27 + "…”"),
        ("0x1F", "“0x1F”"),
        ("[1, 2", "“]” is missing"),
        ("1, 2)", "“(” is missing"),
        ("[[1, 2]]", "“[1”"),
        ("1.2.3", "“1.2.3”"),
        ("1_000", "“1_000”"),
        ("\u0663", "“\u0663”"),
        ("1" * 5000, "too long"),
        (", ".join(["1"] * (MAX_LOGITS + 1)), "at most 1,000"),
    ],
)
def test_parse_rejects_with_a_helpful_message(text, names):
    with pytest.raises(ValueError) as info:
        A.parse_logits(text)
    msg = str(info.value)
    assert names in msg
    assert "e.g. 1.8, 0.9, 0.68" in msg
    assert len(msg) < 300


def test_parse_accepts_exactly_the_maximum():
    assert A.parse_logits(" ".join(["0.5"] * MAX_LOGITS)).shape == (MAX_LOGITS,)


def test_parse_never_evaluates(monkeypatch):
    import builtins

    def boom(*_a, **_k):
        raise AssertionError("evaluated!")

    monkeypatch.setattr(builtins, "eval", boom)
    monkeypatch.setattr(builtins, "exec", boom)
    for text in ("1+1", "__import__('os')", "(1)(2)", "[1][0]"):
        with pytest.raises(ValueError):
            A.parse_logits(text)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "text",
    [
        "1.8, " * 200_000,
        "1" * 1_000_000,
        "[" * 500_000 + "]" * 500_000,
        "1e" + "1" * 999_998,
        " ," * 500_000,
        "-" * 1_000_000,
        "1." + "0" * 999_998 + "x",
    ],
)
def test_parse_a_megabyte_answers(text):
    # Linear time: a pasted megabyte is rejected at once (the benchmark prints how fast).
    with pytest.raises(ValueError):
        A.parse_logits(text)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_any_text_returns_finite_vector_or_value_error(text):
    try:
        out = A.parse_logits(text)
    except ValueError:
        return
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.ndim == 1
    assert 1 <= out.size <= MAX_LOGITS and np.all(np.isfinite(out))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.eE+-,;[]() \u2212x*", max_size=40))
def test_parse_number_like_text(text):
    try:
        out = A.parse_logits(text)
    except ValueError:
        return
    assert out.ndim == 1 and np.all(np.isfinite(out))


@settings(max_examples=300, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.sampled_from([", ", ",", "; ", " ", "\n"]))
def test_parse_round_trips_repr(values, sep):
    text = sep.join(repr(v) for v in values)
    out = A.parse_logits(text)
    assert out.tolist() == values
    assert A.parse_logits("[" + text + "]").tolist() == values


# --- label smoothing ----------------------------------------------------------------------------

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is optional (see .ci/run)
    torch = None

needs_torch = pytest.mark.skipif(
    torch is None, reason="PyTorch is not installed: the label-smoothing reference is torch's"
)


@needs_torch
@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.floats(-50, 50), min_size=n, max_size=n), min_size=1, max_size=4),
            st.integers(0, n - 1),
        )
    ),
    st.floats(0.0, 1.0),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_label_smoothing_matches_pytorch(batch, eps, t):
    rows, y = batch
    z = np.asarray(rows)
    target = np.full(len(z), y)
    zt = torch.tensor(z / t, dtype=torch.float64, requires_grad=True)
    ref = F.cross_entropy(zt, torch.tensor(target), label_smoothing=float(eps), reduction="sum")
    ref.backward()
    losses = A.cross_entropy(z, target, t, label_smoothing=eps)
    ref_each = F.cross_entropy(
        torch.tensor(z / t), torch.tensor(target), label_smoothing=float(eps), reduction="none"
    ).numpy()
    np.testing.assert_allclose(losses, ref_each, rtol=1e-12, atol=1e-12)
    # torch's gradient is with respect to z/T; ours with respect to z: a factor 1/T.
    grad = A.cross_entropy_grad(z, target, t, label_smoothing=eps)
    np.testing.assert_allclose(grad, zt.grad.numpy() / t, rtol=1e-10, atol=1e-14)


def test_label_smoothing_target_and_gradient_are_p_minus_target():
    y_s = A.smoothed_target(1, 4, 0.2)
    np.testing.assert_allclose(y_s, [0.05, 0.85, 0.05, 0.05])
    assert y_s.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(A.smoothed_target([0, 2], 3, 1.0), np.full((2, 3), 1 / 3))
    np.testing.assert_array_equal(A.smoothed_target(2, 3), [0.0, 0.0, 1.0])
    z = np.array([1.8, 0.9, 0.68])
    np.testing.assert_allclose(
        A.cross_entropy_grad(z, 1, label_smoothing=0.2), A.softmax(z) - A.smoothed_target(1, 3, 0.2)
    )
    # ε = 0 is the plain loss, bit for bit.
    assert A.cross_entropy(z, 1, label_smoothing=0.0) == A.cross_entropy(z, 1)
    assert A.cross_entropy(z, 1, 0.7) == pytest.approx(-math.log(A.softmax(z, 0.7)[1]), rel=1e-14)


def test_label_smoothing_grad_against_central_differences():
    z = np.array([0.2, -0.7, 1.3, 0.4])
    for eps in (0.1, 0.5, 1.0):
        g = A.cross_entropy_grad(z, 2, 1.5, label_smoothing=eps)
        h = 1e-6
        num = [
            (A.cross_entropy(z + h * e, 2, 1.5, eps) - A.cross_entropy(z - h * e, 2, 1.5, eps))
            / (2 * h)
            for e in np.eye(4)
        ]
        assert rel_err(g, num) < 1e-7
        assert abs(g.sum()) < 1e-15


@pytest.mark.parametrize("eps", [-0.01, 1.01, math.nan, math.inf, "a lot", None, True])
def test_label_smoothing_outside_0_1_is_rejected(eps):
    for f in (A.cross_entropy, A.cross_entropy_grad):
        with pytest.raises(ValueError, match=r"label_smoothing must be a number from 0 to 1"):
            f([1.0, 2.0], 0, label_smoothing=eps)
    with pytest.raises(ValueError, match="label_smoothing"):
        A.smoothed_target(0, 3, eps)


def test_label_smoothing_extremes_finite_no_nan_no_warning():
    with np.errstate(**STRICT):
        for eps in (0.0, 0.1, 0.5, 1.0):
            for t in (0.01, 1.0, 100.0):
                loss = A.cross_entropy([1e308, -1e308, 0.0], 0, t, eps)
                grad = A.cross_entropy_grad([1e308, -1e308, 0.0], 0, t, eps)
                assert not np.isnan(loss) and loss >= 0.0
                assert np.all(np.isfinite(grad)) and abs(grad.sum()) < 1e-14 / t
        # The true loss 0.1/2 · 2e308 = 1e307 is representable: no spurious overflow to inf.
        assert A.cross_entropy([1e308, -1e308], 0, label_smoothing=0.1) == pytest.approx(1e307)
        # At ε = 0 the far class costs nothing; beyond float64 it is +inf, never NaN.
        assert A.cross_entropy([1e308, -1e308], 0) == 0.0
        assert A.cross_entropy([1e308, -1e308], 1) == math.inf


# --- the optimal logit gap under label smoothing ------------------------------------------------


@pytest.mark.parametrize(("n", "eps"), [(2, 0.1), (3, 0.1), (10, 0.05), (5, 0.5), (4, 0.9)])
def test_optimal_gap_is_where_an_optimiser_stops(n, eps):
    from scipy.optimize import minimize

    def loss(z):
        return float(A.cross_entropy(z, 0, label_smoothing=eps))

    def grad(z):
        return A.cross_entropy_grad(z, 0, label_smoothing=eps)

    res = minimize(loss, np.zeros(n), jac=grad, method="BFGS", options={"gtol": 1e-12})
    gaps = res.x[0] - res.x[1:]
    np.testing.assert_allclose(gaps, A.optimal_logit_gap(n, eps), rtol=1e-6)
    # At the optimum p equals the smoothed target.
    np.testing.assert_allclose(A.softmax(res.x), A.smoothed_target(0, n, eps), atol=1e-8)


def test_optimal_gap_closed_form_and_limits():
    n, eps = 3, 0.1
    assert A.optimal_logit_gap(n, eps) == pytest.approx(
        math.log((1 - eps + eps / n) / (eps / n)), rel=1e-14
    )
    assert A.optimal_logit_gap(n, 0.0) == math.inf  # no smoothing: the gap grows forever
    assert A.optimal_logit_gap(n, 1.0) == 0.0  # uniform target
    gaps = [A.optimal_logit_gap(n, e) for e in (1e-300, 1e-12, 0.01, 0.1, 0.5, 0.9)]
    assert all(math.isfinite(g) for g in gaps) and gaps == sorted(gaps, reverse=True)
    # Without smoothing the loss keeps falling as the gap grows: no finite optimum.
    losses = [float(A.cross_entropy([g, 0.0, 0.0], 0)) for g in (5.0, 10.0, 20.0)]
    assert losses == sorted(losses, reverse=True) and losses[-1] > 0.0
    with pytest.raises(ValueError, match="2 classes"):
        A.optimal_logit_gap(1, 0.1)
    with pytest.raises(ValueError, match="label_smoothing"):
        A.optimal_logit_gap(3, 1.5)
