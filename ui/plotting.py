"""Figure conventions every page shares: a colour-blind-safe palette, line styles, base layout.

f and f′ differ by colour *and* dash, so they stay apart in greyscale, for colour-blind readers
and on a washed-out projector. The palette is Okabe & Ito's (2008), readable on light and dark
themes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec

from activations import OneSided

# Okabe–Ito, without black/white so every colour shows on both themes.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")

F_COLOUR, DF_COLOUR = PALETTE[0], PALETTE[1]
F_LINE = {"color": F_COLOUR, "dash": "solid"}
DF_LINE = {"color": DF_COLOUR, "dash": "dash"}
SATURATION_FILL = "rgba(128, 128, 128, 0.18)"

# Plotly's toolbar PNG export: a high-resolution image for slides, named after the page.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def line_width(present: bool) -> float:
    """Thicker lines in the presenter view, for the back row."""
    return 4.0 if present else 2.2


def series_style(index: int) -> dict[str, str]:
    """Colour and dash for the index-th series of a comparison (distinct without colour)."""
    return {"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)]}


def base_layout(
    fig: go.Figure, *, title: str, x_title: str, y_title: str, present: bool = False
) -> go.Figure:
    """Title (the settings, so an exported PNG says what it shows), axes, fonts, legend."""
    size = 20 if present else 13
    fig.update_layout(
        title={"text": title, "font": {"size": size + 3}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        font={"size": size},
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 80 if present else 70, "b": 10},
        height=560 if present else 460,
    )
    if present:
        # Explicit sizes: Streamlit's chart theme sets tick, legend and title fonts itself, so
        # the layout-wide font.size alone would leave them small on the projector.
        fig.update_layout(legend_font_size=size)
        fig.update_xaxes(tickfont_size=size, title_font_size=size + 2)
        fig.update_yaxes(tickfont_size=size, title_font_size=size + 2)
    return fig


# --- jumps: where a curve must not be drawn as one line ------------------------------------------
#
# A curve sampled on a grid and drawn with mode="lines" joins the last point before a jump to the
# first after it: ReLU's f′ would rise from 0 to 1 along a steep segment, as if it took every value
# in between. Instead the line ends at the left limit, a gap follows, and it starts again at the
# right limit; a filled dot marks the value the function takes there (for f′, the frameworks'
# convention: relu′(0) = 0) and an open circle each limit it only approaches.

#: (x, the function's one-sided limits and value there), e.g. ``(0.0, kink.df)``.
Near = tuple[float, OneSided]


def drawn_with_jumps(
    x: np.ndarray, y: np.ndarray, near: Sequence[Near], *, every_point: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (increasing) and ``y`` with each point of ``near`` strictly inside drawn as it is.

    A grid point exactly at such a point is dropped, and the three points (x, left limit),
    (x, NaN if the limits differ, else the left limit), (x, right limit) take its place, so the
    line stops at one limit and restarts at the other (Plotly leaves a gap at NaN). Continuous
    points are left alone unless ``every_point`` (the sweeps' frames, which must all have the
    same length, pass every point of every frame).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    inside = [(at, s) for at, s in near if x[0] < at < x[-1] and (every_point or not s.continuous)]
    if not inside:
        return x, y
    keep = ~np.isin(x, [at for at, _ in inside])
    added_x = np.repeat([at for at, _ in inside], 3)
    added_y = np.array(
        [[s.left, np.nan if s.jumps else s.left, s.right] for _, s in inside], dtype=np.float64
    ).ravel()
    xs = np.concatenate([x[keep], added_x])
    ys = np.concatenate([y[keep], added_y])
    order = np.argsort(xs, kind="stable")  # stable: each triple stays left, gap, right
    return xs[order], ys[order]


def jump_dots(
    near: Sequence[Near], x_range: tuple[float, float], symbol: str, slots: int = 0
) -> dict[str, list]:
    """The dots of a curve's jumps inside ``x_range``, as the trace properties that place them
    (``x``, ``y``, ``marker.symbol``, ``customdata``: the hover text): filled at the value
    taken, open at each limit only approached.

    ``slots`` pads them with hidden (NaN) dots up to that many, for animation frames: a frame
    with fewer dots, or none, must still remove the previous frame's, and Plotly.animate
    (without a redraw) leaves the old dots standing when a frame's arrays are empty.
    """
    xs: list[float] = []
    ys: list[float] = []
    symbols: list[str] = []
    texts: list[str] = []
    for at, s in near:
        if s.continuous or not x_range[0] < at < x_range[1]:
            continue
        text = (
            f"{symbol}({at:.4g}) = {s.at:.4g}; {symbol} → {s.left:.4g} from the left, "
            f"→ {s.right:.4g} from the right"
        )
        dots = [(s.at, "circle")] + [
            (limit, "circle-open")
            for limit in ((s.left, s.right) if s.jumps else (s.left,))
            if not OneSided.same(limit, s.at)
        ]
        for value, shape in dots:
            xs.append(at)
            ys.append(value)
            symbols.append(shape)
            texts.append(text)
    if len(xs) > slots > 0:
        raise ValueError(f"{len(xs)} dots do not fit in {slots} slots")
    hidden = max(0, slots - len(xs))
    return {
        "x": xs + [math.nan] * hidden,
        "y": ys + [math.nan] * hidden,
        "marker": {"symbol": symbols + ["circle"] * hidden},
        "customdata": texts + [""] * hidden,
    }


def jump_markers(dots: dict[str, list], *, colour: str, name: str, present: bool) -> go.Scatter:
    """A trace drawing :func:`jump_dots` in the curve's colour (empty if there are none)."""
    return go.Scatter(
        x=dots["x"],
        y=dots["y"],
        name=name,
        mode="markers",
        showlegend=False,
        marker={
            "color": colour,
            "size": 13 if present else 9,
            "symbol": dots["marker"]["symbol"],
            "line": {"color": colour, "width": 2},
        },
        customdata=dots["customdata"],
        hovertemplate="%{customdata}<extra></extra>",
    )


