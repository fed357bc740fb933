"""Figures, tables and computed text for the Activation explorer page.

Everything here is pure given its arguments (slug, parameters as a tuple of items, x-range); the
cached wrappers the page calls are at the end (``cached_*``): a slider move recomputes one
activation on 601 points and rebuilds one figure. The numbers always come from the core
(``Activation.forward`` and ``Activation.derivative``); nothing here re-implements an activation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from activations import ACTIVATIONS, Activation
from activations import functions as core
from ui import state, sweep
from ui.plotting import (
    DF_LINE,
    F_LINE,
    PALETTE,
    SATURATION_FILL,
    Near,
    base_layout,
    drawn_with_jumps,
    freeze,
    jump_dots,
    jump_markers,
    line_width,
)
from ui.plotting import series_style as _series_style

# The x-range control: limits, step and default.
X_LIMIT = 20.0
X_STEP = 0.5
X_DEFAULT = (-6.0, 6.0)
POINTS = 601  # smooth at any chart width; fewer points = less to build, send and draw
SWEEP_POINTS = 600  # per curve and frame of an instant sweep (ui/sweep.py): ~0.5 MB for 31 frames
NEAR_ZERO = 1e-2  # |f′| below this is shaded: saturation or a dead zone

ParamItems = tuple[tuple[str, float], ...]


def items(params: Mapping[str, float]) -> ParamItems:
    """A hashable, ordered form of a parameter dict (for cache keys)."""
    return tuple((name, float(value)) for name, value in params.items())


def fmt(value: float) -> str:
    """A number as a reader wants it: 1.5, 0.01, −0.278 (Unicode minus), ∞."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:.4g}"
    return text.replace("-", "−")


def describe(act: Activation, params: Mapping[str, float]) -> str:
    """'ELU, α = 1.5': the activation and its parameters, for titles and summaries."""
    if not act.params:
        return act.label
    shown = ", ".join(f"{p.symbol} = {fmt(params[p.name])}" for p in act.params)
    return f"{act.label}, {shown}"


# --- x-range --------------------------------------------------------------------------------------


def parse_x_range(raw: str) -> tuple[float, float] | None:
    """``"-6,6"`` → (−6.0, 6.0); None unless two finite numbers lo < hi within ±X_LIMIT."""
    parts = raw.split(",")
    if len(parts) != 2:
        return None
    lo, hi = (state.parse_number(p.strip()) for p in parts)  # ASCII digits only
    if lo is None or hi is None:
        return None
    if not (-X_LIMIT <= lo < hi <= X_LIMIT):
        return None
    return lo, hi


def x_range_check(raw: str) -> str | None:
    """A ``state.check_query_params`` check for ``x_range``."""
    if parse_x_range(raw) is None:
        return (
            f"must be two numbers lo,hi with {fmt(-X_LIMIT)} ≤ lo < hi ≤ {fmt(X_LIMIT)} (e.g. -6,6)"
        )
    return None


def format_x_range(lo: float, hi: float) -> str:
    return f"{lo:g},{hi:g}"


# --- curves ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Curves:
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray


def curves(slug: str, params: ParamItems, x_range: tuple[float, float]) -> Curves:
    """f and f′ of ``slug`` on the plotted grid, computed by the core."""
    act = ACTIVATIONS[slug]
    x = np.linspace(x_range[0], x_range[1], POINTS)
    kwargs = dict(params)
    return Curves(x=x, f=act.forward(x, **kwargs), df=act.derivative(x, **kwargs))


def near_zero_runs(x: np.ndarray, df: np.ndarray) -> list[tuple[float, float]]:
    """The x-intervals where |f′| < NEAR_ZERO, as (start, end) of each contiguous run."""
    mask = np.abs(df) < NEAR_ZERO
    runs: list[tuple[float, float]] = []
    if not mask.any():
        return runs
    edges = np.diff(mask.astype(np.int8))
    starts = list(np.flatnonzero(edges == 1) + 1)
    ends = list(np.flatnonzero(edges == -1))
    if mask[0]:
        starts.insert(0, 0)
    if mask[-1]:
        ends.append(len(mask) - 1)
    for s, e in zip(starts, ends, strict=True):
        runs.append((float(x[s]), float(x[e])))
    return runs


