"""Figures, tables, text and the temperature control of the Softmax page.

The core (``activations.softmax``) computes; this module turns its arrays into Plotly figures,
table columns and sentences. :func:`temperature_view` is the one cached call a temperature move
makes: it calls the core and builds everything the page shows for one setting, once per
setting. User-typed class labels reach Plotly HTML-escaped (Plotly renders a subset of HTML in
tick labels and hover text) and reach Markdown only through :func:`md_escape` or
``state.shown``.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from activations import (
    ACTIVATIONS,
    cross_entropy,
    cross_entropy_grad,
    entmax15,
    entmax15_jacobian,
    entropy,
    optimal_logit_gap,
    smoothed_target,
    softmax,
    sparsemax,
    sparsemax_jacobian,
)
from activations.softmax import SoftmaxSteps, softmax_jacobian, softmax_steps
from ui import state, sweep
from ui.plotting import PALETTE, base_layout, freeze, line_width, read_only

# --- the temperature control --------------------------------------------------------------------

#: A geometric grid over four decades: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k (each step about
#: ×1.26, like the E-series of preferred numbers), so 0.5, 1 and 10 are on it exactly.
_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
TEMPERATURES: tuple[float, ...] = (
    *(round(m * 10.0**k, 6) for k in range(-2, 2) for m in _MANTISSAS),
    100.0,
)
T_LOW, T_HIGH, T_DEFAULT = TEMPERATURES[0], TEMPERATURES[-1], 1.0


def format_t(t: float) -> str:
    """A temperature as shown and as written in the URL: ``0.5``, ``1``, ``10``."""
    return f"{t:g}"


def nearest_temperature(t: float) -> float:
    """The grid value closest to ``t`` on the log scale (``t`` must be > 0)."""
    logs = np.log(np.asarray(TEMPERATURES))
    return TEMPERATURES[int(np.argmin(np.abs(logs - math.log(t))))]


def temperature_check(raw: str) -> str | None:
    """URL check for ``temperature``: a number from 0.01 to 100 (it is snapped to the grid)."""
    parsed = state.parse_number(raw)  # ASCII digits only
    t = math.nan if parsed is None else parsed
    if not (T_LOW <= t <= T_HIGH):  # also rejects NaN
        return f"must be a number from {format_t(T_LOW)} to {format_t(T_HIGH)}"
    return None


def temperature_slider(*, key: str = "temperature", hidden: bool = False) -> float:
    """A log-scale temperature control: a select_slider over :data:`TEMPERATURES`.

    Its value is T itself, and the URL holds T (``?temperature=0.5``). A valid URL value that is
    not on the grid is snapped to the nearest grid value, with a note.
    """
    initial = T_DEFAULT
    raw = st.query_params.get(key)
    if raw is not None and temperature_check(raw) is None:
        typed = float(state.parse_number(raw) or T_DEFAULT)  # checked just above: a number
        initial = nearest_temperature(typed)
        if not math.isclose(initial, typed, rel_tol=1e-9):
            st.caption(
                f"temperature={state.shown(raw)} is between the slider's steps; "
                f"showing the nearest step, T = {format_t(initial)}."
            )
    if hidden:
        return initial
    state.seed_widget(key, initial)
    value = st.select_slider(
        "Temperature T (log scale)",
        options=TEMPERATURES,
        format_func=format_t,
        key=key,
        help="The logits are divided by T before the softmax. T < 1 sharpens the "
        "distribution towards the argmax, T > 1 flattens it towards uniform.",
    )
    state.sync_url(key, format_t(value), format_t(T_DEFAULT))
    return float(value)


# --- user text ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|~$:!&])")  # & too: "&lt;" stays literal


def md_escape(text: str) -> str:
    """Text (e.g. a parser message quoting what the user typed) safe to show as Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", state.visible(text))


_QUOTED = re.compile(r"“([^”]*)”")


def parser_message(text: str) -> str:
    """The logits parser's message as literal Markdown: the tokens it quotes (“…”, what the
    user typed) as code spans, everything else escaped (``state.literal_outside_code``).
    Escaping alone is not enough: Streamlit still turns an escaped ``https://…`` into a link."""
    quoted = _QUOTED.sub(lambda m: state.shown(m.group(1), 60), text.replace("`", "'"))
    return state.literal_outside_code(quoted)


MAX_LABEL_CHARS = 30


def parse_labels(text: str, n: int) -> tuple[list[str], str | None]:
    """Class labels from comma-separated text, or ``class 0 … n−1`` with a warning on mismatch.

    Returns the labels as typed (stripped, each truncated to :data:`MAX_LABEL_CHARS`); escape
    them before display. The warning is Markdown-safe.
    """
    default = [f"class {i}" for i in range(n)]
    if not text.strip():
        return default, None
    # Whitespace runs (newlines, tabs) become one space; control and format characters go.
    printable = "".join(
        c for c in text if not unicodedata.category(c).startswith("C") or c.isspace()
    )
    labels = [" ".join(part.split()) for part in printable.split(",")]
    if len(labels) != n or not all(labels):
        found = len(labels) if all(labels) else f"{len(labels)} (some empty)"
        return default, (
            f"{found} labels for {n} logits: the labels must be one per logit, separated by "
            f"commas (e.g. cat, dog, bird). Showing class 0 … {n - 1} instead."
        )
    return [
        lab if len(lab) <= MAX_LABEL_CHARS else lab[: MAX_LABEL_CHARS - 1] + "…" for lab in labels
    ], None


def plotly_text(label: str) -> str:
    """A label made inert for Plotly, which renders some HTML tags in text."""
    return html.escape(label, quote=False)


def logits_summary(z: np.ndarray, limit: int = 6) -> str:
    """``[1.8, 0.9, 0.68]``, or the first values and the count for long vectors (for titles)."""
    shown = ", ".join(f"{v:.4g}" for v in z[:limit])
    return f"[{shown}]" if len(z) <= limit else f"[{shown}, … ({len(z)} values)]"


