"""The Softmax page through the router: bars, temperature, bad input, loss, Jacobian, quiz, CSV.

Every drawn number is compared with the core's own computation (``activations``), never with
numbers copied from the page.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import activations as A
from activations.softmax import parse_logits
from tests.hostile_links import MARK, PAYLOADS, markdown_problems
from tests.plotly_helpers import as_array, figures, trace
from ui import classroom
from ui import softmax_view as view

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/softmax.py"
DEFAULT = "1.8, 0.9, 0.68"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if query:
        at.query_params.update(query)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    return at


def figure_with(at: AppTest, name: str) -> dict:
    found = [f for f in figures(at) if any(t.get("name") == name for t in f["data"])]
    assert len(found) == 1, f"expected one figure with a trace {name!r}, found {len(found)}"
    return found[0]


def bars(at: AppTest) -> np.ndarray:
    return as_array(trace(figure_with(at, "p"), "p")["y"])


def pipeline_table(at: AppTest) -> dict[str, list[str]]:
    """The pipeline's Markdown table, column by column (cells unescaped)."""
    (md,) = [m.value for m in at.markdown if m.value.startswith("| class |")]
    rows = [
        [unescape_md(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in md.splitlines()
    ]
    header, body = rows[0], rows[2:]
    return {name: [row[j] for row in body] for j, name in enumerate(header)}


def as_shown(message: str) -> str:
    """The parser's message as the page shows it: the tokens it quotes (“…”) code-quoted."""
    return re.sub(r"“([^”]*)”", r"`\1`", message)


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, f"no metric {label!r}"
    return found[0]


# --- the default example and temperature --------------------------------------------------------


def test_default_example_shows_the_worked_example():
    at = open_page()
    z = parse_logits(DEFAULT)
    fig = figure_with(at, "p")
    p = trace(fig, "p")
    np.testing.assert_allclose(as_array(p["y"]), A.softmax(z), rtol=1e-12)
    assert p["text"] == ["0.58", "0.23", "0.19"]  # TEACHING.md's worked example
    uniform = trace(fig, "uniform 1/n")
    np.testing.assert_allclose(as_array(uniform["y"]), 1 / 3)
    # the argmax (class 0) is highlighted, the others are not
    colours = p["marker"]["color"]
    assert colours[0] != colours[1] and colours[1] == colours[2]
    assert "T = 1" in fig["layout"]["title"]["text"]
    assert any("58%" in c.value and "nats" in c.value for c in at.caption)
    h = float(A.entropy(A.softmax(z)))
    assert metric(at, "Entropy (nats)") == f"{h:.3f}"
    assert metric(at, "Entropy (bits)") == f"{h / np.log(2):.3f}"
    assert metric(at, "Maximum, log n (nats)") == f"{np.log(3):.3f}"
    # one row: the entropies the temperature moves, then the constant maximum
    assert [m.label for m in at.metric] == [
        "Entropy (nats)",
        "Entropy (bits)",
        "Maximum, log n (nats)",
    ]


@pytest.mark.parametrize("t", [0.5, 10.0])
def test_temperature_changes_the_bars(t):
    at = open_page()
    at.select_slider(key="temperature").set_value(t).run()
    assert not at.exception
    np.testing.assert_allclose(bars(at), A.softmax(parse_logits(DEFAULT), t), rtol=1e-12)
    assert at.query_params["temperature"] == view.format_t(t)
    assert f"T = {view.format_t(t)}" in figure_with(at, "p")["layout"]["title"]["text"]


def test_every_chart_follows_temperature_and_logits_through_the_figure_cache():
    """The figures are cached per setting: moving back and forth, and new logits at a T seen
    before, must still draw the core's numbers for what is on screen now."""
    at = open_page({"target": "2"})
    for text, t in [(DEFAULT, 0.5), (DEFAULT, 10.0), (DEFAULT, 0.5), ("3, -1, 0", 0.5)]:
        at.text_input(key="logits").input(text).run()
        at.select_slider(key="temperature").set_value(t).run()
        assert not at.exception
        z = parse_logits(text)
        np.testing.assert_allclose(bars(at), A.softmax(z, t), rtol=1e-12)
        grad = as_array(trace(figure_with(at, "gradient"), "gradient")["y"])
        np.testing.assert_allclose(grad, A.cross_entropy_grad(z, 2, t), rtol=1e-12)
        jac = as_array(trace(figure_with(at, "jacobian"), "jacobian")["z"])
        np.testing.assert_allclose(jac, A.softmax_jacobian(z, t), rtol=1e-12, atol=1e-300)
        sig = as_array(trace(figure_with(at, "σ(z/T)"), "σ(z/T)")["y"])
        np.testing.assert_allclose(sig, 1 / (1 + np.exp(-z / t)), rtol=1e-12)
        table = pipeline_table(at)
        np.testing.assert_allclose([float(v) for v in table["p"]], A.softmax(z, t), rtol=1e-3)
        np.testing.assert_allclose([float(v) for v in table["z/T"]], z / t, rtol=1e-3)


def test_a_temperature_move_updates_every_number_shown():
    """Metrics, sentences, the table and the two-class check follow T, not only the charts."""
    at = open_page({"logits": "2, -1, 0.5", "target": "1"})
    z = np.array([2.0, -1.0, 0.5])
    for t in (0.5, 2.5, 0.5):
        at.select_slider(key="temperature").set_value(t).run()
        assert not at.exception
        p = A.softmax(z, t)
        assert metric(at, "Entropy (nats)") == f"{float(A.entropy(p)):.3f}"
        assert metric(at, "Entropy (bits)") == f"{float(A.entropy(p, base=2)):.3f}"
        loss = float(A.cross_entropy(z, 1, t))
        assert metric(at, "Cross-entropy −log p_y (nats)") == f"{loss:.4g}"
        assert metric(at, "p_y") == f"{p[1]:.4g}"
        captions = [c.value for c in at.caption]
        assert any(c.startswith(f"At T = {view.format_t(t)}, ") for c in captions)
        grad = A.cross_entropy_grad(z, 1, t)
        assert any(f"The gradient is {grad[1]:.3g} for the true class" in c for c in captions)
        jac = A.softmax_jacobian(z, t)
        assert any(f"the largest here is {jac.diagonal().max():.3g}" in c for c in captions)
        # two classes: softmax([z₀, z₁]/T)₀ = σ((z₀ − z₁)/T), both from the core
        pair = float(A.softmax(z[:2], t)[0])
        sig_pair = float(A.ACTIVATIONS["sigmoid"].forward((z[0] - z[1]) / t))
        assert pair == pytest.approx(sig_pair, rel=1e-12)
        check = f"softmax([z₀, z₁]/T)₀ = {pair:.6g} and σ((z₀ − z₁)/T) = {sig_pair:.6g}"
        assert any(check in c for c in captions)
        np.testing.assert_allclose([float(v) for v in pipeline_table(at)["z/T"]], z / t, rtol=1e-3)


def test_the_naive_warning_follows_the_temperature():
    at = open_page({"logits": "8, 0", "temperature": "0.01"})  # exp(800) overflows
    assert any("naive formula" in w.value and "overflows" in w.value for w in at.warning)
    at.select_slider(key="temperature").set_value(0.012).run()  # exp(666.7) does not
    assert not at.exception
    assert not [w for w in at.warning if "naive formula" in w.value]
    assert "nan" not in pipeline_table(at)["naive p"]


def test_one_cached_view_per_setting_shared_and_read_only():
    """A T move makes one cached call; sessions with the same setting share its result."""
    z = np.array([1.0, 2.0, 0.5])
    setting = {"labels": ("a", "b", "c"), "present": False, "muted": False}
    first = view.temperature_view(z=z, t=0.5, target=1, **setting)
    again = view.temperature_view(z=z.copy(), t=0.5, target=1, **setting)
    assert again is first  # equal settings: the same object, no copy
    assert not first.probs.flags.writeable and not first.grad.flags.writeable
    with pytest.raises(ValueError):
        first.probs[0] = 1.0  # a shared result cannot be changed by one session
    np.testing.assert_array_equal(first.probs, A.softmax(z, 0.5))
    np.testing.assert_array_equal(first.grad, A.cross_entropy_grad(z, 1, 0.5))
    other = view.temperature_view(z=z, t=0.6, target=None, **setting)
    assert other is not first and other.grad is None and other.gradient_chart is None
    np.testing.assert_array_equal(other.probs, A.softmax(z, 0.6))


def test_no_jacobian_heatmap_beyond_its_class_limit():
    n = view.MAX_JACOBIAN + 1
    at = open_page({"logits": ", ".join(str(i % 7) for i in range(n))})
    assert not [f for f in figures(at) if any(t.get("name") == "jacobian" for t in f["data"])]
    assert any(f"up to {view.MAX_JACOBIAN} classes" in i.value for i in at.info)
    assert figure_with(at, "softmax p")  # the rest of the page still draws


def test_pipeline_table_escapes_labels_and_long_inputs_scroll():
    at = open_page({"labels": "a|b, *c*, [d](http://e.com)"})
    table = pipeline_table(at)
    assert table["class"] == ["a|b", "*c*", "[d](http://e.com)"]  # one column, shown literally
    assert len(table) == 8 and not at.dataframe
    n = view.MAX_MARKDOWN_ROWS + 1
    at = open_page({"logits": ", ".join(str(i) for i in range(n))})
    assert not [m for m in at.markdown if m.value.startswith("| class |")]
    (frame,) = at.dataframe
    np.testing.assert_allclose(
        [float(v) for v in frame.value["p"]], A.softmax(np.arange(n, dtype=float)), rtol=1e-3
    )


# --- the instant temperature sweep -----------------------------------------------------------


def sweep_chart(at: AppTest) -> dict | None:
    found = [f for f in figures(at) if f.get("frames")]
    assert len(found) <= 1
    return found[0] if found else None


def test_temperature_sweep_frames_are_the_core_softmax():
    at = open_page({"logits": "2, -1, 0.5", "labels": "<i>a</i>, b, c", "temperature": "0.5"})
    assert sweep_chart(at) is None  # off by default
    at.toggle(key="t_sweep").set_value(True).run()
    assert not at.exception
    assert at.query_params["t_sweep"] == "true"
    fig = sweep_chart(at)
    z = np.array([2.0, -1.0, 0.5])
    steps = fig["layout"]["sliders"][0]["steps"]
    frames = {f["name"]: f for f in fig["frames"]}
    assert len(steps) == len(view.TEMPERATURES)
    for t, step in zip(view.TEMPERATURES, steps, strict=True):
        (bars_t,) = frames[step["args"][0][0]]["data"]
        np.testing.assert_allclose(as_array(bars_t["y"]), A.softmax(z, t), rtol=1e-12)
    active = fig["layout"]["sliders"][0]["active"]
    assert view.TEMPERATURES[active] == 0.5  # starts at the page's T
    np.testing.assert_allclose(as_array(fig["data"][0]["y"]), A.softmax(z, 0.5), rtol=1e-12)
    assert fig["layout"]["xaxis"]["ticktext"] == ["&lt;i&gt;a&lt;/i&gt;", "b", "c"]
    assert "z = [2, -1, 0.5]" in fig["layout"]["title"]["text"]
    at.toggle(key="t_sweep").set_value(False).run()
    assert sweep_chart(at) is None
    assert "t_sweep" not in at.query_params


def test_temperature_sweep_from_a_link_and_its_class_limit():
    at = open_page({"t_sweep": "true"})
    np.testing.assert_allclose(
        as_array(sweep_chart(at)["data"][0]["y"]), A.softmax(parse_logits(DEFAULT)), rtol=1e-12
    )
    n = 51
    at = open_page({"t_sweep": "true", "logits": ", ".join(["0"] * n)})
    assert sweep_chart(at) is None
    assert any("up to 50 classes" in i.value and f"there are {n} here" in i.value for i in at.info)
    at = open_page({"t_sweep": "maybe"})
    assert sweep_chart(at) is None
    assert any("t_sweep" in w.value for w in at.warning)


def test_temperature_from_the_url_is_t_itself_and_snaps_to_the_grid():
    at = open_page({"temperature": "0.5"})
    assert at.select_slider(key="temperature").value == 0.5
    np.testing.assert_allclose(bars(at), A.softmax(parse_logits(DEFAULT), 0.5), rtol=1e-12)
    at = open_page({"temperature": "0.7"})  # between steps 0.6 and 0.8; 0.8 is nearer in log
    assert at.select_slider(key="temperature").value == 0.8
    assert any("nearest step" in c.value for c in at.caption)


def test_temperature_grid_is_log_spaced_with_one_exactly():
    grid = np.asarray(view.TEMPERATURES)
    assert len(grid) == 41 and grid[0] == 0.01 and grid[-1] == 100.0
    assert 1.0 in view.TEMPERATURES and 0.5 in view.TEMPERATURES
    ratios = grid[1:] / grid[:-1]
    assert np.all(ratios > 1.1) and np.all(ratios < 1.41)  # geometric-ish: ~×1.26 per step


# --- bad input ----------------------------------------------------------------------------------

BAD_INPUTS = [
    "",
    "cat, dog",
    "nan",
    "inf",
    "1e400",
    "2**10",
    "__import__('os')",
    "0x1F",
    "[1, 2",
    ", ".join(["1"] * 1001),
]


@pytest.mark.parametrize("text", BAD_INPUTS, ids=lambda s: s[:12] or "empty")
def test_bad_logits_show_the_parsers_message_and_keep_other_settings(text):
    with pytest.raises(ValueError) as parsed:
        parse_logits(text)
    at = open_page({"temperature": "2", "labels": "a, b, c", "target": "1"})
    assert not at.error
    at.text_input(key="logits").input(text).run()
    assert not at.exception
    assert len(at.error) == 1
    assert as_shown(str(parsed.value)) in unescape_md(at.error[0].value)
    assert at.select_slider(key="temperature").value == 2.0
    assert at.text_input(key="labels").value == "a, b, c"
    assert at.selectbox(key="target").value == "1"
    # the charts still show the last valid logits, greyed, at the kept temperature
    np.testing.assert_allclose(bars(at), A.softmax(parse_logits(DEFAULT), 2.0), rtol=1e-12)
    assert len(set(trace(figure_with(at, "p"), "p")["marker"]["color"])) == 1
    assert any("last valid logits" in i.value for i in at.info)
    assert figure_with(at, "gradient")  # the loss section (target 1) is still drawn


def test_error_text_cannot_inject_markdown():
    at = open_page()
    at.text_input(key="logits").input("**bold** [x](http://e.com)").run()
    assert not at.exception
    shown = at.error[0].value
    # what was typed is code-quoted, the rest escaped: Markdown renders none of it
    assert markdown_problems(shown.replace("**bold**", f"**{MARK}**")) == []
    assert "`**bold**`" in shown


@pytest.mark.parametrize("text", ["1000, 0, -1000", "1e308, -1e308"])
def test_huge_logits_work_without_warnings(text):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"logits": text, "target": "1", "temperature": "0.01"})
    at.switch_page(PAGE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        at.run()
    assert not at.exception
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not runtime, [str(w.message) for w in runtime]
    z = parse_logits(text)
    p = bars(at)
    np.testing.assert_array_equal(p, A.softmax(z, 0.01))
    assert np.all(np.isfinite(p)) and p[0] == 1.0
    assert not at.error
    assert any("naive formula" in w.value for w in at.warning)  # the naive contrast fails here
    table = pipeline_table(at)
    assert table["class"] == ["class 0", "class 1", "class 2"][: len(z)]
    assert "nan" in table["naive p"]  # inf / inf, shown as such, computed by the core, no warning
    shown = [float(v) for v in table["p"]]
    np.testing.assert_allclose(shown, A.softmax(z, 0.01), rtol=1e-3)
    np.testing.assert_array_equal(
        as_array(trace(figure_with(at, "gradient"), "gradient")["y"]),
        A.cross_entropy_grad(z, 1, 0.01),
    )


def test_one_logit_gives_probability_one():
    at = open_page({"logits": "3.7"})
    np.testing.assert_array_equal(bars(at), [1.0])
    assert metric(at, "Entropy (nats)") == "0.000"


# --- labels -------------------------------------------------------------------------------------


def test_labels_are_escaped_and_a_count_mismatch_falls_back():
    at = open_page({"labels": "<b>cat</b>, dog, bird"})
    axis = figure_with(at, "p")["layout"]["xaxis"]
    assert axis["ticktext"] == ["&lt;b&gt;cat&lt;/b&gt;", "dog", "bird"]
    at.text_input(key="labels").input("cat, dog").run()
    assert not at.exception
    assert any("2 labels for 3 logits" in w.value for w in at.warning)
    assert figure_with(at, "p")["layout"]["xaxis"]["ticktext"] == ["class 0", "class 1", "class 2"]


# --- loss, gradient, Jacobian, sigmoids ---------------------------------------------------------


@pytest.mark.parametrize("t", [1.0, 0.5])
def test_target_shows_cross_entropy_and_the_gradient(t):
    at = open_page({"temperature": view.format_t(t)})
    assert not [f for f in figures(at) if any(tr.get("name") == "gradient" for tr in f["data"])]
    at.selectbox(key="target").set_value("2").run()
    assert not at.exception
    z = parse_logits(DEFAULT)
    p = A.softmax(z, t)
    loss = float(A.cross_entropy(z, 2, t))
    assert loss == pytest.approx(-np.log(p[2]), rel=1e-12)
    assert metric(at, "Cross-entropy −log p_y (nats)") == f"{loss:.4g}"
    grad = as_array(trace(figure_with(at, "gradient"), "gradient")["y"])
    np.testing.assert_allclose(grad, A.cross_entropy_grad(z, 2, t), rtol=1e-12)
    np.testing.assert_allclose(grad * t, p - np.eye(3)[2], rtol=1e-12, atol=1e-15)


def test_jacobian_heatmap_equals_the_core():
    at = open_page({"logits": "2, -1, 0.5, 0.5", "temperature": "2.5"})
    jac = as_array(trace(figure_with(at, "jacobian"), "jacobian")["z"])
    np.testing.assert_allclose(jac, A.softmax_jacobian([2, -1, 0.5, 0.5], 2.5), rtol=1e-12)


def test_sigmoid_per_logit_beside_softmax():
    at = open_page({"logits": "2, -1, 0.5"})
    fig = figure_with(at, "softmax p")
    np.testing.assert_allclose(as_array(trace(fig, "softmax p")["y"]), A.softmax([2, -1, 0.5]))
    sig = A.ACTIVATIONS["sigmoid"].forward(np.array([2.0, -1.0, 0.5]))
    np.testing.assert_allclose(as_array(trace(fig, "σ(z/T)")["y"]), sig, rtol=1e-12)
    assert sig.sum() > 1.0  # the sigmoids do not sum to 1: multi-label, not one class


# --- tampered links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"temperature": "abc"},
        {"temperature": "0"},
        {"temperature": "nan"},
        {"target": "99"},
        {"target": "-1"},
        {"quiz": "maybe"},
    ],
)
def test_tampered_query_params_warn_and_fall_back(query):
    at = open_page(query)
    assert any("could not be used" in w.value for w in at.warning)
    assert at.select_slider(key="temperature").value == 1.0
    assert at.selectbox(key="target").value == "none"
    np.testing.assert_allclose(bars(at), A.softmax(parse_logits(DEFAULT)), rtol=1e-12)