def summary_text(act: Activation, params: Mapping[str, float], c: Curves) -> str:
    """One sentence computed from the drawn data: the range of f′ and where it is near zero."""
    lo, hi = float(c.x[0]), float(c.x[-1])
    finite = np.isfinite(c.df)
    dmin, dmax = float(c.df[finite].min()), float(c.df[finite].max())
    text = (
        f"{describe(act, params)}: on [{fmt(lo)}, {fmt(hi)}], f ranges from "
        f"{fmt(float(np.nanmin(c.f)))} to {fmt(float(np.nanmax(c.f)))} and f′ from "
        f"{fmt(dmin)} to {fmt(dmax)}"
    )
    runs = near_zero_runs(c.x, c.df)
    if not runs:
        return text + f"; |f′| never drops below {NEAR_ZERO:g} here."
    parts = []
    for a, b in runs[:4]:
        if a <= lo and b >= hi:
            parts.append("everywhere shown")
        elif a <= lo:
            parts.append(f"below x ≈ {fmt(b)}")
        elif b >= hi:
            parts.append(f"above x ≈ {fmt(a)}")
        elif a == b:
            parts.append(f"near x ≈ {fmt(a)}")
        else:
            parts.append(f"for {fmt(a)} ≲ x ≲ {fmt(b)}")
    more = f" (and {len(runs) - 4} more places)" if len(runs) > 4 else ""
    return text + f"; |f′| < {NEAR_ZERO:g} (shaded) " + ", ".join(parts) + more + "."


# --- figures --------------------------------------------------------------------------------------


def _shade_near_zero(fig: go.Figure, c: Curves) -> None:
    for i, (a, b) in enumerate(near_zero_runs(c.x, c.df)):
        half = 0.5 * (c.x[1] - c.x[0])
        # Only the first run is labelled. No annotation at all for the others: a position
        # without a text makes an annotation whose text Plotly.js shows as "new text".
        label = (
            {"annotation_text": f"|f′| < {NEAR_ZERO:g}", "annotation_position": "top left"}
            if i == 0
            else {}
        )
        fig.add_vrect(
            x0=a - half,
            x1=b + half,
            fillcolor=SATURATION_FILL,
            line_width=0,
            layer="below",
            **label,
        )


def _add_jump_markers(
    fig: go.Figure,
    near: Sequence[Near],
    x_range: tuple[float, float],
    colour: str,
    symbol: str,
    present: bool,
    curve: str = "",
) -> None:
    """The dots at the jumps of the curve ``symbol`` (hover: "f′(0) = 0; …"), if any, as the
    trace "<symbol> at its jumps" ("<symbol> of <curve> at its jumps" for a named curve)."""
    dots = jump_dots(near, x_range, symbol)
    if dots["x"]:
        name = f"{symbol} of {curve} at its jumps" if curve else f"{symbol} at its jumps"
        fig.add_trace(jump_markers(dots, colour=colour, name=name, present=present))


