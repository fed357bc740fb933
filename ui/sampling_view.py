"""Figures, text and controls of the "Softmax in language models" page (``pages/sampling.py``).

The core (``activations.sampling``) filters, samples and scores attention; this module turns its
records into Plotly figures and sentences. :func:`knob_view` is the one cached call a move of
T, top-k, top-p or min-p makes. User-typed tokens reach Plotly HTML-escaped
(``softmax_view.plotly_text``), Markdown only through ``state.shown`` or ``parser_message``, and the
CSV only through ``classroom.to_csv``, which writes no cell a spreadsheet would run.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from activations import attention_scaling, effective_vocabulary, entropy, filter_steps, sample
from activations.sampling import AttentionScaling, Candidates, Filtered, parse_tokens
from ui import state, sweep
from ui.plotting import PALETTE, base_layout, freeze, line_width, read_only
from ui.softmax_view import (
    ACCENT,
    MUTED,
    TEMPERATURES,
    format_t,
    plotly_text,
)

# --- the example --------------------------------------------------------------------------------

PROMPT = "The cat sat on the"
#: ~20 plausible next tokens for :data:`PROMPT`, as editable ``token: logit`` lines.
DEFAULT_TOKENS = "\n".join(
    f"{tok}: {z:g}"
    for tok, z in (
        ("mat", 6.2),
        ("floor", 5.4),
        ("sofa", 4.9),
        ("bed", 4.6),
        ("couch", 4.3),
        ("rug", 4.0),
        ("chair", 3.6),
        ("windowsill", 3.3),
        ("table", 3.0),
        ("roof", 2.6),
        ("keyboard", 2.4),
        ("carpet", 2.3),
        ("grass", 1.9),
        ("fence", 1.5),
        ("stairs", 1.2),
        ("box", 1.0),
        ("laptop", 0.8),
        ("edge", 0.3),
        ("dog", -0.5),
        ("moon", -2.0),
    )
)
MAX_TOKENS_CHARS = 70_000  # 1,000 lines of a 40-character token and a long number

# --- the knobs ----------------------------------------------------------------------------------

TOP_K_MAX = 100  # the slider's range; 0 is off
TOP_P_MIN = 0.01
MIN_P_STEP = TOP_P_STEP = 0.01
DRAWS = 1000
SEED_MAX = 999_999
#: The session key where the softmax page keeps its last valid logits (pages/softmax.py).
SOFTMAX_LOGITS_KEY = "_softmax_last_valid_logits"
SOFTMAX_LABELS_KEY = "_softmax_last_labels"  # the Softmax page's labels, as typed


def knob_settings(
    top_k: int, top_p: float, min_p: float
) -> tuple[int | None, float | None, float | None]:
    """The widgets' values as :func:`activations.filter_logits` arguments: 0, 1 and 0 are off."""
    return (top_k or None, top_p if top_p < 1.0 else None, min_p or None)


def url_text_area(
    label: str, *, key: str, default: str, max_chars: int, hidden: bool = False, **kwargs
) -> str:
    """A multi-line :func:`ui.state.url_text_input`: the URL gives its first value, each run
    writes it back (left out when it is the default); values longer than ``max_chars`` are not
    read from the URL."""
    raw = state.single_value(key)
    initial = raw if raw is not None and len(raw) <= max_chars else default
    if raw is not None and len(raw) > max_chars and key not in st.session_state:
        st.warning(
            state.literal_outside_code(
                f"{label}: the link's {key}= has {len(raw):,} characters, more than the "
                f"{max_chars:,} this field takes, so it was not used: {state.shown(raw)}"
            ),
            icon=":material/link_off:",
        )
    if hidden:
        return initial
    state.seed_widget(key, initial)
    value = st.text_area(label, key=key, max_chars=max_chars, **kwargs)
    state.sync_url(key, value, default)
    return value


def url_knob(
    label: str,
    low: float,
    high: float,
    *,
    key: str,
    default: float,
    step: float,
    integer: bool = False,
    hidden: bool = False,
    **kwargs,
) -> float:
    """A plain slider mirrored in the URL under ``key`` (no number field beside it, unlike
    :func:`ui.state.url_slider`): one element instead of three, re-sent on every knob move.

    The URL gives its first value when :func:`ui.state.number_in` accepts it (check the link
    with :func:`ui.state.check_query_params` first, which says what it rejected)."""
    kind = int if integer else float
    initial = kind(default)
    raw = state.single_value(key)
    if raw is not None and state.number_in(low, high, integer=integer)(raw) is None:
        initial = kind(raw)
    if hidden:
        return initial
    state.seed_widget(key, initial)
    value = st.slider(
        label, min_value=kind(low), max_value=kind(high), step=kind(step), key=key, **kwargs
    )
    state.sync_url(key, value, kind(default))
    return value


