"""Softmax in language models: next-token sampling (T, top-k, top-p, min-p) and attention.

What a knob move costs: T, top_k, top_p and min_p and everything they drive (the bars, the
metrics, the draws, the sweep, the CSV table) run in the fragment :func:`knobs`, so a move reruns
only that. The candidate tokens, the quiz, the explanations and the attention section run with
the whole page.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import activations as A
from activations import filter_steps
from activations.sampling import MAX_TOKENS, Candidates, format_tokens
from activations.softmax import parse_logits
from ui import classroom, routing, softmax_view, state, sweep
from ui import sampling_view as view
from ui.plotting import PLOTLY_CONFIG

_LAST_VALID = "_sampling_last_valid_tokens"
CSV_KEY = "sampling_csv"

routing.ensure_router()
cls = classroom.setup()
present = cls.present

st.title("Softmax in language models")
st.markdown(
    "A language model ends with one **logit** per candidate next token; softmax turns them into "
    "probabilities, and the sampler then reshapes that distribution before drawing a token. "
    "Move **temperature**, **top-k**, **top-p** and **min-p** and compare the model's own "
    "softmax (blue) with the distribution actually sampled from (orange, hatched). They are "
    "applied in the order Hugging Face's `generate` uses: T, then top-k, then top-p, then min-p."
)

link_problems = state.check_query_params(
    {
        "temperature": softmax_view.temperature_check,
        "top_k": state.number_in(0, view.TOP_K_MAX, integer=True),
        "top_p": state.number_in(view.TOP_P_MIN, 1.0),
        "min_p": state.number_in(0.0, 1.0),
        "d_k": state.number_in(*view.D_K_RANGE, integer=True),
        "sample_seed": state.number_in(0, view.SEED_MAX, integer=True),
        "quiz": state.boolean(),
        "t_sweep": state.boolean(),
        "draw": state.boolean(),
    }
)
state.warn_about(link_problems)

# --- the candidates -----------------------------------------------------------------------------


_PASTE_PROBLEM = "_sampling_paste_problem"


def use_pasted() -> None:
    # on_click: the pasted logits and labels (the Softmax page's formats) become token lines; a
    # paste that does not parse leaves the lines as they are and says why.
    try:
        pasted = parse_logits(st.session_state.get("paste_logits", ""))
    except ValueError as exc:
        st.session_state[_PASTE_PROBLEM] = f"Could not read the pasted logits. {exc}"
        return
    labels, problem = softmax_view.parse_labels(
        st.session_state.get("paste_labels", ""), len(pasted)
    )
    st.session_state[_PASTE_PROBLEM] = problem
    st.session_state["tokens"] = format_tokens(labels, pasted)


st.markdown(f"**Prompt:** {view.PROMPT} …")
tokens_text = view.url_text_area(
    "Candidate next tokens, one `token: logit` per line",
    key="tokens",
    default=view.DEFAULT_TOKENS,
    max_chars=view.MAX_TOKENS_CHARS,
    hidden=cls.hides("tokens"),
    height=200,
    help=f"Up to {MAX_TOKENS:,} lines like `mat: 6.2`. The logit is the number after the last "
    "colon; the same token may appear twice (each line is its own candidate).",
)
if not cls.hides("tokens"):
    with st.expander("Paste logits and labels (as on the Softmax page)"):
        last = st.session_state.get(view.SOFTMAX_LOGITS_KEY)  # the Softmax page's last logits
        if "paste_logits" not in st.session_state and last is not None:
            st.session_state["paste_logits"] = ", ".join(repr(float(v)) for v in last)
            st.session_state["paste_labels"] = st.session_state.get(view.SOFTMAX_LABELS_KEY, "")
        st.text_input(
            "Logits (numbers separated by commas)",
            key="paste_logits",
            max_chars=20_000,
            placeholder="e.g. 1.8, 0.9, 0.68",
            help="Filled in with the last logits of the Softmax page, if you typed some there.",
        )
        st.text_input(
            "Labels (optional, comma-separated)",
            key="paste_labels",
            max_chars=4_000,
            placeholder="e.g. cat, dog, bird",
        )
        st.button(
            "Use these as the candidates",
            key="use_pasted",
            on_click=use_pasted,
            icon=":material/content_paste:",
        )
        problem = st.session_state.pop(_PASTE_PROBLEM, None)
        if problem:
            st.warning(softmax_view.parser_message(problem), icon=":material/warning:")
cands, bad_input = view.read_tokens(tokens_text)
if cands is None:
    st.error(
        f"Could not read the tokens. {softmax_view.parser_message(bad_input)}",
        icon=":material/error:",
    )
    cands = st.session_state.get(_LAST_VALID)
    if cands is None:
        cands, _ = view.read_tokens(view.DEFAULT_TOKENS)
    st.info(
        f"The charts below still show the last valid {len(cands.tokens)} candidates (greyed), "
        "with your other settings.",
        icon=":material/history:",
    )
else:
    st.session_state[_LAST_VALID] = cands
assert isinstance(cands, Candidates)
dup_note = view.duplicates_note(cands)
if dup_note:
    st.info(dup_note, icon=":material/content_copy:")
z = cands.logits
names = tuple(view.bar_names(list(cands.tokens)))
n = len(z)

# --- predict, then reveal -----------------------------------------------------------------------

quiz_on = state.url_toggle("Predict, then reveal (quiz)", key="quiz", hidden=cls.hides("quiz"))


def reveal(question: str, seed: int) -> bool:
    flag = f"_sampling_revealed_{question}_{seed}"
    if st.button("Reveal", key=f"quiz_reveal_{question}_{seed}"):
        st.session_state[flag] = True
    return bool(st.session_state.get(flag))


def verdict(correct: bool, text: str) -> None:
    (st.success if correct else st.error)(("Right. " if correct else "Not quite. ") + text)


if quiz_on:
    st.subheader("Predict, then reveal")
    seed = classroom.quiz_seed()
    qt, qp, qm = view.quiz_settings(seed)
    st.markdown(
        f"On the {n} candidates above, at **T = {softmax_view.format_t(qt)}** (top-k and min-p "
        "off):"
    )
    st.markdown(f"**1. How many tokens survive top_p = {qp:g}?**")
    guess_p = st.number_input(
        "Your prediction (tokens kept)", 1, n, value=1, step=1, key=f"quiz_top_p_{seed}"
    )
    if reveal("top_p", seed):
        steps = filter_steps(z, qt, top_p=qp)
        answer = steps.n_kept
        kept_mass = float(steps.tempered_probs[steps.kept].sum())
        correct = int(guess_p) == answer
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/top_p", correct)
        verdict(
            correct,
            f"{answer} of {n} survive (you said {int(guess_p)}): counting up from the least "
            f"likely, top-p drops tokens while their running total stays ≤ 1 − {qp:g} = "
            f"{steps.top_p_cutoff:.4g}; the survivors hold {kept_mass:.3g} of the probability.",
        )
    st.markdown(f"**2. And how many survive min_p = {qm:g} instead?**")
    guess_m = st.number_input(
        "Your prediction (tokens kept)", 1, n, value=1, step=1, key=f"quiz_min_p_{seed}"
    )
    if reveal("min_p", seed):
        steps = filter_steps(z, qt, min_p=qm)
        answer = steps.n_kept
        correct = int(guess_m) == answer
        classroom.record_answer(f"{view.QUIZ_ID}{seed}/min_p", correct)
        verdict(
            correct,
            f"{answer} of {n} survive: min-p keeps tokens with at least {qm:g} × the top "
            f"probability {steps.tempered_probs.max():.3g} = {steps.min_p_threshold:.3g} "
            f"(you said {int(guess_m)}).",
        )
    right, asked = classroom.score(view.QUIZ_ID)
    st.metric("Your score this session", f"{right} / {asked}")

# --- the knobs ----------------------------------------------------------------------------------

st.subheader("Temperature, top-k, top-p, min-p")
knobs_area = st.container()
# The model's own distribution does not depend on the knobs: its metrics are drawn by the page
# (not re-sent by a knob move); the fragment fills the row of the distribution sampled from.
with st.container(horizontal=True):
    p_model = A.softmax(z)
    h_model = float(A.entropy(p_model))
    st.metric("Entropy before (nats)", f"{h_model:.3f}", help="Of the model's softmax(z).")
    st.metric(
        "Effective vocabulary before",
        f"{A.effective_vocabulary(p_model):.2f}",
        help="exp(entropy): how many equally likely tokens would have the same entropy.",
    )
after_row = st.container(horizontal=True)
draw_on = state.url_toggle(
    f"Draw {view.DRAWS:,} samples (seeded)",
    key="draw",
    hidden=cls.hides("draw"),
    help="Counts of 1,000 seeded draws from the sampling distribution, against 1,000 × p.",
)
sample_seed = 0
if draw_on:
    sample_seed = int(
        state.url_slider(
            "Seed of the draws",
            0,
            view.SEED_MAX,
            key="sample_seed",
            default=0,
            step=1,
            integer=True,
            hidden=cls.hides("sample_seed"),
        )
    )
draws_slot = st.container() if draw_on else None
sweep_slot = sweep.temperature_sweep_slot(
    n,
    sends="the sampling distribution",
    items="candidates",
    temperatures=len(softmax_view.TEMPERATURES),
    hidden=cls.hides("t_sweep"),
)
with st.expander("Why each knob exists, and what to try"):
    st.markdown(view.knob_lessons(z))


@st.fragment
@state.urls_written_last
def knobs(z: np.ndarray, names: tuple[str, ...], muted: bool, draw_seed: int | None) -> None:
    """The four knobs and everything they drive (module docstring)."""
    # One horizontal row (it wraps on a phone): one block re-sent per move, not three.
    with st.container(horizontal=True, gap="medium"):
        t = softmax_view.temperature_slider(hidden=cls.hides("temperature"))
        top_k = int(
            view.url_knob(
                "top_k (0 = off)",
                0,
                view.TOP_K_MAX,
                key="top_k",
                default=0,
                step=1,
                integer=True,
                hidden=cls.hides("top_k"),
                help="Keep the k most likely tokens (and every token tied with the k-th).",
            )
        )
        top_p = float(
            view.url_knob(
                "top_p (1 = off)",
                view.TOP_P_MIN,
                1.0,
                key="top_p",
                default=1.0,
                step=view.TOP_P_STEP,
                hidden=cls.hides("top_p"),
                help="Drop the least likely tokens while their total probability is ≤ 1 − top_p.",
            )
        )
        min_p = float(
            view.url_knob(
                "min_p (0 = off)",
                0.0,
                1.0,
                key="min_p",
                default=0.0,
                step=view.MIN_P_STEP,
                hidden=cls.hides("min_p"),
                help="Drop tokens below min_p × the top token's probability.",
            )
        )
    k, p_top, p_min = view.knob_settings(top_k, top_p, min_p)
    out = view.knob_view(
        z=z, names=names, t=t, top_k=k, top_p=p_top, min_p=p_min, present=present, muted=muted
    )
    st.plotly_chart(out.chart, config=PLOTLY_CONFIG, key="sampling_bars")
    classroom.summary(out.sentence)
    if out.rules_sentence:
        st.caption(out.rules_sentence)
    with after_row:
        st.metric("Entropy after (nats)", f"{out.entropy_after:.3f}")
        st.metric("Effective vocabulary after", f"{out.vocab_after:.2f}")
        st.metric("Tokens kept", f"{out.steps.n_kept} / {len(z)}")

    counts = None
    if draws_slot is not None and draw_seed is not None:
        with draws_slot:
            counts, fig, sentence = view.samples_view(
                p=out.steps.probs,
                names=names,
                seed=draw_seed,
                subtitle=view.knob_title(t, k, p_top, p_min),
                present=present,
            )
            st.plotly_chart(fig, config=PLOTLY_CONFIG, key="sampling_draws")
            classroom.summary(sentence)
    if sweep_slot is not None:
        with sweep_slot:
            st.plotly_chart(
                view.cached_sweep(
                    z=z, names=names, t=t, top_k=k, top_p=p_top, min_p=p_min, present=present
                ),
                config=PLOTLY_CONFIG,
                key="sampling_t_sweep",
            )
            classroom.summary(
                f"The sampling distribution for all {len(softmax_view.TEMPERATURES)} "
                f"temperatures of the slider, from T = {softmax_view.format_t(softmax_view.T_LOW)}"
                f" (greedy) to T = {softmax_view.format_t(softmax_view.T_HIGH)}, with "
                f"{view.knob_title(t, k, p_top, p_min).split(', ', 1)[1]}."
            )
    columns: dict[str, object] = {
        "index": np.arange(len(z)),
        "token": list(cands.tokens),  # to_csv makes each cell formula-safe (classroom.csv_cell)
        "logit": z,
        "p_model": out.steps.model_probs,
        "p_sampling": out.steps.probs,
        "removed_by": [r or "kept" for r in out.steps.removed_by],
    }
    if counts is not None:
        columns["count"] = counts
    settings = {
        "prompt": view.PROMPT,
        "temperature": softmax_view.format_t(t),
        "top_k": k if k else "off",
        "top_p": f"{p_top:g}" if p_top else "off",
        "min_p": f"{p_min:g}" if p_min else "off",
        **({"draws": view.DRAWS, "seed": draw_seed} if counts is not None else {}),
    }
    classroom.latest_table(CSV_KEY).table = classroom.Table(columns, settings)


with knobs_area:
    knobs(z, names, bad_input is not None, sample_seed if draw_on else None)

# --- attention ----------------------------------------------------------------------------------

st.subheader("Attention: why the scores are divided by √d_k")
st.latex(
    r"\operatorname{Attention}(q, K, V) = "
    r"\operatorname{softmax}\!\Big(\frac{q K^\top}{\sqrt{d_k}}\Big) V"
)
st.markdown(
    "Each query q scores every key k by the dot product q·k. With the entries of q and k drawn "
    "independently with mean 0 and variance 1, q·k has variance d_k: the larger the key "
    "dimension, the further apart the scores, and a softmax of far-apart scores puts almost all "
    "the weight on one key. Move d_k and compare the two bars of each key."
)
d_k = int(
    state.url_slider(
        "d_k (dimension of queries and keys)",
        view.D_K_RANGE[0],
        view.D_K_RANGE[1],
        key="d_k",
        default=view.D_K_DEFAULT,
        step=1,
        integer=True,
        hidden=cls.hides("d_k"),
    )
)
att = view.attention_view(d_k=d_k, present=present)
rec = att.record
with st.container(horizontal=True):
    st.metric("Spread of q·k", f"{rec.spread:.3g}")
    st.metric("Spread of q·k/√d_k", f"{rec.scaled_spread:.3g}")
    st.metric("Entropy, unscaled (nats)", f"{rec.entropy:.2f}")
    st.metric("Entropy, scaled (nats)", f"{rec.scaled_entropy:.2f}")
    st.metric("‖Jacobian‖, unscaled", f"{rec.jacobian_norm:.3g}")
    st.metric("‖Jacobian‖, scaled", f"{rec.scaled_jacobian_norm:.3g}")
left, right = st.columns(2)
with left:
    st.plotly_chart(att.weights_chart, config=PLOTLY_CONFIG, key="attention_weights")
with right:
    st.plotly_chart(att.curves_chart, config=PLOTLY_CONFIG, key="attention_curves")
classroom.summary(att.sentence)
with st.expander("Why the scale exists"):
    st.markdown(
        "The gradient of the loss with respect to the scores passes through the softmax's "
        "Jacobian diag(p) − ppᵀ. When one weight is close to 1 and the rest close to 0, every "
        "entry of that matrix is close to 0, so the scores (and the query and key projections "
        "behind them) receive almost no gradient: the softmax is **saturated**. Dividing by "
        "√d_k gives the scores variance 1 whatever the dimension (Vaswani et al., 2017), so the "
        "weights stay spread and the gradients flow. The numbers above are means over "
        f"{view.N_QUERIES} random queries and {view.N_KEYS} random keys (seed "
        f"{view.ATTENTION_SEED}); the Jacobian's size is its Frobenius norm."
    )

# --- export and share ---------------------------------------------------------------------------

st.divider()
classroom.export_row("Download the distributions (CSV)", "sampling.csv", CSV_KEY)
st.caption("Each chart's camera icon saves a PNG whose title carries the settings.")
cls.check_only()  # last: names the keys of ?only= that are no control of this page
