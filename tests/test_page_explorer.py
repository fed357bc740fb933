"""The Activation explorer page, driven through the router with AppTest.

Every number checked here is recomputed from the core (``Activation.forward`` / ``derivative``)
at the x the page drew, never copied from the page's implementation.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import streamlit.testing.v1.app_test as app_test_module
from scipy import optimize
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from activations import ACTIVATIONS
from activations import functions as core
from tests.plotly_helpers import as_array, figures, lines, sampled, sampled_mask, trace
from ui import classroom, sweep

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PARAMETERISED = [slug for slug, act in ACTIVATIONS.items() if act.params]


def explorer(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    at.switch_page("pages/explorer.py")
    at.run()
    assert not at.exception
    return at


def main_figure(at: AppTest) -> dict:
    (fig,) = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(("f:", "f and"))]
    return fig


def compare_figure(at: AppTest) -> dict:
    (fig,) = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Compare")]
    return fig


def assert_draws(at: AppTest, slug: str, params: dict[str, float]) -> None:
    """Traces "f" and "f′" are exactly the core's f and f′ at the drawn x (the points drawn at
    jumps are checked in tests/test_jumps.py), on the same grid."""
    act = ACTIVATIONS[slug]
    fig = main_figure(at)
    x, fy = sampled(trace(fig, "f"))
    dx, dy = sampled(trace(fig, "f′"))
    assert len(x) >= 200
    np.testing.assert_allclose(fy, act.forward(x, **params), rtol=1e-12, atol=0)
    np.testing.assert_allclose(dy, act.derivative(dx, **params), rtol=1e-12)
    # One grid for both: a kink's grid point is missing only from the curve that jumps there.
    grid = np.union1d(x, dx)
    assert len(grid) - max(len(x), len(dx)) <= len(act.kink_points(**params))


def non_default(p) -> float:
    """An in-range value on the slider's step grid, away from the default."""
    for fraction in (0.3, 0.7, 0.9):
        steps = round((p.high - p.low) * fraction / p.step)
        value = round(p.low + steps * p.step, 10)
        if abs(value - p.default) > p.step:
            return value
    raise AssertionError(p)


def number(text: str) -> float:
    return float(text.replace("−", "-"))


# --- the sliders draw exactly the core's curves ---------------------------------------------------


def test_default_view_draws_relu() -> None:
    at = explorer()
    assert at.selectbox(key="activation").value == "relu"
    assert_draws(at, "relu", {})
    fig = main_figure(at)
    assert "ReLU" in fig["layout"]["title"]["text"]  # the PNG says what it shows
    # The dead zone x < 0 (|f′| = 0) is shaded; x > 0 (f′ = 1) is not.
    shapes = fig["layout"]["shapes"]
    assert shapes and all(s["x1"] <= 0.01 for s in shapes)


@pytest.mark.parametrize("slug", PARAMETERISED)
def test_every_slider_changes_the_curve_to_the_core(slug: str) -> None:
    act = ACTIVATIONS[slug]
    at = explorer(activation=slug)
    params = act.param_defaults()
    assert_draws(at, slug, params)
    default_fig = main_figure(at)
    for p in act.params:
        slider = at.slider(key=f"param_{p.name}")
        assert slider.label == p.label
        assert slider.value == pytest.approx(p.default)
        value = non_default(p)
        slider.set_value(value).run()
        assert not at.exception
        accepted = dict(params)
        params[p.name] = value
        assert at.query_params[f"param_{p.name}"] == str(value)
        if act.refusal(params) is not None:  # e.g. hard tanh's max_val moved below min_val
            (error,) = at.error
            assert act.refusal(params).replace("_", "\\_") in error.value
            assert_draws(at, slug, accepted)  # the last accepted setting, the sliders kept
            assert at.slider(key=f"param_{p.name}").value == pytest.approx(value)
            params = accepted
            continue
        assert not at.error
        assert_draws(at, slug, params)
    # Together the sliders moved the drawn curve.
    before = np.concatenate([sampled(trace(default_fig, n))[1] for n in ("f", "f′")])
    after = np.concatenate([sampled(trace(main_figure(at), n))[1] for n in ("f", "f′")])
    assert before.shape != after.shape or not np.allclose(before, after)


