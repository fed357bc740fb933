"""Activation explorer: one activation's f and f′, a point probe, comparisons, presets, quiz.

The left column (the activation, presets, x-range, probe, quiz and sweep switches) runs with the
whole page. The parameters' sliders and everything they drive (the chart, the readout,
properties, code, comparison, quiz) run in one ``st.fragment`` in the right column: a slider
move reruns only that, so the server sends, and the browser redraws, only what can change (see
docs/PERFORMANCE.md). The export row, under the settings, is the page's: its CSV serves the
table the fragment last wrote. Under it all, behind the ``gated`` toggle, a section of its own
(a fragment with its own ``gated_*`` keys) draws the gated units f(a, b) = a·g(b).
"""

from __future__ import annotations

import zlib

import numpy as np
import streamlit as st

from activations import ACTIVATIONS, GATED_UNITS
from ui import classroom, gated_view, routing, state
from ui import explorer_view as view
from ui.plotting import PLOTLY_CONFIG

routing.ensure_router()
cls = classroom.setup()

st.title("Activation explorer")
st.markdown(
    "Pick an activation and move its sliders. The solid line is **f**, the dashed line its "
    "derivative **f′**: f′ is the factor a gradient is multiplied by when it flows back through "
    "this unit. Grey bands mark where |f′| < 0.01 — there the gradient all but vanishes."
)

# --- read and validate the link -------------------------------------------------------------------

COMPARE_WHAT = {"f": "f", "df": "f′"}
CSV_KEY = "csv_download"
PROBE_DEFAULT = 1.0
SWEEP_PARAMS = sorted({p.name for a in ACTIVATIONS.values() for p in a.params})


def _compare_check(raw: str) -> str | None:
    unknown = [s for s in raw.split(",") if s and s not in ACTIVATIONS]
    return "names no known activation" if unknown else None


problems = state.check_query_params(
    {
        **state.activation_checks(),
        "x_range": view.x_range_check,
        "probe_x": state.number_in(-view.X_LIMIT, view.X_LIMIT),
        "compare": _compare_check,
        "compare_what": state.one_of(COMPARE_WHAT, "curve (f or df)"),
        "quiz": state.boolean(),
        "sweep": state.boolean(),
        "sweep_param": state.one_of(SWEEP_PARAMS, "parameter name"),
        "gated": state.boolean(),
        "gated_unit": state.one_of(GATED_UNITS, "gated unit (glu, reglu, geglu, swiglu)"),
        "gated_view": state.one_of(gated_view.VIEWS, "view (f, da or db)"),
        "gated_d_model": state.number_in(
            gated_view.D_MODEL_LOW, gated_view.D_MODEL_HIGH, integer=True
        ),
    }
)
state.warn_about(problems)


# --- presets: set the widgets through the URL (see _apply_preset) ---------------------------------


def _apply_preset(preset: view.Preset) -> None:
    """on_click of a preset button: set the widgets through st.session_state (see
    ``state.seed_widget``) and the URL, so the link is right even before the rerun."""
    if preset.slug != st.session_state.get(state.ACTIVATION_KEY):
        st.session_state[state.ACTIVATION_KEY] = preset.slug
        st.query_params[state.ACTIVATION_KEY] = preset.slug
        state.load_params_of_chosen()
    for name, value in preset.params:
        key = state.param_key(name)
        st.session_state[key] = float(value)
        st.query_params[key] = str(float(value))


# --- the settings column (full runs) and what the parameters drive (a fragment) -------------------


def _presets(cls: classroom.Classroom, act) -> None:
    presets = view.PRESETS.get(act.name, ())
    if presets and not cls.hides("presets"):
        with st.container(horizontal=True, gap="small"):
            for i, preset in enumerate(presets):
                st.button(
                    preset.label,
                    key=f"preset_{act.name}_{i}",
                    on_click=_apply_preset,
                    args=(preset,),
                    help=preset.help or "Sets the sliders to this framework default.",
                )


def _formulas(act) -> None:
    # Side by side where both fit, one under the other where they do not (xIELU's cases, the tanh
    # form of GELU): a wrapping row of content-wide formulas, never a clipped one.
    with st.container(horizontal=True, gap="large"):
        st.latex(act.formula, width="content")
        st.latex(act.derivative_formula, width="content")
    st.caption(f"At the kinks: {act.kink}.")