def top_classes(p: np.ndarray) -> np.ndarray:
    """The indices of the largest probability (several on a tie)."""
    return np.flatnonzero(p == p.max())


# --- figures ------------------------------------------------------------------------------------

ACCENT = PALETTE[5]  # vermillion: the top class
MUTED = "rgba(128, 128, 128, 0.55)"


def _room_for_legend(fig: go.Figure, present: bool) -> None:
    """A two-line title at the very top, the legend (up to two rows on a phone) under it."""
    fig.update_layout(
        title={"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 16}},
        margin={"t": 150 if present else 110},
        height=fig.layout.height + 40,
    )


def _swatches(fig: go.Figure, accent_label: str, *, others: bool, muted: bool = False) -> None:
    """Legend-only entries (no data) for the two looks of one bar trace: the hatched accent
    bars and, when there are any, the plain "other classes" ones. The figure needs
    ``barmode="overlay"`` so that these empty bars take no slot beside the real ones."""
    kinds = [(accent_label, ACCENT, "/")] + ([("other classes", PALETTE[0], "")] if others else [])
    for label, colour, shape in kinds:
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=label,
                marker={"color": MUTED if muted else colour, "pattern": {"shape": shape}},
                hoverinfo="skip",
            )
        )


def _class_axis(fig: go.Figure, labels: Sequence[str]) -> None:
    n = len(labels)
    if n <= 40:
        fig.update_xaxes(
            tickmode="array", tickvals=list(range(n)), ticktext=[plotly_text(s) for s in labels]
        )
    fig.update_xaxes(range=[-0.6, n - 0.4])


def probability_figure(
    p: np.ndarray,
    labels: Sequence[str],
    *,
    title: str,
    present: bool = False,
    muted: bool = False,
    guess: float | None = None,
) -> go.Figure:
    """Bars of p (trace ``p``), the top class highlighted (colour and hatching), the 1/n line."""
    n = len(p)
    top = set(top_classes(p).tolist())
    colours = [MUTED if muted else (ACCENT if i in top else PALETTE[0]) for i in range(n)]
    patterns = ["/" if i in top else "" for i in range(n)]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=p,
            name="p",
            showlegend=False,  # one trace, two looks: the legend entries below explain both
            marker={"color": colours, "pattern": {"shape": patterns}},
            text=[f"{v:.2f}" for v in p] if n <= 20 else None,
            textposition="outside",
            customdata=[plotly_text(s) for s in labels],
            hovertemplate="%{customdata}: p = %{y:.4g}<extra></extra>",
        )
    )
    _swatches(
        fig,
        "top class" if len(top) == 1 else "top classes (tie)",
        others=len(top) < n,
        muted=muted,
    )
    fig.add_trace(
        go.Scatter(
            x=[-0.5, n - 0.5],
            y=[1.0 / n, 1.0 / n],
            mode="lines",
            name="uniform 1/n",
            line={"color": PALETTE[2], "dash": "dash", "width": line_width(present)},
            hoverinfo="skip",
        )
    )
    if guess is not None:
        fig.add_trace(
            go.Scatter(
                x=[-0.5, n - 0.5],
                y=[guess, guess],
                mode="lines",
                name="your guess",
                line={"color": PALETTE[3], "dash": "dot", "width": line_width(present)},
                hoverinfo="skip",
            )
        )
    base_layout(fig, title=title, x_title="class", y_title="probability", present=present)
    # overlay: the empty legend-only bars must not take a slot beside each bar of p; legend
    # clicks would only hide those empty swatches, so they are off.
    fig.update_layout(
        hovermode="closest",
        showlegend=True,
        barmode="overlay",
        legend={"itemclick": False, "itemdoubleclick": False},
    )
    _room_for_legend(fig, present)
    fig.update_yaxes(range=[0, 1.12])
    _class_axis(fig, labels)
    return fig


def gradient_figure(
    grad: np.ndarray, labels: Sequence[str], target: int, *, title: str, present: bool = False
) -> go.Figure:
    """Bars of ∂L/∂z = (p − onehot(y))/T (trace ``gradient``), the true class hatched."""
    n = len(grad)
    fig = go.Figure(
        go.Bar(
            x=np.arange(n),
            y=grad,
            name="gradient",
            marker={
                "color": [ACCENT if i == target else PALETTE[0] for i in range(n)],
                "pattern": {"shape": ["/" if i == target else "" for i in range(n)]},
            },
            customdata=[plotly_text(s) for s in labels],
            hovertemplate="%{customdata}: ∂L/∂z = %{y:.4g}<extra></extra>",
            showlegend=False,
        )
    )
    _swatches(fig, "true class y", others=n > 1)
    base_layout(fig, title=title, x_title="class", y_title="∂L/∂z", present=present)
    fig.update_layout(
        hovermode="closest",
        showlegend=True,
        barmode="overlay",
        legend={"itemclick": False, "itemdoubleclick": False},
    )
    _room_for_legend(fig, present)
    _class_axis(fig, labels)
    return fig


def jacobian_figure(
    jac: np.ndarray, labels: Sequence[str], *, title: str, present: bool = False
) -> go.Figure:
    """Heatmap of J[i, j] = ∂p_i/∂z_j (trace ``jacobian``), diverging colours centred on 0."""
    n = len(labels)
    names = [plotly_text(s) for s in labels]
    fig = go.Figure(
        go.Heatmap(
            z=jac,
            x=np.arange(n),
            y=np.arange(n),
            name="jacobian",
            colorscale="RdBu",
            zmid=0.0,
            customdata=[[(names[i], names[j]) for j in range(n)] for i in range(n)],
            hovertemplate="∂p(%{customdata[0]})/∂z(%{customdata[1]}) = %{z:.4g}<extra></extra>",
            colorbar={"title": {"text": "∂pᵢ/∂zⱼ"}},
        )
    )
    base_layout(
        fig, title=title, x_title="j (logit moved)", y_title="i (probability)", present=present
    )
    fig.update_layout(hovermode="closest", height=fig.layout.height)
    ticks = {"tickmode": "array", "tickvals": list(range(n)), "ticktext": names}
    fig.update_xaxes(**ticks)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", **ticks)
    return fig


