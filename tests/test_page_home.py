"""The Home page: it renders, and every link points at a served page with a valid activation."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from activations import ACTIVATIONS
from ui.routing import PAGE_SPECS

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _home() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_home_renders_with_guide() -> None:
    at = _home()
    assert at.title[0].value == "Activation Lab"
    text = " ".join(m.value for m in at.markdown)
    assert "?present=true" in text
    assert "?only=param_alpha" in text


def test_links_point_at_existing_pages_and_valid_slugs() -> None:
    at = _home()
    links = at.get("page_link")
    served = {url_path for _, _, url_path, _ in PAGE_SPECS if url_path}
    assert {link.proto.page for link in links} == served  # every page is introduced
    explorer_links = [link for link in links if link.proto.page == "explorer"]
    linked = []
    for link in explorer_links:
        query = parse_qs(link.proto.query_string)
        if "activation" in query:
            (slug,) = query["activation"]
            assert slug in ACTIVATIONS, slug
            linked.append(slug)
    # The "how to choose" guide covers the output-layer and hidden-layer recommendations.
    assert {"identity", "sigmoid", "relu", "gelu", "tanh"} <= set(linked)


def test_linked_activation_opens_in_explorer() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["activation"] = "gelu"
    at.switch_page("pages/explorer.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="activation").value == "gelu"


def test_documented_classroom_links_open_without_warnings() -> None:
    """Every `?...` example the Home page gives a teacher is accepted by the explorer."""
    text = " ".join(m.value for m in _home().markdown)
    examples = re.findall(r"`([^`]*\?[^`]+)`", text)
    assert len(examples) >= 3
    for example in examples:
        query = {k: v[0] for k, v in parse_qs(example.split("?", 1)[1]).items()}
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params.update(query)
        at.switch_page("pages/explorer.py")
        at.run()
        assert not at.exception
        assert not at.warning, (example, [w.value for w in at.warning])
