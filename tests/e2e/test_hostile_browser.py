"""A sample of the hostile-link corpus (tests/hostile_links.py) in a real browser (issue #20).

What the AppTest sweep cannot see: what Streamlit's frontend makes of the Markdown. Every
request to another host is aborted and reported as a console error by the fixtures, so an outside
image the page tried to fetch fails the test too.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    EXCEPTION,
    WARNING_ALERT,
    assert_no_exception,
    goto,
    keyed,
    link_warning,
    settle,
    slider_value,
    wait_for_lines,
)
from tests.hostile_links import MARK

pytestmark = pytest.mark.e2e

# Each payload of the issue, in a checked key of each page: what the warning must show as text.
SAMPLE = [
    ("/explorer?activation=elu&x_range=", f"\n\n![{MARK}](https://example.org/p.png)"),
    ("/depth?width=16&depth=", f"\n\n[Log in again {MARK}](https://example.org/login)"),
    ("/softmax?temperature=", f"\n# HACKED {MARK}"),
    ("/explorer?activation=elu&param_alpha=", f"\n\n:red[**{MARK}**]"),
    ("/depth?width=16&init=", f"$\\frac{{{MARK}}}{{0}}$ :material/warning: https://example.org/"),
]
# Elements Markdown would have made from the payload: none may be inside the warning.
ACTIVE = "a, img, h1, h2, h3, h4, h5, h6, strong, em, .katex, .stMarkdownColoredText, [role=img]"


@pytest.mark.parametrize(("path", "payload"), SAMPLE, ids=lambda v: repr(v[:18]))
def test_a_hostile_link_value_is_shown_as_literal_text(server, tab, path, payload):
    page = tab.page
    goto(page, server.url, path + quote(payload, safe=""))
    warning = link_warning(page)
    expect(warning).to_have_count(1)
    expect(warning.locator(ACTIVE)).to_have_count(0)
    text = warning.inner_text().replace("\u200b", "")  # shown()'s own, after ":" of :material/
    assert MARK in text
    for line in payload.splitlines():  # every line of it, literally (line breaks shown as \n)
        assert line[:30] in text, (line, text)
    assert "\\n" in text or "\n" not in payload
    # nothing anywhere on the page was made from it either
    expect(
        page.locator(f"h1:has-text('{MARK}'), a[href*='example.org'], img[src*='example']")
    ).to_have_count(0)
    assert_no_exception(page)


@pytest.mark.parametrize("path", ["/softmax", "/explorer", "/depth?width=16"])
def test_a_quiz_seed_of_superscript_digits_is_no_crash(server, tab, path):
    page = tab.page
    sep = "&" if "?" in path else "?"
    goto(page, server.url, f"{path}{sep}quiz=true&quiz_seed=%C2%B2")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.get_by_text("Predict, then reveal").first).to_be_visible()


@pytest.mark.parametrize(
    ("typed", "said"),
    [("1e400", "left empty"), ("", "left empty"), ("1e3", "1000 is outside"), ("2.5", "2.5")],
)
def test_a_typed_depth_never_jumps_and_says_why(server, tab, typed, said):
    page = tab.page
    goto(page, server.url, "/depth?depth=7&width=16")
    wait_for_lines(page, "depth_grad_chart")
    field = keyed(page, "depth_exact").locator("input")
    field.fill(typed)
    field.press("Enter")
    settle(page)
    message = page.locator(WARNING_ALERT, has_text="Depth (layers)")
    expect(message).to_have_count(1)
    expect(message).to_contain_text(said)
    expect(message).to_contain_text("it stays 7")
    assert slider_value(page, "depth") == 7
    expect(field).to_have_value("7")
    assert_no_exception(page)