def read_tokens(text: str) -> tuple[Candidates | None, str | None]:
    """The candidates in ``text``, or None and the parser's message (plain text)."""
    try:
        return parse_tokens(text), None
    except ValueError as exc:
        return None, str(exc)


def duplicates_note(c: Candidates) -> str | None:
    """Markdown-safe: which tokens appear on several lines (each line is its own candidate)."""
    dup = c.duplicates
    if not dup:
        return None
    parts = [
        f"{state.shown(tok, 20)} on lines {', '.join(str(i + 1) for i in idx)}"
        for tok, idx in list(dup.items())[:5]
    ]
    more = f" and {len(dup) - 5} more" if len(dup) > 5 else ""
    return (
        "Some tokens appear more than once: "
        + "; ".join(parts)
        + more
        + ". Each line is its own candidate with its own bar (numbered #1, #2, … below), as a "
        "model can have two different tokens that print the same."
    )


def bar_names(tokens: Sequence[str]) -> list[str]:
    """Tick labels: the token, with ``#k`` added to each repeat so duplicates stay apart."""
    seen: dict[str, int] = {}
    count = Counter(tokens)
    out = []
    for tok in tokens:
        seen[tok] = seen.get(tok, 0) + 1
        out.append(f"{tok} #{seen[tok]}" if count[tok] > 1 else tok)
    return out


# --- the knobs' figures ---------------------------------------------------------------------------

RULE_TEXT = {"top-k": "top-k", "top-p": "top-p", "min-p": "min-p"}


def _token_axis(fig: go.Figure, names: Sequence[str]) -> None:
    n = len(names)
    if n <= 40:
        fig.update_xaxes(
            tickmode="array", tickvals=list(range(n)), ticktext=[plotly_text(s) for s in names]
        )
    fig.update_xaxes(range=[-0.6, n - 0.4])


def knob_title(t: float, top_k: int | None, top_p: float | None, min_p: float | None) -> str:
    """The settings as a figure subtitle (so an exported PNG says what it shows)."""
    parts = [f"T = {format_t(t)}"]
    parts.append(f"top_k = {top_k}" if top_k else "top_k off")
    parts.append(f"top_p = {top_p:g}" if top_p else "top_p off")
    parts.append(f"min_p = {min_p:g}" if min_p else "min_p off")
    return ", ".join(parts)


