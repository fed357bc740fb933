r"""Softmax, its Jacobian, entropy and cross-entropy (with label smoothing), the sparse
alternatives sparsemax and 1.5-entmax with their Jacobians, and the logits parser.

.. math::

    \operatorname{softmax}(z; T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}, \qquad
    \frac{\partial p_i}{\partial z_j} = \frac{p_i(\delta_{ij} - p_j)}{T}

Numerics
--------
Softmax is invariant to adding a constant to every logit, so subtracting the maximum is exact,
not an approximation: afterwards every exponent is ≤ 0, ``exp`` cannot overflow and the largest
term is exactly 1, so the sum is ≥ 1 and never 0.

The subtraction itself can overflow: for logits ``[1e308, -1e308]`` the difference is −2e308,
beyond float64's range. We therefore subtract half of each (``z/2 − max/2`` cannot overflow,
and halving is exact), then divide by T and double. A difference that is still beyond −1.8e308
after scaling is rounded to −inf, exactly as IEEE rounding of the true value would be: its
probability is then 0 (the true value is below 1e−(10^308)), and its log-probability is −inf
because the true value is not representable. This is the only place we silence an overflow
warning, and no NaN can come out of it (every finite logit gives a finite or −inf exponent).

All functions work in float64 and accept float32; logits must be finite, temperature must be a
finite number > 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Array = NDArray[np.float64]

#: The example every parser error message ends with.
LOGITS_HINT = "Enter numbers separated by commas, e.g. 1.8, 0.9, 0.68"
#: The most logits :func:`parse_logits` accepts (the page shows one bar per class).
MAX_LOGITS = 1000
#: No float needs more characters than this (``repr`` needs at most 24); longer tokens are
#: rejected before conversion so a pasted megabyte of digits costs nothing.
MAX_TOKEN_CHARS = 100


# --- validation --------------------------------------------------------------------------------


def _check_temperature(temperature: float) -> float:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a number > 0, not {temperature!r}") from None
    if not np.isfinite(t) or t <= 0.0:
        raise ValueError(f"temperature must be a finite number > 0, got {t}")
    return t


def _as_logits(z: ArrayLike) -> Array:
    arr = np.asarray(z, dtype=np.float64)
    if arr.ndim == 0:
        raise ValueError("softmax needs at least one logit: pass a 1-D array, not a scalar")
    if arr.size == 0 or 0 in arr.shape:
        raise ValueError("softmax needs at least one logit; got an empty array")
    if not np.all(np.isfinite(arr)):
        raise ValueError("logits must be finite numbers (no NaN or ±inf)")
    return arr


# --- softmax -----------------------------------------------------------------------------------


def _shifted(z: Array, t: float, axis: int) -> Array:
    r"""(z − max z)/T along ``axis``, every entry ≤ 0 (finite or −inf), computed without overflow.

    ``z/2 − m/2`` is exact up to one rounding and bounded by 1.8e308 in magnitude; dividing by T
    and doubling can only overflow toward −inf (the correct rounding of a value below −1.8e308).
    """
    half_max = np.max(z, axis=axis, keepdims=True) * 0.5
    d = z * 0.5 - half_max  # ≤ 0, finite
    with np.errstate(over="ignore"):  # overflow here can only give −inf: see module docstring
        d /= t
        d *= 2.0
    return d


def softmax(z: ArrayLike, temperature: float = 1.0, axis: int = -1) -> Array:
    r"""Softmax with temperature along ``axis``: :math:`p_i = e^{z_i/T} / \sum_j e^{z_j/T}`.

    Computed as :math:`e^{(z_i - \max z)/T} / \sum_j e^{(z_j - \max z)/T}`, which is exact (softmax
    is shift-invariant) and cannot overflow. T → 0 tends to a one-hot on the argmax (ties split
    equally), T → ∞ to uniform. Same shape as ``z``; each slice along ``axis`` sums to 1.

    Raises ``ValueError`` for non-finite logits, an empty array, or T that is not finite and > 0.
    """
    arr = _as_logits(z)
    t = _check_temperature(temperature)
    e = np.exp(_shifted(arr, t, axis))  # exp(−inf) = 0, no warning
    e /= np.sum(e, axis=axis, keepdims=True)  # the sum is ≥ 1: the max term is exactly 1
    return e


def log_softmax(z: ArrayLike, temperature: float = 1.0, axis: int = -1) -> Array:
    r"""log softmax(z/T) along ``axis``: :math:`(z_i - \max z)/T - \log\sum_j e^{(z_j - \max z)/T}`.

    Never NaN, and finite except where the true value is below −1.8e308 (a logit more than
    1.8e308·T below the maximum), where it is −inf: the correctly rounded result.
    """
    arr = _as_logits(z)
    t = _check_temperature(temperature)
    s = _shifted(arr, t, axis)
    s -= np.log(np.sum(np.exp(s), axis=axis, keepdims=True))  # log of a number in [1, n]
    return s


def softmax_jacobian(z: ArrayLike, temperature: float = 1.0) -> Array:
    r"""The (n, n) Jacobian of softmax(z/T) for a 1-D ``z``.

    :math:`J_{ij} = \partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)/T`.

    Symmetric; every row and column sums to 0 (the probabilities always sum to 1).
    """
    arr = _as_logits(z)
    if arr.ndim != 1:
        raise ValueError(f"softmax_jacobian takes a 1-D vector of logits, got shape {arr.shape}")
    t = _check_temperature(temperature)
    p = softmax(arr, t)
    jac = -np.outer(p, p)
    jac[np.diag_indices_from(jac)] += p
    jac /= t
    return jac


# --- sparse alternatives: sparsemax and 1.5-entmax ----------------------------------------------


def _sparse_input(z: ArrayLike, temperature: float, axis: int, half: bool) -> Array:
    r"""(z − max z)/T along ``axis`` (halved for entmax), clipped below at −2, without overflow.

    Sparsemax and entmax are shift-invariant like softmax, and any entry more than 1 below the
    maximum (after the scaling) gets exactly 0 in both (their threshold τ is never below
    max − 1, because the top probability is at most 1). Clipping those entries at −2 changes
    nothing, and it keeps every number in [−2, 0], so huge logits and tiny T cannot overflow:
    d = ``z/2 − max/2`` is finite and ≤ 0 (halving is exact), and it is clipped at −2T/scale
    before it is divided by T and multiplied by scale (2 for sparsemax's (z − max)/T, 1 for
    entmax's (z − max)/(2T)).
    """
    arr = _as_logits(z)
    t = _check_temperature(temperature)
    d = arr * 0.5 - np.max(arr, axis=axis, keepdims=True) * 0.5  # (z − max)/2: finite, ≤ 0
    # (z − max)/T = 2d/T for sparsemax, (z − max)/(2T) = d/T for entmax; clip at −2 first.
    scale = 1.0 if half else 2.0
    np.maximum(d, -2.0 * t / scale, out=d)  # a Python float: −inf at most, no warning
    d /= t  # in [−2/scale, 0]
    d *= scale
    return d


def _moved(x: Array, axis: int) -> Array:
    return np.moveaxis(x, axis, -1)


def sparsemax(z: ArrayLike, temperature: float = 1.0, axis: int = -1) -> Array:
    r"""Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of z/T onto the simplex.

    .. math::

        \operatorname{sparsemax}(z)_i = [z_i - \tau]_+, \qquad \sum_i [z_i - \tau]_+ = 1

    The exact sort-based algorithm: sort z descending, z_{(1)} ≥ … ≥ z_{(n)}; the support size is
    k(z) = max{k : 1 + k z_{(k)} > Σ_{j≤k} z_{(j)}} and τ = (Σ_{j≤k(z)} z_{(j)} − 1)/k(z).
    Classes with z_i ≤ τ get **exactly 0**. Like softmax it is invariant to adding a constant to
    every logit; unlike softmax it is not invariant to scaling: z/T with a small T keeps fewer
    classes (T → 0 gives the argmax, ties split), a large T more. It is piecewise linear in z.

    Computed on (z − max z)/T clipped at −2 (see :func:`_sparse_input`): finite and warning-free
    for every finite logit, ±1e308 included. Same shape as ``z``; each slice along ``axis`` sums
    to 1. Raises ``ValueError`` like :func:`softmax`.
    """
    x = _moved(_sparse_input(z, temperature, axis, half=False), axis)
    srt = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1, dtype=np.float64)
    cum = np.cumsum(srt, axis=-1)
    # The condition holds exactly for k ≤ k(z) (and always for k = 1); take the largest k.
    support = np.max(np.where(1.0 + k * srt > cum, k, 1.0), axis=-1, keepdims=True).astype(np.intp)
    tau = (np.take_along_axis(cum, support - 1, axis=-1) - 1.0) / support
    p = np.maximum(x - tau, 0.0)
    p /= np.sum(p, axis=-1, keepdims=True)  # 1 up to rounding; exact zeros stay 0
    return np.moveaxis(p, -1, axis)


def entmax15(z: ArrayLike, temperature: float = 1.0, axis: int = -1) -> Array:
    r"""1.5-entmax (Peters, Niculae & Martins, 2019): sparse like sparsemax, smooth like softmax.

    α-entmax maximises p·z + H^T_α(p) (Tsallis entropy) over the simplex; α = 1 is softmax,
    α = 2 sparsemax. For α = 1.5:

    .. math::

        \operatorname{entmax}_{1.5}(z)_i = \left[\tfrac{z_i}{2} - \tau\right]_+^2, \qquad
        \sum_i \left[\tfrac{z_i}{2} - \tau\right]_+^2 = 1

    The exact sort-based algorithm (the paper's Algorithm 2): with x = z/2 sorted descending,
    for each k the mean μ_k and the sum of squared deviations s_k of the top k give the candidate
    τ_k = μ_k − √(max(0, (1 − s_k)/k)); the support is the number of k with τ_k ≤ x_{(k)}, and
    τ is that k's candidate. Classes with z_i/2 ≤ τ get **exactly 0**.

    Computed on (z − max z)/(2T) clipped at −2 (entries below −1 are 0 either way): finite and
    warning-free for every finite logit, ±1e308 included. Same shape as ``z``; each slice along
    ``axis`` sums to 1. Raises ``ValueError`` like :func:`softmax`.
    """
    x = _moved(_sparse_input(z, temperature, axis, half=True), axis)
    srt = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1, dtype=np.float64)
    mean = np.cumsum(srt, axis=-1) / k
    mean_sq = np.cumsum(srt * srt, axis=-1) / k
    ss = k * np.maximum(mean_sq - mean * mean, 0.0)  # entries in [−2, 0]: no cancellation trouble
    tau = mean - np.sqrt(np.maximum((1.0 - ss) / k, 0.0))
    # τ_1 = x_(1) − 1 ≤ x_(1): k = 1 always qualifies; take the largest k that does.
    support = np.max(np.where(tau <= srt, k, 1.0), axis=-1, keepdims=True).astype(np.intp)
    tau_star = np.take_along_axis(tau, support - 1, axis=-1)
    p = np.maximum(x - tau_star, 0.0)
    p *= p
    p /= np.sum(p, axis=-1, keepdims=True)  # 1 up to rounding; exact zeros stay 0
    return np.moveaxis(p, -1, axis)


def _sparse_jacobian(s: Array, t: float) -> Array:
    # diag(s) − s sᵀ / Σ s, divided by T: s is 0 off the support, so are its rows and columns.
    jac = -np.outer(s, s) / np.sum(s)
    jac[np.diag_indices_from(jac)] += s
    jac /= t
    jac += 0.0  # −0.0 (off the support) shows as 0
    return jac


def _vector(z: ArrayLike, name: str) -> Array:
    arr = _as_logits(z)
    if arr.ndim != 1:
        raise ValueError(f"{name} takes a 1-D vector of logits, got shape {arr.shape}")
    return arr


def sparsemax_jacobian(z: ArrayLike, temperature: float = 1.0) -> Array:
    r"""The (n, n) Jacobian of sparsemax(z/T) for a 1-D ``z`` (Martins & Astudillo, 2016).

    :math:`J = (\operatorname{diag}(s) - s s^\top/|S|)/T`, with s the 0/1 indicator of the
    support S (the classes with p > 0). Rows and columns of classes outside the support are
    exactly 0: no gradient flows through a logit whose class got probability 0. Symmetric; rows
    and columns sum to 0. Where the support changes (a class exactly at τ) sparsemax is not
    differentiable; this is the derivative with that class outside the support.
    """
    arr = _vector(z, "sparsemax_jacobian")
    t = _check_temperature(temperature)
    s = (sparsemax(arr, t) > 0.0).astype(np.float64)
    return _sparse_jacobian(s, t)


def entmax15_jacobian(z: ArrayLike, temperature: float = 1.0) -> Array:
    r"""The (n, n) Jacobian of entmax15(z/T) for a 1-D ``z`` (Peters, Niculae & Martins, 2019).

    :math:`J = (\operatorname{diag}(s) - s s^\top/\sum_i s_i)/T`, with
    :math:`s_i = p_i^{2-\alpha} = \sqrt{p_i}` (0 outside the support). Rows and columns of
    classes outside the support are exactly 0. Symmetric; rows and columns sum to 0.
    """
    arr = _vector(z, "entmax15_jacobian")
    t = _check_temperature(temperature)
    return _sparse_jacobian(np.sqrt(entmax15(arr, t)), t)


@dataclass(frozen=True)
class SoftmaxSteps:
    r"""The softmax pipeline step by step, for the page that explains it.

    ``z`` the logits; ``scaled`` = z/T (may be ±inf: that is the naive route's first overflow);
    ``shifted`` = (z − max z)/T, every entry ≤ 0; ``exps`` = e^shifted ∈ [0, 1], the max is 1;
    ``total`` = Σ exps ∈ [1, n]; ``probs`` = exps/total.

    The naive route, e^{z/T}/Σ e^{z/T} without the shift, for contrast: ``naive_exps`` (may hold
    inf), ``naive_probs`` (may hold NaN, from inf/inf), ``naive_overflows`` whether e^{z/T}
    overflowed, ``naive_fails`` whether the naive probabilities are not all finite or do not
    match (underflow of every term gives 0/0 as well).
    """

    z: Array
    temperature: float
    scaled: Array
    shifted: Array
    exps: Array
    total: float
    probs: Array
    naive_exps: Array
    naive_probs: Array
    naive_overflows: bool
    naive_fails: bool


def softmax_steps(z: ArrayLike, temperature: float = 1.0) -> SoftmaxSteps:
    """Every intermediate of the stable softmax of a 1-D ``z``, and what the naive formula gives."""
    arr = _as_logits(z)
    if arr.ndim != 1:
        raise ValueError(f"softmax_steps takes a 1-D vector of logits, got shape {arr.shape}")
    t = _check_temperature(temperature)
    shifted = _shifted(arr, t, -1)
    exps = np.exp(shifted)
    total = float(np.sum(exps))
    probs = exps / total
    # The naive route overflows (z/T or its exp → inf) or underflows (every term → 0, 0/0) on
    # purpose: that is what the page shows. Silence exactly those warnings, only here.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        scaled = arr / t
        naive_exps = np.exp(scaled)
        naive_probs = naive_exps / np.sum(naive_exps)
    naive_overflows = bool(np.any(np.isinf(naive_exps)))
    naive_fails = bool(
        not np.all(np.isfinite(naive_probs)) or not np.allclose(naive_probs, probs, atol=1e-12)
    )
    return SoftmaxSteps(
        z=arr,
        temperature=t,
        scaled=scaled,
        shifted=shifted,
        exps=exps,
        total=total,
        probs=probs,
        naive_exps=naive_exps,
        naive_probs=naive_probs,
        naive_overflows=naive_overflows,
        naive_fails=naive_fails,
    )


# --- information ------------------------------------------------------------------------------


def entropy(p: ArrayLike, base: float | None = None, axis: int = -1) -> Array | np.float64:
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i` along ``axis``, with 0·log 0 = 0.

    In nats by default; ``base=2`` gives bits. Between 0 (one-hot) and log n (uniform).
    ``p`` must be finite, in [0, 1] and sum to 1 along ``axis`` (within 1e−6).
    """
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim == 0 or arr.size == 0:
        raise ValueError("entropy needs a non-empty probability vector")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0) or np.any(arr > 1.0):
        raise ValueError("probabilities must be finite numbers in [0, 1]")
    sums = np.sum(arr, axis=axis)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=1e-6):
        raise ValueError(f"probabilities must sum to 1 along axis {axis}; they sum to {sums}")
    if base is not None:
        b = float(base)
        if not np.isfinite(b) or b <= 0.0 or b == 1.0:
            raise ValueError(f"base must be a finite number > 0 and ≠ 1, got {base!r}")
    h = np.sum(special.entr(arr), axis=axis)  # entr(p) = −p log p, entr(0) = 0, no warning
    if base is not None:
        h = h / np.log(b)
    return h + 0.0  # turn −0.0 into 0.0


def _check_targets(target: ArrayLike, z: Array) -> NDArray[np.intp]:
    n = z.shape[-1]
    tgt = np.asarray(target)
    if tgt.dtype == np.bool_ or not np.issubdtype(tgt.dtype, np.integer):
        raise ValueError(f"target must be an integer class index, got {target!r}")
    if np.any(tgt < 0) or np.any(tgt >= n):
        raise ValueError(f"target must be a class index in 0..{n - 1}, got {target!r}")
    try:
        return np.broadcast_to(tgt, z.shape[:-1]).astype(np.intp)
    except ValueError:
        raise ValueError(
            f"target shape {tgt.shape} does not match the logits' batch shape {z.shape[:-1]}"
        ) from None


def _check_label_smoothing(label_smoothing: float) -> float:
    if isinstance(label_smoothing, (bool, np.bool_)):
        raise ValueError(f"label_smoothing must be a number from 0 to 1, not {label_smoothing!r}")
    try:
        eps = float(label_smoothing)
    except (TypeError, ValueError):
        raise ValueError(
            f"label_smoothing must be a number from 0 to 1, not {label_smoothing!r}"
        ) from None
    if not 0.0 <= eps <= 1.0:  # also rejects NaN
        raise ValueError(f"label_smoothing must be a number from 0 to 1 (ε ∈ [0, 1]), got {eps}")
    return eps


def _smoothed(tgt: NDArray[np.intp], n: int, eps: float) -> Array:
    w = np.full((*tgt.shape, n), eps / n)
    np.put_along_axis(w, tgt[..., None], 1.0 - eps + eps / n, axis=-1)
    return w


def smoothed_target(target: ArrayLike, n_classes: int, label_smoothing: float = 0.0) -> Array:
    r"""The label-smoothed target: :math:`(1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon/n`.

    PyTorch's ``F.cross_entropy(..., label_smoothing=ε)`` trains towards this vector: the true
    class gets 1 − ε + ε/n, every other class ε/n; ε = 0 is the one-hot, ε = 1 the uniform 1/n.
    Shape ``target.shape + (n_classes,)``; each row sums to 1.
    """
    n = int(n_classes)
    if n < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes!r}")
    eps = _check_label_smoothing(label_smoothing)
    shape = np.shape(target)
    return _smoothed(_check_targets(target, np.empty((*shape, n))), n, eps)


