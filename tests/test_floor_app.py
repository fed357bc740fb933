"""The benchmarks' like-for-like floors draw exactly the charts their page redraws on a move.

``benchmarks/floor_app.py?figure=softmax_all`` and ``?figure=depth_all`` are what the browser and
server benchmarks compare the softmax and depth pages with (docs/PERFORMANCE.md). The comparison
is only fair if a floor sends the very charts the page sends, no more and no fewer: here the
floor and the page, at their defaults and after the same slider move, must draw the same Plotly
specs (the JSON Streamlit sends), in the page's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import depth_view, softmax_view

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FLOOR = str(ROOT / "benchmarks" / "floor_app.py")


def specs(at: AppTest) -> list[str]:
    return [el.proto.spec for el in at.get("plotly_chart")]


def open_floor(figure: str) -> AppTest:
    at = AppTest.from_file(FLOOR, default_timeout=60)
    at.query_params["figure"] = figure
    at.run()
    assert not at.exception
    return at


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def test_softmax_floor_draws_the_pages_charts_before_and_after_a_move():
    page, floor = open_page("pages/softmax.py"), open_floor("softmax_all")
    assert len(specs(floor)) == 6
    assert specs(floor) == specs(page)

    t = softmax_view.TEMPERATURES[softmax_view.TEMPERATURES.index(1.0) + 3]
    page.select_slider(key="temperature").set_value(t).run()
    before = specs(floor)
    floor.select_slider(key="v").set_value(t).run()
    assert specs(floor) != before  # the move changed the floor's charts ...
    assert specs(floor) == specs(page)  # ... into the page's


@pytest.mark.parametrize("depth", [depth_view.DEFAULTS["depth"] + 1, 7])
def test_depth_floor_draws_the_pages_charts_before_and_after_a_move(depth):
    page, floor = open_page("pages/depth.py"), open_floor("depth_all")
    assert len(specs(floor)) == 4
    assert specs(floor) == specs(page)

    page.slider(key="depth").set_value(depth).run()
    before = specs(floor)
    floor.slider(key="v").set_value(depth).run()
    assert specs(floor) != before
    assert specs(floor) == specs(page)


def test_sampling_floor_draws_the_bars_a_temperature_move_redraws():
    page, floor = open_page("pages/sampling.py"), open_floor("sampling_all")
    assert len(specs(floor)) == 1
    assert specs(floor) == specs(page)[:1]  # the bars; the attention charts are not redrawn

    t = softmax_view.TEMPERATURES[softmax_view.TEMPERATURES.index(1.0) + 3]
    page.select_slider(key="temperature").set_value(t).run()
    before = specs(floor)
    floor.select_slider(key="v").set_value(t).run()
    assert specs(floor) != before
    assert specs(floor) == specs(page)[:1]


def test_sampling_sweep_floor_is_the_pages_sweep():
    page = AppTest.from_file(APP, default_timeout=60)
    page.query_params["t_sweep"] = "true"
    page.switch_page("pages/sampling.py")
    page.run()
    floor = open_floor("sampling_sweep")
    (sweep,) = specs(floor)
    assert sweep in specs(page)  # the very figure the page draws at its defaults
