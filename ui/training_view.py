"""The training page's view: settings, cached training runs, figures, and the words around them.

The core (``activations.training``) trains a small MLP on a 2-D toy dataset and returns a frozen
:class:`~activations.training.TrainingRun`. This module is everything between it and the page:

* **Settings.** The ranges the page's widgets (and links) accept, the log-scale learning-rate
  grid, the comparison list ("race") and its URL check, the lessons (presets whose claims the
  tests check against the computed runs), the quiz.
* **Caching.** :func:`run` trains once per setting for the whole server (``st.cache_resource``:
  60 students opening the same lesson link cost one training, since Streamlit's cache computes a
  key once while the other callers wait for it) and keeps a *slim* copy: the minibatch indices
  (steps × batch integers, 1.3 MB at 5,000 steps of 32) are dropped; the weights stay (the
  symmetry check reads them). An entry is mostly its 41 decision surfaces (41 × 40 × 40 × 2
  float64): 1.09 MB at the page's defaults, 1.55 MB at 8 × 64 wide. The training itself runs
  in a worker process (:mod:`ui.workers`), so that a class's trainings use every core.
  :func:`figures` builds the page's figures once per setting and freezes them
  (:func:`ui.plotting.freeze`).
* **The scrubber.** The decision surface at every snapshot travels once, as Plotly frames; the
  slider and the Play and Pause buttons swap them in the browser (no server round trip per
  frame; :data:`SCRUBBER_JS` says why Pause needs a few lines of script). Each
  surface is a small indexed PNG (one pixel per grid point, its value the whole percent: a
  colour scale cannot show finer steps, ~1 kB at 40 × 40) in a layout image, so a frame swaps
  images without redrawing the figure.

Log axes cannot show 0 (a dead layer's gradient norm, the update ratio before the first step)
or NaN: only the finite positive points are drawn, and the text summaries say what was left out.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import math
import struct
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from activations import ACTIVATIONS
from activations import training as core
from ui import state, workers
from ui.plotting import (
    DASHES,
    PALETTE,
    base_layout,
    base_layout_spec,
    line_width,
    merged,
    spec_figure,
    typed,
)

# --- settings -----------------------------------------------------------------------------------

DATASETS: dict[str, str] = {
    "circle": "Circle (a disc inside a ring)",
    "xor": "XOR (four quadrants)",
    "gaussian": "Two Gaussian blobs",
    "spiral": "Spiral (two arms)",
    "moons": "Two moons",
}
INITS: dict[str, str] = {
    "zeros": "Zeros (every weight 0)",
    "small": "Small (σ = 0.01)",
    "xavier": "Xavier / Glorot normal (σ² = 2/(fan_in + fan_out))",
    "he": "He / Kaiming normal (σ² = 2/fan_in)",
    "lecun": "LeCun normal (σ² = 1/fan_in)",
    "large": "Large (σ = 1)",
}
OPTIMIZERS: dict[str, str] = {
    "sgd": "SGD",
    "momentum": "SGD with momentum 0.9",
    "adam": "Adam (β₁ 0.9, β₂ 0.999)",
}
assert list(DATASETS) == list(core.DATASETS), "a label for every dataset of the core"
assert tuple(INITS) == core.TRAIN_INITS, "a label for every initialisation of the core"
assert list(OPTIMIZERS) == list(core.OPTIMIZERS), "a label for every optimizer of the core"

N_POINTS = 400  # make_dataset's default: 320 to train on, 80 to test
TRAIN_ROWS = int(0.8 * N_POINTS)
NOISE_RANGE, NOISE_STEP = (0.0, 0.5), 0.05
LAYERS_RANGE = core.LAYERS_RANGE
WIDTH_RANGE = core.WIDTH_RANGE
BATCH_RANGE = (1, TRAIN_ROWS)  # the whole training set: full batch
STEPS_RANGE, STEPS_STEP = (10, core.STEPS_MAX), 10
L2_RANGE, L2_STEP = (0.0, 0.1), 0.0001
SEED_RANGE = (0, 9999)
MAX_COMPARE = 3
#: Snapshots per run: the scrubber's frames (steps 0..steps, evenly spaced).
SNAPSHOTS = 41
DEFAULTS: dict[str, object] = {
    "dataset": "circle",
    "noise": 0.1,
    "layers": 2,
    "width": 8,
    "init": "he",
    "optimizer": "sgd",
    "lr": 0.1,
    "batch": 32,
    "steps": 1000,
    "l2": 0.0,
    "seed": 0,
}

#: The learning rates the slider offers: 1, 2, 3, 5 × 10^k from 1e-4 to 10 (log scale).
LEARNING_RATES: tuple[float, ...] = (
    *(round(m * 10.0**k, 6) for k in range(-4, 1) for m in (1.0, 2.0, 3.0, 5.0)),
    10.0,
)
LR_LOW, LR_HIGH = LEARNING_RATES[0], LEARNING_RATES[-1]


def format_lr(lr: float) -> str:
    """A learning rate as shown and as written in the URL: ``0.0001``, ``0.3``, ``10``."""
    return f"{lr:g}"


def nearest_lr(lr: float) -> float:
    """The grid value closest to ``lr`` on the log scale (``lr`` > 0)."""
    logs = np.log(np.asarray(LEARNING_RATES))
    return LEARNING_RATES[int(np.argmin(np.abs(logs - math.log(lr))))]


def lr_check(raw: str) -> str | None:
    """URL check for ``lr``: a number from 0.0001 to 10 (snapped to the slider's grid)."""
    accepted = f"must be a number from {format_lr(LR_LOW)} to {format_lr(LR_HIGH)}"
    if state.number_in(LR_LOW, LR_HIGH)(raw) is not None:
        return accepted
    return None if math.isfinite(float(raw)) else accepted


def lr_slider(*, key: str = "lr", hidden: bool = False) -> float:
    """The learning rate on a log scale: a select_slider over :data:`LEARNING_RATES`.

    The URL holds the rate itself (``?lr=0.3``); a valid value between two steps is snapped to
    the nearest one, with a note.
    """
    default = float(DEFAULTS["lr"])
    initial = default
    raw = st.query_params.get(key)
    if raw is not None and lr_check(raw) is None:
        initial = nearest_lr(float(raw))
        if not math.isclose(initial, float(raw), rel_tol=1e-9):
            st.caption(
                f"lr={state.shown(raw)} is between the slider's steps; "
                f"using the nearest step, {format_lr(initial)}."
            )
    if hidden:
        return initial
    state.seed_widget(key, initial)
    value = st.select_slider(
        "Learning rate (log scale)",
        options=LEARNING_RATES,
        format_func=format_lr,
        key=key,
        help="How far each step moves the weights along the negative gradient. Too small: "
        "nothing happens in the steps given; too large: the loss jumps about or diverges, and "
        "ReLU units can die.",
    )
    state.sync_url(key, format_lr(value), format_lr(default))
    return float(value)


def parse_compare(raw: str) -> list[str] | None:
    """``tanh,leaky_relu`` → the slugs; None if any is unknown or there are too many."""
    items = [s for s in raw.split(",") if s]
    if len(items) > MAX_COMPARE or any(s not in ACTIVATIONS for s in items):
        return None
    return list(dict.fromkeys(items))


def check_compare(raw: str) -> str | None:
    if parse_compare(raw) is None:
        return (
            f"must be up to {MAX_COMPARE} activation names separated by commas, "
            "e.g. tanh,leaky_relu"
        )
    return None


Params = tuple[tuple[str, float], ...]


def params_key(params: Mapping[str, float]) -> Params:
    """A hashable, ordered form of an activation's parameter dict (for the cache)."""
    return tuple(sorted((k, float(v)) for k, v in params.items()))


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that fixes one training run except the activation (the race shares it)."""

    dataset: str
    noise: float
    layers: int
    width: int
    init: str
    optimizer: str
    lr: float
    batch: int
    steps: int
    l2: float
    seed: int

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)

    @property
    def hidden(self) -> tuple[int, ...]:
        return (self.width,) * self.layers

    def text(self) -> str:
        """The settings in one line (chart titles, so an exported PNG says what it shows)."""
        return (
            f"{self.dataset} (noise {self.noise:g}), {self.layers}×{self.width} hidden, "
            f"{self.init} init, {self.optimizer}, lr {format_lr(self.lr)}, batch {self.batch}, "
            f"{self.steps} steps" + (f", L2 {self.l2:g}" if self.l2 else "") + f", seed {self.seed}"
        )


# --- size limit ---------------------------------------------------------------------------------


def too_big(s: Settings, slugs: Sequence[str]) -> str | None:
    """What to tell a student whose run is refused by the core's size rule (each raced
    activation's run is checked at its own cost), or None when every run fits."""
    for slug in slugs:
        refused = core.check_training_size(
            s.hidden, s.steps, s.batch, n=N_POINTS, classes=2, snapshots=SNAPSHOTS, activation=slug
        )
        if refused is not None:
            return refused
    return None


# --- cached core calls --------------------------------------------------------------------------

#: Runs :func:`run` keeps (slim: 1.1-1.6 MB each, see the module docstring), and figure sets
#: :func:`figures` keeps. Both full, the caches hold roughly 200 MB (docs/PERFORMANCE.md,
#: "Training lab page": a server with 60 students training measured 343-409 MB).
RUN_ENTRIES = 128
FIGURE_ENTRIES = 64


@st.cache_resource(max_entries=16, show_spinner=False)
def dataset(name: str, noise: float, seed: int) -> core.Dataset:
    """``make_dataset(name, n=400, noise, seed)``, shared by every session."""
    return core.make_dataset(name, n=N_POINTS, noise=noise, seed=seed)


def _slim(result: core.TrainingRun) -> core.TrainingRun:
    """``result`` without its minibatch indices, its arrays read-only (shared by sessions)."""
    slim = dataclasses.replace(result, batch_indices=np.zeros((0, 0), dtype=np.int64))
    for field in dataclasses.fields(slim):
        value = getattr(slim, field.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return slim


@st.cache_resource(max_entries=RUN_ENTRIES, show_spinner="Training the network…")
def run(slug: str, params: Params, settings: Settings) -> core.TrainingRun:
    """``train(...)`` for these settings, slimmed (module docstring); shared by every session,
    computed once however many sessions ask for it at the same time."""
    s = settings
    work = core.training_cost(
        s.hidden, s.steps, s.batch, n=N_POINTS, classes=2, snapshots=SNAPSHOTS, activation=slug
    ).work
    return _slim(
        workers.call(  # in a worker process: the class's trainings use every core (ui.workers)
            core.train,
            slug,
            dataset(s.dataset, s.noise, s.seed),
            hidden=s.hidden,
            init=s.init,
            optimizer=s.optimizer,
            lr=s.lr,
            batch=s.batch,
            steps=s.steps,
            l2=s.l2,
            seed=s.seed,
            params=dict(params),
            snapshots=SNAPSHOTS,
            work=work,
        )
    )


def train_all(
    entries: Sequence[tuple[str, Params]], settings: Settings
) -> list[tuple[str, core.TrainingRun]]:
    """:func:`run` for every raced activation, with a progress bar while it trains (a cached
    run returns at once, so a class opening the same link sees no bar after the first)."""
    bar = None
    out = []
    for i, (slug, params) in enumerate(entries):
        if bar is None and len(entries) > 1:
            bar = st.progress(0.0, text=f"Training {ACTIVATIONS[slug].label}…")
        elif bar is not None:
            bar.progress(i / len(entries), text=f"Training {ACTIVATIONS[slug].label}…")
        out.append((slug, run(slug=slug, params=params, settings=settings)))
    if bar is not None:
        bar.empty()
    return out


# --- words ----------------------------------------------------------------------------------------

Run = tuple[str, core.TrainingRun]  # (activation slug, run)


def label(slug: str) -> str:
    return ACTIVATIONS[slug].label


def params_text(slug: str, params: Mapping[str, float]) -> str:
    act = ACTIVATIONS[slug]
    p = ", ".join(f"{q.symbol}={params[q.name]:g}" for q in act.params)
    return f"{act.label} ({p})" if p else act.label


def trained_steps(result: core.TrainingRun) -> int:
    """How many steps the curves cover: all of them, or up to the divergence."""
    finite = np.flatnonzero(np.isfinite(np.asarray(result.loss_test, dtype=np.float64)))
    return int(finite[-1]) if finite.size else 0


def best_test(result: core.TrainingRun) -> tuple[float, int] | None:
    """(lowest test loss, the step it was reached) over the finite part, or None."""
    loss = np.asarray(result.loss_test, dtype=np.float64)
    ok = np.isfinite(loss)
    if not ok.any():
        return None
    i = int(np.argmin(np.where(ok, loss, np.inf)))
    return float(loss[i]), i


def first_step_below(result: core.TrainingRun, loss: float) -> int | None:
    """The first step whose test loss is at most ``loss``, or None."""
    hits = np.flatnonzero(np.asarray(result.loss_test, dtype=np.float64) <= loss)
    return int(hits[0]) if hits.size else None


def winner(runs: Sequence[Run]) -> str | None:
    """The slug whose run reached the lowest test loss (None if none has a finite loss)."""
    scored = [(b[0], slug) for slug, r in runs if (b := best_test(r)) is not None]
    return min(scored)[1] if scored else None


def dead_units(result: core.TrainingRun, width: int) -> list[tuple[int, int, int]]:
    """(layer, dead units at the last snapshot, the first snapshot step with that many) for each
    hidden layer with dead units at the end (the last snapshot before a divergence, if any)."""
    share = np.asarray(result.dead_fraction, dtype=np.float64)
    measured = np.isfinite(share).all(axis=1)
    if not measured.any():
        return []
    dead = np.rint(share[measured] * width).astype(int)
    steps = np.asarray(result.snapshot_steps)[measured]
    out = []
    for layer in range(dead.shape[1]):
        final = int(dead[-1, layer])
        if final > 0:
            first = int(steps[np.flatnonzero(dead[:, layer] >= final)[0]])
            out.append((layer + 1, final, first))
    return out


def diverged_sentence(slug: str, result: core.TrainingRun, lr: float) -> str | None:
    if result.diverged_at is None:
        return None
    return (
        f"{label(slug)} diverged at step {result.diverged_at}: the loss became infinite or "
        f"not a number, so training stopped there. With learning rate {format_lr(lr)} each "
        "update overshoots the minimum by more than it gains, the weights grow without bound "
        "and the logits overflow. Lower the learning rate (or the initial weight scale)."
    )


def verdict_lines(runs: Sequence[Run], settings: Settings) -> list[str]:
    """The verdict in words, every number computed from the runs: who reached the lowest test
    loss and when, the others' best, dead units (how many, which layer, by which step),
    divergence, and layers whose units never became different (zero init)."""
    lines = []
    best = winner(runs)
    if best is not None:
        loss, step = best_test(dict(runs)[best])
        acc = float(np.asarray(dict(runs)[best].acc_test)[step])
        # A race has a winner; a single run only has its own best point.
        head = (
            f"Lowest test loss: **{label(best)}**, "
            if len(runs) > 1
            else f"**{label(best)}** reached its lowest test loss, "
        )
        line = (
            f"{head}{loss:.3g} at step {step} of {settings.steps} (test accuracy {acc:.0%} there)."
        )
        others = [
            f"{label(slug)} {b[0]:.3g} (step {b[1]})"
            for slug, r in runs
            if slug != best and (b := best_test(r)) is not None
        ]
        if others:
            line += " The others' lowest: " + ", ".join(others) + "."
        lines.append(line)
    alive = []
    for slug, r in runs:
        died = dead_units(r, settings.width)
        if died:
            parts = [
                f"{n} of {settings.width} units of layer {layer} by step {first}"
                for layer, n, first in died
            ]
            lines.append(
                f"{label(slug)}: dead units (f′ = 0 on every training input): "
                + "; ".join(parts)
                + "."
            )
        else:
            alive.append(label(slug))
    if alive:
        lines.append("No unit died: " + ", ".join(alive) + ".")
    for slug, r in runs:
        div = diverged_sentence(slug, r, settings.lr)
        if div:
            lines.append(div)
        sym = symmetric_layers(r)
        if sym:
            layers = ", ".join(str(i) for i in sym)
            lines.append(
                f"{label(slug)}: every unit of layer{'s' if len(sym) > 1 else ''} {layers} "
                "has the same weights after training: zero init never breaks the symmetry, so "
                "the layer acts like a single unit."
            )
    return lines


def short_label(slug: str) -> str:
    """The catalogue label without its parenthesis: "Tanh", "GELU" (small multiples' titles)."""
    return label(slug).split(" (")[0]


def symmetric_layers(result: core.TrainingRun) -> list[int]:
    """The hidden layers (1-based) of more than one unit whose units all ended with the same
    incoming weights and bias (relative tolerance 1e-9): the symmetry zero init never breaks."""
    out = []
    for i, (w, b) in enumerate(result.final_weights[:-1]):
        w = np.asarray(w, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if w.shape[1] < 2 or not (np.isfinite(w).all() and np.isfinite(b).all()):
            continue
        cols = np.vstack([w, b[None, :]])
        scale = max(float(np.abs(cols).max()), 1e-300)
        if float(np.abs(cols - cols[:, :1]).max()) <= 1e-9 * scale:
            out.append(i + 1)
    return out


def paragraphs(*parts: str) -> str:
    """Markdown paragraphs: several texts under one chart in one caption (one element)."""
    return "\n\n".join(parts)


def loss_summary(runs: Sequence[Run], settings: Settings) -> str:
    parts = []
    for slug, r in runs:
        n = trained_steps(r)
        lt, le = np.asarray(r.loss_train), np.asarray(r.loss_test)
        at = np.asarray(r.acc_test)
        parts.append(
            f"{label(slug)}: train loss {lt[0]:.3g} → {lt[n]:.3g}, test loss {le[0]:.3g} → "
            f"{le[n]:.3g}, test accuracy {at[0]:.0%} → {at[n]:.0%} after {n} steps"
        )
    return f"{settings.text()}. " + "; ".join(parts) + "."


def surface_summary(runs: Sequence[Run], settings: Settings) -> str:
    parts = []
    for slug, r in runs:
        n = trained_steps(r)
        acc = float(np.asarray(r.acc_test)[n])
        parts.append(f"{label(slug)} classifies {acc:.0%} of the test points correctly at step {n}")
    return (
        f"Decision surface on {settings.dataset}: the colour is the network's probability of "
        "class 1 at each point of the plane, the dots are the data (filled: training, open: "
        "test). " + "; ".join(parts) + ". The slider under the chart moves through the "
        f"{SNAPSHOTS} snapshots in your browser; Play runs on from the snapshot "
        "shown (from step 0 when the last one is shown) and Pause stops on it."
    )


#: The per-layer fields drawn on a log axis (which cannot show 0).
LOG_FIELDS = ("grad_norm", "update_ratio")


def layer_summary(runs: Sequence[Run], field: str, what: str) -> str:
    parts = []
    for slug, r in runs:
        values = np.asarray(getattr(r, field), dtype=np.float64)
        last = values[-1]
        shown_values = ", ".join(
            f"layer {i + 1} {v:.3g}" if np.isfinite(v) else f"layer {i + 1} not a number"
            for i, v in enumerate(last)
        )
        parts.append(
            f"{label(slug)} at step {int(np.asarray(r.snapshot_steps)[-1])}: {shown_values}"
        )
        missing = int(np.sum(~(np.isfinite(values) & (values > 0))))
        if field in LOG_FIELDS and missing:
            parts[-1] += (
                f" ({missing} snapshot values are 0 or not finite: not drawn on the log axis)"
            )
    return f"{what}. " + "; ".join(parts) + "."


# --- figures ------------------------------------------------------------------------------------

MARKERS = ("circle", "square", "diamond", "triangle-up")
#: Class colours (Okabe–Ito blue, orange): the points, and the two ends of the surface's scale.
CLASS_COLOURS = (PALETTE[0], PALETTE[1])
SURFACE_SCALE = [[0.0, "#5fa8d3"], [0.5, "#f7f7f7"], [1.0, "#f2b85b"]]
#: Each frame of the scrubber: no transition, no redraw. A frame only swaps the surfaces'
#: images (``layout.images[k].source``), which Plotly.animate applies without redrawing the
#: figure; a heatmap cannot be animated, so its every frame was a full redraw (a step: 53 ms
#: median with heatmaps, 13 ms with images; docs/PERFORMANCE.md, "Speed pass"). Queued
#: after any frame still showing ("afterall"), never interrupting one: Plotly.js rejects an
#: interrupted animation's promise and nothing catches it (see :data:`SCRUBBER_JS`).
_FRAME = {
    "mode": "afterall",
    "frame": {"duration": 0, "redraw": False},
    "transition": {"duration": 0},
}
#: Play: the snapshots after the one shown, PLAY_MS apart ("fromcurrent"); all of them, from
#: step 0, when the first or the last snapshot is shown (41 snapshots: about 6 s).
PLAY_MS = 150
_PLAY = {
    "mode": "afterall",
    "fromcurrent": True,
    "frame": {"duration": PLAY_MS, "redraw": False},
    "transition": {"duration": 0},
}
#: Pause: Plotly's own idiom (animate ``[null]``, "immediate"), which drops the frames still
#: queued. On the page :data:`SCRUBBER_JS` has emptied the queue first, so nothing is
#: interrupted; where the script is absent it still pauses (with Plotly's uncaught error).
_PAUSE = {
    "mode": "immediate",
    "frame": {"duration": 0, "redraw": False},
    "transition": {"duration": 0},
}
#: The Play/Pause buttons sit this far (px) under the surfaces, below the slider, which takes
#: the room the margin below the surfaces had; the margin grows by SCRUBBER_BUTTONS_ROOM.
SCRUBBER_BUTTONS_BELOW = 125
SCRUBBER_BUTTONS_ROOM = 45
PLAY_LABEL = "▶ Play"
PAUSE_LABEL = "❚❚ Pause"
#: The chart's widget key on the page (the script below acts on this chart only).
SURFACE_KEY = "training_surface_chart"

#: The scrubber's Pause without an error in the console. In the Plotly.js that Streamlit 1.67
#: ships (``Plotly.animate`` in its PlotlyChart bundle), every ``animate`` call queues its
#: frames in ``gd._transitionData._frameQueue`` and gives the *last* one ``onInterrupt`` = the
#: call's ``reject``; a call in mode "immediate" or "next" first pops the whole queue and calls
#: each ``onInterrupt``. So while Play runs, its last frame is queued and any interrupt (the
#: ``[null]`` pause, a slider step in "immediate") rejects Play's promise, which
#: ``Plots.executeAPICommand`` re-rejects after a warning and the button's click handler
#: drops: an uncaught rejection on every pause. No button arguments avoid it (the only
#: methods are restyle, relayout, update, animate and skip, and the only way to stop frames
#: already queued is that interrupt). This script, run once per tab, empties the surface
#: chart's queue *before* Plotly handles a click on one of its buttons or a press on its
#: slider (a capturing listener on the document runs first): the frame on screen stays, the
#: animation stops after it, and the interrupt that follows finds nothing to reject. Play's
#: promise is left pending, unreferenced, and collected. A press on the slider therefore also
#: stops a running Play, and a click on Play while playing continues from the step shown
#: instead of queueing a second run. Constant text: nothing from a link reaches it.
SCRUBBER_JS = (
    """(() => {
  if (window.activationLabScrubber) return;
  window.activationLabScrubber = true;
  const chart = ".st-key-CHART_KEY .js-plotly-plot";
  const stopFrames = (event, part) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.closest(part)) return;
    const gd = target.closest(chart);
    const queue = gd && gd._transitionData && gd._transitionData._frameQueue;
    if (queue) queue.length = 0;
  };
  document.addEventListener("click", (e) => stopFrames(e, ".updatemenu-button"), true);
  document.addEventListener("mousedown", (e) => stopFrames(e, ".slider-container"), true);
  document.addEventListener(
    "touchstart", (e) => stopFrames(e, ".slider-container"), {capture: true, passive: true});
})();"""
).replace("CHART_KEY", SURFACE_KEY)
#: :data:`SCRUBBER_JS` for ``st.html(..., unsafe_allow_javascript=True)``.
SCRUBBER_HTML = f"<script>{SCRUBBER_JS}</script>"
MAX_CURVE_POINTS = 1001


def surface_percent(result: core.TrainingRun) -> np.ndarray:
    """P(class 1) on the grid at every snapshot, in whole percents (uint8: snapshots × gy × gx).

    A probability that is not finite (a diverged run's later snapshots) is shown as 50 %."""
    p = np.asarray(result.surface, dtype=np.float64)[..., 1]
    p = np.where(np.isfinite(p), p, 0.5)
    return np.rint(np.clip(p, 0.0, 1.0) * 100).astype(np.uint8)


def _hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def _surface_palette() -> bytes:
    """The PNG palette: entry ``v`` (0..100) is :data:`SURFACE_SCALE` at ``v`` %, interpolated
    linearly in RGB between its stops (as Plotly interpolates a colour scale)."""
    stops = np.array([at for at, _ in SURFACE_SCALE]) * 100
    rgb = np.array([_hex_rgb(c) for _, c in SURFACE_SCALE])
    v = np.arange(101, dtype=np.float64)
    table = np.stack([np.interp(v, stops, rgb[:, ch]) for ch in range(3)], axis=1)
    return np.rint(table).astype(np.uint8).tobytes()


SURFACE_PALETTE = _surface_palette()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def surface_png(percent: np.ndarray) -> str:
    """One surface (gy × gx whole percents, row 0 at the bottom: y ascending) as a ``data:`` URL
    of an indexed-colour PNG whose pixel values are the percents and whose palette is
    :data:`SURFACE_PALETTE`: one pixel per grid point, top row first. About 1 kB at 40 × 40."""
    z = np.clip(np.asarray(percent), 0, 100).astype(np.uint8)[::-1]
    h, w = z.shape
    rows = np.zeros((h, w + 1), dtype=np.uint8)  # each row: filter byte 0 (none), then pixels
    rows[:, 1:] = z
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
        + _png_chunk(b"PLTE", SURFACE_PALETTE)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _png_chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _axis_ref(axis: str, col: int) -> str:
    return axis if col == 1 else f"{axis}{col}"


# The figures are written as Plotly specs (plain dicts: ui.plotting's "figures written as specs"),
# not through graph_objects, whose validation of the five figures took ~55 ms of a move's server
# CPU (docs/PERFORMANCE.md, "Training off the script thread"). What never changes with the run
# (the subplot grid, fonts, template) is built once through graph_objects and cached.


@functools.cache
def _surface_layout(k: int, present: bool) -> dict[str, Any]:
    """The decision surfaces' layout for ``k`` raced activations without what depends on the
    run (titles, axis ranges, images, scrubber): the subplot grid, built once by Plotly."""
    fig = make_subplots(
        rows=1,
        cols=k,
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=["·"] * k,  # replaced by each run's activation
    )
    base_layout(fig, title="", x_title="", y_title="", present=present)
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False, scaleanchor=None)
    fig.update_layout(
        hovermode="closest",
        height=(640 if present else 540) if k <= 2 else (560 if present else 470),
        margin={"b": 120 + SCRUBBER_BUTTONS_ROOM, "t": 110 if present else 95},
        showlegend=False,  # the caption says which dots are which
    )
    return fig.to_dict()["layout"]


def surface_figure(
    runs: Sequence[Run], data: core.Dataset, settings: Settings, *, present: bool = False
) -> go.Figure:
    """One decision surface per raced activation with the data points, and a scrubber (Plotly
    frames, a slider, Play and Pause buttons) over the snapshots: frame ``i`` holds every run's
    surface at ``snapshot_steps[i]``. Returned frozen (:func:`ui.plotting.spec_figure`).

    Each surface is a layout image (:func:`surface_png`: one pixel per grid point, stretched
    over the grid's cells), not a heatmap: a frame then only changes ``images[k].source``, which
    Plotly.animate draws without redrawing the figure (a heatmap frame is a full redraw). The
    colour bar is carried by an invisible marker trace on the last surface."""
    k = len(runs)
    steps = [int(s) for s in np.asarray(runs[0][1].snapshot_steps)]
    surfaces = [surface_percent(r) for _, r in runs]
    n_frames = min(len(steps), *(s.shape[0] for s in surfaces))
    size = 9 if present else 6
    # Every run has the dataset's grid: one box for every surface.
    gx = np.asarray(runs[0][1].grid_x, dtype=np.float64)
    gy = np.asarray(runs[0][1].grid_y, dtype=np.float64)
    dx = (gx[-1] - gx[0]) / max(len(gx) - 1, 1)
    dy = (gy[-1] - gy[0]) / max(len(gy) - 1, 1)
    x0, x1 = float(gx[0] - dx / 2), float(gx[-1] + dx / 2)
    y0, y1 = float(gy[0] - dy / 2), float(gy[-1] + dy / 2)
    # The points: one trace per class and part, the same arrays in every column. WebGL: 400 SVG
    # markers per surface made a scrubber step 4× slower when every frame was a full redraw
    # (232 against 57 ms median, load average 15-17).
    parts = []
    for cls_id in range(2):
        for part, xs, ys, symbol in (
            ("training", data.x_train, data.y_train, "circle"),
            ("test", data.x_test, data.y_test, "circle-open"),
        ):
            pts = np.asarray(xs)[np.asarray(ys) == cls_id].astype(np.float32)
            parts.append((cls_id, part, symbol, typed(pts[:, 0]), typed(pts[:, 1])))
    traces: list[dict[str, Any]] = []
    images = []
    axes: dict[str, Any] = {}
    for col, (slug, z) in enumerate(zip((slug for slug, _ in runs), surfaces, strict=True), 1):
        xref, yref = _axis_ref("x", col), _axis_ref("y", col)
        axes[_axis_ref("xaxis", col)] = {"range": [x0, x1]}
        axes[_axis_ref("yaxis", col)] = {"range": [y0, y1]}
        images.append(
            {
                "source": surface_png(z[n_frames - 1]),
                "name": f"{label(slug)} surface",
                "xref": xref,
                "yref": yref,
                "x": x0,
                "y": y1,
                "sizex": x1 - x0,
                "sizey": y1 - y0,
                "xanchor": "left",
                "yanchor": "top",
                "sizing": "stretch",
                "layer": "below",
            }
        )
        if col == k:
            traces.append(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "markers",
                    "name": "P(class 1) colour scale",
                    "showlegend": False,
                    "hoverinfo": "skip",
                    "marker": {
                        "color": [0],
                        "cmin": 0,
                        "cmax": 100,
                        "colorscale": SURFACE_SCALE,
                        "showscale": True,
                        "colorbar": {
                            "title": {"text": "P(class 1) %", "side": "right"},
                            "thickness": 12,
                        },
                    },
                    "xaxis": xref,
                    "yaxis": yref,
                }
            )
        for cls_id, part, symbol, x, y in parts:
            traces.append(
                {
                    "type": "scattergl",
                    "x": x,
                    "y": y,
                    "mode": "markers",
                    "name": f"class {cls_id} ({part})",
                    "legendgroup": f"class {cls_id} {part}",
                    "showlegend": col == 1,
                    "marker": {
                        "color": CLASS_COLOURS[cls_id],
                        "symbol": symbol,
                        "size": size,
                        "line": {"color": "#222222", "width": 0.6 if part == "training" else 1.2},
                    },
                    "hoverinfo": "skip",
                    "xaxis": xref,
                    "yaxis": yref,
                }
            )
    names = [f"step {steps[i]}" for i in range(n_frames)]
    frames = [
        {
            "name": names[i],
            "layout": {f"images[{j}].source": surface_png(z[i]) for j, z in enumerate(surfaces)},
        }
        for i in range(n_frames)
    ]
    skeleton = _surface_layout(k, present)
    titles = [
        {**note, "text": short_label(slug)}
        for note, (slug, _) in zip(skeleton["annotations"], runs, strict=True)
    ]
    font = 18 if present else 13
    layout = merged(
        skeleton,
        {
            **axes,
            "title": {"text": f"Decision surface during training<br><sup>{settings.text()}</sup>"},
            "annotations": titles,
            "updatemenus": [
                {
                    "type": "buttons",
                    "direction": "left",
                    "showactive": False,
                    # Under the slider, at the left: clear of its rail and of the title
                    # (above the surfaces they covered the title on a phone).
                    "x": 0.0,
                    "xanchor": "left",
                    "y": 0.0,
                    "yanchor": "top",
                    "pad": {"t": SCRUBBER_BUTTONS_BELOW},
                    "buttons": [
                        {
                            "label": PLAY_LABEL,
                            "method": "animate",
                            "args": [names, _PLAY],
                        },
                        {
                            "label": PAUSE_LABEL,
                            "method": "animate",
                            "args": [[None], _PAUSE],
                        },
                    ],
                }
            ],
            "sliders": [
                {
                    "active": n_frames - 1,
                    "currentvalue": {"prefix": "step ", "xanchor": "right", "font": {"size": font}},
                    "pad": {"t": 40, "b": 10},
                    "x": 0.0,
                    "len": 1.0,
                    "steps": [
                        {"method": "animate", "label": str(steps[i]), "args": [[names[i]], _FRAME]}
                        for i in range(n_frames)
                    ],
                }
            ],
            "images": images,
        },
    )
    return spec_figure({"data": traces, "layout": layout, "frames": frames})


def _thinned(n: int) -> np.ndarray:
    """Indices 0..n-1 thinned to at most :data:`MAX_CURVE_POINTS`, the last always kept."""
    if n <= MAX_CURVE_POINTS:
        return np.arange(n)
    idx = np.unique(np.linspace(0, n - 1, MAX_CURVE_POINTS).round().astype(int))
    return idx


def _curves_layout(
    settings: Settings, title: str, y_title: str, present: bool, y_axis: dict[str, Any]
) -> dict[str, Any]:
    """The layout of a chart over the steps: :func:`ui.plotting.base_layout`, the settings under
    the title (so an exported PNG says what it shows), the legend under the plot (with several
    runs it takes lines that would cover the title)."""
    return merged(
        base_layout_spec(present),
        {
            "title": {"text": f"{title}<br><sup>{settings.text()}</sup>"},
            "xaxis": {"title": {"text": "step"}},
            "yaxis": {"title": {"text": y_title}, **y_axis},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
            "margin": {"b": 10},
            "height": 620 if present else 520,
        },
    )


_LOG_AXIS = {"type": "log", "exponentformat": "power"}


def loss_figure(
    runs: Sequence[Run],
    settings: Settings,
    *,
    present: bool = False,
    title: str = "Loss (cross-entropy) during training",
) -> go.Figure:
    """Train (dashed) and test (solid) cross-entropy of every raced activation against the step."""
    traces = []
    width = line_width(present)
    for i, (slug, r) in enumerate(runs):
        colour = PALETTE[i % len(PALETTE)]
        n = trained_steps(r) + 1
        idx = _thinned(n)
        x = typed(idx)
        for part, values, dash in (("test", r.loss_test, "solid"), ("train", r.loss_train, "dash")):
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": typed(np.asarray(values, dtype=np.float64)[idx]),
                    "name": f"{label(slug)} {part}",
                    "mode": "lines",
                    "line": {"color": colour, "dash": dash, "width": width},
                    "legendgroup": slug,
                }
            )
    layout = _curves_layout(
        settings, title, "loss (log; solid: test, dashed: train)", present, _LOG_AXIS
    )
    return spec_figure({"data": traces, "layout": layout})


