r"""The gradient-through-depth simulator, its mean-field prediction, and a verdict.

The network
-----------
A deep MLP of ``depth`` square layers (width × width), row-vector convention, no bias:

.. math::

    h_0 \sim \mathcal N(0, 1)^{B\times n}, \quad z_l = h_{l-1} W_l, \quad h_l = f(z_l),

with :math:`W_l` i.i.d. :math:`\mathcal N(0, \sigma_w^2)`. The gradient arriving at the top,
:math:`\partial L/\partial h_L`, is drawn :math:`\mathcal N(0, 1)` (``upstream``), i.e.
:math:`L = \sum h_L \odot \text{upstream}`, and backpropagated analytically with the
catalogue's derivatives:

.. math::

    \delta z_l = \delta h_l \odot f'(z_l), \quad
    \frac{\partial L}{\partial W_l} = h_{l-1}^\top \delta z_l, \quad
    \delta h_{l-1} = \delta z_l W_l^\top.

With ``residual=True`` every layer is a pre-activation residual block (He et al. 2016,
*Identity mappings in deep residual networks*; W·f(h) in column-vector notation):

.. math::

    h_l = h_{l-1} + f(h_{l-1})\, W_l, \quad
    \frac{\partial L}{\partial W_l} = f(h_{l-1})^\top \delta h_l, \quad
    \delta h_{l-1} = \delta h_l + (\delta h_l W_l^\top) \odot f'(h_{l-1}).

This form, not h_{l-1} + f(h_{l-1} W_l), because its backward gain matches the mean field's
1 + χ at practical widths: W_l is independent of the f′ it meets, h_{l-1} being computed
before W_l is drawn. In h + f(hW) a layer's weights and its own ReLU mask are correlated,
and at depth 50 × width 256 (ReLU, He) the simulated gradient gain sits ~10³ above 1 + χ
(measured: ``tests/test_depth.py``).

Mean field
----------
For wide layers every pre-activation is Gaussian, :math:`z_l \sim \mathcal N(0, q_l)` with
:math:`q_l = \sigma_w^2 n\, \mathbb E[h_{l-1}^2]` (a second moment, not a variance). Backprop
multiplies the gradient's second moment by the per-layer gain

.. math::  \chi_l = \sigma_w^2\, n\, \mathbb E_{z\sim\mathcal N(0,q_l)}[f'(z)^2]

(times :math:`1 + \chi_l` with a residual connection); χ = 1 is "critical". The expectations
are quadratures on a sinh-spaced grid (:func:`gaussian_nodes`).

Overflow
--------
With large weights the values can leave float64's range. Each layer's pre-activations,
activations and gradients are checked with ``isfinite``; at the first non-finite one the
simulator stops propagating, records the layer (``overflow_layer`` forward,
``grad_overflow_layer`` backward) and fills the remaining statistics with NaN. The floating-point
warnings of that one overflowing step are silenced on purpose, since we detect it ourselves
right after.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from activations.functions import ACTIVATIONS, Activation

Array = NDArray[np.float64]

#: Initialisations for a square width × width layer (fan_in = fan_out = width); the value is
#: the weight standard deviation σ_w as a function of the width.
INITS: dict[str, str] = {
    "zeros": "all weights 0 (every unit identical: symmetry is never broken)",
    "small": "σ_w = 0.01",
    "xavier": "Glorot normal: σ_w² = 2/(fan_in + fan_out) = 1/width here",
    "he": "Kaiming normal: σ_w² = 2/fan_in",
    "lecun": "LeCun normal: σ_w² = 1/fan_in (the init SELU was designed for)",
    "large": "σ_w = 1",
    "custom": "σ_w given by weight_std",
}
MAX_DEPTH = 200
MAX_WIDTH = 1024
MAX_BATCH = 1024
#: A unit-example is "saturated" (or, for ReLU, "dead") where |f′(z)| is below this.
SATURATION_THRESHOLD = 1e-3
#: The verdict's threshold on std(∂L/∂h_0) / std(∂L/∂h_L), the backpropagated signal's change
#: across the whole network: two orders of magnitude either way.
VERDICT_RATIO = 100.0

#: Mean-field expectations E[g(z)], z ~ N(0, q), use a trapezoid rule in t on z = a·sinh(t):
#: nodes are dense (spacing ≈ a·h) near 0, where the activations have their features (kinks,
#: the narrow peak of σ′ and tanh′), and sparse in the tails, where the Gaussian is smooth.
#: Gauss–Hermite alone misses those features once √q ≫ 1 (its nodes scale with √q).
QUADRATURE_POINTS = 2000

#: When the forward pass has caught up with the weights' draws (see :func:`_drawn_in_order`), it
#: sleeps until this many more matrices are drawn rather than one: each wake-up of a thread costs
#: CPU time (tens of µs on the 2-core VMs the app runs on).
_DRAWS_PER_WAKE = 3


def init_weight_std(init: str, width: int, weight_std: float | None = None) -> float:
    """σ_w for ``init`` at this ``width`` (square layers); ``weight_std`` overrides the init."""
    if weight_std is not None:
        s = float(weight_std)
        if not math.isfinite(s) or s < 0.0:
            raise ValueError(f"weight_std must be a finite number ≥ 0, got {weight_std!r}")
        return s
    table = {
        "zeros": 0.0,
        "small": 0.01,
        "xavier": math.sqrt(2.0 / (width + width)),
        "he": math.sqrt(2.0 / width),
        "lecun": math.sqrt(1.0 / width),
        "large": 1.0,
    }
    if init == "custom":
        raise ValueError('init "custom" needs weight_std (the weights\' standard deviation)')
    if init not in table:
        raise ValueError(f"unknown init {init!r}: choose one of {', '.join(INITS)}")
    return table[init]


def _resolve_activation(
    activation: str | Activation, params: dict[str, float] | None
) -> tuple[Activation, dict[str, float]]:
    if isinstance(activation, Activation):
        act = activation
    elif activation in ACTIVATIONS:
        act = ACTIVATIONS[activation]
    else:
        raise ValueError(
            f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATIONS)}"
        )
    given = dict(params or {})
    known = {p.name: p for p in act.params}
    for name, value in given.items():
        if name not in known:
            raise ValueError(f"{act.name} takes parameters {sorted(known) or 'none'}, not {name!r}")
        p = known[name]
        v = float(value)
        if not (p.low <= v <= p.high):  # also rejects NaN
            raise ValueError(f"{act.name}: {name} = {value!r} is outside [{p.low}, {p.high}]")
    return act, act.resolve(given)


def _check_int(name: str, value: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer in 1..{high}, got {value!r}")
    if not 1 <= value <= high:
        raise ValueError(f"{name} must be in 1..{high}, got {value}")
    return int(value)


# --- result -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthResult:
    r"""Everything the depth page draws. Layer l = 0 is the input; l = 1..depth the layers.

    Arrays of length ``depth + 1`` are indexed by l = 0..depth; those of length ``depth`` by
    l = 1..depth (entry l − 1). Statistics past an overflow are NaN.

    * ``activation_stds[l]``, ``activation_means[l]``: std and mean of all entries of h_l.
    * ``preactivation_stds[l-1]``: std of z_l.
    * ``grad_stds[l]``: std of δh_l = ∂L/∂h_l (``grad_stds[depth]`` is the upstream's).
    * ``grad_norms[l-1]``: ‖∂L/∂W_l‖_F.
    * ``saturated_fraction[l-1]``: share of the batch × width entries with
      |f′(z_l)| < :data:`SATURATION_THRESHOLD`; ``dead_fraction[l-1]``: share of units for which
      that holds for every example of the batch (dead ReLUs, fully saturated sigmoids).
    * ``unit_spread[l]``: the largest, over the batch, of max − min across units of h_l:
      0 exactly when every unit computes the same thing (the symmetry of zero init).
    * ``act_hist``, ``grad_hist`` (depth + 1, nbins): counts of h_l and δh_l on the common
      ``hist_edges``; values outside the edges are counted in the end bins.
    * ``predicted_*``: the mean-field predictions (module docstring), in absolute units
      (inputs and upstream are N(0, 1), so no normalisation is needed to overlay them);
      ``predicted_gain[l-1]`` = χ_l.
    """

    activation: str
    params: dict[str, float]
    depth: int
    width: int
    batch: int
    init: str
    seed: int
    residual: bool
    sigma_w: float
    inputs: Array
    weights: tuple[Array, ...]
    upstream: Array
    output: Array
    activation_stds: Array
    activation_means: Array
    preactivation_stds: Array
    grad_stds: Array
    grad_norms: Array
    saturated_fraction: Array
    dead_fraction: Array
    unit_spread: Array
    hist_edges: Array
    act_hist: NDArray[np.int64]
    grad_hist: NDArray[np.int64]
    overflowed: bool
    overflow_layer: int | None
    grad_overflow_layer: int | None
    predicted_activation_stds: Array
    predicted_grad_stds: Array
    predicted_grad_norms: Array
    predicted_gain: Array


# --- simulation ---------------------------------------------------------------------------------


def _histogram(
    x: Array,
    lo: float,
    hi: float,
    nbins: int,
    work: Array | None = None,
    bins: NDArray[np.intp] | None = None,
) -> NDArray[np.int64]:
    """Counts of ``x`` on ``nbins`` equal bins of [lo, hi], out-of-range values in the end bins.

    One affine map, a clip, a cast and a ``bincount``: about 7× faster than ``np.histogram``.
    ``work`` (float64) and ``bins`` (intp), ``x.size`` entries each, hold the bin positions if
    given: the simulator reuses one pair of buffers for every layer instead of allocating new
    ones. The cast truncates, which is exact here (the positions are ≥ 0); it is to intp because
    ``bincount`` counts intp positions: it would make an intp copy of anything else.
    """
    idx = np.subtract(x.ravel(), lo, out=work)
    idx *= nbins / (hi - lo)
    np.clip(idx, 0.0, nbins - 1.0, out=idx)
    if bins is None:
        bins = np.empty(idx.size, dtype=np.intp)
    np.copyto(bins, idx, casting="unsafe")
    return np.bincount(bins, minlength=nbins)


def _all_finite(x: Array, total: float) -> bool:
    """Whether every entry of ``x`` is finite, given ``total``, the sum of its entries.

    A finite sum proves it (an inf or NaN entry makes the sum inf or NaN), so the usual case
    costs no pass of its own; only a non-finite sum (overflow, or a bad entry) looks at the
    entries. The simulator computes these sums anyway, for the means and standard deviations.
    """
    return math.isfinite(total) or bool(np.isfinite(x).all())


def _total(x: Array) -> float:
    return float(x.ravel().sum())


def _std(x: Array, total: float | None = None, work: Array | None = None) -> float:
    """Standard deviation of a finite array, also when squaring its entries would overflow or
    underflow."""
    return _mean_std(x, total, work)[1]


def _mean_std(
    x: Array, total: float | None = None, work: Array | None = None
) -> tuple[float, float]:
    """Mean and standard deviation of a finite array in three passes (sum, centre, dot) instead
    of ``mean()`` + ``std()``'s five; the same two-pass algorithm as ``np.std``, so the same
    numbers to rounding. Rescaled when squaring the entries would overflow.

    ``total``: the sum of the entries if already known (:func:`_total`: the same number); ``work``
    (float64, ``x.size`` entries): a buffer for the centred entries, reused across layers.
    """
    flat = x.ravel()
    mean = (float(flat.sum()) if total is None else total) / flat.size
    c = np.subtract(flat, mean, out=work)
    s = math.sqrt(float(np.dot(c, c)) / flat.size)
    if not math.isfinite(s) or s == 0.0:
        # Squares beyond float64's range: above (overflow) or below it (entries under ~1e−162
        # square to 0, and the std would read 0 while they are not: a vanishing gradient
        # passes through there). Rescaled by the largest entry; all zeros stay 0.
        m = float(np.max(np.abs(x)))
        s = m * float((x / m).std()) if m > 0.0 else 0.0
    return mean, s


def _fro(x: Array) -> float:
    """Frobenius norm of a finite array, rescaled when the sum of squares would overflow."""
    s = math.sqrt(float(np.einsum("ij,ij->", x, x)))
    if not math.isfinite(s) or s == 0.0:  # squares beyond float64's range, either way (_mean_std)
        m = float(np.max(np.abs(x)))
        s = m * math.sqrt(float(np.einsum("ij,ij->", x / m, x / m))) if m > 0.0 else 0.0
    return s


def _draws_in_background(depth: int, width: int, batch: int) -> bool:
    """Whether :func:`simulate` draws the weights on a helper thread (:func:`_drawn_in_order`).

    From measurements on the 2-core server (one BLAS thread, both ways timed in one process,
    interleaved): the helper took 19–29 % off the wall time of the networks measured where it is
    used, but costs 40–60 µs of CPU time per weight matrix (the threads' hand-overs, and page
    faults on both cores at once, each slower). So it is used where that is about 1 % of the
    run: wide layers (width ≥ 256) and big batches (≥ 128), e.g. 50 × 256 × 256 (204 → 160 ms,
    CPU time unchanged) and 100 × 512 × 256 (1240 → 890 ms). At the page's default, 50 × 256 × 64,
    it saved 20 ms of 90 for 3 ms (3 %) more CPU time: a server under a class's load pays for
    CPU time, and 90 ms already feels live. Also left out: matrices of 4 MiB or more
    (width ≥ 725), for which numpy asks the kernel for huge pages (faulting those in on one core
    while the other computes took 6–15 % more CPU time), and networks too small for the
    draws to matter.
    """
    matrix_bytes = width * width * 8
    return (
        depth >= 10
        and width >= 256
        and batch >= 128
        and matrix_bytes < 4 << 20
        and depth * width * width >= 1 << 21
    )


@contextmanager
def _drawn_in_order(
    rng: np.random.Generator,
    weights: list[Array],
    sigma_w: float,
    upstream: Array,
    background: bool,
) -> Iterator[Callable[[int], None]]:
    """Fill ``weights`` (σ_w × standard normal) and then ``upstream`` from ``rng``, in that order,
    and yield ``wait(k)``, which returns once the first k of them are drawn (the upstream is
    number depth + 1) and raises whatever the drawing raised.

    With ``background``, a helper thread draws them while the caller computes: numpy's Generator
    releases the GIL while it fills an array (``double_fill`` in numpy/random/_common.pyx), so on
    two cores the forward pass runs layer k while W_{k+1} is drawn, and the draws, a fifth of a
    run at 50 × 256 × 256, mostly disappear behind it. The numbers do not change: one generator,
    one order, used by one thread at a time (the caller draws nothing while the block runs). The
    helper is gone when the block exits, also on an exception (it stops after the array it is
    filling). Without ``background``, or if no thread can be started, everything is drawn here,
    on entry.
    """
    arrays = [*weights, upstream]
    scales = [sigma_w] * len(weights) + [None]
    changed = threading.Condition()  # guards count, wanted and error
    count = 0  # arrays drawn
    wanted = 0  # the count the caller sleeps until
    error: BaseException | None = None
    stop = False

    def draw_all() -> None:
        nonlocal count, error
        try:
            for out, scale in zip(arrays, scales, strict=True):
                if stop:
                    return
                rng.standard_normal(out=out)  # the numbers of rng.standard_normal(out.shape)
                if scale is not None:
                    out *= scale
                with changed:
                    count += 1
                    if count >= wanted:
                        changed.notify()
        except BaseException as exc:  # raised in the caller, by wait()
            with changed:
                error = exc
                changed.notify()

    helper = threading.Thread(target=draw_all, name="depth-weights", daemon=True)
    if background:
        try:
            helper.start()
        except RuntimeError:  # no thread to be had (a process at its limit): draw them here
            background = False
    if not background:
        draw_all()
    ready = 0  # arrays the caller knows to be drawn

    def wait(k: int) -> None:
        nonlocal ready, wanted
        if ready >= k:
            return
        with changed:
            if count < k and error is None:
                # Caught up: sleep until a few are ready (_DRAWS_PER_WAKE), except before W_1,
                # where waiting for more would only delay the start.
                more = _DRAWS_PER_WAKE - 1 if k > 1 else 0
                wanted = min(k + more, len(arrays))
                while count < wanted and error is None:
                    changed.wait()
            if error is not None:
                raise error
            ready = count

    try:
        yield wait
    finally:
        stop = True
        if background:
            helper.join()


class _RedrawnWeights:
    """The weights without keeping them: :func:`simulate` with ``keep_weights=False``.

    The forward pass draws W_1, W_2, … one at a time into one buffer, in the stream's order (so
    the same numbers as :func:`_drawn_in_order`), after saving the generator's state; the
    backward pass redraws W_l from its saved state into the same buffer. Memory: one matrix
    instead of ``depth``; time: every matrix drawn twice.
    """

    def __init__(self, rng: np.random.Generator, width: int, sigma_w: float) -> None:
        self._rng = rng
        self._sigma_w = sigma_w
        self._buffer = np.empty((width, width))
        self._states: list[dict[str, object]] = []

    def _fill(self, rng: np.random.Generator) -> Array:
        rng.standard_normal(out=self._buffer)  # then scaled, exactly as _drawn_in_order does
        self._buffer *= self._sigma_w
        return self._buffer

    def next(self) -> Array:
        """W_l for the next layer l (valid until the next call)."""
        self._states.append(self._rng.bit_generator.state)
        return self._fill(self._rng)

    def again(self, layer: int) -> Array:
        """W_layer once more, from the state saved when it was first drawn."""
        bit_generator = type(self._rng.bit_generator)()
        bit_generator.state = self._states[layer - 1]
        return self._fill(np.random.Generator(bit_generator))


def simulation_bytes(depth: int, width: int, batch: int, keep_weights: bool = True) -> int:
    """An upper estimate of the memory :func:`simulate` holds at its peak, in bytes.

    The weights (all of them, or one matrix with ``keep_weights=False``), h_l and f′(z_l) of
    every layer kept for the backward pass, and the per-layer buffers and temporaries (checked
    against tracemalloc's peak in the tests, for several activations). Lets a caller refuse a
    network too large for its machine before allocating anything.
    """
    matrix = width * width
    weights = depth * matrix if keep_weights else matrix
    layer = batch * width
    # The last MiB: what does not grow with the network (the mean-field quadrature's grids, the
    # statistics, a transcendental activation's temporaries on a small layer).
    return 8 * (weights + matrix + layer * (2 * depth + 14)) + (1 << 20)


def simulate(
    activation: str | Activation,
    depth: int,
    width: int,
    batch: int,
    init: str = "he",
    seed: int = 0,
    residual: bool = False,
    params: dict[str, float] | None = None,
    weight_std: float | None = None,
    nbins: int = 41,
    hist_limit: float = 3.0,
    keep_weights: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DepthResult:
    r"""Run the deep MLP forward and backward once; see the module docstring for the model.

    ``init`` is one of :data:`INITS`; ``weight_std`` (σ_w ≥ 0) overrides it. Random numbers come
    from ``np.random.default_rng(seed)`` in a fixed order (inputs, the weights' standard normal
    directions, upstream), so the same seed gives the same result and changing only the init
    rescales the same weights. Histograms use ``nbins`` equal bins on [−hist_limit, hist_limit].
    Raises ``ValueError`` for out-of-range arguments. Never warns: overflow is detected and
    reported in the result (``overflowed``).

    ``keep_weights=False`` leaves ``weights`` empty and holds one weight matrix at a time instead
    of ``depth`` (200 × 1024: 8 MB instead of 1.7 GB), drawing each twice (the backward pass
    redraws it); every other field is the same, bit for bit. :func:`simulation_bytes` estimates
    the peak memory either way.

    ``progress(done, total)``, if given, is called after each layer of the forward pass and of
    the backward pass (``total`` = 2 × depth steps): a caller can show how far a long run is, or
    raise from it to abandon the run (the exception propagates; nothing is kept).
    """
    act, p = _resolve_activation(activation, params)
    depth = _check_int("depth", depth, MAX_DEPTH)
    width = _check_int("width", width, MAX_WIDTH)
    batch = _check_int("batch", batch, MAX_BATCH)
    nbins = _check_int("nbins", nbins, 1000)
    if not (math.isfinite(hist_limit) and hist_limit > 0):
        raise ValueError(f"hist_limit must be a finite number > 0, got {hist_limit!r}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}: choose one of {', '.join(INITS)}")
    sigma_w = init_weight_std(init, width, weight_std)
    fn, grad, fused = act.fn, act.grad, act.fused
    # Before anything large is allocated, so that its temporaries do not add to the peak memory.
    pred = mean_field(act, p, depth, width, sigma_w, residual=residual, batch=batch)

    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((batch, width))
    # Allocated here and filled by _drawn_in_order (on a helper thread for larger networks):
    # allocated on the helper, they would come from its own malloc arena, which a server keeps.
    weights = [np.empty((width, width)) for _ in range(depth)] if keep_weights else []
    upstream = np.empty((batch, width))
    background = keep_weights and _draws_in_background(depth, width, batch)
    redrawn = None if keep_weights else _RedrawnWeights(rng, width, sigma_w)

    nan1 = np.full(depth + 1, np.nan)
    act_std, act_mean, spread, grad_std = nan1.copy(), nan1.copy(), nan1.copy(), nan1.copy()
    pre_std, grad_norm = np.full(depth, np.nan), np.full(depth, np.nan)
    sat, dead = np.full(depth, np.nan), np.full(depth, np.nan)
    act_hist = np.zeros((depth + 1, nbins), dtype=np.int64)
    grad_hist = np.zeros((depth + 1, nbins), dtype=np.int64)
    lo, hi = -float(hist_limit), float(hist_limit)
    # Buffers reused by every layer for what is not kept (z_l, the weight gradient, ∂L/∂h in two
    # buffers taking turns, and for the statistics: centred entries, bin positions and |f′| in
    # ``work``, the positions cast for bincount in ``bins``, |f′| < threshold in ``small_buffer``):
    # a fresh array per layer and use is fresh memory, whose first touch costs a page fault per
    # 4 kB (at 50 layers × 256 × 256: 43 000 faults per run without these buffers, 20 000 with).
    # None is larger than one weight matrix or one layer's h. One block for all the layers'
    # weights, h and f′ would save most of the remaining faults, but a server's allocator keeps
    # free memory in proportion to the largest blocks it has seen, per thread: tried, it doubled
    # the server's memory under a class's load (430 MB at 60 students instead of 200).
    z_buffer = np.empty((batch, width))
    gw_buffer = np.empty((width, width))
    dh_buffers = (np.empty((batch, width)), np.empty((batch, width)))
    work = np.empty(batch * width)
    work_2d = work.reshape(batch, width)
    bins = np.empty(batch * width, dtype=np.intp)
    small_buffer = np.empty((batch, width), dtype=bool)

    def record_h(i: int, h: Array, total: float) -> None:
        with np.errstate(over="ignore", invalid="ignore"):  # huge but finite values: see _std
            act_mean[i], act_std[i] = _mean_std(h, total, work)
            spread[i] = float(np.max(h.max(axis=1) - h.min(axis=1)))
            act_hist[i] = _histogram(h, lo, hi, nbins, work, bins)

    # Forward: keep h_{l-1} and f'(z_l) for the backward pass.
    hs: list[Array] = [inputs]
    ds: list[Array] = []
    overflow_layer: int | None = None
    record_h(0, inputs, _total(inputs))
    h = inputs
    drawing = (
        _drawn_in_order(rng, weights, sigma_w, upstream, background)
        if redrawn is None
        else nullcontext(None)  # the loop draws each weight, and the upstream after them
    )
    if residual:
        hs = []  # here: a_{l-1} = f(h_{l-1}), what W_l multiplies, for every layer
    with drawing as wait:
        for k in range(1, depth + 1):
            if redrawn is None:
                wait(k)  # W_k drawn
                w_k = weights[k - 1]
            else:
                w_k = redrawn.next()
            if residual:
                # Pre-activation branch h_l = h_{l-1} + f(h_{l-1}) W_l (module docstring).
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    fz, d = fused(h, **p) if fused is not None else (fn(h, **p), grad(h, **p))
                    # f and f′ are kept, and d is scaled in place by the backward pass: neither
                    # may be h itself (the identity's f) or share memory with it.
                    if np.may_share_memory(fz, h):
                        fz = fz.copy()
                    if np.may_share_memory(d, h) or np.may_share_memory(d, fz):
                        d = d.copy()
                    finite = _all_finite(fz, _total(fz)) and _all_finite(d, _total(d))
                    if finite:
                        branch = np.matmul(fz, w_k, out=z_buffer)
                        h_new = h + branch
                        h_total = _total(h_new)
                        finite = _all_finite(branch, _total(branch)) and _all_finite(h_new, h_total)
                if not finite:
                    overflow_layer = k
                    break
                with np.errstate(over="ignore", invalid="ignore"):
                    pre_std[k - 1] = _std(h, None, work)  # what f sees: h_{l-1}
                small = np.less(np.abs(d, out=work_2d), SATURATION_THRESHOLD, out=small_buffer)
                sat[k - 1] = np.count_nonzero(small) / small.size
                dead[k - 1] = np.count_nonzero(small.all(axis=0)) / width
                record_h(k, h_new, h_total)
                hs.append(fz)
                ds.append(d)
                h = h_new
                continue
            # Silenced: an overflow here is detected by the finiteness checks just below.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                z = np.matmul(h, w_k, out=z_buffer)
                z_total = _total(z)
                finite = _all_finite(z, z_total)
                if finite:
                    # f(z) and f′(z) together, sharing intermediates where the entry can.
                    fz, d = fused(z, **p) if fused is not None else (fn(z, **p), grad(z, **p))
                    # Both are kept, and the next layer writes its z into z's buffer: an f or f′
                    # that handed back z itself (or a view of it) must not change with it.
                    if np.may_share_memory(fz, z_buffer):
                        fz = fz.copy()
                    if np.may_share_memory(d, z_buffer):
                        d = d.copy()
                    h_new = fz
                    h_total = _total(h_new)
                    finite = _all_finite(h_new, h_total) and _all_finite(d, _total(d))
            if not finite:
                overflow_layer = k
                break
            with np.errstate(over="ignore", invalid="ignore"):
                pre_std[k - 1] = _std(z, z_total, work)
            small = np.less(np.abs(d, out=work_2d), SATURATION_THRESHOLD, out=small_buffer)
            # Shares of True by counting: the same numbers as .mean() (the sums are exact integers).
            sat[k - 1] = np.count_nonzero(small) / small.size
            dead[k - 1] = np.count_nonzero(small.all(axis=0)) / width
            record_h(k, h_new, h_total)
            if progress is not None:
                progress(k, 2 * depth)
            ds.append(d)
            h = h_new
            if k < depth:
                hs.append(h)
        # Every weight is drawn (and kept in the result), also past an overflow; the upstream
        # comes last.
        if redrawn is None:
            wait(depth + 1)
        else:
            for _ in range(k if overflow_layer is not None else depth, depth):
                redrawn.next()
            rng.standard_normal(out=upstream)

    # Backward (only when the forward pass stayed finite: otherwise L itself is not finite).
    grad_overflow_layer: int | None = None
    if overflow_layer is None:
        dh = upstream
        grad_std[depth] = _std(dh, None, work)
        grad_hist[depth] = _histogram(dh, lo, hi, nbins, work, bins)
        for k in range(depth, 0, -1):
            with np.errstate(over="ignore", invalid="ignore"):
                w_k = weights[k - 1] if redrawn is None else redrawn.again(k)
                if residual:
                    # ∂L/∂W_l = a_{l-1}ᵀ δh_l; δh_{l-1} = δh_l + (δh_l W_lᵀ) ⊙ f′(h_{l-1}).
                    gw = np.matmul(hs[k - 1].T, dh, out=gw_buffer)
                    norm = _fro(gw)
                    dh_prev = np.matmul(dh, w_k.T, out=dh_buffers[k % 2])
                    dh_prev *= ds[k - 1]
                    dh_prev += dh
                else:
                    dz = ds[k - 1]
                    dz *= dh  # δz_l = δh_l ⊙ f'(z_l), in place: f'(z_l) is not needed again
                    gw = np.matmul(hs[k - 1].T, dz, out=gw_buffer)
                    norm = _fro(gw)
                    # Into the buffer dh did not use (dh is the upstream, or the other buffer).
                    dh_prev = np.matmul(dz, w_k.T, out=dh_buffers[k % 2])
                dh_total = _total(dh_prev)
                finite = math.isfinite(norm) and _all_finite(dh_prev, dh_total)
            if not finite:
                grad_overflow_layer = k
                break
            grad_norm[k - 1] = norm
            with np.errstate(over="ignore", invalid="ignore"):
                grad_std[k - 1] = _std(dh_prev, dh_total, work)
                grad_hist[k - 1] = _histogram(dh_prev, lo, hi, nbins, work, bins)
            dh = dh_prev
            if progress is not None:
                progress(2 * depth - k + 1, 2 * depth)

    return DepthResult(
        activation=act.name,
        params=p,
        depth=depth,
        width=width,
        batch=batch,
        init="custom" if weight_std is not None else init,
        seed=seed,
        residual=residual,
        sigma_w=sigma_w,
        inputs=inputs,
        weights=tuple(weights),
        upstream=upstream,
        output=h,
        activation_stds=act_std,
        activation_means=act_mean,
        preactivation_stds=pre_std,
        grad_stds=grad_std,
        grad_norms=grad_norm,
        saturated_fraction=sat,
        dead_fraction=dead,
        unit_spread=spread,
        hist_edges=np.linspace(lo, hi, nbins + 1),
        act_hist=act_hist,
        grad_hist=grad_hist,
        overflowed=overflow_layer is not None or grad_overflow_layer is not None,
        overflow_layer=overflow_layer,
        grad_overflow_layer=grad_overflow_layer,
        predicted_activation_stds=pred.activation_stds,
        predicted_grad_stds=pred.grad_stds,
        predicted_grad_norms=pred.grad_norms,
        predicted_gain=pred.gain,
    )


# --- mean field ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanField:
    r"""Mean-field predictions for the simulated network (see the module docstring).

    ``q[l-1]`` = q_l, the pre-activation second moment of layer l; ``gain[l-1]`` = χ_l;
    ``activation_stds`` (depth + 1), ``grad_stds`` (depth + 1, index depth = upstream = 1),
    ``grad_norms`` (depth): :math:`\|\partial L/\partial W_l\|_F \approx
    n\sqrt{B\, \mathbb E[h_{l-1}^2]\, \mathbb E[\delta h_l^2]\, \mathbb E[f'(z_l)^2]}`.
    Values beyond float64's range are NaN (computed without warnings).
    """

    q: Array
    gain: Array
    activation_stds: Array
    grad_stds: Array
    grad_norms: Array


def gaussian_nodes(q: float) -> tuple[Array, Array]:
    r"""Nodes z and weights w with :math:`\sum_i w_i g(z_i) \approx \mathbb E[g(z)]`, z ~ N(0, q).

    z = a sinh(t) on an even, symmetric grid of :data:`QUADRATURE_POINTS` points in
    t ∈ [−T, T] with T = asinh(12√q/a) (±12 standard deviations) and a = min(1, √q)/4;
    w ∝ cosh(t)·φ(z) normalised to sum to 1, so constants are exact and, by symmetry, so is
    the mass on each side of 0 (ReLU's E[f′²] = 1/2 exactly). q = 0 gives the single node 0.
    """
    if q <= 0.0:
        return np.zeros(1), np.ones(1)
    r = math.sqrt(q)
    a = min(1.0, r) / 4.0
    t_max = math.asinh(12.0 * r / a)
    t = np.linspace(-t_max, t_max, QUADRATURE_POINTS)
    z = a * np.sinh(t)
    u = z / r
    w = np.cosh(t) * np.exp(-0.5 * u * u)
    w /= w.sum()
    return z, w


def _moments(act: Activation, p: dict[str, float], q: float) -> tuple[float, float, float]:
    """E[f(z)], E[f(z)²], E[f′(z)²] for z ~ N(0, q) (quadrature: :func:`gaussian_nodes`)."""
    z, w = gaussian_nodes(q)
    fz = act.fn(z, **p)
    dz = act.grad(z, **p)
    return float(w @ fz), float(w @ (fz * fz)), float(w @ (dz * dz))


def mean_field(
    activation: str | Activation,
    params: dict[str, float] | None,
    depth: int,
    width: int,
    sigma_w: float,
    residual: bool = False,
    batch: int = 1,
    q0: float = 1.0,
) -> MeanField:
    r"""The mean-field recursion for the network :func:`simulate` runs.

    Forward, tracking the per-unit mean m and second moment s of h (s_0 = q0, m_0 = 0).
    Without residual: :math:`q_l = \sigma_w^2 n s_{l-1}`, :math:`m_l = \mathbb E f,\;
    s_l = \mathbb E f^2` (z ~ N(0, q_l)), and :math:`\chi_l = \sigma_w^2 n\,\mathbb E f'^2`.
    With the pre-activation residual branch :math:`h_l = h_{l-1} + f(h_{l-1}) W_l`, f sees
    h_{l-1} itself, :math:`q_l = s_{l-1}`; the branch has mean 0 and second moment
    :math:`\sigma_w^2 n\,\mathbb E f^2`, so :math:`m_l = 0,\;
    s_l = s_{l-1} + \sigma_w^2 n\,\mathbb E f^2`, and χ_l is the same expression at q_l.
    Backward, g = E[δh²], g_L = 1: :math:`g_{l-1} = \chi_l g_l` (residual:
    :math:`(1 + \chi_l) g_l`). The weight-gradient norm multiplies n√B by the root mean
    squares of what W_l multiplies (h_{l-1}, or f(h_{l-1})) and of what reaches it
    (δh_l f′(z_l), or δh_l).
    """
    act, p = _resolve_activation(activation, params)
    n, s2 = float(width), float(sigma_w) ** 2
    q = np.full(depth, np.nan)
    edf2 = np.full(depth, np.nan)
    s_in = np.full(depth, np.nan)  # E[a²] of what W_l multiplies: h_{l-1}, or f(h_{l-1})
    act_std = np.full(depth + 1, np.nan)
    act_std[0] = math.sqrt(q0)
    s_prev = float(q0)
    with np.errstate(all="ignore"):  # beyond float64's range the prediction is inf/NaN
        for k in range(depth):
            ql = s_prev if residual else s2 * n * s_prev
            if not math.isfinite(ql):
                break
            q[k] = ql
            ef, ef2, edf2[k] = _moments(act, p, ql)
            if residual:
                s_in[k] = ef2
                m_k, s_k = 0.0, s_prev + s2 * n * ef2
            else:
                s_in[k] = s_prev
                m_k, s_k = ef, ef2
            act_std[k + 1] = math.sqrt(max(s_k - m_k * m_k, 0.0))
            s_prev = s_k
        gain = s2 * n * edf2
        factor = 1.0 + gain if residual else gain
        # g_l = Π_{k>l} factor_k: a reversed cumulative product, g_L = 1.
        g = np.ones(depth + 1)
        g[:-1] = np.cumprod(factor[::-1])[::-1]
        # What reaches W_l: δh_l ⊙ f′(z_l) (second moment g_l·E f′²), or δh_l itself (g_l).
        norms = n * np.sqrt(batch * s_in * g[1:] * (1.0 if residual else edf2))
        grad_stds = np.sqrt(g)
    out = [q, gain, act_std, grad_stds, norms]
    for arr in out:
        arr[~np.isfinite(arr)] = np.nan  # beyond float64's range: no prediction
    return MeanField(*out)


# --- critical init ------------------------------------------------------------------------------


def critical_weight_std(
    activation: str | Activation,
    params: dict[str, float] | None = None,
    width: int = 256,
    depth: int = 50,
    q: float = 1.0,
) -> float:
    r"""σ_w at which the mean-field backward gain is 1 on average over ``depth`` layers.

    Solves :math:`\frac{1}{D}\sum_{l=1}^{D} \log \chi_l(\sigma_w) = 0` with
    :math:`\chi_l = \sigma_w^2 n\, \mathbb E_{z\sim\mathcal N(0,q_l)}[f'(z)^2]` and q_l from the
    mean-field variance recursion started at input second moment ``q`` (inputs N(0, 1): q = 1),
    by bisection on log σ_w. So the gradient reaching layer 1 has, in mean field, the size of the
    one at the top. For positively homogeneous f the gain does not depend on q and this is the
    closed form: ReLU gives He, :math:`\sqrt{2/n}`; identity gives :math:`\sqrt{1/n}`. For tanh
    the variance drifts toward its fixed point and σ_w²n tends to 1 (Xavier) as depth grows.
    Raises ``ValueError`` if no σ_w works (e.g. f′ ≡ 0, the binary step).
    """
    act, p = _resolve_activation(activation, params)
    width = _check_int("width", width, MAX_WIDTH)
    depth = _check_int("depth", depth, MAX_DEPTH)

    def log_gain(log_s: float) -> float:
        mf = mean_field(act, p, depth, width, math.exp(log_s), q0=q)
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log(mf.gain)
        if not np.all(np.isfinite(lg)):
            return -math.inf if np.any(mf.gain == 0) or np.any(np.isnan(lg)) else math.inf
        return float(np.mean(lg))

    # σ_w²·n between 1e−4 and 1e4 covers every sensible activation.
    lo = math.log(math.sqrt(1e-4 / width))
    hi = math.log(math.sqrt(1e4 / width))
    f_lo, f_hi = log_gain(lo), log_gain(hi)
    if not (f_lo < 0.0 < f_hi):
        raise ValueError(
            f"{act.name}: no weight scale makes the backward gain 1 "
            f"(gain stays {'below' if f_hi <= 0 else 'above'} 1)"
        )
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if log_gain(mid) < 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    return math.exp(0.5 * (lo + hi))


# --- verdict ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    r"""What happened to the gradient through depth.

    ``ratio`` = std(δh_0)/std(δh_L): how much the backpropagated gradient ∂L/∂h grew (> 1) or
    shrank (< 1) from the top of the network to its input, the product of one factor
    ≈ σ_w·f′(z)·√n per layer; ``factor_per_layer`` = ratio^{1/depth}, its geometric mean.
    ``kind``: "exploding" if the run overflowed or ratio > :data:`VERDICT_RATIO`, "vanishing"
    if ratio < 1/:data:`VERDICT_RATIO`, else "healthy".

    ``weight_grad_ratio`` = ‖∂L/∂W_1‖/‖∂L/∂W_L‖ is reported beside it but not used: it also
    carries the forward signal (∂L/∂W_l = h_{l−1}ᵀδz_l), so for ReLU with Xavier init the
    shrinking activations and the shrinking gradients cancel and it stays near 1, although
    both are collapsing. For ReLU (positively homogeneous) its shape does not depend on the
    weight scale at all: σ_w = 0.01 and He give the same ratio. ``signal_ratio`` =
    std(h_L)/std(h_0) shows the forward side.

    When ``ratio`` is 0, ``zero_from`` is the highest layer l whose ∂L/∂h_l is exactly 0 and
    ``underflow`` says why: True when the layer above it was already below
    :data:`UNDERFLOW_BELOW` (the gradient shrank past float64's smallest numbers and rounded
    to 0), False when it was a normal number (nothing passed the layer: f′ = 0 for every unit
    and example, or zero weights).
    """

    kind: Literal["vanishing", "exploding", "healthy"]
    ratio: float
    factor_per_layer: float
    weight_grad_ratio: float
    signal_ratio: float
    overflowed: bool
    overflow_layer: int | None
    summary: str
    zero_from: int | None = None
    underflow: bool = False


#: A gradient std below this just above a layer of exact zeros means the zeros are underflow:
#: float64's normal numbers end at 2.2e−308 and its subnormals at 4.9e−324, so a signal that
#: shrinks by a factor per layer passes through this range before it rounds to 0.
UNDERFLOW_BELOW = 1e-290


def _ratio(num: float, den: float) -> float:
    """num/den for non-negative stds; 0/0 = 1 (nothing changed), x/0 = inf."""
    if den > 0.0:
        return num / den
    return 1.0 if num == 0.0 else math.inf


def verdict(result: DepthResult) -> Verdict:
    """Classify a :class:`DepthResult` as vanishing, exploding or healthy (see :class:`Verdict`)."""
    if result.overflowed:
        if result.overflow_layer is not None:
            where = f"the activations overflowed to inf at layer {result.overflow_layer}"
            layer = result.overflow_layer
        else:
            where = f"the gradients overflowed to inf at layer {result.grad_overflow_layer}"
            layer = result.grad_overflow_layer
        nan = math.nan
        return Verdict("exploding", nan, nan, nan, nan, True, layer, f"Exploded: {where}.")
    depth = result.depth
    ratio = _ratio(float(result.grad_stds[0]), float(result.grad_stds[depth]))
    # ratio ** (1/depth), with 0 and inf kept as they are.
    finite_positive = 0.0 < ratio < math.inf
    factor = math.exp(math.log(ratio) / depth) if finite_positive else ratio
    weight_ratio = _ratio(float(result.grad_norms[0]), float(result.grad_norms[-1]))
    signal = _ratio(float(result.activation_stds[depth]), float(result.activation_stds[0]))
    kind: Literal["vanishing", "exploding", "healthy"]
    if ratio < 1.0 / VERDICT_RATIO:
        kind, word = "vanishing", "Vanishing"
    elif ratio > VERDICT_RATIO:
        kind, word = "exploding", "Exploding"
    else:
        kind, word = "healthy", "Healthy"
    zero_from: int | None = None
    underflow = False
    if ratio == 0.0:
        stds = np.asarray(result.grad_stds, dtype=np.float64)
        zero_from = int(np.flatnonzero(stds == 0.0).max())
        above = float(stds[zero_from + 1])
        underflow = 0.0 < above < UNDERFLOW_BELOW
        if underflow:
            summary = (
                f"{word}: the gradient underflows, shrinking below float64's smallest numbers "
                f"and rounding to 0 at layer {zero_from} (it is {above:.2g} at layer "
                f"{zero_from + 1})."
            )
        else:
            summary = (
                f"{word}: no gradient reaches the input (it is exactly 0 from layer "
                f"{zero_from} down)."
            )
    else:
        summary = (
            f"{word}: the gradient reaching the input is {ratio:.3g}× the one at layer "
            f"{depth} (×{factor:.3g} per layer)."
        )
    return Verdict(
        kind, ratio, factor, weight_ratio, signal, False, None, summary, zero_from, underflow
    )