def distribution_figure(
    steps: Filtered, names: Sequence[str], *, title: str, present: bool = False, muted: bool = False
) -> go.Figure:
    """The model's softmax(z) (trace ``model``) beside the sampling distribution (trace
    ``sampling``); a removed token's model bar is grey and the rule that removed it is written
    where its sampling bar would be."""
    n = len(names)
    kept = steps.kept
    shown = [plotly_text(s) for s in names]
    rules = ["kept" if not r else f"removed by {r}" for r in steps.removed_by]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=steps.model_probs,
            name="model",
            showlegend=False,
            offsetgroup="model",
            # 1 kept, 0 removed, through a two-colour scale: a number per bar validates ~100×
            # faster than a colour string per bar (1,000 tokens: 0.25 s of Plotly's checks).
            marker={
                "color": kept.astype(np.float64) if not muted else np.zeros(n),
                "colorscale": [[0.0, MUTED], [1.0, PALETTE[0]]],
                "cmin": 0.0,
                "cmax": 1.0,
            },
            customdata=np.stack([shown, rules], axis=-1),
            hovertemplate="%{customdata[0]}: model p = %{y:.4g} (%{customdata[1]})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=steps.probs,
            name="sampling",
            showlegend=False,
            offsetgroup="sampling",
            marker={"color": MUTED if muted else ACCENT, "pattern": {"shape": "/"}},
            text=[
                # the rule (or p) written at each bar, while there is room for it
                (RULE_TEXT[r] if r else (f"{p:.2f}" if n <= 20 else "")) if n <= 40 else ""
                for r, p in zip(steps.removed_by, steps.probs, strict=True)
            ],
            textposition="outside",
            textangle=-90 if n > 12 else 0,
            customdata=np.stack([shown, rules], axis=-1),
            hovertemplate="%{customdata[0]}: sampling p = %{y:.4g} (%{customdata[1]})"
            "<extra></extra>",
        )
    )
    # Legend-only swatches, each in the slot of the bars it names (offsetgroup): no extra slot.
    for label, colour, shape, group in (
        ("model: softmax(z)", PALETTE[0], "", "model"),
        ("removed (grey; the rule is written beside it)", MUTED, "", "model"),
        ("sampled from: after T, top-k, top-p, min-p", ACCENT, "/", "sampling"),
    ):
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=label,
                offsetgroup=group,
                marker={"color": MUTED if muted else colour, "pattern": {"shape": shape}},
                hoverinfo="skip",
            )
        )
    base_layout(fig, title=title, x_title="candidate token", y_title="probability", present=present)
    fig.update_layout(
        barmode="group",
        hovermode="closest",
        legend={"itemclick": False, "itemdoubleclick": False},
        title={"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 16}},
        margin={"t": 150 if present else 120},
        height=fig.layout.height + 40,
    )
    top = float(max(steps.model_probs.max(), steps.probs.max()))
    fig.update_yaxes(range=[0, min(1.0, top) * 1.25 + 0.02])
    _token_axis(fig, names)
    return fig


def samples_figure(
    counts: np.ndarray, p: np.ndarray, names: Sequence[str], *, title: str, present: bool = False
) -> go.Figure:
    """Counts of the seeded draws (trace ``counts``) against the expected n·p (trace
    ``expected``)."""
    n = len(names)
    draws = int(counts.sum())
    shown = [plotly_text(s) for s in names]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=counts,
            name="counts",
            marker={"color": PALETTE[0]},
            customdata=shown,
            hovertemplate="%{customdata}: drawn %{y} times<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=np.arange(n),
            y=draws * p,
            name="expected",
            mode="markers",
            marker={
                "color": PALETTE[5],
                "symbol": "line-ew-open",
                "size": 22 if present else 16,
                "line": {"width": line_width(present), "color": PALETTE[5]},
            },
            customdata=shown,
            hovertemplate=f"%{{customdata}}: expected {draws:,} × p = %{{y:.1f}}<extra></extra>",
        )
    )
    base_layout(fig, title=title, x_title="candidate token", y_title="times drawn", present=present)
    fig.update_layout(hovermode="closest")
    _token_axis(fig, names)
    return fig


def sweep_figure(
    z: np.ndarray,
    names: Sequence[str],
    t: float,
    top_k: int | None,
    top_p: float | None,
    min_p: float | None,
    present: bool,
) -> go.Figure:
    """The sampling distribution for every T of the temperature slider (top-k, top-p and min-p
    fixed) as Plotly frames: the chart's own slider swaps them in the browser (``ui/sweep.py``)."""
    probs = [filter_steps(z, temp, top_k, top_p, min_p).probs for temp in TEMPERATURES]
    labels = [format_t(temp) for temp in TEMPERATURES]
    frame_names = [f"T={temp!r}" for temp in TEMPERATURES]
    active = int(np.argmin(np.abs(np.log(TEMPERATURES) - math.log(t))))
    n = len(z)
    fig = go.Figure(
        data=[
            go.Bar(
                x=np.arange(n),
                y=probs[active],
                name="sampling p",
                marker={"color": ACCENT, "pattern": {"shape": "/"}},
            )
        ],
        frames=[
            go.Frame(name=name, data=[go.Bar(y=p)], traces=[0])
            for name, p in zip(frame_names, probs, strict=True)
        ],
    )
    base_layout(
        fig,
        title=f"Sampling distribution, T from {labels[0]} to {labels[-1]}"
        f"<br><sup>drag the slider in the chart · {knob_title(t, top_k, top_p, min_p)}</sup>",
        x_title="candidate token",
        y_title="probability",
        present=present,
    )
    fig.update_layout(
        sliders=[sweep._slider("T = ", labels, frame_names, active, present)],
        yaxis={"range": [0.0, 1.05]},
        hovermode="closest",
        showlegend=False,
    )
    sweep._make_room_for_slider(fig)
    _token_axis(fig, names)
    return freeze(fig)


