"""Instant sweeps: a whole family of curves sent once, swapped in the browser by Plotly's slider.

A Streamlit slider reruns the page on the server for every move (about 100 ms round trip here); a
Plotly slider inside the figure only swaps pre-computed frames in the browser (one frame, a few
ms). The core computes f and f′ for every value of one parameter on its slider grid (capped at
:data:`MAX_FRAMES` values), and the figure carries them as Plotly frames; each slider step calls
``Plotly.animate`` on its frame with no transition, so dragging the handle redraws at once and
never talks to the server.

Payload: each frame carries only the y arrays (x is shared), as Plotly's binary (base64 float64)
arrays. With the ~600 points per curve a page should pass, 41 frames of f and f′ cost about
41 × 2 × 600 × 8 B ≈ 390 kB raw (≈ 525 kB as base64), sent once per figure; keep ``x`` short.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from numpy.typing import ArrayLike
from streamlit.delta_generator import DeltaGenerator

from activations import Activation, OneSided, Param, softmax
from ui import state
from ui.plotting import (
    DF_LINE,
    F_LINE,
    PALETTE,
    base_layout,
    drawn_with_jumps,
    jump_dots,
    jump_markers,
    line_width,
)

#: At most this many frames per sweep (one per slider step).
MAX_FRAMES = 41
#: The softmax temperature grid: 41 log-spaced values from 0.01 to 100 (1.0 exactly in the middle).
TEMPERATURES: tuple[float, ...] = tuple(float(t) for t in 10.0 ** np.linspace(-2.0, 2.0, 41))

# Each slider step jumps to its frame at once: no easing, no transition, no full redraw.
_JUMP = {
    "mode": "immediate",
    "frame": {"duration": 0, "redraw": False},
    "transition": {"duration": 0},
}
_SLIDER_HEIGHT = 110  # px added below the plot for the slider and its labels


def param_values(param: Param, max_frames: int = MAX_FRAMES) -> tuple[float, ...]:
    """The values a sweep of ``param`` shows: its slider grid low..high, thinned to ``max_frames``.

    Every value is on the slider's grid ``low + i·step`` (rounded as the slider shows it), evenly
    strided (every k-th grid value, the smallest k that fits), with ``high`` always the last.
    """
    if max_frames < 2:
        raise ValueError(f"max_frames must be at least 2, not {max_frames}")
    n = round((param.high - param.low) / param.step) + 1
    # The smallest stride k on the grid whose values (0, k, 2k, ..., plus the top) fit.
    k = 1
    while len(range(0, n, k)) + ((n - 1) % k != 0) > max_frames:
        k += 1
    idx = [*range(0, n, k)] + ([n - 1] if (n - 1) % k else [])
    decimals = max(0, -math.floor(math.log10(param.step))) + 3
    return tuple(round(param.low + int(i) * param.step, decimals) for i in idx)


def _label(value: float) -> str:
    return f"{value:.3g}"


def _nearest(values: Sequence[float], target: float, *, log: bool = False) -> int:
    v = np.asarray(values, dtype=np.float64)
    if log:
        return int(np.argmin(np.abs(np.log(v) - math.log(target))))
    return int(np.argmin(np.abs(v - target)))


def _y_range(arrays: list[np.ndarray]) -> list[float] | None:
    """One fixed y range over every frame, so the axes stay still while the curve moves."""
    finite = np.concatenate([a[np.isfinite(a)] for a in arrays])
    if finite.size == 0:
        return None
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.06 * (hi - lo) if hi > lo else 0.5
    return [lo - pad, hi + pad]


def _slider(
    prefix: str, labels: list[str], names: list[str], active: int, present: bool
) -> dict[str, object]:
    return {
        "active": active,
        "currentvalue": {"prefix": prefix, "font": {"size": 22 if present else 15}},
        "pad": {"t": 50, "b": 10},
        "len": 1.0,
        "x": 0.0,
        "steps": [
            {"method": "animate", "label": label, "args": [[name], _JUMP]}
            for label, name in zip(labels, names, strict=True)
        ],
    }


def _make_room_for_slider(fig: go.Figure) -> None:
    fig.update_layout(
        height=fig.layout.height + _SLIDER_HEIGHT,
        margin={"b": _SLIDER_HEIGHT},
    )


def _frames_with_jumps(
    activation: Activation,
    xs: np.ndarray,
    settings: Sequence[dict[str, float]],
    curves: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, dict, dict]]]:
    """The drawn x, and per frame (f, f′, f's jump dots, f′'s jump dots), drawn as the main
    chart draws them (:func:`ui.plotting.drawn_with_jumps`, :func:`ui.plotting.jump_dots`).

    A frame only swaps y, so every frame has the same x: each kink of any frame is inserted
    into all of them, a jump where the frame has one and its plain value where it has none.
    """
    lo, hi = float(xs[0]), float(xs[-1])
    kinks = [{k.x: k for k in activation.kink_limits(**p)} for p in settings]
    points = sorted({at for per_frame in kinks for at in per_frame if lo < at < hi})
    at = np.asarray(points, dtype=np.float64)
    nears = []  # per frame: (f, f′) near every point
    for p, per_frame in zip(settings, kinks, strict=True):
        f_at, df_at = activation.forward(at, **p), activation.derivative(at, **p)
        near_f, near_df = [], []
        for i, u in enumerate(points):
            k = per_frame.get(u)
            near_f.append((u, k.f if k else OneSided(f_at[i], f_at[i], f_at[i])))
            near_df.append((u, k.df if k else OneSided(df_at[i], df_at[i], df_at[i])))
        nears.append((near_f, near_df))

    # Every frame gets as many dot slots as the frame with the most (see jump_dots).
    window = (lo, hi)
    slots = [
        max(len(jump_dots(pair[c], window, symbol)["x"]) for pair in nears)
        for c, symbol in enumerate(("f", "f′"))
    ]
    drawn_x = xs
    frames = []
    for (near_f, near_df), (f, df) in zip(nears, curves, strict=True):
        drawn_x, drawn_f = drawn_with_jumps(xs, f, near_f, every_point=True)  # the same x each
        _, drawn_df = drawn_with_jumps(xs, df, near_df, every_point=True)
        f_dots = jump_dots(near_f, window, "f", slots[0])
        df_dots = jump_dots(near_df, window, "f′", slots[1])
        frames.append((drawn_f, drawn_df, f_dots, df_dots))
    return drawn_x, frames


def sweep_figure(
    activation: Activation,
    param_name: str,
    params: Mapping[str, float],
    x: ArrayLike,
    values: Sequence[float] | None = None,
    present: bool = False,
) -> go.Figure:
    """f and f′ of ``activation`` over ``x`` for each value of ``param_name``, on a Plotly slider.

    ``params`` fixes the other parameters (and picks the step the slider starts on: the value
    nearest ``params[param_name]``); ``values`` defaults to :func:`param_values` of the parameter.
    Frame ``i`` (named by its label, e.g. ``"1.3"``) holds ``activation.forward(x, ...)`` and
    ``activation.derivative(x, ...)`` at ``values[i]``; the figure starts on the active frame.
    """
    by_name = {p.name: p for p in activation.params}
    if param_name not in by_name:
        raise ValueError(
            f"{activation.name} has no parameter {param_name!r} "
            f"(it has {sorted(by_name) or 'none'})"
        )
    param = by_name[param_name]
    grid = tuple(float(v) for v in (param_values(param) if values is None else values))
    if not grid:
        raise ValueError("a sweep needs at least one value")
    xs = np.asarray(x, dtype=np.float64)
    fixed = activation.resolve(dict(params))
    # Only the values the entry accepts with the others fixed (hard tanh: min_val < max_val).
    grid = tuple(v for v in grid if activation.refusal({**fixed, param_name: v}) is None)
    if not grid:
        raise ValueError(f"no value of {param_name} is accepted with the other parameters")
    current = fixed[param_name]
    settings = [{**fixed, param_name: v} for v in grid]
    curves = [(activation.forward(xs, **p), activation.derivative(xs, **p)) for p in settings]
    drawn_x, frames = _frames_with_jumps(activation, xs, settings, curves)
    labels = [_label(v) for v in grid]
    names = [f"{param_name}={v!r}" for v in grid]
    active = _nearest(grid, current)
    width = line_width(present)
    f0, df0, f_dots, df_dots = frames[active]
    dot_traces = [
        jump_markers(dots, colour=style["color"], name=f"{symbol} at its jumps", present=present)
        for dots, style, symbol in ((f_dots, F_LINE, "f"), (df_dots, DF_LINE, "f′"))
    ]
    fig = go.Figure(
        data=[
            go.Scatter(x=drawn_x, y=f0, name="f(x)", mode="lines", line={**F_LINE, "width": width}),
            go.Scatter(
                x=drawn_x, y=df0, name="f′(x)", mode="lines", line={**DF_LINE, "width": width}
            ),
            *dot_traces,
        ],
        frames=[
            go.Frame(
                name=name,
                data=[go.Scatter(y=f), go.Scatter(y=df), go.Scatter(fd), go.Scatter(dfd)],
                traces=[0, 1, 2, 3],
            )
            for name, (f, df, fd, dfd) in zip(names, frames, strict=True)
        ],
    )
    others = ", ".join(
        f"{p.symbol} = {_label(fixed[p.name])}" for p in activation.params if p.name != param_name
    )
    title = (
        f"{activation.label}: f and f′ as {param.symbol} goes from {labels[0]} to {labels[-1]}"
        + (f" ({others})" if others else "")
    )
    base_layout(fig, title=title, x_title="x", y_title="f(x), f′(x)", present=present)
    fig.update_layout(
        sliders=[_slider(f"{param.symbol} = ", labels, names, active, present)],
        yaxis={"range": _y_range([a for pair in curves for a in pair])},
        xaxis={"range": [float(xs.min()), float(xs.max())]},
    )
    _make_room_for_slider(fig)
    return fig


def temperature_sweep_figure(
    z: ArrayLike,
    temperatures: Sequence[float] | None = None,
    present: bool = False,
    *,
    temperature: float = 1.0,
    labels: Sequence[str] | None = None,
) -> go.Figure:
    """Softmax(z / T) as bars for every T of ``temperatures`` (default :data:`TEMPERATURES`).

    A Plotly slider swaps the frames in the browser; it starts at the T nearest ``temperature``
    (on a log scale). Frame ``i`` holds ``softmax(z, temperatures[i])``. ``labels`` name the
    classes (default "class 1", "class 2", ...) as tick text: Plotly reads a few HTML tags in
    it, so escape user text first (the softmax page's ``softmax_view.plotly_text``).
    """
    logits = np.asarray(z, dtype=np.float64)
    grid = tuple(float(t) for t in (TEMPERATURES if temperatures is None else temperatures))
    if not grid or min(grid) <= 0:
        raise ValueError("temperatures must be a non-empty list of numbers > 0")
    names_x = list(labels) if labels is not None else [f"class {i + 1}" for i in range(logits.size)]
    probs = [softmax(logits, t) for t in grid]
    step_labels = [_label(t) for t in grid]
    names = [f"T={t!r}" for t in grid]
    active = _nearest(grid, temperature, log=True)
    fig = go.Figure(
        # x is the class index (ticks carry the names): equal names stay separate bars
        data=[
            go.Bar(
                x=np.arange(logits.size),
                y=probs[active],
                name="softmax(z / T)",
                marker_color=PALETTE[0],
            )
        ],
        frames=[
            go.Frame(name=name, data=[go.Bar(y=p)], traces=[0])
            for name, p in zip(names, probs, strict=True)
        ],
    )
    title = (
        f"Softmax of {logits.size} logits as the temperature T goes from "
        f"{step_labels[0]} to {step_labels[-1]}"
    )
    base_layout(fig, title=title, x_title="class", y_title="probability", present=present)
    fig.update_layout(
        sliders=[_slider("T = ", step_labels, names, active, present)],
        yaxis={"range": [0.0, 1.05]},
        xaxis={"tickmode": "array", "tickvals": list(range(logits.size)), "ticktext": names_x},
        hovermode="closest",
        showlegend=False,
    )
    _make_room_for_slider(fig)
    return fig


#: The most bars (classes, candidate tokens) a page draws an in-chart temperature sweep for:
#: the sweep sends one set of bars per temperature of the slider.
MAX_TEMPERATURE_SWEEP = 50


def temperature_sweep_slot(
    n: int, *, sends: str, items: str, temperatures: int, hidden: bool
) -> DeltaGenerator | None:
    """The "Instant temperature sweep" toggle (``t_sweep``, in the URL) of a page that draws
    ``n`` bars over T, and where its sweep goes: a container when it is on and the bars fit
    :data:`MAX_TEMPERATURE_SWEEP`, else None (on, with a note saying why). ``sends``: what the
    sweep sends per temperature; ``items``: what the bars are; ``temperatures``: how many."""
    on = state.url_toggle(
        "Instant temperature sweep (drag T inside the chart)",
        key="t_sweep",
        hidden=hidden,
        help=f"Sends {sends} for every temperature of the slider at once: the chart's own "
        "slider swaps them in your browser, with no wait for the server.",
    )
    if not on:
        return None
    if n <= MAX_TEMPERATURE_SWEEP:
        return st.container()
    st.info(
        f"The instant sweep is drawn for up to {MAX_TEMPERATURE_SWEEP} {items} (it sends "
        f"{temperatures} sets of bars); there are {n} here. Use the temperature slider above.",
        icon=":material/info:",
    )
    return None
