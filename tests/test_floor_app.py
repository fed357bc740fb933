"""The benchmarks' like-for-like floors draw exactly the charts their page redraws on a move.

``benchmarks/floor_app.py?figure=softmax_all`` and ``?figure=depth_all`` are what the browser and
server benchmarks compare the softmax and depth pages with (docs/PERFORMANCE.md). The comparison
is only fair if a floor sends the very charts the page sends, no more and no fewer: here the
floor and the page, at their defaults and after the same slider move, must draw the same Plotly
specs (the JSON Streamlit sends), in the page's order.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import depth_view, softmax_view

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FLOOR = str(ROOT / "benchmarks" / "floor_app.py")


def specs(at: AppTest) -> list[str]:
    return [el.proto.spec for el in at.get("plotly_chart")]


def open_floor(figure: str, **query: str) -> AppTest:
    at = AppTest.from_file(FLOOR, default_timeout=60)
    at.query_params["figure"] = figure
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("page_query", "floor_query", "charts"),
    [({}, {}, 3), ({"sparse": "true"}, {"sparse": "1"}, 6)],  # the sparse comparison off / on
)
def test_softmax_floor_draws_the_pages_charts_before_and_after_a_move(
    page_query, floor_query, charts
):
    page = open_page("pages/softmax.py", **page_query)
    floor = open_floor("softmax_all", **floor_query)
    assert len(specs(floor)) == charts
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
    assert len(specs(floor)) == 5
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


def element_count(node) -> int:
    """Elements and blocks under ``node`` (an AppTest block), at every depth."""
    children = getattr(node, "children", {}).values()
    return sum(1 + element_count(child) for child in children)


def latency_benchmark():
    path = ROOT / "benchmarks" / "bench_browser_latency.py"
    spec = importlib.util.spec_from_file_location("bench_browser_latency", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_sampling_fragment_floor_draws_the_pages_bars_before_and_after_a_move():
    page = open_page("pages/sampling.py")
    floor = open_floor("sampling_all", fragment="1")
    assert specs(floor) == specs(page)[:1]

    t = softmax_view.TEMPERATURES[softmax_view.TEMPERATURES.index(1.0) - 2]
    page.select_slider(key="temperature").set_value(t).run()
    before = specs(floor)
    floor.select_slider(key="v").set_value(t).run()
    assert specs(floor) != before
    assert specs(floor) == specs(page)[:1]


def test_sampling_plain_floor_shows_as_many_elements_as_the_page():
    """``floor_sampling_plain`` stands for the page's size: it must show as many elements (blocks
    included) in its main area as /sampling does at its defaults. If this fails after a change
    to the page, set ``PAGE_ELEMENTS`` in benchmarks/bench_browser_latency.py to the page's
    count."""
    bench = latency_benchmark()
    n = bench.PAGE_ELEMENTS
    page = open_page("pages/sampling.py")
    assert element_count(page.main) == n

    case = bench.CASES["floor_sampling_plain"]
    query = dict(kv.split("=") for kv in case.path.split("?", 1)[1].split("&"))
    floor = open_floor(query.pop("figure"), **query)
    assert specs(floor) == specs(page)[:1]  # the page's bars, and ...
    assert len(floor.markdown) == n  # ... as many plain elements as the page has
    # and nothing else: the fragment's block, its slider and the chart
    assert element_count(floor.main) == n + 3