def layer_figure(
    runs: Sequence[Run],
    settings: Settings,
    field: str,
    *,
    title: str,
    y_title: str,
    log: bool,
    present: bool = False,
    rule: tuple[float, str] | None = None,
) -> go.Figure:
    """One line per (raced activation, hidden layer) of ``field`` over the snapshots: colour and
    marker are the activation, the dash the layer. ``rule``: a dotted horizontal line at that
    value, labelled."""
    traces = []
    width = line_width(present)
    for i, (slug, r) in enumerate(runs):
        colour = PALETTE[i % len(PALETTE)]
        steps = np.asarray(r.snapshot_steps)
        values = np.asarray(getattr(r, field), dtype=np.float64)
        for layer in range(values.shape[1]):
            column = values[:, layer]
            keep = np.isfinite(column) & (column > 0 if log else True)
            traces.append(
                {
                    "type": "scatter",
                    "x": typed(steps[keep]),
                    "y": typed(column[keep]),
                    "name": f"{label(slug)} layer {layer + 1}",
                    "mode": "lines+markers",
                    "line": {"color": colour, "dash": DASHES[layer % len(DASHES)], "width": width},
                    "marker": {"symbol": MARKERS[i % len(MARKERS)], "size": 8 if present else 5},
                    "legendgroup": slug,
                }
            )
    y_axis = _LOG_AXIS if log else {"range": [-0.03, 1.03], "tickformat": ".0%"}
    layout = _curves_layout(settings, title, y_title, present, y_axis)
    if rule is not None:
        at, text = rule
        layout["shapes"] = [
            {
                "type": "line",
                "line": {"color": "#888888", "dash": "dot", "width": 1.5},
                "x0": 0,
                "x1": 1,
                "xref": "x domain",
                "y0": at,
                "y1": at,
                "yref": "y",
            }
        ]
        layout["annotations"] = [
            {
                "showarrow": False,
                "text": text,
                "x": 0,
                "xanchor": "left",
                "xref": "x domain",
                "y": at,
                "yanchor": "bottom",
                "yref": "y",
            }
        ]
    return spec_figure({"data": traces, "layout": layout})


