"""The Softmax page's temperature in a real browser: a move of T redraws, in place, every output
that depends on T (nothing left stale, nothing drawn twice), and the server re-sends only those:
the explanations around them stay as they are."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import Page, expect

import activations as A
from tests.e2e.helpers import (
    MAIN,
    WARNING_ALERT,
    Deltas,
    assert_no_exception,
    chart_title,
    copied_link,
    element_counts,
    goto,
    keyed,
    press_on_slider,
    settle,
    wait_for_chart,
)
from ui import softmax_view as view

pytestmark = pytest.mark.e2e

CHARTS = ("softmax_bars", "softmax_gradient", "softmax_jacobian", "softmax_sigmoids")
SPARSE_CHARTS = (  # with the sparse comparison on (?sparse=true)
    "softmax_sparse",
    "softmax_sparse_jacobians",
    "softmax_simplex",  # three logits
)
METRIC = f'{MAIN} [data-testid="stMetric"]'


def metric_values(page: Page) -> dict[str, str]:
    metrics = page.locator(METRIC)
    labels = metrics.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = metrics.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


KINDS = {  # what a move must leave in the same numbers
    "charts": ".js-plotly-plot",
    "metrics": '[data-testid="stMetric"]',
    "captions": '[data-testid="stCaptionContainer"]',
    "markdown": '[data-testid="stMarkdown"]',
    "headings": '[data-testid="stHeading"]',
    "expanders": '[data-testid="stExpander"]',
    "tables": "table",
    "buttons": '[data-testid="stDownloadButton"], [data-testid="stPopover"]',
}


@pytest.mark.parametrize("sparse", [False, True], ids=["sparse_off", "sparse_on"])
def test_a_temperature_move_redraws_every_output_in_place_and_nothing_else(server, tab, sparse):
    """Off (the default), a move redraws the four charts it did before the sparse section
    existed, and none of the section's; on, the section's three follow T too."""
    page = tab.page
    deltas = Deltas(page)
    charts = CHARTS + SPARSE_CHARTS if sparse else CHARTS
    goto(page, server.url, "/softmax?logits=2,-1,0.5&target=1" + ("&sparse=true" if sparse else ""))
    for key in charts:
        wait_for_chart(page, key)
    assert all("T = 1" in chart_title(page, key) for key in charts)
    counts = element_counts(page, KINDS)
    assert counts["charts"] == len(charts) and counts["metrics"] == 5, counts
    for key in SPARSE_CHARTS if not sparse else ():
        expect(keyed(page, key)).to_have_count(0)
    # The entropy metrics share one row, the constant maximum last.
    row = page.locator(METRIC).filter(has_text=re.compile("Entropy|Maximum"))
    expect(row).to_have_count(3)
    assert [t.split("\n")[0] for t in row.all_inner_texts()] == [
        "Entropy (nats)",
        "Entropy (bits)",
        "Maximum, log n (nats)",
    ]
    tops = {round(row.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, f"the entropy metrics are not in one row: {tops}"

    deltas.clear()
    press_on_slider(page, "temperature", "ArrowRight", 1)  # T: 1 -> 1.2, the next grid step
    for key in charts:
        expect(keyed(page, key).locator(".gtitle").first).to_contain_text("T = 1.2")
    settle(page)

    z, t = np.array([2.0, -1.0, 0.5]), 1.2
    p = A.softmax(z, t)
    h = float(A.entropy(p))
    shown = metric_values(page)
    assert shown["Entropy (nats)"] == f"{h:.3f}"
    assert shown["Entropy (bits)"] == f"{float(A.entropy(p, base=2)):.3f}"
    assert shown["Maximum, log n (nats)"] == f"{np.log(3):.3f}"
    assert shown["Cross-entropy −log p_y (nats)"] == f"{float(A.cross_entropy(z, 1, t)):.4g}"
    assert shown["p_y"] == f"{p[1]:.4g}"
    table = keyed(page, view.PIPELINE_KEY).locator("table")
    z_over_t = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert z_over_t == [f"{v:.4g}" for v in z / t]
    main = page.locator(MAIN)
    expect(main).to_contain_text(f"At T = {view.format_t(t)},")  # the bars' summary
    pair = float(A.softmax(z[:2], t)[0])
    expect(main).to_contain_text(f"softmax([z₀, z₁]/T)₀ = {pair:.6g}")  # the sigmoid summary
    kept = int(np.count_nonzero(A.sparsemax(z, t)))
    sparse_summary = main.get_by_text(f"sparsemax keeps {kept} of 3")
    expect(sparse_summary).to_have_count(1 if sparse else 0)
    assert element_counts(page, KINDS) == counts  # nothing left behind, nothing drawn twice

    # What the move sent: every T-driven output once, none of the explanations around them.
    sent = deltas.kinds()
    assert sent.count("plotly_chart") == len(charts), sent
    assert sent.count("metric") == 4, sent  # 2 entropy + 2 loss; log n is constant
    assert "heading" not in sent and "block expandable" not in sent, sent
    assert "download_button" not in sent and "block popover" not in sent, sent  # the page's
    assert not [k for k in sent if k.startswith("markdown: Softmax does not change")], sent
    assert not [k for k in sent if k.startswith("markdown: Each chart's camera icon")], sent

    # The URL comes after everything the move drew (state.urls_written_last): the browser acts
    # on it as it arrives, and the charts should not wait for that.
    assert deltas.sequence.count("page_info_changed") == 1, deltas.sequence
    url_at = deltas.sequence.index("page_info_changed")
    assert "delta" not in deltas.sequence[url_at:], deltas.sequence
    assert "temperature=1.2" in page.url
    assert "temperature=1.2" in copied_link(page, "temperature=1.2")
    assert_no_exception(page)


def test_the_naive_formula_warning_follows_the_temperature(server, tab):
    page = tab.page
    goto(page, server.url, "/softmax?logits=8,0&temperature=0.01")
    wait_for_chart(page, "softmax_bars")
    naive = page.locator(WARNING_ALERT, has_text="naive formula")
    expect(naive).to_have_count(1)  # exp(8 / 0.01) = exp(800) overflows
    press_on_slider(page, "temperature", "ArrowRight", 1)  # T = 0.012: exp(666.7) is finite
    expect(keyed(page, "softmax_bars").locator(".gtitle").first).to_contain_text("T = 0.012")
    settle(page)
    expect(naive).to_have_count(0)
    press_on_slider(page, "temperature", "ArrowLeft", 1)
    expect(keyed(page, "softmax_bars").locator(".gtitle").first).to_have_text(
        re.compile(r"T = 0\.01(?!\d)")
    )
    settle(page)
    expect(naive).to_have_count(1)
    assert_no_exception(page)


def test_label_smoothing_in_the_browser(server, tab):
    """ε moves from the keyboard: loss, gradient and the optimal gap follow, the link keeps ε,
    and a later move of T keeps it."""
    page = tab.page
    goto(page, server.url, "/softmax?logits=2,-1,0.5&target=0")
    wait_for_chart(page, "softmax_gradient")
    main = page.locator(MAIN)
    expect(main).to_contain_text("no finite optimum")
    press_on_slider(page, "label_smoothing", "ArrowRight", 5)  # ε: 0 -> 0.05
    title = keyed(page, "softmax_gradient").locator(".gtitle").first
    expect(title).to_contain_text("ε = 0.05")
    settle(page)
    z, eps = np.array([2.0, -1.0, 0.5]), 0.05
    shown = metric_values(page)
    smoothed = float(A.cross_entropy(z, 0, label_smoothing=eps))
    assert shown["Label-smoothed loss (nats)"] == f"{smoothed:.4g}"
    expect(main).to_contain_text(f"{A.optimal_logit_gap(3, eps):.4g}")
    assert "label_smoothing=0.05" in page.url

    press_on_slider(page, "temperature", "ArrowRight", 1)  # T: 1 -> 1.2, ε stays
    expect(title).to_contain_text("T = 1.2")
    expect(title).to_contain_text("ε = 0.05")
    settle(page)
    smoothed = float(A.cross_entropy(z, 0, 1.2, label_smoothing=eps))
    assert metric_values(page)["Label-smoothed loss (nats)"] == f"{smoothed:.4g}"
    assert "label_smoothing=0.05" in page.url and "temperature=1.2" in page.url
    assert_no_exception(page)


def test_back_and_forward_restore_the_setting_the_address_shows(server, tab):
    """Streamlit pushes a history entry on every URL write, so Back after three moves goes to
    the previous temperature's address: the page must show that setting too, not keep the
    newer one under an older link (ui.state.seed_widget)."""
    page = tab.page
    goto(page, server.url, "/softmax?logits=2,-1,0.5")
    wait_for_chart(page, "softmax_bars")
    for expected in ("1.2", "1.5", "2"):
        press_on_slider(page, "temperature", "ArrowRight", 1)
        expect(page).to_have_url(re.compile(rf"temperature={re.escape(expected)}(&|$)"))
        settle(page)
    for expected in ("1.5", "1.2"):
        page.go_back()
        expect(page).to_have_url(re.compile(rf"temperature={re.escape(expected)}(&|$)"))
        expect(keyed(page, "softmax_bars").locator(".gtitle").first).to_contain_text(
            f"T = {expected}"
        )
        thumb = keyed(page, "temperature").locator('[data-testid="stSliderThumbValue"]').first
        expect(thumb).to_have_text(expected)
        settle(page)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"temperature=1\.5(&|$)"))
    expect(keyed(page, "softmax_bars").locator(".gtitle").first).to_contain_text("T = 1.5")
    assert_no_exception(page)