def _controls(cls: classroom.Classroom, act):
    """The left column under the picker: presets, x-range, probe, quiz, sweep (full reruns)."""
    _presets(cls, act)

    # x-range: a range slider kept in the URL as "lo,hi".
    raw_range = st.query_params.get("x_range")
    initial_range = (view.parse_x_range(raw_range) if raw_range else None) or view.X_DEFAULT
    if cls.hides("x_range"):
        x_range = initial_range
    else:
        state.seed_widget("x_range", initial_range)
        x_range = st.slider(
            "x range",
            min_value=-view.X_LIMIT,
            max_value=view.X_LIMIT,
            step=view.X_STEP,
            key="x_range",
            help="The interval of inputs x shown in the charts.",
        )
        x_range = (float(x_range[0]), float(x_range[1]))
        if x_range[0] == x_range[1]:  # a zero-width range: widen it by one step
            x_range = (x_range[0], x_range[0] + view.X_STEP)
        state.sync_url(
            "x_range", view.format_x_range(*x_range), view.format_x_range(*view.X_DEFAULT)
        )

    # The probe: a number field, so exact values can be typed.
    raw_probe = st.query_params.get("probe_x")
    initial_probe = float(raw_probe) if raw_probe is not None else PROBE_DEFAULT
    if cls.hides("probe_x"):
        probe = initial_probe
    else:
        state.seed_widget("probe_x", initial_probe)
        probe = state.number_field(
            "Probe at x₀",
            -view.X_LIMIT,
            view.X_LIMIT,
            step=0.1,
            format="%.3f",
            key="probe_x",
            help="Shows f(x₀), f′(x₀) and the tangent line at x₀.",
        )
        state.sync_url("probe_x", f"{probe:g}", f"{PROBE_DEFAULT:g}")

    quiz = state.url_toggle(
        "Quiz mode: predict, then reveal",
        key="quiz",
        hidden=cls.hides("quiz"),
        help="Hides f′ until you have guessed where it is largest; adds a mystery derivative.",
    )

    # The instant sweep: every value of one parameter sent at once, swapped in the browser.
    sweep_on, sweep_name = False, None
    if act.params:
        sweep_on = state.url_toggle(
            "Instant sweep: drag a parameter inside a chart",
            key="sweep",
            hidden=cls.hides("sweep"),
            help="Draws f and f′ for every value of one parameter; the slider under that chart "
            "swaps them in your browser, without waiting for the server.",
        )
        names = [p.name for p in act.params]
        symbols = {p.name: p.symbol for p in act.params}
        if sweep_on and len(names) > 1:
            sweep_name = state.url_selectbox(
                "Parameter to sweep",
                names,
                key="sweep_param",
                default=names[0],
                format_func=lambda n: symbols[n],
                hidden=cls.hides("sweep_param"),
            )
        else:
            sweep_name = names[0]
    return x_range, probe, quiz, sweep_on, sweep_name


def _answered_where(where_id: str, where_key: str) -> bool:
    return (
        where_id in st.session_state.get("_explorer_answered", {})
        or st.session_state.get(where_key) is not None
    )


def _details(act, params, params_items) -> None:
    """Properties at these parameters and framework code, side by side (wrapping on a phone)."""
    with st.container(horizontal=True, gap="large"):
        with st.expander("Properties at these parameters", expanded=True):
            try:
                st.markdown(view.cached_properties_markdown(slug=act.name, params=params_items))
            except Exception as exc:  # the core's estimate must never take the page down
                st.warning(f"Could not compute the properties: {type(exc).__name__}.")
        # Filled only while open: a slider move does not send code nobody is looking at.
        code = st.expander("Code: PyTorch / Keras / JAX", key="code_open", on_change="rerun")
        if code.open:
            with code:
                classroom.snippet_tabs(act, params)


