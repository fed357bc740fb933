"""A corpus of hostile link values, and what a page must do with them: render them as literal text.

Each payload is what a hostile or careless link might carry in any URL key (found by the sweep of
issue #20, and the classics): Markdown that would make a link, an image, a heading or coloured
text in the app's own warning box; HTML; LaTeX; Streamlit's ``:colour[…]`` and ``:icon:``
syntax; bidi overrides; digits of other scripts that ``int()`` reads or refuses; numbers too
large for float64; spreadsheet formulas; a long paste. ``tests/test_hostile_links.py`` sends
every payload in every URL key of every page (pages and keys found by running the pages, so a
new page or key is covered as soon as it exists); ``tests/e2e/test_hostile_browser.py`` sends a
sample to a real browser.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

#: The marker every Markdown payload carries: an element showing a payload contains it.
MARK = "ZQX"

PAYLOADS: tuple[str, ...] = (
    f"\n\n![{MARK}](https://example.org/p.png)",  # an outside image, fetched by the browser
    f"\n\n[Log in again {MARK}](https://example.org/login)",  # a link in the app's warning
    f"\n# HACKED {MARK}",  # a heading
    f"\n\n:red[**{MARK}**]",  # Streamlit's coloured text, bold
    f"<script>alert('{MARK}')</script>",
    f"<img src=x onerror=alert('{MARK}')>",
    f"$\\frac{{{MARK}}}{{0}}$",  # LaTeX
    f":material/warning: {MARK} https://example.org/{MARK}",  # an icon, a bare URL
    f"`{MARK}`\n\n*{MARK}*",  # a code span closed early, emphasis
    f"\u202e{MARK}\u200b",  # a bidi override, a zero-width space
    f"&lt;b&gt;{MARK}&amp;",  # HTML entities
    f"=1+1,@SUM(1;2),{MARK},+cmd|' /C calc'!A0",  # spreadsheet formulas
    "²",  # str.isdigit() is True, int() refuses it
    "①",
    "٣",  # int() reads it as 3
    "１２",  # fullwidth: int() reads 12
    "1e400",  # beyond float64
    "-1e400",
    "nan",
    "",
    MARK * 2000,  # a long paste (6,000 characters)
)

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
#: Token types that mean Markdown made something other than text of the payload.
_ACTIVE = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "heading_open",
    "strong_open",
    "em_open",
    "s_open",
    "blockquote_open",
    "bullet_list_open",
    "ordered_list_open",
}
# Streamlit's own Markdown syntax, which it applies even to backslash-escaped text (measured: a
# "\:material/home\:" is drawn as an icon), and bare URLs, which it turns into links.
_STREAMLIT_ACTIVE = re.compile(r":[a-z]+\[|:material/|://|(?<!\\)\$")


def markdown_problems(body: str) -> list[str]:
    """What in ``body`` Markdown (CommonMark, GFM tables and strikethrough, Streamlit's own
    syntax) would render as anything but literal text of the payload; empty when it is inert.

    Only the text around :data:`MARK` is judged: a page's own Markdown elsewhere in the same
    element (its tables, its bold) is its own business.
    """
    problems = []
    for token in _MD.parse(body):
        children = token.children or []
        if token.type in _ACTIVE and token.map is not None:
            lines = body.splitlines()[token.map[0] : token.map[1]]
            if any(MARK in line for line in lines):
                problems.append(token.type)
        for i, child in enumerate(children):
            if child.type in _ACTIVE:
                # judged by what the element wraps: the payload's text up to its closing token
                inner = "".join(c.content for c in children[i : i + 4])
                if (
                    MARK in inner
                    or MARK in (child.attrs.get("src") or "")
                    or child.type
                    in {
                        "html_inline",
                        "image",
                    }
                ):
                    problems.append(f"{child.type}: {inner[:60]!r}")
            elif child.type == "text" and MARK in child.content:
                found = _STREAMLIT_ACTIVE.search(_raw_outside_code(body))
                if found:
                    problems.append(f"Streamlit syntax {found.group()!r} outside a code span")
    return sorted(set(problems))


def _raw_outside_code(body: str) -> str:
    return re.sub(r"`[^`\n]*`", "", body)
