r"""The training lab's core: Playground-style 2-D datasets and a small MLP trained by hand.

Datasets
--------
:func:`make_dataset` draws TensorFlow Playground's four classification sets the way its
``dataset.ts`` does, at its scale (points within about ±6), plus scikit-learn's two moons scaled
to the same box. ``noise`` runs from 0 to 0.5 like Playground's 0–50 %:

* ``circle``: half the points at radius U(0, 2.5), half at radius U(3.5, 5), uniform angle; the
  label is "inside radius 2.5" of the point moved by U(−5, 5)·noise in x and y (noise flips
  labels near the boundary; the point itself is not moved).
* ``xor``: x, y ~ U(−5, 5), pushed 0.3 away from each axis; the label is x·y ≥ 0 of the point
  moved by U(−5, 5)·noise.
* ``gaussian``: two Gaussian blobs at (2, 2) (class 1) and (−2, −2) (class 0), variance
  0.5 + 7·noise (Playground's linear map of noise 0..0.5 onto variance 0.5..4).
* ``spiral``: ``classes`` arms (2–5; Playground has 2). Point i of n_k on arm k has radius
  5i/n_k and angle 1.75·2π·i/n_k + π(1 + 2k/classes), plus U(−1, 1)·noise in x and y. With two
  classes, arm 1 is Playground's positive arm (angle offset 0) and arm 0 its negative (π).
* ``moons``: scikit-learn's ``make_moons`` (outer arc cos t, sin t and inner arc 1 − cos t,
  0.5 − sin t, t evenly spaced on [0, π]), centred and scaled by 10/3 so it spans ±5 in x, plus
  Gaussian noise of standard deviation 10/3·noise (scikit-learn's noise at its own scale).

Playground's labels +1 / −1 are class 1 / class 0 here. Classes get n // classes points each,
the first n % classes one more. The train/test split is a seeded random 80/20 (the test set is
n // 5 points). Everything comes from ``np.random.default_rng(seed)``.

The network
-----------
Row-vector convention, layers l = 1..L (L − 1 hidden layers and the output layer):

.. math::

    z_l = h_{l-1} W_l + b_l, \quad h_l = f(z_l) \;(l < L), \quad
    p = \operatorname{softmax}(z_L), \quad
    \mathcal L = -\frac{1}{B}\sum_{i\in\text{batch}} \log p_{i,y_i}
                 + \frac{\lambda}{2}\sum_l \lVert W_l\rVert_F^2

with :math:`W_l` of shape fan_in × fan_out and f the catalogue activation at ``params``.
Backward, by hand with the catalogue's derivative (no autograd):

.. math::

    \delta z_L = (p - \operatorname{onehot}(y))/B, \quad
    \frac{\partial\mathcal L}{\partial W_l} = h_{l-1}^\top \delta z_l + \lambda W_l, \quad
    \frac{\partial\mathcal L}{\partial b_l} = \textstyle\sum_i \delta z_{l,i}, \quad
    \delta z_{l-1} = (\delta z_l W_l^\top) \odot f'(z_{l-1}).

Optimizers, as PyTorch implements them (g the gradient, t = 1, 2, ...):

* ``sgd``: :math:`\theta \leftarrow \theta - \eta g`.
* ``momentum`` (``torch.optim.SGD(momentum=0.9)``): :math:`v \leftarrow 0.9 v + g,\;
  \theta \leftarrow \theta - \eta v` (v starts at 0, so the first v is g).
* ``adam`` (``torch.optim.Adam``, β1 = 0.9, β2 = 0.999, ε = 1e-8):
  :math:`m \leftarrow \beta_1 m + (1-\beta_1) g,\; v \leftarrow \beta_2 v + (1-\beta_2) g^2,\;
  \theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\,
  \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}` (ε added after the bias-corrected square
  root, as PyTorch does).

Randomness
----------
Two generators from ``np.random.SeedSequence(seed).spawn(2)``: the first draws the weights
(a standard normal matrix per layer, input to output, scaled by the init's σ), the second the
minibatches. Neither depends on the activation, the optimizer or the learning rate, and the
weights' directions not on the init: a race of activations with one seed starts from the same
weights and sees the same batches. Each epoch is a fresh permutation of the training rows cut
into ``batch``-sized minibatches, a final partial one dropped; a batch larger than the training
set is the whole training set (full batch).

Divergence
----------
At a large learning rate the weights can overflow. The run checks the logits and the loss at
every step; at the first non-finite one it stops: ``diverged_at`` is that step, every per-step
and per-snapshot value from that step on is NaN (the arrays keep their full length, so the runs
of a race line up), and ``final_weights`` are the last weights whose loss was finite (the
initial ones if even step 0's was not). No
floating-point warning is printed: the loop runs under ``np.errstate(all="ignore")`` because it
detects the overflow itself.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from activations.depth import INITS, _resolve_activation
from activations.functions import ACTIVATIONS, Activation
from activations.softmax import log_softmax

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: The datasets :func:`make_dataset` knows (Playground's four, then moons).
DATASETS: dict[str, str] = {
    "circle": "a disc of one class inside a ring of the other (Playground's circle)",
    "xor": "the four quadrants, diagonal ones alike (Playground's exclusive or)",
    "gaussian": "two Gaussian blobs (Playground's Gaussian)",
    "spiral": "interleaved spiral arms, 2–5 classes (Playground's spiral has 2)",
    "moons": "two interleaving half circles (scikit-learn's make_moons)",
}
#: The initialisations :func:`train` accepts: the depth page's, without "custom".
TRAIN_INITS: tuple[str, ...] = tuple(name for name in INITS if name != "custom")
OPTIMIZERS: dict[str, str] = {
    "sgd": "plain SGD: θ ← θ − η·g",
    "momentum": "SGD with momentum 0.9 (PyTorch's): v ← 0.9·v + g, θ ← θ − η·v",
    "adam": "Adam (PyTorch's): β1 = 0.9, β2 = 0.999, ε = 1e-8",
}
MOMENTUM = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8

NOISE_RANGE = (0.0, 0.5)
POINTS_RANGE = (10, 5000)
SPIRAL_CLASSES = (2, 5)
#: Playground's box is [−6, 6]²; a dataset whose points reach further gets a larger square.
BOX_HALF_WIDTH = 6.0

LAYERS_RANGE = (1, 8)
WIDTH_RANGE = (1, 64)
STEPS_MAX = 5000
BATCH_MAX = 5000
SNAPSHOTS_RANGE = (2, 200)
#: The decision surface is evaluated on a grid × grid lattice over the dataset's box.
GRID_DEFAULT = 40
GRID_RANGE = (2, 64)
#: A unit-input is "saturated" where |f′(z)| is below this: the explorer's grey band
#: (``ui.explorer_view.NEAR_ZERO``).
SATURATED_BELOW = 0.01


# --- datasets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A 2-D classification set and its seeded 80/20 split (see the module docstring).

    ``x`` (n × 2, float64) and ``y`` (n, int64 class ids 0..classes−1) in generation order;
    ``x_train``/``y_train`` and ``x_test``/``y_test`` the split (``train_index``/``test_index``
    the rows of ``x`` they hold); ``box`` = (x_min, x_max, y_min, y_max), the square the
    decision surface covers: Playground's [−6, 6]², larger if a point lies outside it. Arrays are
    read-only (a dataset may be shared by every session that asks for it).
    """

    name: str
    n: int
    noise: float
    seed: int
    classes: int
    x: Array
    y: IntArray
    x_train: Array
    y_train: IntArray
    x_test: Array
    y_test: IntArray
    train_index: IntArray
    test_index: IntArray
    box: tuple[float, float, float, float]


