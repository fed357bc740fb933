"""Gradient through depth: a deep MLP's gradients and activations, layer by layer.

What a slider move costs. The sliders a class moves all the time (the activation's parameters,
σ_w, depth, width) and everything they drive run in the fragment :func:`explore`, so a move
reruns only that and re-sends only what it can change: those sliders, the verdict, the charts and
their captions. Every widget and element re-sent is a message to every student's browser and
costs the server time, so the rest runs with the whole page, which only happens when one of its
controls changes: the title and the explanations, the choices of *what* is simulated
(activation, initialisation, residual connections, comparison, quiz mode), the controls a
lesson sets once (batch, seed, the critical-init button) and the export row, whose CSV is built
on a click from what the fragment last simulated. The two columns, and the heading between the
line charts and the heatmaps, are drawn by the page; the fragment writes into them (``sliders``
and ``charts``), and Streamlit keeps its place in each, so on a move neither the columns nor the
heading are sent again. The quiz has its own fragment: answering it reruns
only the quiz.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from activations import ACTIVATIONS, Activation
from activations.depth import INITS, verdict
from ui import classroom, routing, state
from ui import depth_view as view
from ui.plotting import PLOTLY_CONFIG

routing.ensure_router()
cls = classroom.setup()

st.title("Gradient through depth")
st.markdown(
    "A stack of fully connected layers, all the same width, with random inputs and a random "
    "gradient arriving at the top. Backprop multiplies the gradient by one factor per layer, "
    "about **σ_w·f′(z)·√width**: a factor below 1 makes it **vanish**, above 1 **explode**. "
    "Watch the first chart, the gradient signal ∂L/∂h_l relative to the top layer: between its "
    "two dotted lines is healthy. Dashed lines are the mean-field prediction, exact only for "
    "infinitely wide layers; the caption under the chart says how far this run is from it."
)
st.markdown(view.RULE)

# --- read and validate the link -------------------------------------------------------------------

INT_SETTINGS = {"depth": view.DEPTH_RANGE, "width": view.WIDTH_RANGE, "batch": view.BATCH_RANGE}
problems = state.check_query_params(
    {
        **state.activation_checks(),
        **{k: state.number_in(*r, integer=True) for k, r in INT_SETTINGS.items()},
        "seed": state.number_in(*view.SEED_RANGE, integer=True),
        "init": state.one_of(INITS, "initialisation"),
        "weight_std": state.number_in(*view.WEIGHT_STD_RANGE),
        "residual": state.boolean(),
        "compare": view.check_pairs,
        "quiz": state.boolean(),
    }
)
state.warn_about(problems)

CRITICAL_ERROR = "_depth_critical_error"
#: What the critical-init button set, explained: (activation, sentence), shown while the
#: activation stays chosen and the init is custom.
CRITICAL_NOTE = "_depth_critical_note"
#: What the fragment last simulated: (activation, params, width, depth). The critical-init
#: button is drawn by the page, so its own arguments would be those of the last full run, not of
#: the sliders the fragment has moved since.
SHAPE = "_depth_shape"
CSV_KEY = "depth_csv"


def _set_critical() -> None:
    """on_click of "Critical init": switch to custom init with the critical σ_w.

    The callback drops the two widgets' state and writes the new values to the URL, which the
    ``url_*`` helpers read when they give the widgets their initial value. (Setting only
    st.session_state is not enough: σ_w's slider does not exist yet when init was not custom,
    and a widget that appears for the first time is seeded from the URL.) The click reruns the
    whole page, the fragment with it.
    """
    slug, params, width, depth = st.session_state[SHAPE]
    sigma = view.critical(slug, params, width, depth)
    if sigma is None:
        st.session_state[CRITICAL_ERROR] = (
            slug,
            f"{ACTIVATIONS[slug].label}: no weight scale makes the per-layer gain 1 "
            "(its derivative is 0 almost everywhere, or the gain never crosses 1).",
        )
        return
    st.session_state.pop(CRITICAL_ERROR, None)
    for key in ("init", "weight_std"):
        st.session_state.pop(key, None)
    shown = min(sigma, view.WEIGHT_STD_RANGE[1])
    st.query_params["init"] = "custom"
    st.query_params["weight_std"] = f"{shown:.4f}"
    st.session_state[CRITICAL_NOTE] = (slug, view.critical_explanation(width, depth, sigma))


# --- the interactive part -------------------------------------------------------------------------


@st.fragment
@state.urls_written_last  # the charts reach the browser before the URL
def explore(
    act: Activation,
    init: str,
    residual: bool,
    pairs: list[str],
    batch: int,
    seed: int,
    sliders: DeltaGenerator,
    charts: DeltaGenerator,
) -> None:
    """The sliders, the simulation and everything it draws: one fragment (module docstring).

    ``act``, ``init``, ``residual``, ``pairs``, ``batch`` and ``seed`` come from the page's own
    controls, which rerun the whole page (and so this) when they change. The sliders go into
    ``sliders`` (the left column), the verdict and the line charts into ``charts`` (the right
    one); the heatmaps are drawn where this is called, under the page's heading. The export
    row under them is the page's: its CSV serves the table this writes on each run.
    """
    with sliders:
        params = state.param_sliders(act, hides=cls.hides)
        pkey = view.params_key(params)
        weight_std = None
        if init == "custom":
            weight_std = state.url_slider(
                "σ_w (custom weight standard deviation)",
                *view.WEIGHT_STD_RANGE,
                key="weight_std",
                default=view.DEFAULTS["weight_std"],
                step=view.WEIGHT_STD_STEP,
                format="%.4f",
                hidden=cls.hides("weight_std"),
                help="He for ReLU is √(2/width); Xavier/LeCun √(1/width).",
            )
        depth = state.url_slider(
            "Depth (layers)",
            *view.DEPTH_RANGE,
            key="depth",
            default=view.DEFAULTS["depth"],
            step=1,
            integer=True,
            hidden=cls.hides("depth"),
        )
        width = state.url_slider(
            "Width (units per layer)",
            *view.WIDTH_RANGE,
            key="width",
            default=view.DEFAULTS["width"],
            step=1,
            integer=True,
            hidden=cls.hides("width"),
            help="Wide layers follow the mean-field prediction closely. Above ~512 each run takes "
            "seconds (the weight matrices alone are depth × width² numbers).",
        )
        st.session_state[SHAPE] = (act.name, pkey, width, depth)
        weights = depth * width * width
        if weights > view.SLOW_WEIGHTS:
            st.caption(
                f":material/hourglass: {depth} layers × {width}² weights = "
                f"{weights / 1e6:.0f} million numbers: each change takes seconds. "
                "Width 256 shows the same effects almost instantly."
            )

    too_big = view.too_big(depth, width, batch)
    if too_big is not None:  # refused before anything is allocated (view.RUN_MEMORY_BUDGET)
        with charts:
            st.error(too_big, icon=":material/memory:")
        classroom.latest_table(CSV_KEY).table = classroom.Table(
            {}, {"depth": depth, "width": width, "batch": batch, "not simulated": too_big}
        )
        return

    # --- simulate ---------------------------------------------------------------------------------

    main_args: view.RunArgs = (
        act.name,
        pkey,
        depth,
        width,
        batch,
        init,
        seed,
        residual,
        weight_std,
    )
    result = view.run_for(main_args)
    v = verdict(result)
    settings = view.settings_text(act.name, params, init, result.sigma_w, depth, width)
    run_settings = f"{settings}, batch {batch}, seed {seed}" + (", residual" if residual else "")
    main_name = (
        view.pair_label(act.name, init)
        if init != "custom"
        else f"{act.name}·σ_w={result.sigma_w:.4g}"
    )
    runs = [(main_name, result)]
    run_keys = [(main_name, main_args)]
    for pair in pairs:
        slug, pair_init = pair.split(view.PAIR_SEP)
        if slug == act.name and pair_init == init:
            continue
        args: view.RunArgs = (
            slug,
            view.params_key(state.stored_params(slug)),
            depth,
            width,
            batch,
            pair_init,
            seed,
            residual,
            None,
        )
        runs.append((view.pair_label(slug, pair_init), view.run_for(args)))
        run_keys.append((runs[-1][0], args))
    # Keyword arguments: Streamlit's cache looks up a positional argument's name on every call.
    drawn = view.figures(
        key=tuple(run_keys), _runs=runs, run_settings=run_settings, present=cls.present
    )

    # --- verdict and line charts (right column) ---------------------------------------------------

    with charts:
        sentence = view.verdict_sentence(v, depth)
        if init != "custom":  # what the named init means at this width (custom shows σ_w already)
            sentence += f"\n\nσ_w = {result.sigma_w:.4g} · {run_settings}"
        if v.overflowed:
            st.error(sentence, icon=":material/warning:")
        elif v.kind == "healthy":
            st.success(sentence, icon=":material/check_circle:")
        else:
            st.warning(sentence, icon=":material/trending_down:")
        if view.is_all_zero_init(result):
            st.warning(view.symmetry_sentence(result), icon=":material/drag_handle:")

        if act.name == "selu" and init == "lecun" and pkey == view.params_key(act.param_defaults()):
            st.caption(view.selu_note(width, depth))

        # One caption under each chart (every element is a message on each move): the summary
        # for screen readers and what the log axis leaves out; under the first chart the rule
        # and the gap to the dashed line, under the second why it is not the verdict's chart.
        signal_text = view.signal_summary(result, v, settings)
        st.plotly_chart(drawn.signal, config=PLOTLY_CONFIG, key="depth_grad_chart", alt=signal_text)
        classroom.summary(
            view.paragraphs(
                signal_text,
                *view.not_drawn_notes(runs, "grad_stds"),
                *([view.RESIDUAL_FORM] if residual else []),
            )
        )
        grad_text = view.grad_summary(result, settings)
        st.plotly_chart(
            drawn.grad_norm, config=PLOTLY_CONFIG, key="depth_weight_grad_chart", alt=grad_text
        )
        classroom.summary(
            view.paragraphs(
                grad_text, *view.not_drawn_notes(runs, "grad_norms"), view.WEIGHT_VS_SIGNAL
            )
        )
        std_text = view.std_summary(result, settings)
        st.plotly_chart(drawn.spread, config=PLOTLY_CONFIG, key="depth_std_chart", alt=std_text)
        classroom.summary(view.paragraphs(std_text, *view.not_drawn_notes(runs, "activation_stds")))

    # --- the heatmaps (under the page's heading) and the table the page's CSV serves ------------

    # One row that wraps (side by side on a laptop, stacked on a phone): one block, where
    # st.columns(2) would send three on every move.
    with st.container(horizontal=True, gap="medium"):
        st.plotly_chart(drawn.act_hist, config=PLOTLY_CONFIG, key="depth_act_hist_chart")
        st.plotly_chart(drawn.grad_hist, config=PLOTLY_CONFIG, key="depth_grad_hist_chart")
    classroom.summary(
        view.paragraphs(
            f"{settings}: heatmaps of where the activations and the gradients ∂L/∂h of each "
            "layer fall; a band collapsing onto 0 means the signal dies out.",
            view.cached_histogram_caption(key=main_args, _result=result),
        )
    )

    classroom.latest_table(CSV_KEY).table = classroom.Table(
        lambda: view.csv_columns(result),  # built on a click only
        {
            "activation": act.name,
            **{f"param_{k}": val for k, val in params.items()},
            "init": init,
            "sigma_w": result.sigma_w,
            "depth": depth,
            "width": width,
            "batch": batch,
            "seed": seed,
            "residual": residual,
            "verdict": v.kind,
        },
    )


# --- predict, then reveal -------------------------------------------------------------------------


@st.fragment
def quiz() -> None:
    """The quiz: its own fragment, since it depends on nothing the sliders set (answering or
    asking for a new question reruns only this)."""
    st.subheader("Predict, then reveal")
    q_seed = classroom.quiz_seed()
    q = view.quiz_question(q_seed)
    st.markdown(
        f"**{ACTIVATIONS[q.slug].label}** with **{view.INIT_LABELS[q.init]}** init, "
        f"**{q.depth} layers** of width {q.width}: will the gradient reaching the first "
        "layer vanish, explode, or survive?"
    )
    quiz_id = f"depth-{q_seed}"
    pick = st.radio(
        "Your prediction",
        list(view.QUIZ_ANSWERS),
        format_func=view.QUIZ_ANSWERS.__getitem__,
        index=None,
        key=f"depth_quiz_{q_seed}",
        horizontal=True,
    )
    if pick is None:
        return
    q_params = ACTIVATIONS[q.slug].param_defaults()
    q_result = view.run(
        q.slug, view.params_key(q_params), q.depth, q.width, q.batch, q.init, q_seed, False, None
    )
    q_verdict = verdict(q_result)
    correct = pick == q_verdict.kind
    classroom.record_answer(quiz_id, correct)
    right, asked = classroom.score("depth-")
    (st.success if correct else st.error)(
        ("Right! " if correct else "Not quite. ") + view.verdict_sentence(q_verdict, q.depth)
    )
    st.metric("Score", f"{right} / {asked}")
    q_settings = view.settings_text(q.slug, q_params, q.init, q_result.sigma_w, q.depth, q.width)
    q_fig = view.quiz_figure(q_seed, cls.present, q_result, q_settings)
    q_text = view.signal_summary(q_result, q_verdict, q_settings)
    st.plotly_chart(q_fig, config=PLOTLY_CONFIG, key="depth_quiz_chart", alt=q_text)
    classroom.summary(q_text)
    st.caption(view.quiz_explanation(q_result, q_verdict))


# --- the page ----------------------------------------------------------------------------------

quiz_area = st.container()  # the quiz, in quiz mode: on a phone the question comes first
controls, charts = st.columns([1, 2], gap="large")
with controls:
    # What is simulated: these rerun the whole page (rarely moved, and the sliders below depend
    # on them: the activation's parameters, σ_w for a custom init).
    act = state.pick_activation(hides=cls.hides)
    init = state.url_selectbox(
        "Initialisation of the weights",
        list(INITS),
        key="init",
        default=view.DEFAULTS["init"],
        format_func=view.INIT_LABELS.__getitem__,
        hidden=cls.hides("init"),
        help="How the weights are drawn: normal with mean 0 and this standard deviation σ_w. "
        "Xavier's σ² = 2/(fan_in + fan_out) is 1/width here (every layer is width × width).",
    )
    sliders = st.container()  # filled by explore(): the activation's parameters and the shape
    # Set once for a lesson rather than dragged: out of the fragment, so a move of the sliders
    # above does not re-send them (a change reruns the whole page).
    batch = state.url_slider(
        "Batch (examples)",
        *view.BATCH_RANGE,
        key="batch",
        default=view.DEFAULTS["batch"],
        step=1,
        integer=True,
        hidden=cls.hides("batch"),
    )
    seed = state.url_slider(
        "Random seed",
        *view.SEED_RANGE,
        key="seed",
        default=view.DEFAULTS["seed"],
        step=1,
        integer=True,
        hidden=cls.hides("seed"),
    )
    if not cls.hides("critical"):
        st.button(
            "Critical init: set σ_w so the gain is 1",
            key="critical",
            on_click=_set_critical,
            icon=":material/balance:",
            help="Solves σ_w²·width·E[f′(z)²] = 1 (mean field, averaged over the layers) "
            "and switches the initialisation to custom.",
            width="stretch",
        )
    # Shown while the activation it is about stays chosen.
    error_slug, error = st.session_state.get(CRITICAL_ERROR, (None, ""))
    if error_slug == act.name:
        st.error(error)
    note_slug, note = st.session_state.get(CRITICAL_NOTE, (None, ""))
    if note_slug == act.name and init == "custom":
        st.caption(note)
    residual = state.url_toggle(
        "Residual connections",
        key="residual",
        hidden=cls.hides("residual"),
        help="Pre-activation residual blocks, h_l = h_{l−1} + f(h_{l−1})·W_l: an identity path "
        "around every layer, so the backward gain becomes 1 + χ ≥ 1.",
    )
    raw_pairs = st.query_params.get("compare")
    initial_pairs = (view.parse_pairs(raw_pairs) if raw_pairs else None) or []
    if cls.hides("compare"):
        pairs = initial_pairs
    else:
        state.seed_widget("compare", initial_pairs)
        pairs = st.multiselect(
            "Compare with (activation·init)",
            view.pair_options(),
            format_func=view.format_pair,
            key="compare",
            max_selections=view.MAX_COMPARE,
            help="Each pair runs with the same depth, width, batch and seed, and that "
            "activation's parameters as last set in this session.",
        )
    state.sync_url("compare", ",".join(pairs), "")
    quiz_on = state.url_toggle(
        "Quiz mode: predict, then reveal", key="quiz", hidden=cls.hides("quiz")
    )

st.subheader("Distributions per layer")
explore(act, init, residual, pairs, batch, seed, sliders, charts)
# The file's settings lines give depth and width: the name is fixed when the page draws it.
classroom.export_row("Per-layer statistics (CSV)", f"depth_{act.name}_{init}.csv", CSV_KEY)
if quiz_on:
    with quiz_area:
        quiz()

# --- explanations ---------------------------------------------------------------------------------

with st.expander("Why one factor per layer?"):
    st.markdown(
        "Backprop through layer l computes ∂L/∂h_{l−1} = (∂L/∂h_l ⊙ f′(z_l)) W_lᵀ. Each of the "
        "width terms in that sum has size about σ_w·|f′(z)|, so the gradient's size is "
        "multiplied by about **σ_w·√width·f′** per layer. Over 50 layers a factor 0.8 leaves "
        "0.8⁵⁰ ≈ 10⁻⁵ of the gradient: the first layers barely learn. The mean-field theory "
        "makes this exact for wide layers: the gradient's mean square is multiplied by "
        "**χ = σ_w²·width·E[f′(z)²]** per layer; χ = 1 is *critical*."
    )
_, _, shown_width, shown_depth = st.session_state[SHAPE]
with st.expander("Which initialisation for which activation?"):
    st.markdown(
        "- **Xavier / Glorot** (σ² = 2/(fan_in + fan_out)) for tanh-like functions.\n"
        "- **He / Kaiming** (σ² = 2/fan_in) for ReLU: half the units are off, so the variance is "
        "doubled to compensate.\n"
        "- **LeCun** (σ² = 1/fan_in) for SELU, whose constants keep mean 0 and variance 1.\n"
        f"- {view.selu_note(shown_width, shown_depth)}\n"
        "- **Zeros**: every unit of a layer computes the same thing and gets the same update — "
        "the symmetry is never broken.\n"
        "- **Residual connections** add an identity path (gain 1 + χ ≥ 1); normalisation layers "
        "rescale each layer."
    )
with st.expander("What is simulated exactly?"):
    st.markdown(
        "Inputs and the gradient arriving at the top are standard normal, weights are normal "
        "with standard deviation σ_w, no biases. The first chart shows the standard deviation "
        "of the gradient signal ∂L/∂h_l at each layer divided by its value at the top: the "
        "verdict reads its value at layer 0. The second shows the Frobenius norm of ∂L/∂W_l, "
        "the gradient the optimiser would use for layer l; since ∂L/∂W_l = h_{l−1}ᵀ·δz_l it "
        "also carries the forward signal, so it can change by a different factor. Values "
        "beyond float64's range are reported as an overflow instead of drawn. " + view.RESIDUAL_FORM
    )
cls.check_only()  # last: names the keys of ?only= that are no control of this page
