"""The "Softmax in language models" page in a real browser: a deep link on a fresh server, a knob
move that redraws the bars and the numbers in place, the in-chart temperature sweep's frames, and
no console errors (the tab fixture fails the test on any)."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page, expect

import activations as A
from activations.sampling import parse_tokens
from tests.e2e.helpers import (
    MAIN,
    Deltas,
    assert_no_exception,
    chart_title,
    goto,
    keyed,
    nav_titles,
    press_on_slider,
    settle,
    wait_for_chart,
)
from ui import sampling_view as view

pytestmark = pytest.mark.e2e

Z = parse_tokens(view.DEFAULT_TOKENS).logits
METRIC = f'{MAIN} [data-testid="stMetric"]'


def metric_values(page: Page) -> dict[str, str]:
    metrics = page.locator(METRIC)
    labels = metrics.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = metrics.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


def bar_heights(page: Page, key: str, trace: int) -> list[float]:
    """The y values Plotly holds for trace ``trace`` of the chart ``key`` (what it drew)."""
    return page.evaluate(
        "([sel, i]) => Array.from(document.querySelector(sel)._fullData[i].y)",
        [f".st-key-{key} .js-plotly-plot", trace],
    )


def test_deep_link_on_a_fresh_server(fresh_server, tab):
    page = tab.page
    goto(page, fresh_server.url, "/sampling?temperature=0.5&top_p=0.9&min_p=0.05")
    expect(page.locator("h1").first).to_have_text("Softmax in language models")
    wait_for_chart(page, "sampling_bars")
    settle(page)
    assert "Softmax in language models" in nav_titles(page)
    title = chart_title(page, "sampling_bars")
    assert "T = 0.5" in title and "top_p = 0.9" in title and "min_p = 0.05" in title
    steps = A.filter_steps(Z, 0.5, top_p=0.9, min_p=0.05)
    np.testing.assert_allclose(bar_heights(page, "sampling_bars", 1), steps.probs, rtol=1e-12)
    assert metric_values(page)["Tokens kept"] == f"{steps.n_kept} / 20"
    assert_no_exception(page)


def test_a_knob_move_redraws_the_bars_and_numbers_in_place(server, tab):
    page = tab.page
    deltas = Deltas(page)
    goto(page, server.url, "/sampling?top_p=0.9")
    wait_for_chart(page, "sampling_bars")
    settle(page)
    charts = page.locator(f"{MAIN} .js-plotly-plot").count()
    metrics = page.locator(METRIC).count()

    deltas.clear()
    press_on_slider(page, "top_p", "ArrowLeft", 1)  # 0.9 → 0.89
    expect(keyed(page, "sampling_bars").locator(".gtitle").first).to_contain_text("top_p = 0.89")
    settle(page)
    steps = A.filter_steps(Z, 1.0, top_p=0.89)
    np.testing.assert_allclose(bar_heights(page, "sampling_bars", 1), steps.probs, rtol=1e-12)
    shown = metric_values(page)
    assert shown["Tokens kept"] == f"{steps.n_kept} / 20"
    assert shown["Entropy after (nats)"] == f"{float(A.entropy(steps.probs)):.3f}"
    assert shown["Effective vocabulary after"] == f"{A.effective_vocabulary(steps.probs):.2f}"
    expect(page.locator(MAIN)).to_contain_text(f"{steps.n_kept} of 20 candidates survive")
    assert page.locator(f"{MAIN} .js-plotly-plot").count() == charts  # nothing drawn twice
    assert page.locator(METRIC).count() == metrics
    sent = deltas.kinds()
    assert sent.count("plotly_chart") == 1, sent  # the bars only: attention is not re-sent
    assert "heading" not in sent, sent
    assert "top_p=0.89" in page.url
    assert_no_exception(page)


def test_the_in_chart_sweep_swaps_frames_in_the_browser(server, tab):
    page = tab.page
    goto(page, server.url, "/sampling?t_sweep=true&top_k=5")
    plot = wait_for_chart(page, "sampling_t_sweep")
    settle(page)
    keyed(page, "sampling_t_sweep").scroll_into_view_if_needed()
    deltas = Deltas(page)
    ticks = plot.locator(".slider-container .slider-tick-rect")
    expect(ticks.first).to_be_attached()
    assert ticks.count() == len(view.TEMPERATURES)
    for step in (0, len(view.TEMPERATURES) - 1, view.TEMPERATURES.index(2.0)):
        box = ticks.nth(step).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] - 16)
        expected = A.filter_logits(Z, view.TEMPERATURES[step], top_k=5)
        page.wait_for_function(
            "([sel, want]) => { const y = Array.from(document.querySelector(sel)._fullData[0].y);"
            " return y.every((v, i) => Math.abs(v - want[i]) < 1e-12); }",
            arg=[".st-key-sampling_t_sweep .js-plotly-plot", expected.tolist()],
        )
    assert not [k for k in deltas.kinds() if k == "plotly_chart"]  # no server round trip
    assert_no_exception(page)