def sigmoid_figure(
    p: np.ndarray, sig: np.ndarray, labels: Sequence[str], *, title: str, present: bool = False
) -> go.Figure:
    """Softmax p_i (trace ``softmax p``) beside σ(z_i/T) per logit (trace ``σ(z/T)``)."""
    n = len(p)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=np.arange(n), y=p, name="softmax p", marker={"color": PALETTE[0]}),
    )
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=sig,
            name="σ(z/T)",
            marker={"color": PALETTE[1], "pattern": {"shape": "x"}},
        )
    )
    base_layout(fig, title=title, x_title="class", y_title="value", present=present)
    fig.update_layout(barmode="group", hovermode="x unified")
    _room_for_legend(fig, present)
    fig.update_yaxes(range=[0, 1.05])
    _class_axis(fig, labels)
    return fig


# --- the charts a T move draws -----------------------------------------------------------------
#
# Built once per setting by :func:`temperature_view` (cached, shared across sessions) and frozen:
# titled with z and T so an exported PNG says what it shows. The arrays come from the core.


def probability_chart(
    z: np.ndarray, labels: tuple[str, ...], t: float, present: bool, muted: bool, p: np.ndarray
) -> go.Figure:
    """:func:`probability_figure` of ``p = softmax(z, t)``, titled with z and T."""
    return freeze(
        probability_figure(
            p,
            labels,
            title=f"softmax(z/T)<br><sup>z = {logits_summary(z)}, T = {format_t(t)}</sup>",
            present=present,
            muted=muted,
        )
    )


def gradient_chart(
    z: np.ndarray,
    labels: tuple[str, ...],
    t: float,
    target: int,
    present: bool,
    grad: np.ndarray,
    eps: float = 0.0,
) -> go.Figure:
    """:func:`gradient_figure` of ``grad = cross_entropy_grad(z, target, t, eps)``."""
    if eps == 0.0:
        head, smoothing = "∂L/∂z = (p − onehot(y))/T", ""
    else:
        head, smoothing = "∂L/∂z = (p − y_smooth)/T", f", ε = {format_eps(eps)}"
    return freeze(
        gradient_figure(
            grad,
            labels,
            target,
            title=f"{head}<br><sup>y = {target}, z = {logits_summary(z)}, "
            f"T = {format_t(t)}{smoothing}</sup>",
            present=present,
        )
    )


def jacobian_chart(
    z: np.ndarray, labels: tuple[str, ...], t: float, present: bool, jac: np.ndarray
) -> go.Figure:
    """:func:`jacobian_figure` of ``jac = softmax_jacobian(z, t)``."""
    return freeze(
        jacobian_figure(
            jac,
            labels,
            title=f"Jacobian ∂pᵢ/∂zⱼ<br><sup>z = {logits_summary(z)}, T = {format_t(t)}</sup>",
            present=present,
        )
    )


def sigmoid_chart(
    z: np.ndarray,
    labels: tuple[str, ...],
    t: float,
    present: bool,
    p: np.ndarray,
    sig: np.ndarray,
) -> go.Figure:
    """:func:`sigmoid_figure` of ``p = softmax(z, t)`` and ``sig = σ(z / t)``."""
    return freeze(
        sigmoid_figure(
            p,
            sig,
            labels,
            title=f"softmax p vs σ(z/T) per logit"
            f"<br><sup>z = {logits_summary(z)}, T = {format_t(t)}</sup>",
            present=present,
        )
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def temperature_sweep(z: np.ndarray, labels: tuple[str, ...], t: float, present: bool) -> go.Figure:
    """The in-chart sweep (``ui/sweep.py``): softmax(z/T) for every T of :data:`TEMPERATURES`,
    starting at ``t``; its own slider swaps the frames in the browser (no rerun)."""
    fig = sweep.temperature_sweep_figure(
        z,
        TEMPERATURES,
        present,
        temperature=t,
        labels=[plotly_text(s) for s in labels],
    )
    fig.layout.title.text = (
        f"softmax(z/T), T from {format_t(T_LOW)} to {format_t(T_HIGH)}"
        f"<br><sup>drag the slider in the chart · z = {logits_summary(z)}</sup>"
    )
    return freeze(fig)


# --- the pipeline table ------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.4g}"


def pipeline_columns(steps: SoftmaxSteps, labels: Sequence[str]) -> dict[str, list[str]]:
    """The stable pipeline and the naive route, one row per class, as display strings.

    Strings, not floats: the table must show ``inf`` and ``nan`` as such (a numeric column shows
    NaN as an empty cell) and tiny exponentials in scientific notation.
    """
    return {
        "class": list(labels),
        "z": [_num(v) for v in steps.z],
        "z/T": [_num(v) for v in steps.scaled],
        "z/T − max": [_num(v) for v in steps.shifted],
        "exp(z/T − max)": [_num(v) for v in steps.exps],
        "p": [_num(v) for v in steps.probs],
        "naive exp(z/T)": [_num(v) for v in steps.naive_exps],
        "naive p": [_num(v) for v in steps.naive_probs],
    }


#: Up to this many classes the pipeline is a Markdown table (cheap to send and draw); beyond it,
#: a scrolling st.dataframe.
MAX_MARKDOWN_ROWS = 50
#: The container key around the table, and constant CSS (no user text) that lets the table
#: scroll sideways inside it on a phone instead of widening the page.
PIPELINE_KEY = "softmax_pipeline"
PIPELINE_CSS = (
    f"<style>.st-key-{PIPELINE_KEY} table {{display: block; overflow-x: auto; max-width: 100%;}}"
    "</style>"
)


def pipeline_markdown(steps: SoftmaxSteps, labels: Sequence[str]) -> str:
    """:func:`pipeline_columns` as a Markdown table (cheap to send and draw).

    The labels are user text: escaped with :func:`md_escape` (``|`` included, so a label
    cannot add a column). Numbers are our own strings.
    """
    columns = pipeline_columns(steps, labels)
    columns["class"] = [md_escape(s) for s in columns["class"]]
    header = list(columns)
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in zip(*columns.values(), strict=True)]
    return "\n".join(lines)


