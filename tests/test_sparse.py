"""Sparsemax and 1.5-entmax, and their Jacobians, against independent references.

References written here from the definitions, not from the algorithm under test:
- sparsemax is the Euclidean projection onto the probability simplex: a brute-force projection
  that tries every support and keeps the closest feasible point;
- 1.5-entmax solves Σ [z_i/2 − τ]_+² = 1 for τ: a bisection on τ;
- both have closed forms for two classes;
- the Jacobians against central finite differences away from support changes.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import activations as A

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}
MAPS = {"sparsemax": A.sparsemax, "entmax15": A.entmax15}
JACOBIANS = {"sparsemax": A.sparsemax_jacobian, "entmax15": A.entmax15_jacobian}
finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-50.0, 50.0)
temperatures = st.floats(min_value=0.01, max_value=100.0)


# --- references --------------------------------------------------------------------------------


def projection_onto_simplex(v: np.ndarray) -> np.ndarray:
    """argmin ‖p − v‖ over the simplex, by brute force over every support S.

    On a support S the closest point of the affine set {Σ p = 1, p = 0 off S} is
    p_S = v_S − (Σ v_S − 1)/|S|; among the supports where that point is ≥ 0, the closest wins.
    """
    n = len(v)
    best, best_dist = None, math.inf
    for size in range(1, n + 1):
        for support in itertools.combinations(range(n), size):
            idx = list(support)
            p = np.zeros(n)
            p[idx] = v[idx] - (v[idx].sum() - 1.0) / size
            if np.all(p >= -1e-12):
                dist = float(np.sum((p - v) ** 2))
                if dist < best_dist:
                    best, best_dist = np.maximum(p, 0.0), dist
    return best


def entmax15_by_bisection(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    """[x − τ]_+² with x = z/(2T) and τ found by bisection so that the entries sum to 1."""
    x = np.asarray(z, dtype=np.float64) / (2.0 * t)
    lo, hi = x.max() - 1.0, x.max()  # the sum is ≥ 1 at lo, 0 at hi, decreasing in τ
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.sum(np.maximum(x - mid, 0.0) ** 2) >= 1.0:
            lo = mid
        else:
            hi = mid
    p = np.maximum(x - lo, 0.0) ** 2
    return p / p.sum()


def central_jacobian(f, z: np.ndarray, h: float = 1e-6) -> np.ndarray:
    cols = []
    for e in np.eye(len(z)):
        cols.append((f(z + h * e) - f(z - h * e)) / (2 * h))
    return np.stack(cols, axis=1)


# --- known values and closed forms -------------------------------------------------------------


def test_worked_example_has_exact_zeros():
    z = [1.8, 0.9, 0.68]
    # τ = (1.8 + 0.9 − 1)/2 = 0.85: [0.95, 0.05, 0]; 0.68 < τ gets exactly 0.
    np.testing.assert_allclose(A.sparsemax(z), [0.95, 0.05, 0.0], atol=1e-15)
    assert A.sparsemax(z)[2] == 0.0
    p = A.entmax15(z)
    assert np.all(p > 0.0)  # 1.5-entmax keeps all three here, with less mass in the tail
    assert p[2] < A.softmax(z)[2]


@pytest.mark.parametrize("t", [-5.0, -2.0, -1.5, -0.3, 0.0, 0.7, 1.999, 2.0, 3.0, 40.0])
def test_two_classes_closed_forms(t):
    # sparsemax([t, 0])₀ = clip((t + 1)/2, 0, 1): a hard sigmoid.
    assert A.sparsemax([t, 0.0])[0] == pytest.approx(min(max((t + 1) / 2, 0.0), 1.0), abs=1e-15)
    # entmax15([t, 0])₀ = (1 + (t/2)√(2 − t²/4))/2 for |t| ≤ 2, else 0 or 1.
    a = t / 2
    expected = (1 + a * math.sqrt(2 - a * a)) / 2 if abs(a) <= 1 else float(t > 0)
    assert A.entmax15([t, 0.0])[0] == pytest.approx(expected, abs=1e-14)


def test_temperature_divides_the_logits_first():
    z = np.array([1.0, 0.4, -0.3, 0.2])
    for f in MAPS.values():
        np.testing.assert_allclose(f(z, 0.5), f(z / 0.5), rtol=1e-14, atol=1e-16)
        np.testing.assert_allclose(f(z, 3.0), f(z / 3.0), rtol=1e-14, atol=1e-16)
    # T → 0 is the argmax (ties split), T large keeps every class.
    assert A.sparsemax(z, 0.01).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert A.entmax15([2.0, 2.0, 1.0], 0.01).tolist() == [0.5, 0.5, 0.0]
    assert np.all(A.sparsemax(z, 100.0) > 0) and np.all(A.entmax15(z, 100.0) > 0)


def test_sparsity_order_softmax_entmax_sparsemax():
    z = np.array([2.0, 1.2, 0.9, 0.1, -0.5, -2.0])
    kept = [np.count_nonzero(f(z)) for f in (A.softmax, A.entmax15, A.sparsemax)]
    assert kept[0] > kept[1] > kept[2] > 1  # α = 1, 1.5, 2: sparser as α grows
    assert kept[1] == np.count_nonzero(entmax15_by_bisection(z) > 1e-12)
    assert kept[2] == np.count_nonzero(projection_onto_simplex(z) > 1e-12)


def test_axis_and_batches():
    z = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -9.0]])
    for f in MAPS.values():
        rows = f(z, axis=-1)
        np.testing.assert_allclose(rows, np.stack([f(r) for r in z]))
        cols = f(z, axis=0)
        np.testing.assert_allclose(cols, f(z.T, axis=-1).T)
        np.testing.assert_allclose(cols.sum(axis=0), 1.0)


def test_float32_input_gives_float64():
    for f in MAPS.values():
        assert f(np.array([1.0, 2.0], dtype=np.float32)).dtype == np.float64


@pytest.mark.parametrize("z", [[], [1.0, math.nan], [math.inf, 0.0], 3.0])
def test_bad_logits_rejected(z):
    for f in MAPS.values():
        with pytest.raises(ValueError):
            f(z)


@pytest.mark.parametrize("t", [0.0, -1.0, math.nan, math.inf, "hot"])
def test_bad_temperature_rejected(t):
    for f in (*MAPS.values(), *JACOBIANS.values()):
        with pytest.raises(ValueError, match="temperature"):
            f([1.0, 2.0], t)


def test_jacobians_need_a_vector():
    for f in JACOBIANS.values():
        with pytest.raises(ValueError, match="1-D"):
            f([[1.0, 2.0]])


# --- against the references --------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(moderate, min_size=1, max_size=6), temperatures)
def test_sparsemax_is_the_euclidean_projection(z, t):
    v = np.asarray(z) / t
    np.testing.assert_allclose(A.sparsemax(z, t), projection_onto_simplex(v), atol=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.lists(moderate, min_size=1, max_size=12), temperatures)
def test_entmax15_matches_bisection(z, t):
    np.testing.assert_allclose(A.entmax15(z, t), entmax15_by_bisection(z, t), atol=1e-9)


# --- invariants --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(MAPS)),
    st.lists(finite, min_size=1, max_size=20),
    temperatures,
)
def test_a_distribution_for_any_finite_logits_without_warnings(name, z, t):
    with np.errstate(**STRICT):
        p = MAPS[name](z, t)
    assert np.all(np.isfinite(p)) and np.all(p >= 0.0)
    assert math.isclose(p.sum(), 1.0, rel_tol=1e-12)
    assert p[int(np.argmax(z))] == p.max()  # the largest logit gets the largest probability


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(MAPS)),
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12),
    st.floats(-1e6, 1e6),
)
def test_invariant_to_adding_a_constant(name, z, c):
    z = np.asarray(z)
    # Exact shift only where z + c is exact to well below the scale that matters (gaps ≥ 1e-6).
    np.testing.assert_allclose(MAPS[name](z + c), MAPS[name](z), atol=1e-7)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(MAPS)), st.lists(moderate, min_size=2, max_size=12))
def test_zeros_are_exact_and_follow_the_threshold(name, z):
    p = MAPS[name](z)
    z = np.asarray(z)
    # Everything kept has a larger logit than everything dropped (the support is a top-k).
    if np.any(p == 0.0):
        assert z[p > 0].min() >= z[p == 0].max()
    # A class ≥ 1 (sparsemax) or ≥ 2 (1.5-entmax) below the maximum is always exactly 0.
    gap = 1.0 if name == "sparsemax" else 2.0
    assert np.all(p[z <= z.max() - gap] == 0.0)


@pytest.mark.parametrize("name", sorted(MAPS))
def test_extreme_logits_finite_and_warning_free(name):
    f = MAPS[name]
    with np.errstate(**STRICT):
        for t in (0.01, 1.0, 100.0, 1e300):
            for z in (
                [1e308, -1e308],
                [-1e308, 1e308, 1e308],
                [1.7e308, -1.7e308, 0.0, 1e308],
                [-1e308, -1e308 + 1e292, 0.0],
            ):
                p = f(z, t)
                assert np.all(np.isfinite(p)) and math.isclose(p.sum(), 1.0, rel_tol=1e-12)
        assert f([1e308, -1e308]).tolist() == [1.0, 0.0]
        assert f([-1e308, 1e308, 1e308]).tolist() == [0.0, 0.5, 0.5]
        # Huge logits with a small gap between them: the gap is what counts (shift invariance).
        np.testing.assert_allclose(f([1e300, 1e300]), [0.5, 0.5])
        jac = JACOBIANS[name]([1e308, -1e308, 1e308])
        assert np.all(np.isfinite(jac)) and np.all(jac[1] == 0.0) and np.all(jac[:, 1] == 0.0)


# --- Jacobians ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(JACOBIANS))
@pytest.mark.parametrize("t", [0.3, 1.0, 4.0])
def test_jacobian_against_central_differences(name, t):
    z = np.array([0.5, -1.0, 2.0, 0.1, 1.75])
    p = MAPS[name](z, t)
    assert np.count_nonzero(p) >= 2  # a non-trivial support (no class within 1e-3 of τ)
    jac = JACOBIANS[name](z, t)
    num = central_jacobian(lambda v: MAPS[name](v, t), z)
    assert np.max(np.abs(jac - num)) < 1e-7 * np.max(np.abs(jac))
    np.testing.assert_allclose(jac, jac.T, atol=1e-15)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-14)
    off = p == 0.0
    assert np.all(jac[off] == 0.0) and np.all(jac[:, off] == 0.0)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(JACOBIANS)), st.lists(st.floats(-5, 5), min_size=2, max_size=8))
def test_jacobian_against_central_differences_for_random_logits(name, z):
    z = np.asarray(z)
    x = z if name == "sparsemax" else z / 2.0
    p = MAPS[name](z)
    # Away from support changes: every class clearly in or clearly out of the support.
    support = p > 0
    tau = np.max(x[support] - (p[support] if name == "sparsemax" else np.sqrt(p[support])))
    assume(np.all(np.abs(x - tau) > 1e-4))
    jac = JACOBIANS[name](z)
    num = central_jacobian(MAPS[name], z, h=1e-7)
    assert np.max(np.abs(jac - num)) < 1e-5 * max(np.max(np.abs(jac)), 1e-3)


def test_sparsemax_jacobian_is_the_projection_on_the_support():
    jac = A.sparsemax_jacobian([1.8, 0.9, 0.68])
    np.testing.assert_array_equal(jac, [[0.5, -0.5, 0.0], [-0.5, 0.5, 0.0], [0.0, 0.0, 0.0]])


def test_entmax15_jacobian_uses_the_square_root_of_p():
    z = np.array([1.8, 0.9, 0.68])
    s = np.sqrt(A.entmax15(z, 2.0))
    np.testing.assert_allclose(
        A.entmax15_jacobian(z, 2.0), (np.diag(s) - np.outer(s, s) / s.sum()) / 2.0, rtol=1e-14
    )
