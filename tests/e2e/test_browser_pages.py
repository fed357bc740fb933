"""Every page in a real browser: loads cleanly, reacts to the keyboard, survives bad input and
tampered links, and restores shared links. (Layout at phone/projector sizes: test_layout.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PAGES
from tests.e2e.helpers import (
    ERROR_ALERT,
    assert_no_exception,
    goto,
    keyed,
    link_warning,
    press_on_slider,
    selectbox_text,
    settle,
    slider_thumb,
    slider_value,
    trace_d,
    wait_for_chart,
    wait_for_lines,
    wait_for_trace_change,
)

pytestmark = pytest.mark.e2e

# The main chart of each page (its st.plotly_chart key); Home has none.
MAIN_CHART = {
    "/explorer": "explorer_chart",
    "/softmax": "softmax_bars",
    "/depth": "depth_grad_chart",
    "/training": "training_loss_chart",
    "/sampling": "sampling_bars",
}


@pytest.mark.parametrize(("path", "title", "h1"), PAGES, ids=[p[1] for p in PAGES])
def test_page_loads_without_errors(server, tab, path, title, h1):
    page = tab.page
    goto(page, server.url, path)
    expect(page.locator("h1").first).to_have_text(h1)
    if path in MAIN_CHART:
        wait_for_chart(page, MAIN_CHART[path])
    settle(page)
    assert_no_exception(page)
    expect(page.locator(ERROR_ALERT)).to_have_count(0)
    assert not tab.problems, tab.problems.report()


def test_explorer_slider_by_keyboard_redraws_f(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?activation=elu")
    wait_for_lines(page, "explorer_chart")
    before_value = slider_value(page, "param_alpha")
    before = trace_d(page, "explorer_chart", "f")
    assert before, "the f line of the explorer chart was not found"

    press_on_slider(page, "param_alpha", "ArrowRight", 3)
    after = wait_for_trace_change(page, "explorer_chart", "f", before)

    assert after != before
    assert slider_value(page, "param_alpha") == pytest.approx(before_value + 3 * 0.05)
    assert "param_alpha=1.15" in page.url  # the URL follows the slider
    assert_no_exception(page)


# What each scatter trace of a chart has drawn, by trace name: [line pieces, dots].
_DRAWN_JS = """(selector) => {
  const out = {};
  for (const g of document.querySelectorAll(selector + ' .js-plotly-plot .scatterlayer .trace')) {
    const cd = g.__data__;
    const name = cd && cd[0] && cd[0].trace && cd[0].trace.name;
    if (name) {
      out[name] = [g.querySelectorAll('path.js-line').length,
                   g.querySelectorAll('.points path').length];
    }
  }
  return out;
}"""


def test_explorer_draws_a_jump_as_a_gap_with_its_dots(server, tab):
    """ReLU's f′ is two lines (no segment from 0 up to 1) with a dot at (0, 0) and a circle at
    (0, 1); in the leaky ReLU sweep the dots follow the frames and are gone at slope 1."""
    page = tab.page
    goto(page, server.url, "/explorer?activation=relu")
    wait_for_lines(page, "explorer_chart")
    settle(page)
    drawn = page.evaluate(_DRAWN_JS, ".st-key-explorer_chart")
    assert drawn["f′"][0] == 2  # two pieces: split at the jump
    assert drawn["f"][0] == 1  # f is continuous
    assert drawn["f′ at its jumps"][1] == 2

    goto(page, server.url, "/explorer?activation=leaky_relu&sweep=true")
    sweep_plot = keyed(page, "sweep_chart").locator(".js-plotly-plot")
    ticks = sweep_plot.locator(".slider-container .slider-tick-rect")
    expect(ticks.first).to_be_attached()
    settle(page)
    keyed(page, "sweep_chart").scroll_into_view_if_needed()
    for tick, dots in ((-1, 0), (5, 2)):  # slope 1 (the identity, no jump), then 0.15
        box = ticks.nth(tick if tick >= 0 else ticks.count() - 1).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] - 16)
        page.wait_for_function(
            f"(s) => ({_DRAWN_JS})(s)['f′ at its jumps'][1] === {dots}", arg=".st-key-sweep_chart"
        )
    assert_no_exception(page)
    assert not tab.problems, tab.problems.report()


def test_explorer_parameter_move_updates_everything_it_drives(server, tab):
    """A parameter move reruns only the explorer's fragment, not the header above it: every
    output that depends on α follows, and the header (activation, presets, formulas) still
    works afterwards."""
    page = tab.page
    goto(page, server.url, "/explorer?activation=elu&probe_x=-1")
    wait_for_lines(page, "explorer_chart")
    before = trace_d(page, "explorer_chart", "f")

    press_on_slider(page, "param_alpha", "ArrowRight", 3)  # α: 1 → 1.15
    wait_for_trace_change(page, "explorer_chart", "f", before)

    expect(keyed(page, "param_alpha_exact").locator("input")).to_have_value("1.15")
    # the readout at x₀ = −1: f(−1) = α(e⁻¹ − 1) = −0.7269 at α = 1.15
    readout = page.locator('[data-testid="stMetric"]').first
    expect(readout).to_contain_text("−0.7269")
    properties = page.locator('[data-testid="stExpander"]', has_text="Properties at these")
    expect(properties).to_contain_text("−1.15")  # f as x → −∞ is −α
    code = page.locator('[data-testid="stCode"]', has_text="torch.nn.ELU")
    expect(code).to_have_count(0)  # the code expander is closed: nothing sent for it
    page.get_by_text("Code: PyTorch / Keras").click()
    expect(code).to_contain_text("torch.nn.ELU(alpha=1.15)")
    expect(page.locator(".katex").first).to_be_attached()  # the header's formulas stay

    # The header's preset (a full rerun) resets α, and the fragment follows.
    moved = trace_d(page, "explorer_chart", "f")
    page.get_by_role("button", name="PyTorch / Keras default: α = 1").click()
    wait_for_trace_change(page, "explorer_chart", "f", moved)
    assert slider_value(page, "param_alpha") == pytest.approx(1.0)
    expect(code).to_contain_text("torch.nn.ELU(alpha=1)")
    assert_no_exception(page)


def test_depth_slider_by_keyboard_redraws_the_gradient_chart(server, tab):
    page = tab.page
    goto(page, server.url, "/depth?depth=10")
    plot = wait_for_lines(page, "depth_grad_chart")
    before = plot.locator(".scatterlayer .trace path.js-line").first.get_attribute("d")

    press_on_slider(page, "depth", "ArrowRight", 2)

    expect(plot.locator(".scatterlayer .trace path.js-line").first).not_to_have_attribute(
        "d", before
    )
    settle(page)
    assert slider_value(page, "depth") == 12
    assert "depth=12" in page.url
    assert_no_exception(page)


def test_softmax_bad_logits_show_an_error_and_the_page_keeps_working(server, tab):
    page = tab.page
    goto(page, server.url, "/softmax")
    wait_for_chart(page, "softmax_bars")
    logits = page.get_by_role("textbox", name="Logits z")
    logits.fill("1, two, 3")
    logits.press("Enter")
    settle(page)

    error = page.locator(ERROR_ALERT)
    expect(error).to_have_count(1)
    expect(error).to_contain_text("two")  # says what was wrong
    assert_no_exception(page)
    wait_for_chart(page, "softmax_bars")  # the last valid logits are still drawn

    # The temperature slider still works and still redraws the chart.
    bars = keyed(page, "softmax_bars")
    title_before = bars.locator(".gtitle").first.text_content()
    value_before = slider_thumb(page, "temperature").input_value()
    press_on_slider(page, "temperature", "ArrowRight", 2)
    expect(slider_thumb(page, "temperature")).not_to_have_value(value_before)
    expect(bars.locator(".gtitle").first).not_to_have_text(title_before or "")
    settle(page)
    expect(page.locator(ERROR_ALERT)).to_have_count(1)  # the bad text is still flagged
    assert_no_exception(page)

    # Fixing the text clears the error.
    logits.fill("1, 2, 3")
    logits.press("Enter")
    settle(page)
    expect(page.locator(ERROR_ALERT)).to_have_count(0)
    assert_no_exception(page)


def test_shared_explorer_link_restores_activation_and_parameter(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?activation=elu&param_alpha=2")
    wait_for_lines(page, "explorer_chart")
    assert selectbox_text(page, "activation") == "ELU"
    assert slider_value(page, "param_alpha") == 2.0
    expect(link_warning(page)).to_have_count(0)
    assert_no_exception(page)


def test_shared_depth_link_restores_depth_and_init(server, tab):
    page = tab.page
    goto(page, server.url, "/depth?depth=30&init=lecun")
    wait_for_lines(page, "depth_grad_chart")
    assert slider_value(page, "depth") == 30
    assert selectbox_text(page, "init").startswith("LeCun")
    expect(link_warning(page)).to_have_count(0)
    assert_no_exception(page)


def test_tampered_depth_link_falls_back_with_a_warning(server, tab):
    page = tab.page
    goto(page, server.url, "/depth?depth=999999&init=%3Cscript%3E")
    wait_for_lines(page, "depth_grad_chart")
    warning = link_warning(page)
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("depth")
    expect(warning).to_contain_text("init")
    # the tampered text is shown as quoted text, never as markup
    expect(warning.locator("code", has_text="<script>")).to_have_count(1)
    assert slider_value(page, "depth") == 50  # the default
    assert selectbox_text(page, "init").startswith("He")  # the default
    assert_no_exception(page)
    assert not tab.problems.dialogs


def test_tampered_explorer_link_falls_back_with_a_warning(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?activation=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_for_lines(page, "explorer_chart")
    warning = link_warning(page)
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("activation")
    expect(warning.locator("code", has_text="<script>")).to_have_count(1)
    assert selectbox_text(page, "activation") == "ReLU"  # the default
    injected = "[...document.scripts].some(s => s.textContent.includes('alert(1)'))"
    assert not page.evaluate(injected), "a script carrying the link's text was injected"
    assert_no_exception(page)
    page.wait_for_timeout(300)  # an alert() would open as a dialog by now
    assert not tab.problems.dialogs
