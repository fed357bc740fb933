"""LLM sampling (temperature, top-k, top-p, min-p), seeded draws, token lines, and attention."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import activations as A
from activations.sampling import (
    MAX_TOKENS,
    format_tokens,
    softmax_jacobian_norm,
)

try:
    import torch
except ImportError:  # pragma: no cover - the dev environment has torch
    torch = None

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


# --- a reference: Hugging Face's warpers, line for line, in torch float64 -----------------------
#
# Copied from transformers' generation/logits_process.py (TemperatureLogitsWarper,
# TopKLogitsWarper, TopPLogitsWarper, MinPLogitsWarper, min_tokens_to_keep = 1), for one row;
# the order is generate's. torch.sort is called with stable=True, as the issue specifies.


def hf_reference(scores, top_k=None, top_p=None, min_p=None):
    s = torch.tensor(scores, dtype=torch.float64)[None, :]
    if top_k is not None:
        k = min(top_k, s.size(-1))
        remove = s < torch.topk(s, k)[0][..., -1, None]
        s = s.masked_fill(remove, -float("inf"))
    if top_p is not None and top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(s, descending=False, stable=True)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_remove = cumulative <= (1 - top_p)
        sorted_remove[..., -1:] = 0
        remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
        s = s.masked_fill(remove, -float("inf"))
    if min_p is not None:
        probs = torch.softmax(s, dim=-1)
        top = probs.amax(dim=-1, keepdim=True)
        to_remove = probs < min_p * top
        sorted_indices = torch.argsort(s, descending=True, dim=-1)
        sorted_remove = torch.gather(to_remove, dim=-1, index=sorted_indices)
        sorted_remove[..., :1] = False
        remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
        s = s.masked_fill(remove, -float("inf"))
    return torch.softmax(s, dim=-1)[0].numpy()


quarter_logits = st.lists(st.integers(-80, 80).map(lambda v: v / 4.0), min_size=1, max_size=30).map(
    np.array
)
knob_t = st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0])
knob_k = st.one_of(st.none(), st.integers(1, 35))
knob_p = st.one_of(st.none(), st.sampled_from([0.05, 0.2, 0.35, 0.5, 0.65, 0.9, 0.97, 1.0]))
knob_min_p = st.one_of(st.none(), st.sampled_from([0.0, 0.02, 0.1, 0.3, 0.55, 0.9, 1.0]))


@pytest.mark.skipif(torch is None, reason="the reference needs torch")
@settings(max_examples=300, deadline=None)
@given(quarter_logits, knob_t, knob_k, knob_p, knob_min_p)
def test_matches_the_hugging_face_warpers(z, t, k, top_p, min_p):
    # On a quarter grid and power-of-two temperatures (z − max)/T is exact, so the reference,
    # fed z/T shifted by its max as generate's softmax would see it, must keep the same tokens.
    got = A.filter_logits(z, t, top_k=k, top_p=top_p, min_p=min_p)
    ref = hf_reference((z - z.max()) / t, k, top_p, min_p)
    np.testing.assert_array_equal(got == 0.0, ref == 0.0)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-300)


# --- hand-checked boundaries ---------------------------------------------------------------------

P3 = np.log([0.5, 0.3, 0.2])


def test_the_issue_example_top_p_08_keeps_all_three():
    assert 1 - 0.8 == 0.19999999999999996  # why: the smallest cumulative sum, 0.2, is above it
    np.testing.assert_allclose(A.filter_logits(P3, top_p=0.8), [0.5, 0.3, 0.2], rtol=1e-15)


def test_top_p_just_below_drops_the_least_likely():
    p = A.filter_logits(P3, top_p=0.79)  # 1 − 0.79 = 0.21 ≥ 0.2: the 0.2 token goes
    np.testing.assert_allclose(p, [0.625, 0.375, 0.0], rtol=1e-14)
    assert p[2] == 0.0
    assert A.filter_steps(P3, top_p=0.79).removed_by == ("", "", "top-p")


def test_top_p_tiny_keeps_only_the_most_likely():
    assert A.filter_logits(P3, top_p=1e-9).tolist() == [1.0, 0.0, 0.0]
    assert A.filter_logits([0.0, 5.0, 1.0], top_p=0.01).tolist() == [0.0, 1.0, 0.0]


def test_top_p_one_is_off_as_in_generate():
    z = [0.0, -2000.0, 1.0]  # the middle token's probability rounds to 0
    steps = A.filter_steps(z, top_p=1.0)
    assert steps.removed_by == ("", "", "")
    np.testing.assert_array_equal(steps.probs, A.softmax(z))


def test_top_k_keeps_every_tie_with_the_kth():
    z = [3.0, 2.0, 2.0, 1.0, 2.0]
    steps = A.filter_steps(z, top_k=2)
    assert steps.removed_by == ("", "", "", "top-k", "")
    assert steps.n_kept == 4
    assert steps.kth_logit == 2.0
    assert A.filter_steps([2.0, 2.0, 1.0], top_k=1).n_kept == 2


def test_top_k_larger_than_the_vocabulary_keeps_all():
    z = [0.5, -1.0, 2.0]
    np.testing.assert_array_equal(A.filter_logits(z, top_k=1000), A.softmax(z))


def test_min_p_boundary_is_strict():
    # min_p · max p = 0.4 · 0.5 = 0.2 exactly, and "below" is strict: the 0.2 token stays.
    assert A.filter_steps(P3, min_p=0.4).n_kept == 3
    steps = A.filter_steps(P3, min_p=0.5)  # threshold 0.25
    assert steps.removed_by == ("", "", "min-p")
    assert steps.min_p_threshold == pytest.approx(0.25)
    assert A.filter_steps(P3, min_p=1.0).removed_by == ("", "min-p", "min-p")
    assert A.filter_steps([1.0, 1.0, 0.0], min_p=1.0).n_kept == 2  # ties with the top stay
    assert A.filter_steps(P3, min_p=0.0).n_kept == 3


def test_order_top_k_then_top_p_then_min_p():
    z = np.log([0.4, 0.3, 0.2, 0.1])
    # top-k 3 first: [.4, .3, .2]/.9; then top-p 0.5 cuts at 0.5: ascending sums .222, .556 →
    # the .2 token goes (≤ 0.5); then min-p 0.8 of max .571 = .457: the .3 token (.429) goes.
    steps = A.filter_steps(z, top_k=3, top_p=0.5, min_p=0.8)
    assert steps.removed_by == ("", "min-p", "top-p", "top-k")
    assert steps.probs.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_temperature_one_with_no_filter_is_the_models_distribution():
    z = np.array([2.0, 1.0, -0.5, 0.25])
    np.testing.assert_array_equal(A.filter_logits(z), A.softmax(z))
    np.testing.assert_allclose(A.filter_logits(z, 2.5), A.softmax(z, 2.5), rtol=1e-14)


def test_temperature_to_zero_is_greedy():
    z = [1.0, 3.0, 2.9, -1.0]
    np.testing.assert_allclose(A.filter_logits(z, 1e-3), [0.0, 1.0, 0.0, 0.0], atol=1e-40)
    assert A.filter_logits(z, 1e-5).tolist() == [0.0, 1.0, 0.0, 0.0]
    np.testing.assert_allclose(A.filter_logits([1.0, 3.0, 3.0], 1e-3), [0.0, 0.5, 0.5])


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"temperature": 0.0}, "temperature must be a finite number > 0"),
        ({"temperature": -1.0}, "temperature must be a finite number > 0"),
        ({"temperature": math.inf}, "temperature must be a finite number > 0"),
        ({"temperature": math.nan}, "temperature must be a finite number > 0"),
        ({"top_k": 0}, "top_k must be a whole number ≥ 1"),
        ({"top_k": -3}, "top_k must be a whole number ≥ 1"),
        ({"top_k": 2.5}, "top_k must be a whole number ≥ 1"),
        ({"top_p": 0.0}, "top_p must be a number in (0, 1]"),
        ({"top_p": 1.01}, "top_p must be a number in (0, 1]"),
        ({"top_p": math.nan}, "top_p must be a number in (0, 1]"),
        ({"min_p": -0.1}, "min_p must be a number in [0, 1]"),
        ({"min_p": 1.5}, "min_p must be a number in [0, 1]"),
    ],
)
def test_invalid_settings_say_what_is_accepted(kwargs, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        A.filter_logits([1.0, 2.0], **kwargs)


@pytest.mark.parametrize("z", [[], [[1.0, 2.0]], [1.0, math.nan], [math.inf, 0.0]])
def test_invalid_logits(z):
    with pytest.raises(ValueError, match="logits"):
        A.filter_logits(z)


# --- invariants --------------------------------------------------------------------------------

any_logits = st.lists(
    st.floats(-1e308, 1e308, allow_nan=False, allow_infinity=False), min_size=1, max_size=25
).map(np.array)
any_t = st.floats(1e-3, 1e3)
any_p = st.one_of(st.none(), st.floats(1e-6, 1.0))
any_min_p = st.one_of(st.none(), st.floats(0.0, 1.0))


@settings(max_examples=400, deadline=None)
@given(any_logits, any_t, knob_k, any_p, any_min_p)
def test_a_distribution_with_exact_zeros_for_removed_tokens(z, t, k, top_p, min_p):
    with np.errstate(**STRICT):
        steps = A.filter_steps(z, t, top_k=k, top_p=top_p, min_p=min_p)
    p = steps.probs
    assert p.shape == z.shape and p.dtype == np.float64
    assert np.all(np.isfinite(p)) and np.all(p >= 0.0)
    assert abs(p.sum() - 1.0) < 1e-12
    assert np.all(p[~steps.kept] == 0.0)
    assert np.any(steps.kept[z == z.max()])  # a most likely token always stays (one of a tie)


@settings(max_examples=300, deadline=None)
@given(any_logits, any_t, knob_k, any_p, any_min_p, st.data())
def test_monotone_in_each_knob(z, t, k, top_p, min_p, data):
    def kept(**change):
        args = {"top_k": k, "top_p": top_p, "min_p": min_p, **change}
        return A.filter_steps(z, t, **args).kept

    lower_p, higher_p = sorted(data.draw(st.tuples(st.floats(1e-6, 1.0), st.floats(1e-6, 1.0))))
    assert not np.any(kept(top_p=lower_p) & ~kept(top_p=higher_p))  # never keeps more
    lower_k, higher_k = sorted(data.draw(st.tuples(st.integers(1, 30), st.integers(1, 30))))
    assert not np.any(kept(top_k=lower_k) & ~kept(top_k=higher_k))
    low_m, high_m = sorted(data.draw(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0))))
    assert not np.any(kept(min_p=high_m) & ~kept(min_p=low_m))


@pytest.mark.parametrize("t", [1e-300, 0.01, 1.0, 100.0, 1e300])
def test_extreme_logits_finite_and_warning_free(t):
    z = np.array([1e308, -1e308, 0.0, 1e308, -5e307])
    with np.errstate(**STRICT):
        for kw in ({}, {"top_k": 2}, {"top_p": 0.5}, {"min_p": 0.5}, {"top_k": 3, "top_p": 0.9}):
            p = A.filter_logits(z, t, **kw)
            assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    if t <= 1.0:  # the two tied maxima share everything
        np.testing.assert_allclose(A.filter_logits(z, t), [0.5, 0.0, 0.0, 0.5, 0.0])


def test_float32_input():
    z = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    assert A.filter_logits(z, top_k=2).dtype == np.float64


# --- draws and the effective vocabulary ----------------------------------------------------------


def test_sample_is_seeded_and_counts_add_up():
    p = A.filter_logits(np.log([0.5, 0.3, 0.15, 0.05]), top_p=0.9)
    counts = A.sample(p, 1000, seed=7)
    assert counts.dtype == np.int64 and counts.sum() == 1000
    np.testing.assert_array_equal(counts, A.sample(p, 1000, seed=7))
    np.testing.assert_array_equal(counts, np.random.default_rng(7).multinomial(1000, p))
    assert counts[3] == 0  # removed: probability exactly 0, never drawn
    assert not np.array_equal(counts, A.sample(p, 1000, seed=8))


def test_sample_frequencies_approach_the_probabilities():
    p = np.array([0.6, 0.25, 0.1, 0.05])
    n = 200_000
    counts = A.sample(p, n, seed=1)
    sigma = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(counts - n * p) < 5 * sigma)


@pytest.mark.parametrize(
    ("p", "n", "seed", "words"),
    [
        ([0.5, 0.6], 10, 0, "sum to 1"),
        ([1.2, -0.2], 10, 0, "≥ 0"),
        ([math.nan, 1.0], 10, 0, "finite"),
        ([1.0], -1, 0, "n must be a whole number"),
        ([1.0], 2.5, 0, "n must be a whole number"),
        ([1.0], 10, -1, "seed must be a whole number"),
    ],
)
def test_sample_rejects_bad_input(p, n, seed, words):
    with pytest.raises(ValueError, match=words):
        A.sample(p, n, seed)


def test_effective_vocabulary():
    assert A.effective_vocabulary([1.0, 0.0, 0.0]) == 1.0
    assert A.effective_vocabulary(np.full(7, 1 / 7)) == pytest.approx(7.0, rel=1e-14)
    p = np.array([0.5, 0.3, 0.2])
    assert A.effective_vocabulary(p) == pytest.approx(np.exp(-(p * np.log(p)).sum()), rel=1e-14)
    assert 1.0 < A.effective_vocabulary(p) < 3.0


# --- token lines -------------------------------------------------------------------------------


def test_parse_tokens_reads_lines_and_keeps_colons_and_duplicates():
    c = A.parse_tokens(" mat: 3.2\n\nsofa:2\n12:30 pm: −1.5e0\nmat: 0.5\n")
    assert c.tokens == ("mat", "sofa", "12:30 pm", "mat")
    np.testing.assert_array_equal(c.logits, [3.2, 2.0, -1.5, 0.5])
    assert c.duplicates == {"mat": [0, 3]}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\n\nb 2", 3, "no colon"),
        ("a: 1\n: 2", 2, "token before the colon is empty"),
        ("a: 1\nb: two", 2, "must be one number"),
        ("a: 1\nb: 2**10", 2, "must be one number"),
        ("a: nan", 1, "must be one number"),
        ("a: 1e999", 1, "must be one number"),
        ("a: 1, 2", 1, "one logit per line"),
        ("a: ", 1, "must be one number"),
        ("x" * 41 + ": 1", 1, "at most 40"),
    ],
)
def test_parse_tokens_names_the_line_and_what_is_expected(text, line, words):
    with pytest.raises(ValueError, match=f"Line {line}: .*{words}") as info:
        A.parse_tokens(text)
    assert "token: logit" in str(info.value)


def test_parse_tokens_refuses_more_than_the_maximum():
    ok = "\n".join(f"t{i}: {i % 7}" for i in range(MAX_TOKENS))
    assert len(A.parse_tokens(ok).tokens) == MAX_TOKENS
    with pytest.raises(ValueError, match="Too many tokens: 1,001 lines"):
        A.parse_tokens(ok + "\nlast: 1")
    with pytest.raises(ValueError, match="No candidate tokens"):
        A.parse_tokens(" \n\n")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(blacklist_categories=("C", "Z")), min_size=1, max_size=40),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_format_tokens_round_trips(pairs):
    tokens = [tok for tok, _ in pairs]
    logits = np.array([v for _, v in pairs])
    back = A.parse_tokens(format_tokens(tokens, logits))
    assert back.tokens == tuple(tokens)
    np.testing.assert_array_equal(back.logits, logits)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_tokens_never_crashes_otherwise(text):
    try:
        c = A.parse_tokens(text)
    except ValueError:
        return
    assert len(c.tokens) == len(c.logits) and np.all(np.isfinite(c.logits))


# --- attention ---------------------------------------------------------------------------------


def test_attention_scale_keeps_the_spread_near_one():
    for d_k in (1, 16, 256, 1024):
        a = A.attention_scaling(d_k, n_keys=16, seed=3, n_queries=64)
        assert a.scaled_spread == pytest.approx(a.spread / math.sqrt(d_k), rel=1e-12)
        assert 0.6 < a.scaled_spread < 1.3  # q·k/√d_k has variance 1
        assert 0.6 * math.sqrt(d_k) < a.spread < 1.3 * math.sqrt(d_k)


def test_without_the_scale_the_softmax_saturates():
    small = A.attention_scaling(4, seed=0)
    big = A.attention_scaling(1024, seed=0)
    assert big.entropy < 0.3 * big.scaled_entropy
    assert big.max_weight > 0.8 > big.scaled_max_weight
    assert big.jacobian_norm < 0.4 * big.scaled_jacobian_norm
    assert big.entropy < small.entropy
    # with the scale, d_k hardly matters
    assert big.scaled_entropy == pytest.approx(small.scaled_entropy, rel=0.25)


def test_attention_is_seeded_and_drawn_queries_first():
    a = A.attention_scaling(8, n_keys=5, seed=11, n_queries=3)
    b = A.attention_scaling(8, n_keys=5, seed=11, n_queries=3)
    np.testing.assert_array_equal(a.scores, b.scores)
    rng = np.random.default_rng(11)
    q, k = rng.standard_normal((3, 8)), rng.standard_normal((5, 8))
    np.testing.assert_allclose(a.scores, q @ k.T, rtol=1e-14)
    np.testing.assert_allclose(a.scaled_weights, A.softmax(q @ k.T / math.sqrt(8), axis=-1))
    assert a.weights.shape == (3, 5)


def test_jacobian_norm_matches_the_core_jacobian():
    p = A.softmax(np.array([[0.3, -1.0, 2.0, 0.0], [5.0, 5.0, -3.0, 1.0]]), axis=-1)
    expected = [np.linalg.norm(A.softmax_jacobian(np.log(row))) for row in p]
    np.testing.assert_allclose(softmax_jacobian_norm(p), expected, rtol=1e-12)


def test_jacobian_norm_keeps_tiny_values():
    p = A.softmax(np.array([0.0, -100.0, -200.0]))  # p ≈ [1, 3.7e-44, 1.4e-87]
    norm = softmax_jacobian_norm(p)[0]
    assert norm == pytest.approx(math.sqrt(6) * math.exp(-100), rel=1e-6)  # not 0, not noise


@pytest.mark.parametrize(
    "kwargs",
    [{"d_k": 0}, {"d_k": 5000}, {"d_k": 2.0}, {"d_k": 4, "n_keys": 1}, {"d_k": 4, "seed": -1}],
)
def test_attention_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="must be a whole number from"):
        A.attention_scaling(**kwargs)