def optimal_logit_gap(n_classes: int, label_smoothing: float) -> float:
    r"""The gap (z_y − z_j)/T at which the label-smoothed cross-entropy is smallest.

    The loss −Σ_j y_j log p_j is smallest when p equals the smoothed target y
    (:func:`smoothed_target`), i.e. when every other class's logit sits below the true class's
    by the same gap

    .. math::

        \frac{z_y - z_j}{T} = \log\frac{1 - \varepsilon + \varepsilon/n}{\varepsilon/n}
        = \log\!\left(1 + \frac{n(1 - \varepsilon)}{\varepsilon}\right).

    Finite for every ε > 0 (0 at ε = 1); +inf at ε = 0, where the plain cross-entropy keeps
    falling as the gap grows and training pushes the logits apart without end. Needs n ≥ 2.
    """
    n = int(n_classes)
    if n < 2:
        raise ValueError(f"the gap needs at least 2 classes, got {n_classes!r}")
    eps = _check_label_smoothing(label_smoothing)
    if eps == 0.0:
        return math.inf
    ratio = n * (1.0 - eps) / eps if eps >= 1e-300 else math.inf
    if ratio > 1e300:  # log(1 + r) = log r to double precision; r itself may not be finite
        return math.log(n) + math.log1p(-eps) - math.log(eps)
    return math.log1p(ratio)