def _compare(cls, act, params_items, x_range):
    """The overlay of other activations; returns (compared entries, what is compared)."""
    st.subheader("Compare")
    raw_compare = st.query_params.get("compare", "")
    initial_compare = [s for s in dict.fromkeys(raw_compare.split(",")) if s in ACTIVATIONS]
    if cls.hides("compare"):
        compare = initial_compare
    else:
        state.seed_widget("compare", initial_compare)
        compare = st.multiselect(
            "Overlay other activations (each with its own last-used parameters)",
            list(ACTIVATIONS),
            format_func=lambda s: ACTIVATIONS[s].label,
            key="compare",
            placeholder="Choose activations to overlay on the current one",
        )
        state.sync_url("compare", ",".join(compare), "")
    compared = [(s, view.items(state.stored_params(s))) for s in compare if s != act.name]
    raw_what = st.query_params.get("compare_what", "f")
    initial_what = raw_what if raw_what in COMPARE_WHAT else "f"
    if cls.hides("compare_what") or not compared:  # nothing overlaid: nothing to switch
        what = initial_what
    else:
        state.seed_widget("compare_what", initial_what)
        what = st.radio(
            "Show",
            list(COMPARE_WHAT),
            format_func=lambda k: COMPARE_WHAT[k],
            horizontal=True,
            key="compare_what",
        )
        state.sync_url("compare_what", what, "f")

    entries = [(act.name, params_items), *compared]
    if compared:
        st.plotly_chart(
            view.cached_compare_figure(
                entries=tuple(entries), x_range=x_range, what=what, present=cls.present
            ),
            config=PLOTLY_CONFIG,
            key="compare_chart",
        )
        symbol = COMPARE_WHAT[what]
        spans = []
        for slug, p in entries:
            c = view.cached_curves(slug=slug, params=p, x_range=x_range)
            y = c.df if what == "df" else c.f
            spans.append(
                f"{ACTIVATIONS[slug].label} from {view.fmt(float(np.min(y)))} to "
                f"{view.fmt(float(np.max(y)))}"
            )
        classroom.summary(
            f"On [{view.fmt(x_range[0])}, {view.fmt(x_range[1])}], {symbol} goes: "
            + "; ".join(spans)
            + "."
        )
    return compared, what


def _answer_once(quiz_id: str, correct: bool) -> None:
    answered = st.session_state.setdefault("_explorer_answered", {})
    if quiz_id not in answered:
        answered[quiz_id] = correct
        classroom.record_answer(quiz_id, correct)


def _quiz(cls, act, params, params_items, x_range, where_id, where_key) -> None:
    st.subheader("Quiz: predict, then reveal")
    seed = classroom.quiz_seed()
    score_slot = st.empty()  # filled after this run's answers are counted

    # (b) where is f′ largest? for the current activation.
    spans = view.intervals(x_range)
    labels = {str(i): f"[{view.fmt(a)}, {view.fmt(b)}]" for i, (a, b) in enumerate(spans)}
    labels[view.TIE] = "It ties: f′ reaches the same largest value in several of these"
    correct_where, argmax = view.where_answer(act.name, params_items, x_range)
    st.markdown(
        f"**1. Where is f′ of {view.describe(act, params)} largest** on "
        f"[{view.fmt(x_range[0])}, {view.fmt(x_range[1])}]? (f′ is hidden above until you answer)"
    )
    guess = st.radio(
        "Your prediction",
        list(labels),
        index=None,
        format_func=labels.get,
        key=where_key,
    )
    if guess is not None:
        _answer_once(where_id, guess == correct_where)
        if guess == correct_where:
            st.success(f"Right: {labels[correct_where]}.", icon=":material/check_circle:")
        else:
            st.error(f"Not quite: the answer is {labels[correct_where]}.", icon=":material/cancel:")
        st.plotly_chart(
            view.reveal_figure(act.name, params_items, x_range, cls.present),
            config=PLOTLY_CONFIG,
            key="reveal_chart",
        )
        top = float(act.derivative(argmax, **params))
        where_text = (
            "it reaches this value in more than one interval"
            if correct_where == view.TIE
            else f"first reached at x ≈ {view.fmt(argmax)}"
        )
        classroom.summary(f"The largest f′ on the grid is {view.fmt(top)}, {where_text}.")

    # (a) which activation is this derivative?
    answer, options = view.which_question(seed)
    which_id = f"explorer_which_{seed}"
    st.markdown("**2. This is the derivative f′ of which activation?**")
    st.plotly_chart(
        view.cached_mystery_figure(answer, cls.present), config=PLOTLY_CONFIG, key="mystery_chart"
    )
    pick = st.radio(
        "Your answer",
        options,
        index=None,
        format_func=lambda s: ACTIVATIONS[s].label,
        key=f"quiz_which_{seed}",
    )
    if pick is not None:
        _answer_once(which_id, pick == answer)
        if pick == answer:
            st.success(f"Right: {ACTIVATIONS[answer].label}.", icon=":material/check_circle:")
        else:
            st.error(
                f"No: it is {ACTIVATIONS[answer].label}. {ACTIVATIONS[pick].label}'s f′ "
                "looks different — overlay both in Compare to see how.",
                icon=":material/cancel:",
            )
        st.caption(ACTIVATIONS[answer].note)
    right, asked = classroom.score("explorer_")
    score_slot.metric("Score", f"{right} / {asked}")


