"""The "Softmax in language models" page through the router: knobs, tokens, draws, sweep,
attention, quiz, links, CSV.

Every drawn number is compared with the core's own computation (``activations``), never with
numbers copied from the page.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import activations as A
from activations.sampling import parse_tokens
from activations.softmax import parse_logits
from tests.plotly_helpers import as_array, figures, trace
from tests.test_page_softmax import (  # noqa: F401 (media_managers is a fixture)
    clicked_download,
    media_managers,
    unescape_md,
)
from ui import classroom
from ui import sampling_view as view

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/sampling.py"
DEFAULT = parse_tokens(view.DEFAULT_TOKENS)


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
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


def bars(at: AppTest) -> tuple[np.ndarray, np.ndarray]:
    fig = figure_with(at, "sampling")
    return as_array(trace(fig, "model")["y"]), as_array(trace(fig, "sampling")["y"])


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, f"no metric {label!r}"
    return found[0]


# --- the default example and the knobs ------------------------------------------------------------


def test_default_is_the_models_own_distribution():
    at = open_page()
    model, sampling = bars(at)
    np.testing.assert_allclose(model, A.softmax(DEFAULT.logits), rtol=1e-14)
    np.testing.assert_array_equal(model, sampling)  # T = 1, nothing filtered
    assert len(DEFAULT.tokens) == 20
    fig = figure_with(at, "sampling")
    assert list(fig["layout"]["xaxis"]["ticktext"]) == list(DEFAULT.tokens)
    h = A.entropy(A.softmax(DEFAULT.logits))
    assert metric(at, "Entropy before (nats)") == metric(at, "Entropy after (nats)") == f"{h:.3f}"
    assert metric(at, "Effective vocabulary before") == f"{math.exp(h):.2f}"
    assert metric(at, "Tokens kept") == "20 / 20"


@pytest.mark.parametrize(
    ("key", "value", "kwargs"),
    [
        ("top_k", 3, {"top_k": 3}),
        ("top_p", 0.8, {"top_p": 0.8}),
        ("min_p", 0.2, {"min_p": 0.2}),
    ],
)
def test_each_knob_by_key_redraws_from_the_core(key, value, kwargs):
    at = open_page()
    at.slider(key=key).set_value(value).run()
    assert not at.exception
    steps = A.filter_steps(DEFAULT.logits, 1.0, **kwargs)
    model, sampling = bars(at)
    np.testing.assert_array_equal(sampling, steps.probs)
    np.testing.assert_allclose(model, A.softmax(DEFAULT.logits), rtol=1e-14)
    assert at.query_params[key] == str(value)
    text = trace(figure_with(at, "sampling"), "sampling")["text"]
    rule = {"top_k": "top-k", "top_p": "top-p", "min_p": "min-p"}[key]
    assert [t == rule for t in text] == [r == rule for r in steps.removed_by]
    assert any(steps.removed_by)
    assert metric(at, "Tokens kept") == f"{steps.n_kept} / 20"
    assert metric(at, "Entropy after (nats)") == f"{A.entropy(steps.probs):.3f}"
    assert metric(at, "Effective vocabulary after") == f"{A.effective_vocabulary(steps.probs):.2f}"
    marker = trace(figure_with(at, "sampling"), "model")["marker"]
    assert marker["colorscale"][0][1] == view.MUTED  # 0 on the scale is grey
    greyed = [c == 0.0 for c in as_array(marker["color"])]
    assert greyed == [bool(r) for r in steps.removed_by]  # removed tokens greyed


def test_all_four_knobs_from_a_link_in_hugging_face_order():
    query = {"temperature": "0.5", "top_k": "8", "top_p": "0.9", "min_p": "0.05"}
    at = open_page(query)
    assert at.select_slider(key="temperature").value == 0.5
    assert at.slider(key="top_k").value == 8
    _, sampling = bars(at)
    expected = A.filter_logits(DEFAULT.logits, 0.5, top_k=8, top_p=0.9, min_p=0.05)
    np.testing.assert_array_equal(sampling, expected)
    sentence = [c.value for c in at.caption if c.value.startswith("At T = 0.5")]
    n_kept = int(np.sum(expected > 0))
    assert sentence and f"{n_kept} of 20 candidates survive" in sentence[0]


def test_temperature_moves_the_distribution():
    at = open_page()
    at.select_slider(key="temperature").set_value(2.0).run()
    _, sampling = bars(at)
    np.testing.assert_allclose(sampling, A.softmax(DEFAULT.logits, 2.0), rtol=1e-13)
    assert at.query_params["temperature"] == "2"


@pytest.mark.parametrize(
    "query",
    [
        {"top_k": "abc"},
        {"top_k": "-1"},
        {"top_k": "1000"},
        {"top_p": "0"},
        {"top_p": "1.5"},
        {"top_p": "nan"},
        {"min_p": "2"},
        {"temperature": "0"},
        {"d_k": "5000"},
        {"draw": "maybe"},
        {"sample_seed": "-3"},
    ],
)
def test_tampered_query_params_warn_and_fall_back(query):
    at = open_page({**query, "min_p": query.get("min_p", "0.1")})
    warnings = [w.value for w in at.warning if "could not be used" in w.value]
    assert len(warnings) == 1
    (key,) = query
    assert f"{key}=" in warnings[0]
    assert at.slider(key="top_k").value == 0
    assert at.slider(key="top_p").value == 1.0
    _, sampling = bars(at)
    min_p = 0.0 if key == "min_p" else 0.1  # the other settings of the link are kept
    np.testing.assert_array_equal(
        sampling, A.filter_logits(DEFAULT.logits, min_p=min_p if min_p else None)
    )


# --- the candidate tokens ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("mat: 2\nrug 1", 2),
        ("mat: 2\n\nrug: one", 3),
        ("mat: 2\nrug: =1+1", 2),
        ("mat: nan", 1),
        (": 3", 1),
    ],
)
def test_bad_token_lines_name_the_line_and_keep_other_settings(text, line):
    at = open_page({"top_p": "0.8"})
    at.text_area(key="tokens").set_value(text).run()
    assert not at.exception
    assert len(at.error) == 1
    with pytest.raises(ValueError) as parsed:
        parse_tokens(text)
    shown = unescape_md(at.error[0].value)
    # the parser's message, shown literally: what it quotes (“…”) as a code span
    assert re.sub(r"“([^”]*)”", r"`\1`", str(parsed.value)) in shown
    assert f"Line {line}" in shown and "token: logit" in shown
    _, sampling = bars(at)  # the last valid candidates, with top_p kept
    np.testing.assert_array_equal(sampling, A.filter_logits(DEFAULT.logits, top_p=0.8))
    assert any("last valid 20 candidates" in i.value for i in at.info)
    assert at.slider(key="top_p").value == 0.8


def test_more_than_a_thousand_tokens_are_refused():
    text = "\n".join(f"t{i}: {i % 5}" for i in range(1001))
    at = open_page()
    at.text_area(key="tokens").set_value(text).run()
    assert not at.exception
    assert "Too many tokens" in at.error[0].value and "1,000" in at.error[0].value


def test_duplicates_are_allowed_and_shown_as_such():
    at = open_page({"tokens": "the: 2\na: 1\nthe: 0.5"})
    assert not at.error
    assert any("on lines 1, 3" in i.value for i in at.info)
    fig = figure_with(at, "sampling")
    assert list(fig["layout"]["xaxis"]["ticktext"]) == ["the #1", "a", "the #2"]
    model, _ = bars(at)
    np.testing.assert_allclose(model, A.softmax([2.0, 1.0, 0.5]), rtol=1e-14)


def test_typed_tokens_are_never_markup():
    at = open_page({"tokens": "<b>x</b>: 3\n**bold**: 2\n[a](javascript:x): 1"})
    assert not at.error
    fig = figure_with(at, "sampling")
    ticks = list(fig["layout"]["xaxis"]["ticktext"])
    assert ticks[0] == "&lt;b&gt;x&lt;/b&gt;"  # Plotly would render <b>
    assert "[a](javascript" in ticks[2]
    summary = next(c.value for c in at.caption if c.value.startswith("At T = 1"))
    assert "`<b>x</b>`" in summary  # code-quoted in Markdown: shown, not rendered


def test_tokens_from_the_softmax_pages_logits_and_pasted_labels():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"logits": "3, 1, -2", "labels": "a, b, c"})
    at.switch_page("pages/softmax.py")
    at.run()
    at.switch_page(PAGE)
    at.query_params.clear()
    at.run()
    assert parse_logits(at.text_input(key="paste_logits").value).tolist() == [3.0, 1.0, -2.0]
    assert at.text_input(key="paste_labels").value == "a, b, c"  # the Softmax page's labels too
    at.text_input(key="paste_labels").set_value("cat, dog: big, <b>bird</b>").run()
    at.button(key="use_pasted").click().run()
    assert not at.exception
    model, _ = bars(at)
    np.testing.assert_allclose(model, A.softmax([3.0, 1.0, -2.0]), rtol=1e-14)
    typed = parse_tokens(at.text_area(key="tokens").value)
    assert typed.tokens == ("cat", "dog: big", "<b>bird</b>")  # a colon in a label is kept


def test_a_bad_paste_says_why_and_keeps_the_tokens():
    at = open_page()
    at.text_input(key="paste_logits").set_value("1, two").run()
    at.button(key="use_pasted").click().run()
    assert not at.exception
    assert any("Could not read the pasted logits" in w.value for w in at.warning)
    assert at.text_area(key="tokens").value == view.DEFAULT_TOKENS
    at.text_input(key="paste_logits").set_value("1, 2").run()
    at.text_input(key="paste_labels").set_value("a, b, c").run()
    at.button(key="use_pasted").click().run()
    assert any("3 labels for 2 logits" in w.value for w in at.warning)
    assert parse_tokens(at.text_area(key="tokens").value).tokens == ("class 0", "class 1")


# --- draws, sweep, attention ----------------------------------------------------------------------


def test_draws_are_the_cores_seeded_counts():
    at = open_page({"draw": "true", "sample_seed": "42", "top_k": "5"})
    p = A.filter_logits(DEFAULT.logits, top_k=5)
    counts = as_array(trace(figure_with(at, "counts"), "counts")["y"])
    np.testing.assert_array_equal(counts, A.sample(p, 1000, 42))
    assert counts.sum() == 1000 and np.all(counts[p == 0] == 0)
    expected = as_array(trace(figure_with(at, "counts"), "expected")["y"])
    np.testing.assert_allclose(expected, 1000 * p)


def test_sweep_frames_are_the_cores_filtered_distributions():
    at = open_page({"t_sweep": "true", "min_p": "0.1", "temperature": "0.5"})
    (fig,) = [f for f in figures(at) if f.get("frames")]
    assert len(fig["frames"]) == len(view.TEMPERATURES)
    for frame, t in zip(fig["frames"], view.TEMPERATURES, strict=True):
        np.testing.assert_array_equal(
            as_array(frame["data"][0]["y"]), A.filter_logits(DEFAULT.logits, t, min_p=0.1)
        )
    active = fig["layout"]["sliders"][0]["active"]
    assert view.TEMPERATURES[active] == 0.5


@pytest.mark.parametrize("d_k", [1, 64, 1024])
def test_attention_numbers_are_the_cores(d_k):
    at = open_page({"d_k": str(d_k)})
    rec = A.attention_scaling(d_k, view.N_KEYS, view.ATTENTION_SEED, view.N_QUERIES)
    assert metric(at, "Spread of q·k") == f"{rec.spread:.3g}"
    assert metric(at, "Entropy, unscaled (nats)") == f"{rec.entropy:.2f}"
    assert metric(at, "‖Jacobian‖, scaled") == f"{rec.scaled_jacobian_norm:.3g}"
    fig = figure_with(at, "softmax(q·k)")
    np.testing.assert_array_equal(as_array(trace(fig, "softmax(q·k)")["y"]), rec.weights[0])
    sentence = next(c.value for c in at.caption if c.value.startswith(f"At d_k = {d_k},"))
    assert f"{rec.max_weight:.2f}" in sentence


def test_without_the_scale_the_page_shows_saturation():
    at = open_page({"d_k": "1024"})
    assert float(metric(at, "Entropy, unscaled (nats)")) < float(
        metric(at, "Entropy, scaled (nats)")
    )


def test_the_lessons_state_computed_numbers():
    at = open_page()
    lesson = next(m.value for m in at.markdown if m.value.startswith("- **Temperature.**"))
    thr = A.filter_steps(DEFAULT.logits, 2.0, min_p=0.1).min_p_threshold
    assert f"{thr:.3g}" in lesson
    kept = A.filter_steps(DEFAULT.logits, 0.5, top_p=0.9).n_kept
    assert f"keep {kept} tokens at T = 0.5" in lesson


# --- classroom ----------------------------------------------------------------------------------


def test_quiz_answer_is_computed_and_scored():
    seed = 12345
    t, top_p, min_p = view.quiz_settings(seed)
    at = open_page({"quiz": "true", "quiz_seed": str(seed)})
    answer = A.filter_steps(DEFAULT.logits, t, top_p=top_p).n_kept
    at.number_input(key=f"quiz_top_p_{seed}").set_value(answer).run()
    at.button(key=f"quiz_reveal_top_p_{seed}").click().run()
    assert not at.exception
    assert any(s.value.startswith(f"Right. {answer} of 20 survive") for s in at.success)
    steps = A.filter_steps(DEFAULT.logits, t, top_p=top_p)
    kept_mass = steps.tempered_probs[steps.kept].sum()
    assert kept_mass >= top_p - 1e-12  # the sentence's number, and why it is ≥ top_p
    assert any(f"hold {kept_mass:.3g} of the probability" in s.value for s in at.success)
    wrong = A.filter_steps(DEFAULT.logits, t, min_p=min_p).n_kept % 20 + 1
    at.number_input(key=f"quiz_min_p_{seed}").set_value(wrong).run()
    at.button(key=f"quiz_reveal_min_p_{seed}").click().run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert metric(at, "Your score this session") == "1 / 2"


def test_focused_link_shows_only_top_p():
    at = open_page({"only": "top_p", "top_k": "4"})
    assert not at.text_area
    assert [s.key for s in at.slider] == ["top_p"]
    assert not at.select_slider  # temperature fixed
    at.slider(key="top_p").set_value(0.5).run()
    _, sampling = bars(at)
    np.testing.assert_array_equal(sampling, A.filter_logits(DEFAULT.logits, top_k=4, top_p=0.5))


def test_presenter_view_enlarges_the_charts():
    normal = figure_with(open_page(), "sampling")["layout"]
    big = figure_with(open_page({"present": "true"}), "sampling")["layout"]
    assert big["font"]["size"] > normal["font"]["size"]


def test_csv_export_parses_back_and_cannot_run_formulas(media_managers):  # noqa: F811
    tokens = "=HYPERLINK(1): 2\n+cmd: 1\nmat: 0.5\n@x: -1"
    at = open_page({"tokens": tokens, "top_k": "2", "draw": "true", "sample_seed": "3"})
    text = clicked_download(at, media_managers)
    settings, cols = classroom.read_csv(text)
    assert settings["top_k"] == "2" and settings["seed"] == "3"
    assert list(cols["token"]) == ["'=HYPERLINK(1)", "'+cmd", "mat", "'@x"]
    z = np.array([2.0, 1.0, 0.5, -1.0])
    p = A.filter_logits(z, top_k=2)
    np.testing.assert_array_equal(cols["logit"], z)
    np.testing.assert_array_equal(cols["p_sampling"], p)
    np.testing.assert_array_equal(cols["count"], A.sample(p, 1000, 3))
    assert list(cols["removed_by"]) == ["kept", "kept", "top-k", "top-k"]
    assert not any(line.startswith(("=", "+", "@")) for line in text.splitlines())


def test_a_token_link_longer_than_the_field_is_refused_with_a_message():
    text = "a: 1\n" * (view.MAX_TOKENS_CHARS // 5 + 1)
    at = open_page({"tokens": text, "top_k": "3"})
    assert any("more than the 70,000" in w.value for w in at.warning)
    assert at.text_area(key="tokens").value == view.DEFAULT_TOKENS
    _, sampling = bars(at)  # the default candidates, the link's other settings kept
    np.testing.assert_array_equal(sampling, A.filter_logits(DEFAULT.logits, top_k=3))


def test_the_sweep_is_refused_with_a_note_past_its_candidate_limit():
    from ui.sweep import MAX_TEMPERATURE_SWEEP

    n = MAX_TEMPERATURE_SWEEP + 1
    tokens = "\n".join(f"t{i}: {i / 10}" for i in range(n))
    at = open_page({"t_sweep": "true", "tokens": tokens})
    assert not [f for f in figures(at) if f.get("frames")]
    assert any(
        f"up to {MAX_TEMPERATURE_SWEEP} candidates" in i.value and f"there are {n} here" in i.value
        for i in at.info
    )
    at = open_page({"t_sweep": "true", "tokens": "\n".join(tokens.splitlines()[:-1])})
    assert [f for f in figures(at) if f.get("frames")]
