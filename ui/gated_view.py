"""Figures and computed text for the explorer's gated-units section (activations.gated).

A gated unit f(a, b) = a·g(b) has two inputs, so it is drawn as what it is: contours over the
(a, b) plane of f or of one of its gradients, with the cut b = a marked; then that cut as a
curve beside the gate g itself, which is why SwiGLU is not Swish; then the ⅔-width rule with
the parameter counts computed for a chosen model width. Every number comes from the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from activations import gated as core
from ui.plotting import DF_LINE, F_LINE, PALETTE, base_layout, freeze, line_width

LIMIT = 4.0  # the plane shown: a, b ∈ [−LIMIT, LIMIT]
GRID = 81  # points per axis: a step of 0.1, ~70 kB of contour data per chart
CUT_POINTS = 401
VIEWS = {"f": "f(a, b)", "da": "∂f/∂a", "db": "∂f/∂b"}
D_MODEL_LOW, D_MODEL_HIGH, D_MODEL_STEP, D_MODEL_DEFAULT = 256, 16384, 256, 4096
PLAIN_RATIO = 4  # the plain FFN's hidden width is 4·d (the original Transformer's)
MULTIPLE_OF = 256  # LLaMA rounds the gated width up to a multiple of 256
_GATE_NAMES = {"sigmoid": "σ", "relu": "ReLU", "gelu": "GELU", "swish": "Swish"}


def _axis() -> np.ndarray:
    return np.linspace(-LIMIT, LIMIT, GRID)


def surface(unit: str, which: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, z) with z[i, j] the chosen quantity at (a[j], b[i]): f, ∂f/∂a or ∂f/∂b."""
    if which not in VIEWS:
        raise ValueError(f"which must be one of {sorted(VIEWS)}, not {which!r}")
    a = _axis()
    b = _axis()
    aa, bb = np.meshgrid(a, b)
    if which == "f":
        z = core.gated_forward(unit, aa, bb)
    else:
        da, db = core.gated_gradients(unit, aa, bb)
        z = da if which == "da" else db
    return a, b, z


def surface_figure(unit: str, which: str, present: bool) -> go.Figure:
    """Filled contours of f, ∂f/∂a or ∂f/∂b over the plane (0 white), and the line b = a."""
    u = core.GATED_UNITS[unit]
    a, b, z = surface(unit, which)
    fig = go.Figure(
        go.Contour(
            x=a,
            y=b,
            z=z,
            name=VIEWS[which],
            colorscale="RdBu",
            reversescale=True,
            zmid=0.0,
            ncontours=24,
            contours={"showlabels": True, "labelfont": {"size": 14 if present else 11}},
            colorbar={"title": {"text": VIEWS[which]}},
            hovertemplate="a = %{x:.3g}<br>b = %{y:.3g}<br>"
            + VIEWS[which]
            + " = %{z:.4g}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[-LIMIT, LIMIT],
            y=[-LIMIT, LIMIT],
            name="the cut b = a",
            mode="lines",
            line={"color": "black", "dash": "dash", "width": line_width(present)},
            hoverinfo="skip",
        )
    )
    fig = base_layout(
        fig,
        title=f"{u.label}: {VIEWS[which]} for a, b ∈ [−{LIMIT:g}, {LIMIT:g}]",
        x_title="a (the value path)",
        y_title="b (the gate's input)",
        present=present,
    )
    fig.update_layout(hovermode="closest")
    # A square plane (b = a at 45°): the plot area shrinks to fit, the ranges stay [−4, 4].
    fig.update_xaxes(range=[-LIMIT, LIMIT], constrain="domain")
    fig.update_yaxes(range=[-LIMIT, LIMIT], scaleanchor="x", scaleratio=1, constrain="domain")
    return fig


def surface_summary(unit: str, which: str) -> str:
    """One sentence from the drawn grid: the range of the quantity and where it is 0."""
    u = core.GATED_UNITS[unit]
    _, _, z = surface(unit, which)
    zero = float(np.mean(z == 0.0))
    text = (
        f"{u.label}, {VIEWS[which]} on [−{LIMIT:g}, {LIMIT:g}]²: from {_fmt(float(z.min()))} "
        f"to {_fmt(float(z.max()))}"
    )
    if zero > 0:
        text += f"; exactly 0 on {100 * zero:.0f}% of the grid"
    return text + "."


@dataclass(frozen=True)
class Cut:
    x: np.ndarray
    cut: np.ndarray  # f(x, x) = x·g(x)
    gate: np.ndarray  # f(1, x) = g(x)


def cut(unit: str) -> Cut:
    x = np.linspace(-LIMIT, LIMIT, CUT_POINTS)
    return Cut(x=x, cut=core.on_diagonal(unit, x)[0], gate=core.gated_forward(unit, 1.0, x))


