"""The depth page's view: cached simulator calls, figures, and the words around them.

The simulator (``activations.depth``) returns a frozen result that can hold every weight
matrix: at depth 200 × width 1024 that is 1.7 GB. :func:`run` keeps them only while they are
small (:data:`KEPT_WEIGHTS_BYTES`), refuses networks over :data:`RUN_MEMORY_BUDGET` before
running them (:func:`too_big`), and caches a *slim* copy (weights, inputs, upstream and output
dropped): everything the page draws, about 0.75 kB per layer (40 kB at depth 50, 152 kB at
depth 200), whatever the width and batch.

The cache sizes are set for a class. Students walking the depth slider one step at a time
spread out like random walks: 60 of them starting at depth 50 cover about 22 depths in 20
seconds and about 110 in ten minutes (simulated walks, medians), and a page that has to simulate
again costs 0.1-0.2 s of CPU per move instead of a few ms. So :func:`run` keeps
:data:`RUN_ENTRIES` results and :func:`figures` :data:`FIGURE_ENTRIES` sets of four figures
(340 kB at depth 50, 590 kB at depth 200, about half of it Plotly's own copy of what the frozen
dict holds). Measured, both caches full: 113 MB if every entry is at depth 200 (the bound),
62 MB over depths 1-200; a class of 60 walking from depth 50 keeps the server at about 190 MB,
as before. Both are ``st.cache_resource``: a hit hands out the stored object (``st.cache_data``
would unpickle a copy on every hit, ~0.4 ms at depth 50), so the slim result's arrays are made
read-only, and nothing may change a cached figure.

Log axes cannot show 0 (zero init gives exact zeros) or NaN (statistics past an overflow): the
figure builders draw only the finite, positive points and :func:`not_drawn` says in words what
was left out, so no NaN or inf ever reaches a figure spec.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import threading
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from activations import ACTIVATIONS
from activations.depth import (
    INITS,
    MAX_DEPTH,
    MAX_WIDTH,
    VERDICT_RATIO,
    DepthResult,
    Verdict,
    critical_weight_std,
    mean_field,
    simulate,
    simulation_bytes,
)
from ui import memory
from ui.plotting import PALETTE, base_layout, freeze, line_width, series_style

# --- settings -----------------------------------------------------------------------------------

INIT_LABELS: dict[str, str] = {
    "zeros": "Zeros (every weight 0)",
    "small": "Small (σ = 0.01)",
    "xavier": "Xavier / Glorot normal (σ² = 1/width)",
    "he": "He / Kaiming normal (σ² = 2/width)",
    "lecun": "LeCun normal (σ² = 1/width)",
    "large": "Large (σ = 1)",
    "custom": "Custom σ_w",
}
INIT_SHORT: dict[str, str] = {
    "zeros": "zero",
    "small": "small (σ = 0.01)",
    "xavier": "Xavier",
    "he": "He",
    "lecun": "LeCun",
    "large": "large (σ = 1)",
    "custom": "custom",
}
assert set(INIT_LABELS) == set(INITS), "every init of the core needs a label"

DEPTH_RANGE = (1, MAX_DEPTH)
WIDTH_RANGE = (2, MAX_WIDTH)
# A rerun at depth 200 × width 1024 costs seconds whatever the batch (drawing the 200 weight
# matrices dominates); the batch adds little below a few hundred, so 512 is the cap. Memory
# caps it further for deep, wide networks (too_big: at 200 × 1024, a batch of up to 93).
BATCH_RANGE = (1, 512)
SEED_RANGE = (0, 9999)
WEIGHT_STD_RANGE = (0.0, 2.0)
WEIGHT_STD_STEP = 0.0001
DEFAULTS = {"depth": 50, "width": 256, "batch": 64, "seed": 0, "init": "he", "weight_std": 0.1}
MAX_COMPARE = 4
#: Above this many weights (depth × width²) a run takes seconds: the page says so.
SLOW_WEIGHTS = 30_000_000
PAIR_SEP = ":"

Params = tuple[tuple[str, float], ...]


def params_key(params: dict[str, float]) -> Params:
    """A hashable, ordered form of an activation's parameter dict (for the cache)."""
    return tuple(sorted((k, float(v)) for k, v in params.items()))


# --- cached core calls --------------------------------------------------------------------------


