"""Figure conventions every page shares: a colour-blind-safe palette, line styles, base layout.

f and f′ differ by colour *and* dash, so they stay apart in greyscale, for colour-blind readers
and on a washed-out projector. The palette is Okabe & Ito's (2008), readable on light and dark
themes.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

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