def _check_int_range(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")
    return int(value)


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
    return int(seed)


def _check_float(name: str, value: Any, low: float, high: float, low_open: bool = False) -> float:
    # Numbers only: a string such as "0.1" is refused, not parsed (the page parses its URL).
    number = isinstance(value, int | float | np.integer | np.floating)
    v = float(value) if number else math.nan
    ok = math.isfinite(v) and (low < v if low_open else low <= v) and v <= high
    if isinstance(value, bool) or not ok:
        lo = f"above {low:g}" if low_open else f"from {low:g}"
        raise ValueError(f"{name} must be a number {lo} to {high:g}, got {value!r}")
    return v


def _class_sizes(n: int, classes: int) -> list[int]:
    return [n // classes + (k < n % classes) for k in range(classes)]


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, IntArray]:
    radius = 5.0
    n_in, n_out = _class_sizes(n, 2)
    r = np.concatenate(
        [rng.uniform(0.0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)]
    )
    angle = rng.uniform(0.0, 2.0 * math.pi, n)
    x = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = x + rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.int64)
    return x, y


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, IntArray]:
    x = rng.uniform(-5.0, 5.0, (n, 2))
    x += np.where(x > 0, 0.3, -0.3)  # padding away from the axes
    moved = x + rng.uniform(-5.0, 5.0, (n, 2)) * noise
    y = (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)
    return x, y


def _gaussian(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, IntArray]:
    std = math.sqrt(0.5 + noise * (4.0 - 0.5) / 0.5)
    n_neg, n_pos = _class_sizes(n, 2)
    x = np.concatenate([rng.normal(-2.0, std, (n_neg, 2)), rng.normal(2.0, std, (n_pos, 2))])
    y = np.repeat(np.arange(2, dtype=np.int64), [n_neg, n_pos])
    return x, y


def _spiral(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, IntArray]:
    parts, labels = [], []
    for k, n_k in enumerate(_class_sizes(n, classes)):
        i = np.arange(n_k, dtype=np.float64)
        r = i / n_k * 5.0
        t = 1.75 * i / n_k * 2.0 * math.pi + math.pi * (1.0 + 2.0 * k / classes)
        pts = np.column_stack([r * np.sin(t), r * np.cos(t)])
        pts += rng.uniform(-1.0, 1.0, (n_k, 2)) * noise
        parts.append(pts)
        labels.append(np.full(n_k, k, dtype=np.int64))
    return np.concatenate(parts), np.concatenate(labels)


def _moons(rng: np.random.Generator, n: int, noise: float) -> tuple[Array, IntArray]:
    scale = 10.0 / 3.0
    n_out, n_in = _class_sizes(n, 2)
    t_out = np.linspace(0.0, math.pi, n_out)
    t_in = np.linspace(0.0, math.pi, n_in)
    x = np.concatenate(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)]),
        ]
    )
    x = (x - [0.5, 0.25]) * scale + rng.normal(0.0, scale * noise, (n, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), [n_out, n_in])
    return x, y