#: The rule of thumb for ‖ΔW‖/‖W‖ per step (Karpathy, CS231n): about 1e-3.
RULE_OF_THUMB = 1e-3


class Figures(NamedTuple):
    surface: go.Figure
    loss: go.Figure
    dead: go.Figure
    grad: go.Figure
    ratio: go.Figure


@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def figures(
    key: tuple[tuple[str, Params], ...], settings: Settings, present: bool, _runs: Sequence[Run]
) -> Figures:
    """The page's five figures for these runs, built once per setting and frozen (shared:
    callers must not change them). ``key`` (each raced activation and its parameters) and
    ``settings`` fix ``_runs``."""
    assert [slug for slug, _ in key] == [slug for slug, _ in _runs], "key and runs disagree"
    data = dataset(settings.dataset, settings.noise, settings.seed)
    return Figures(
        surface_figure(_runs, data, settings, present=present),
        loss_figure(_runs, settings, present=present),
        layer_figure(
            _runs,
            settings,
            "dead_fraction",
            title="Dead units per layer",
            y_title="share of the layer's units",
            log=False,
            present=present,
        ),
        layer_figure(
            _runs,
            settings,
            "grad_norm",
            title="Gradient norm per layer",
            y_title="‖∂L/∂W‖ (log)",
            log=True,
            present=present,
        ),
        layer_figure(
            _runs,
            settings,
            "update_ratio",
            title="Update/weight ratio per layer",
            y_title="‖ΔW‖/‖W‖ per step (log)",
            log=True,
            present=present,
            rule=(RULE_OF_THUMB, "~1e-3 rule of thumb"),
        ),
    )