# --- sentences ------------------------------------------------------------------------------------


def _pct(p: float) -> str:
    return f"{p:.1%}" if p < 0.995 else f"{p:.2%}"


def distribution_sentence(steps: Filtered, names: Sequence[str], t: float) -> str:
    """The summary under the bars (Markdown-safe: tokens go through ``state.shown``)."""
    n = len(names)
    top = int(np.argmax(steps.probs))
    removed = {rule: steps.removed_by.count(rule) for rule in ("top-k", "top-p", "min-p")}
    gone = ", ".join(f"{k} {rule}" for rule, k in removed.items() if k)
    kept_text = f"{steps.n_kept} of {n} candidates survive" + (
        f" (removed: {gone})" if gone else " (nothing removed)"
    )
    return (
        f"At T = {format_t(t)}, {kept_text}; the most likely, {state.shown(names[top], 30)}, "
        f"has {_pct(float(steps.model_probs[top]))} under the model and "
        f"{_pct(float(steps.probs[top]))} in the distribution sampled from."
    )


def removed_sentence(steps: Filtered, t: float) -> str | None:
    """Each active rule's boundary with these numbers (None when no rule is on)."""
    parts = []
    if steps.kth_logit is not None:
        parts.append(
            f"top-k keeps every logit ≥ the k-th largest, {steps.kth_logit:.4g} (ties included)"
        )
    if steps.top_p_cutoff is not None:
        parts.append(
            "top-p removes each token whose ascending cumulative probability is ≤ 1 − top_p = "
            f"{steps.top_p_cutoff:.4g}"
        )
    if steps.min_p_threshold is not None:
        parts.append(
            f"min-p removes tokens below min_p × the top probability = {steps.min_p_threshold:.4g}"
        )
    if not parts:
        return None
    return "Here " + "; ".join(parts) + f" (after dividing the logits by T = {format_t(t)})."


def samples_sentence(counts: np.ndarray, p: np.ndarray, names: Sequence[str], seed: int) -> str:
    draws = int(counts.sum())
    top = int(np.argmax(counts))
    never = int(np.sum((counts == 0) & (p > 0)))
    removed = int(np.sum(p == 0))
    text = (
        f"{draws:,} draws with seed {seed}: {state.shown(names[top], 30)} came up "
        f"{counts[top]:,} times (expected {draws * p[top]:.0f}); "
        f"{int(np.sum(counts > 0))} different tokens were drawn."
    )
    if removed:
        text += f" The {removed} removed tokens were never drawn (probability exactly 0)."
    if never:
        text += f" {never} kept tokens were never drawn: too rare for {draws:,} draws."
    return text


# --- everything one setting of the knobs shows ---------------------------------------------------


@dataclass(frozen=True)
class KnobView:
    """What the page shows for one setting of the candidates and the knobs (shared across
    sessions by :func:`knob_view`: arrays read-only, figures frozen)."""

    steps: Filtered
    entropy_after: float
    vocab_after: float
    chart: go.Figure
    sentence: str
    rules_sentence: str | None


