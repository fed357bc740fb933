"""Softmax: from logits to probabilities, temperature, the loss and its gradient, the Jacobian."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from activations import parse_logits, softmax, sparsemax
from activations.softmax import MAX_LOGITS
from ui import classroom, routing, state, sweep
from ui import softmax_view as view
from ui.plotting import PLOTLY_CONFIG

DEFAULT_LOGITS = "1.8, 0.9, 0.68"
MAX_LOGITS_CHARS = 20_000
MAX_LABELS_CHARS = 4_000
_LAST_VALID = "_softmax_last_valid_logits"
_LAST_LABELS = "_softmax_last_labels"  # read by the sampling page (ui/sampling_view.py)
_SET_ASIDE_TARGET = "_softmax_set_aside_target"  # the true class while the logits are too few
NO_TARGET = "none"
CSV_KEY = "softmax_csv"

routing.ensure_router()
cls = classroom.setup()
present = cls.present

st.title("Softmax")
st.markdown(
    "Softmax turns a vector of scores (**logits**) into probabilities that are all positive and "
    "sum to 1. Type your own logits, then move the **temperature**: watch the bars sharpen "
    "towards the largest logit or flatten towards 1/n, while every class keeps some probability."
)
st.latex(r"\operatorname{softmax}(z; T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}")

# Rejected URL values, reported together once the number of classes (for ``target``) is known.
link_problems = state.check_query_params(
    {
        "temperature": view.temperature_check,
        "quiz": state.boolean(),
        "t_sweep": state.boolean(),
        "sparse": state.boolean(),
        "label_smoothing": state.number_in(view.EPS_LOW, view.EPS_HIGH),
    }
)
link_warning = st.empty()

# --- controls -----------------------------------------------------------------------------------

left, right = st.columns(2)
with left:
    logits_text = state.url_text_input(
        "Logits z (numbers separated by commas)",
        key="logits",
        default=DEFAULT_LOGITS,
        max_chars=MAX_LOGITS_CHARS,
        hidden=cls.hides("logits"),
        help=f"Up to {MAX_LOGITS:,} numbers: decimals or scientific notation (1e-3), separated "
        "by commas, spaces or semicolons; optionally in [brackets].",
    )
    bad_input: str | None = None
    try:
        z = parse_logits(logits_text)
        st.session_state[_LAST_VALID] = z
    except ValueError as exc:
        bad_input = str(exc)
        st.error(
            f"Could not read the logits. {view.parser_message(bad_input)}", icon=":material/error:"
        )
        z = st.session_state.get(_LAST_VALID)
        if z is None:
            z = parse_logits(DEFAULT_LOGITS)
    n = len(z)
    labels_text = state.url_text_input(
        "Class labels (optional, comma-separated)",
        key="labels",
        default="",
        max_chars=MAX_LABELS_CHARS,
        hidden=cls.hides("labels"),
        placeholder="e.g. cat, dog, bird",
    )
    labels, label_problem = view.parse_labels(labels_text, n)
    st.session_state[_LAST_LABELS] = labels_text  # the sampling page offers them with the logits
    if label_problem:
        st.warning(label_problem, icon=":material/label_off:")
with right:
    target_options = [NO_TARGET, *(str(i) for i in range(n))]
    if "target" not in st.session_state:  # a link just opened: check its target
        link_problems += state.check_query_params(
            {"target": state.one_of(target_options, "class index")}
        )
    # The true class survives the logits shrinking below it: set aside while it is out of range
    # (no loss drawn, and a note says so), restored when there are enough logits again, unless
    # the student picked another class meanwhile.
    chosen = st.session_state.get("target")
    if chosen is not None and chosen not in target_options:
        st.session_state[_SET_ASIDE_TARGET] = chosen
        st.session_state["target"] = NO_TARGET
    set_aside = st.session_state.get(_SET_ASIDE_TARGET)
    if set_aside in target_options and st.session_state.get("target") == NO_TARGET:
        st.session_state["target"] = set_aside
        st.session_state.pop(_SET_ASIDE_TARGET)
        set_aside = None
    target_key = state.url_selectbox(
        "True class y (for the loss)",
        target_options,
        key="target",
        default=NO_TARGET,
        format_func=lambda s: "none" if s == NO_TARGET else f"{s}: {labels[int(s)]}",
        hidden=cls.hides("target"),
        help="Pick the correct class to see the cross-entropy loss and its gradient.",
        on_change=lambda: st.session_state.pop(_SET_ASIDE_TARGET, None),  # a choice of one's own
    )
    if set_aside is not None:
        st.caption(
            f"The true class {set_aside} you picked needs at least {int(set_aside) + 1} logits; "
            f"these are {n}, so no loss is shown. It comes back when there are enough logits."
        )
    target = None if target_key == NO_TARGET else int(target_key)
    quiz_on = state.url_toggle("Predict, then reveal (quiz)", key="quiz", hidden=cls.hides("quiz"))

with link_warning.container():
    state.warn_about(link_problems)
if bad_input is not None:
    st.info(
        f"The charts below still show the last valid logits, {view.logits_summary(z)} (greyed), "
        "with your other settings.",
        icon=":material/history:",
    )

# --- predict, then reveal -----------------------------------------------------------------------


def reveal(question: str, seed: int, answered: bool) -> bool:
    """A Reveal button; True from the click on (remembered for this seed and question)."""
    flag = f"_softmax_revealed_{question}_{seed}"
    if st.button("Reveal", key=f"quiz_reveal_{question}_{seed}", disabled=not answered):
        st.session_state[flag] = True
    return bool(st.session_state.get(flag))


def verdict(correct: bool, text: str) -> None:
    (st.success if correct else st.error)(("Right. " if correct else "Not quite. ") + text)


if quiz_on:  # above the charts: on a phone the question comes first, as on the depth page
    st.subheader("Predict, then reveal")
    seed = classroom.quiz_seed()
    qz, qt = view.quiz_logits(seed)
    qn = len(qz)
    q_labels = [f"class {i}" for i in range(qn)]
    st.markdown(f"Logits for this round: **z = {view.logits_summary(qz)}**.")

    st.markdown("**1. As T → 0, which class gets all the probability?**")
    options = [view.class_option(i, qz) for i in range(qn)] + [view.TIE]
    choice = st.radio("Your prediction", options, index=None, key=f"quiz_cold_{seed}")
    if reveal("cold", seed, choice is not None):
        p_cold = softmax(qz, 1e-3)
        answer = view.cold_answer(p_cold, qz)
        correct = choice == answer
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/cold", correct)
        verdict(correct, f"The answer is {answer}: dividing by a tiny T blows up the gaps.")
        st.plotly_chart(
            view.probability_figure(
                p_cold,
                q_labels,
                title=f"Quiz, T = 0.001<br><sup>z = {view.logits_summary(qz)}</sup>",
                present=present,
            ),
            config=PLOTLY_CONFIG,
            key=f"quiz_cold_chart_{seed}",
        )

    st.markdown("**2. As T → ∞, what happens to the probabilities?**")
    choice = st.radio("Your prediction", view.T_INF_OPTIONS, index=None, key=f"quiz_hot_{seed}")
    if reveal("hot", seed, choice is not None):
        p_hot = softmax(qz, 100.0)
        correct = choice == view.T_INF_ANSWER
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/hot", correct)
        verdict(
            correct,
            f"Every class tends to 1/n = {1 / qn:.3g}: z/T → 0 for every logit. At T = 100 the "
            f"probabilities are already between {p_hot.min():.3f} and {p_hot.max():.3f}.",
        )
        st.plotly_chart(
            view.probability_figure(
                p_hot,
                q_labels,
                title=f"Quiz, T = 100<br><sup>z = {view.logits_summary(qz)}</sup>",
                present=present,
            ),
            config=PLOTLY_CONFIG,
            key=f"quiz_hot_chart_{seed}",
        )

    st.markdown(f"**3. At T = {view.format_t(qt)}, what probability does the top class get?**")
    guess = st.slider("Your guess", 0.0, 1.0, value=0.5, step=0.01, key=f"quiz_guess_{seed}")
    if reveal("guess", seed, True):
        p_q = softmax(qz, qt)
        top = float(p_q.max())
        correct = abs(guess - top) <= view.GUESS_TOLERANCE + 1e-9
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/guess", correct)
        verdict(
            correct,
            f"The top class gets {top:.2f}; you guessed {guess:.2f} "
            f"(within ±{view.GUESS_TOLERANCE} counts).",
        )
        st.plotly_chart(
            view.probability_figure(
                p_q,
                q_labels,
                title=f"Quiz, T = {view.format_t(qt)}<br><sup>z = {view.logits_summary(qz)}</sup>",
                guess=guess,
                present=present,
            ),
            config=PLOTLY_CONFIG,
            key=f"quiz_guess_chart_{seed}",
        )
    st.markdown(
        f"**4. At T = {view.format_t(qt)}, how many classes does sparsemax keep "
        "(give a probability above 0)?**"
    )
    kept_options = [str(k) for k in range(1, qn + 1)]
    choice = st.radio(
        "Your prediction", kept_options, index=None, key=f"quiz_sparse_{seed}", horizontal=True
    )
    if reveal("sparse", seed, choice is not None):
        p_sparse = sparsemax(qz, qt)
        kept = int(np.count_nonzero(p_sparse))
        correct = choice == str(kept)
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/sparse", correct)
        verdict(
            correct,
            f"Sparsemax keeps {kept} of {qn}: the classes whose z/T lies above the threshold "
            f"τ = {view.sparsemax_threshold(qz, qt):.3g} get p = z/T − τ, the others exactly 0.",
        )
        st.plotly_chart(
            view.probability_figure(
                p_sparse,
                q_labels,
                title=f"Quiz: sparsemax(z/T), T={view.format_t(qt)}"
                f"<br><sup>z = {view.logits_summary(qz)}</sup>",
                present=present,
            ),
            config=PLOTLY_CONFIG,
            key=f"quiz_sparse_chart_{seed}",
        )
    right, asked = classroom.score(view.QUIZ_ID)
    st.metric("Your score this session", f"{right} / {asked}")

# --- everything the temperature drives -----------------------------------------------------------
#
# A move of T reruns only the fragment `temperature_section`, and Streamlit re-sends only what a
# fragment run writes: each element is a message to every student's browser, which redraws it.
# So the page is laid out here top to bottom as a student reads it: the explanations, which do
# not depend on T, are drawn once per full run, and wherever an output depends on T there is an
# empty slot (a container) for the fragment to fill. A slot costs one message per move (the
# wrapper Streamlit re-sends around the fragment's writes); the text around it costs none.


@dataclass(frozen=True)
class Slots:
    """The containers, in page order, that the temperature fragment writes into."""

    entropy: DeltaGenerator  # a horizontal row of metrics
    sweep: DeltaGenerator | None  # the in-chart temperature sweep, when it is on
    pipeline: DeltaGenerator  # the step-by-step table (keyed: CSS scrolls it on a phone)
    loss: DeltaGenerator | None  # cross-entropy and its gradient, when a true class is picked
    jacobian: DeltaGenerator | None  # None above view.MAX_JACOBIAN classes
    sigmoid: DeltaGenerator
    sparse: DeltaGenerator | None = None  # softmax, sparsemax and 1.5-entmax side by side
    sparse_jacobian: DeltaGenerator | None = None  # None above view.MAX_JACOBIAN classes
    simplex: DeltaGenerator | None = None  # exactly 3 classes only


st.subheader("Probabilities")
# The fragment's own body (the slider, the bars, their summary) goes here; the fragment is
# called at the end, once every slot below exists.
probabilities_area = st.container()
entropy_slot = st.container(horizontal=True)

# Outside the fragment: turning the sweep on or off reruns the whole page (rarely), so a T move
# does not have to redraw the toggle.
sweep_slot = sweep.temperature_sweep_slot(
    n,
    sends="the bars",
    items="classes",
    temperatures=len(view.TEMPERATURES),
    hidden=cls.hides("t_sweep"),
)

with st.expander("What temperature does"):
    st.markdown(
        "Dividing the logits by **T** stretches (T < 1) or squeezes (T > 1) the gaps between "
        "them before the exponential. As **T → 0** the largest logit takes all the "
        "probability (a one-hot on the argmax; tied maxima share it equally). As **T → ∞** "
        "every class tends to 1/n, the dashed line. At every finite T each class keeps a "
        "positive probability: softmax is a *soft* argmax, not argmax itself. Entropy "
        "measures the spread: 0 for a one-hot, log n for uniform."
    )

# --- the stable pipeline ------------------------------------------------------------------------

st.subheader("Step by step: why subtract the maximum")
st.markdown(
    "Softmax does not change when the same constant is added to every logit, so subtracting "
    "the maximum is **exact**, not an approximation. Afterwards every exponent is ≤ 0: "
    "exp cannot overflow, the largest term is exactly 1 and the sum is at least 1. The last "
    "two columns take the naive route, exp(z/T) / Σ exp(z/T), for contrast. Try the logits "
    "1000, 0, -1000: the naive exp(1000) overflows to inf and inf / inf is nan, while the "
    "stable route gives [1, 0, 0] (up to e^−1000)."
)
if n <= view.MAX_MARKDOWN_ROWS:
    st.html(view.PIPELINE_CSS)  # style only: Streamlit keeps it out of the page's flow
pipeline_slot = st.container(key=view.PIPELINE_KEY)

# --- the loss -----------------------------------------------------------------------------------


def label_smoothing_control() -> float:
    """The ε slider (in the URL as ``label_smoothing``) and the optimal gap it implies.

    Outside the temperature fragment: a move of ε reruns the page, a move of T does not redraw
    the slider."""
    value = state.url_slider(
        "Label smoothing ε",
        view.EPS_LOW,
        view.EPS_HIGH,
        key="label_smoothing",
        default=view.EPS_DEFAULT,
        step=view.EPS_STEP,
        hidden=cls.hides("label_smoothing"),
        help="The target becomes (1 − ε)·onehot(y) + ε/n, as in PyTorch's "
        "F.cross_entropy(..., label_smoothing=ε). Accepted: 0 to 1.",
    )
    st.markdown(view.optimal_gap_sentence(n, float(value)))
    return float(value)


loss_slot = None
if target is None:  # ε is still shown (and kept in the link) before a class is picked
    st.subheader("Cross-entropy and label smoothing")
    st.caption("Pick a true class y above to see the loss, the smoothed target and the gradient.")
    eps = label_smoothing_control()
if target is not None:
    st.subheader(f"Cross-entropy with the true class {state.shown(labels[target], 30)}")
    eps = label_smoothing_control()
    loss_slot = st.container()
    with st.expander("Why the gradient is p − y"):
        st.markdown(
            "With L = −log p_y and p = softmax(z/T), the chain rule through the Jacobian "
            "gives ∂L/∂zⱼ = (pⱼ − yⱼ)/T, where y is the one-hot vector of the true class. At "
            "T = 1 it is simply **prediction minus truth**. The loss is computed as "
            "−log_softmax, never as log of a probability that may have rounded to 0."
        )
with st.expander("Label smoothing: why the optimal gap becomes finite"):
    st.markdown(
        "With label smoothing the target is no longer one-hot: the true class gets "
        "1 − ε + ε/n and every other class ε/n. The loss −Σⱼ yⱼ log pⱼ is smallest when the "
        "prediction p equals that target, and a softmax equals it at a finite gap between the "
        "true logit and the others (the formula below). The gradient is still prediction minus "
        "target, p − y_smooth: once p_y exceeds 1 − ε + ε/n it is positive for the true class "
        "and pulls its logit back down. Without smoothing the target 1 is reached only as the "
        "gap goes to infinity, so an over-confident network keeps growing its logits; "
        "smoothing is a cheap regulariser against that (Szegedy et al., 2016)."
    )
    st.latex(r"\frac{z_y - z_j}{T} = \log\frac{1 - \varepsilon + \varepsilon/n}{\varepsilon/n}")

# --- the Jacobian -------------------------------------------------------------------------------

st.subheader("How each probability responds to each logit: the Jacobian")
st.latex(r"\frac{\partial p_i}{\partial z_j} = \frac{p_i\,(\delta_{ij} - p_j)}{T}")
jacobian_slot = None
if n <= view.MAX_JACOBIAN:
    jacobian_slot = st.container()
else:
    st.info(f"The Jacobian is drawn for up to {view.MAX_JACOBIAN} classes; these logits have {n}.")

# --- softmax and sigmoids -----------------------------------------------------------------------

st.subheader("Softmax and the sigmoid")
sigmoid_slot = st.container()
with st.expander("In what sense softmax generalises the sigmoid", expanded=False):
    st.markdown(
        "For **two classes**, softmax([z, 0])₀ = e^z / (e^z + 1) = σ(z): a sigmoid is a "
        "softmax over a class and a fixed zero logit. More generally softmax([z₀, z₁])₀ = "
        "σ(z₀ − z₁) (classes counted from 0, as everywhere on this page): the sentence "
        "under the chart checks it on your first two logits. With "
        "more classes, softmax couples them: raising one logit lowers every other "
        "probability. A **sigmoid per logit** does not: each σ(zᵢ) is between 0 and 1 on its "
        "own and the sum can be anything from 0 to n. That is the right output for "
        "**multi-label** tasks (several labels can be true at once); softmax is for exactly "
        "one true class."
    )

# --- sparse alternatives ------------------------------------------------------------------------

st.subheader("Sparse alternatives: sparsemax and 1.5-entmax")
st.markdown(
    "Softmax never gives a class exactly 0; **sparsemax** and **1.5-entmax** can. Turn on the "
    "comparison to see all three on the same z/T: their bars, their Jacobians and, for three "
    "logits, the probability simplex."
)
# Outside the fragment, like the sweep: off (the default), a T move redraws only the charts
# above (the section's three charts roughly doubled the browser's work per move).
sparse_on = state.url_toggle(
    "Compare sparsemax and 1.5-entmax",
    key="sparse",
    hidden=cls.hides("sparse"),
    help="Adds three charts that follow the temperature: the three maps' bars, their Jacobians "
    "and (for exactly 3 logits) the simplex.",
)
sparse_slot = sparse_jacobian_slot = simplex_slot = None
if sparse_on:
    st.markdown(
        "**Sparsemax** (Martins & Astudillo, 2016) and **1.5-entmax** (Peters, Niculae & "
        "Martins, 2019) subtract a threshold τ and clip at 0, so classes far enough below the "
        "top get **exactly 0**, and no gradient. Both are computed on the same z/T as the bars "
        "above."
    )
    # Two short formulas, not one long line: each fits a phone's width.
    st.latex(r"\operatorname{sparsemax}(z)_i = [z_i - \tau]_+, \quad \textstyle\sum_i p_i = 1")
    st.latex(
        r"\operatorname{entmax}_{1.5}(z)_i = [z_i/2 - \tau]_+^2, \quad \textstyle\sum_i p_i = 1"
    )
    sparse_slot = st.container()
    if n <= view.MAX_JACOBIAN:
        sparse_jacobian_slot = st.container()
    else:
        st.info(
            f"The Jacobians are drawn for up to {view.MAX_JACOBIAN} classes; these logits have {n}."
        )
    if n == 3:
        simplex_slot = st.container()
    else:
        st.caption(
            f"The simplex picture is drawn for exactly 3 logits (a triangle whose corners are the "
            f"three classes); these logits have {n}. Type three logits to see it."
        )
    with st.expander("How sparsemax and entmax work"):
        st.markdown(
            "**Sparsemax** is the Euclidean projection of z/T onto the probability simplex: the "
            "closest probability vector. Sort the logits; the threshold τ is chosen so the kept "
            "ones sum to 1. A class more than 1 below the largest z/T always gets 0. Its Jacobian "
            "is (δᵢⱼ − 1/k)/T on the k kept classes and exactly 0 elsewhere.\n\n"
            "**α-entmax** interpolates: α = 1 is softmax, α = 2 is sparsemax. At **α = 1.5** the "
            "kept probabilities grow quadratically above the threshold, so it is sparse (a class "
            "more than 2 below the largest z/T always gets 0) yet smoother than sparsemax; its "
            "Jacobian weights each kept class by √pᵢ.\n\n"
            "In the simplex picture every point is a probability vector (p₀, p₁, p₂); the corners "
            "are one-hot vectors and a point on an edge has an exact 0. Softmax's path stays "
            "strictly inside at every finite T (in exact arithmetic: for huge gaps float64 rounds "
            "its tiny probabilities to 0)."
        )

# --- export and share ---------------------------------------------------------------------------

st.divider()
classroom.export_row("Download the probabilities (CSV)", "softmax.csv", CSV_KEY)
st.caption("Each chart's camera icon saves a PNG whose title carries the settings.")


@st.fragment
@state.urls_written_last  # the charts reach the browser before the URL
def temperature_section(
    z: np.ndarray,
    labels: list[str],
    target: int | None,
    muted: bool,
    present: bool,
    slots: Slots,
    eps: float = 0.0,
    sparse: bool = False,
) -> None:
    """The temperature slider and every output that depends on T, each into its slot.

    A fragment: moving the slider reruns only this function, not the inputs, the quiz and the
    text around the slots. Everything that shows T (charts, metrics, table, summaries) is written
    here, so nothing on the page goes stale; the CSV button, drawn by the page, serves the table
    this writes to :func:`classroom.latest_table` (and the copy link reads the URL when opened).
    """
    label_key = tuple(labels)
    t = view.temperature_slider(hidden=cls.hides("temperature"))
    out = view.temperature_view(
        z=z,
        labels=label_key,
        t=t,
        target=target,
        present=present,
        muted=muted,
        label_smoothing=eps,
        sparse=sparse,
    )
    st.plotly_chart(out.probability_chart, config=PLOTLY_CONFIG, key="softmax_bars")
    classroom.summary(out.probability_sentence)
    with slots.entropy:
        st.metric("Entropy (nats)", f"{out.entropy_nats:.3f}")
        st.metric("Entropy (bits)", f"{out.entropy_bits:.3f}")

    if slots.sweep is not None:
        with slots.sweep:
            st.plotly_chart(
                view.temperature_sweep(z=z, labels=label_key, t=t, present=present),
                config=PLOTLY_CONFIG,
                key="softmax_t_sweep",
            )
            classroom.summary(
                f"The same softmax(z/T) for all {len(view.TEMPERATURES)} temperatures of the "
                f"slider, from T = {view.format_t(view.T_LOW)} (nearly one-hot on the argmax) to "
                f"T = {view.format_t(view.T_HIGH)} (nearly uniform, 1/n = {1 / len(z):.3g})."
            )

    with slots.pipeline:
        if isinstance(out.pipeline, str):
            st.markdown(out.pipeline)
        else:  # long inputs: a scrolling table (loads pandas, only for these)
            st.dataframe(out.pipeline, hide_index=True, height="auto")
        if out.naive_failure:
            st.warning(out.naive_failure, icon=":material/warning:")

    if slots.loss is not None and out.grad is not None:
        with slots.loss:
            with st.container(horizontal=True):
                st.metric("Cross-entropy −log p_y (nats)", f"{out.loss:.4g}")
                st.metric("p_y", f"{out.p_target:.4g}")
                if out.smoothed_loss is not None:
                    st.metric("Label-smoothed loss (nats)", f"{out.smoothed_loss:.4g}")
            st.plotly_chart(out.gradient_chart, config=PLOTLY_CONFIG, key="softmax_gradient")
            classroom.summary(out.gradient_sentence)

    if slots.jacobian is not None and out.jacobian_chart is not None:
        with slots.jacobian:
            st.plotly_chart(out.jacobian_chart, config=PLOTLY_CONFIG, key="softmax_jacobian")
            classroom.summary(out.jacobian_sentence)

    with slots.sigmoid:
        st.plotly_chart(out.sigmoid_chart, config=PLOTLY_CONFIG, key="softmax_sigmoids")
        classroom.summary(out.sigmoid_sentence)

    if slots.sparse is not None and out.sparse_chart is not None:
        with slots.sparse:
            st.plotly_chart(out.sparse_chart, config=PLOTLY_CONFIG, key="softmax_sparse")
            classroom.summary(out.sparse_sentence)
    if slots.sparse_jacobian is not None and out.sparse_jacobian_chart is not None:
        with slots.sparse_jacobian:
            st.plotly_chart(
                out.sparse_jacobian_chart, config=PLOTLY_CONFIG, key="softmax_sparse_jacobians"
            )
            classroom.summary(out.sparse_jacobian_sentence)
    if slots.simplex is not None and out.simplex_chart is not None:
        with slots.simplex:
            st.plotly_chart(out.simplex_chart, config=PLOTLY_CONFIG, key="softmax_simplex")
            classroom.summary(out.simplex_sentence)

    columns: dict[str, object] = {
        "index": np.arange(len(z)),
        "class": labels,
        "z": z,
        "p": out.probs,
        "sparsemax": out.sparse_probs["sparsemax"],
        "entmax15": out.sparse_probs["1.5-entmax"],
    }
    if out.grad is not None:
        columns["smoothed_target"] = out.y_smooth
        columns["gradient"] = out.grad
    settings = {
        "temperature": view.format_t(t),
        "target": "none" if target is None else f"{target} ({labels[target]})",
        "label_smoothing": view.format_eps(eps),
    }
    classroom.latest_table(CSV_KEY).table = classroom.Table(
        columns,
        # Built on a click: 1,000 logits written out cost ~0.4 ms, on every move otherwise.
        lambda: {"logits": ", ".join(repr(float(v)) for v in z), **settings},
    )


slots = Slots(
    entropy_slot,
    sweep_slot,
    pipeline_slot,
    loss_slot,
    jacobian_slot,
    sigmoid_slot,
    sparse=sparse_slot,
    sparse_jacobian=sparse_jacobian_slot,
    simplex=simplex_slot,
)
with probabilities_area:
    temperature_section(
        z, labels, target, bad_input is not None, cls.present, slots, eps, sparse_on
    )
# After the fragment ran: its entropy metrics are already in the row, so this constant one comes
# after them, and a T move does not re-send it.
entropy_slot.metric(
    "Maximum, log n (nats)", f"{np.log(n):.3f}", help="The entropy of the uniform 1/n."
)
cls.check_only()  # last: names the keys of ?only= that are no control of this page