def _slim(result: DepthResult) -> DepthResult:
    """``result`` without its weights, inputs, upstream and output, its arrays read-only (it is
    shared by every session that asks for the same settings)."""
    empty = np.zeros((0, 0))
    slim = dataclasses.replace(result, weights=(), inputs=empty, upstream=empty, output=empty)
    for field in dataclasses.fields(slim):
        value = getattr(slim, field.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return slim


# --- memory: what one run may hold ----------------------------------------------------------------

#: The most memory one simulation may hold at its peak (``simulation_bytes``). Streamlit
#: Community Cloud gives an app as little as 690 MB, of which a class's sessions and caches take
#: about 200 MB; the largest settings, kept whole, hold 3.4 GB (200 layers × 1024 wide, batch
#: 512: the weights 1.7 GB, each layer's h and f′ as much again), and a process over its
#: allotment is killed, with every student's session in it. So the page refuses a network over
#: this, says why, and names the largest batch that fits.
RUN_MEMORY_BUDGET = 320 << 20
#: Above this many bytes of weights a run does not keep them: it draws each matrix twice (the
#: backward pass redraws it) and holds one at a time. 200 × 1024 then holds 8 MB of weights, not
#: 1.7 GB. Below it, keeping them is faster, and the page's default (26 MB) is far below.
KEPT_WEIGHTS_BYTES = 64 << 20
#: A run whose peak is above this is heavy (:func:`is_heavy`), as is a slow one.
HEAVY_BYTES = 64 << 20


def keeps_weights(depth: int, width: int) -> bool:
    """Whether :func:`run` keeps the weight matrices while it runs (:data:`KEPT_WEIGHTS_BYTES`)."""
    return 8 * depth * width * width <= KEPT_WEIGHTS_BYTES


def run_bytes(depth: int, width: int, batch: int) -> int:
    """The peak memory of :func:`run` at this shape, as the core estimates it."""
    return simulation_bytes(depth, width, batch, keep_weights=keeps_weights(depth, width))


def largest_batch(depth: int, width: int) -> int:
    """The largest batch whose run fits :data:`RUN_MEMORY_BUDGET` at this depth and width
    (at least 1 everywhere on the page's ranges: the tests check). ``run_bytes`` grows linearly
    with the batch."""
    fixed, per_example = (
        run_bytes(depth, width, 0),
        run_bytes(depth, width, 1) - run_bytes(depth, width, 0),
    )
    return max(0, min(BATCH_RANGE[1], (RUN_MEMORY_BUDGET - fixed) // per_example))


def too_big(depth: int, width: int, batch: int) -> str | None:
    """What to tell a student whose network does not fit :data:`RUN_MEMORY_BUDGET`, or None."""
    need = run_bytes(depth, width, batch)
    if need <= RUN_MEMORY_BUDGET:
        return None
    # Some batch always fits (one weight matrix and one example per layer are far below the
    # budget; the tests check every depth and width), so lowering it is always advice enough.
    return (
        f"Not simulated: {depth} layers × width {width} with a batch of {batch} would hold "
        f"about {need / 2**20:,.0f} MB while it runs, and this server allows "
        f"{RUN_MEMORY_BUDGET / 2**20:,.0f} MB per run, so that a whole class can share it. "
        f"Lower Batch (examples) to {largest_batch(depth, width)} or less, or the width or the "
        "depth. Your other settings are kept."
    )


#: At most one heavy simulation (:func:`is_heavy`) runs at a time in this server process: each
#: holds tens to hundreds of MB while it runs (up to :data:`RUN_MEMORY_BUDGET`), and a class
#: moving the sliders together must not multiply that. Light runs never wait for it. Every run,
#: light or heavy, also holds its estimated peak of the whole server's budget
#: (``ui.memory.SERVER_BUDGET``) while it runs.
HEAVY_SIMULATIONS = threading.Semaphore(1)
WAITING_MESSAGE = (
    "Another large simulation is running on this server (many layers, wide layers or a big "
    "batch); yours starts as soon as it finishes…"
)


def is_heavy(depth: int, width: int, batch: int) -> bool:
    """True when a run has more than :data:`SLOW_WEIGHTS` weights (it takes seconds) or holds
    more than :data:`HEAVY_BYTES` at its peak."""
    return depth * width * width > SLOW_WEIGHTS or run_bytes(depth, width, batch) > HEAVY_BYTES


class Abandoned(Exception):
    """Raised inside a run whose student has moved on (changed a setting, left the page)."""


class Progress:
    """How far one heavy run is, written by the thread that runs it, read by the page's thread
    (plain attributes: each write replaces one value whole). ``cancel()`` makes the run raise
    :class:`Abandoned` at its next layer, or while it waits for memory."""

    def __init__(self) -> None:
        self.done, self.total = 0, 0
        self.waiting_for: str | None = None  # what the run waits for, while it waits
        self.cancelled = False

    def step(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Abandoned
        self.waiting_for = None
        self.done, self.total = done, total

    def wait(self, what: str) -> None:
        if self.cancelled:
            raise Abandoned
        self.waiting_for = what

    def cancel(self) -> None:
        self.cancelled = True


#: The :class:`Progress` of the run this thread computes (set by :func:`run_for`'s worker).
_PROGRESS: ContextVar[Progress | None] = ContextVar("depth_progress", default=None)


def _memory_wait_text(need: int, in_use: int, total: int) -> str:
    return (
        f"Waiting for memory: simulations of other students hold {in_use / 2**20:,.0f} MB of "
        f"this server's {total / 2**20:,.0f} MB; yours needs {need / 2**20:,.0f} MB and starts "
        "as soon as it fits…"
    )


@contextlib.contextmanager
def heavy_slot(depth: int, width: int, batch: int) -> Iterator[None]:
    """Hold this run's peak of the server's memory budget, and :data:`HEAVY_SIMULATIONS` around
    a heavy run (a light run never waits for that one), then give the memory back.

    While it waits, the run's :class:`Progress` (or, without one, a spinner) says what for.
    """
    progress = _PROGRESS.get()
    need = run_bytes(depth, width, batch)

    def on_wait(in_use: int, total: int) -> None:
        if progress is not None:
            progress.wait(_memory_wait_text(need, in_use, total))

    heavy = is_heavy(depth, width, batch)
    # A light run (short, under HEAVY_BYTES) does not queue behind a heavy one waiting for room.
    with memory.SERVER_BUDGET.hold(need, on_wait=on_wait, overtake=not heavy):
        if not heavy:
            yield
            return
        if not HEAVY_SIMULATIONS.acquire(blocking=False):
            if progress is not None:
                while not HEAVY_SIMULATIONS.acquire(timeout=0.25):
                    progress.wait(WAITING_MESSAGE)
            else:
                with st.spinner(WAITING_MESSAGE):
                    HEAVY_SIMULATIONS.acquire()
        try:
            yield
        finally:
            HEAVY_SIMULATIONS.release()
            memory.give_back()  # the run's arrays are freed by now: return them to the system


#: Results :func:`run` keeps, and sets of figures :func:`figures` keeps (module docstring).
RUN_ENTRIES = 256
FIGURE_ENTRIES = 128


@st.cache_resource(
    max_entries=RUN_ENTRIES, show_spinner="Running the network forward and backward…"
)
def run(
    slug: str,
    params: Params,
    depth: int,
    width: int,
    batch: int,
    init: str,
    seed: int,
    residual: bool,
    weight_std: float | None,
) -> DepthResult:
    """``simulate(...)`` for these settings, without the weight matrices (see module docstring).

    Shared by every session: the arrays are read-only, and the result must not be changed.
    Heavy settings wait for :data:`HEAVY_SIMULATIONS` (one at a time per server); the full
    result, weights included, is dropped before the slot is released.
    """
    progress = _PROGRESS.get()
    with heavy_slot(depth, width, batch):
        return _slim(
            simulate(
                slug,
                depth,
                width,
                batch,
                init=init,
                seed=seed,
                residual=residual,
                params=dict(params),
                weight_std=weight_std if init == "custom" else None,
                keep_weights=keeps_weights(depth, width),
                progress=None if progress is None else progress.step,
            )
        )


@st.cache_data(max_entries=256, show_spinner=False)
def critical(slug: str, params: Params, width: int, depth: int) -> float | None:
    """The mean-field critical σ_w, or None when no weight scale makes the gain 1."""
    try:
        return critical_weight_std(slug, dict(params), width=width, depth=depth)
    except ValueError:
        return None


# --- labels and words ---------------------------------------------------------------------------


def pair_value(slug: str, init: str) -> str:
    return f"{slug}{PAIR_SEP}{init}"


def pair_label(slug: str, init: str) -> str:
    """The legend name of an activation × init run: ``relu·he``."""
    return f"{slug}·{init}"


def pair_options() -> list[str]:
    """Every activation × init pair the comparison offers (custom needs σ_w: left out)."""
    return [pair_value(s, i) for s in ACTIVATIONS for i in INITS if i != "custom"]


def parse_pairs(raw: str) -> list[str] | None:
    """``relu:he,tanh:xavier`` → the list of pairs; None if any is unknown or too many."""
    items = [p for p in raw.split(",") if p]
    allowed = set(pair_options())
    if len(items) > MAX_COMPARE or any(p not in allowed for p in items):
        return None
    return list(dict.fromkeys(items))


def check_pairs(raw: str) -> str | None:
    if parse_pairs(raw) is None:
        return (
            f"must be up to {MAX_COMPARE} activation{PAIR_SEP}init pairs separated by commas, "
            f"e.g. relu{PAIR_SEP}he,tanh{PAIR_SEP}xavier"
        )
    return None


def format_pair(value: str) -> str:
    slug, init = value.split(PAIR_SEP)
    return pair_label(slug, init)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def magnitude(x: float) -> str:
    """A ratio for a sentence: 0.62, 3.1, or 10⁻¹¹ once it is far from 1."""
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return "∞"
    k = round(math.log10(x))
    if abs(k) < 3:
        return f"{x:.2g}"
    return "10" + str(k).translate(_SUPERSCRIPT)


def settings_text(
    slug: str, params: dict[str, float], init: str, sigma_w: float, depth: int, width: int
) -> str:
    act = ACTIVATIONS[slug]
    p = ", ".join(f"{q.symbol}={params[q.name]:g}" for q in act.params)
    init_text = f"σ_w={sigma_w:.4g}" if init == "custom" else f"{INIT_SHORT[init]} init"
    return f"{act.label}{f' ({p})' if p else ''}, {init_text}, {depth} layers × {width} units"


def verdict_sentence(v: Verdict, depth: int) -> str:
    """The verdict in words, with the factor per layer."""
    if v.overflowed:
        return (
            f"Gradients explode: the network overflowed to inf at layer {v.overflow_layer}, "
            "so nothing past that layer is drawn (float64 tops out near 1.8 × 10³⁰⁸)."
        )
    if v.ratio == 0 and v.underflow:
        return (
            "Gradients vanish: the gradient signal ∂L/∂h shrinks past float64's smallest "
            f"numbers (about 5 × 10⁻³²⁴) and underflows to 0 at layer {v.zero_from}: in "
            "exact arithmetic it would be a tiny non-zero number, too small to store."
        )
    if v.ratio == 0:
        return (
            "Gradients vanish completely: no gradient reaches the input (∂L/∂h is exactly 0 "
            f"from layer {v.zero_from} down: nothing passes that layer)."
        )
    change = (
        f"the gradient signal ∂L/∂h reaching the input is {magnitude(v.ratio)} times its size "
        f"at layer {depth} (×{v.factor_per_layer:.3g} per layer)"
    )
    head = {
        "vanishing": "Gradients vanish",
        "exploding": "Gradients explode",
        "healthy": "Gradients survive (healthy)",
    }[v.kind]
    return f"{head}: {change}."


def is_all_zero_init(result: DepthResult) -> bool:
    return result.sigma_w == 0.0


def symmetry_sentence(result: DepthResult) -> str:
    return (
        "All zero: symmetry — every unit is identical. With every weight 0, every unit of a "
        "layer computes the same value and receives the same gradient, so training could never "
        "make them differ; below the top layer the gradient is exactly 0, which a log axis "
        "cannot show."
    )


def grad_summary(result: DepthResult, settings: str) -> str:
    g = result.grad_norms
    top, first = float(g[-1]), float(g[0])
    if result.overflowed:
        return f"{settings}: the values overflowed to inf (exploding), see the verdict."
    if top > 0 and first > 0:
        ratio = first / top
        word = "fall" if ratio < 1 else "grow"
        return (
            f"{settings}: the weight gradients ‖∂L/∂W_l‖ {word} by a factor "
            f"{magnitude(ratio)} from the top layer ({result.depth}) to the first."
        )
    return f"{settings}: the weight gradients ‖∂L/∂W_l‖ are exactly 0 at some layers (not drawn)."


#: The one definition of vanish / healthy / explode: the verdict, the quiz's marking, the
#: captions and the first chart's threshold lines all use it (activations.depth.verdict).
RULE = (
    "The verdict's rule: compare the gradient signal ∂L/∂h at the input (layer 0) with its size "
    f"at the top. Below 1/{VERDICT_RATIO:g} of it, gradients **vanish**; above "
    f"{VERDICT_RATIO:g}×, or an overflow to inf, they **explode**; in between they survive "
    "(**healthy**)."
)

#: Under the weight-gradient chart: what it shows, and why vanishing is read from the first one.
WEIGHT_VS_SIGNAL = (
    "This chart shows the weight gradients ‖∂L/∂W_l‖ the optimiser uses, not what the verdict "
    "measures. Since ∂L/∂W_l = h_{l−1}ᵀ·δz_l, they carry the forward activations as well as "
    "the gradient signal, and the two can cancel: for ReLU, scaling every weight by c scales "
    "every ‖∂L/∂W_l‖ by the same power of c, so this line has the same shape for a dead "
    "network (σ_w = 0.01) as for a healthy one (He). Read vanishing and exploding from the "
    "gradient-signal chart above."
)


def signal_ratios(result: DepthResult) -> np.ndarray:
    """std(∂L/∂h_l)/std(∂L/∂h_depth) for l = 0..depth: what the first chart draws; its value
    at layer 0 is the verdict's ratio."""
    stds = np.asarray(result.grad_stds, dtype=np.float64)
    top = stds[result.depth]
    with np.errstate(divide="ignore", invalid="ignore"):
        return stds / top if top > 0 else np.full(stds.shape, np.nan)


def predicted_signal_ratios(result: DepthResult) -> np.ndarray:
    """The mean-field prediction of :func:`signal_ratios` (the top's prediction is 1)."""
    return np.asarray(result.predicted_grad_stds, dtype=np.float64)


def signal_summary(result: DepthResult, v: Verdict, settings: str) -> str:
    """Under the gradient-signal chart: its end-to-end ratio and the verdict (the same number),
    and how far this run sits from the dashed mean-field line at the input."""
    if v.overflowed:
        return f"{settings}: the values overflowed to inf (exploding), see the verdict."
    kind = {"vanishing": "vanish", "exploding": "explode", "healthy": "survive"}[v.kind]
    if v.ratio == 0:
        text = (
            f"{settings}: the gradient signal ∂L/∂h reaches 0 at layer {v.zero_from}"
            f"{' (underflow)' if v.underflow else ''}, below the 1/{VERDICT_RATIO:g} line: "
            "gradients vanish."
        )
    else:
        text = (
            f"{settings}: the gradient signal ∂L/∂h at the input is {magnitude(v.ratio)} × "
            f"its size at layer {result.depth} (×{v.factor_per_layer:.3g} per layer), "
            f"{'between' if v.kind == 'healthy' else 'beyond'} the dotted lines at "
            f"1/{VERDICT_RATIO:g} and {VERDICT_RATIO:g}: gradients {kind}."
        )
    predicted = float(result.predicted_grad_stds[0])
    simulated = float(signal_ratios(result)[0])
    if math.isfinite(predicted) and predicted > 0 and math.isfinite(simulated) and simulated > 0:
        gap = simulated / predicted
        text += (
            f" The dashed mean-field line (exact only for infinitely wide layers) predicts "
            f"{magnitude(predicted)} at the input; this run is {magnitude(gap)}× that. At finite "
            "width the gap depends on the activation, the depth, the width and the seed."
        )
    return text


#: Which residual block the simulator runs (activations.depth's docstring), said on the page.
RESIDUAL_FORM = (
    "Residual connections: each layer is a pre-activation block, h_l = h_{l−1} + "
    "f(h_{l−1})·W_l (He et al. 2016, identity mappings), so the dashed line multiplies the "
    "gradient's mean square by 1 + χ per layer."
)


def critical_explanation(width: int, depth: int, sigma: float) -> str:
    """What the critical-init button did, and why it is not Xavier's or LeCun's 1."""
    c = sigma * sigma * width
    return (
        f"Critical init: σ_w = {sigma:.4g}, so σ_w²·width = {c:.3g} (Xavier and LeCun use 1, He "
        f"2). It makes the mean-field backward gain χ = σ_w²·width·E[f′(z)²] equal to 1 on "
        f"average over {depth} layers of width {width} for inputs N(0, 1): here E[f′(z)²] averages "
        f"{1.0 / c:.3g} (geometric mean over the layers) at the scales the layers reach. Xavier "
        "and LeCun set σ_w²·fan_in = 1 to keep the forward variance of a unit of slope 1 "
        "(tanh′(0) = 1), He doubles it for ReLU, whose E[f′²] is 1/2; when E[f′(z)²] is not "
        "1/(σ_w²·width) at the layers' actual scale, the critical value differs."
    )


def selu_lecun_gain(width: int) -> float:
    """χ per layer of SELU (its constants) with LeCun init at the fixed point q = 1."""
    return float(mean_field("selu", None, 1, width, math.sqrt(1.0 / width)).gain[0])


@st.cache_data(max_entries=64, show_spinner=False)
def selu_note(width: int, depth: int) -> str:
    """Why SELU with LeCun init does not keep the gradient's size: self-normalising is about
    the forward statistics."""
    chi = selu_lecun_gain(width)
    mf = mean_field("selu", None, depth, width, math.sqrt(1.0 / width))
    return (
        "SELU with LeCun init self-normalises the forward pass: the activations keep mean 0 and "
        "variance 1 from layer to layer. That is about the forward statistics, not the "
        f"gradient: its backward gain is χ = E[selu′(z)²] = {chi:.4g} per layer, not 1, so in "
        f"mean field the gradient signal grows ×{float(mf.grad_stds[0]):.3g} over {depth} "
        "layers."
    )


def std_summary(result: DepthResult, settings: str) -> str:
    s = result.activation_stds
    if result.overflow_layer is not None:
        return f"{settings}: the activations overflow to inf at layer {result.overflow_layer}."
    last = float(s[-1])
    return (
        f"{settings}: the activation standard deviation goes from {s[0]:.3g} at the input "
        f"to {last:.3g} at layer {result.depth}."
    )


# --- figures ------------------------------------------------------------------------------------


def drawable(layers: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (layer, value) points a log axis can show: finite and > 0."""
    values = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(values) & (values > 0)
    return np.asarray(layers)[ok], values[ok]


def not_drawn(values: np.ndarray) -> str | None:
    """What a log chart of ``values`` leaves out, in words (None when everything is drawn)."""
    values = np.asarray(values, dtype=np.float64)
    zeros = int(np.sum(values == 0))
    bad = int(np.sum(~np.isfinite(values)))
    parts = []
    if zeros:
        parts.append(f"{zeros} layer{'s' if zeros > 1 else ''} exactly 0")
    if bad:
        parts.append(f"{bad} layer{'s' if bad > 1 else ''} past the overflow")
    return "Not drawn on the log axis: " + ", ".join(parts) + "." if parts else None


def not_drawn_notes(runs: Sequence[Run], field: str) -> list[str]:
    """:func:`not_drawn` of each run's ``field`` (``"grad_norms"``, ``"activation_stds"``), as
    ``"name: Not drawn…"`` lines; none when every point is drawn."""
    notes = []
    for name, result in runs:
        missing = not_drawn(getattr(result, field))
        if missing:
            notes.append(f"{name}: {missing}")
    return notes


def paragraphs(*parts: str) -> str:
    """Markdown paragraphs: several texts under one chart in one caption (one element)."""
    return "\n\n".join(parts)


Run = tuple[str, DepthResult]  # (legend name, result)
MARKERS = ("circle", "square", "diamond", "triangle-up", "x")


def _curves(
    runs: Sequence[Run],
    *,
    layers_of,
    simulated,
    predicted,
    present: bool,
) -> go.Figure:
    fig = go.Figure()
    width = line_width(present)
    for i, (name, result) in enumerate(runs):
        style = series_style(i) if len(runs) > 1 else {"color": PALETTE[0], "dash": "solid"}
        layers = layers_of(result)
        x, y = drawable(layers, simulated(result))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                name=name,
                mode="lines+markers",
                line={"color": style["color"], "width": width},
                # One marker shape per run: the runs stay apart without colour.
                marker={
                    "symbol": MARKERS[i % len(MARKERS)],
                    "size": 10 if present else 7,
                    "maxdisplayed": 15,
                },
            )
        )
        px, py = drawable(layers, predicted(result))
        fig.add_trace(
            go.Scatter(
                x=px,
                y=py,
                name=f"{name} mean field",
                mode="lines",
                line={"color": style["color"], "width": width * 0.8, "dash": "dash"},
            )
        )
    fig.update_yaxes(type="log", exponentformat="power")
    if not any(len(t.x) for t in fig.data):
        fig.add_annotation(
            text="nothing a log axis can show: every value is 0 or past an overflow",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
        )
    return fig


def _legend_below(fig: go.Figure, present: bool) -> go.Figure:
    """Legend under the plot: a two-line title and several runs would overlap it above."""
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        margin={"b": 10},
        height=(620 if present else 520),
    )
    return fig


def grad_norm_figure(runs: Sequence[Run], *, title: str, present: bool = False) -> go.Figure:
    """‖∂L/∂W_l‖_F per layer on a log axis, with the mean-field prediction dashed."""
    fig = _curves(
        runs,
        layers_of=lambda r: np.arange(1, r.depth + 1),
        simulated=lambda r: r.grad_norms,
        predicted=lambda r: r.predicted_grad_norms,
        present=present,
    )
    base_layout(
        fig,
        title=title,
        x_title="layer l (1 = next to the input)",
        y_title="‖∂L/∂W_l‖ (log)",
        present=present,
    )
    return _legend_below(fig, present)


def signal_figure(runs: Sequence[Run], *, title: str, present: bool = False) -> go.Figure:
    """std(∂L/∂h_l) relative to the top layer's, per layer (0 = input) on a log axis, the
    mean-field prediction dashed, and the verdict's two thresholds dotted (:data:`RULE`)."""
    fig = _curves(
        runs,
        layers_of=lambda r: np.arange(0, r.depth + 1),
        simulated=signal_ratios,
        predicted=predicted_signal_ratios,
        present=present,
    )
    depth = max(r.depth for _, r in runs)
    for y, name in (
        (VERDICT_RATIO, f"explode above ×{VERDICT_RATIO:g}"),
        (1.0 / VERDICT_RATIO, f"vanish below ×1/{VERDICT_RATIO:g}"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[0, depth],
                y=[y, y],
                name=name,
                mode="lines",
                line={"color": "#888888", "width": line_width(present) * 0.6, "dash": "dot"},
                hoverinfo="name",
            )
        )
    base_layout(
        fig,
        title=title,
        x_title="layer l (0 = input)",
        y_title=f"std ∂L/∂h_l ÷ std ∂L/∂h_{depth} (log)",
        present=present,
    )
    return _legend_below(fig, present)


def std_figure(runs: Sequence[Run], *, title: str, present: bool = False) -> go.Figure:
    """Standard deviation of the activations h_l per layer (0 = input) on a log axis."""
    fig = _curves(
        runs,
        layers_of=lambda r: np.arange(0, r.depth + 1),
        simulated=lambda r: r.activation_stds,
        predicted=lambda r: r.predicted_activation_stds,
        present=present,
    )
    base_layout(
        fig,
        title=title,
        x_title="layer l (0 = input)",
        y_title="std of h_l (log)",
        present=present,
    )
    return _legend_below(fig, present)


def _fractions(hist: np.ndarray) -> np.ndarray:
    totals = hist.sum(axis=1, keepdims=True)
    return np.divide(hist, totals, out=np.zeros(hist.shape), where=totals > 0)


def spike_bins(edges: np.ndarray) -> np.ndarray:
    """The bins that can hold a spike: the one containing exactly 0 (ReLU's dead units, zero
    init, a collapsed signal) and the two end bins (they hold everything beyond the edges)."""
    nbins = len(edges) - 1
    zero = int(np.clip(np.searchsorted(edges, 0.0, side="right") - 1, 0, nbins - 1))
    return np.unique([0, zero, nbins - 1])


def colour_max(shares: np.ndarray, edges: np.ndarray) -> float:
    """The share at the top of a heatmap's colour scale: the largest share outside
    :func:`spike_bins`.

    A spike (half of a ReLU layer is exactly 0) would otherwise take the whole scale and leave
    the rest of the distribution dark; it saturates instead (the hover shows its exact share).
    When every entry sits in the spike bins, the largest share (so nothing saturates).
    """
    shares = np.asarray(shares, dtype=np.float64)
    top = float(np.delete(shares, spike_bins(edges), axis=1).max(initial=0.0))
    if top <= 0:
        top = float(shares.max(initial=0.0))
    return top if top > 0 else 1.0


def histogram_figure(
    result: DepthResult, which: str, *, title: str, present: bool = False
) -> go.Figure:
    """The per-layer distribution of h_l (``which="activations"``) or ∂L/∂h_l
    (``"gradients"``): a layer × value-bin heatmap of the share of entries per bin, coloured up
    to :func:`colour_max`."""
    name, hist = {
        "activations": ("activation histogram", result.act_hist),
        "gradients": ("gradient histogram", result.grad_hist),
    }[which]
    edges = result.hist_edges
    centres = 0.5 * (edges[:-1] + edges[1:])
    shares = _fractions(hist)
    zmax = colour_max(shares, edges)
    fig = go.Figure(
        go.Heatmap(
            x=centres,
            y=np.arange(result.depth + 1),
            # float32 on the wire: Plotly sends arrays as binary, so this halves the two
            # heatmaps' share of what a move sends (22 of 72 kB), and a colour or a 3-digit
            # hover cannot show the difference (relative 6e-8; exact for the default batch ×
            # width, a power of 2).
            z=shares.astype(np.float32),
            name=name,
            colorscale="Viridis",
            zmin=0.0,
            zmax=zmax,
            colorbar={
                "title": {"text": f"share<br>(top colour:<br>≥ {zmax:.2g})", "side": "top"},
                "thickness": 14,
            },
            hovertemplate="value %{x:.2f}<br>layer %{y}<br>share %{z:.3f}<extra></extra>",
        )
    )
    symbol = "h_l" if which == "activations" else "∂L/∂h_l"
    base_layout(
        fig,
        title=title,
        x_title=f"value of {symbol} (end bins: all beyond ±{edges[-1]:g})",
        y_title="layer l (0 = input)",
        present=present,
    )
    fig.update_layout(hovermode="closest")
    return fig


def histogram_caption(result: DepthResult) -> str:
    """How the heatmaps' colours are scaled, with this run's numbers."""
    edges = result.hist_edges
    tops = [colour_max(_fractions(h), edges) for h in (result.act_hist, result.grad_hist)]
    return (
        "Colour = the share of a layer's entries in each value bin. The brightest colour is the "
        "largest share outside the bin at 0 and the two end bins "
        f"({tops[0]:.2g} for the activations, {tops[1]:.2g} for the gradients), so a spike "
        "there (ReLU's exact zeros, a signal collapsing onto 0, values beyond the edges) "
        "saturates instead of taking the whole scale; hover for the exact share."
    )


#: What fixes a run: the arguments of :func:`run`, in its order.
RunArgs = tuple[str, Params, int, int, int, str, int, bool, float | None]


#: A run that has not finished after this long shows a progress bar.
PROGRESS_AFTER_S = 0.3


def run_for(args: RunArgs) -> DepthResult:
    """:func:`run` for these arguments, passed by keyword: for each positional argument
    Streamlit's cache looks up its name with ``inspect.signature``, ~16 µs apiece on every call
    (0.14 ms a move for nine).

    A heavy run (:func:`is_heavy`: seconds, or hundreds of MB) runs on a helper thread while the
    page shows its progress, layer by layer, or what it waits for. The student can move on
    meanwhile: a changed setting, another page or a closed tab stops this script run at its next
    progress update, and the run is abandoned (:class:`Abandoned`), its memory given back.
    """
    slug, params, depth, width, batch, init, seed, residual, weight_std = args
    kwargs = {
        "slug": slug,
        "params": params,
        "depth": depth,
        "width": width,
        "batch": batch,
        "init": init,
        "seed": seed,
        "residual": residual,
        "weight_std": weight_std,
    }
    if not is_heavy(depth, width, batch):
        return run(**kwargs)
    return _run_with_progress(kwargs, f"{pair_label(slug, init)}: {depth} layers × {width} units")


def _step_text(progress: Progress) -> str:
    depth, done = progress.total // 2, progress.done
    if not depth:
        return "starting…"
    where = (
        f"forward pass, layer {done} of {depth}"
        if done <= depth
        else f"backward pass, layer {2 * depth - done + 1} (from {depth} down to 1)"
    )
    return f"{where}. You can change any setting or open another page meanwhile."


def _run_with_progress(kwargs: dict[str, object], what: str) -> DepthResult:
    progress = Progress()
    outcome: dict[str, object] = {}

    def work() -> None:
        _PROGRESS.set(progress)  # this thread's own context
        try:
            outcome["result"] = run(**kwargs)
        except BaseException as exc:  # handed to the page's thread, which re-raises it
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="depth-run", daemon=True)
    worker.start()
    bar = None
    try:
        worker.join(PROGRESS_AFTER_S)
        while worker.is_alive():
            # Each update is a message to the browser: Streamlit stops this script run here
            # when the student has changed something since (the finally below then cancels).
            text = progress.waiting_for or f"Simulating {what}: {_step_text(progress)}"
            fraction = progress.done / progress.total if progress.total else 0.0
            if bar is None:
                bar = st.progress(fraction, text=text)
            else:
                bar.progress(fraction, text=text)
            worker.join(0.5)
    finally:
        if worker.is_alive():
            progress.cancel()  # the student moved on: the run stops at its next layer
        if bar is not None:
            bar.empty()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


class Figures(NamedTuple):
    """What :func:`figures` builds once per setting."""

    signal: go.Figure
    grad_norm: go.Figure
    spread: go.Figure
    act_hist: go.Figure
    grad_hist: go.Figure


@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def figures(
    key: tuple[tuple[str, RunArgs], ...],
    _runs: Sequence[Run],
    run_settings: str,
    present: bool,
) -> Figures:
    """The page's five figures (the gradient signal, the weight-gradient norm, the activation
    spread, the activations' and the gradients' distributions) for these runs.

    ``key`` names every run and its :func:`run` arguments, which fix ``_runs`` (the results,
    not hashed). Building the figures costs several times what drawing them does (Plotly
    validates every property, ~5–10 ms a figure), so they are built once per
    setting and shared: ``st.cache_resource`` hands out the same objects, which callers must
    not modify (``st.plotly_chart`` only reads them).
    """
    assert [name for name, _ in key] == [name for name, _ in _runs], "key and runs disagree"
    built = (
        signal_figure(
            _runs,
            title=f"Gradient signal ∂L/∂h_l per layer, relative to the top<br><sup>"
            f"{run_settings}</sup>",
            present=present,
        ),
        grad_norm_figure(
            _runs,
            title=f"Weight-gradient norm per layer<br><sup>{run_settings}</sup>",
            present=present,
        ),
        std_figure(
            _runs,
            title=f"Activation spread per layer<br><sup>{run_settings}</sup>",
            present=present,
        ),
        histogram_figure(
            _runs[0][1],
            "activations",
            title=f"Activations h_l per layer<br><sup>{run_settings}</sup>",
            present=present,
        ),
        histogram_figure(
            _runs[0][1],
            "gradients",
            title=f"Gradients ∂L/∂h_l per layer<br><sup>{run_settings}</sup>",
            present=present,
        ),
    )
    return Figures(*(freeze(fig) for fig in built))


@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def cached_histogram_caption(key: RunArgs, _result: DepthResult) -> str:
    """:func:`histogram_caption` of the run whose :func:`run` arguments are ``key``
    (``_result``, not hashed), worked out once per setting like the figures."""
    return histogram_caption(_result)


# --- export -------------------------------------------------------------------------------------


def csv_columns(result: DepthResult) -> dict[str, np.ndarray]:
    """The per-layer statistics for layers 1..depth (NaN past an overflow)."""
    return {
        "layer": np.arange(1, result.depth + 1),
        "activation_std": result.activation_stds[1:],
        "grad_norm": result.grad_norms,
        "grad_std": result.grad_stds[1:],
        "predicted_activation_std": result.predicted_activation_stds[1:],
        "predicted_grad_norm": result.predicted_grad_norms,
        "predicted_gain": result.predicted_gain,
    }


# --- predict, then reveal -----------------------------------------------------------------------

QUIZ_ANSWERS: dict[str, str] = {
    "vanishing": "Vanish",
    "exploding": "Explode",
    "healthy": "Survive",
}
QUIZ_ACTIVATIONS = ("sigmoid", "tanh", "relu", "selu", "gelu", "softsign")
QUIZ_INITS = ("small", "xavier", "he", "lecun", "large")
QUIZ_DEPTHS = (10, 20, 30, 50)


@dataclasses.dataclass(frozen=True)
class QuizQuestion:
    slug: str
    init: str
    depth: int
    width: int = 128
    batch: int = 32


def quiz_question(seed: int) -> QuizQuestion:
    """The question drawn from ``seed`` (the same seed, the same question)."""
    rng = np.random.default_rng(seed)
    return QuizQuestion(
        slug=str(rng.choice(QUIZ_ACTIVATIONS)),
        init=str(rng.choice(QUIZ_INITS)),
        depth=int(rng.choice(QUIZ_DEPTHS)),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def quiz_figure(seed: int, present: bool, _result: DepthResult, settings: str) -> go.Figure:
    """The revealed answer's chart for the question :func:`quiz_question` draws from ``seed``
    (which fixes ``_result`` and ``settings``): built once, frozen and shared, since a class
    answers the same question at once."""
    q = quiz_question(seed)
    fig = signal_figure(
        [(pair_label(q.slug, q.init), _result)],
        title=f"Quiz: gradient signal ∂L/∂h_l, relative to the top<br><sup>{settings}</sup>",
        present=present,
    )
    return freeze(fig)


def quiz_explanation(result: DepthResult, v: Verdict) -> str:
    """Why: the answer's measured factor per layer (the verdict's, from the run the chart
    shows), then the mean-field prediction for infinitely wide layers, labelled as such."""
    if v.overflowed:
        measured = "This run overflowed to inf: the gradients explode."
    elif v.ratio == 0:
        measured = "In this run the gradient signal reached 0 before the input: it vanishes."
    else:
        measured = (
            f"In this run the gradient signal changed by ×{v.factor_per_layer:.3g} per layer, "
            f"{magnitude(v.ratio)} end to end: by the rule (vanish below 1/{VERDICT_RATIO:g}, "
            f"explode above {VERDICT_RATIO:g}) that counts as {v.kind}."
        )
    gain = np.asarray(result.predicted_gain, dtype=np.float64)
    gain = gain[np.isfinite(gain) & (gain > 0)]
    if gain.size == 0:
        return measured + " The mean-field gain is 0 or beyond float64's range here."
    mean_gain = float(np.exp(np.mean(np.log(gain))))
    predicted = float(result.predicted_grad_stds[0])
    return (
        f"{measured} Mean field (infinitely wide layers): σ_w²·width·E[f′(z)²] ≈ "
        f"{mean_gain:.3g} per layer (1 is critical), a change of about "
        f"×{np.sqrt(mean_gain):.3g} per layer, {magnitude(predicted)} end to end; at width "
        f"{result.width} a run can differ from that."
    )
