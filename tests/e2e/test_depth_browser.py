"""The depth page in a real browser: a slider move redraws, in place, every output that depends on
it (nothing left stale, nothing drawn twice) and re-sends only the fragment: the page's own
controls (activation, initialisation, batch, seed, critical init, residual, comparison, quiz
mode), the heading and the explanations stay as they are. Those controls and the quiz still work
with the fragment between them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from activations import ACTIVATIONS
from activations.depth import critical_weight_std
from tests.e2e.helpers import (
    ALERT,
    MAIN,
    Deltas,
    assert_no_exception,
    chart_title,
    copied_link,
    element_counts,
    goto,
    keyed,
    press_on_slider,
    selectbox_text,
    settle,
    slider_value,
    trace_d,
    wait_for_chart,
    wait_for_trace_change,
)

pytestmark = pytest.mark.e2e

CHARTS = (
    "depth_grad_chart",  # the gradient signal ∂L/∂h_l, the chart the verdict reads
    "depth_weight_grad_chart",
    "depth_std_chart",
    "depth_act_hist_chart",
    "depth_grad_hist_chart",
)
CAPTION = f'{MAIN} [data-testid="stCaptionContainer"]'
KINDS = {  # what a move must leave in the same numbers
    "charts": ".js-plotly-plot",
    "alerts": ALERT,
    "captions": '[data-testid="stCaptionContainer"]',
    "headings": '[data-testid="stHeading"]',
    "expanders": '[data-testid="stExpander"]',
    "sliders": '[data-testid="stSlider"]',
    "selectboxes": '[data-testid="stSelectbox"]',
    "buttons": '[data-testid="stButton"], [data-testid="stDownloadButton"], '
    '[data-testid="stPopover"]',
}


def test_a_depth_move_redraws_every_output_in_place_and_nothing_else(server, tab):
    page = tab.page
    deltas = Deltas(page)
    goto(page, server.url, "/depth?depth=10&width=64")
    for key in CHARTS:
        wait_for_chart(page, key)
    assert all("10 layers × 64 units" in chart_title(page, key) for key in CHARTS)
    # The first chart draws the verdict's two thresholds (ui/depth_view.RULE) as lines.
    for line in ("vanish below ×1/100", "explode above ×100"):
        assert trace_d(page, "depth_grad_chart", line), line
    counts = element_counts(page, KINDS)
    assert counts["charts"] == 5 and counts["alerts"] == 1, counts
    assert counts["selectboxes"] == 2 and counts["expanders"] == 3, counts

    deltas.clear()
    press_on_slider(page, "depth", "ArrowRight", 1)
    for key in CHARTS:
        expect(keyed(page, key).locator(".gtitle").first).to_contain_text("11 layers × 64 units")
    settle(page)

    # Every text that names the network now names 11 layers, once; none is left at 10.
    verdict = page.locator(f"{MAIN} {ALERT}")
    expect(verdict).to_have_count(1)
    expect(verdict).to_contain_text("at layer 11")
    expect(verdict).to_contain_text("σ_w = 0.1768 · ReLU, He init, 11 layers × 64 units")
    captions = page.locator(CAPTION)
    expect(captions.filter(has_text="11 layers × 64 units")).to_have_count(4)
    expect(captions.filter(has_text="10 layers × 64 units")).to_have_count(0)
    expect(captions.filter(has_text="the weight gradients ‖∂L/∂W_l‖")).to_contain_text(
        "This chart shows the weight gradients"  # the note on what the chart is, kept with it
    )
    assert element_counts(page, KINDS) == counts  # nothing left behind, nothing drawn twice

    # What the move sent: the sliders and what they drive, not the page's own controls, its
    # heading, its explanations or its export row (the CSV is built from the fragment's table).
    sent = deltas.kinds()
    assert sent.count("slider") == 2 and sent.count("plotly_chart") >= 2, sent  # depth, width
    not_sent = ("selectbox", "multiselect", "checkbox", "button", "heading", "block expandable")
    for kind in (*not_sent, "download_button", "block popover"):
        assert kind not in sent, (kind, sent)
    # The URL last, after everything the move drew (state.urls_written_last).
    url_at = deltas.sequence.index("page_info_changed")
    assert "delta" not in deltas.sequence[url_at:], deltas.sequence
    assert not [k for k in sent if k.startswith("markdown: A stack of fully connected")], sent

    assert "depth=11" in page.url
    assert "depth=11" in copied_link(page, "depth=11")
    assert_no_exception(page)


def test_the_page_controls_outside_the_fragment_still_drive_it(server, tab):
    page = tab.page
    goto(page, server.url, "/depth?depth=10&width=64")
    wait_for_chart(page, "depth_grad_chart")
    assert trace_d(page, "depth_grad_chart", "relu·he")

    tanh = ACTIVATIONS["tanh"].label
    combobox = keyed(page, "activation").locator("input[role='combobox']")
    combobox.click()
    combobox.fill("Tanh")
    page.get_by_role("option", name=tanh, exact=True).click()
    wait_for_trace_change(page, "depth_grad_chart", "tanh·he", None)
    assert selectbox_text(page, "activation") == tanh
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text(f"{tanh}, He init, 10 layers")

    # The sliders in the fragment keep working with the new activation.
    before = trace_d(page, "depth_grad_chart", "tanh·he")
    press_on_slider(page, "depth", "ArrowRight", 2)
    wait_for_trace_change(page, "depth_grad_chart", "tanh·he", before)
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text(f"{tanh}, He init, 12 layers")
    assert "activation=tanh" in page.url and "depth=12" in page.url

    # The seed is a page control (out of the fragment): typing one reruns the page, and the
    # fragment simulates the new draw at the depth it had set.
    before = trace_d(page, "depth_grad_chart", "tanh·he")
    seed_field = keyed(page, "seed_exact").locator("input")
    seed_field.fill("7")
    seed_field.press("Enter")
    wait_for_trace_change(page, "depth_grad_chart", "tanh·he", before)
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text(
        "12 layers × 64 units, batch 64, seed 7"
    )
    href = page.evaluate("location.href")
    assert "seed=7" in href and "depth=12" in href
    assert_no_exception(page)


def test_critical_init_solves_for_the_depth_the_fragment_just_set(server, tab):
    # The button is drawn by the page, the depth slider by the fragment: a depth move does not
    # redraw the button, and the click must still use the new depth, not the one of its last draw.
    page = tab.page
    goto(page, server.url, "/depth?activation=tanh&init=small&width=128&depth=30")
    wait_for_chart(page, "depth_grad_chart")
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text("Gradients vanish")
    expect(keyed(page, "weight_std")).to_have_count(0)
    # Typed into depth's number field, which the fragment draws beside its slider: a fragment
    # rerun like a slider move (25 arrow presses in a row sometimes lost a few to the redraw).
    depth_field = keyed(page, "depth_exact").locator("input")
    depth_field.fill("5")
    depth_field.press("Enter")
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text("init, 5 layers")
    settle(page)

    page.get_by_role("button", name="Critical init: set σ_w so the gain is 1").click()
    expect(keyed(page, "weight_std")).to_have_count(1)  # custom init shows the σ_w slider
    settle(page)
    assert selectbox_text(page, "init") == "Custom σ_w"
    expected = critical_weight_std("tanh", {}, width=128, depth=5)
    assert expected != pytest.approx(critical_weight_std("tanh", {}, width=128, depth=30), abs=1e-4)
    assert slider_value(page, "weight_std") == pytest.approx(expected, abs=1e-4)
    expect(page.locator(f"{MAIN} {ALERT}")).to_contain_text("Gradients survive (healthy)")
    assert "init=custom" in page.url
    assert_no_exception(page)


def test_a_quiz_answer_stays_while_the_sliders_move(server, tab):
    page = tab.page
    goto(page, server.url, "/depth?quiz=true&quiz_seed=4242&depth=10&width=64")
    wait_for_chart(page, "depth_grad_chart")
    question = page.locator(MAIN).get_by_role("radiogroup")
    question.get_by_text("Vanish", exact=True).click()
    wait_for_chart(page, "depth_quiz_chart")
    settle(page)
    answer = page.locator(f"{MAIN} {ALERT}", has_text=re.compile("Right!|Not quite."))
    expect(answer).to_have_count(1)
    answered = answer.inner_text()

    before = trace_d(page, "depth_grad_chart", "relu·he")
    press_on_slider(page, "depth", "ArrowRight", 1)
    wait_for_trace_change(page, "depth_grad_chart", "relu·he", before)
    # The quiz is its own fragment: a move neither clears nor repeats it.
    expect(answer).to_have_count(1)
    assert answer.inner_text() == answered
    expect(keyed(page, "depth_quiz_chart").locator(".js-plotly-plot")).to_have_count(1)
    assert "quiz_seed=4242" in page.url
    assert_no_exception(page)
