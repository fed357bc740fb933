"""The Training lab in a real browser: a deep link on a fresh server, and the snapshot scrubber,
which swaps the decision surfaces in the browser (Plotly frames) without asking the server for
anything. Every tab is checked for console errors when its test ends (conftest.open_tab)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    ERROR_ALERT,
    Deltas,
    assert_no_exception,
    chart,
    chart_title,
    keyed,
    link_warning,
    selectbox_text,
    settle,
    slider_value,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e

SURFACE = "training_surface_chart"
CHARTS = (
    SURFACE,
    "training_loss_chart",
    "training_dead_chart",
    "training_grad_chart",
    "training_ratio_chart",
)

# The scrubber's state in the drawn figure: the slider's active step, the label it shows, and
# the first surface's image as drawn (its layout image's PNG data URL), by the chart's key.
_SCRUBBER_JS = """(selector) => {
  const gd = document.querySelector(selector + ' .js-plotly-plot');
  if (!gd || !gd.layout || !gd.layout.sliders) return null;
  const label = gd.querySelector('.slider-container text.slider-label');
  const image = gd.querySelector('.imagelayer image');
  return {
    active: gd.layout.sliders[0].active,
    steps: gd.layout.sliders[0].steps.length,
    label: label ? label.textContent : null,
    image: image ? image.getAttribute('xlink:href') || image.getAttribute('href') : null,
  };
}"""


def scrubber(page) -> dict:
    return page.evaluate(_SCRUBBER_JS, f".st-key-{SURFACE}")


# The first surface's image in the frame of the slider's active step, as the figure holds it.
_FRAME_IMAGE_JS = """(selector) => {
  const gd = document.querySelector(selector + ' .js-plotly-plot');
  const slider = gd.layout.sliders[0];
  const name = slider.steps[slider.active].args[0][0];
  return gd._transitionData._frameHash[name].layout['images[0].source'];
}"""


def frame_image(page) -> str:
    return page.evaluate(_FRAME_IMAGE_JS, f".st-key-{SURFACE}")


def surface_button(page, label: str):
    return keyed(page, SURFACE).locator(".updatemenu-button", has_text=label)


def actives_until(page, done, seconds: float = 30) -> list[int]:
    """The slider's active step, polled every 50 ms until ``done(seen)`` or the deadline."""
    seen: list[int] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done(seen):
        seen.append(scrubber(page)["active"])
        page.wait_for_timeout(50)
    return seen


def assert_holds(page, seconds: float = 1.0) -> dict:
    """The scrubber shows one step, the image of that step's frame, and stays on it."""
    page.wait_for_timeout(200)  # the frame on screen when the button was pressed finishes
    first = scrubber(page)
    assert first["label"].strip() == f"step {first['active'] * 10}"
    assert first["image"] == frame_image(page)
    page.wait_for_timeout(int(seconds * 1000))
    assert scrubber(page) == first
    return first


def test_deep_link_on_a_fresh_server_opens_the_race(fresh_server, tab):
    page = tab.page
    page.goto(fresh_server.url + "/training?dataset=xor&compare=tanh&steps=200&lr=0.3&width=6")
    settle(page, timeout=60_000)  # a fresh process: imports and the first training
    expect(page.locator("h1").first).to_have_text("Training lab")
    for key in CHARTS:
        wait_for_chart(page, key)
    settle(page)
    assert selectbox_text(page, "dataset").startswith("XOR")
    assert slider_value(page, "steps") == 200
    assert slider_value(page, "width") == 6
    title = chart_title(page, "training_loss_chart")
    assert "xor" in title and "lr 0.3" in title and "200 steps" in title
    # One small multiple per raced activation, named.
    subtitles = keyed(page, SURFACE).locator(".annotation-text")
    expect(subtitles.filter(has_text="ReLU")).to_have_count(1)
    expect(subtitles.filter(has_text="Tanh")).to_have_count(1)  # short: "Tanh", not "(…)"
    assert page.url.split("?")[0] == fresh_server.url + "/training"
    assert "compare=tanh" in page.url and "lr=0.3" in page.url
    assert_no_exception(page)
    expect(page.locator(ERROR_ALERT)).to_have_count(0)
    expect(link_warning(page)).to_have_count(0)


