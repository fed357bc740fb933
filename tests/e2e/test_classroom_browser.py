"""Classroom features in a real browser: presenter view, focused links, the copy-link popover,
the CSV export."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

import activations as A
from tests.e2e.helpers import (
    assert_no_exception,
    copied_link,
    font_size_px,
    goto,
    keyed,
    press_on_slider,
    settle,
    slider_thumb,
    wait_for_lines,
)
from ui import classroom

pytestmark = pytest.mark.e2e

# The first paragraph of the page's own text (not a widget label, not the sidebar).
INTRO = '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p'


def test_presenter_view_link_turns_it_on_with_bigger_type(server, open_tab):
    normal = open_tab().page
    goto(normal, server.url, "/explorer")
    wait_for_lines(normal, "explorer_chart")
    normal_p = font_size_px(normal.locator(INTRO).first)
    normal_h1 = font_size_px(normal.locator("h1").first)
    expect(normal.get_by_role("switch", name="Presenter view")).not_to_be_checked()

    present = open_tab().page
    goto(present, server.url, "/explorer?present=true")
    wait_for_lines(present, "explorer_chart")
    expect(present.get_by_role("switch", name="Presenter view")).to_be_checked()
    assert font_size_px(present.locator(INTRO).first) >= 1.2 * normal_p
    assert font_size_px(present.locator("h1").first) > normal_h1
    assert_no_exception(present)


def test_presenter_toggle_turns_it_off_again(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?present=true")
    wait_for_lines(page, "explorer_chart")
    big = font_size_px(page.locator(INTRO).first)
    page.get_by_text("Presenter view", exact=True).click()
    expect(page.get_by_role("switch", name="Presenter view")).not_to_be_checked()
    expect(page).not_to_have_url(re.compile(r"present=true"))  # the rerun has happened
    settle(page)
    assert font_size_px(page.locator(INTRO).first) < big
    assert_no_exception(page)


def test_focused_link_shows_only_the_named_control(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?activation=elu&only=param_alpha")
    wait_for_lines(page, "explorer_chart")
    expect(slider_thumb(page, "param_alpha")).to_be_attached()
    expect(keyed(page, "activation")).to_have_count(0)  # no activation selectbox
    expect(keyed(page, "x_range")).to_have_count(0)
    expect(keyed(page, "probe_x")).to_have_count(0)
    # The one control left still drives the chart, and the link keeps its focus.
    press_on_slider(page, "param_alpha", "ArrowRight", 1)
    expect(page).to_have_url(re.compile(r"param_alpha=1\.05"))
    assert "only=param_alpha" in page.url
    settle(page)
    expect(keyed(page, "activation")).to_have_count(0)
    assert_no_exception(page)


def test_copy_link_popover_carries_the_current_view(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?activation=elu")
    wait_for_lines(page, "explorer_chart")
    link = copied_link(page)
    assert link.startswith(server.url + "/explorer?")
    assert "activation=elu" in link
    assert "param_alpha" not in link  # the default is left out

    press_on_slider(page, "param_alpha", "ArrowRight", 2)
    expect(page).to_have_url(re.compile(r"param_alpha=1\.1\b"))
    settle(page)
    moved = copied_link(page, expected="param_alpha=1.1")
    assert moved != link
    assert "activation=elu" in moved and "param_alpha=1.1" in moved

    # The copied link really reopens that view in another tab.
    other = tab.page.context.new_page()
    try:
        goto(other, "", moved)
        assert float(slider_thumb(other, "param_alpha").input_value()) == pytest.approx(1.1)
    finally:
        other.close()
    assert_no_exception(page)


# Text sizes the presenter view must not leave at (or below) their normal size, as CSS selectors
# of the element whose computed font-size is read.
PRESENTER_TEXT = {
    "metric value": '[data-testid="stMetricValue"] p',
    "chart tick label": ".st-key-explorer_chart .xtick text",
    "chart legend": ".st-key-explorer_chart .legendtext",
    "chart axis title": ".st-key-explorer_chart .xtitle",
}


def test_presenter_view_enlarges_numbers_and_chart_text(server, open_tab):
    sizes: dict[str, dict[str, float]] = {}
    for query in ("", "&present=true"):
        page = open_tab(viewport={"width": 1920, "height": 1080}).page
        goto(page, server.url, "/explorer?activation=elu" + query)
        wait_for_lines(page, "explorer_chart")
        sizes[query] = {
            what: font_size_px(page.locator(selector).first)
            for what, selector in PRESENTER_TEXT.items()
        }
    too_small = {
        what: (sizes[""][what], sizes["&present=true"][what])
        for what in PRESENTER_TEXT
        if sizes["&present=true"][what] < 1.2 * sizes[""][what]
    }
    assert not too_small, f"(normal px, presenter px) not enlarged: {too_small}"


# (path, slider key, CSV button key, the CSV's setting the move changes, its value after one
# step, the URL parameter that shows it)
CSV_AFTER_A_MOVE = [
    ("/softmax?logits=2,-1,0.5", "temperature", "softmax_csv", "temperature", "1.2", "temperature"),
    ("/depth?depth=5&width=32", "depth", "depth_csv", "depth", "6", "depth"),
    (
        "/explorer?activation=elu",
        "param_alpha",
        "csv_download",
        "param alpha",
        "1.05",
        "param_alpha",
    ),
]


@pytest.mark.parametrize(
    ("path", "slider", "button", "setting", "moved", "param"), CSV_AFTER_A_MOVE
)
def test_csv_download_serves_what_the_sliders_show_after_a_move(
    server, tab, path, slider, button, setting, moved, param
):
    """The CSV button is drawn by the page, outside the fragment a slider move reruns: the file
    it serves must still be the moved view's, not the one the page was drawn with."""
    page = tab.page
    goto(page, server.url, path)
    expect(keyed(page, button).locator("button").first).to_be_enabled()
    press_on_slider(page, slider, "ArrowRight", 1)
    expect(page).to_have_url(re.compile(rf"{param}={re.escape(moved)}(&|$)"))  # the fragment ran
    settle(page)
    with page.expect_download() as download:
        keyed(page, button).locator("button").first.click()
    settings, columns = classroom.read_csv(Path(download.value.path()).read_text())
    assert settings[setting] == moved

    if slider == "temperature":
        z = np.array([2.0, -1.0, 0.5])
        np.testing.assert_allclose(columns["p"], A.softmax(z, 1.2), rtol=1e-15)
    elif slider == "depth":
        np.testing.assert_array_equal(columns["layer"], np.arange(1, 7))
    else:
        elu = A.ACTIVATIONS["elu"]
        np.testing.assert_allclose(columns["f"], elu.forward(columns["x"], alpha=1.05), rtol=1e-15)
    assert_no_exception(page)