def make_dataset(
    name: str, n: int = 400, noise: float = 0.1, seed: int = 0, classes: int = 2
) -> Dataset:
    """Draw the dataset ``name`` (one of :data:`DATASETS`) with ``n`` points (10–5000), label or
    position ``noise`` 0–0.5, and ``classes`` (2–5 for ``spiral``; the others have exactly 2).

    Generated as the module docstring says, from ``np.random.default_rng(seed)``: the same
    arguments give the same points, bit for bit. Raises ``ValueError`` naming what is accepted.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")
    n = _check_int_range("n (the number of points)", n, *POINTS_RANGE)
    noise = _check_float("noise", noise, *NOISE_RANGE)
    seed = _check_seed(seed)
    if name == "spiral":
        classes = _check_int_range("classes (spiral arms)", classes, *SPIRAL_CLASSES)
    elif isinstance(classes, bool) or classes != 2:
        raise ValueError(f"{name} has 2 classes (only spiral takes 2–5), got classes={classes!r}")
    rng = np.random.default_rng(seed)
    if name == "circle":
        x, y = _circle(rng, n, noise)
    elif name == "xor":
        x, y = _xor(rng, n, noise)
    elif name == "gaussian":
        x, y = _gaussian(rng, n, noise)
    elif name == "spiral":
        x, y = _spiral(rng, n, noise, classes)
    else:
        x, y = _moons(rng, n, noise)
    order = rng.permutation(n)
    n_test = n // 5
    test_index = np.sort(order[:n_test])
    train_index = np.sort(order[n_test:])
    reach = float(np.max(np.abs(x)))
    half = BOX_HALF_WIDTH if reach <= BOX_HALF_WIDTH else float(math.ceil(reach + 0.5))
    arrays = {
        "x": x,
        "y": y,
        "x_train": x[train_index],
        "y_train": y[train_index],
        "x_test": x[test_index],
        "y_test": y[test_index],
        "train_index": train_index.astype(np.int64),
        "test_index": test_index.astype(np.int64),
    }
    for arr in arrays.values():
        arr.flags.writeable = False
    return Dataset(
        name=name,
        n=n,
        noise=noise,
        seed=seed,
        classes=int(classes),
        box=(-half, half, -half, half),
        **arrays,
    )


# --- initialisation -----------------------------------------------------------------------------


def layer_weight_std(init: str, fan_in: int, fan_out: int) -> float:
    """σ of one layer's weights for ``init`` (the depth page's :data:`INITS`, at this layer's
    own fan-in and fan-out): zeros 0, small 0.01, xavier √(2/(fan_in + fan_out)), he
    √(2/fan_in), lecun √(1/fan_in), large 1. On a square layer these are the depth page's."""
    table = {
        "zeros": 0.0,
        "small": 0.01,
        "xavier": math.sqrt(2.0 / (fan_in + fan_out)),
        "he": math.sqrt(2.0 / fan_in),
        "lecun": math.sqrt(1.0 / fan_in),
        "large": 1.0,
    }
    if init not in table:
        raise ValueError(f"unknown init {init!r}: choose one of {', '.join(TRAIN_INITS)}")
    return table[init]


# --- bounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingCost:
    """An estimate of one run's work and memory (:func:`training_cost`).

    ``multiply_adds``: the matrix products' multiply-adds over the whole run (every step's
    forward pass over the training and test sets, the batch's backward pass, and at each
    snapshot the decision surface); ``work``: the run's time in *work units*, one multiply-add
    in a large matrix product (≈ 0.1 ns on the app's server): those products, plus the
    activation's f and f′ at :func:`element_cost` units per entry, plus :data:`CALL_COST` per
    NumPy call (small networks spend their time there, not in arithmetic); ``bytes``: an upper
    estimate of the memory the run holds at its peak, its result included.
    """

    multiply_adds: int
    work: int
    bytes: int


#: What one NumPy call on small arrays costs, in work units (≈ 1.2 µs). With these constants
#: one CPU second did 7.2–14.6 · 10⁹ units in runs from 2 × 8 to 8 × 64 wide, with cheap and
#: expensive activations (docs/PERFORMANCE.md, "Training lab core").
CALL_COST = 12_000
#: NumPy calls per step: per layer (forward, backward, the gather of the batch's rows) and fixed
#: (the softmax, loss, accuracy, the optimizer's update).
CALLS_PER_LAYER = 9
CALLS_PER_STEP = 30
#: f and f′ together, per entry, in work units, by activation, in four tiers fitted to the CPU
#: time of training runs (docs/PERFORMANCE.md, "Training lab core"). Anything not listed (a
#: new catalogue entry, a custom :class:`Activation`) counts as the most expensive tier.
_ELEMENT_TIERS: tuple[tuple[int, frozenset[str]], ...] = (
    (
        15,  # piecewise linear, or one cheap ufunc
        frozenset(
            [
                "identity",
                "binary_step",
                "relu",
                "relu6",
                "hard_tanh",
                "threshold",
                "hard_shrink",
                "leaky_relu",
                "prelu",
                "rrelu",
                "relu_squared",
                "sparse_sigmoid",
                "softsign",
                "hard_sigmoid",
                "arctan",
                "soft_shrink",
                "sparse_plus",
                "exponential",
                "gaussian",
                "hard_swish",
                "maxout",
                "tanh",
            ]
        ),
    ),
    (40, frozenset(["sigmoid", "tanh_shrink", "log_sigmoid", "isru", "isrlu"])),
    # dyt, lisht, golu and srelu (2026 entries) were not fitted: their f + f′ on a 400 × 64
    # array (7–10 ns an entry) time like elu/selu/celu's, so they share that tier.
    (
        100,
        frozenset(
            ["softplus", "bent_identity", "elu", "celu", "selu", "dyt", "lisht", "golu", "srelu"]
        ),
    ),
    (
        320,  # several transcendental calls per entry (f′ of GELU or swish: 15–55 ns an entry)
        frozenset(
            [
                "gelu",
                "gelu_tanh",
                "swish",
                "mish",
                "sinc",
                "squareplus",
                "sinusoid",
                "quick_gelu",
                "snake",
                "laplace",
                "xielu",
            ]
        ),
    ),
)
#: The most expensive tier: also what an activation in no tier counts as.
ELEMENT_COST_MAX = 320