def test_switching_activation_resets_then_remembers_params() -> None:
    at = explorer(activation="elu")
    at.slider(key="param_alpha").set_value(1.5).run()
    at.selectbox(key="activation").set_value("selu").run()
    selu = ACTIVATIONS["selu"].param_defaults()
    assert at.slider(key="param_alpha").value == pytest.approx(selu["alpha"])
    assert_draws(at, "selu", selu)
    at.selectbox(key="activation").set_value("elu").run()
    assert not at.exception
    assert at.slider(key="param_alpha").value == pytest.approx(1.5)
    assert_draws(at, "elu", {"alpha": 1.5})


def test_sigmoid_shades_both_tails_and_labels_only_the_first() -> None:
    """Each run of |f′| < 0.01 is shaded and only the first is labelled: an unlabelled shading
    once carried an annotation without text, which Plotly.js draws as "new text"."""
    fig = main_figure(explorer(activation="sigmoid"))
    shaded = sorted((s["x0"], s["x1"]) for s in fig["layout"]["shapes"])
    assert len(shaded) == 2 and shaded[0][0] < -6 < 6 < shaded[1][1]  # both tails
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["|f′| < 0.01"]


def test_x_range_sets_the_drawn_interval() -> None:
    at = explorer(activation="sigmoid")
    at.slider(key="x_range").set_value((-2.0, 8.5)).run()
    assert not at.exception
    x = as_array(trace(main_figure(at), "f")["x"])
    assert x[0] == -2.0 and x[-1] == 8.5
    assert_draws(at, "sigmoid", {})
    assert at.query_params["x_range"] == "-2,8.5"


# --- the probe ------------------------------------------------------------------------------------


def test_probe_shows_core_values_and_tangent() -> None:
    act = ACTIVATIONS["elu"]
    at = explorer(activation="elu", param_alpha="1.5")
    at.number_input(key="probe_x").set_value(-0.7).run()
    assert not at.exception
    f0, d0 = float(act.forward(-0.7, alpha=1.5)), float(act.derivative(-0.7, alpha=1.5))
    values = [number(m.value) for m in at.metric]
    assert values[0] == pytest.approx(f0, rel=1e-3)
    assert values[1] == pytest.approx(d0, rel=1e-3)
    tangent = trace(main_figure(at), "tangent")
    tx, ty = as_array(tangent["x"]), as_array(tangent["y"])
    np.testing.assert_allclose(ty, f0 + d0 * (tx + 0.7), rtol=1e-12)


# --- compare --------------------------------------------------------------------------------------