def _publish_table(act, params, params_items, x_range, compared, what) -> None:
    """The CSV of what the charts show, for the page's download button (built on a click)."""
    settings = {
        "activation": act.name,
        **{f"param {k}": v for k, v in params.items()},
        "x_range": view.format_x_range(*x_range),
        "compare": ",".join(s for s, _ in compared),
        "compared curves": COMPARE_WHAT[what],
    }
    compared = tuple(compared)
    classroom.latest_table(CSV_KEY).table = classroom.Table(
        # built on a click only, outside the script run: pure functions, no st.*
        lambda: view.csv_columns(act.name, params_items, x_range, compared, what),
        settings,
    )


@st.fragment
@state.urls_written_last  # the charts reach the browser before the URL
def _explorer(cls: classroom.Classroom, slug: str, x_range, probe, quiz, sweep_on, sweep_name):
    """The parameters and everything they drive. The other settings come from the full run
    (a change there reruns the whole page); ``slug``, not the Activation, because Streamlit
    deep-copies a fragment's arguments on each of its reruns."""
    act = ACTIVATIONS[slug]
    params = state.param_sliders(act, hides=cls.hides)
    params_items = view.items(params)
    where_id = f"explorer_where_{act.name}_{params_items}_{x_range}"
    where_key = f"quiz_where_{zlib.crc32(where_id.encode())}"
    show_df = not quiz or _answered_where(where_id, where_key)
    f0 = float(act.forward(probe, **params))
    d0 = float(act.derivative(probe, **params))

    # Cached calls take keyword arguments: Streamlit's cache looks up the name of each positional
    # argument with inspect.signature on every call (~16 µs apiece).
    fig = view.cached_main_figure(
        slug=act.name,
        params=params_items,
        x_range=x_range,
        probe=probe,
        present=cls.present,
        show_derivative=show_df,
    )
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="explorer_chart")
    if show_df:
        classroom.summary(view.cached_summary(slug=act.name, params=params_items, x_range=x_range))
    else:
        classroom.summary(
            f"{view.describe(act, params)}: f on [{view.fmt(x_range[0])}, "
            f"{view.fmt(x_range[1])}]; f′ is hidden until you answer the quiz below."
        )
    with st.container(horizontal=True):
        st.metric(f"f({view.fmt(probe)})", view.fmt(f0))
        st.metric(f"f′({view.fmt(probe)})", view.fmt(d0) if show_df else "?")
    if sweep_on and not show_df:
        st.caption("The sweep shows f′ too: answer the quiz below first.")
    elif sweep_on:
        st.plotly_chart(
            view.cached_sweep_figure(
                slug=act.name,
                name=sweep_name,
                params_items=params_items,
                x_range=x_range,
                present=cls.present,
            ),
            config=PLOTLY_CONFIG,
            key="sweep_chart",
        )
        symbol = next(p.symbol for p in act.params if p.name == sweep_name)
        classroom.summary(
            f"Drag the slider under this chart to sweep {symbol} of {act.label}: f and f′ "
            "for each value are already in your browser, so the curves change at once."
        )

    _details(act, params, params_items)
    compared, what = _compare(cls, act, params_items, x_range)
    if quiz:
        _quiz(cls, act, params, params_items, x_range, where_id, where_key)
    _publish_table(act, params, params_items, x_range, compared, what)