def _gate_name(unit: str) -> str:
    return _GATE_NAMES[core.GATED_UNITS[unit].gate]


def cut_figure(unit: str, present: bool) -> go.Figure:
    """The cut b = a, f(x, x) = x·g(x), beside the gate alone, g(x) = f(1, x)."""
    u = core.GATED_UNITS[unit]
    c = cut(unit)
    g = _gate_name(unit)
    width = line_width(present)
    fig = go.Figure(
        [
            go.Scatter(
                x=c.x,
                y=c.cut,
                name=f"f(x, x) = x·{g}(x): the cut b = a",
                mode="lines",
                line={**F_LINE, "width": width},
            ),
            go.Scatter(
                x=c.x,
                y=c.gate,
                name=f"f(1, x) = {g}(x): the gate alone",
                mode="lines",
                line={**DF_LINE, "color": PALETTE[2], "width": width},
            ),
        ]
    )
    return base_layout(
        fig,
        title=f"{u.label} along b = a, beside its gate {g}",
        x_title="x",
        y_title="value",
        present=present,
    )


def cut_summary(unit: str) -> str:
    """What the cut shows, with the values at the right end computed."""
    c = cut(unit)
    g = _gate_name(unit)
    label = core.GATED_UNITS[unit].label.split(" ")[0]
    end = float(c.x[-1])
    text = (
        f"On the cut b = a, {label} is x·{g}(x): at x = {end:g} it is {_fmt(float(c.cut[-1]))}, "
        f"where {g}({end:g}) alone is {_fmt(float(c.gate[-1]))}."
    )
    if unit == "swiglu":
        text += (
            " It grows like x², so SwiGLU is not Swish: Swish is the gate of one of its two "
            "inputs (SwiGLU with a = 1)."
        )
    elif unit == "glu":
        text += " GLU's cut x·σ(x) is exactly Swish (SiLU)."
    return text


@dataclass(frozen=True)
class WidthRule:
    """The ⅔-width rule for one model width d (see :func:`activations.gated_hidden_width`)."""

    d_model: int
    plain_hidden: int
    plain_params: int
    exact_hidden: int  # ⅔ of the plain width, truncated: the same parameter count (±1 row)
    exact_params: int
    rounded_hidden: int  # rounded up to a multiple of MULTIPLE_OF, as LLaMA does
    rounded_params: int


def width_rule(d_model: int) -> WidthRule:
    plain = PLAIN_RATIO * d_model
    exact = core.gated_hidden_width(plain)
    rounded = core.gated_hidden_width(plain, MULTIPLE_OF)
    return WidthRule(
        d_model=d_model,
        plain_hidden=plain,
        plain_params=core.ffn_parameters(d_model, plain, gated=False),
        exact_hidden=exact,
        exact_params=core.ffn_parameters(d_model, exact, gated=True),
        rounded_hidden=rounded,
        rounded_params=core.ffn_parameters(d_model, rounded, gated=True),
    )


def width_markdown(rule: WidthRule) -> str:
    """The three feed-forward blocks as a Markdown table (numbers only, computed)."""

    def row(what: str, maps: str, hidden: int, params: int) -> str:
        ratio = params / rule.plain_params
        return f"| {what} | {maps} | {hidden:,} | {params:,} | {ratio:.4f} |"

    return "\n".join(
        [
            f"Feed-forward blocks of a model of width d = {rule.d_model:,} (no biases):",
            "",
            "| block | weight matrices | hidden width | parameters | × plain |",
            "|---|---|---|---|---|",
            row("plain, h = 4d", "W, W₂", rule.plain_hidden, rule.plain_params),
            row("gated, h′ = ⅔·4d", "W, V, W₂", rule.exact_hidden, rule.exact_params),
            row(
                f"gated, ⅔·4d rounded up to a multiple of {MULTIPLE_OF}",
                "W, V, W₂",
                rule.rounded_hidden,
                rule.rounded_params,
            ),
            row(
                "gated at the plain width 4d",
                "W, V, W₂",
                rule.plain_hidden,
                core.ffn_parameters(rule.d_model, rule.plain_hidden, gated=True),
            ),
        ]
    )


def _fmt(value: float) -> str:
    return f"{value:.4g}".replace("-", "−")


# --- cached wrappers ------------------------------------------------------------------------------


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_surface_figure(unit: str, which: str, present: bool) -> go.Figure:
    return freeze(surface_figure(unit, which, present))


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_cut_figure(unit: str, present: bool) -> go.Figure:
    return freeze(cut_figure(unit, present))


@st.cache_data(max_entries=32, show_spinner=False)
def cached_surface_summary(unit: str, which: str) -> str:
    return surface_summary(unit, which)