def test_compare_overlays_one_trace_per_activation() -> None:
    at = explorer(activation="relu")
    assert not [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Compare")]
    at.multiselect(key="compare").set_value(["sigmoid", "tanh", "gelu"]).run()
    assert not at.exception
    fig = compare_figure(at)
    names = [t["name"] for t in lines(fig)]
    expected = ["relu", "sigmoid", "tanh", "gelu"]  # the current one first, then the chosen
    assert len(names) == len(expected) == len(set(names))
    for t, slug in zip(lines(fig), expected, strict=True):
        assert ACTIVATIONS[slug].label in t["name"]
        x, y = sampled(t)
        np.testing.assert_allclose(y, ACTIVATIONS[slug].forward(x), rtol=1e-12)
    assert at.query_params["compare"] == "sigmoid,tanh,gelu"

    at.radio(key="compare_what").set_value("df").run()
    for t, slug in zip(lines(compare_figure(at)), expected, strict=True):
        x, y = sampled(t)
        np.testing.assert_allclose(y, ACTIVATIONS[slug].derivative(x), rtol=1e-12)


def test_compared_activation_keeps_its_own_params() -> None:
    at = explorer(activation="elu")
    at.slider(key="param_alpha").set_value(2.0).run()
    at.selectbox(key="activation").set_value("relu").run()
    at.multiselect(key="compare").set_value(["elu"]).run()
    assert not at.exception
    elu_trace = lines(compare_figure(at))[1]
    x, y = sampled(elu_trace)
    np.testing.assert_allclose(y, ACTIVATIONS["elu"].forward(x, alpha=2.0))


# --- tampered links -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"activation": "<script>alert(1)</script>"},
        {"activation": "elu", "param_alpha": "abc"},
        {"activation": "elu", "param_alpha": "1e308"},
        {"x_range": "junk"},
        {"x_range": "5,-5"},
        {"x_range": "nan,inf"},
        {"compare": "nope,<b>x</b>"},
        {"probe_x": "1e999"},
        {"compare_what": "zzz"},
        {"quiz": "maybe"},
        {"sweep": "maybe"},
        {"activation": "selu", "sweep": "true", "sweep_param": "<b>x</b>"},
    ],
)
def test_tampered_query_params_warn_and_fall_back(query: dict[str, str]) -> None:
    at = explorer(**query)
    assert at.warning, "a rejected value must be reported"
    text = " ".join(w.value for w in at.warning)
    assert "<script>" not in text.replace("`<script>", "")  # only ever shown code-quoted
    slug = at.selectbox(key="activation").value
    assert slug == (query["activation"] if query.get("activation") in ACTIVATIONS else "relu")
    assert_draws(at, slug, ACTIVATIONS[slug].param_defaults())
    x = as_array(trace(main_figure(at), "f")["x"])
    assert (x[0], x[-1]) == (-6.0, 6.0)


# --- presets --------------------------------------------------------------------------------------


def press(at: AppTest, label_part: str) -> None:
    (button,) = [b for b in at.button if label_part in b.label]
    button.click().run()
    assert not at.exception


@pytest.mark.parametrize(("label", "slope"), [("0.2", 0.2), ("0.3", 0.3), ("0.01", 0.01)])
def test_leaky_relu_presets(label: str, slope: float) -> None:
    at = explorer(activation="leaky_relu", param_slope="0.5")
    press(at, label)
    assert at.slider(key="param_slope").value == pytest.approx(slope)
    assert_draws(at, "leaky_relu", {"slope": slope})
    # A later, unrelated rerun keeps the preset.
    at.number_input(key="probe_x").set_value(0.5).run()
    assert at.slider(key="param_slope").value == pytest.approx(slope)


def test_gelu_presets_switch_between_exact_and_tanh() -> None:
    at = explorer(activation="gelu")
    press(at, "tanh approximation")
    assert at.selectbox(key="activation").value == "gelu_tanh"
    assert_draws(at, "gelu_tanh", {})
    press(at, "GELU exact")
    assert at.selectbox(key="activation").value == "gelu"


def test_selu_presets() -> None:
    at = explorer(activation="selu")
    press(at, "plain ELU")
    assert at.slider(key="param_alpha").value == pytest.approx(1.0)
    assert at.slider(key="param_lam").value == pytest.approx(1.0)
    press(at, "SELU's constants")
    defaults = ACTIVATIONS["selu"].param_defaults()
    assert at.slider(key="param_alpha").value == pytest.approx(defaults["alpha"])
    assert at.slider(key="param_lam").value == pytest.approx(defaults["lam"])
    assert_draws(at, "selu", defaults)


# --- quiz -----------------------------------------------------------------------------------------


def score(at: AppTest) -> tuple[int, int]:
    (metric,) = [m for m in at.metric if m.label == "Score"]
    right, asked = metric.value.split("/")
    return int(right), int(asked)