def test_the_scrubber_moves_in_the_browser_without_a_rerun(server, tab):
    page = tab.page
    deltas = Deltas(page)
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(server.url + "/training?steps=400")
    settle(page, timeout=60_000)  # the first training on this server may queue behind others
    wait_for_chart(page, SURFACE)
    settle(page)
    start = scrubber(page)
    assert start["steps"] == 41 and start["active"] == 40
    assert start["label"].strip() == "step 400"

    deltas.clear()
    sent.clear()
    rail = keyed(page, SURFACE).locator(".slider-rail-touch-rect").first
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)  # the first snapshot
    page.wait_for_function(
        "([s]) => { const gd = document.querySelector(s + ' .js-plotly-plot');"
        " return gd.layout.sliders[0].active === 0; }",
        arg=[f".st-key-{SURFACE}"],
    )
    page.wait_for_timeout(300)
    moved = scrubber(page)
    assert moved["label"].strip() == "step 0"
    assert start["image"] and moved["image"]
    assert moved["image"] != start["image"]  # the surface drawn is another snapshot's
    # Nothing went to the server and nothing came back: no rerun.
    assert not sent and not deltas.received
    state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
    assert state == "notRunning"

    # Play runs through every snapshot from step 0 to the end, still in the browser.
    keyed(page, SURFACE).locator(".updatemenu-button", has_text="Play").click()
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        seen.add(scrubber(page)["active"])
        if 40 in seen and len(seen) > 5:
            break
        page.wait_for_timeout(50)
    assert 40 in seen and len(seen) > 5, seen  # it went through the frames to the last
    assert scrubber(page)["label"].strip() == "step 400"
    assert not sent and not deltas.received
    assert_no_exception(page)


def test_pause_stops_on_the_step_shown_and_play_runs_on_from_it(server, tab):
    """Play, Pause after ~0.5 s, Play again, a drag on the slider while playing: the step shown
    holds, Play runs on from it, and nothing is rejected (Plotly.js rejects an interrupted
    animation's promise, uncaught: the tab's page errors are checked when the test ends)."""
    page = tab.page
    deltas = Deltas(page)
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(server.url + "/training?steps=400")
    settle(page, timeout=60_000)
    wait_for_chart(page, SURFACE)
    settle(page)
    assert page.evaluate("window.activationLabScrubber") is True  # the page's script ran
    assert scrubber(page)["active"] == 40
    deltas.clear()
    sent.clear()

    surface_button(page, "Play").click()
    page.wait_for_timeout(500)
    surface_button(page, "Pause").click()
    paused = assert_holds(page)
    assert 0 < paused["active"] < 40, paused  # stopped on the way, not at either end

    # Play runs on from the step shown: never back below it, on towards the end.
    surface_button(page, "Play").click()
    seen = actives_until(page, lambda seen: any(a >= paused["active"] + 3 for a in seen))
    assert min(seen) >= paused["active"] and max(seen) >= paused["active"] + 3, seen

    # A press on the slider while playing stops the play on the step dragged to.
    rail = keyed(page, SURFACE).locator(".slider-rail-touch-rect").first
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    assert box is not None
    mid = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.5, mid)
    page.mouse.down()
    page.mouse.move(box["x"] + 3, mid, steps=8)  # to the first snapshot
    page.mouse.up()
    dragged = assert_holds(page)
    assert dragged["active"] == 0, dragged

    # And Play from there runs to the last snapshot.
    surface_button(page, "Play").click()
    seen = actives_until(page, lambda seen: 40 in seen)
    assert 40 in seen and len(set(seen)) > 5, seen
    assert not sent and not deltas.received  # all of it in the browser
    assert_no_exception(page)


def test_refused_run_keeps_the_page_and_says_what_fits(server, tab):
    page = tab.page
    page.goto(server.url + "/training?layers=8&width=64&steps=5000")
    settle(page, timeout=60_000)
    alert = page.locator(ERROR_ALERT)
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Not trained")
    expect(alert).to_contain_text("steps fit")
    expect(chart(page, "training_loss_chart")).to_have_count(0)
    assert slider_value(page, "layers") == 8
    assert_no_exception(page)
