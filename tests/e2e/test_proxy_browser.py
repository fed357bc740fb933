"""The app through deploy/serve: two replicas behind nginx on 127.0.0.1, driven by Chromium.

Each "student" is its own browser context (its own cookie jar), as each student is their own
browser. nginx's access log names the replica that answered every request, with the student's
route cookie: that is how these tests see where a session's requests landed.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.deploy_helpers import Serve, need_nginx
from tests.e2e.conftest import DESKTOP, PAGES, TIMEOUT_MS, Tab, _is_outside, _route_outside
from tests.e2e.helpers import (
    ERROR_ALERT,
    assert_no_exception,
    goto,
    press_on_slider,
    settle,
    slider_value,
    trace_d,
    wait_for_lines,
    wait_for_trace_change,
)

pytestmark = pytest.mark.e2e

STREAM = "/_stcore/stream"
# Records every connection state the page passes through (a reconnect may be too quick to see by
# polling): window.__labStates.
_WATCH_CONNECTION_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__labStates = [];
  new MutationObserver(() => window.__labStates.push(app.dataset.testConnectionState))
    .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
}"""


def _start(*extra: str) -> Iterator[Serve]:
    need_nginx()
    s = Serve(None, 2, *extra)
    try:
        s.start()
        yield s
    finally:
        s.stop()
        s.cleanup()


@pytest.fixture(scope="module")
def proxy() -> Iterator[Serve]:
    """deploy/serve --replicas 2, shared by the tests that do not kill anything."""
    yield from _start()


@pytest.fixture
def lone_proxy() -> Iterator[Serve]:
    """deploy/serve --replicas 2 for one test; a killed replica stays down for the test."""
    yield from _start("--restart-delay", "600")


@pytest.fixture
def student(browser) -> Iterator:
    """``student()`` -> a Tab in a new browser context: a new student, with no cookie yet."""
    contexts, tabs = [], []

    def _new() -> Tab:
        ctx = browser.new_context(viewport=DESKTOP)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.route(_is_outside, _route_outside)
        contexts.append(ctx)
        t = Tab(ctx, DESKTOP)
        tabs.append(t)
        return t

    expect.set_options(timeout=TIMEOUT_MS)
    yield _new
    for ctx in contexts:
        ctx.close()


def route_of(tab: Tab) -> str:
    cookies = {c["name"]: c["value"] for c in tab.page.context.cookies()}
    assert "lab_route" in cookies, "nginx set no route cookie"
    return cookies["lab_route"]


