"""Every page, every URL key it reads, every hostile payload (tests/hostile_links.py).

The pages come from ``ui.routing.PAGE_SPECS`` and each page's URL keys from running it once
with recording wrappers around the helpers that read the URL (``state.check_query_params``'s
check tables, the ``url_*`` widgets, ``state.single_value``): a page or a key added later is
in the sweep without editing this file. Each payload goes into every key of a page at once,
twice: as it is, and with ``quiz=true`` and ``activation=elu`` (so the quiz's seed and the
parameters' keys are read too). The page must not raise, must show every payload only as
literal text, and what it keeps in the URL must be valid.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.hostile_links import MARK, PAYLOADS, markdown_problems
from ui import routing, state

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [spec[0] for spec in routing.PAGE_SPECS]
#: Keys a page reads that no table names: set by the pages' own code paths.
ALWAYS = ("present", "only", "quiz_seed")
_READERS = ("url_slider", "url_toggle", "url_text_input", "url_selectbox", "single_value")


def _open(page: str, query: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page(page)
    return at.run()


@functools.cache
def url_keys(page: str) -> tuple[str, ...]:
    """The URL keys ``page`` reads, found by running it (with its quiz on, and an activation
    that has parameters) under recording wrappers."""
    seen: dict[str, None] = dict.fromkeys(ALWAYS)
    mp = pytest.MonkeyPatch()
    real_check = state.check_query_params

    def recording_check(checks):
        seen.update(dict.fromkeys(checks))
        return real_check(checks)

    def recorder(real):
        def wrapper(*args, **kwargs):
            key = kwargs.get("key", args[0] if real.__name__ == "single_value" else None)
            if key is not None:
                seen[key] = None
            return real(*args, **kwargs)

        return wrapper

    mp.setattr(state, "check_query_params", recording_check)
    for name in _READERS:
        mp.setattr(state, name, recorder(getattr(state, name)))
    try:
        _open(page, {"quiz": "true", "activation": "elu"})
    finally:
        mp.undo()
    return tuple(seen)


def test_the_sweep_covers_every_page_and_their_keys():
    assert len(PAGES) == len(routing.PAGE_SPECS) >= 4
    assert {"depth", "width", "batch", "compare", "param_alpha"} <= set(url_keys("pages/depth.py"))
    assert {"logits", "labels", "temperature", "target"} <= set(url_keys("pages/softmax.py"))
    assert {"x_range", "probe_x", "param_alpha", "sweep"} <= set(url_keys("pages/explorer.py"))


def _elements(at: AppTest):
    kinds = ("markdown", "caption", "warning", "error", "info", "success", "subheader", "title")
    for kind in kinds:
        yield from getattr(at, kind)


def _assert_literal(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    for element in _elements(at):
        body = element.value
        if MARK in body:
            problems = markdown_problems(body)
            assert not problems, (where, problems, body[:300])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: repr(p[:24]))
def test_a_hostile_value_in_every_key_is_shown_as_literal_text(page, payload):
    keys = url_keys(page)
    for extra in ({}, {"quiz": "true", "activation": "elu"}):
        query = {**dict.fromkeys(keys, payload), **extra}
        at = _open(page, query)
        _assert_literal(at, f"{page} {extra}")
        # A value left in the URL passed its page's check: never the payload in a checked key,
        # unless the payload happens to be valid there (an empty text, a label list).
        checked = ["depth", "width", "batch", "seed", "probe_x", "temperature"]
        if extra and page != "pages/home.py":
            checked.append("quiz_seed")  # read in quiz mode only
        for key in checked:
            if key in keys and key in at.query_params and payload:
                assert at.query_params[key] != payload, (page, key, payload)


@pytest.mark.parametrize("page", ["pages/softmax.py", "pages/explorer.py", "pages/depth.py"])
@pytest.mark.parametrize("seed", ["²", "①", "٣", "１２", "12\n", " 12", "+12", "1_2"])
def test_a_quiz_seed_of_other_digits_is_replaced_not_a_crash(page, seed):
    at = _open(page, {"quiz": "true", "quiz_seed": seed})
    assert not at.exception
    new = at.query_params["quiz_seed"]
    assert new != seed and new.isascii() and new.isdigit()  # a fresh seed, ASCII digits


def test_a_link_seed_of_ascii_digits_is_kept():
    at = _open("pages/softmax.py", {"quiz": "true", "quiz_seed": "4242"})
    assert at.query_params["quiz_seed"] == "4242"


@pytest.mark.parametrize(
    ("query", "used", "reported"),
    [
        ({"depth": ["3", "500"]}, 3, "depth=`500`"),  # the valid 3 is no longer lost
        ({"depth": ["500", "3"]}, 3, "depth=`500`"),
        ({"depth": ["3", "7"]}, 7, "depth=`3` is given again later"),
        ({"depth": ["x", "y"]}, 50, "reset to its default"),
    ],
)
def test_a_repeated_key_keeps_its_last_valid_value_and_the_url_one(query, used, reported):
    at = _open("pages/depth.py", {**query, "width": "16"})
    assert not at.exception
    assert at.slider(key="depth").value == used
    kept = at.query_params.get("depth", [])
    assert kept in ([str(used)], str(used)) if used != 50 else kept in ([], None)
    assert any(reported in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_repeated_text_key_is_rewritten_to_its_last_value():
    at = _open("pages/softmax.py", {"logits": ["1, 2", "3, 4, 5"]})
    assert not at.exception
    assert at.text_input(key="logits").value == "3, 4, 5"
    assert at.query_params["logits"] in ("3, 4, 5", ["3, 4, 5"])


def test_a_repeated_activation_keeps_the_last_valid_one_and_its_parameters():
    at = _open("pages/explorer.py", {"activation": ["elu", "nope"], "param_alpha": "2"})
    assert not at.exception
    assert at.selectbox(key="activation").value == "elu"
    assert at.slider(key="param_alpha").value == 2.0
    assert at.query_params["activation"] in ("elu", ["elu"])
