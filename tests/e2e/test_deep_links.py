"""Deep links on a freshly started server: the first visitor of a new process opens /softmax etc.

Streamlit picks legacy ``pages/`` discovery for a fresh process until app.py has run once, so the
first deep link would show every file in the sidebar ("app", "explorer", ...) and skip the router.
Each test here therefore starts its own server (``fresh_server``) and is its first visitor.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PAGES
from tests.e2e.helpers import assert_no_exception, goto, nav_titles, settle

pytestmark = pytest.mark.e2e

NAV_TITLES = [title for _, title, _ in PAGES]


@pytest.mark.parametrize(("path", "title", "h1"), PAGES, ids=[p[1] for p in PAGES])
def test_first_visit_by_deep_link_shows_the_page_with_the_app_navigation(
    fresh_server, tab, path, title, h1
):
    page = tab.page
    goto(page, fresh_server.url, path)
    expect(page.locator("h1").first).to_have_text(h1)
    settle(page)

    assert nav_titles(page) == NAV_TITLES  # not "app", "explorer", "softmax", "depth"
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(title)
    assert page.url.split("?")[0] == fresh_server.url + path
    expect(page.locator("h1").first).to_have_text(h1)  # still this page after the re-route
    assert_no_exception(page)
