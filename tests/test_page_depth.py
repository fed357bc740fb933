"""The Gradient through depth page, driven through the router (AppTest).

Every drawn number is compared with the core's own ``simulate`` for the same settings.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from activations.depth import INITS, critical_weight_std, simulate, verdict
from tests.plotly_helpers import as_array, figures, trace
from ui import classroom
from ui import depth_view as view
from ui.plotting import line_width

DEFAULT = view.DEFAULTS
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_depth(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.switch_page("pages/depth.py")
    at.run()
    assert not at.exception
    return at


def chart(at: AppTest, title_start: str) -> dict:
    found = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(title_start)]
    assert len(found) == 1, [f["layout"]["title"]["text"] for f in figures(at)]
    return found[0]


def grad_chart(at: AppTest) -> dict:
    return chart(at, "Weight-gradient norm")


def std_chart(at: AppTest) -> dict:
    return chart(at, "Activation spread")


def assert_curve_matches(fig: dict, name: str, layers_offset: int, values: np.ndarray) -> None:
    """The trace's points are exactly the core's values at those layers, and every finite
    positive value is drawn."""
    t = trace(fig, name)
    x, y = as_array(t["x"]).astype(int), as_array(t["y"])
    np.testing.assert_allclose(y, values[x - layers_offset], rtol=1e-12)
    expected = np.flatnonzero(np.isfinite(values) & (values > 0)) + layers_offset
    np.testing.assert_array_equal(x, expected)


def all_numbers(value) -> list[float]:
    """Every number in a decoded figure spec (arrays flattened)."""
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.ravel()] if value.dtype.kind in "fiu" else []
    if isinstance(value, dict):
        return [n for item in value.values() for n in all_numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in all_numbers(item)]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return [float(value)]
    return []


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("warning", "error", "success", "caption", "markdown")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def expected_colour_max(shares: np.ndarray, edges: np.ndarray) -> float:
    """The heatmap's top colour as the page defines it: the largest share outside the bin
    holding 0 and the two end bins."""
    spike = (edges[:-1] <= 0) & (edges[1:] > 0)
    spike[[0, -1]] = True
    return float(shares[:, ~spike].max())


def test_relu_spike_at_zero_does_not_take_the_whole_colour_scale():
    at = open_depth()
    r = simulate("relu", DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"], "he", 0)
    act = trace(chart(at, "Activations h_l per layer"), "activation histogram")
    grad = trace(chart(at, "Gradients ∂L/∂h_l per layer"), "gradient histogram")
    act_shares = r.act_hist / r.act_hist.sum(axis=1, keepdims=True)
    # About half of every ReLU layer is exactly 0: that bin far exceeds the top colour, and the
    # rest of the distribution spans the scale instead of sitting in its bottom tenth.
    assert act_shares[1:].max() > 0.3
    assert act["zmax"] < act_shares[1:].max() / 3
    assert grad["zmax"] < 0.3
    assert "top colour" in act["colorbar"]["title"]["text"]
    assert "largest share outside the bin at 0" in texts(at)


def test_default_page_draws_the_core_simulation():
    at = open_depth()
    r = simulate("relu", DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"], "he", 0)
    name = view.pair_label("relu", "he")
    assert_curve_matches(grad_chart(at), name, 1, r.grad_norms)
    assert_curve_matches(grad_chart(at), f"{name} mean field", 1, r.predicted_grad_norms)
    assert_curve_matches(std_chart(at), name, 0, r.activation_stds)
    assert_curve_matches(std_chart(at), f"{name} mean field", 0, r.predicted_activation_stds)
    for title, trace_name, hist in (
        ("Activations h_l per layer", "activation histogram", r.act_hist),
        ("Gradients ∂L/∂h_l per layer", "gradient histogram", r.grad_hist),
    ):
        heat = trace(chart(at, title), trace_name)
        shares = hist / hist.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(as_array(heat["z"]), shares)
        assert heat["zmin"] == 0
        assert heat["zmax"] == pytest.approx(expected_colour_max(shares, r.hist_edges))
    # The verdict is the core's.
    assert verdict(r).kind == "healthy"
    assert "healthy" in at.success[0].value
    # The mean-field dashes are dashed, the simulation solid.
    assert trace(grad_chart(at), f"{name} mean field")["line"]["dash"] == "dash"


def test_depth_200_runs():
    at = open_depth({"depth": "200", "width": "64", "activation": "tanh", "init": "xavier"})
    r = simulate("tanh", 200, 64, DEFAULT["batch"], "xavier", 0)
    assert at.slider(key="depth").value == 200
    assert_curve_matches(grad_chart(at), "tanh·xavier", 1, r.grad_norms)


def test_width_1024_small_batch_at_depth_200():
    at = open_depth({"depth": "200", "width": "1024", "batch": "8"})
    assert at.slider(key="width").value == 1024
    t = trace(grad_chart(at), "relu·he")
    assert len(as_array(t["y"])) == 200
    assert np.all(np.isfinite(as_array(t["y"])))


@pytest.mark.parametrize("init", list(INITS))
def test_every_init_draws_finite_figures(init):
    query = {"activation": "sigmoid", "init": init, "depth": "20", "width": "32"}
    if init == "custom":
        query["weight_std"] = "0.3"
    at = open_depth(query)
    assert at.selectbox(key="init").value == init
    for fig in figures(at):
        numbers = all_numbers(fig)
        assert numbers and all(math.isfinite(n) for n in numbers), fig["layout"]["title"]
    r = simulate(
        "sigmoid", 20, 32, DEFAULT["batch"], init, 0, weight_std=0.3 if init == "custom" else None
    )
    name = "sigmoid·σ_w=0.3" if init == "custom" else view.pair_label("sigmoid", init)
    assert_curve_matches(grad_chart(at), name, 1, r.grad_norms)
    symmetry = "All zero: symmetry — every unit is identical"
    assert (symmetry in texts(at)) == (init == "zeros")
    if init == "zeros":
        # Exact zeros are not drawn on the log axis, and the page says so.
        assert (r.grad_norms[:-1] == 0).all()
        assert "exactly 0" in texts(at)


def test_overflow_shows_explode_message():
    at = open_depth({"activation": "relu_squared", "init": "large", "depth": "200", "width": "64"})
    r = simulate("relu_squared", 200, 64, DEFAULT["batch"], "large", 0)
    assert r.overflowed
    layer = verdict(r).overflow_layer
    assert len(at.error) == 1
    assert "explode" in at.error[0].value and f"inf at layer {layer}" in at.error[0].value
    for fig in figures(at):
        assert all(math.isfinite(n) for n in all_numbers(fig))
    assert "past the overflow" in texts(at)


def test_large_relu_at_depth_200_explodes_without_overflow():
    at = open_depth({"init": "large", "depth": "200", "width": "64"})
    r = simulate("relu", 200, 64, DEFAULT["batch"], "large", 0)
    assert verdict(r).kind == "exploding" and not r.overflowed
    assert any("Gradients explode" in w.value for w in at.warning)
    assert_curve_matches(std_chart(at), "relu·large", 0, r.activation_stds)


@pytest.mark.parametrize(
    ("query", "bad_key"),
    [
        ({"depth": "999999"}, "depth"),
        ({"init": "<script>alert(1)</script>"}, "init"),
        ({"width": "abc"}, "width"),
        ({"width": "-3"}, "width"),
        ({"activation": "nope"}, "activation"),
        ({"activation": "elu", "param_alpha": "abc"}, "param_alpha"),
        ({"compare": "relu:he,nope:xx"}, "compare"),
    ],
)
def test_tampered_link_falls_back_with_a_warning(query, bad_key):
    at = open_depth({**query, "batch": "16"})
    warning = at.warning[0].value
    assert f"{bad_key}=" in warning and "reset to its default" in warning
    assert "<script>" not in warning or "`" in warning  # only ever code-quoted
    assert at.slider(key="batch").value == 16  # the other settings are kept
    assert at.slider(key="depth").value == DEFAULT["depth"]
    assert at.slider(key="width").value == DEFAULT["width"]
    assert at.selectbox(key="init").value == DEFAULT["init"]
    if bad_key == "param_alpha":
        assert at.selectbox(key="activation").value == "elu"
        assert at.slider(key="param_alpha").value == 1.0


def test_critical_init_button(monkeypatch):
    logged = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda *a, **k: logged.append(a))
    at = open_depth({"activation": "tanh", "init": "small", "width": "128", "depth": "30"})
    assert "vanish" in at.warning[0].value
    at.button(key="critical").click().run()
    assert not at.exception
    assert not logged
    expected = critical_weight_std("tanh", {}, width=128, depth=30)
    assert at.selectbox(key="init").value == "custom"
    assert at.slider(key="weight_std").value == pytest.approx(expected, abs=1e-4)
    assert at.query_params["init"] == ["custom"] or at.query_params["init"] == "custom"
    r = simulate("tanh", 30, 128, DEFAULT["batch"], "custom", 0, weight_std=round(expected, 4))
    assert verdict(r).kind == "healthy"
    assert "healthy" in at.success[0].value
    # The page keeps working afterwards (a widget moved after the callback).
    at.slider(key="depth").set_value(40).run()
    assert not at.exception and not logged
    assert at.selectbox(key="init").value == "custom"


def test_activation_and_params_carry_over_from_the_explorer():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/explorer.py")
    at.run()
    at.selectbox(key="activation").set_value("elu").run()
    at.slider(key="param_alpha").set_value(2.0).run()
    assert not at.exception
    at.query_params.clear()
    at.switch_page("pages/depth.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="activation").value == "elu"
    assert at.slider(key="param_alpha").value == 2.0
    r = simulate(
        "elu", DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"], "he", 0, params={"alpha": 2.0}
    )
    assert_curve_matches(grad_chart(at), "elu·he", 1, r.grad_norms)
    assert "α=2" in grad_chart(at)["layout"]["title"]["text"]


def test_compare_pairs_each_match_the_core():
    at = open_depth({"compare": "tanh:xavier,sigmoid:he", "depth": "30", "width": "64"})
    for slug, init in (("tanh", "xavier"), ("sigmoid", "he"), ("relu", "he")):
        r = simulate(slug, 30, 64, DEFAULT["batch"], init, 0)
        assert_curve_matches(grad_chart(at), view.pair_label(slug, init), 1, r.grad_norms)
    assert at.multiselect(key="compare").value == ["tanh:xavier", "sigmoid:he"]


@pytest.mark.parametrize("right", [True, False])
def test_quiz_scores_with_the_core_verdict(right):
    seed = 4242
    at = open_depth({"quiz": "true", "quiz_seed": str(seed)})
    q = view.quiz_question(seed)
    r = simulate(q.slug, q.depth, q.width, q.batch, q.init, seed)
    truth = verdict(r).kind
    pick = truth if right else next(k for k in view.QUIZ_ANSWERS if k != truth)
    at.radio(key=f"depth_quiz_{seed}").set_value(pick).run()
    assert not at.exception
    shown = at.success if right else at.error
    assert any(("Right!" if right else "Not quite.") in e.value for e in shown)
    assert any(m.value == f"{int(right)} / 1" for m in at.metric)
    assert_curve_matches(chart(at, "Quiz:"), view.pair_label(q.slug, q.init), 1, r.grad_norms)
    # Answering again does not count twice.
    at.run()
    assert any(m.value == f"{int(right)} / 1" for m in at.metric)


def test_csv_export_parses_back_to_the_core_numbers(monkeypatch):
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):  # the manager AppTest creates, to run the click
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    at = open_depth({"activation": "tanh", "init": "lecun", "depth": "25", "width": "48"})
    (button,) = at.get("download_button")
    assert button.proto.deferred_file_id and not button.proto.url  # built on click only
    url = managers[-1].execute_deferred(button.proto.deferred_file_id)
    text = managers[-1].read_file(url.rsplit("/", 1)[-1].split(".")[0]).content.decode()
    settings, columns = classroom.read_csv(text)
    assert settings["activation"] == "tanh" and settings["init"] == "lecun"
    assert settings["depth"] == "25" and settings["width"] == "48"
    r = simulate("tanh", 25, 48, DEFAULT["batch"], "lecun", 0)
    np.testing.assert_array_equal(columns["layer"], np.arange(1, 26))
    np.testing.assert_allclose(columns["grad_norm"], r.grad_norms, rtol=1e-15)
    np.testing.assert_allclose(columns["activation_std"], r.activation_stds[1:], rtol=1e-15)
    np.testing.assert_allclose(columns["predicted_grad_norm"], r.predicted_grad_norms, rtol=1e-15)
    assert float(settings["sigma_w"]) == pytest.approx(r.sigma_w)


def test_focused_link_shows_only_depth_and_presenter_view_thickens_lines():
    at = open_depth({"only": "depth", "present": "true", "init": "xavier", "width": "64"})
    assert [s.key for s in at.slider] == ["depth"]
    assert not [b for b in at.button if b.key == "critical"]
    assert [s.key for s in at.selectbox] == []
    # The hidden controls keep the link's values.
    r = simulate("relu", DEFAULT["depth"], 64, DEFAULT["batch"], "xavier", 0)
    t = trace(grad_chart(at), "relu·xavier")
    np.testing.assert_allclose(as_array(t["y"]), r.grad_norms)
    assert t["line"]["width"] == line_width(True) > line_width(False)


def test_critical_init_without_a_solution_says_so():
    at = open_depth({"activation": "binary_step", "depth": "10", "width": "32"})
    with pytest.raises(ValueError):
        critical_weight_std("binary_step", {}, width=32, depth=10)
    at.button(key="critical").click().run()
    assert not at.exception
    assert any("no weight scale" in e.value for e in at.error)
    assert at.selectbox(key="init").value == DEFAULT["init"]  # unchanged
    # f′ ≡ 0: every weight gradient but the top layer's is exactly 0, and nothing is NaN.
    r = simulate("binary_step", 10, 32, DEFAULT["batch"], "he", 0)
    assert_curve_matches(grad_chart(at), "binary_step·he", 1, r.grad_norms)
    assert all(math.isfinite(n) for f in figures(at) for n in all_numbers(f))


# --- heavy simulations run one at a time ----------------------------------------------------------


def held() -> bool:
    """Whether the heavy-simulation slot is taken (probing it does not keep it)."""
    if view.HEAVY_SIMULATIONS.acquire(blocking=False):
        view.HEAVY_SIMULATIONS.release()
        return False
    return True


def test_heavy_means_more_weights_than_the_slow_threshold():
    assert view.is_heavy(200, 1024, 1)
    assert not view.is_heavy(DEFAULT["depth"], DEFAULT["width"], 1)
    d, w = 30, 1000  # exactly SLOW_WEIGHTS: not above it
    assert d * w * w == view.SLOW_WEIGHTS and not view.is_heavy(d, w, 1)
    assert view.is_heavy(d + 1, w, 1)


def test_run_holds_the_slot_only_for_heavy_settings(monkeypatch):
    seen: list[tuple[int, bool]] = []

    def fake_simulate(slug, depth, width, batch, **kwargs):
        seen.append((depth, held()))
        return simulate(slug, 3, 4, 2, **kwargs)  # a tiny real result, whatever was asked

    monkeypatch.setattr(view, "simulate", fake_simulate)
    view.run.clear()
    params = view.params_key({})
    view.run("relu", params, 200, 1024, 8, "he", 123, False, None)
    view.run("relu", params, 20, 64, 8, "he", 123, False, None)
    view.run.clear()
    assert seen == [(200, True), (20, False)]
    assert not held()  # released after the run


def test_a_second_heavy_run_waits_for_the_first():
    first_in, first_may_leave = threading.Event(), threading.Event()
    order: list[str] = []

    def first():
        with view.heavy_slot(200, 1024, 1):
            order.append("first in")
            first_in.set()
            first_may_leave.wait(10)
            order.append("first out")

    def second():
        first_in.wait(10)
        with view.heavy_slot(200, 1024, 1):
            order.append("second in")

    def light():
        first_in.wait(10)
        with view.heavy_slot(20, 64, 1):
            order.append("light in")

    threads = [threading.Thread(target=f) for f in (first, second, light)]
    for t in threads:
        t.start()
    first_in.wait(10)
    threads[2].join(10)  # a light run does not wait
    time.sleep(0.2)  # give the second heavy run time to (wrongly) get in
    assert order == ["first in", "light in"]
    first_may_leave.set()
    for t in threads:
        t.join(10)
    assert order == ["first in", "light in", "first out", "second in"]
    assert not held()


def test_an_error_in_a_heavy_run_releases_the_slot():
    with pytest.raises(MemoryError), view.heavy_slot(200, 1024, 1):
        raise MemoryError
    assert not held()


# --- memory: a network too large for the server is refused, not run -----------------------------


def test_the_largest_settings_are_refused_with_what_fits(monkeypatch):
    ran: list[tuple[int, int, int]] = []
    real_simulate = view.simulate

    def recording_simulate(slug, depth, width, batch, **kwargs):
        ran.append((depth, width, batch))
        return real_simulate(slug, depth, width, batch, **kwargs)

    monkeypatch.setattr(view, "simulate", recording_simulate)
    at = open_depth({"depth": "200", "width": "1024", "batch": "512", "seed": "4321"})
    assert ran == []  # nothing allocated: the estimate alone refused it
    message = " ".join(e.value for e in at.error)
    fits = view.largest_batch(200, 1024)
    assert "Not simulated" in message and f"Batch (examples) to {fits} or less" in message
    assert "320 MB" in message and "1,673 MB" in message
    assert figures(at) == []
    # The settings stay as the student set them, in the widgets and in the link.
    assert at.slider(key="depth").value == 200 and at.slider(key="width").value == 1024
    assert at.slider(key="batch").value == 512 and at.query_params["batch"] == "512"
    # The largest batch that fits does run, and without keeping its 1.7 GB of weights.
    at.slider(key="batch").set_value(fits).run()
    assert not at.exception and not at.error
    assert ran == [(200, 1024, fits)] and len(figures(at)) == 4


def test_run_keeps_the_weights_only_while_they_are_small(monkeypatch):
    kept: list[bool] = []

    def fake_simulate(slug, depth, width, batch, **kwargs):
        kept.append(kwargs["keep_weights"])
        return simulate(slug, 3, 4, 2, **{k: v for k, v in kwargs.items() if k != "keep_weights"})

    monkeypatch.setattr(view, "simulate", fake_simulate)
    view.run.clear()
    params = view.params_key({})
    view.run("relu", params, DEFAULT["depth"], DEFAULT["width"], 64, "he", 99, False, None)
    view.run("relu", params, 200, 1024, 8, "he", 99, False, None)
    view.run.clear()
    assert kept == [True, False]
    assert view.keeps_weights(DEFAULT["depth"], DEFAULT["width"])


def test_every_allowed_run_fits_the_budget_and_the_largest_batch_is_the_edge():
    for depth in (1, 50, 120, 200):
        for width in (2, 256, 700, 1024):
            fits = view.largest_batch(depth, width)
            assert fits >= 1  # some batch always runs: lowering the batch is always advice enough
            assert view.run_bytes(depth, width, fits) <= view.RUN_MEMORY_BUDGET
            assert view.too_big(depth, width, fits) is None
            if fits < view.BATCH_RANGE[1]:
                assert view.too_big(depth, width, fits + 1) is not None


def test_heavy_also_means_a_large_peak():
    assert not view.is_heavy(DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"])
    assert view.is_heavy(DEFAULT["depth"], DEFAULT["width"], view.BATCH_RANGE[1])  # 140 MB


# --- a slider move: every output follows, from caches a class shares ---------------------------


def test_a_depth_move_updates_every_output():
    at = open_depth({"width": "64"})
    at.slider(key="depth").set_value(20).run()
    assert not at.exception
    r = simulate("relu", 20, 64, DEFAULT["batch"], "he", 0)
    assert_curve_matches(grad_chart(at), "relu·he", 1, r.grad_norms)
    assert_curve_matches(std_chart(at), "relu·he", 0, r.activation_stds)
    heat = trace(chart(at, "Activations h_l per layer"), "activation histogram")
    np.testing.assert_allclose(as_array(heat["z"]), r.act_hist / r.act_hist.sum(1, keepdims=True))
    # The verdict carries σ_w and the run's settings (one element, not a caption beside it).
    (verdict_box,) = at.success
    assert "at layer 20" in verdict_box.value
    assert (
        f"σ_w = {math.sqrt(2 / 64):.4g} · ReLU, He init, 20 layers × 64 units" in verdict_box.value
    )
    # Each chart's caption speaks of this network, none of the previous one.
    captions = [c.value for c in at.caption]
    assert sum("20 layers × 64 units" in c for c in captions) == 3, captions
    assert not any(f"{DEFAULT['depth']} layers" in c for c in captions), captions
    grad_caption = next(c for c in captions if "from the top layer (20) to the first" in c)
    assert view.WEIGHT_VS_SIGNAL in grad_caption  # the note stays under its chart
    assert at.query_params["depth"] in (["20"], "20")


def test_cached_results_are_read_only():
    """st.cache_resource hands every session the same object: nobody may change it."""
    r = view.run("relu", (), 5, 8, 4, "he", 0, False, None)
    assert r.weights == () and r.inputs.size == 0  # slim: nothing the page does not draw
    with pytest.raises(ValueError, match="read-only"):
        r.grad_norms[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        r.act_hist[0, 0] = 1
    assert view.run("relu", (), 5, 8, 4, "he", 0, False, None) is r


def test_a_class_walking_the_depth_slider_stays_in_the_cache(monkeypatch):
    """Students walk the depth slider over more than a hundred depths in a lesson: every result
    and every set of figures they walked over is still cached (the old limit, 32, was not)."""
    simulated: list[int] = []
    built: list[int] = []

    def counting_simulate(slug, depth, width, batch, **kwargs):
        simulated.append(depth)
        return simulate(slug, depth, width, batch, **kwargs)

    def counting_grad_norm_figure(runs, **kwargs):
        built.append(runs[0][1].depth)
        return go.Figure()

    monkeypatch.setattr(view, "simulate", counting_simulate)
    monkeypatch.setattr(view, "grad_norm_figure", counting_grad_norm_figure)
    for name in ("std_figure", "histogram_figure"):
        monkeypatch.setattr(view, name, lambda *args, **kwargs: go.Figure())
    view.run.clear()
    view.figures.clear()
    walked = range(1, 121)  # 60 students walking from depth 50 cover ~110 in ten minutes
    try:
        for _ in range(2):  # there and back again
            for depth in walked:
                args = ("relu", (), depth, 4, 2, "he", 0, False, None)
                result = view.run(*args)
                view.figures((("relu·he", args),), [("relu·he", result)], "s", False)
    finally:
        view.run.clear()
        view.figures.clear()
    assert simulated == list(walked)  # each depth simulated once
    assert built == list(walked)  # and drawn once


# --- the catalogue's newer entries, with no edit to this page (issue #18) -----------------------


@pytest.mark.parametrize(
    ("slug", "params"),
    [
        ("xielu", {}),
        ("srelu", {"t_left": -0.5}),
        ("dyt", {"alpha": 1.5}),
        ("hard_tanh", {"min_val": 0.0, "max_val": 6.0}),
    ],
)
def test_newer_entries_run_through_depth(slug, params):
    query = {"activation": slug, **{f"param_{k}": str(v) for k, v in params.items()}}
    at = open_depth(query)
    assert at.selectbox(key="activation").value == slug
    r = simulate(slug, DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"], "he", 0, params=params)
    assert_curve_matches(grad_chart(at), view.pair_label(slug, "he"), 1, r.grad_norms)


def test_a_refused_combination_keeps_the_sliders_and_runs_the_last_accepted():
    at = open_depth({"activation": "hard_tanh", "param_min_val": "0.5", "param_max_val": "-1"})
    (error,) = at.error
    assert "min\\_val = 0.5 must be smaller than max\\_val = -1" in error.value
    assert at.slider(key="param_min_val").value == 0.5  # what the link set stays
    r = simulate("hard_tanh", DEFAULT["depth"], DEFAULT["width"], DEFAULT["batch"], "he", 0)
    assert_curve_matches(grad_chart(at), view.pair_label("hard_tanh", "he"), 1, r.grad_norms)


# --- issue #20: a typed depth never jumps ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [(None, "left empty"), (1000.0, "1000 is outside"), (2.5, "2.5 is not a whole number")],
)
def test_a_typed_depth_out_of_range_or_not_whole_keeps_the_depth(typed, said):
    at = open_depth({"depth": "7", "width": "16"})
    at.number_input(key="depth_exact").set_value(typed).run()
    assert not at.exception
    assert at.slider(key="depth").value == 7 and at.number_input(key="depth_exact").value == 7
    message = " ".join(w.value for w in at.warning)
    assert said in message and "whole number from 1 to 200" in message and "stays 7" in message
    at.number_input(key="depth_exact").set_value(12.0).run()
    assert at.slider(key="depth").value == 12 and at.query_params["depth"] in ("12", ["12"])