def element_cost(activation: str | Activation | None) -> int:
    """f and f′ of ``activation`` per entry, in work units (None: the most expensive tier)."""
    name = activation.name if isinstance(activation, Activation) else activation
    for cost, names in _ELEMENT_TIERS:
        if name in names:
            return cost
    return ELEMENT_COST_MAX


def _layer_sizes(hidden: tuple[int, ...], classes: int) -> list[int]:
    return [2, *hidden, classes]


def training_cost(
    hidden: tuple[int, ...] | list[int],
    steps: int,
    batch: int = 32,
    n: int = 400,
    classes: int = 2,
    snapshots: int = 50,
    *,
    grid: int = GRID_DEFAULT,
    activation: str | Activation | None = None,
) -> TrainingCost:
    """The work and memory of :func:`train` at this shape, on a dataset of ``n`` points, for
    ``activation`` (None: as for the most expensive one)."""
    hidden = tuple(hidden)
    sizes = _layer_sizes(hidden, classes)
    macs = sum(a * b for a, b in itertools.pairwise(sizes))
    units = sum(hidden)
    n_train = n - n // 5
    b = min(batch, n_train)
    # Forward over every point each step (the loss curves), backward over the batch (two
    # products per layer), at each snapshot the surface.
    snapshots = len(snapshot_schedule(steps, snapshots))  # fewer when there are few steps
    products = (steps + 1) * (n + 2 * b) * macs + snapshots * (grid * grid * macs)
    # f on every point and f′ on the batch each step; at each snapshot f on the grid and f′ on
    # the training set. Half the entry's cost each.
    entries = (steps + 1) * (n + b) * units + snapshots * (grid * grid + n_train) * units
    calls = (steps + 1) * (CALLS_PER_LAYER * len(sizes) + CALLS_PER_STEP)
    work = products + entries * element_cost(activation) // 2 + calls * CALL_COST
    per_step = 4 * (steps + 1) + 2 * b  # four curves, one batch row
    surface = snapshots * grid * grid * classes
    per_layer = 4 * snapshots * len(hidden)
    params = 8 * (macs + units + classes)  # weights, gradient, optimizer state, copies
    # Every point's z and h per layer, and the temporaries of f on every point and on the
    # surface's grid (sinc or mish hold several arrays of that size at once).
    buffers = 8 * n * (units + classes) + 8 * grid * grid * max(sizes)
    nbytes = 8 * (per_step + steps * b + surface + per_layer + params + buffers)
    return TrainingCost(multiply_adds=int(products), work=int(work), bytes=int(nbytes) + (1 << 20))


#: The most work (:class:`TrainingCost`) one run may take: about 1.5 s on one core of the app's
#: server (≈ 10¹⁰ units per second, measured under load). The default run (ReLU, 2 × 8, 1,000
#: steps) takes about a tenth of it.
MAX_WORK = 15_000_000_000
#: The most memory one run may hold (:func:`training_cost`), far above anything the page's
#: ranges reach; a second guard beside the work limit.
MAX_RUN_BYTES = 256 << 20


def _fits(cost: TrainingCost) -> bool:
    return cost.work <= MAX_WORK and cost.bytes <= MAX_RUN_BYTES


def largest_steps(
    hidden: tuple[int, ...] | list[int],
    batch: int = 32,
    n: int = 400,
    classes: int = 2,
    snapshots: int = 50,
    *,
    grid: int = GRID_DEFAULT,
    activation: str | Activation | None = None,
) -> int:
    """The most steps (0 to :data:`STEPS_MAX`) a run of this shape may take under the limits
    (0 also when not even that fits)."""
    kw = {"grid": grid, "activation": activation}
    lo, hi = 0, STEPS_MAX
    while lo < hi:  # the cost grows with the steps: bisect for the last one that fits
        mid = (lo + hi + 1) // 2
        if _fits(training_cost(hidden, mid, batch, n, classes, snapshots, **kw)):
            lo = mid
        else:
            hi = mid - 1
    return lo


