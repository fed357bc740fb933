r"""Softmax where language models use it: next-token sampling, and scaled dot-product attention.

Sampling
--------
A language model's last layer gives one logit :math:`z_i` per candidate token. ``generate`` in
Hugging Face ``transformers`` turns them into the distribution it samples from by applying its
*logits warpers* in this order, each to the logits the previous one kept (removed tokens get
the logit −∞, so probability exactly 0):

1. **temperature** T: :math:`z / T` (``TemperatureLogitsWarper``);
2. **top-k**: remove every logit strictly below the k-th largest, so every logit *tied* with
   the k-th stays (``scores < topk(scores, k)[-1]``; k larger than the vocabulary keeps all);
3. **top-p** (nucleus): sort the probabilities ascending (stable), take their cumulative sum
   and remove each token whose cumulative probability up to and including it is
   :math:`\le 1 - \text{top\_p}`; the most probable token always stays. In float64
   ``1 - 0.8`` is 0.19999999999999996, so p = [.5, .3, .2] with top_p = 0.8 keeps all three;
4. **min-p**: remove tokens whose probability is below :math:`\text{min\_p} \cdot \max_j p_j`
   (the most probable token always stays).

The result is :math:`\operatorname{softmax}` of the surviving logits. ``generate`` adds a warper
only when it changes something: ``top_k=None`` (or 0), ``top_p=None`` (or 1.0) and
``min_p=None`` skip theirs, as :func:`filter_logits` does. (At top_p = 1 the warper would only
remove tokens whose probability already rounds to 0, which changes no probability.)

Numerics: the logits are shifted by their maximum before the division by T, as
:func:`activations.softmax.softmax` does (halved first, so ``[1e308, -1e308]`` at T = 0.01 does
not overflow); softmax is shift-invariant and the order of the logits is unchanged, so each
warper removes the same tokens. Finite logits always give a finite result without warnings.

Attention
---------
Scaled dot-product attention weighs the keys :math:`k_j` of one query :math:`q` by
:math:`\operatorname{softmax}_j(q\cdot k_j/\sqrt{d_k})`. With the entries of q and k drawn
i.i.d. :math:`\mathcal N(0, 1)`, the score :math:`q \cdot k` has mean 0 and variance
:math:`d_k`: without the scale, the scores spread as :math:`\sqrt{d_k}`, the softmax saturates
on the largest one, and its Jacobian :math:`\operatorname{diag}(p) - pp^\top` (the factor every
gradient to the scores passes through) shrinks towards 0. Dividing by :math:`\sqrt{d_k}` keeps
the scores' variance at 1 whatever :math:`d_k`. :func:`attention_scaling` measures both.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from activations.softmax import entropy, parse_logits, softmax

Array = NDArray[np.float64]
Rule = Literal["", "top-k", "top-p", "min-p"]

#: The most candidate tokens :func:`parse_tokens` accepts (the page draws one bar per token).
MAX_TOKENS = 1000
#: The longest token text accepted (a token is a word piece, not a sentence).
MAX_TOKEN_TEXT = 40
#: Draws :func:`sample` accepts at once.
MAX_DRAWS = 10_000_000
#: The hint every token-line error ends with.
TOKENS_HINT = "Write one candidate per line as token: logit, e.g. mat: 3.2"


# --- validation --------------------------------------------------------------------------------


def _check_settings(
    temperature: float, top_k: int | None, top_p: float | None, min_p: float | None
) -> tuple[float, int | None, float | None, float | None]:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a finite number > 0, not {temperature!r}") from None
    if not math.isfinite(t) or t <= 0.0:
        raise ValueError(f"temperature must be a finite number > 0, got {t}")
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
            raise ValueError(f"top_k must be a whole number ≥ 1 (or None for off), not {top_k!r}")
        if top_k < 1:
            raise ValueError(f"top_k must be a whole number ≥ 1 (or None for off), got {top_k}")
        top_k = int(top_k)
    if top_p is not None:
        try:
            top_p = float(top_p)
        except (TypeError, ValueError):
            raise ValueError(f"top_p must be a number in (0, 1] (or None), not {top_p!r}") from None
        if not 0.0 < top_p <= 1.0:  # also rejects NaN
            raise ValueError(f"top_p must be a number in (0, 1] (1 or None for off), got {top_p}")
    if min_p is not None:
        try:
            min_p = float(min_p)
        except (TypeError, ValueError):
            raise ValueError(f"min_p must be a number in [0, 1] (or None), not {min_p!r}") from None
        if not 0.0 <= min_p <= 1.0:
            raise ValueError(f"min_p must be a number in [0, 1] (0 or None for off), got {min_p}")
    return t, top_k, top_p, min_p


def _as_logits(z: ArrayLike) -> Array:
    arr = np.asarray(z, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"logits must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("logits must be finite numbers (no NaN or ±inf)")
    return arr


def _masked_softmax(s: Array) -> Array:
    """softmax of ``s`` (entries ≤ 0 or −inf, at least one 0): exp(−inf) = 0, no warning."""
    e = np.exp(s - np.max(s))
    return e / np.sum(e)


# --- sampling ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filtered:
    """Every step of :func:`filter_steps`, one entry per token (in the input's order).

    ``scaled`` is (z − max z)/T (≤ 0; −∞ only where the true value is below −1.8e308);
    ``model_probs`` = softmax(z), the model's own distribution; ``tempered_probs`` =
    softmax(z/T); ``probs`` the sampling distribution (exact zeros for removed tokens).
    ``removed_by[i]`` names the first warper that removed token i ("" if it survives).
    ``kth_logit`` is the k-th largest logit z (None without top-k), ``top_p_cutoff`` the
    value 1 − top_p the cumulative sums are compared with, ``min_p_threshold`` the probability
    min_p · max p below which min-p removes.
    """

    scaled: Array
    model_probs: Array
    tempered_probs: Array
    probs: Array
    removed_by: tuple[Rule, ...]
    kth_logit: float | None
    top_p_cutoff: float | None
    min_p_threshold: float | None

    @property
    def kept(self) -> NDArray[np.bool_]:
        return np.array([rule == "" for rule in self.removed_by], dtype=bool)

    @property
    def n_kept(self) -> int:
        return sum(rule == "" for rule in self.removed_by)


def filter_steps(
    z: ArrayLike,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
) -> Filtered:
    """Temperature, top-k, top-p and min-p as ``generate`` applies them, with every step kept.

    See the module docstring for the order and each rule's exact boundary. ``top_k=None``,
    ``top_p=None`` or ``1.0`` and ``min_p=None`` are off (as in ``generate``); ``min_p=0``
    removes nothing. Raises ``ValueError`` for non-finite or empty logits, T not finite and > 0,
    top_k < 1, top_p outside (0, 1], min_p outside [0, 1].
    """
    t, top_k, top_p, min_p = _check_settings(temperature, top_k, top_p, min_p)
    arr = _as_logits(z)
    half = arr * 0.5 - np.max(arr) * 0.5  # ≤ 0 and finite: see activations.softmax
    with np.errstate(over="ignore"):  # only towards −inf, the correct rounding
        s = half / t * 2.0
    model_probs = softmax(arr)
    tempered = _masked_softmax(s)
    removed: list[Rule] = [""] * arr.size
    current = s.copy()

    kth = None
    if top_k is not None:
        # Ranked on z itself: dividing by T > 0 keeps the order, and z cannot round two
        # different logits together as (z − max)/T can (both −inf far below the maximum).
        k = min(top_k, arr.size)
        kth = float(np.sort(arr)[::-1][k - 1])
        drop = arr < kth
        for i in np.flatnonzero(drop):
            removed[i] = "top-k"
        current[drop] = -np.inf

    cutoff = None
    if top_p is not None and top_p < 1.0:
        cutoff = 1.0 - top_p
        order = np.argsort(current, kind="stable")  # ascending
        cumulative = np.cumsum(_masked_softmax(current)[order])
        drop = cumulative <= cutoff
        drop[-1] = False  # the most probable token always stays
        for i in order[drop]:
            if not removed[i]:
                removed[i] = "top-p"
        current[order[drop]] = -np.inf

    threshold = None
    if min_p is not None:
        p = _masked_softmax(current)
        threshold = min_p * float(np.max(p))
        drop = p < threshold
        drop[int(np.argmax(current))] = False  # the most probable token always stays
        for i in np.flatnonzero(drop):
            if not removed[i]:
                removed[i] = "min-p"
        current[drop] = -np.inf

    return Filtered(
        scaled=s,
        model_probs=model_probs,
        tempered_probs=tempered,
        probs=_masked_softmax(current),
        removed_by=tuple(removed),
        kth_logit=kth,
        top_p_cutoff=cutoff,
        min_p_threshold=threshold,
    )


def filter_logits(
    z: ArrayLike,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
) -> Array:
    r"""The distribution ``generate`` samples the next token from: a float64 array like ``z``
    that sums to 1, with exact zeros for the tokens top-k, top-p or min-p removed.

    Temperature, then top-k, then top-p, then min-p, each on the logits the previous one kept
    (Hugging Face's warper order and semantics; see the module docstring):

    .. math::  p = \operatorname{softmax}(\tilde z / T), \quad
               \tilde z_i = z_i \text{ if token } i \text{ survives, else } -\infty.

    ``ValueError`` for invalid settings, naming what is accepted (:func:`filter_steps`).
    """
    return filter_steps(z, temperature, top_k, top_p, min_p).probs


def _as_probabilities(p: ArrayLike) -> Array:
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"p must be a non-empty 1-D probability vector, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0):
        raise ValueError("p must hold finite probabilities ≥ 0")
    total = float(np.sum(arr))
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"p must sum to 1 (within 1e-9); it sums to {total!r}")
    return arr


def sample(p: ArrayLike, n: int, seed: int) -> NDArray[np.int64]:
    """Counts per token of ``n`` independent draws from ``p``, seeded (the same seed, the same
    counts): ``numpy.random.default_rng(seed).multinomial(n, p)``.

    A token with probability exactly 0 is never drawn. ``p`` must be a 1-D vector of finite
    probabilities ≥ 0 summing to 1 (within 1e−9); ``n`` a whole number from 0 to
    :data:`MAX_DRAWS`; ``seed`` a whole number ≥ 0. Anything else raises ``ValueError``.
    """
    arr = _as_probabilities(p)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_DRAWS:
        raise ValueError(f"n must be a whole number from 0 to {MAX_DRAWS:,}, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    return rng.multinomial(int(n), arr / np.sum(arr)).astype(np.int64)


def effective_vocabulary(p: ArrayLike) -> float:
    r"""exp(H(p)) with H the entropy in nats: the number of *equally likely* tokens that would
    have the same entropy as ``p``. 1 for a one-hot, n for the uniform distribution over n."""
    return float(np.exp(entropy(_as_probabilities(p))))


# --- the token lines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidates:
    """Candidate tokens and their logits, as :func:`parse_tokens` read them (same order)."""

    tokens: tuple[str, ...]
    logits: Array

    @property
    def duplicates(self) -> dict[str, list[int]]:
        """Each token that appears more than once → the (0-based) positions where it does."""
        where: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            where.setdefault(tok, []).append(i)
        return {tok: idx for tok, idx in where.items() if len(idx) > 1}


def _clean(token: str) -> str:
    # Control and format characters (a pasted tab, a zero-width joiner) go; spaces collapse.
    printable = "".join(c for c in token if not unicodedata.category(c).startswith("C"))
    return " ".join(printable.split())


def parse_tokens(text: str) -> Candidates:
    """Read ``token: logit`` lines (blank lines skipped) into :class:`Candidates`.

    The logit is whatever follows the *last* colon, read by :func:`parse_logits` (one plain
    number; nothing is evaluated), so a token may itself contain a colon. The same token may
    appear on several lines: each line is its own candidate. ``ValueError`` names the line
    (1-based, counting blank lines) and what is expected: a missing colon, an empty token, a
    token longer than :data:`MAX_TOKEN_TEXT` characters, a logit that is not one finite number,
    no candidates at all, or more than :data:`MAX_TOKENS`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_tokens takes a string, not {type(text).__name__}")
    lines = [(i + 1, line) for i, line in enumerate(text.splitlines()) if line.strip()]
    if not lines:
        raise ValueError(f"No candidate tokens found. {TOKENS_HINT}.")
    if len(lines) > MAX_TOKENS:
        raise ValueError(
            f"Too many tokens: {len(lines):,} lines (at most {MAX_TOKENS:,}). {TOKENS_HINT}."
        )
    tokens: list[str] = []
    values = np.empty(len(lines), dtype=np.float64)
    for j, (number, line) in enumerate(lines):
        head, colon, tail = line.rpartition(":")
        if not colon:
            raise ValueError(
                f"Line {number}: no colon. Expected token: logit (a token, a colon, then a "
                f"number). {TOKENS_HINT}."
            )
        token = _clean(head)
        if not token:
            raise ValueError(f"Line {number}: the token before the colon is empty. {TOKENS_HINT}.")
        if len(token) > MAX_TOKEN_TEXT:
            raise ValueError(
                f"Line {number}: the token is {len(token)} characters long (at most "
                f"{MAX_TOKEN_TEXT}). {TOKENS_HINT}."
            )
        try:
            parsed = parse_logits(tail)
        except ValueError as exc:
            reason = str(exc).split(". Enter numbers")[0].rstrip(".")
            raise ValueError(
                f"Line {number}: the logit after the colon must be one number ({reason}). "
                f"{TOKENS_HINT}."
            ) from None
        if parsed.size != 1:
            raise ValueError(
                f"Line {number}: one logit per line, found {parsed.size} numbers. {TOKENS_HINT}."
            )
        tokens.append(token)
        values[j] = parsed[0]
    return Candidates(tokens=tuple(tokens), logits=values)


def format_tokens(tokens: tuple[str, ...] | list[str], logits: ArrayLike) -> str:
    """``token: logit`` lines that :func:`parse_tokens` reads back to the same candidates."""
    return "\n".join(
        f"{tok}: {float(v)!r}" for tok, v in zip(tokens, np.asarray(logits), strict=True)
    )


# --- attention ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionScaling:
    r"""Attention scores of ``n_queries`` random queries against ``n_keys`` random keys.

    ``scores[q, j]`` = :math:`q \cdot k_j` and ``scaled_scores`` = :math:`q\cdot k_j/\sqrt{d_k}`
    (shape (n_queries, n_keys)); ``weights`` and ``scaled_weights`` their softmax per query.
    Each statistic is a mean over the queries: ``spread`` the standard deviation of one query's
    scores, ``entropy`` that of its weights (nats; the maximum is log n_keys),
    ``jacobian_norm`` the Frobenius norm of :math:`\operatorname{diag}(p) - pp^\top`, and
    ``max_weight`` its largest weight; the ``scaled_`` ones are the same with the 1/√d_k scale.
    """

    d_k: int
    n_keys: int
    n_queries: int
    seed: int
    scores: Array
    scaled_scores: Array
    weights: Array
    scaled_weights: Array
    spread: float
    scaled_spread: float
    entropy: float
    scaled_entropy: float
    jacobian_norm: float
    scaled_jacobian_norm: float
    max_weight: float
    scaled_max_weight: float


def softmax_jacobian_norm(p: ArrayLike) -> Array:
    r"""Frobenius norm of :math:`J = \operatorname{diag}(p) - pp^\top` for each row of ``p``.

    The diagonal :math:`p_i(1 - p_i)` is computed as :math:`p_i \sum_{j \ne i} p_j`, which keeps
    its digits when :math:`p_i` rounds to 1; entries are scaled by the largest before squaring,
    so a tiny norm does not underflow to 0.
    """
    arr = np.atleast_2d(np.asarray(p, dtype=np.float64))
    n = arr.shape[-1]
    off = 1.0 - np.eye(n)
    others = np.einsum("qj,ij->qi", arr, off)  # Σ_{j≠i} p_j
    jac = -arr[:, :, None] * arr[:, None, :]
    idx = np.arange(n)
    jac[:, idx, idx] = arr * others
    big = np.max(np.abs(jac), axis=(1, 2))
    safe = np.where(big > 0.0, big, 1.0)
    ratio = jac / safe[:, None, None]
    return big * np.sqrt(np.sum(ratio * ratio, axis=(1, 2)))


def attention_scaling(
    d_k: int, n_keys: int = 16, seed: int = 0, n_queries: int = 32
) -> AttentionScaling:
    """Random queries and keys of dimension ``d_k``, scored with and without 1/√d_k.

    Randomness: ``rng = numpy.random.default_rng(seed)``; the queries are drawn first
    (``rng.standard_normal((n_queries, d_k))``), then the keys (``(n_keys, d_k)``), so the
    same arguments give the same record. ``ValueError`` unless 1 ≤ d_k ≤ 4096,
    2 ≤ n_keys ≤ 256, 1 ≤ n_queries ≤ 256 and seed ≥ 0 (whole numbers).
    """
    for name, value, low, high in (
        ("d_k", d_k, 1, 4096),
        ("n_keys", n_keys, 2, 256),
        ("n_queries", n_queries, 1, 256),
        ("seed", seed, 0, 2**63 - 1),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value}")
    rng = np.random.default_rng(int(seed))
    q = rng.standard_normal((n_queries, d_k))
    k = rng.standard_normal((n_keys, d_k))
    scores = q @ k.T
    scaled = scores / math.sqrt(d_k)
    weights = softmax(scores, axis=-1)
    scaled_weights = softmax(scaled, axis=-1)
    return AttentionScaling(
        d_k=int(d_k),
        n_keys=int(n_keys),
        n_queries=int(n_queries),
        seed=int(seed),
        scores=scores,
        scaled_scores=scaled,
        weights=weights,
        scaled_weights=scaled_weights,
        spread=float(np.mean(np.std(scores, axis=-1))),
        scaled_spread=float(np.mean(np.std(scaled, axis=-1))),
        entropy=float(np.mean(entropy(weights, axis=-1))),
        scaled_entropy=float(np.mean(entropy(scaled_weights, axis=-1))),
        jacobian_norm=float(np.mean(softmax_jacobian_norm(weights))),
        scaled_jacobian_norm=float(np.mean(softmax_jacobian_norm(scaled_weights))),
        max_weight=float(np.mean(np.max(weights, axis=-1))),
        scaled_max_weight=float(np.mean(np.max(scaled_weights, axis=-1))),
    )