@st.cache_resource(max_entries=128, show_spinner=False)
def knob_view(
    *,
    z: np.ndarray,
    names: tuple[str, ...],
    t: float,
    top_k: int | None,
    top_p: float | None,
    min_p: float | None,
    present: bool,
    muted: bool,
) -> KnobView:
    """Everything a move of T, top-k, top-p or min-p redraws, from the core, for one setting."""
    steps = filter_steps(z, t, top_k, top_p, min_p)
    for a in (steps.scaled, steps.model_probs, steps.tempered_probs, steps.probs):
        read_only(a)
    title = f"Next token after “{PROMPT} …”<br><sup>{knob_title(t, top_k, top_p, min_p)}</sup>"
    return KnobView(
        steps=steps,
        entropy_after=float(entropy(steps.probs)),
        vocab_after=effective_vocabulary(steps.probs),
        chart=freeze(distribution_figure(steps, names, title=title, present=present, muted=muted)),
        sentence=distribution_sentence(steps, names, t),
        rules_sentence=removed_sentence(steps, t),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def samples_view(
    *, p: np.ndarray, names: tuple[str, ...], seed: int, subtitle: str, present: bool
) -> tuple[np.ndarray, go.Figure, str]:
    """The seeded draws' counts, their chart and sentence."""
    counts = read_only(sample(p, DRAWS, seed))
    fig = samples_figure(
        counts,
        p,
        names,
        title=f"{DRAWS:,} seeded draws (seed {seed}) against {DRAWS:,} × p"
        f"<br><sup>{subtitle}</sup>",
        present=present,
    )
    return counts, freeze(fig), samples_sentence(counts, p, names, seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_sweep(
    *,
    z: np.ndarray,
    names: tuple[str, ...],
    t: float,
    top_k: int | None,
    top_p: float | None,
    min_p: float | None,
    present: bool,
) -> go.Figure:
    return sweep_figure(z, names, t, top_k, top_p, min_p, present)


LESSON_TOP_P = 0.9
LESSON_MIN_P = 0.1


def knob_lessons(z: np.ndarray) -> str:
    """The "why each knob exists" text, every number computed on these candidates (with
    top_p = :data:`LESSON_TOP_P` and min_p = :data:`LESSON_MIN_P`, whatever the knobs say, so
    a knob move does not re-send it)."""
    greedy = filter_steps(z, TEMPERATURES[0]).probs
    top = int(np.argmax(z))
    p_show, m_show = LESSON_TOP_P, LESSON_MIN_P
    rows = []
    for t in (0.5, 2.0):
        kept_p = filter_steps(z, t, top_p=p_show).n_kept
        steps_m = filter_steps(z, t, min_p=m_show)
        rows.append((kept_p, steps_m.n_kept, steps_m.min_p_threshold))
    (p1, m1, thr1), (p2, m2, thr2) = rows
    t1, t2 = 0.5, 2.0
    conf1 = float(filter_steps(z, t1).probs.max())
    conf2 = float(filter_steps(z, t2).probs.max())
    return (
        f"- **Temperature.** T → 0 is greedy decoding: at T = {format_t(TEMPERATURES[0])} the "
        f"most likely candidate gets {_pct(float(greedy[top]))}. At **T = 1 with top_p = 1** "
        "(and top-k, min-p off) the sampling distribution *is* the model's own softmax: the two "
        "bars of each token are equal. T > 1 flattens it towards uniform: more surprising "
        "text, more mistakes.\n"
        "- **Top-k** keeps the k most likely tokens (and every token tied with the k-th), "
        "however the probability is spread: too few when the model is unsure, too many when it "
        "is sure.\n"
        f"- **Top-p** (nucleus) keeps the most likely tokens that together hold about top_p "
        "of the probability: exactly, it drops tokens from the least likely up while their "
        "running total stays ≤ 1 − top_p (the most likely always stays). "
        f"With top_p = {p_show:g} these candidates keep {p1} tokens at "
        f"T = {format_t(t1)} (top token {_pct(conf1)}) and {p2} at T = {format_t(t2)} "
        f"(top token {_pct(conf2)}).\n"
        f"- **Min-p** keeps tokens with at least min_p × the top probability, so its cut-off "
        f"follows the model's confidence: with min_p = {m_show:g} the cut-off is "
        f"{thr1:.3g} at T = {format_t(t1)} ({m1} tokens kept) and {thr2:.3g} at "
        f"T = {format_t(t2)} ({m2} kept). Top-p's cut-off is a fixed share of the mass; "
        "min-p's is relative to the leader, which is why it stays sensible at high T.\n"
        "- **What to try in class:** set T to the lowest step and draw samples (always the same "
        "token); raise T to 2 and watch the effective vocabulary grow; then turn min_p on and "
        "see how few of the new tail tokens it lets through."
    )


# --- predict, then reveal -----------------------------------------------------------------------

QUIZ_ID = "sampling/"


def quiz_settings(seed: int) -> tuple[float, float, float]:
    """The quiz's (T, top_p, min_p) from its seed."""
    rng = np.random.default_rng(seed)
    t = float(rng.choice([0.5, 0.8, 1.0, 1.5, 2.0]))
    top_p = float(rng.choice([0.5, 0.7, 0.8, 0.9, 0.95]))
    min_p = float(rng.choice([0.05, 0.1, 0.2, 0.3]))
    return t, top_p, min_p


# --- attention ----------------------------------------------------------------------------------

D_K_RANGE = (1, 1024)
D_K_DEFAULT = 64
N_KEYS = 16
N_QUERIES = 32
ATTENTION_SEED = 0
D_K_GRID: tuple[int, ...] = tuple(2**i for i in range(11))  # 1 … 1024


@dataclass(frozen=True)
class AttentionView:
    """What the attention section shows for one d_k (shared across sessions, figures frozen)."""

    record: AttentionScaling
    weights_chart: go.Figure
    curves_chart: go.Figure
    sentence: str


def attention_weights_figure(record: AttentionScaling, *, present: bool = False) -> go.Figure:
    """The first query's attention weights over the keys, without (trace ``q·k``) and with
    (trace ``q·k/√d_k``) the scale."""
    n = record.n_keys
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=np.arange(n), y=record.weights[0], name="softmax(q·k)", marker={"color": MUTED})
    )
    fig.add_trace(
        go.Bar(
            x=np.arange(n),
            y=record.scaled_weights[0],
            name="softmax(q·k/√d_k)",
            marker={"color": PALETTE[0], "pattern": {"shape": "/"}},
        )
    )
    base_layout(
        fig,
        title=f"One query's attention weights over {n} keys<br><sup>d_k = {record.d_k}, "
        f"seed {record.seed}</sup>",
        x_title="key",
        y_title="weight",
        present=present,
    )
    fig.update_layout(barmode="group", hovermode="x unified", margin={"t": 120})
    fig.update_yaxes(range=[0, 1.05])
    return fig