def check_training_size(
    hidden: tuple[int, ...] | list[int],
    steps: int,
    batch: int = 32,
    n: int = 400,
    classes: int = 2,
    snapshots: int = 50,
    *,
    grid: int = GRID_DEFAULT,
    activation: str | Activation | None = None,
) -> str | None:
    """None if a run of this shape with ``activation`` (None: the most expensive) fits
    :data:`MAX_WORK` and :data:`MAX_RUN_BYTES`; otherwise what to tell the student: how far over
    the run is and the most steps that fit (or, if none do, to narrow the layers)."""
    kw = {"grid": grid, "activation": activation}
    cost = training_cost(hidden, steps, batch, n, classes, snapshots, **kw)
    if _fits(cost):
        return None
    shape = " × ".join(str(w) for w in hidden)
    if isinstance(activation, Activation):
        name = f" and {activation.label}"
    elif activation in ACTIVATIONS:
        name = f" and {ACTIVATIONS[activation].label}"
    else:
        name = ""
    most = largest_steps(hidden, batch, n, classes, snapshots, **kw)
    ratio = max(cost.work / MAX_WORK, cost.bytes / MAX_RUN_BYTES)
    advice = (
        f"With these layers at most {most:,} steps fit; or make the layers narrower or fewer."
        if most >= 1
        else "Make the layers narrower or fewer."
    )
    return (
        f"Not trained: {steps:,} steps of a network with hidden layers {shape}{name} would "
        f"take about {ratio:.1f}× the work this server allows per run, so that a whole class "
        f"can share it. {advice} Your other settings are kept."
    )


# --- the run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRun:
    r"""Everything one training run produced (see the module docstring for the model).

    Per step (length ``steps + 1``; index 0 is before the first step, index t after step t):
    ``loss_train``, ``loss_test`` (mean cross-entropy over the whole set, without the L2 term),
    ``acc_train``, ``acc_test`` (share of points whose most probable class, the first on a tie,
    is theirs). ``batch_indices`` (steps × batch, int64): the rows of ``x_train`` step t + 1
    used (batches past a divergence included: they depend on the seed only); ``batch`` is the
    batch actually used (the training set's size if the requested one was larger).

    ``initial_weights``, ``final_weights``: one ``(W, b)`` per layer, input to output, W of shape
    fan_in × fan_out.

    Per snapshot, at ``snapshot_steps`` (S distinct steps evenly spaced from 0 to ``steps``
    inclusive; fewer than requested if ``steps`` is small), measured at the weights after that
    many steps:

    * ``surface`` (S × grid × grid × classes): the class probabilities at
      (``grid_x[j]``, ``grid_y[i]``) in ``surface[s, i, j]`` (rows are y, as a heatmap's z).
    * per hidden layer (S × hidden layers): ``dead_fraction``, the share of the layer's units
      with f′(z) = 0 for every training point (no gradient can reach their weights again);
      ``saturated_fraction``, the share of (training point, unit) pairs with
      |f′(z)| < :data:`SATURATED_BELOW`; ``grad_norm`` = ‖∂L/∂W_l‖_F (L2 term included) and
      ``update_ratio`` = ‖ΔW_l‖_F/‖W_l‖_F of the step taken *from* these weights (at the last
      snapshot, the step a longer run would take next, so the values do not depend on where
      the run ends). ``update_ratio`` is inf where W_l = 0 moves and NaN where it stays 0.

    ``diverged_at``: the first step whose loss was not finite (the run stopped there and every
    value from it on is NaN), or None.
    """

    activation: str
    params: dict[str, float]
    dataset: str
    classes: int
    hidden: tuple[int, ...]
    init: str
    optimizer: str
    lr: float
    batch: int
    steps: int
    l2: float
    seed: int
    initial_weights: tuple[tuple[Array, Array], ...]
    final_weights: tuple[tuple[Array, Array], ...]
    batch_indices: IntArray
    loss_train: Array
    loss_test: Array
    acc_train: Array
    acc_test: Array
    snapshot_steps: IntArray
    grid_x: Array
    grid_y: Array
    surface: Array
    dead_fraction: Array
    saturated_fraction: Array
    grad_norm: Array
    update_ratio: Array
    diverged_at: int | None


def _check_hidden(hidden: Any) -> tuple[int, ...]:
    lo, hi = LAYERS_RANGE
    wlo, whi = WIDTH_RANGE
    what = f"hidden must be {lo}–{hi} layer widths, each a whole number from {wlo} to {whi}"
    if isinstance(hidden, int | np.integer) and not isinstance(hidden, bool):
        hidden = (hidden,)
    try:
        widths = tuple(hidden)
    except TypeError:
        raise ValueError(f"{what}, got {hidden!r}") from None
    if not lo <= len(widths) <= hi:
        raise ValueError(f"{what}, got {len(widths)} layers")
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, int | np.integer) or not wlo <= w <= whi:
            raise ValueError(f"{what}, got {hidden!r}")
    return tuple(int(w) for w in widths)


def snapshot_schedule(steps: int, snapshots: int) -> IntArray:
    """The distinct steps, evenly spaced from 0 to ``steps`` inclusive, at which :func:`train`
    takes ``snapshots`` snapshots (fewer if there are fewer steps)."""
    return np.unique(np.round(np.linspace(0, steps, snapshots)).astype(np.int64))


