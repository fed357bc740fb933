"""Home: what Activation Lab is, what each page teaches, how to use it in class, how to choose."""

from __future__ import annotations

import streamlit as st

from activations import ACTIVATIONS
from ui import classroom, routing
from ui.training_view import LESSONS as TRAINING_LESSONS

routing.ensure_router()
cls = classroom.setup()

EXPLORER = "pages/explorer.py"

# (activation slug, why): the "how to choose" guide, each linking into the explorer.
OUTPUT_LAYER: tuple[tuple[str, str, str], ...] = (
    ("Regression (any real number)", "identity", "no squashing: the output can be any value"),
    ("Binary classification", "sigmoid", "one probability in (0, 1); 0.5 is the usual threshold"),
    (
        "Multi-label (several labels can be true)",
        "sigmoid",
        "one independent sigmoid per label",
    ),
)
HIDDEN_LAYERS: tuple[tuple[str, str, str], ...] = (
    ("Default for MLPs and CNNs", "relu", "cheap, no saturation for x > 0; watch for dead units"),
    ("If units die", "leaky_relu", "a small negative slope keeps a gradient everywhere"),
    ("Transformers (BERT, GPT)", "gelu", "smooth, slightly non-monotonic"),
    ("Modern CNNs, some transformers", "swish", "SiLU = x·σ(x), smooth ReLU-like"),
    ("Inside LSTM / GRU cells", "tanh", "the cell's candidate and output"),
    ("LSTM / GRU gates", "sigmoid", "a gate is a 0…1 fraction of what passes"),
)

st.title("Activation Lab")
st.markdown(
    "An interactive companion for a lesson on **activation functions** in neural networks: "
    "every curve, derivative and number on these pages is computed live from one NumPy "
    "catalogue of activations, so what you see is what the formula gives."
)

st.subheader("The pages")
st.page_link(EXPLORER, label="Activation explorer", icon=":material/show_chart:", width="stretch")
st.markdown(
    "See any activation and its derivative side by side, move its parameters, probe a point "
    "and its tangent, compare several functions, and spot where the gradient vanishes (grey "
    "bands). Framework presets show where PyTorch and Keras defaults differ."
)
st.page_link("pages/softmax.py", label="Softmax", icon=":material/bar_chart:", width="stretch")
st.markdown(
    "From logits to probabilities: temperature, the Jacobian, cross-entropy and its gradient "
    "p − onehot(y) (with label smoothing), why softmax is not argmax, and the sparse "
    "alternatives sparsemax and 1.5-entmax."
)
st.page_link(
    "pages/depth.py",
    label="Gradient through depth",
    icon=":material/stacked_line_chart:",
    width="stretch",
)
st.markdown(
    "Push a signal through many layers: watch activations and gradients vanish or explode, "
    "and how initialisation (Glorot, He, LeCun) and the activation's slope decide which."
)
st.page_link(
    "pages/training.py", label="Training lab", icon=":material/model_training:", width="stretch"
)
st.markdown(
    "Train a small network on TensorFlow Playground's datasets and watch the activation decide "
    "how it learns: the decision surface forming (a scrubber over the snapshots), the loss, "
    "dead units, gradient norms and update sizes per layer. Race up to four activations on "
    "the same data, weights and batches. Lessons:"
)
with st.container(horizontal=True, gap="small"):
    for lesson in TRAINING_LESSONS.values():
        st.page_link(
            "pages/training.py",
            label=lesson.title,
            icon=":material/school:",
            query_params=lesson.query_dict,
            help=lesson.claim,
        )

st.page_link(
    "pages/sampling.py", label="Softmax in language models", icon=":material/chat:", width="stretch"
)
st.markdown(
    "Where students meet softmax today: a model's next-token choice under temperature, top-k, "
    "top-p and min-p (Hugging Face's order), seeded draws, and why attention divides its "
    "scores by √d_k."
)

st.subheader("How to choose an activation")
st.markdown(
    "Hidden layers and the output layer have different jobs. Each link opens the explorer "
    "with that function selected."
)
out_col, hidden_col = st.columns(2, gap="large")
with out_col:
    st.markdown("**Output layer: by task**")
    for task, slug, why in OUTPUT_LAYER:
        st.page_link(
            EXPLORER,
            label=f"{task}: {ACTIVATIONS[slug].label}",
            query_params={"activation": slug},
            help=why,
        )
    st.page_link(
        "pages/softmax.py",
        label="Multi-class (exactly one class): softmax",
        help="one probability per class, summing to 1",
    )
with hidden_col:
    st.markdown("**Hidden layers**")
    for use, slug, why in HIDDEN_LAYERS:
        st.page_link(
            EXPLORER,
            label=f"{use}: {ACTIVATIONS[slug].label}",
            query_params={"activation": slug},
            help=why,
        )
st.caption(
    "Recurrent networks (LSTM, GRU) keep sigmoid for their gates and tanh for the cell; "
    "convolutional and fully connected networks mostly use the ReLU family."
)

st.subheader("Using it in class")
st.markdown(
    """
- **Share a link.** Every control is in the page's address, so the link you copy (each page
  has a *Copy link to this view* button) opens exactly the view you see, on phones too.
- **Presenter view.** Add `?present=true` to a link, or switch *Presenter view* on in the sidebar:
  larger type and thicker lines for the projector.
- **One slider for the class.** `?only=param_alpha` shows only that control and keeps the rest
  fixed at the link's values, e.g. `explorer?activation=elu&only=param_alpha`.
- **Predict, then reveal.** In the explorer, switch on *Quiz mode*: students guess where f′ is
  largest (it stays hidden until they answer) and whose derivative a mystery curve is.
- **Take it home.** Each chart exports a PNG (camera icon; the title carries the settings) and
  its data as CSV.
"""
)
with st.expander("Presenter tips"):
    st.markdown(
        """
- Open the explorer on sigmoid with *Quiz mode* on: ask where the gradient is largest, then
  reveal f′ (its maximum is 0.25, at x = 0; below 0.007 once |x| > 5).
- Move ELU's α and watch the kink at 0: f′ is continuous only when α = 1.
- Use the Leaky ReLU presets to show that PyTorch (0.01) and Keras (0.2 / 0.3) disagree.
- On the depth page, compare sigmoid and ReLU at the same depth: one gradient shrinks layer
  after layer, the other need not.
"""
    )
cls.check_only()  # last: names the keys of ?only= that are no control of this page
