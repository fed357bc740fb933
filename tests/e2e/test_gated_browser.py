"""The explorer's gated-units section in a real browser: contours over (a, b), the cut, a switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_no_exception,
    chart,
    chart_title,
    goto,
    keyed,
    settle,
    wait_for_lines,
)

pytestmark = pytest.mark.e2e


def test_gated_section_draws_the_plane_the_cut_and_switches_view(server, tab):
    page = tab.page
    goto(page, server.url, "/explorer?gated=true&gated_unit=swiglu")
    plane = chart(page, "gated_chart")
    expect(plane.locator(".contourlayer path").first).to_be_attached()
    assert chart_title(page, "gated_chart").startswith("SwiGLU (Swish gate): f(a, b)")
    wait_for_lines(page, "gated_cut_chart")
    expect(page.get_by_text("SwiGLU is not Swish")).to_be_visible()
    expect(keyed(page, "gated_d_model")).to_be_visible()
    expect(page.get_by_text("11,008")).to_be_visible()  # LLaMA-7B's width at d = 4096

    keyed(page, "gated_view").get_by_text("∂f/∂b").click()
    settle(page)
    # While Streamlit swaps the chart, the old one's title may still stand beside the new one.
    titles = page.locator(".st-key-gated_chart .gtitle")
    expect(titles.filter(has_text="∂f/∂b")).to_have_count(1)
    expect(titles).to_have_count(1)
    assert "gated_view=db" in page.url
    assert_no_exception(page)