def batch_schedule(n_train: int, batch: int, steps: int, rng: np.random.Generator) -> IntArray:
    """``steps`` minibatches of row indices: each epoch one permutation of ``range(n_train)``
    (``rng.permuted``, one row per epoch) cut into ``batch``-sized pieces, a partial last one
    dropped. ``batch`` ≤ ``n_train``."""
    per_epoch = n_train // batch
    epochs = -(-steps // per_epoch) if steps else 0
    orders = rng.permuted(np.tile(np.arange(n_train, dtype=np.int64), (epochs, 1)), axis=1)
    cut = orders[:, : per_epoch * batch].reshape(epochs * per_epoch, batch)
    return np.ascontiguousarray(cut[:steps])


def train(
    activation: str | Activation,
    dataset: Dataset,
    hidden: tuple[int, ...] | list[int] = (8, 8),
    init: str = "he",
    optimizer: str = "sgd",
    lr: float = 0.1,
    batch: int = 32,
    steps: int = 1000,
    l2: float = 0.0,
    seed: int = 0,
    params: dict[str, float] | None = None,
    snapshots: int = 50,
    *,
    grid: int = GRID_DEFAULT,
    on_step: Callable[[int, list[tuple[Array, Array]]], None] | None = None,
) -> TrainingRun:
    """Train the MLP the module docstring describes on ``dataset`` and record the run.

    ``activation``: a catalogue slug or an :class:`Activation`, at ``params`` (defaults for the
    rest). ``hidden``: 1–8 widths of 1–64; ``init`` one of :data:`TRAIN_INITS`; ``optimizer`` one
    of :data:`OPTIMIZERS`; ``lr`` > 0 (≤ 1e6); ``batch`` ≥ 1; ``steps`` 0–5000; ``l2`` ≥ 0
    (≤ 1e6); ``seed`` ≥ 0; ``snapshots`` 2–200; ``grid`` 2–64 points a side for the surface.
    Raises ``ValueError`` saying what is accepted. Never warns (see Divergence). The size of a
    run is not limited here: call :func:`check_training_size` first where that matters.

    ``on_step(t, gradients)``, if given, is called at each step t = 0..steps − 1 with this
    step's ``(∂L/∂W, ∂L/∂b)`` per layer (L2 term included), just before the update; the arrays
    are the run's own buffers, valid during the call only (the tests compare them with
    autograd's).
    """
    act, p = _resolve_activation(activation, params)
    if not isinstance(dataset, Dataset):
        raise ValueError(f"dataset must be a Dataset from make_dataset, got {type(dataset)}")
    widths = _check_hidden(hidden)
    if init not in TRAIN_INITS:
        raise ValueError(f"unknown init {init!r}: choose one of {', '.join(TRAIN_INITS)}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
    lr = _check_float("lr (the learning rate)", lr, 0.0, 1e6, low_open=True)
    batch = _check_int_range("batch", batch, 1, BATCH_MAX)
    steps = _check_int_range("steps", steps, 0, STEPS_MAX)
    l2 = _check_float("l2", l2, 0.0, 1e6)
    seed = _check_seed(seed)
    snapshots = _check_int_range("snapshots", snapshots, *SNAPSHOTS_RANGE)
    grid = _check_int_range("grid", grid, *GRID_RANGE)

    x_train, y_train = dataset.x_train, dataset.y_train
    n_train, n_test = len(y_train), len(dataset.y_test)
    batch = min(batch, n_train)
    classes = dataset.classes
    sizes = _layer_sizes(widths, classes)
    n_layers = len(sizes) - 1
    n_hidden = n_layers - 1
    weight_rng, batch_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )

    # All parameters in one flat vector (the optimizer updates it in a few whole-vector
    # operations); W_l and b_l are views into it, as are their gradients into ``grad``.
    shapes = [(a, b) for a, b in itertools.pairwise(sizes)]
    total = sum(a * b + b for a, b in shapes)
    theta = np.empty(total)
    grad = np.empty(total)
    is_weight = np.zeros(total, dtype=bool)
    ws, bs, gws, gbs = [], [], [], []
    w_slices = []
    at = 0
    for a, b in shapes:
        w_slices.append(slice(at, at + a * b))
        ws.append(theta[at : at + a * b].reshape(a, b))
        gws.append(grad[at : at + a * b].reshape(a, b))
        is_weight[at : at + a * b] = True
        at += a * b
        bs.append(theta[at : at + b])
        gbs.append(grad[at : at + b])
        at += b
    for w, b_, (fan_in, fan_out) in zip(ws, bs, shapes, strict=True):
        w[...] = weight_rng.standard_normal((fan_in, fan_out))
        w *= layer_weight_std(init, fan_in, fan_out)
        b_[...] = 0.0
    initial = _weights(ws, bs)
    # One batch more than the steps: the last snapshot's gradient norm and update ratio are
    # those of the step after the last (see TrainingRun).
    batches_all = batch_schedule(n_train, batch, steps + 1, batch_rng)

    x_all = np.concatenate([x_train, dataset.x_test])
    y_all = np.concatenate([y_train, dataset.y_test])
    n_all = n_train + n_test
    inv_batch = 1.0 / batch
    gx = np.linspace(dataset.box[0], dataset.box[1], grid)
    gy = np.linspace(dataset.box[2], dataset.box[3], grid)
    gxx, gyy = np.meshgrid(gx, gy)
    grid_points = np.column_stack([gxx.ravel(), gyy.ravel()])

    snap_steps = snapshot_schedule(steps, snapshots)
    n_snap = len(snap_steps)
    snap_of = {int(s): i for i, s in enumerate(snap_steps)}
    nan = math.nan
    loss_train = np.full(steps + 1, nan)
    loss_test = np.full(steps + 1, nan)
    acc_train = np.full(steps + 1, nan)
    acc_test = np.full(steps + 1, nan)
    surface = np.full((n_snap, grid, grid, classes), nan)
    dead = np.full((n_snap, n_hidden), nan)
    saturated = np.full((n_snap, n_hidden), nan)
    grad_norm = np.full((n_snap, n_hidden), nan)
    update_ratio = np.full((n_snap, n_hidden), nan)

    fn, dfn = act.fn, act.grad
    # Buffers reused every step: the per-step work is a fixed list of small NumPy calls.
    # z_l for every point; the logits transposed (classes × points), so that the softmax's
    # reductions over the classes run along the first axis: NumPy reduces a (400, 2) array
    # along its short last axis several times slower than a (2, 400) one along the first.
    zs = [np.empty((n_all, b)) for _, b in shapes[:-1]]
    logits_t = np.empty((classes, n_all))
    zb = [np.empty((batch, b)) for _, b in shapes[:-1]]  # z_l for the batch's rows
    hb = [np.empty((batch, a)) for a, _ in shapes]  # h_{l-1} for the batch's rows
    hs: list[Array] = [x_all] + [zs[0]] * n_hidden  # h_0..h_{L-1}, replaced each step
    dz_top = np.empty((classes, batch))  # δz_L transposed
    onehot = np.zeros((classes, n_train))
    onehot[y_train, np.arange(n_train)] = 1.0
    onehot_b = np.empty((classes, batch))
    label_at = y_all * n_all + np.arange(n_all)  # log p of each point's class, flat index
    w_out, b_out = ws[-1], bs[-1][:, None]
    logp_y = np.empty(n_all)
    state_1 = np.zeros(total) if optimizer in ("momentum", "adam") else None
    state_2 = np.zeros(total) if optimizer == "adam" else None
    work = np.empty(total)
    work_2 = np.empty(total)
    previous = theta.copy()  # the weights one step back: the last finite ones on divergence
    beta1, beta2 = ADAM_BETAS
    add, matmul = np.add.reduce, np.matmul
    diverged_at: int | None = None
    final: tuple[tuple[Array, Array], ...] | None = None

    with np.errstate(all="ignore"):  # overflow is detected below (module docstring)
        for t in range(steps + 1):
            # Forward over the training and test points together.
            h = x_all
            for k in range(n_hidden):
                z = matmul(h, ws[k], out=zs[k])
                z += bs[k]
                h = fn(z, **p)
                hs[k + 1] = h
            matmul(w_out.T, h.T, out=logits_t)
            logits_t += b_out
            try:
                logp = log_softmax(logits_t, axis=0)  # raises ValueError on a non-finite logit
            except ValueError:
                diverged_at = t
                break
            logp.take(label_at, out=logp_y)
            lt = -float(add(logp_y[:n_train])) / n_train
            le = -float(add(logp_y[n_train:])) / n_test
            if not (math.isfinite(lt) and math.isfinite(le)):  # a log-probability of −inf
                diverged_at = t
                break
            loss_train[t] = lt
            loss_test[t] = le
            hit = logits_t.argmax(axis=0) == y_all
            acc_train[t] = np.count_nonzero(hit[:n_train]) / n_train
            acc_test[t] = np.count_nonzero(hit[n_train:]) / n_test
            s = snap_of.get(t)
            if s is not None:
                surface[s] = _probabilities(fn, p, ws, bs, grid_points).reshape(grid, grid, -1)
                for k in range(n_hidden):
                    d = np.abs(dfn(zs[k][:n_train], **p))
                    dead[s, k] = np.count_nonzero((d == 0.0).all(axis=0)) / sizes[k + 1]
                    saturated[s, k] = np.count_nonzero(d < SATURATED_BELOW) / d.size
                if t == steps:
                    final = _weights(ws, bs)
            elif t == steps:
                final = _weights(ws, bs)
                break

            # Backward over this step's batch: δz_L = (p − onehot(y))/B, then layer by layer.
            idx = batches_all[t]
            dz_t = logp.take(idx, 1, dz_top)
            np.exp(dz_t, out=dz_t)
            dz_t -= onehot.take(idx, 1, onehot_b)
            dz_t *= inv_batch
            matmul(hs[n_hidden].take(idx, 0, hb[n_hidden]).T, dz_t.T, out=gws[n_hidden])
            add(dz_t, axis=1, out=gbs[n_hidden])
            dz = matmul(dz_t.T, w_out.T)
            dz *= dfn(zs[n_hidden - 1].take(idx, 0, zb[n_hidden - 1]), **p)
            for k in range(n_hidden - 1, -1, -1):
                matmul(hs[k].take(idx, 0, hb[k]).T, dz, out=gws[k])
                add(dz, axis=0, out=gbs[k])
                if k > 0:
                    dz = matmul(dz, ws[k].T)
                    dz *= dfn(zs[k - 1].take(idx, 0, zb[k - 1]), **p)
            if l2:
                np.multiply(theta, l2, out=work, where=is_weight)
                np.add(grad, work, out=grad, where=is_weight)
            if s is not None:
                for k in range(n_hidden):
                    grad_norm[s, k] = _norm(gws[k])
            if on_step is not None and t < steps:
                on_step(t, list(zip(gws, gbs, strict=True)))
            np.copyto(previous, theta)

            # The update, on the flat vector.
            if optimizer == "sgd":
                np.multiply(grad, lr, out=work)
            elif optimizer == "momentum":
                assert state_1 is not None
                state_1 *= MOMENTUM
                state_1 += grad
                np.multiply(state_1, lr, out=work)
            else:
                assert state_1 is not None and state_2 is not None
                step = t + 1
                state_1 *= beta1
                state_1 += np.multiply(grad, 1.0 - beta1, out=work)
                state_2 *= beta2
                np.multiply(grad, grad, out=work)
                work *= 1.0 - beta2
                state_2 += work
                np.sqrt(state_2, out=work)
                work /= math.sqrt(1.0 - beta2**step)
                work += ADAM_EPS
                np.divide(state_1, work, out=work)
                work *= lr / (1.0 - beta1**step)
            theta -= work

            if s is not None:
                for k in range(n_hidden):
                    w_old = previous[w_slices[k]]
                    np.subtract(theta[w_slices[k]], w_old, out=work_2[w_slices[k]])
                    update_ratio[s, k] = _ratio(_norm(work_2[w_slices[k]]), _norm(w_old))

    if diverged_at is not None:
        t0 = diverged_at
        for arr in (loss_train, loss_test, acc_train, acc_test):
            arr[t0:] = nan
        late = snap_steps >= t0
        surface[late] = nan
        for arr in (dead, saturated, grad_norm, update_ratio):
            arr[late] = nan
        # The weights one step before the non-finite loss (the initial ones if that was step 0).
        final = _weights(*_views(previous, shapes, w_slices))
    if final is None:
        final = _weights(ws, bs)

    batch_indices = np.ascontiguousarray(batches_all[:steps])
    return TrainingRun(
        activation=act.name,
        params=p,
        dataset=dataset.name,
        classes=classes,
        hidden=widths,
        init=init,
        optimizer=optimizer,
        lr=lr,
        batch=batch,
        steps=steps,
        l2=l2,
        seed=seed,
        initial_weights=initial,
        final_weights=final,
        batch_indices=batch_indices,
        loss_train=loss_train,
        loss_test=loss_test,
        acc_train=acc_train,
        acc_test=acc_test,
        snapshot_steps=snap_steps,
        grid_x=gx,
        grid_y=gy,
        surface=surface,
        dead_fraction=dead,
        saturated_fraction=saturated,
        grad_norm=grad_norm,
        update_ratio=update_ratio,
        diverged_at=diverged_at,
    )


def _views(
    flat: Array, shapes: list[tuple[int, int]], w_slices: list[slice]
) -> tuple[list[Array], list[Array]]:
    ws = [flat[sl].reshape(shape) for sl, shape in zip(w_slices, shapes, strict=True)]
    bs = [flat[sl.stop : sl.stop + shape[1]] for sl, shape in zip(w_slices, shapes, strict=True)]
    return ws, bs


def _weights(ws: list[Array], bs: list[Array]) -> tuple[tuple[Array, Array], ...]:
    return tuple((w.copy(), b.copy()) for w, b in zip(ws, bs, strict=True))


def _finite(x: Array) -> bool:
    """Every entry finite: a finite sum proves it without a pass of its own."""
    return math.isfinite(float(x.sum())) or bool(np.isfinite(x).all())


def _norm(x: Array) -> float:
    """‖x‖ (Frobenius), rescaled when the squares overflow but the entries are finite (just
    before a divergence); inf or NaN if an entry is."""
    flat = x.ravel()
    with np.errstate(over="ignore"):  # detected just below
        s = math.sqrt(float(np.dot(flat, flat)))
    if math.isinf(s) and np.isfinite(flat).all():
        m = float(np.max(np.abs(flat)))
        scaled = flat / m
        s = m * math.sqrt(float(np.dot(scaled, scaled)))
    return s


def _ratio(num: float, den: float) -> float:
    if den > 0.0:
        return num / den
    return math.nan if num == 0.0 else math.inf


def _probabilities(
    fn: Any, p: dict[str, float], ws: list[Array], bs: list[Array], x: Array
) -> Array:
    """The network's class probabilities at the points ``x`` (rows), float64."""
    h = x
    for k, (w, b) in enumerate(zip(ws, bs, strict=True)):
        h = h @ w + b
        if k < len(ws) - 1:
            h = fn(h, **p)
    if _finite(h):
        return np.exp(log_softmax(h.T, axis=0)).T  # reduced along the first axis: see train
    # Far from the data the logits can overflow where the points' stay finite: NaN there only.
    out = np.full(h.shape, math.nan)
    ok = np.isfinite(h).all(axis=1)
    if ok.any():
        out[ok] = np.exp(log_softmax(h[ok].T, axis=0)).T
    return out