def cross_entropy(
    z: ArrayLike, target: ArrayLike, temperature: float = 1.0, label_smoothing: float = 0.0
) -> Array | np.float64:
    r"""Cross-entropy of the (label-smoothed) target, in nats.

    :math:`L = -\sum_j y_j \log \operatorname{softmax}(z/T)_j` with
    :math:`y = (1 - \varepsilon)\,\mathrm{onehot}(target) + \varepsilon/n`: at ε = 0 (the
    default) it is −log p_y; with ε > 0 it is exactly PyTorch's
    ``F.cross_entropy(z / T, target, label_smoothing=ε)``, i.e. (1 − ε)(−log p_y) +
    ε · mean_j(−log p_j). ``z`` has the classes on its last axis; ``target`` is an integer index
    (or one per row of a 2-D ``z``); ε must be in [0, 1] (``ValueError`` otherwise).

    Computed from the shifted logits, never as log of a probability (which is 0 → −inf for a
    confidently wrong prediction long before the loss is really infinite): with
    d = z/2 − max z/2 (finite, ≤ 0), L = 2 Σ_j y_j(−d_j)/T + log Σ_j e^{2d_j/T}. The weighted sum
    is a convex combination of numbers in [0, 1.8e308], so it is finite; only a true loss above
    1.8e308 overflows, to +inf (the correctly rounded value). Never NaN.
    """
    arr = _as_logits(z)
    tgt = _check_targets(target, arr)
    t = _check_temperature(temperature)
    eps = _check_label_smoothing(label_smoothing)
    w = _smoothed(tgt, arr.shape[-1], eps)
    d = arr * 0.5 - np.max(arr, axis=-1, keepdims=True) * 0.5
    c = np.sum(w * -d, axis=-1)
    lse = np.log(np.sum(np.exp(_shifted(arr, t, -1)), axis=-1))  # log of a number in [1, n]
    with np.errstate(over="ignore"):  # only a true loss beyond 1.8e308: +inf, see above
        c = c / t * 2.0
    return c + lse + 0.0