def main_figure(
    slug: str,
    params: ParamItems,
    x_range: tuple[float, float],
    probe: float | None,
    present: bool,
    show_derivative: bool = True,
) -> go.Figure:
    """f and f′ (traces "f" and "f′"), near-zero-gradient shading, the probe's tangent."""
    act = ACTIVATIONS[slug]
    kwargs = dict(params)
    c = curves(slug, params, x_range)
    kinks = act.kink_limits(**kwargs)
    f_near = [(k.x, k.f) for k in kinks]
    df_near = [(k.x, k.df) for k in kinks]
    width = line_width(present)
    fig = go.Figure()
    fx, fy = drawn_with_jumps(c.x, c.f, f_near)
    fig.add_trace(
        go.Scatter(
            x=fx,
            y=fy,
            name="f",
            mode="lines",
            line={**F_LINE, "width": width},
            hovertemplate="f(x) = %{y:.4g}<extra></extra>",
        )
    )
    _add_jump_markers(fig, f_near, x_range, F_LINE["color"], "f", present)
    if show_derivative:
        dfx, dfy = drawn_with_jumps(c.x, c.df, df_near)
        fig.add_trace(
            go.Scatter(
                x=dfx,
                y=dfy,
                name="f′",
                mode="lines",
                line={**DF_LINE, "width": width},
                hovertemplate="f′(x) = %{y:.4g}<extra></extra>",
            )
        )
        _add_jump_markers(fig, df_near, x_range, DF_LINE["color"], "f′", present)
        _shade_near_zero(fig, c)
    if probe is not None:
        f0 = float(act.forward(probe, **kwargs))
        d0 = float(act.derivative(probe, **kwargs))
        tx = np.array(x_range, dtype=np.float64)
        fig.add_trace(
            go.Scatter(
                x=tx,
                y=f0 + d0 * (tx - probe),
                name="tangent",
                mode="lines",
                line={"color": PALETTE[2], "dash": "dot", "width": width * 0.8},
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[probe],
                y=[f0],
                name="probe",
                mode="markers",
                marker={"color": PALETTE[2], "size": 14 if present else 10},
                hovertemplate=f"x₀ = {fmt(probe)}<br>f(x₀) = {fmt(f0)}<br>"
                f"f′(x₀) = {fmt(d0)}<extra></extra>",
            )
        )
    # Keep the view on the curves: the tangent must not blow up the y-axis.
    ys = np.concatenate([c.f, c.df] if show_derivative else [c.f])
    ys = ys[np.isfinite(ys)]
    lo, hi = float(ys.min()), float(ys.max())
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(range=list(x_range))
    what = "f and f′" if show_derivative else "f"
    return base_layout(
        fig,
        title=f"{what}: {describe(act, params_dict(params))}, x ∈ [{fmt(x_range[0])}, "
        f"{fmt(x_range[1])}]",
        x_title="x",
        y_title="value",
        present=present,
    )


def params_dict(params: ParamItems) -> dict[str, float]:
    return dict(params)


def compare_figure(
    entries: Sequence[tuple[str, ParamItems]],
    x_range: tuple[float, float],
    what: str,
    present: bool,
) -> go.Figure:
    """One trace per activation (named by its label and parameters): f, or f′ if what == "df"."""
    fig = go.Figure()
    width = line_width(present)
    symbol = "f′" if what == "df" else "f"
    for i, (slug, params) in enumerate(entries):
        act = ACTIVATIONS[slug]
        c = curves(slug, params, x_range)
        near = [(k.x, k.df if what == "df" else k.f) for k in act.kink_limits(**dict(params))]
        style = _series_style(i)
        x, y = drawn_with_jumps(c.x, c.df if what == "df" else c.f, near)
        name = describe(act, dict(params))
        fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines", line={**style, "width": width}))
        _add_jump_markers(fig, near, x_range, style["color"], symbol, present, curve=name)
    return base_layout(
        fig,
        title=f"Compare {symbol}: "
        + "; ".join(describe(ACTIVATIONS[s], dict(p)) for s, p in entries),
        x_title="x",
        y_title=symbol,
        present=present,
    )


def csv_columns(
    slug: str,
    params: ParamItems,
    x_range: tuple[float, float],
    compared: Sequence[tuple[str, ParamItems]] = (),
    what: str = "f",
) -> dict[str, np.ndarray]:
    """What the charts show, as columns: x, f, f′, then each compared curve."""
    c = curves(slug, params, x_range)
    columns: dict[str, np.ndarray] = {"x": c.x, "f": c.f, "f′": c.df}
    symbol = "f′" if what == "df" else "f"
    for other, other_params in compared:
        oc = curves(other, other_params, x_range)
        columns[f"{symbol} {other}"] = oc.df if what == "df" else oc.f
    return columns