# --- export -------------------------------------------------------------------------------------


def csv_columns(runs: Sequence[Run]) -> dict[str, np.ndarray]:
    """Per step: train/test loss and accuracy of every raced activation (NaN after a
    divergence). Column names are catalogue slugs (never user text)."""
    steps = max(len(np.asarray(r.loss_train)) for _, r in runs)
    cols: dict[str, np.ndarray] = {"step": np.arange(steps)}
    for slug, r in runs:
        for field in ("loss_train", "loss_test", "acc_train", "acc_test"):
            values = np.full(steps, np.nan)
            got = np.asarray(getattr(r, field), dtype=np.float64)
            values[: len(got)] = got
            cols[f"{slug}_{field}"] = values
    return cols


# --- lessons --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Lesson:
    """A preset link and the claim it demonstrates (checked against the computed runs by
    :func:`lesson_evidence` and by tests/test_training_lessons.py)."""

    title: str
    query: tuple[tuple[str, str], ...]
    claim: str

    @property
    def query_dict(self) -> dict[str, str]:
        return dict(self.query)


#: The test loss the tanh-vs-ReLU lesson times both activations to.
SPEED_LOSS = 0.2

LESSONS: dict[str, Lesson] = {
    "dying_relu": Lesson(
        "Dying ReLU",
        (
            ("dataset", "circle"),
            ("activation", "relu"),
            ("compare", "leaky_relu"),
            ("lr", "3"),
            ("layers", "2"),
            ("width", "16"),
            ("steps", "500"),
        ),
        "At a large learning rate most ReLU units of a layer die: their input is negative on "
        "every training point, so no gradient reaches them again. Leaky ReLU, with the same "
        "weights and batches, keeps every unit alive.",
    ),
    "deep_sigmoid": Lesson(
        "Deep sigmoid stalls",
        (
            ("dataset", "circle"),
            ("activation", "sigmoid"),
            ("compare", "relu"),
            ("layers", "6"),
            ("width", "16"),
            ("init", "he"),
            ("lr", "0.1"),
            ("steps", "1000"),
        ),
        "With 6 sigmoid layers the loss barely moves: each layer multiplies the gradient by "
        "σ′ ≤ 0.25 times the weights, so almost nothing reaches the first layers. ReLU with "
        "He init, same depth, learns.",
    ),
    "tanh_vs_relu": Lesson(
        "Tanh vs ReLU",
        (
            ("dataset", "xor"),
            ("activation", "relu"),
            ("compare", "tanh"),
            ("layers", "2"),
            ("width", "16"),
            ("init", "xavier"),
            ("lr", "0.03"),
            ("steps", "1000"),
        ),
        f"From the same Xavier initial weights, on the same batches, ReLU brings the test loss "
        f"down to {SPEED_LOSS:g} in less than half the steps tanh needs: its slope is 1 wherever "
        "it is active, while tanh′ < 1 everywhere except at 0.",
    ),
    "zero_init": Lesson(
        "Zero init never breaks symmetry",
        (
            ("dataset", "circle"),
            ("activation", "sigmoid"),
            ("init", "zeros"),
            ("layers", "2"),
            ("width", "8"),
            ("lr", "1"),
            ("steps", "1000"),
        ),
        "With every weight 0, every unit of a layer computes the same value and receives the "
        "same gradient, so after any number of steps the units are still identical: the network "
        "is no better than one unit per layer.",
    ),
}


