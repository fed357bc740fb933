"""Browser-side helpers: wait for Streamlit to settle, find widgets by key, read Plotly lines."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

MAIN = '[data-testid="stMain"]'  # the page's body, without the sidebar
EXCEPTION = '[data-testid="stException"]'
ALERT = '[data-testid="stAlert"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
WARNING_ALERT = '[data-testid="stAlertContentWarning"]'
# state.warn_about's message about rejected link values (other warnings are page content).
LINK_WARNING_TEXT = "could not be used"
NAV_LINK = '[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]'

# True once the app is connected, no script run is under way or pending, and nothing on screen is
# stale (greyed out while waiting for the rerun that replaces it).
_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-stale="true"]')
    && !!document.querySelector('h1');
}"""

# The SVG path ("d") of the line of the trace named NAME in the first Plotly chart under the
# element matching SELECTOR (looked up on every call: a rerun may replace the element).
# Plotly binds each trace's calcdata to its <g class="trace"> (d3's __data__), which names it.
_TRACE_D_JS = """([selector, name]) => {
  const gd = document.querySelector(selector + ' .js-plotly-plot');
  if (!gd) return null;
  for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
    const cd = g.__data__;
    const trace = cd && cd[0] && cd[0].trace;
    if (trace && trace.name === name) {
      const line = g.querySelector('path.js-line');
      return line ? line.getAttribute('d') : null;
    }
  }
  return null;
}"""


def settle(page: Page, timeout: float = 20_000) -> None:
    """Wait until Streamlit has finished the current run and redrawn."""
    page.wait_for_function(_SETTLED_JS, timeout=timeout)


def goto(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    settle(page)


def keyed(page: Page, key: str) -> Locator:
    """The element container of the widget or chart created with ``key=`` (class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def slider_thumb(page: Page, key: str) -> Locator:
    """The focusable thumb of the slider with this key (Streamlit ≥1.5x: an <input type=range>,
    role slider, inside a react-aria slider; there is no element with an explicit role=slider)."""
    return keyed(page, key).locator('[data-testid="stSlider"] input[type="range"]').first


def press_on_slider(page: Page, key: str, key_name: str = "ArrowRight", times: int = 3) -> None:
    thumb = slider_thumb(page, key)
    thumb.focus()
    for _ in range(times):
        page.keyboard.press(key_name)


def slider_value(page: Page, key: str) -> float:
    return float(slider_thumb(page, key).input_value())


def chart(page: Page, key: str) -> Locator:
    """The rendered Plotly chart drawn with ``st.plotly_chart(..., key=key)``."""
    return keyed(page, key).locator(".js-plotly-plot").first


def wait_for_lines(page: Page, key: str) -> Locator:
    """Wait until the chart with this key has drawn at least one line; returns the chart."""
    plot = chart(page, key)
    expect(plot.locator(".scatterlayer .trace path.js-line").first).to_be_attached()
    return plot


def wait_for_chart(page: Page, key: str) -> Locator:
    """Wait until the chart with this key has drawn its data (a line, a bar, a heatmap or a layout
    image such as the training page's decision surfaces); returns it."""
    plot = chart(page, key)
    drawn = (
        ".scatterlayer .trace path.js-line, .barlayer .trace path, .heatmaplayer image, "
        ".imagelayer image"
    )
    expect(plot.locator(drawn).first).to_be_attached()
    return plot


def trace_d(page: Page, chart_key: str, name: str) -> str | None:
    """The SVG path of the line of the trace ``name`` in the chart ``chart_key``."""
    return page.evaluate(_TRACE_D_JS, [f".st-key-{chart_key}", name])


def wait_for_trace_change(page: Page, chart_key: str, name: str, before: str | None) -> str:
    """Wait until the line of trace ``name`` differs from ``before``; returns the new path."""
    page.wait_for_function(
        f"([selector, name, before]) => {{ const d = ({_TRACE_D_JS})([selector, name]); "
        "return d !== null && d !== before; }",
        arg=[f".st-key-{chart_key}", name, before],
    )
    settle(page)
    after = trace_d(page, chart_key, name)
    assert after is not None
    return after


def nav_titles(page: Page) -> list[str]:
    """The page titles the sidebar navigation lists (icons' ligature text left out)."""
    links = page.locator(NAV_LINK)
    expect(links.first).to_be_visible()
    labels = links.locator('[data-testid="stMarkdownContainer"]')
    return [t.strip() for t in labels.all_inner_texts()]


def selectbox_text(page: Page, key: str) -> str:
    """The option a selectbox shows (its combobox input's value, the formatted label)."""
    return keyed(page, key).locator("input[role='combobox']").input_value()


def font_size_px(locator: Locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def link_warning(page: Page) -> Locator:
    """The warning listing the link's rejected values."""
    return page.locator(WARNING_ALERT, has_text=LINK_WARNING_TEXT)


def assert_no_exception(page: Page) -> None:
    expect(page.locator(EXCEPTION)).to_have_count(0)


def horizontal_overflow(page: Page) -> dict[str, float]:
    """Widths that show whether the page scrolls sideways (document and main block)."""
    return page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]');
          return {
            doc: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            main: main ? main.scrollWidth : 0,
            mainClient: main ? main.clientWidth : 0,
          };
        }"""
    )


class Deltas:
    """The elements and blocks the server sends to this tab (its websocket, decoded)."""

    def __init__(self, page: Page) -> None:
        self.received: list = []
        self.sequence: list[
            str
        ] = []  # every message's type, in order ("delta", "page_info_changed")
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def clear(self) -> None:
        self.received.clear()
        self.sequence.clear()

    def _on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            self.sequence.append(msg.WhichOneof("type"))
            if msg.WhichOneof("type") == "delta":
                self.received.append(msg.delta)

    def kinds(self) -> list[str]:
        """``new_element``s by type (``markdown: <text>`` for text), blocks as ``block <type>``."""
        out = []
        for delta in self.received:
            if delta.WhichOneof("type") == "add_block":
                out.append(f"block {delta.add_block.WhichOneof('type')}")
            elif delta.WhichOneof("type") == "new_element":
                element = delta.new_element
                kind = element.WhichOneof("type")
                out.append(f"markdown: {element.markdown.body}" if kind == "markdown" else kind)
        return out


def chart_title(page: Page, key: str) -> str:
    return keyed(page, key).locator(".gtitle").first.text_content() or ""


def copied_link(page: Page, expected: str = "") -> str:
    """Open the popover, read the link it shows (once it contains ``expected``), close it."""
    page.get_by_role("button", name="Copy link to this view").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code').first
    expect(code).to_be_visible()
    expect(code).to_contain_text(expected)
    text = code.inner_text().strip()
    page.keyboard.press("Escape")
    expect(code).to_be_hidden()
    return text


def element_counts(page: Page, kinds: dict[str, str]) -> dict[str, int]:
    """How many elements of each kind (name → CSS selector) the page's body shows: a slider move
    must not add or drop any (nothing drawn twice, nothing left out)."""
    return {name: page.locator(f"{MAIN} {css}").count() for name, css in kinds.items()}