def attention_curves_figure(rows: list, d_k: int, record, *, present: bool = False) -> go.Figure:
    """Entropy of the weights and size of the softmax Jacobian against d_k (log axis), with and
    without the scale, the current d_k marked."""
    ds = [r.d_k for r in rows]
    width = line_width(present)
    fig = go.Figure()
    for name, attr, colour, dash in (
        ("entropy, q·k (nats)", "entropy", PALETTE[1], "dash"),
        ("entropy, q·k/√d_k (nats)", "scaled_entropy", PALETTE[0], "solid"),
        ("‖Jacobian‖, q·k", "jacobian_norm", PALETTE[5], "dot"),
        ("‖Jacobian‖, q·k/√d_k", "scaled_jacobian_norm", PALETTE[2], "dashdot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=ds,
                y=[getattr(r, attr) for r in rows],
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": width},
            )
        )
    fig.add_vline(x=d_k, line={"color": "grey", "dash": "dot"})
    base_layout(
        fig,
        title=f"Entropy and ‖Jacobian‖ as d_k grows<br>"
        f"<sup>{record.n_keys} keys, mean of {record.n_queries} queries, seed "
        f"{record.seed}; dotted: d_k = {d_k}</sup>",
        x_title="d_k (log scale)",
        y_title="nats / Frobenius norm",
        present=present,
    )
    fig.update_xaxes(type="log")
    fig.update_layout(  # the two-line title at the very top, the two-row legend under it
        title={"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 16}},
        margin={"t": 170 if present else 150},
        height=fig.layout.height + 60,
    )
    return fig


def attention_sentence(record: AttentionScaling) -> str:
    """The summary under the attention charts: every number from ``record``."""
    return (
        f"At d_k = {record.d_k}, the raw scores q·k spread with standard deviation "
        f"{record.spread:.3g} (√d_k = {math.sqrt(record.d_k):.3g}); scaled by 1/√d_k they spread "
        f"{record.scaled_spread:.3g}. Without the scale the largest weight averages "
        f"{record.max_weight:.2f} and the entropy is {record.entropy:.2f} nats of a possible "
        f"{math.log(record.n_keys):.2f}; the softmax Jacobian's norm, the factor every gradient "
        f"to the scores passes through, is {record.jacobian_norm:.3g}. With the scale: "
        f"largest weight {record.scaled_max_weight:.2f}, entropy {record.scaled_entropy:.2f} "
        f"nats, Jacobian norm {record.scaled_jacobian_norm:.3g}."
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def attention_view(*, d_k: int, present: bool) -> AttentionView:
    record = attention_scaling(d_k, N_KEYS, ATTENTION_SEED, N_QUERIES)
    rows = [attention_scaling(d, N_KEYS, ATTENTION_SEED, N_QUERIES) for d in D_K_GRID]
    return AttentionView(
        record=record,
        weights_chart=freeze(attention_weights_figure(record, present=present)),
        curves_chart=freeze(attention_curves_figure(rows, d_k, record, present=present)),
        sentence=attention_sentence(record),
    )