def test_script_in_the_logits_link_is_an_error_not_markup():
    at = open_page({"logits": "<script>alert(1)</script>"})
    assert len(at.error) == 1
    # what was typed is shown code-quoted (literal text), never as markup
    assert at.error[0].value.replace("`<script>", "").count("<script>") == 0
    with pytest.raises(ValueError) as parsed:
        parse_logits("<script>alert(1)</script>")
    assert as_shown(str(parsed.value)) in unescape_md(at.error[0].value)
    np.testing.assert_allclose(bars(at), A.softmax(parse_logits(DEFAULT)), rtol=1e-12)


# --- classroom ----------------------------------------------------------------------------------


def _quiz_seed_with(tie: bool) -> int:
    for seed in range(1, 500):
        z, _ = view.quiz_logits(seed)
        if (np.sum(z == z.max()) > 1) == tie:
            return seed
    raise AssertionError("no such seed")


def test_quiz_answers_and_score():
    seed = _quiz_seed_with(tie=False)
    z, t = view.quiz_logits(seed)
    at = open_page({"quiz": "true", "quiz_seed": str(seed)})
    # 1. T → 0: the argmax, checked against the core at a tiny temperature
    winner = int(np.argmax(A.softmax(z, 1e-3)))
    at.radio(key=f"quiz_cold_{seed}").set_value(view.class_option(winner, z)).run()
    at.button(key=f"quiz_reveal_cold_{seed}").click().run()
    assert not at.exception
    assert any(s.value.startswith("Right.") for s in at.success)
    assert metric(at, "Your score this session") == "1 / 1"
    # 2. T → ∞: a wrong answer counts as asked, not right
    at.radio(key=f"quiz_hot_{seed}").set_value(view.T_INF_OPTIONS[0]).run()
    at.button(key=f"quiz_reveal_hot_{seed}").click().run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert metric(at, "Your score this session") == "1 / 2"
    hot = [f for f in figures(at) if "T = 100<br>" in f["layout"]["title"]["text"]]
    np.testing.assert_allclose(as_array(trace(hot[0], "p")["y"]), A.softmax(z, 100.0))
    # 3. the top class's probability, guessed within ±0.05
    top = float(A.softmax(z, t).max())
    at.slider(key=f"quiz_guess_{seed}").set_value(round(top + 0.04, 2)).run()
    at.button(key=f"quiz_reveal_guess_{seed}").click().run()
    assert not at.exception
    assert metric(at, "Your score this session") == "2 / 3"
    guess_fig = [
        f for f in figures(at) if f"T = {view.format_t(t)}" in f["layout"]["title"]["text"]
    ]
    assert guess_fig
    np.testing.assert_allclose(as_array(trace(guess_fig[-1], "p")["y"]), A.softmax(z, t))
    # re-answering the same question does not count twice
    at.button(key=f"quiz_reveal_cold_{seed}").click().run()
    assert metric(at, "Your score this session") == "2 / 3"