def lesson_settings(lesson: Lesson) -> tuple[str, list[str], Settings]:
    """(activation, raced activations, settings) a lesson's link opens (defaults elsewhere)."""
    q = lesson.query_dict
    s = Settings(
        dataset=q.get("dataset", str(DEFAULTS["dataset"])),
        noise=float(q.get("noise", DEFAULTS["noise"])),
        layers=int(q.get("layers", DEFAULTS["layers"])),
        width=int(q.get("width", DEFAULTS["width"])),
        init=q.get("init", str(DEFAULTS["init"])),
        optimizer=q.get("optimizer", str(DEFAULTS["optimizer"])),
        lr=float(q.get("lr", DEFAULTS["lr"])),
        batch=int(q.get("batch", DEFAULTS["batch"])),
        steps=int(q.get("steps", DEFAULTS["steps"])),
        l2=float(q.get("l2", DEFAULTS["l2"])),
        seed=int(q.get("seed", DEFAULTS["seed"])),
    )
    compare = parse_compare(q.get("compare", "")) or []
    return q["activation"], compare, s


def lesson_for(slug: str, compare: Sequence[str], s: Settings) -> str | None:
    """The lesson whose preset these settings are (default parameters assumed), or None."""
    for lesson_id, lesson in LESSONS.items():
        if lesson_settings(lesson) == (slug, list(compare), s):
            return lesson_id
    return None