def cross_entropy_grad(
    z: ArrayLike, target: ArrayLike, temperature: float = 1.0, label_smoothing: float = 0.0
) -> Array:
    r"""Gradient of :func:`cross_entropy` with respect to the logits z.

    :math:`\partial L/\partial z = (p - y)/T` with p = softmax(z/T) and y the smoothed target
    (1 − ε)·onehot + ε/n. At T = 1 and ε = 0 it is exactly p − onehot(y): the prediction minus
    the truth. Same shape as ``z``; each row sums to 0.
    """
    arr = _as_logits(z)
    tgt = _check_targets(target, arr)
    t = _check_temperature(temperature)
    eps = _check_label_smoothing(label_smoothing)
    g = softmax(arr, t, axis=-1)
    g -= _smoothed(tgt, arr.shape[-1], eps)
    g /= t
    return g


# --- the logits parser -------------------------------------------------------------------------

# One number: optional sign, digits with an optional fraction (or a bare fraction), optional
# exponent. ASCII only (re.ASCII: \d would also match Arabic-Indic and other digits). No nested
# quantifiers over the whole input: it is only ever matched against one short token.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
# Separators: commas, semicolons, any whitespace (non-breaking spaces included). A single
# character class with one quantifier: linear time.
_SEPARATORS = re.compile(r"[,;\s]+")
# Minus signs that slides and word processors paste in place of "-".
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE | re.ASCII)
_HEX = re.compile(r"[+-]?0[xXoObB]", re.ASCII)
_CODE = re.compile(r"[*/^%()\[\]{}=_<>!@#$&|~`'\"\\]|[A-Za-z]{2,}", re.ASCII)
_BRACKETS = {"[": "]", "(": ")"}


