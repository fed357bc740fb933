"""Each page at a phone's, a laptop's and a projector's size: no sideways scrolling, the chart in
view and the right width. Also takes the full-page screenshots (desktop and phone) that
docs/screenshots/ holds: ``UPDATE_SCREENSHOTS=1 python -m pytest tests/e2e -k layout``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PAGES, PHONE, PROJECTOR, REPO
from tests.e2e.helpers import (
    ERROR_ALERT,
    assert_no_exception,
    goto,
    horizontal_overflow,
    settle,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e

# The committed screenshots are refreshed on request (UPDATE_SCREENSHOTS=1), so an ordinary test
# run leaves the work tree clean; otherwise the shots go to pytest's temporary directory.
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS", "") == "1"
DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"
SIZES = {"desktop": DESKTOP, "phone": PHONE, "projector": PROJECTOR}
SAVED = {"desktop", "phone"}  # the projector view is checked, not saved
# Every chart on the page's first screenful of content (st.plotly_chart keys).
CHARTS = {
    "/": (),
    "/explorer": ("explorer_chart",),
    "/softmax": ("softmax_bars",),
    "/depth": ("depth_grad_chart", "depth_std_chart"),
    "/training": ("training_surface_chart", "training_loss_chart"),
    "/sampling": ("sampling_bars",),
}
NAMES = {
    "/": "home",
    "/explorer": "explorer",
    "/softmax": "softmax",
    "/depth": "depth",
    "/training": "training",
    "/sampling": "sampling",
}


def _screenshot(page, path: Path) -> None:
    """The whole page: the window is made as tall as the content for the shot."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
             ...[...document.querySelectorAll(
               '[data-testid="stMain"], [data-testid="stAppViewContainer"]'
             )].map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height), 12_000)})
    settle(page)
    page.wait_for_timeout(300)  # Plotly relayouts on resize
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("path", "title", "h1"), PAGES, ids=[p[1] for p in PAGES])
def test_layout_fits_the_screen(server, open_tab, tmp_path_factory, path, title, h1, size):
    viewport = SIZES[size]
    tab = open_tab(viewport=viewport)
    page = tab.page
    goto(page, server.url, path)
    expect(page.locator("h1").first).to_have_text(h1)
    plots = [wait_for_chart(page, key) for key in CHARTS[path]]
    settle(page)

    widths = horizontal_overflow(page)
    assert widths["doc"] <= widths["inner"] + 1, f"the page scrolls sideways: {widths}"
    assert widths["main"] <= widths["mainClient"] + 1, f"the main block scrolls sideways: {widths}"
    for plot in plots:
        expect(plot).to_be_visible()
        box = plot.bounding_box()
        assert box is not None
        assert box["x"] >= -1 and box["x"] + box["width"] <= viewport["width"] + 1, box
        assert box["width"] >= min(300, 0.7 * viewport["width"]), f"chart too narrow: {box}"
        assert box["height"] >= 250, f"chart too short: {box}"
    assert_no_exception(page)
    expect(page.locator(ERROR_ALERT)).to_have_count(0)

    if size in SAVED:
        folder = DOCS_SCREENSHOTS if UPDATE_SCREENSHOTS else tmp_path_factory.getbasetemp()
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{NAMES[path]}-{size}.png"
        _screenshot(page, shot)
        assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"