# Row labels for core.Properties fields, in the order shown; fields not listed are not rows.
PROPERTY_LABELS: dict[str, str] = {
    "output_range": "output range",
    "bounded_below": "bounded below",
    "bounded_above": "bounded above",
    "monotonic": "monotonic",
    "zero_centred": "zero-centred",
    "continuous": "continuous",
    "smooth_c1": "smooth (C¹: f′ continuous)",
    "max_abs_derivative": "max |f′|",
    "saturates_left": "saturates as x → −∞ (f′ → 0)",
    "saturates_right": "saturates as x → +∞ (f′ → 0)",
    "limit_left": "f as x → −∞",
    "limit_right": "f as x → +∞",
    "minimum": "minimum",
    "argmin": "minimum at x",
    "maximum": "maximum",
    "argmax": "maximum at x",
}


def properties_rows(props: core.Properties) -> list[dict[str, str]]:
    """Computed properties as two-column table rows with readable labels and values.

    The range is written with a square bracket where f reaches that end ([0, ∞) for ReLU) and a
    round one where the end is only a limit ((0, 1) for the sigmoid).
    """
    rows = []
    for name, label in PROPERTY_LABELS.items():
        value = getattr(props, name)
        if name == "output_range":
            lo, hi = value
            shown = (
                ("[" if props.attains_low else "(")
                + f"{fmt(lo)}, {fmt(hi)}"
                + ("]" if props.attains_high else ")")
            )
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        else:
            shown = fmt(value)
        if shown == "n/a":
            continue  # e.g. no interior minimum: leave the row out
        rows.append({"property": label, "value": shown})
    return rows


# Characters Markdown (or st.markdown's LaTeX: $) would read in a table cell: shown literally.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~$"})


def properties_markdown(props: object) -> str:
    """:func:`properties_rows` as a Markdown table (rendered without pandas or Arrow)."""
    lines = ["| property | value |", "|---|---|"]
    for row in properties_rows(props):
        lines.append(
            f"| {row['property'].translate(_MARKDOWN_SPECIAL)} "
            f"| {row['value'].translate(_MARKDOWN_SPECIAL)} |"
        )
    return "\n".join(lines)


# --- presets where frameworks differ --------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    label: str
    slug: str
    params: tuple[tuple[str, float], ...] = ()
    help: str = ""


_SELU = (("alpha", 1.6732632423543772), ("lam", 1.0507009873554805))
_GELU_PAIR = (
    Preset(
        "GELU exact (PyTorch default, Keras approximate=False)",
        "gelu",
        help="torch.nn.GELU() and keras.activations.gelu(x, approximate=False): x·Φ(x)",
    ),
    Preset(
        "GELU tanh approximation (approximate='tanh' / approximate=True)",
        "gelu_tanh",
        help="torch.nn.GELU(approximate='tanh'), keras.activations.gelu(x, approximate=True)",
    ),
    Preset(
        "jax.nn.gelu's default: approximate=True",
        "gelu_tanh",
        help="jax.nn.gelu(x) is the tanh approximation unless you pass approximate=False, "
        "unlike PyTorch and Keras, whose default is exact",
    ),
)