def _quote(token: str) -> str:
    shown = token if len(token) <= 30 else token[:27] + "…"
    return f"“{shown}”"


def _token_error(token: str) -> str:
    q = _quote(token)
    if len(token) > MAX_TOKEN_CHARS:
        return f"{q} is too long to be a number ({len(token):,} characters)"
    if _NON_FINITE.fullmatch(token):
        return f"{q} is not allowed: logits must be finite numbers"
    if _HEX.match(token):
        return f"{q} is not a decimal number: write numbers in decimal"
    if any(c in token for c in "[]()"):
        if _CODE.search(token.strip("[]()")):
            return f"{q} looks like code or a formula: only plain numbers are accepted"
        return f"{q}: brackets may only surround the whole list, e.g. [1.8, 0.9, 0.68]"
    if _CODE.search(token):
        return f"{q} looks like a word, code or a formula: only plain numbers are accepted"
    return f"{q} is not a number"


def parse_logits(text: str) -> Array:
    """Parse pasted logits into a 1-D float64 array; ``ValueError`` with a readable message.

    Accepts numbers separated by commas, semicolons or whitespace, optionally inside one pair of
    brackets ``[...]`` or ``(...)``; decimals, scientific notation (``1e-3``, ``2.5E+2``), a
    leading ``+``, and the Unicode minus ``−`` (and en dash ``–``) that slides paste.

    Rejects, naming the offending token: empty input, words, NaN and ±inf, numbers too large for
    float64 (``1e400``), expressions and code (``2**10``, ``__import__(...)``), hex (``0x1F``),
    unbalanced or nested brackets, and more than :data:`MAX_LOGITS` values. Nothing is ever
    evaluated: each token must fully match a strict number pattern before ``float()`` sees it.
    Linear time in the length of the input.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_logits takes a string, not {type(text).__name__}")
    body = text.translate(_MINUS_SIGNS).strip()
    if not body:
        raise ValueError(f"No numbers found. {LOGITS_HINT}.")
    for opening, closing in _BRACKETS.items():
        n_open, n_close = body.count(opening), body.count(closing)
        if n_open != n_close:
            missing = closing if n_open > n_close else opening
            raise ValueError(
                f"Unbalanced brackets: {n_open} “{opening}” but {n_close} “{closing}” "
                f"(a “{missing}” is missing). {LOGITS_HINT}."
            )
    bracketed = body[0] in _BRACKETS and body[-1] == _BRACKETS[body[0]]
    if bracketed:
        body = body[1:-1]
    tokens = [tok for tok in _SEPARATORS.split(body) if tok]
    if not tokens:
        where = " inside the brackets" if bracketed else ", only separators"
        raise ValueError(f"No numbers found{where}. {LOGITS_HINT}.")
    if len(tokens) > MAX_LOGITS:
        raise ValueError(
            f"Too many values: {len(tokens):,} (at most {MAX_LOGITS:,}). {LOGITS_HINT}."
        )
    values = np.empty(len(tokens), dtype=np.float64)
    for i, tok in enumerate(tokens):
        if len(tok) > MAX_TOKEN_CHARS or not _NUMBER.fullmatch(tok):
            raise ValueError(f"{_token_error(tok)}. {LOGITS_HINT}.")
        v = float(tok)  # safe: tok is a plain decimal literal
        if not np.isfinite(v):
            raise ValueError(
                f"{_quote(tok)} is too large: numbers must lie within ±1.8e308. {LOGITS_HINT}."
            )
        values[i] = v
    return values