def lesson_evidence(lesson_id: str, runs: Sequence[Run], s: Settings) -> tuple[bool, str]:
    """Whether the runs show the lesson's claim, and what they show, in numbers."""
    by = dict(runs)
    if lesson_id == "dying_relu":
        relu, leaky = by["relu"], by["leaky_relu"]
        dead = np.asarray(relu.dead_fraction, dtype=np.float64)[-1]
        worst = int(np.argmax(dead))
        leaky_dead = float(np.asarray(leaky.dead_fraction, dtype=np.float64).max())
        holds = dead[worst] > 0.5 and leaky_dead == 0.0
        return holds, (
            f"Here: {dead[worst]:.0%} of ReLU's layer {worst + 1} ended dead; Leaky ReLU's "
            f"most dead units in any layer at any snapshot: {leaky_dead:.0%}."
        )
    if lesson_id == "deep_sigmoid":
        sig, relu = by["sigmoid"], by["relu"]

        def drop(r: core.TrainingRun) -> float:
            loss = np.asarray(r.loss_test, dtype=np.float64)
            return 1.0 - float(loss[trained_steps(r)]) / float(loss[0])

        holds = drop(sig) < 0.05 and drop(relu) > 0.5
        return holds, (
            f"Here: sigmoid's test loss fell by {drop(sig):.1%} in {s.steps} steps, ReLU's by "
            f"{drop(relu):.0%}."
        )
    if lesson_id == "tanh_vs_relu":
        relu_at = first_step_below(by["relu"], SPEED_LOSS)
        tanh_at = first_step_below(by["tanh"], SPEED_LOSS)
        holds = relu_at is not None and (tanh_at is None or 2 * relu_at < tanh_at)

        def when(at: int | None) -> str:
            return f"at step {at}" if at is not None else f"not within {s.steps} steps"

        return holds, (
            f"Here: ReLU's test loss reached {SPEED_LOSS:g} {when(relu_at)}, tanh's "
            f"{when(tanh_at)}."
        )
    if lesson_id == "zero_init":
        r = runs[0][1]
        sym = symmetric_layers(r)
        holds = sym == list(range(1, s.layers + 1))
        acc = float(np.asarray(r.acc_test)[trained_steps(r)])
        return holds, (
            f"Here: after {trained_steps(r)} steps every unit of "
            + (f"layers {', '.join(map(str, sym))}" if sym else "no layer")
            + f" still has the same weights as its neighbours; test accuracy {acc:.0%}."
        )
    raise ValueError(f"unknown lesson {lesson_id!r}")


