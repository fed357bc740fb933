"""Training lab: train a small network on a 2-D dataset and watch what the activation does to
learning (dead units, saturation, speed), for up to four activations raced on the same data,
initial weights and minibatches.

What a move costs. The numeric controls a class moves (the activation's parameters, noise,
layers, width, learning rate, batch, steps, L2, seed) and everything they drive run in the
fragment :func:`explore`: a move reruns only that, trains (once per setting for the whole server:
``ui.training_view.run`` is shared) and re-sends the charts. The choices of *what* is trained
(dataset, activation, initialisation, optimizer, the race, quiz mode), the lessons, the export
row and the explanations run with the whole page. The scrubber under the decision surface is
Plotly's own slider and Play/Pause buttons over frames: using them never reaches the server.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from activations import ACTIVATIONS, Activation
from ui import classroom, routing, state
from ui import training_view as view
from ui.plotting import PLOTLY_CONFIG

routing.ensure_router()
cls = classroom.setup()

st.title("Training lab")
st.markdown(
    "Train a small fully connected network to separate two classes of points, and watch what "
    "the activation function does to **learning**: the decision surface as it forms, the loss, "
    "how many units **die** (f′ = 0 on every training point, so no gradient reaches them "
    "again), and how large the gradients and the updates are in each layer. Add activations to "
    "the race: they train on the same data, from the same initial weights, on the same "
    "minibatches, so any difference is the activation's."
)

# --- read and validate the link -------------------------------------------------------------------

INT_SETTINGS = {
    "layers": view.LAYERS_RANGE,
    "width": view.WIDTH_RANGE,
    "batch": view.BATCH_RANGE,
    "steps": view.STEPS_RANGE,
    "seed": view.SEED_RANGE,
}
problems = state.check_query_params(
    {
        **state.activation_checks(),
        "dataset": state.one_of(view.DATASETS, "dataset"),
        "noise": state.number_in(*view.NOISE_RANGE),
        **{k: state.number_in(*r, integer=True) for k, r in INT_SETTINGS.items()},
        "init": state.one_of(view.INITS, "initialisation"),
        "optimizer": state.one_of(view.OPTIMIZERS, "optimizer"),
        "lr": view.lr_check,
        "l2": state.number_in(*view.L2_RANGE),
        "compare": view.check_compare,
        "quiz": state.boolean(),
    }
)
state.warn_about(problems)

CSV_KEY = "training_csv"
#: The widgets a lesson sets (each also in the URL); a lesson resets every one of them.
LESSON_KEYS = (
    "dataset",
    "noise",
    "activation",
    "compare",
    "layers",
    "width",
    "init",
    "optimizer",
    "lr",
    "batch",
    "steps",
    "l2",
    "seed",
)


def _apply_lesson(lesson_id: str) -> None:
    """on_click of a lesson: every setting back to its default, then the lesson's, through the
    URL (the widgets are dropped, so each is seeded again from the link on the rerun)."""
    lesson = view.LESSONS[lesson_id]
    for key in list(st.query_params):
        if key in LESSON_KEYS or key.startswith("param_"):
            del st.query_params[key]
    for key in list(st.session_state):
        if key in LESSON_KEYS or key.startswith("param_") or key.endswith("_exact"):
            del st.session_state[key]
    for key, value in lesson.query:
        st.query_params[key] = value


# --- the interactive part -------------------------------------------------------------------------


@st.fragment
@state.urls_written_last  # the charts reach the browser before the URL
def explore(
    act: Activation,
    compare: list[str],
    dataset_name: str,
    init: str,
    optimizer: str,
    sliders: DeltaGenerator,
    charts: DeltaGenerator,
) -> None:
    """The numeric controls, the training and everything it draws: one fragment (module
    docstring). The sliders go into ``sliders``, the verdict, the surface and the loss into
    ``charts``; the per-layer charts are drawn where this is called."""
    d = view.DEFAULTS
    with sliders:
        params = state.param_sliders(act, hides=cls.hides)
        noise = state.url_slider(
            "Noise",
            *view.NOISE_RANGE,
            key="noise",
            default=d["noise"],
            step=view.NOISE_STEP,
            hidden=cls.hides("noise"),
            help="How far the points stray from the clean pattern (Playground's 0–50 %).",
        )
        layers = state.url_slider(
            "Hidden layers",
            *view.LAYERS_RANGE,
            key="layers",
            default=d["layers"],
            step=1,
            integer=True,
            hidden=cls.hides("layers"),
        )
        width = state.url_slider(
            "Width (units per hidden layer)",
            *view.WIDTH_RANGE,
            key="width",
            default=d["width"],
            step=1,
            integer=True,
            hidden=cls.hides("width"),
        )
        lr = view.lr_slider(hidden=cls.hides("lr"))
        batch = state.url_slider(
            "Batch (examples per step)",
            *view.BATCH_RANGE,
            key="batch",
            default=d["batch"],
            step=1,
            integer=True,
            hidden=cls.hides("batch"),
            help=f"{view.TRAIN_ROWS} is the whole training set: full-batch gradient descent.",
        )
        steps = state.url_slider(
            "Steps",
            *view.STEPS_RANGE,
            key="steps",
            default=d["steps"],
            step=view.STEPS_STEP,
            integer=True,
            hidden=cls.hides("steps"),
        )
        l2 = state.url_slider(
            "L2 weight decay",
            *view.L2_RANGE,
            key="l2",
            default=d["l2"],
            step=view.L2_STEP,
            format="%.4f",
            hidden=cls.hides("l2"),
            help="Adds l2/2 · ΣW² to the loss (weights, not biases).",
        )
        seed = state.url_slider(
            "Random seed",
            *view.SEED_RANGE,
            key="seed",
            default=d["seed"],
            step=1,
            integer=True,
            hidden=cls.hides("seed"),
            help="Fixes the data, the initial weights and the minibatches.",
        )

    settings = view.Settings(
        dataset=dataset_name,
        noise=float(noise),
        layers=int(layers),
        width=int(width),
        init=init,
        optimizer=optimizer,
        lr=float(lr),
        batch=int(batch),
        steps=int(steps),
        l2=float(l2),
        seed=int(seed),
    )
    table_settings = {
        "activation": act.name,
        **{f"param_{k}": v for k, v in params.items()},
        "compare": ",".join(compare),
        **settings.as_dict(),
    }
    refused = view.too_big(settings, [act.name, *compare])
    if refused is not None:
        with charts:
            st.error(refused, icon=":material/hourglass_disabled:")
        classroom.latest_table(CSV_KEY).table = classroom.Table(
            {}, {**table_settings, "not trained": refused}
        )
        return

    entries = [(act.name, view.params_key(params))]
    for slug in compare:
        if slug != act.name:
            entries.append((slug, view.params_key(state.stored_params(slug))))
    with charts:
        runs = view.train_all(entries, settings)
    drawn = view.figures(key=tuple(entries), settings=settings, present=cls.present, _runs=runs)

    with charts:
        lines = view.verdict_lines(runs, settings)
        text = "\n\n".join(lines)
        if any(r.diverged_at is not None for _, r in runs):
            st.error(text, icon=":material/warning:")
        elif any(view.dead_units(r, settings.width) or view.symmetric_layers(r) for _, r in runs):
            st.warning(text, icon=":material/heart_broken:")
        else:
            st.success(text, icon=":material/check_circle:")
        lesson_id = view.lesson_for(act.name, compare, settings)
        if lesson_id is not None and not act.params:
            lesson = view.LESSONS[lesson_id]
            holds, evidence = view.lesson_evidence(lesson_id, runs, settings)
            shows = "" if holds else " (this run does not show it: see the charts)"
            st.info(
                f"**Lesson: {lesson.title}.** {lesson.claim}{shows}\n\n{evidence}",
                icon=":material/school:",
            )
        surface_text = view.surface_summary(runs, settings)
        st.plotly_chart(drawn.surface, config=PLOTLY_CONFIG, key=view.SURFACE_KEY, alt=surface_text)
        classroom.summary(surface_text)
        loss_text = view.loss_summary(runs, settings)
        st.plotly_chart(drawn.loss, config=PLOTLY_CONFIG, key="training_loss_chart", alt=loss_text)
        classroom.summary(loss_text)

    dead_text = view.layer_summary(runs, "dead_fraction", "Share of dead units per layer")
    grad_text = view.layer_summary(runs, "grad_norm", "Gradient norm ‖∂L/∂W‖ per layer")
    ratio_text = view.layer_summary(
        runs,
        "update_ratio",
        "Update/weight ratio ‖ΔW‖/‖W‖ per layer (the rule of thumb is about 1e-3: "
        "far below, the layer barely learns; far above, it is unstable)",
    )
    with st.container(horizontal=True, gap="medium"):
        st.plotly_chart(drawn.dead, config=PLOTLY_CONFIG, key="training_dead_chart", alt=dead_text)
        st.plotly_chart(drawn.grad, config=PLOTLY_CONFIG, key="training_grad_chart", alt=grad_text)
        st.plotly_chart(
            drawn.ratio, config=PLOTLY_CONFIG, key="training_ratio_chart", alt=ratio_text
        )
    saturated_text = view.layer_summary(
        runs,
        "saturated_fraction",
        "Share of saturated unit inputs (|f′(z)| < 0.01 on a training point, the explorer's grey "
        "band) per layer",
    )
    classroom.summary(view.paragraphs(dead_text, saturated_text, grad_text, ratio_text))

    classroom.latest_table(CSV_KEY).table = classroom.Table(
        lambda: view.csv_columns(runs), table_settings
    )


# --- predict, then reveal -------------------------------------------------------------------------


@st.fragment
def quiz() -> None:
    """The quiz: its own fragment (answering reruns only this)."""
    st.subheader("Predict, then reveal")
    q_seed = classroom.quiz_seed()
    q = view.quiz_question(q_seed)
    names = ", ".join(f"**{view.label(s)}**" for s in q.activations)
    st.markdown(
        f"Which activation wins this race? {names} train on **{q.settings.dataset}** with "
        f"{q.settings.layers} hidden layer{'s' if q.settings.layers > 1 else ''} of "
        f"{q.settings.width} units, He init, SGD at learning rate {view.format_lr(q.settings.lr)}, "
        f"{q.settings.steps} steps. Which reaches the lowest test loss?"
    )
    quiz_id = f"training-{q_seed}"
    pick = st.radio(
        "Your prediction",
        list(q.activations),
        format_func=view.label,
        index=None,
        key=f"training_quiz_{q_seed}",
        horizontal=True,
    )
    if pick is None:
        return
    with st.spinner("Racing…"):
        q_runs = view.quiz_runs(q)
    best = view.winner(q_runs)
    correct = pick == best
    classroom.record_answer(quiz_id, correct)
    right, asked = classroom.score("training-")
    loss, step = view.best_test(dict(q_runs)[best])
    (st.success if correct else st.error)(
        ("Right! " if correct else "Not quite. ")
        + f"{view.label(best)} reached the lowest test loss, {loss:.3g} at step {step}."
    )
    st.metric("Score", f"{right} / {asked}")
    q_text = view.loss_summary(q_runs, q.settings)
    st.plotly_chart(
        view.quiz_figure(q_seed, cls.present, q_runs),
        config=PLOTLY_CONFIG,
        key="training_quiz_chart",
        alt=q_text,
    )
    classroom.summary(q_text)


# --- the page ----------------------------------------------------------------------------------

if not cls.hides("lessons"):
    st.markdown("**Lessons** (each sets every control; the claim is checked on the run):")
    with st.container(horizontal=True, gap="small"):
        for lesson_id, lesson in view.LESSONS.items():
            st.button(
                lesson.title,
                key=f"lesson_{lesson_id}",
                on_click=_apply_lesson,
                args=(lesson_id,),
                help=lesson.claim,
                icon=":material/school:",
            )

quiz_area = st.container()
controls, charts = st.columns([1, 2], gap="large")
with controls:
    act = state.pick_activation(hides=cls.hides)
    dataset_name = state.url_selectbox(
        "Dataset",
        list(view.DATASETS),
        key="dataset",
        default=str(view.DEFAULTS["dataset"]),
        format_func=view.DATASETS.__getitem__,
        hidden=cls.hides("dataset"),
        help="TensorFlow Playground's four datasets, and scikit-learn's two moons: 400 points, "
        "320 to train on and 80 to test.",
    )
    init = state.url_selectbox(
        "Initialisation of the weights",
        list(view.INITS),
        key="init",
        default=str(view.DEFAULTS["init"]),
        format_func=view.INITS.__getitem__,
        hidden=cls.hides("init"),
        help="Each layer's own fan-in (and fan-out for Xavier); biases start at 0.",
    )
    optimizer = state.url_selectbox(
        "Optimizer",
        list(view.OPTIMIZERS),
        key="optimizer",
        default=str(view.DEFAULTS["optimizer"]),
        format_func=view.OPTIMIZERS.__getitem__,
        hidden=cls.hides("optimizer"),
    )
    sliders = st.container()  # filled by explore()
    raw_compare = st.query_params.get("compare")
    initial_compare = (view.parse_compare(raw_compare) if raw_compare else None) or []
    if cls.hides("compare"):
        compare = initial_compare
    else:
        state.seed_widget("compare", initial_compare)
        compare = st.multiselect(
            "Race against (same data, weights and batches)",
            list(ACTIVATIONS),
            format_func=view.label,
            key="compare",
            max_selections=view.MAX_COMPARE,
            help="Each trains with that activation's parameters as last set in this session.",
        )
    state.sync_url("compare", ",".join(compare), "")
    quiz_on = state.url_toggle(
        "Quiz mode: predict, then reveal", key="quiz", hidden=cls.hides("quiz")
    )

st.subheader("Inside the network, layer by layer")
explore(act, compare, dataset_name, init, optimizer, sliders, charts)
classroom.export_row("Loss and accuracy curves (CSV)", f"training_{act.name}.csv", CSV_KEY)
if quiz_on:
    with quiz_area:
        quiz()

# --- explanations ---------------------------------------------------------------------------------

with st.expander("What is trained exactly?"):
    st.markdown(
        "Inputs (x₁, x₂) → hidden layers (each Wx + b, then the activation) → a linear layer "
        "to one logit per class → softmax cross-entropy. The loss is the mean cross-entropy "
        "over the minibatch plus l2/2·ΣW² over the weights. Each epoch shuffles the training "
        "rows and cuts them into minibatches (a final partial one is dropped). The gradients "
        "are computed by hand from the catalogue's derivatives, and checked against PyTorch's "
        "autograd in the tests. The curves are measured on the whole training and test sets."
    )
with st.expander("Dead, saturated, and the 1e-3 rule"):
    st.markdown(
        "- **Dead unit:** f′(z) = 0 for every training input. No gradient reaches its "
        "incoming weights, so gradient descent can never revive it. ReLU units die when a "
        "large update pushes their bias and weights so that z < 0 everywhere; Leaky ReLU, ELU "
        "and GELU have f′ ≠ 0 for z < 0, so their units cannot die this way.\n"
        "- **Saturated** inputs have |f′(z)| < 0.01 (the explorer's grey band): sigmoid and "
        "tanh for large |z|. They pass almost no gradient, and a deep stack of them passes "
        "almost none at all.\n"
        "- **Update/weight ratio** ‖ΔW‖/‖W‖ per step: around 10⁻³ is a common rule of thumb "
        "(CS231n). Far below, the layer is barely learning; far above, training is unstable."
    )
with st.expander("Why race on the same weights and batches?"):
    st.markdown(
        "Every raced activation starts from the same initial weights (drawn from the seed) "
        "and sees the same minibatches in the same order. A different seed changes both, and "
        "with a small network the winner of a race can change with it: try a few seeds before "
        "drawing a conclusion."
    )

# The scrubber's Pause without an uncaught error (ui.training_view.SCRUBBER_JS): constant text.
st.html(view.SCRUBBER_HTML, unsafe_allow_javascript=True)
cls.check_only()  # last: names the keys of ?only= that are no control of this page