# --- sentences ----------------------------------------------------------------------------------


def probability_sentence(p: np.ndarray, labels: Sequence[str], t: float, h_nats: float) -> str:
    """The one-sentence summary under the bars (Markdown-safe): top class, its share, entropy."""
    n = len(p)
    top = top_classes(p)
    if len(top) == 1:
        who = f"{state.shown(labels[top[0]], 30)} takes {p[top[0]]:.0%} of the probability"
    else:
        names = ", ".join(state.shown(labels[i], 30) for i in top[:3])
        more = f" and {len(top) - 3} more" if len(top) > 3 else ""
        who = f"{names}{more} tie with {p[top[0]]:.0%} each"
    if n == 1:
        spread = "entropy 0 nats (one class: it always gets probability 1)"
    else:
        h_max = math.log(n)
        spread = (
            f"entropy {h_nats:.2f} nats ({h_nats / h_max:.0%} of the maximum, "
            f"log {n} = {h_max:.2f})"
        )
    return f"At T = {format_t(t)}, {who}; {spread}."


def naive_failure(steps: SoftmaxSteps) -> str:
    """Why the naive formula breaks on these logits at this T (for ``steps.naive_fails``)."""
    if steps.naive_overflows:
        reason = "exp(z/T) overflows to inf, and inf / inf is nan"
    elif not np.all(np.isfinite(steps.naive_probs)):
        reason = "every exp(z/T) underflows to 0, and 0 / 0 is nan"
    else:
        reason = "exp(z/T) underflows towards 0 and loses digits"
    return (
        f"The naive formula exp(z/T) / Σ exp(z/T) breaks on these logits: {reason} "
        "(the last two columns). The stable route is exact."
    )


#: Above this probability of the true class, its gradient p_y − 1 is "about 0": the sentence
#: says there is (almost) nothing left to push instead of "its logit should go up".
CONFIDENT = 0.999


def gradient_sentence(grad: np.ndarray, labels: Sequence[str], target: int) -> str:
    """The summary under the gradient bars (Markdown-safe), from the gradient p − onehot(y):
    the true class's probability is 1 + grad[target], the others' are their gradients."""
    p_true = 1.0 + float(grad[target])
    others = np.delete(np.asarray(grad, dtype=np.float64), target)
    if p_true >= CONFIDENT:
        rest = (
            f"; the other classes' gradients are their probabilities, at most {others.max():.3g}"
            if others.size
            else ""
        )
        return (
            f"The gradient is {grad[target]:.3g} for the true class, about 0 because its "
            f"probability is already {p_true:.6g} ≈ 1: the loss −log p_y = "
            f"{max(0.0, -np.log(max(p_true, 1e-300))):.3g} has almost nothing left to push{rest}; "
            "it sums to 0."
        )
    largest = int(np.argmax(np.where(np.arange(len(grad)) == target, -np.inf, grad)))
    return (
        f"The gradient is {grad[target]:.3g} for the true class (p_y − 1 < 0: gradient descent "
        f"raises its logit) and ≥ 0 for every other class (their probabilities: descent lowers "
        f"their logits), largest for {state.shown(labels[largest], 30)} at "
        f"{grad[largest]:.3g}; it sums to 0."
    )


def jacobian_sentence(jac: np.ndarray) -> str:
    """The summary under the Jacobian heatmap."""
    return (
        f"Diagonal entries are ≥ 0 (raising a logit raises its own probability; the largest "
        f"here is {jac.diagonal().max():.3g}), off-diagonal ones are ≤ 0 (it lowers the "
        "others), and every row and column sums to 0 because the probabilities always sum "
        "to 1."
    )


def sigmoid_sentence(
    p: np.ndarray, sig: np.ndarray, pair: float | None, sig_pair: float | None
) -> str:
    """The summary under the softmax-vs-sigmoid bars, with the two-class check: ``pair`` =
    softmax([z₀, z₁]/T)₀ and ``sig_pair`` = σ((z₀ − z₁)/T) (None: one logit, or z₀ − z₁
    overflows)."""
    text = (
        f"The softmax probabilities sum to {p.sum():.3g}; the per-logit sigmoids sum to "
        f"{sig.sum():.3g}, because each sigmoid looks at one logit alone."
    )
    if pair is not None:
        text += (
            " Two classes reduce to a sigmoid: for your first two logits, "
            f"softmax([z₀, z₁]/T)₀ = {pair:.6g}"
        )
        if sig_pair is not None:
            text += f" and σ((z₀ − z₁)/T) = {sig_pair:.6g}"
        text += "."
    return text


# --- sparse alternatives: sparsemax and 1.5-entmax ----------------------------------------------

#: The three maps the comparison draws, in order: display name (also the bar trace's name).
SPARSE_MAPS: tuple[str, ...] = ("softmax", "sparsemax", "1.5-entmax")
_SPARSE_STYLE = {
    "softmax": {"color": PALETTE[0], "pattern": ""},
    "sparsemax": {"color": PALETTE[5], "pattern": "/"},
    "1.5-entmax": {"color": PALETTE[2], "pattern": "."},
}