def test_quiz_tie_answer_is_the_split():
    seed = _quiz_seed_with(tie=True)
    z, _ = view.quiz_logits(seed)
    p_cold = A.softmax(z, 1e-3)
    assert np.isclose(p_cold.max(), 1.0 / np.sum(z == z.max()))  # the core splits ties
    at = open_page({"quiz": "true", "quiz_seed": str(seed)})
    at.radio(key=f"quiz_cold_{seed}").set_value(view.TIE).run()
    at.button(key=f"quiz_reveal_cold_{seed}").click().run()
    assert any(s.value.startswith("Right.") for s in at.success)


@pytest.fixture
def media_managers(monkeypatch):
    """Record the media file managers AppTest creates, to run the CSV download's deferred build."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


def clicked_download(at, managers) -> str:
    """The file the download button serves: its deferred callable run as a click runs it."""
    (button,) = at.get("download_button")
    assert button.proto.deferred_file_id and not button.proto.url  # built on click only
    url = managers[-1].execute_deferred(button.proto.deferred_file_id)
    return managers[-1].read_file(url.rsplit("/", 1)[-1].split(".")[0]).content.decode()


def test_csv_export_parses_back_to_the_core_numbers(media_managers):
    at = open_page({"logits": "2, -1, 0.5", "temperature": "0.5", "labels": "a, b, c"})
    at.selectbox(key="target").set_value("1").run()
    assert not at.exception
    text = clicked_download(at, media_managers)
    settings, cols = classroom.read_csv(text)
    z = np.array([2.0, -1.0, 0.5])
    assert settings["temperature"] == "0.5"
    np.testing.assert_array_equal(parse_logits(settings["logits"]), z)
    assert settings["target"].startswith("1")
    assert list(cols["class"]) == ["a", "b", "c"]
    np.testing.assert_array_equal(cols["z"], z)
    np.testing.assert_array_equal(cols["p"], A.softmax(z, 0.5))
    np.testing.assert_array_equal(cols["gradient"], A.cross_entropy_grad(z, 1, 0.5))


def test_focused_link_shows_only_the_temperature():
    at = open_page({"only": "temperature", "logits": "1, 2"})
    assert not at.text_input  # logits and labels are fixed by the link
    assert at.select_slider(key="temperature")
    np.testing.assert_allclose(bars(at), A.softmax([1.0, 2.0]), rtol=1e-12)


def test_presenter_view_enlarges_the_charts():
    normal = figure_with(open_page(), "p")["layout"]
    big = figure_with(open_page({"present": "true"}), "p")["layout"]
    assert big["font"]["size"] > normal["font"]["size"]
    assert big["height"] > normal["height"]


def test_the_legend_explains_both_kinds_of_bar():
    fig = figure_with(open_page({"logits": "2, 1, 0.5"}), "p")
    p = trace(fig, "p")
    assert p.get("showlegend") is False  # its two looks are explained by the entries below
    top, rest = trace(fig, "top class"), trace(fig, "other classes")
    colours = list(p["marker"]["color"])
    shapes = list(p["marker"]["pattern"]["shape"])
    winner = int(np.argmax(A.softmax([2.0, 1.0, 0.5])))
    # Each legend swatch looks like the bars it names: the top class's and the others'.
    assert (top["marker"]["color"], top["marker"]["pattern"]["shape"]) == (
        colours[winner],
        shapes[winner],
    )
    other = next(i for i in range(3) if i != winner)
    assert (rest["marker"]["color"], rest["marker"]["pattern"]["shape"]) == (
        colours[other],
        shapes[other],
    )
    assert fig["layout"]["barmode"] == "overlay"  # the empty swatches take no bar slot


@pytest.mark.parametrize(
    ("logits", "target", "confident"),
    [("1000, 0, -1000", "0", True), ("2, -1, 0.5", "1", False), ("2, -1, 0.5", "0", False)],
)
def test_the_gradient_sentence_says_why_the_true_class_gradient_is_near_zero(
    logits, target, confident
):
    """[1000, 0, −1000], y = 0: p_y ≈ 1 already, so its gradient p_y − 1 ≈ 0: the page says
    so instead of "its logit should go up"; otherwise it says the gradient is negative."""
    at = open_page({"logits": logits, "target": target})
    z = np.array([float(v) for v in logits.split(",")])
    y = int(target)
    grad = A.cross_entropy_grad(z, y, 1.0)
    p = A.softmax(z, 1.0)
    (sentence,) = [c.value for c in at.caption if "for the true class" in c.value]
    assert f"The gradient is {grad[y]:.3g} for the true class" in sentence
    if confident:
        assert p[y] >= view.CONFIDENT
        assert f"its probability is already {p[y]:.6g} ≈ 1" in sentence
        assert "should go up" not in sentence and "raises its logit" not in sentence
    else:
        assert grad[y] < 0 and "p_y − 1 < 0: gradient descent raises its logit" in sentence
        others = np.delete(grad, y)
        assert f"at {others.max():.3g}" in sentence


def test_the_two_class_relation_counts_classes_from_zero():
    at = open_page()
    text = " ".join(m.value for m in at.markdown)
    assert "softmax([z₀, z₁])₀ = σ(z₀ − z₁)" in text
    assert "z₂" not in text and "softmax([z₁, z₂])₁" not in text


# --- sparse alternatives ------------------------------------------------------------------------


SPARSE = {"sparse": "true"}  # the sparse comparison's toggle, on
SPARSE_NAMES = ("sparsemax", "sparsemax Jacobian", "sparsemax path")  # a trace of each chart
LEAD = "Softmax never gives a class exactly 0; **sparsemax** and **1.5-entmax** can."


def sparse_charts(at: AppTest) -> list[dict]:
    return [f for f in figures(at) if any(t.get("name") in SPARSE_NAMES for t in f["data"])]


def test_sparse_comparison_is_off_by_default_and_its_lead_says_what_it_shows():
    at = open_page()
    assert at.toggle(key="sparse").value is False
    assert sparse_charts(at) == []
    assert len(figures(at)) == 3  # the bars, the Jacobian, the sigmoids: as before the section
    (lead,) = [m.value for m in at.markdown if m.value.startswith(LEAD)]
    assert "their bars, their Jacobians and, for three logits, the probability simplex" in lead
    assert not [c for c in at.caption if c.value.startswith("At T = 1, softmax")]
    assert not [c for c in at.caption if c.value.startswith("Rows (and columns)")]
    assert not [e for e in at.expander if e.label == "How sparsemax and entmax work"]
    assert "sparse" not in at.query_params


def test_sparse_toggle_draws_the_section_follows_t_and_round_trips_in_the_url():
    at = open_page({"temperature": "0.5"})
    at.toggle(key="sparse").set_value(True).run()
    assert not at.exception
    assert at.query_params["sparse"] == "true"
    z = parse_logits(DEFAULT)
    assert len(sparse_charts(at)) == 3  # bars, Jacobians, simplex (three logits)
    np.testing.assert_array_equal(
        as_array(trace(figure_with(at, "sparsemax"), "sparsemax")["y"]), A.sparsemax(z, 0.5)
    )
    kept = int(np.count_nonzero(A.sparsemax(z, 0.5)))
    assert f"sparsemax keeps {kept} of 3" in caption_with(at, "At T = 0.5, softmax")
    assert [e for e in at.expander if e.label == "How sparsemax and entmax work"]
    at.select_slider(key="temperature").set_value(2.0).run()
    np.testing.assert_array_equal(
        as_array(trace(figure_with(at, "sparsemax"), "sparsemax")["y"]), A.sparsemax(z, 2.0)
    )
    # The link keeps it: a fresh session opened from it shows the section, the other settings too.
    reopened = open_page(dict(at.query_params))
    assert reopened.toggle(key="sparse").value is True
    assert reopened.select_slider(key="temperature").value == 2.0
    assert len(sparse_charts(reopened)) == 3
    at.toggle(key="sparse").set_value(False).run()
    assert sparse_charts(at) == []
    assert "sparse" not in at.query_params
    assert at.select_slider(key="temperature").value == 2.0


@pytest.mark.parametrize("raw", ["maybe", "2", "=1+1", "<b>yes</b>"])
def test_a_bad_sparse_value_warns_and_keeps_the_other_settings(raw):
    at = open_page({"sparse": raw, "temperature": "2", "target": "1", "logits": "1, 2, 3"})
    warning = [w.value for w in at.warning if "could not be used" in w.value]
    assert len(warning) == 1 and "sparse=" in warning[0]
    assert "must be true or false (or 1 or 0)" in unescape_md(warning[0])
    assert markdown_problems(warning[0]) == []
    assert at.toggle(key="sparse").value is False
    assert sparse_charts(at) == []
    assert at.select_slider(key="temperature").value == 2.0
    assert at.selectbox(key="target").value == "1"
    assert at.text_input(key="logits").value == "1, 2, 3"


def test_focused_links_and_presenter_view_respect_the_sparse_toggle():
    shown = open_page({"only": "sparse"})
    assert shown.toggle(key="sparse")
    assert not shown.text_input and not shown.select_slider
    fixed = open_page({"only": "temperature", **SPARSE})
    assert not [t for t in fixed.toggle if t.key == "sparse"]  # fixed on by the link
    assert len(sparse_charts(fixed)) == 3
    hidden_off = open_page({"only": "temperature"})
    assert sparse_charts(hidden_off) == []
    normal = figure_with(open_page(SPARSE), "sparsemax")["layout"]
    big = figure_with(open_page({"present": "true", **SPARSE}), "sparsemax")["layout"]
    assert big["font"]["size"] > normal["font"]["size"]


@pytest.mark.parametrize(
    "payload", [p for p in PAYLOADS if MARK in p and "," not in p and len(p) < 100]
)
def test_hostile_labels_in_the_sparse_sentences_are_literal_text(payload):
    # sparsemax gives the third class exactly 0: both sentences name it
    at = open_page({"logits": "1.8, 0.9, 0.68", "labels": f"a, b, {payload}", **SPARSE})
    sparse_sentences = [
        caption_with(at, "At T = 1, softmax gives"),  # the bars' summary
        caption_with(at, "At T = 1: softmax is"),  # the simplex's (labels shortened there)
    ]
    assert MARK in sparse_sentences[0]
    for text in sparse_sentences:
        assert markdown_problems(text) == [], text


def caption_with(at: AppTest, start: str) -> str:
    found = [c.value for c in at.caption if c.value.startswith(start)]
    assert len(found) == 1, f"expected one caption starting {start!r}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("t", [1.0, 0.5, 4.0])
def test_sparse_comparison_is_the_core_and_its_sentence_counts(t):
    z = np.array([2.0, 1.2, 0.9, 0.1, -0.5, -2.0])
    at = open_page(
        {"logits": "2, 1.2, 0.9, 0.1, -0.5, -2", "temperature": view.format_t(t), **SPARSE}
    )
    fig = figure_with(at, "sparsemax")
    expected = {"softmax": A.softmax(z, t), "sparsemax": A.sparsemax(z, t)}
    expected["1.5-entmax"] = A.entmax15(z, t)
    for name, p in expected.items():
        np.testing.assert_allclose(as_array(trace(fig, name)["y"]), p, rtol=1e-12, atol=0)
    sentence = caption_with(at, f"At T = {view.format_t(t)}, softmax")
    kept = {name: int(np.count_nonzero(p)) for name, p in expected.items()}
    assert f"sparsemax keeps {kept['sparsemax']} of 6" in sentence
    assert f"1.5-entmax keeps {kept['1.5-entmax']} of 6" in sentence
    assert "softmax gives all 6 classes a positive probability" in sentence
    dropped = np.flatnonzero(expected["sparsemax"] == 0.0)
    assert len(dropped) > 0  # a sparse case at every T tested
    named = ", ".join(f"`class {i}`" for i in dropped[:3])
    more = f" and {len(dropped) - 3} more" if len(dropped) > 3 else ""
    assert f"sparsemax keeps {kept['sparsemax']} of 6 and gives exactly 0 to {named}{more};" in (
        sentence
    )
    assert kept["softmax"] >= kept["1.5-entmax"] >= kept["sparsemax"]


def test_sparse_comparison_follows_a_temperature_move():
    at = open_page({"logits": "2, 1.2, 0.9, 0.1", **SPARSE})
    before = as_array(trace(figure_with(at, "sparsemax"), "sparsemax")["y"])
    at.select_slider(key="temperature").set_value(5.0).run()
    after = as_array(trace(figure_with(at, "sparsemax"), "sparsemax")["y"])
    np.testing.assert_allclose(after, A.sparsemax([2, 1.2, 0.9, 0.1], 5.0), rtol=1e-12)
    assert np.count_nonzero(after) > np.count_nonzero(before)  # a higher T keeps more classes


def test_sparse_jacobians_are_the_cores_with_zero_rows_off_the_support():
    z = [1.8, 0.9, 0.68]
    at = open_page({"logits": "1.8, 0.9, 0.68", "temperature": "1", **SPARSE})
    fig = figure_with(at, "sparsemax Jacobian")
    core = {
        "softmax": A.softmax_jacobian(z, 1.0),
        "sparsemax": A.sparsemax_jacobian(z, 1.0),
        "1.5-entmax": A.entmax15_jacobian(z, 1.0),
    }
    zero_rows = {}
    for name, jac in core.items():
        drawn = as_array(trace(fig, f"{name} Jacobian")["z"])
        np.testing.assert_allclose(drawn, jac, rtol=1e-12, atol=0)
        zero_rows[name] = int(np.sum(~jac.any(axis=1)))
    assert zero_rows["sparsemax"] == np.count_nonzero(A.sparsemax(z, 1.0) == 0) > 0
    sentence = caption_with(at, "Rows (and columns) that are exactly 0")
    assert (
        f"softmax {zero_rows['softmax']}, sparsemax {zero_rows['sparsemax']}, "
        f"1.5-entmax {zero_rows['1.5-entmax']}, of 3" in sentence
    )


def test_simplex_picture_for_three_logits_only():
    at = open_page({"logits": "1.8, 0.9, 0.68", "labels": "cat, dog, <b>bird</b>", **SPARSE})
    fig = figure_with(at, "sparsemax path")
    for name, f in (("softmax", A.softmax), ("sparsemax", A.sparsemax), ("1.5-entmax", A.entmax15)):
        p = f([1.8, 0.9, 0.68])
        point = trace(fig, f"{name}(z/T)")
        xy = view.simplex_xy(p)
        assert as_array(point["x"])[0] == pytest.approx(xy[0])
        assert as_array(point["y"])[0] == pytest.approx(xy[1])
        path = trace(fig, f"{name} path")
        ends = view.simplex_xy(np.stack([f([1.8, 0.9, 0.68], t) for t in (0.01, 100.0)]))
        np.testing.assert_allclose(as_array(path["x"])[[0, -1]], ends[:, 0], atol=1e-12)
    # sparsemax sits on the cat–dog edge: bird gets exactly 0
    assert A.sparsemax([1.8, 0.9, 0.68])[2] == 0.0
    sentence = caption_with(at, "At T = 1: softmax is")
    assert "sparsemax is on the edge `cat`–`dog` (`<b>bird</b>` gets 0)" in sentence
    assert "softmax is inside the triangle" in sentence
    corner_text = [a["text"] for a in fig["layout"]["annotations"]]
    assert "&lt;b&gt;bird&lt;/b&gt; = 1" in corner_text  # a typed label is inert text

    four = open_page({"logits": "1, 2, 3, 4", **SPARSE})
    assert not [f for f in figures(four) if any("path" in t.get("name", "") for t in f["data"])]
    assert any("exactly 3 logits" in c.value and "have 4" in c.value for c in four.caption)


def test_no_sparse_jacobians_beyond_their_class_limit():
    n = view.MAX_JACOBIAN + 1
    at = open_page({"logits": ", ".join(str(i % 7) for i in range(n)), **SPARSE})
    assert not [f for f in figures(at) if any("Jacobian" in t.get("name", "") for t in f["data"])]
    assert any(f"these logits have {n}" in i.value and "Jacobians" in i.value for i in at.info)
    figure_with(at, "sparsemax")  # the bars are still drawn


# --- label smoothing ----------------------------------------------------------------------------


@pytest.mark.parametrize("eps", [0.1, 0.35, 1.0])
def test_label_smoothing_slider_drives_the_loss_gradient_and_gap(eps):
    z = parse_logits(DEFAULT)
    at = open_page({"target": "1", "temperature": "0.5"})
    at.slider(key="label_smoothing").set_value(eps).run()
    assert not at.exception
    assert float(at.query_params["label_smoothing"]) == eps
    smoothed = float(A.cross_entropy(z, 1, 0.5, label_smoothing=eps))
    assert metric(at, "Label-smoothed loss (nats)") == f"{smoothed:.4g}"
    assert metric(at, "Cross-entropy −log p_y (nats)") == f"{float(A.cross_entropy(z, 1, 0.5)):.4g}"
    grad = as_array(trace(figure_with(at, "gradient"), "gradient")["y"])
    y_s = A.smoothed_target(1, 3, eps)
    np.testing.assert_allclose(grad, (A.softmax(z, 0.5) - y_s) / 0.5, rtol=1e-12, atol=1e-15)
    gap = A.optimal_logit_gap(3, eps)
    assert gap == pytest.approx(np.log((1 - eps + eps / 3) / (eps / 3)), abs=1e-12)
    assert any(f"= **{gap:.4g}**" in m.value for m in at.markdown)
    sentence = caption_with(at, "The smoothed target is")
    assert f"{y_s[1]:.4g} for the true class and {y_s[0]:.4g} for each of the other 2" in sentence
    assert f"the optimum is {gap:.4g}" in sentence


def test_without_smoothing_the_gap_is_infinite_and_the_gradient_is_p_minus_onehot():
    at = open_page({"target": "0"})
    assert at.slider(key="label_smoothing").value == 0.0
    assert any("no finite optimum" in m.value for m in at.markdown)
    assert not [m for m in at.metric if m.label == "Label-smoothed loss (nats)"]
    grad = as_array(trace(figure_with(at, "gradient"), "gradient")["y"])
    z = parse_logits(DEFAULT)
    np.testing.assert_allclose(grad, A.softmax(z) - np.eye(3)[0], rtol=1e-12)


def test_smoothing_pulls_an_over_confident_logit_down():
    # p_0 = softmax([5, 0, 0])_0 ≈ 0.987 > 1 − ε + ε/n = 0.867: the true class's gradient > 0.
    at = open_page({"logits": "5, 0, 0", "target": "0", "label_smoothing": "0.2"})
    grad = as_array(trace(figure_with(at, "gradient"), "gradient")["y"])
    core = A.cross_entropy_grad([5.0, 0.0, 0.0], 0, label_smoothing=0.2)
    np.testing.assert_allclose(grad, core, rtol=1e-12)
    assert core[0] > 0
    assert "should come down" in caption_with(at, "The smoothed target is")
    title = figure_with(at, "gradient")["layout"]["title"]["text"]
    assert "p − y_smooth" in title and "ε = 0.2" in title


def test_label_smoothing_is_shown_before_a_class_is_picked_and_kept_in_the_link():
    at = open_page({"label_smoothing": "0.3"})
    assert at.slider(key="label_smoothing").value == pytest.approx(0.3)
    assert any("Pick a true class" in c.value for c in at.caption)
    at.selectbox(key="target").set_value("2").run()
    assert at.slider(key="label_smoothing").value == pytest.approx(0.3)
    assert metric(at, "Label-smoothed loss (nats)") == (
        f"{float(A.cross_entropy(parse_logits(DEFAULT), 2, label_smoothing=0.3)):.4g}"
    )


@pytest.mark.parametrize("raw", ["2", "-0.1", "nan", "inf", "abc", "=1+1"])
def test_tampered_label_smoothing_warns_and_keeps_the_other_settings(raw):
    at = open_page({"label_smoothing": raw, "target": "1", "temperature": "2"})
    warning = [w.value for w in at.warning if "could not be used" in w.value]
    assert len(warning) == 1 and "label_smoothing=" in warning[0]
    assert "must be a number from 0 to 1" in warning[0]
    assert at.slider(key="label_smoothing").value == 0.0
    assert at.selectbox(key="target").value == "1"
    assert at.select_slider(key="temperature").value == 2.0


def test_focused_link_shows_only_label_smoothing():
    at = open_page({"only": "label_smoothing", "target": "0", "logits": "1, 2, 3"})
    assert at.slider(key="label_smoothing")
    assert not at.text_input and not at.selectbox
    assert not at.select_slider  # the temperature is fixed by the link


def test_csv_has_the_sparse_maps_the_smoothed_target_and_eps(media_managers):
    query = {"logits": "2, -1, 0.5", "temperature": "0.5", "target": "1"}
    at = open_page({**query, "label_smoothing": "0.15"})
    text = clicked_download(at, media_managers)
    settings, cols = classroom.read_csv(text)
    z = np.array([2.0, -1.0, 0.5])
    assert settings["label_smoothing"] == "0.15"
    np.testing.assert_array_equal(cols["sparsemax"], A.sparsemax(z, 0.5))
    np.testing.assert_array_equal(cols["entmax15"], A.entmax15(z, 0.5))
    np.testing.assert_array_equal(cols["smoothed_target"], A.smoothed_target(1, 3, 0.15))
    np.testing.assert_array_equal(cols["gradient"], A.cross_entropy_grad(z, 1, 0.5, 0.15))


def test_quiz_asks_how_many_classes_sparsemax_keeps():
    seed = 7
    z, t = view.quiz_logits(seed)
    kept = int(np.count_nonzero(A.sparsemax(z, t)))
    at = open_page({"quiz": "true", "quiz_seed": str(seed)})
    assert sparse_charts(at) == []  # the comparison is off: the answer comes from the core
    wrong = str(kept % len(z) + 1)
    at.radio(key=f"quiz_sparse_{seed}").set_value(wrong).run()
    at.button(key=f"quiz_reveal_sparse_{seed}").click().run()
    assert not at.exception
    assert any(e.value.startswith("Not quite.") and f"keeps {kept} of" in e.value for e in at.error)
    assert metric(at, "Your score this session") == "0 / 1"
    revealed = [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Quiz: sparse")]
    np.testing.assert_array_equal(as_array(trace(revealed[0], "p")["y"]), A.sparsemax(z, t))

    fresh = open_page({"quiz": "true", "quiz_seed": str(seed)})
    fresh.radio(key=f"quiz_sparse_{seed}").set_value(str(kept)).run()
    fresh.button(key=f"quiz_reveal_sparse_{seed}").click().run()
    assert any(s.value.startswith("Right.") for s in fresh.success)
    tau = view.sparsemax_threshold(z, t)
    np.testing.assert_allclose(np.maximum(z / t - tau, 0.0), A.sparsemax(z, t), atol=1e-12)


def test_one_logit_in_the_sparse_section_and_the_loss():
    at = open_page({"logits": "3.7", "target": "0", "label_smoothing": "0.5", **SPARSE})
    fig = figure_with(at, "sparsemax")
    for name in view.SPARSE_MAPS:
        np.testing.assert_array_equal(as_array(trace(fig, name)["y"]), [1.0])
    assert caption_with(at, "At T = 1, one class") == (
        "At T = 1, one class: all three maps give it probability 1."
    )
    assert any("nothing to smooth" in m.value for m in at.markdown)
    # One class: the smoothed target is still 1, so the loss is 0.
    assert metric(at, "Label-smoothed loss (nats)") == "0"


# --- issue #20: nothing dropped without a word, messages that say what happened -------------------


def test_an_over_long_link_text_is_reported_not_dropped_silently():
    long_logits = ", ".join(["1"] * 7000)  # 20,998 characters: over the field's 20,000
    at = open_page({"logits": long_logits, "labels": "x" * 4001})
    text = " ".join(w.value for w in at.warning)
    assert "logits= has 20,998 characters, more than the 20,000" in text
    assert "labels= has 4,001 characters, more than the 4,000" in text
    assert markdown_problems(text) == []
    assert at.text_input(key="logits").value == DEFAULT  # the default, said so


def test_only_separators_are_not_called_brackets():
    at = open_page()
    at.text_input(key="logits").input(",,,,").run()
    message = at.error[0].value
    assert "only separators" in message and "brackets" not in message
    at.text_input(key="logits").input("[ , ]").run()
    assert "inside the brackets" in at.error[0].value


def test_an_entity_in_a_label_is_shown_as_typed_in_the_step_table():
    from markdown_it import MarkdownIt

    at = open_page({"labels": "&lt;b&gt;x, b, c"})
    (table,) = [m.value for m in at.markdown if "&lt;b" in m.value]
    html = MarkdownIt("commonmark").enable("table").render(table)
    assert "&amp;lt;b&amp;gt;x" in html  # the text typed, not "<b>x"


def test_the_true_class_comes_back_when_the_logits_grow_again():
    at = open_page({"logits": "1, 2, 3, 4", "target": "3"})
    assert at.selectbox(key="target").value == "3"
    at.text_input(key="logits").input("1, 2").run()
    assert not at.exception and at.selectbox(key="target").value == "none"
    assert any("true class 3 you picked needs at least 4 logits" in c.value for c in at.caption)
    at.text_input(key="logits").input("1, 2, 3, 4, 5").run()
    assert at.selectbox(key="target").value == "3"
    assert at.query_params["target"] in ("3", ["3"])
    # a class picked meanwhile is the student's own choice: nothing comes back over it
    at.text_input(key="logits").input("1, 2").run()
    at.selectbox(key="target").set_value("1").run()
    at.text_input(key="logits").input("1, 2, 3, 4, 5").run()
    assert at.selectbox(key="target").value == "1"