PRESETS: dict[str, tuple[Preset, ...]] = {
    "leaky_relu": (
        Preset("PyTorch LeakyReLU / jax.nn.leaky_relu: 0.01", "leaky_relu", (("slope", 0.01),)),
        Preset("keras.activations.leaky_relu: 0.2", "leaky_relu", (("slope", 0.2),)),
        Preset("Keras LeakyReLU layer: 0.3", "leaky_relu", (("slope", 0.3),)),
    ),
    "prelu": (
        Preset("PyTorch PReLU init: 0.25", "prelu", (("alpha", 0.25),)),
        Preset("α = 0 is ReLU", "prelu", (("alpha", 0.0),)),
        Preset("α = 0.01 is Leaky ReLU", "prelu", (("alpha", 0.01),)),
    ),
    "gelu": _GELU_PAIR,
    "gelu_tanh": _GELU_PAIR,
    "selu": (
        Preset(
            "SELU's constants (λ ≈ 1.0507, α ≈ 1.6733)",
            "selu",
            _SELU,
            help="Klambauer et al. 2017: the self-normalising fixed point (PyTorch, Keras)",
        ),
        Preset(
            "λ = 1, α = 1: plain ELU (no self-normalisation)",
            "selu",
            (("alpha", 1.0), ("lam", 1.0)),
        ),
    ),
    "elu": (Preset("PyTorch / Keras default: α = 1", "elu", (("alpha", 1.0),)),),
    "swish": (
        Preset("β = 1: SiLU (PyTorch SiLU, Keras silu)", "swish", (("beta", 1.0),)),
        Preset("β = 0: x/2", "swish", (("beta", 0.0),)),
        Preset("β = 10: close to ReLU", "swish", (("beta", 10.0),)),
    ),
    "rrelu": (
        Preset("PyTorch RReLU: l = 1/8, u = 1/3", "rrelu", (("lower", 0.125), ("upper", 1 / 3))),
    ),
    "softplus": (
        Preset(
            "PyTorch Softplus: threshold = 20",
            "softplus",
            (("threshold", 20.0),),
            help="torch.nn.Softplus() returns x itself where βx > 20: a jump of about 2e-9",
        ),
        Preset(
            "Keras / jax.nn.softplus: exact (threshold off)",
            "softplus",
            (("threshold", 0.0),),
            help="keras.activations.softplus and jax.nn.softplus have no threshold",
        ),
    ),
    "hard_tanh": (
        Preset(
            "PyTorch / Keras / jax.nn default: [−1, 1]",
            "hard_tanh",
            (("min_val", -1.0), ("max_val", 1.0)),
            help="Only torch.nn.Hardtanh takes min_val and max_val; Keras and JAX fix [−1, 1]",
        ),
        Preset(
            "Hardtanh(0, 6) is ReLU6",
            "hard_tanh",
            (("min_val", 0.0), ("max_val", 6.0)),
            help="torch.nn.ReLU6 is implemented as torch.nn.Hardtanh(0, 6)",
        ),
    ),
    "xielu": (
        Preset(
            "Hugging Face XIELUActivation at initialisation",
            "xielu",
            (("alpha_p", 0.8), ("alpha_n", 0.8), ("beta", 0.5), ("eps", -1e-6)),
        ),
        Preset(
            "ε = −0.5: see where expm1 is frozen",
            "xielu",
            (("eps", -0.5),),
            help="The default ε = −1e-6 makes the same jumps of f′, too close together to see",
        ),
    ),
}


# --- quizzes --------------------------------------------------------------------------------------

QUIZ_GRID = np.linspace(-6.0, 6.0, 601)


def _derivative_on_grid(slug: str) -> np.ndarray:
    return ACTIVATIONS[slug].derivative(QUIZ_GRID)


def which_question(seed: int) -> tuple[str, list[str]]:
    """(answer slug, four shuffled option slugs): a hidden activation and three distractors.

    Distractors are chosen so that their derivatives (at default parameters) differ visibly from
    the answer's and from each other's: max |f′_a − f′_b| > 0.1 on [−6, 6].
    """
    rng = np.random.default_rng(seed)
    pool = list(ACTIVATIONS)
    answer = pool[int(rng.integers(len(pool)))]
    chosen = [answer]
    grads = {answer: _derivative_on_grid(answer)}
    for slug in rng.permutation(pool):
        slug = str(slug)
        if slug in chosen:
            continue
        g = _derivative_on_grid(slug)
        if all(np.max(np.abs(g - grads[c])) > 0.1 for c in chosen):
            chosen.append(slug)
            grads[slug] = g
        if len(chosen) == 4:
            break
    options = [str(s) for s in rng.permutation(chosen)]
    return answer, options


def mystery_figure(slug: str, present: bool) -> go.Figure:
    """The derivative of a hidden activation on [−6, 6] (no name in the title)."""
    # The jumps are drawn as on the main chart: a steep segment there would be a false clue.
    near = [(k.x, k.df) for k in ACTIVATIONS[slug].kink_limits()]
    x, y = drawn_with_jumps(QUIZ_GRID, _derivative_on_grid(slug), near)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            name="f′ of the mystery activation",
            mode="lines",
            line={**DF_LINE, "width": line_width(present)},
        )
    )
    x_range = (float(QUIZ_GRID[0]), float(QUIZ_GRID[-1]))
    _add_jump_markers(fig, near, x_range, DF_LINE["color"], "f′", present)
    return base_layout(
        fig,
        title="Quiz: whose derivative is this? (default parameters, x ∈ [−6, 6])",
        x_title="x",
        y_title="f′(x)",
        present=present,
    )


