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

from activations import ACTIVATIONS, cross_entropy, cross_entropy_grad, entropy, softmax
from activations.softmax import SoftmaxSteps, softmax_jacobian, softmax_steps
from ui import state, sweep
from ui.plotting import PALETTE, base_layout, freeze, line_width

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
) -> go.Figure:
    """:func:`gradient_figure` of ``grad = cross_entropy_grad(z, target, t)``."""
    return freeze(
        gradient_figure(
            grad,
            labels,
            target,
            title=f"∂L/∂z = (p − onehot(y))/T<br><sup>y = {target}, z = {logits_summary(z)}, "
            f"T = {format_t(t)}</sup>",
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


def gradient_sentence(grad: np.ndarray, labels: Sequence[str], target: int) -> str:
    """The summary under the gradient bars (Markdown-safe)."""
    largest = int(np.argmax(grad))
    return (
        f"The gradient is {grad[target]:.3g} for the true class (its logit should go up) and "
        f"positive for every other class (their logits should go down), largest for "
        f"{state.shown(labels[largest], 30)} at {grad[largest]:.3g}; it sums to 0."
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


# --- everything one temperature shows -----------------------------------------------------------

#: Classes up to which the Jacobian heatmap is drawn: an n×n heatmap beyond that is unreadable.
MAX_JACOBIAN = 40


@dataclass(frozen=True)
class TemperatureView:
    """What the Softmax page shows for one setting of the logits, labels, T and true class.

    Shared across sessions by :func:`temperature_view`: its arrays are read-only and its
    figures frozen. The loss fields are None without a true class, the Jacobian's above
    :data:`MAX_JACOBIAN` classes; ``pipeline`` is a Markdown table up to
    :data:`MAX_MARKDOWN_ROWS` classes and :func:`pipeline_columns` beyond.
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


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@st.cache_resource(max_entries=128, show_spinner=False)
def temperature_view(
    *,
    z: np.ndarray,
    labels: tuple[str, ...],
    t: float,
    target: int | None,
    present: bool,
    muted: bool,
) -> TemperatureView:
    """Every number, figure and sentence a move of T redraws, from the core, for one setting.

    One cached call per move instead of one per figure and table: each cached call hashes its
    arguments again, and the core's small computations are not redone either. Keyword-only:
    Streamlit looks up the name of every positional argument of a cached call (through
    ``inspect.signature``), which made a hit cost ~0.2 ms instead of ~0.1 ms.
    """
    steps = softmax_steps(z, t)
    p = _read_only(steps.probs)
    h_nats = float(entropy(p))
    loss = p_target = grad = grad_fig = grad_text = jac_fig = jac_text = None
    if target is not None:
        loss = float(cross_entropy(z, target, t))
        p_target = float(p[target])
        grad = _read_only(cross_entropy_grad(z, target, t))
        grad_fig = gradient_chart(z, labels, t, target, present, grad)
        grad_text = gradient_sentence(grad, labels, target)
    if len(z) <= MAX_JACOBIAN:
        jac = softmax_jacobian(z, t)
        jac_fig = jacobian_chart(z, labels, t, present, jac)
        jac_text = jacobian_sentence(jac)
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


def class_option(i: int, z: np.ndarray) -> str:
    return f"class {i} (z = {z[i]:g})"


def cold_answer(p_cold: np.ndarray, z: np.ndarray) -> str:
    """The right option for "which class wins as T → 0", from softmax at a tiny T (core's)."""
    winners = np.flatnonzero(np.isclose(p_cold, p_cold.max(), rtol=1e-9, atol=0.0))
    return class_option(int(winners[0]), z) if len(winners) == 1 else TIE