def _wait_logged(proxy: Serve, route: str, streams: int, timeout: float = 15) -> list:
    """The access-log lines of this route, once ``streams`` websockets of it have closed."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [a for a in proxy.access() if a.route == route]
        if sum(a.uri == STREAM for a in lines) >= streams or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


@pytest.mark.parametrize(("path", "title", "h1"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_opens_through_the_proxy(proxy, student, path, title, h1):
    tab = student()
    goto(tab.page, proxy.url, path)
    expect(tab.page.locator("h1").first).to_have_text(h1)
    assert_no_exception(tab.page)
    expect(tab.page.locator(ERROR_ALERT)).to_have_count(0)
    assert not tab.problems, tab.problems.report()


def test_a_session_stays_on_one_replica_while_it_moves_sliders_and_follows_links(proxy, student):
    tab = student()
    page = tab.page
    goto(page, proxy.url, "/explorer?activation=elu")
    wait_for_lines(page, "explorer_chart")
    route = route_of(tab)
    before = trace_d(page, "explorer_chart", "f")

    for _ in range(3):  # three reruns, each redraws the chart
        press_on_slider(page, "param_alpha", "ArrowRight", 1)
        before = wait_for_trace_change(page, "explorer_chart", "f", before)
    assert slider_value(page, "param_alpha") == pytest.approx(1.15)
    page.wait_for_url(re.compile(r".*[?&]param_alpha=1[.]15(&|$)"))

    # a deep link opened in the same browser: a new page load and a new websocket
    goto(page, proxy.url, "/depth?depth=30&init=lecun")
    plot = wait_for_lines(page, "depth_grad_chart")
    assert slider_value(page, "depth") == 30
    line = plot.locator(".scatterlayer .trace path.js-line").first
    before_d = line.get_attribute("d")
    press_on_slider(page, "depth", "ArrowRight", 2)
    expect(line).not_to_have_attribute("d", before_d)  # redrawn by the rerun
    page.wait_for_url(re.compile(r".*[?&]depth=32(&|$)"))
    settle(page)
    assert route_of(tab) == route  # the cookie was kept
    assert_no_exception(page)
    assert not tab.problems, tab.problems.report()
    page.close()  # closes the second websocket, so nginx logs it

    lines = _wait_logged(proxy, route, streams=2)
    streams = [a for a in lines if a.uri == STREAM]
    assert len(streams) == 2, lines  # both websockets: every rerun went through one of them
    assert len(lines) >= 6  # the page, its health and host-config probes, the websockets...
    replicas = {a.replicas[-1] for a in lines}
    assert len(replicas) == 1, f"one session reached several replicas: {lines}"
    assert replicas <= set(proxy.replica_addrs())
    assert all(a.status < 500 for a in lines)


def test_students_are_spread_over_both_replicas(proxy, student):
    seen: dict[str, set[str]] = {}
    for _ in range(8):
        tab = student()
        goto(tab.page, proxy.url, "/")
        route = route_of(tab)
        tab.page.close()
        lines = _wait_logged(proxy, route, streams=1)
        seen[route] = {a.replicas[-1] for a in lines}
        if len({r for rs in seen.values() for r in rs}) == 2:
            break
    assert all(len(rs) == 1 for rs in seen.values()), seen
    # 8 new students all on one of two replicas would happen by chance once in 128 runs
    assert {r for rs in seen.values() for r in rs} == set(proxy.replica_addrs()), seen


def test_a_killed_replica_s_students_continue_on_the_other_with_their_settings(lone_proxy, student):
    proxy = lone_proxy
    tab = student()
    page = tab.page
    goto(page, proxy.url, "/explorer?activation=elu")
    wait_for_lines(page, "explorer_chart")
    before = trace_d(page, "explorer_chart", "f")
    press_on_slider(page, "param_alpha", "ArrowRight", 4)  # mid-lesson: α 1 → 1.2
    wait_for_trace_change(page, "explorer_chart", "f", before)
    page.wait_for_url(re.compile(r".*[?&]param_alpha=1[.]2(&|$)"))
    settle(page)
    route = route_of(tab)
    served_by = {a.replicas[-1] for a in proxy.access() if a.route == route}
    assert len(served_by) == 1
    victim_addr = served_by.pop()
    addrs = proxy.replica_addrs()
    victim = next(r for r in proxy.state()["replicas"] if addrs[victim_addr] == r["index"])
    survivor_addr = next(a for a in addrs if a != victim_addr)

    page.evaluate(_WATCH_CONNECTION_JS)
    killed_at = len(proxy.access())  # before the kill: the dropped websocket is logged after
    subprocess.run(["kill", "-9", str(victim["pid"])], check=True)

    # Streamlit's page notices the dropped socket and reconnects by itself: nginx sends it to
    # the other replica, and the page reruns there with the same settings.
    page.wait_for_function("() => window.__labStates.some(s => s !== 'CONNECTED')")
    settle(page, timeout=60_000)
    wait_for_lines(page, "explorer_chart")
    assert slider_value(page, "param_alpha") == pytest.approx(1.2)
    assert "param_alpha=1.2" in page.url

    # The next page load of that student is served by the other replica, settings intact.
    response = page.reload()
    settle(page)
    assert response is not None and response.status == 200
    assert response.headers["x-lab-replica"].split(",")[-1].strip() == survivor_addr
    wait_for_lines(page, "explorer_chart")
    assert "activation=elu" in page.url and "param_alpha=1.2" in page.url
    assert slider_value(page, "param_alpha") == pytest.approx(1.2)
    assert_no_exception(page)

    # and the lesson goes on there: a move redraws
    before = trace_d(page, "explorer_chart", "f")
    press_on_slider(page, "param_alpha", "ArrowRight", 1)
    wait_for_trace_change(page, "explorer_chart", "f", before)
    page.wait_for_url(re.compile(r".*[?&]param_alpha=1[.]25(&|$)"))
    page.close()
    _wait_logged(proxy, route, streams=2)  # the websocket on the victim and the new one

    after = proxy.access()[killed_at:]
    assert after, "nothing was logged after the kill"
    assert not [a for a in after if a.status >= 500], after  # no 5xx reached a student
    mine = [a for a in after if a.route == route]
    # logged after the kill: the websocket that was open on the victim (it closed then) ...
    dropped = [a for a in mine if a.replicas == (victim_addr,)]
    assert [a.uri for a in dropped] == [STREAM], mine
    # ... and everything since, on the survivor (after the victim refused, for the first ones)
    since = [a for a in mine if a not in dropped]
    assert since and {a.replicas[-1] for a in since} == {survivor_addr}, mine
    assert STREAM in {a.uri for a in since}  # the new websocket: the moves went there
    assert "exited with -9" in proxy.log()
    # the browser saw the socket drop (console errors then) but no uncaught error in the page
    assert not tab.problems.page_errors, tab.problems.report()
    assert not tab.problems.dialogs, tab.problems.report()