class FrozenFigure(go.Figure):
    """A finished figure that many reruns draw unchanged: see :func:`freeze`."""

    _frozen_dict: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._frozen_dict


def freeze(fig: go.Figure) -> go.Figure:
    """Make ``fig`` cheap to draw again and again; it must not be changed afterwards.

    ``st.plotly_chart`` serialises a figure through ``fig.to_dict()``, which deep-copies every
    trace and base64-encodes its arrays anew on each rerun: ~0.9 ms of server time per chart per
    rerun for the explorer's main chart, more for the sweeps' frames. The figures the pages keep
    in ``st.cache_resource`` never change once built (sessions share them), so their dict is made
    once here and handed out as it is; the JSON Streamlit sends is the same (tests check it).
    """
    frozen = fig.to_dict()
    # The same object re-classed, not a copy: go.Figure(fig) would validate it all again (~6 ms).
    fig.__class__ = FrozenFigure
    fig._frozen_dict = frozen
    return fig


# --- figures written as specs ------------------------------------------------------------------
#
# Building a figure through graph_objects validates every property as it is set: for a page that
# builds five figures on each move (the training lab) that was ~55 ms of the server's CPU, half of
# the move. These helpers write the spec Plotly.js draws as plain dicts instead, with the same
# layout conventions (``base_layout``), and hand it out frozen. The tests check each such spec
# against Plotly's own validation (``go.Figure(spec)``).


def merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` laid over it, nested dicts merged key by key (as
    ``update_layout`` merges). Neither is modified; the parts of ``base`` not changed are shared,
    not copied, so a cached base must never be changed in place."""
    out = dict(base)
    for key, value in changes.items():
        old = out.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            out[key] = merged(old, value)
        else:
            out[key] = value
    return out


@functools.cache
def base_layout_spec(present: bool) -> dict[str, Any]:
    """The layout :func:`base_layout` gives a figure (template included), empty titles: the base
    of every spec-built figure. Cached and shared: use :func:`merged`, never change it."""
    fig = base_layout(go.Figure(), title="", x_title="", y_title="", present=present)
    return fig.to_dict()["layout"]


def typed(values: Any) -> Any:
    """An array as Plotly's spec carries it (base64 typed array), as ``Figure.to_dict`` does."""
    return to_typed_array_spec(np.asarray(values))


def spec_figure(spec: dict[str, Any]) -> go.Figure:
    """A frozen figure (:func:`freeze`) drawing ``spec`` (``data``, ``layout``, ``frames``) as it
    is, without Plotly's validation: ``spec`` must be valid (the tests check each builder's)."""
    fig = FrozenFigure()
    fig._frozen_dict = spec
    return fig


def read_only(a: np.ndarray) -> np.ndarray:
    """Mark an array a cached view hands to every session as read-only (as :func:`freeze` does
    for figures): one session writing into it would change what the others see."""
    a.flags.writeable = False
    return a