@pytest.mark.parametrize("slug", ["sigmoid", "swish", "gelu", "tanh_shrink"])
def test_quiz_where_is_derivative_largest(slug: str) -> None:
    at = explorer(activation=slug, quiz="true", quiz_seed="12345")
    names = [t["name"] for t in main_figure(at)["data"]]
    assert "f′" not in names  # predict first: f′ is hidden
    assert score(at) == (0, 0)
    # The right interval, from the core: argmax of f′ on a fine grid over five equal parts.
    x = np.linspace(-6, 6, 12001)
    df = ACTIVATIONS[slug].derivative(x)
    top = df.max()
    edges = np.linspace(-6, 6, 6)
    holders = {min(int(np.searchsorted(edges, xi, side="right")) - 1, 4) for xi in x[df >= top]}
    right = str(holders.pop()) if len(holders) == 1 else "tie"
    (radio,) = [r for r in at.radio if r.key.startswith("quiz_where_")]
    radio.set_value(right).run()
    assert not at.exception
    assert score(at) == (1, 1)
    assert "f′" in [t["name"] for t in main_figure(at)["data"]]  # revealed
    # Re-answering the same question does not count again.
    (radio,) = [r for r in at.radio if r.key.startswith("quiz_where_")]
    wrong = next(o for o in ["0", "1", "2", "3", "4"] if o != right)
    radio.set_value(wrong).run()
    assert score(at) == (1, 1)


def test_quiz_relu_is_a_tie() -> None:
    at = explorer(activation="relu", quiz="true", quiz_seed="7")
    (radio,) = [r for r in at.radio if r.key.startswith("quiz_where_")]
    radio.set_value("tie").run()
    assert score(at) == (1, 1)


@pytest.mark.parametrize("seed", ["3", "41", "2024"])
def test_quiz_which_derivative(seed: str) -> None:
    at = explorer(quiz="true", quiz_seed=seed)
    (mystery,) = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Quiz")]
    (t,) = lines(mystery)
    x, y = sampled(t)
    (radio,) = [r for r in at.radio if r.key == f"quiz_which_{seed}"]
    options = list(radio.options)
    assert len(options) == 4
    slugs = [s for s in ACTIVATIONS if ACTIVATIONS[s].label in options]
    # The core decides which option's derivative is the one drawn; exactly one matches.
    matches = [s for s in slugs if np.allclose(ACTIVATIONS[s].derivative(x), y)]
    assert len(matches) == 1
    wrong = next(s for s in slugs if s != matches[0])
    radio.set_value(wrong).run()
    assert score(at) == (0, 1)
    at.button(key="quiz_seed_new").click().run()
    new_seed = at.query_params["quiz_seed"]
    (radio,) = [r for r in at.radio if r.key == f"quiz_which_{new_seed}"]
    (mystery,) = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Quiz")]
    (t,) = lines(mystery)
    x, y = sampled(t)
    right = next(
        s
        for s in ACTIVATIONS
        if ACTIVATIONS[s].label in radio.options and np.allclose(ACTIVATIONS[s].derivative(x), y)
    )
    radio.set_value(right).run()
    assert score(at) == (1, 2)


# --- export ---------------------------------------------------------------------------------------


@pytest.fixture
def media_managers(monkeypatch: pytest.MonkeyPatch) -> list[MediaFileManager]:
    """The media file managers AppTest creates, to run the CSV button's deferred build."""
    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


def clicked_download(at: AppTest, managers: list[MediaFileManager]) -> str:
    """The file the download button serves: its deferred callable run as a click runs it."""
    (button,) = at.get("download_button")
    assert button.proto.deferred_file_id and not button.proto.url  # built on click only
    url = managers[-1].execute_deferred(button.proto.deferred_file_id)
    file = managers[-1].read_file(url.rsplit("/", 1)[-1].split(".")[0])
    assert file is not None
    return file.content.decode()


def test_csv_export_parses_back_to_the_core(media_managers: list[MediaFileManager]) -> None:
    at = explorer(activation="elu", param_alpha="1.5", compare="tanh", x_range="-3,4")
    text = clicked_download(at, media_managers)
    settings, columns = classroom.read_csv(text)
    assert settings["activation"] == "elu"
    assert float(settings["param alpha"]) == 1.5
    x = columns["x"]
    assert (x[0], x[-1]) == (-3.0, 4.0)
    elu, tanh = ACTIVATIONS["elu"], ACTIVATIONS["tanh"]
    np.testing.assert_allclose(columns["f"], elu.forward(x, alpha=1.5), rtol=1e-15)
    np.testing.assert_allclose(columns["f′"], elu.derivative(x, alpha=1.5), rtol=1e-15)
    np.testing.assert_allclose(columns["f tanh"], tanh.forward(x), rtol=1e-15)