def intervals(x_range: tuple[float, float], n: int = 5) -> list[tuple[float, float]]:
    edges = np.linspace(x_range[0], x_range[1], n + 1)
    return [(float(a), float(b)) for a, b in itertools.pairwise(edges)]


TIE = "tie"


def where_answer(
    slug: str, params: ParamItems, x_range: tuple[float, float], n: int = 5
) -> tuple[str, float]:
    """Which of the n intervals holds the largest f′ ("0".."n-1", or TIE), and its argmax x.

    Computed from the core's derivative on the plotted grid. TIE when the maximum is reached (to
    1e-9 relative) in more than one interval, as for ReLU's flat f′ = 1.
    """
    c = curves(slug, params, x_range)
    top = float(np.max(c.df))
    tol = 1e-9 * max(1.0, abs(top))
    holders = set()
    for i, (a, b) in enumerate(intervals(x_range, n)):
        inside = (c.x >= a) & (c.x <= b) if i == n - 1 else (c.x >= a) & (c.x < b)
        if np.any(c.df[inside] >= top - tol):
            holders.add(i)
    argmax = float(c.x[int(np.argmax(c.df))])
    return (str(holders.pop()) if len(holders) == 1 else TIE), argmax


def reveal_figure(
    slug: str, params: ParamItems, x_range: tuple[float, float], present: bool
) -> go.Figure:
    """f, f′ and a marker at the argmax of f′: the answer to "where is f′ largest?"."""
    act = ACTIVATIONS[slug]
    _, argmax = where_answer(slug, params, x_range)
    fig = main_figure(slug, params, x_range, None, present)
    d_top = float(act.derivative(argmax, **dict(params)))
    fig.add_vline(x=argmax, line={"color": PALETTE[5], "dash": "dot"})
    fig.add_trace(
        go.Scatter(
            x=[argmax],
            y=[d_top],
            name="largest f′",
            mode="markers",
            marker={"color": PALETTE[5], "size": 14 if present else 10, "symbol": "star"},
        )
    )
    fig.update_layout(
        title={"text": f"Reveal: f′ of {describe(act, dict(params))} peaks at x ≈ {fmt(argmax)}"}
    )
    return fig


# --- cached wrappers the page calls ---------------------------------------------------------------
# Figures are kept with st.cache_resource: the page only reads them (st.plotly_chart copies a
# figure into its JSON), and st.cache_data would unpickle, i.e. re-validate, a whole figure on
# every hit. Everything else is small data, copied by st.cache_data.


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_main_figure(slug, params, x_range, probe, present, show_derivative) -> go.Figure:
    return freeze(main_figure(slug, params, x_range, probe, present, show_derivative))


@st.cache_data(max_entries=256, show_spinner=False)
def cached_curves(slug: str, params: ParamItems, x_range: tuple[float, float]) -> Curves:
    return curves(slug, params, x_range)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_summary(slug: str, params: ParamItems, x_range: tuple[float, float]) -> str:
    return summary_text(ACTIVATIONS[slug], dict(params), curves(slug, params, x_range))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_properties_markdown(slug: str, params: ParamItems) -> str:
    return properties_markdown(core.properties(ACTIVATIONS[slug], **dict(params)))


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_compare_figure(entries, x_range, what, present) -> go.Figure:
    return freeze(compare_figure(entries, x_range, what, present))


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_sweep_figure(slug, name, params_items, x_range, present) -> go.Figure:
    """ui/sweep.py's figure: f and f′ for every value of the parameter ``name`` on its grid."""
    x = np.linspace(x_range[0], x_range[1], SWEEP_POINTS)
    return freeze(
        sweep.sweep_figure(ACTIVATIONS[slug], name, dict(params_items), x, present=present)
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_mystery_figure(slug: str, present: bool) -> go.Figure:
    return freeze(mystery_figure(slug, present))
