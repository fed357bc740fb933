"""The platform's floor: a bare Streamlit page that draws a page's main figure and nothing else.

One slider (key ``v``) and the same Plotly figure the page draws, built by the page's own view
function from the same core call, so a benchmark can put each page's cost per rerun next to what
Streamlit + Plotly cost for that figure alone. Pick the figure with ``?figure=``:

* ``explorer`` (default): ELU's f and f′ (``explorer_view.main_figure``), the slider moves α;
* ``softmax``: the probability bars (``softmax_view.probability_figure``), the slider moves T
  over the page's log grid (a select_slider, like the page's);
* ``depth``: the grad-norm and activation-spread charts (``depth_view.grad_norm_figure`` and
  ``std_figure``, the simulator cached as the page caches it), the slider moves the depth;
* ``softmax_all`` / ``depth_all``: the like-for-like floors. A move of the softmax page's T
  redraws three charts (with no true class picked, three logits and the sparse comparison off,
  as the page opens): the probability bars, the Jacobian heatmap and the sigmoid-vs-softmax
  bars; with ``&sparse=1`` also the sparse alternatives' bars, Jacobians and simplex (the page
  with ``?sparse=true``, six charts); a move of the depth page's depth slider
  redraws four: the grad-norm and activation-spread lines and the two heatmaps. These draw
  exactly those figures, in the page's order (the chart the latency benchmark watches first),
  the same objects from the page's own cached view functions with the page's default settings,
  and nothing else;
* ``sweep`` / ``temperature_sweep``: ui/sweep.py's figures (ELU's α family, softmax over T),
  whose Plotly slider swaps frames in the browser (no Streamlit widget, no rerun);
* ``sampling_all``: the like-for-like floor of pages/sampling.py, whose T move (as the page
  opens: no draws, no sweep) redraws one chart, the model-vs-sampling bars, taken from the
  page's cached view; ``sampling_sweep``: that page's in-chart T sweep (its default candidates,
  every filter off). With ``&fragment=1`` its slider and chart run in an ``st.fragment``, as the
  page's knobs do, and ``&plain=N`` adds N plain one-line ``st.markdown`` elements after it,
  outside the fragment (never re-sent by a move): what Streamlit's front end costs a page for
  the elements it already shows when one fragment reruns (``bench_browser_latency.py`` passes
  ``PAGE_ELEMENTS``, as many as /sampling draws at its defaults; ``tests/test_floor_app.py``
  counts them).

``?cached=1``: the figure comes from the page's own cache (``st.cache_resource``, frozen, as the
pages draw it) instead of being built on every rerun: what Streamlit costs to *send* that figure,
the lowest a page drawing it can cost.

Run it alone: ``streamlit run benchmarks/floor_app.py`` (then open ``/?figure=softmax``), or
through the benchmarks, which start it themselves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, for ui/ and core

import numpy as np
import streamlit as st

from activations import ACTIVATIONS, softmax
from ui import blas, depth_view, explorer_view, sampling_view, softmax_view, sweep
from ui.plotting import PLOTLY_CONFIG

FIGURES = (
    "explorer",
    "softmax",
    "depth",
    "softmax_all",
    "depth_all",
    "sweep",
    "temperature_sweep",
    "sampling_all",
    "sampling_sweep",
)
LOGITS = (1.8, 0.9, 0.68)

blas.limit_to_one_thread()  # as app.py does: the floors run on the same BLAS settings
figure = st.query_params.get("figure", "explorer")
if figure not in FIGURES:
    figure = "explorer"
cached = st.query_params.get("cached") == "1"

if figure == "explorer":
    alpha = st.slider("α", 0.0, 3.0, value=1.0, step=0.05, key="v")
    build = explorer_view.cached_main_figure if cached else explorer_view.main_figure
    fig = build("elu", (("alpha", float(alpha)),), explorer_view.X_DEFAULT, 1.0, False, True)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")
elif figure == "softmax":
    temps = softmax_view.TEMPERATURES
    t = st.select_slider("T", temps, value=1.0, format_func=softmax_view.format_t, key="v")
    p = softmax(LOGITS, t)
    labels = [f"class {i + 1}" for i in range(len(LOGITS))]
    if cached:
        z = np.array(LOGITS)
        fig = softmax_view.temperature_view(
            z=z, labels=tuple(labels), t=t, target=None, present=False, muted=False
        ).probability_chart
    else:
        fig = softmax_view.probability_figure(p, labels, title=f"softmax(z/T), T = {t:g}")
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")
elif figure == "softmax_all":  # every chart a T move redraws on pages/softmax.py, in its order
    temps = softmax_view.TEMPERATURES
    t = st.select_slider("T", temps, value=1.0, format_func=softmax_view.format_t, key="v")
    z = np.array(LOGITS)  # the page's default logits, and its default labels for them
    labels, _ = softmax_view.parse_labels("", len(z))
    sparse_on = st.query_params.get("sparse") == "1"  # the page's sparse toggle, on
    out = softmax_view.temperature_view(
        z=z,
        labels=tuple(labels),
        t=float(t),
        target=None,
        present=False,
        muted=False,
        sparse=sparse_on,
    )
    st.plotly_chart(out.probability_chart, config=PLOTLY_CONFIG, key="chart")
    st.plotly_chart(out.jacobian_chart, config=PLOTLY_CONFIG, key="chart2")
    st.plotly_chart(out.sigmoid_chart, config=PLOTLY_CONFIG, key="chart3")
    if sparse_on:
        st.plotly_chart(out.sparse_chart, config=PLOTLY_CONFIG, key="chart4")
        st.plotly_chart(out.sparse_jacobian_chart, config=PLOTLY_CONFIG, key="chart5")
        st.plotly_chart(out.simplex_chart, config=PLOTLY_CONFIG, key="chart6")
elif figure == "depth_all":  # every chart a depth move redraws on pages/depth.py, in its order
    d = depth_view.DEFAULTS
    depth = int(st.slider("depth", *depth_view.DEPTH_RANGE, value=d["depth"], step=1, key="v"))
    slug, init, width = "relu", d["init"], d["width"]  # the page's defaults
    params = ACTIVATIONS[slug].param_defaults()
    args = (slug, depth_view.params_key(params), depth, width, d["batch"], init, d["seed"])
    args += (False, None)  # no residual connections, no custom σ_w
    result = depth_view.run(*args)
    settings = depth_view.settings_text(slug, params, init, result.sigma_w, depth, width)
    name = depth_view.pair_label(slug, init)
    drawn = depth_view.figures(
        ((name, args),),
        [(name, result)],
        f"{settings}, batch {d['batch']}, seed {d['seed']}",
        False,
    )
    st.plotly_chart(drawn.signal, config=PLOTLY_CONFIG, key="chart")
    st.plotly_chart(drawn.grad_norm, config=PLOTLY_CONFIG, key="chart5")
    st.plotly_chart(drawn.spread, config=PLOTLY_CONFIG, key="chart2")
    st.plotly_chart(drawn.act_hist, config=PLOTLY_CONFIG, key="chart3")
    st.plotly_chart(drawn.grad_hist, config=PLOTLY_CONFIG, key="chart4")
elif figure == "sweep":  # ui/sweep.py: the α family of ELU, swapped in the browser
    x = np.linspace(*explorer_view.X_DEFAULT, 600)
    fig = sweep.sweep_figure(ACTIVATIONS["elu"], "alpha", {"alpha": 1.0}, x)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")
elif figure in ("sampling_all", "sampling_sweep"):  # pages/sampling.py at its defaults
    c, _ = sampling_view.read_tokens(sampling_view.DEFAULT_TOKENS)
    names = tuple(sampling_view.bar_names(list(c.tokens)))
    if figure == "sampling_sweep":
        fig = sampling_view.cached_sweep(
            z=c.logits, names=names, t=1.0, top_k=None, top_p=None, min_p=None, present=False
        )
        st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")
    else:

        def knob_and_bars() -> None:
            temps = softmax_view.TEMPERATURES
            t = st.select_slider("T", temps, value=1.0, format_func=softmax_view.format_t, key="v")
            fig = sampling_view.knob_view(
                z=c.logits,
                names=names,
                t=float(t),
                top_k=None,
                top_p=None,
                min_p=None,
                present=False,
                muted=False,
            ).chart
            st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")

        if st.query_params.get("fragment") == "1":
            st.fragment(knob_and_bars)()
        else:
            knob_and_bars()
        raw_plain = st.query_params.get("plain", "0")
        plain = int(raw_plain) if re.fullmatch(r"[0-9]{1,3}", raw_plain, re.ASCII) else 0
        for i in range(plain):
            st.markdown(f"Plain line {i + 1}.")
elif figure == "temperature_sweep":
    fig = sweep.temperature_sweep_figure(LOGITS)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="chart")
else:
    d = depth_view.DEFAULTS
    depth = st.slider("depth", *depth_view.DEPTH_RANGE, value=d["depth"], step=1, key="v")
    result = depth_view.run(
        "relu", (), int(depth), d["width"], d["batch"], d["init"], d["seed"], False, None
    )
    runs = [("relu·he", result)]
    if cached:
        args = ("relu", (), int(depth), d["width"], d["batch"], d["init"], d["seed"], False, None)
        built = depth_view.figures((("relu·he", args),), runs, f"depth {depth}", False)
        grad_fig, std_fig = built.grad_norm, built.spread
    else:
        grad_fig = depth_view.grad_norm_figure(runs, title=f"grad norm, depth {depth}")
        std_fig = depth_view.std_figure(runs, title=f"activation spread, depth {depth}")
    st.plotly_chart(grad_fig, config=PLOTLY_CONFIG, key="chart")
    st.plotly_chart(std_fig, config=PLOTLY_CONFIG, key="chart2")