# The left column runs with the whole page (a change there reruns everything); the right column
# holds the formulas and, in a fragment, the parameters and all they drive: a parameter move
# reruns only that fragment, so the server sends, and the browser redraws, only what can change.
settings, main = st.columns([1, 2], gap="large")
with settings:
    chosen = state.pick_activation(hides=cls.hides)
    view_settings = _controls(cls, chosen)
    # Under the settings it shares, not in the fragment (a move does not re-send it): its CSV is
    # built on a click from the table the fragment last wrote.
    classroom.export_row(
        "Download the chart data (CSV)",
        f"activation_{chosen.name}.csv",
        CSV_KEY,
        help="x, f and f′ (and the compared curves) on the chart's grid. For a PNG, use the "
        "camera icon in the chart's toolbar: its title holds the settings.",
    )
with main:
    _formulas(chosen)
    _explorer(cls, chosen.name, *view_settings)
if chosen.note:  # below the interactive part, so the chart stays near the top of the screen
    st.info(chosen.note, icon=":material/lightbulb:")


# --- gated units: two inputs, f(a, b) = a·g(b) (activations/gated.py) ----------------------------


@st.fragment
@state.urls_written_last
def _gated_units(cls: classroom.Classroom) -> None:
    """The gated-units section: its own widgets (keys gated_*, in the URL), its own reruns."""
    st.subheader("Gated units: f(a, b) = a · g(b)")
    st.markdown(
        "The feed-forward layers of today's language models multiply two projections of the "
        "same input, one of them passed through a gate g: **a** = xW and **b** = xV. "
        "The unit has two inputs, so it is drawn over the (a, b) plane."
    )
    unit = state.url_selectbox(
        "Gated unit",
        list(GATED_UNITS),
        key="gated_unit",
        default="swiglu",
        format_func=lambda u: GATED_UNITS[u].label,
        hidden=cls.hides("gated_unit"),
    )
    u = GATED_UNITS[unit]
    f_col, da_col, db_col = st.columns(3)
    f_col.latex(u.formula)
    da_col.latex(u.grad_a_formula)
    db_col.latex(u.grad_b_formula)
    raw_view = st.query_params.get("gated_view", "f")
    initial_view = raw_view if raw_view in gated_view.VIEWS else "f"
    if cls.hides("gated_view"):
        which = initial_view
    else:
        state.seed_widget("gated_view", initial_view)
        which = st.radio(
            "Show",
            list(gated_view.VIEWS),
            format_func=gated_view.VIEWS.get,
            horizontal=True,
            key="gated_view",
        )
        state.sync_url("gated_view", which, "f")
    st.plotly_chart(
        gated_view.cached_surface_figure(unit=unit, which=which, present=cls.present),
        config=PLOTLY_CONFIG,
        key="gated_chart",
    )
    classroom.summary(gated_view.cached_surface_summary(unit=unit, which=which))
    st.plotly_chart(
        gated_view.cached_cut_figure(unit=unit, present=cls.present),
        config=PLOTLY_CONFIG,
        key="gated_cut_chart",
    )
    classroom.summary(gated_view.cut_summary(unit))
    d_model = state.url_slider(
        "Model width d (for the ⅔-width rule)",
        gated_view.D_MODEL_LOW,
        gated_view.D_MODEL_HIGH,
        key="gated_d_model",
        default=gated_view.D_MODEL_DEFAULT,
        step=gated_view.D_MODEL_STEP,
        integer=True,
        hidden=cls.hides("gated_d_model"),
        help="A gated block has three weight matrices instead of two: at ⅔ of the plain "
        "hidden width it has the same number of parameters.",
    )
    st.markdown(gated_view.width_markdown(gated_view.width_rule(int(d_model))))
    torch_tab, jax_tab = st.tabs(["PyTorch", "JAX"])
    torch_tab.code(u.pytorch, language="python")
    jax_tab.code(u.jax, language="python")
    st.caption(u.note)


if state.url_toggle(
    "Gated units (GLU, ReGLU, GEGLU, SwiGLU): two inputs",
    key="gated",
    hidden=cls.hides("gated"),
    help="f(a, b) = a·g(b) over the (a, b) plane, its gradients, why SwiGLU is not Swish, "
    "and the ⅔-width rule.",
):
    _gated_units(cls)


cls.check_only()  # last: names the keys of ?only= that are no control of this page