def sparse_probabilities(z: np.ndarray, t: float) -> dict[str, np.ndarray]:
    """softmax, sparsemax and 1.5-entmax of z/T (the core's), keyed by :data:`SPARSE_MAPS`."""
    return {"softmax": softmax(z, t), "sparsemax": sparsemax(z, t), "1.5-entmax": entmax15(z, t)}


def sparse_jacobians(z: np.ndarray, t: float) -> dict[str, np.ndarray]:
    """The three maps' Jacobians ∂pᵢ/∂zⱼ at z/T (the core's)."""
    return {
        "softmax": softmax_jacobian(z, t),
        "sparsemax": sparsemax_jacobian(z, t),
        "1.5-entmax": entmax15_jacobian(z, t),
    }


def sparse_figure(
    probs: dict[str, np.ndarray],
    labels: Sequence[str],
    *,
    title: str,
    present: bool = False,
    muted: bool = False,
) -> go.Figure:
    """Grouped bars of the three maps (traces named as in :data:`SPARSE_MAPS`), 0s included."""
    n = len(labels)
    fig = go.Figure()
    names = [plotly_text(s) for s in labels]
    for name in SPARSE_MAPS:
        style = _SPARSE_STYLE[name]
        p = probs[name]
        fig.add_trace(
            go.Bar(
                x=np.arange(n),
                y=p,
                name=name,
                marker={
                    "color": MUTED if muted else style["color"],
                    "pattern": {"shape": style["pattern"]},
                },
                customdata=names,
                hovertemplate=f"{name}: %{{customdata}} p = %{{y:.4g}}<extra></extra>",
            )
        )
    base_layout(fig, title=title, x_title="class", y_title="probability", present=present)
    fig.update_layout(barmode="group", hovermode="closest")
    _room_for_legend(fig, present)
    fig.update_yaxes(range=[0, 1.05])
    _class_axis(fig, labels)
    return fig


def sparse_jacobian_figure(
    jacs: dict[str, np.ndarray], labels: Sequence[str], *, title: str, present: bool = False
) -> go.Figure:
    """Three heatmaps side by side on one colour scale centred on 0 (traces ``<map> Jacobian``).

    Three x/y axis pairs laid out by hand (``make_subplots`` costs more than the rest of the
    figure together), the panel titles as annotations.
    """
    n = len(labels)
    names = [plotly_text(s) for s in labels]
    bound = max(float(np.max(np.abs(j))) for j in jacs.values()) or 1.0
    custom = [[(names[i], names[j]) for j in range(n)] for i in range(n)]
    fig = go.Figure()
    ticks = {"tickmode": "array", "tickvals": list(range(n)), "ticktext": names} if n <= 12 else {}
    layout: dict[str, object] = {}
    for col, name in enumerate(SPARSE_MAPS):
        suffix = "" if col == 0 else str(col + 1)
        fig.add_trace(
            go.Heatmap(
                z=jacs[name],
                x=np.arange(n),
                y=np.arange(n),
                name=f"{name} Jacobian",
                coloraxis="coloraxis",
                customdata=custom,
                hovertemplate=f"{name}: ∂p(%{{customdata[0]}})/∂z(%{{customdata[1]}}) = "
                "%{z:.4g}<extra></extra>",
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
            )
        )
        left = col * 0.345
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + 0.31],
            "anchor": f"y{suffix}",
            **ticks,
            **({"title": {"text": "j (logit moved)"}} if col == 1 else {}),
        }
        # Row names once, on the left: three narrow panels still fit a phone's width.
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "showticklabels": col == 0,
            **ticks,
            **({"title": {"text": "i (probability)"}} if col == 0 else {}),
        }
        fig.add_annotation(
            text=name,
            x=left + 0.155,
            y=1.0,
            xref="paper",
            yref="paper",
            xanchor="center",
            yanchor="bottom",
            showarrow=False,
            font={"size": 18 if present else 14},
        )
    base_layout(fig, title=title, x_title="", y_title="", present=present)
    fig.update_layout(
        **layout,
        hovermode="closest",
        coloraxis={
            "colorscale": "RdBu",
            "cmin": -bound,
            "cmax": bound,
            # Below the panels, not beside them: the three panels keep a phone's whole width.
            "colorbar": {
                "title": {"text": "∂pᵢ/∂zⱼ", "side": "right"},
                "orientation": "h",
                "y": -0.42,
                "yanchor": "top",
                "thickness": 12,
                "len": 0.6,
            },
        },
        height=(500 if present else 420),
        margin={"t": 110 if present else 90, "b": 110},
    )
    return fig


#: The corners of the 3-class simplex (an equilateral triangle) in the plane.
_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3.0) / 2.0]])


def simplex_xy(p: np.ndarray) -> np.ndarray:
    """Barycentric → plane: each row (p₀, p₁, p₂) goes to p₀·c₀ + p₁·c₁ + p₂·c₂."""
    return np.asarray(p) @ _CORNERS


@st.cache_resource(max_entries=64, show_spinner=False)
def simplex_paths(z: np.ndarray) -> dict[str, np.ndarray]:
    """Each map of z/T for every T of :data:`TEMPERATURES`, shape (len(TEMPERATURES), 3).

    Cached by z alone (a T move reuses it); the arrays are shared, so read-only."""
    paths = {
        name: np.stack([f(z, t) for t in TEMPERATURES])
        for name, f in (("softmax", softmax), ("sparsemax", sparsemax), ("1.5-entmax", entmax15))
    }
    for a in paths.values():
        a.flags.writeable = False
    return paths