def test_summary_and_formulas_and_snippet() -> None:
    at = explorer(activation="sigmoid")
    captions = " ".join(c.value for c in at.caption)
    # σ′(x) = 0.01 at |x| = x*: the summary reports both tails beyond it as near zero.
    x_star = optimize.brentq(lambda x: ACTIVATIONS["sigmoid"].derivative(x) - 0.01, 0, 10)
    below = re.search(r"below x ≈ (−?\d+(?:\.\d+)?)", captions)
    above = re.search(r"above x ≈ (−?\d+(?:\.\d+)?)", captions)
    assert below and above, captions
    assert number(below.group(1)) == pytest.approx(-x_star, abs=0.02)
    assert number(above.group(1)) == pytest.approx(x_star, abs=0.02)
    latex = [e.value.strip("$\n") for e in at.latex]
    assert ACTIVATIONS["sigmoid"].formula in latex
    assert ACTIVATIONS["sigmoid"].derivative_formula in latex
    assert not at.code, "the code expander is closed: its code is not sent"
    at.session_state["code_open"] = True  # what opening the expander does
    at.run()
    code = [c.value for c in at.code]
    assert ACTIVATIONS["sigmoid"].snippet("pytorch") in code
    assert ACTIVATIONS["sigmoid"].snippet("keras") in code


def test_presenter_view_thickens_lines() -> None:
    normal = trace(main_figure(explorer()), "f")["line"]["width"]
    present = trace(main_figure(explorer(present="true")), "f")["line"]["width"]
    assert present > normal


def test_only_link_hides_other_controls() -> None:
    at = explorer(activation="elu", only="param_alpha")
    assert [s.key for s in at.slider] == ["param_alpha"]
    assert not at.selectbox
    assert not at.multiselect


# --- the instant sweep ----------------------------------------------------------------------------


def sweep_figures(at: AppTest) -> list[dict]:
    return [f for f in figures(at) if f.get("frames")]