# --- predict, then reveal -----------------------------------------------------------------------

QUIZ_ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "elu", "gelu", "swish", "softplus")
QUIZ_DATASETS = ("circle", "xor", "moons", "spiral")
QUIZ_LRS = (0.03, 0.1, 0.3, 1.0)
QUIZ_LAYERS = (1, 2, 4)


@dataclasses.dataclass(frozen=True)
class QuizQuestion:
    activations: tuple[str, str, str]
    settings: Settings


def quiz_question(seed: int) -> QuizQuestion:
    """The race drawn from ``seed`` (the same seed, the same race)."""
    rng = np.random.default_rng(seed)
    acts = tuple(str(a) for a in rng.choice(QUIZ_ACTIVATIONS, size=3, replace=False))
    s = Settings(
        dataset=str(rng.choice(QUIZ_DATASETS)),
        noise=0.1,
        layers=int(rng.choice(QUIZ_LAYERS)),
        width=8,
        init="he",
        optimizer="sgd",
        lr=float(rng.choice(QUIZ_LRS)),
        batch=32,
        steps=500,
        l2=0.0,
        seed=int(seed % (SEED_RANGE[1] + 1)),
    )
    return QuizQuestion(acts, s)  # type: ignore[arg-type]


def quiz_runs(q: QuizQuestion) -> list[Run]:
    return [
        (
            slug,
            run(
                slug=slug,
                params=params_key(ACTIVATIONS[slug].param_defaults()),
                settings=q.settings,
            ),
        )
        for slug in q.activations
    ]


@st.cache_resource(max_entries=32, show_spinner=False)
def quiz_figure(seed: int, present: bool, _runs: Sequence[Run]) -> go.Figure:
    """The revealed race's loss chart for the question :func:`quiz_question` draws from
    ``seed`` (which fixes ``_runs``): built once and frozen, since a class answers together."""
    q = quiz_question(seed)
    return loss_figure(_runs, q.settings, present=present, title="Quiz: loss of each activation")