def simplex_figure(
    paths: dict[str, np.ndarray],
    probs: dict[str, np.ndarray],
    labels: Sequence[str],
    *,
    title: str,
    present: bool = False,
) -> go.Figure:
    """The 3-class simplex: a triangle whose corners are the one-hot vectors.

    Per map, its path as T runs over :data:`TEMPERATURES` (trace ``<map> path``) and its point
    at the current T (trace ``<map>(z/T)``). A point on an edge has an exact 0.
    """
    fig = go.Figure()
    outline = np.vstack([_CORNERS, _CORNERS[:1]])
    fig.add_trace(
        go.Scatter(
            x=outline[:, 0],
            y=outline[:, 1],
            mode="lines",
            name="simplex",
            line={"color": "rgba(128, 128, 128, 0.8)", "width": 1},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for k, (cx, cy) in enumerate(_CORNERS):
        fig.add_annotation(
            x=cx,
            y=cy,
            text=plotly_text(labels[k]) + " = 1",
            showarrow=False,
            yshift=14 if k == 2 else -16,
            xshift=0 if k == 2 else (-20 if k == 0 else 20),
        )
    temps = [format_t(t) for t in TEMPERATURES]
    for name in SPARSE_MAPS:
        style = _SPARSE_STYLE[name]
        xy = simplex_xy(paths[name])
        fig.add_trace(
            go.Scatter(
                x=xy[:, 0],
                y=xy[:, 1],
                mode="lines",
                name=f"{name} path",
                line={
                    "color": style["color"],
                    "width": line_width(present) / 2,
                    "dash": "dot" if name == "softmax" else "solid",
                },
                customdata=temps,
                hovertemplate=f"{name}, T = %{{customdata}}<extra></extra>",
                showlegend=False,
            )
        )
        here = simplex_xy(probs[name])
        p = probs[name]
        fig.add_trace(
            go.Scatter(
                x=[here[0]],
                y=[here[1]],
                mode="markers",
                name=f"{name}(z/T)",
                marker={
                    "color": style["color"],
                    "size": 16 if present else 12,
                    "symbol": {"softmax": "circle", "sparsemax": "square", "1.5-entmax": "diamond"}[
                        name
                    ],
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"{name}: p = ({p[0]:.3g}, {p[1]:.3g}, {p[2]:.3g})<extra></extra>",
            )
        )
    base_layout(fig, title=title, x_title="", y_title="", present=present)
    fig.update_layout(hovermode="closest", showlegend=True)
    _room_for_legend(fig, present)
    fig.update_xaxes(visible=False, range=[-0.15, 1.15])
    fig.update_yaxes(visible=False, range=[-0.12, 1.0], scaleanchor="x")
    return fig


def _names(idx: Sequence[int], labels: Sequence[str], limit: int = 3) -> str:
    shown_ = ", ".join(state.shown(labels[i], 30) for i in list(idx)[:limit])
    return shown_ + (f" and {len(idx) - limit} more" if len(idx) > limit else "")


def sparse_sentence(probs: dict[str, np.ndarray], labels: Sequence[str], t: float) -> str:
    """How many classes each map keeps at this T, which get exactly 0 (Markdown-safe)."""
    n = len(labels)
    if n == 1:
        return f"At T = {format_t(t)}, one class: all three maps give it probability 1."
    p_soft = probs["softmax"]
    parts = []
    smallest = float(p_soft.min())
    soft = f"softmax gives all {n} classes a positive probability (the smallest is {smallest:.3g}"
    underflow = int(np.count_nonzero(p_soft == 0.0))
    if underflow:
        soft += (
            f": {underflow} of them are below 5e−324, the smallest positive float64, and round "
            "to 0, although mathematically they are positive"
        )
    parts.append(soft + ")")
    for name in ("sparsemax", "1.5-entmax"):
        p = probs[name]
        dropped = np.flatnonzero(p == 0.0)
        kept = n - len(dropped)
        text = f"{name} keeps {kept} of {n}"
        if len(dropped):
            text += f" and gives exactly 0 to {_names(dropped, labels)}"
        parts.append(text)
    return f"At T = {format_t(t)}, " + "; ".join(parts) + "."


def sparse_jacobian_sentence(jacs: dict[str, np.ndarray], n: int) -> str:
    """How many rows of each Jacobian are exactly 0: classes that pass no gradient back."""
    counts = {name: int(np.sum(~jacs[name].any(axis=1))) for name in SPARSE_MAPS}
    return (
        "Rows (and columns) that are exactly 0 belong to classes whose logit receives no "
        f"gradient: softmax {counts['softmax']}, sparsemax {counts['sparsemax']}, 1.5-entmax "
        f"{counts['1.5-entmax']}, of {n}. Every row and column sums to 0 for all three."
    )


def simplex_place(p: np.ndarray, labels: Sequence[str]) -> str:
    """Where a 3-class distribution sits in the triangle: inside, on an edge, at a corner."""
    zeros = np.flatnonzero(p == 0.0)
    if len(zeros) == 0:
        return "inside the triangle"
    if len(zeros) == 1:
        a, b = (i for i in range(3) if i != zeros[0])
        return (
            f"on the edge {state.shown(labels[a], 20)}–{state.shown(labels[b], 20)} "
            f"({state.shown(labels[zeros[0]], 20)} gets 0)"
        )
    (corner,) = np.flatnonzero(p > 0.0)
    return f"at the corner {state.shown(labels[corner], 20)} (a one-hot)"


def simplex_sentence(probs: dict[str, np.ndarray], labels: Sequence[str], t: float) -> str:
    return (
        f"At T = {format_t(t)}: "
        + "; ".join(f"{name} is {simplex_place(probs[name], labels)}" for name in SPARSE_MAPS)
        + ". The lines are each map's path as T runs from "
        f"{format_t(T_LOW)} to {format_t(T_HIGH)}."
    )


# --- label smoothing ----------------------------------------------------------------------------

#: The label-smoothing slider: ε from 0 to 1 (PyTorch's accepted range) in steps of 0.01.
EPS_LOW, EPS_HIGH, EPS_STEP, EPS_DEFAULT = 0.0, 1.0, 0.01, 0.0


def format_eps(eps: float) -> str:
    return f"{eps:g}"


def optimal_gap_sentence(n: int, eps: float) -> str:
    """Why the optimal logit gap is finite with ε > 0 (and infinite at ε = 0), computed."""
    if n < 2:
        return "With one class there is nothing to smooth: the target is 1 whatever ε is."
    if eps == 0.0:
        return (
            "With ε = 0 the target is one-hot, and the loss −log p_y keeps falling as the true "
            "class's logit pulls away from the others: there is no finite optimum, so training "
            "keeps pushing the gap (z_y − z_j)/T towards infinity. Move ε above 0 to see the "
            "optimum become finite."
        )
    high, low = 1.0 - eps + eps / n, eps / n
    gap = optimal_logit_gap(n, eps)
    return (
        f"With ε = {format_eps(eps)} and n = {n}, the loss is smallest when p equals the "
        f"smoothed target, i.e. when every other logit sits below the true class's by "
        f"(z_y − z_j)/T = log({high:.4g} / {low:.4g}) = **{gap:.4g}**: a finite gap, so "
        "the gradient stops pushing the logits apart there"
        + (" (at ε = 1 the target is uniform and the optimal gap is 0)." if eps == 1.0 else ".")
    )


def smoothing_sentence(
    z: np.ndarray, target: int, t: float, eps: float, grad: np.ndarray, y_smooth: np.ndarray
) -> str:
    """The smoothed target, the current gap and which way the gradient moves the true logit."""
    n = len(z)
    if n < 2:
        return "One class: the target is 1 and the loss is 0."
    others = np.delete(z, target)
    with np.errstate(over="ignore"):  # (z_y − max)/T for display: may be beyond float64
        gap = (z[target] * 0.5 - others.max() * 0.5) / t * 2.0
    gap_text = f"{gap:.4g}" if math.isfinite(gap) else "beyond float64's range"
    other = 1 if target == 0 else 0
    target_text = (
        f"The smoothed target is {y_smooth[target]:.4g} for the true class and "
        f"{y_smooth[other]:.4g} for each of the other {n - 1}"
    )
    g = float(grad[target])
    if g < 0:
        way = "negative: the true class's logit should still go up"
    elif g > 0:
        way = (
            "positive: the prediction is more confident than the target, so the true "
            "class's logit should come down"
        )
    else:
        way = "0: no push on the true class's logit"
    best = optimal_logit_gap(n, eps)
    best_text = f"{best:.4g}" if math.isfinite(best) else "infinite"
    return (
        f"{target_text}. Your gap (z_y − max other)/T is {gap_text}; the optimum is "
        f"{best_text}. The gradient for the true class is {g:.3g}, {way}."
    )


# --- everything one temperature shows -----------------------------------------------------------

#: Classes up to which the Jacobian heatmap is drawn: an n×n heatmap beyond that is unreadable.
MAX_JACOBIAN = 40


@dataclass(frozen=True)
class TemperatureView:
    """What the Softmax page shows for one setting of the logits, labels, T and true class.

    Shared across sessions by :func:`temperature_view`: its arrays are read-only and its
    figures frozen. The loss fields are None without a true class, the Jacobian's above
    :data:`MAX_JACOBIAN` classes; ``pipeline`` is a Markdown table up to
    :data:`MAX_MARKDOWN_ROWS` classes and :func:`pipeline_columns` beyond. With label smoothing
    ε > 0 the gradient is (p − y_smooth)/T and ``smoothed_loss`` is set (``loss`` stays −log p_y).
    The sparse fields compare softmax, sparsemax and 1.5-entmax of the same z/T; the simplex
    only for exactly 3 classes. ``sparse_probs`` is always set (the CSV's columns); the sparse
    charts and sentences only when the view was asked for them (``sparse=True``).
    """

    probs: np.ndarray
    entropy_nats: float
    entropy_bits: float
    probability_chart: go.Figure
    probability_sentence: str
    pipeline: str | dict[str, list[str]]
    naive_failure: str | None  # why the naive formula breaks here, if it does
    loss: float | None
    p_target: float | None
    grad: np.ndarray | None
    gradient_chart: go.Figure | None
    gradient_sentence: str | None
    jacobian_chart: go.Figure | None
    jacobian_sentence: str | None
    sigmoid_chart: go.Figure
    sigmoid_sentence: str
    # label smoothing (None without a true class; ``smoothed_loss`` None at ε = 0)
    y_smooth: np.ndarray | None = None
    smoothed_loss: float | None = None
    # softmax, sparsemax and 1.5-entmax side by side
    sparse_probs: dict[str, np.ndarray] | None = None
    sparse_chart: go.Figure | None = None
    sparse_sentence: str | None = None
    sparse_jacobian_chart: go.Figure | None = None  # None above MAX_JACOBIAN classes
    sparse_jacobian_sentence: str | None = None
    simplex_chart: go.Figure | None = None  # exactly 3 classes only
    simplex_sentence: str | None = None


@st.cache_resource(max_entries=128, show_spinner=False)
def temperature_view(
    *,
    z: np.ndarray,
    labels: tuple[str, ...],
    t: float,
    target: int | None,
    present: bool,
    muted: bool,
    label_smoothing: float = 0.0,
    sparse: bool = False,
) -> TemperatureView:
    """Every number, figure and sentence a move of T redraws, from the core, for one setting.

    ``label_smoothing`` (ε) changes only the loss fields: the gradient becomes (p − y_smooth)/T.
    ``sparse`` (the page's toggle of the same name): build the sparse section's charts and
    sentences too. Off, a move builds only what the page draws without that section; the
    sparsemax and 1.5-entmax probabilities (three small core calls) are computed either way.

    One cached call per move instead of one per figure and table: each cached call hashes its
    arguments again, and the core's small computations are not redone either. Keyword-only:
    Streamlit looks up the name of every positional argument of a cached call (through
    ``inspect.signature``), which made a hit cost ~0.2 ms instead of ~0.1 ms.
    """
    steps = softmax_steps(z, t)
    p = read_only(steps.probs)
    h_nats = float(entropy(p))
    eps = float(label_smoothing)
    loss = p_target = grad = grad_fig = grad_text = jac_fig = jac_text = None
    y_smooth = smoothed_loss = None
    if target is not None:
        loss = float(cross_entropy(z, target, t))
        p_target = float(p[target])
        grad = read_only(cross_entropy_grad(z, target, t, label_smoothing=eps))
        grad_fig = gradient_chart(z, labels, t, target, present, grad, eps)
        y_smooth = read_only(smoothed_target(target, len(z), eps))
        if eps == 0.0:
            grad_text = gradient_sentence(grad, labels, target)
        else:
            smoothed_loss = float(cross_entropy(z, target, t, label_smoothing=eps))
            grad_text = smoothing_sentence(z, target, t, eps, grad, y_smooth)  # signs may flip
    if len(z) <= MAX_JACOBIAN:
        jac = softmax_jacobian(z, t)
        jac_fig = jacobian_chart(z, labels, t, present, jac)
        jac_text = jacobian_sentence(jac)
    sparse_charts = bool(sparse)
    sparse = {name: read_only(a) for name, a in sparse_probabilities(z, t).items()}
    sparse["softmax"] = p  # the same numbers as the bars above, bit for bit
    subtitle = f"<br><sup>z = {logits_summary(z)}, T = {format_t(t)}</sup>"
    sparse_fig = sparse_text = sparse_jac_fig = sparse_jac_text = simplex_fig = simplex_text = None
    if sparse_charts:
        sparse_fig = freeze(
            sparse_figure(
                sparse,
                labels,
                title="softmax, sparsemax and 1.5-entmax of z/T" + subtitle,
                present=present,
                muted=muted,
            )
        )
        sparse_text = sparse_sentence(sparse, labels, t)
    if sparse_charts and len(z) <= MAX_JACOBIAN:
        jacs = sparse_jacobians(z, t)
        sparse_jac_fig = freeze(
            sparse_jacobian_figure(
                jacs, labels, title="Jacobians ∂pᵢ/∂zⱼ" + subtitle, present=present
            )
        )
        sparse_jac_text = sparse_jacobian_sentence(jacs, len(z))
    if sparse_charts and len(z) == 3:
        simplex_fig = freeze(
            simplex_figure(
                simplex_paths(z),
                sparse,
                labels,
                title="The probability simplex: where each map puts z/T" + subtitle,
                present=present,
            )
        )
        simplex_text = simplex_sentence(sparse, labels, t)
    sigmoid = ACTIVATIONS["sigmoid"].forward
    sig = sigmoid(steps.scaled)
    pair = sig_pair = None  # the two-class check on the first two logits
    if len(z) >= 2:
        pair = float(softmax(z[:2], t)[0])
        half_gap = z[0] * 0.5 - z[1] * 0.5  # (z₀ − z₁)/2 cannot overflow; z₀ − z₁ can
        if abs(half_gap) <= 1e300:
            sig_pair = float(sigmoid(2.0 * half_gap / t))
    return TemperatureView(
        probs=p,
        entropy_nats=h_nats,
        entropy_bits=float(entropy(p, base=2)),
        probability_chart=probability_chart(z, labels, t, present, muted, p),
        probability_sentence=probability_sentence(p, labels, t, h_nats),
        pipeline=(
            pipeline_markdown(steps, labels)
            if len(z) <= MAX_MARKDOWN_ROWS
            else pipeline_columns(steps, labels)
        ),
        naive_failure=naive_failure(steps) if steps.naive_fails else None,
        loss=loss,
        p_target=p_target,
        grad=grad,
        gradient_chart=grad_fig,
        gradient_sentence=grad_text,
        jacobian_chart=jac_fig,
        jacobian_sentence=jac_text,
        sigmoid_chart=sigmoid_chart(z, labels, t, present, p, sig),
        sigmoid_sentence=sigmoid_sentence(p, sig, pair, sig_pair),
        y_smooth=y_smooth,
        smoothed_loss=smoothed_loss,
        sparse_probs=sparse,
        sparse_chart=sparse_fig,
        sparse_sentence=sparse_text,
        sparse_jacobian_chart=sparse_jac_fig,
        sparse_jacobian_sentence=sparse_jac_text,
        simplex_chart=simplex_fig,
        simplex_sentence=simplex_text,
    )


# --- predict, then reveal -----------------------------------------------------------------------

QUIZ_ID = "softmax/"
TIE = "a tie: the top classes share it equally"
T_INF_OPTIONS = (
    "all of it goes to the largest logit",
    "every class gets 1/n",
    "the probabilities become proportional to the logits",
    "every probability goes to 0",
)
T_INF_ANSWER = T_INF_OPTIONS[1]
GUESS_TOLERANCE = 0.05


def quiz_logits(seed: int) -> tuple[np.ndarray, float]:
    """The quiz's logits (3–5 halves in [−3, 3], so ties happen) and temperature, from a seed."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 6))
    z = rng.integers(-6, 7, size=n).astype(np.float64) / 2.0
    t = float(rng.choice([0.5, 1.0, 2.0]))
    return z, t


def sparsemax_threshold(z: np.ndarray, t: float) -> float:
    """τ of sparsemax(z/T): p_i = z_i/T − τ on the support (for the quiz's small logits)."""
    p = sparsemax(z, t)
    i = int(np.argmax(p))
    return float(z[i] / t - p[i])


def class_option(i: int, z: np.ndarray) -> str:
    return f"class {i} (z = {z[i]:g})"


def cold_answer(p_cold: np.ndarray, z: np.ndarray) -> str:
    """The right option for "which class wins as T → 0", from softmax at a tiny T (core's)."""
    winners = np.flatnonzero(np.isclose(p_cold, p_cold.max(), rtol=1e-9, atol=0.0))
    return class_option(int(winners[0]), z) if len(winners) == 1 else TIE