def assert_sweeps(fig: dict, slug: str, name: str, fixed: dict[str, float]) -> None:
    """Every frame is the core's f and f′ at its value of ``name`` (others fixed), one slider
    step per frame, over the parameter's whole grid."""
    act = ACTIVATIONS[slug]
    (param,) = [p for p in act.params if p.name == name]
    keep = sampled_mask(fig["data"][0]["x"])
    x = as_array(fig["data"][0]["x"])[keep]
    assert len(x) >= 200
    frames = {frame["name"]: frame for frame in fig["frames"]}
    steps = fig["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(frames) >= 2
    values = []
    for step in steps:
        (frame_name,) = step["args"][0]
        swept, _, value = frame_name.partition("=")
        assert swept == name
        values.append(float(value))
        f, df = frames[frame_name]["data"][:2]  # then the dots at the jumps
        at_value = {**fixed, name: float(value)}
        np.testing.assert_allclose(as_array(f["y"])[keep], act.forward(x, **at_value), rtol=1e-12)
        np.testing.assert_allclose(
            as_array(df["y"])[keep], act.derivative(x, **at_value), rtol=1e-12
        )
    assert values[0] == pytest.approx(param.low) and values[-1] == pytest.approx(param.high)
    assert values == pytest.approx(list(sweep.param_values(param)))


def test_sweep_off_by_default_then_on_draws_the_core_family() -> None:
    at = explorer(activation="elu", param_alpha="1.5", x_range="-3,4")
    assert not sweep_figures(at)
    at.toggle(key="sweep").set_value(True).run()
    assert not at.exception
    (fig,) = sweep_figures(at)
    assert_sweeps(fig, "elu", "alpha", {"alpha": 1.5})
    x = as_array(fig["data"][0]["x"])
    assert (x[0], x[-1]) == (-3.0, 4.0)
    assert "ELU" in fig["layout"]["title"]["text"]
    assert at.query_params["sweep"] == "true"
    # The main chart is still the current α's.
    assert_draws(at, "elu", {"alpha": 1.5})
    at.toggle(key="sweep").set_value(False).run()
    assert not sweep_figures(at)
    assert "sweep" not in at.query_params


def test_sweep_of_the_chosen_parameter_keeps_the_others() -> None:
    selu = ACTIVATIONS["selu"]
    at = explorer(activation="selu", param_alpha="1.2", sweep="true", sweep_param="lam")
    assert at.selectbox(key="sweep_param").value == "lam"
    lam = at.slider(key="param_lam").value
    (fig,) = sweep_figures(at)
    assert_sweeps(fig, "selu", "lam", {"alpha": 1.2, "lam": lam})
    at.selectbox(key="sweep_param").set_value("alpha").run()
    assert not at.exception
    (fig,) = sweep_figures(at)
    assert_sweeps(fig, "selu", "alpha", {"alpha": 1.2, "lam": lam})
    assert selu.params[0].name == "alpha"  # the default sweep_param stays out of the link
    assert "sweep_param" not in at.query_params
    at.selectbox(key="sweep_param").set_value("lam").run()
    assert at.query_params["sweep_param"] == "lam"


def test_sweep_needs_a_parameter_and_waits_for_the_quiz() -> None:
    at = explorer(activation="relu", sweep="true")
    assert not [t for t in at.toggle if t.key == "sweep"]  # ReLU has nothing to sweep
    assert not sweep_figures(at)
    at = explorer(activation="elu", sweep="true", quiz="true")
    assert not sweep_figures(at)  # it would show the hidden f′
    assert any("answer the quiz" in c.value for c in at.caption)


# --- properties -----------------------------------------------------------------------------------


def test_properties_table_shows_the_core_values() -> None:
    at = explorer(activation="swish", param_beta="1.5")
    props = core.properties(ACTIVATIONS["swish"], beta=1.5)
    (table,) = [m.value for m in at.markdown if m.value.startswith("| property | value |")]
    rows = dict(
        (cells[0].strip(), cells[1].strip())
        for line in table.splitlines()[2:]
        for cells in [line.strip("|").split("|")]
    )
    assert number(rows["minimum"]) == pytest.approx(props.minimum, rel=1e-3)
    assert number(rows["minimum at x"]) == pytest.approx(props.argmin, rel=1e-3)
    assert rows["monotonic"] == ("yes" if props.monotonic else "no")
    assert rows["zero-centred"] == ("yes" if props.zero_centred else "no")


@pytest.mark.parametrize(("slug", "shown"), [("relu", "[0, ∞)"), ("sigmoid", "(0, 1)")])
def test_properties_range_brackets_say_whether_an_end_is_reached(slug, shown) -> None:
    at = explorer(activation=slug)
    (table,) = [m.value for m in at.markdown if m.value.startswith("| property | value |")]
    assert f"| output range | {shown} |" in table.replace("\\", "")  # Markdown escapes
    assert not at.table  # no pandas / Arrow table on the page


# --- exact values: a number field beside every slider ---------------------------------------


def test_typed_exact_value_moves_the_slider_and_the_curve() -> None:
    at = explorer(activation="elu")
    at.number_input(key="param_alpha_exact").set_value(2.35).run()
    assert not at.exception
    assert at.slider(key="param_alpha").value == pytest.approx(2.35)
    assert_draws(at, "elu", {"alpha": 2.35})
    assert at.query_params["param_alpha"] == "2.35"


def test_slider_move_updates_the_number_field() -> None:
    at = explorer(activation="leaky_relu")
    at.slider(key="param_slope").set_value(0.3).run()
    assert not at.exception
    assert at.number_input(key="param_slope_exact").value == pytest.approx(0.3)
    assert_draws(at, "leaky_relu", {"slope": 0.3})


# --- constraints between parameters (hard tanh's min_val < max_val) -----------------------------


def test_a_refused_combination_keeps_the_sliders_and_draws_the_last_accepted() -> None:
    at = explorer(activation="hard_tanh", param_min_val="-2")
    assert_draws(at, "hard_tanh", {"min_val": -2.0, "max_val": 1.0})
    at.slider(key="param_max_val").set_value(-3.0).run()
    assert not at.exception
    (error,) = at.error
    assert "min\\_val = -2 must be smaller than max\\_val = -3" in error.value
    assert "min\\_val = -2, max\\_val = 1 (the last accepted setting)" in error.value
    assert_draws(at, "hard_tanh", {"min_val": -2.0, "max_val": 1.0})
    assert at.slider(key="param_max_val").value == -3.0  # nothing the user set is lost
    assert at.query_params["param_max_val"] == "-3.0"
    at.slider(key="param_min_val").set_value(-4.0).run()  # now in order: drawn
    assert not at.error
    assert_draws(at, "hard_tanh", {"min_val": -4.0, "max_val": -3.0})


def test_a_link_with_a_refused_combination_says_so_and_draws_the_defaults() -> None:
    at = explorer(activation="hard_tanh", param_min_val="2", param_max_val="1", probe_x="0.5")
    (error,) = at.error
    assert "must be smaller than" in error.value
    assert_draws(at, "hard_tanh", {"min_val": -1.0, "max_val": 1.0})
    assert at.number_input(key="probe_x").value == 0.5  # the link's other settings are kept


def test_sweep_of_max_val_offers_only_values_above_min_val() -> None:
    at = explorer(activation="hard_tanh", param_min_val="0.5", sweep="true", sweep_param="max_val")
    (fig,) = sweep_figures(at)
    labels = [float(s["label"]) for s in fig["layout"]["sliders"][0]["steps"]]
    assert labels and min(labels) > 0.5 and max(labels) == 6.0


def test_softplus_pytorch_preset_sets_threshold_20() -> None:
    at = explorer(activation="softplus")
    press(at, "threshold = 20")
    assert at.slider(key="param_threshold").value == 20.0
    assert_draws(at, "softplus", {"beta": 1.0, "threshold": 20.0})
    press(at, "exact")
    assert at.slider(key="param_threshold").value == 0.0


def test_jax_preset_and_code_tab() -> None:
    at = explorer(activation="gelu")
    press(at, "jax.nn.gelu's default")
    assert at.selectbox(key="activation").value == "gelu_tanh"  # JAX's default: the tanh form
    at.session_state["code_open"] = True
    at.run()
    code = [c.value for c in at.code]
    assert "lambda x: jax.nn.gelu(x, approximate=True)" in code
    assert ACTIVATIONS["gelu_tanh"].snippet("pytorch") in code


# --- issue #20: nothing dropped without a word, number fields that never jump -------------------


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"activation": "relu", "param_alpha": "2"}, "param_alpha=`2` is not a parameter of ReLU"),
        ({"activation": "elu", "param_alhpa": "2"}, "it has param_alpha"),
    ],
)
def test_a_parameter_the_activation_lacks_is_reported(query, said):
    at = explorer(**query)
    assert any(said in w.value for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("typed", [None, 1000.0, -1e300, 25.0])
def test_a_probe_typed_out_of_range_or_cleared_keeps_the_value_and_says_so(typed):
    at = explorer(activation="elu", probe_x="3")
    at.number_input(key="probe_x").set_value(typed).run()
    assert not at.exception
    assert at.number_input(key="probe_x").value == 3.0  # not the minimum, not the typed value
    assert at.query_params["probe_x"] in ("3", ["3"])
    message = " ".join(w.value for w in at.warning)
    assert "Probe at x₀" in message and "it stays 3" in message and "from -20 to 20" in message


def test_a_parameter_field_cleared_keeps_the_slider():
    at = explorer(activation="elu", param_alpha="2")
    at.number_input(key="param_alpha_exact").set_value(None).run()
    assert at.slider(key="param_alpha").value == 2.0
    assert at.number_input(key="param_alpha_exact").value == 2.0
    assert any("it stays 2" in w.value for w in at.warning)
    at.number_input(key="param_alpha_exact").set_value(0.5).run()
    assert at.slider(key="param_alpha").value == 0.5 and not at.warning
