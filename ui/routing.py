"""The page list the router (app.py) serves, and the guard that keeps deep links on it.

Why the guard: Streamlit decides once per server process whether the app uses the legacy
``pages/`` auto-discovery, and it decides "yes" whenever a ``pages/`` folder exists, until the
first run of ``app.py`` calls ``st.navigation``. A freshly started server whose first visitor opens
a deep link (``/softmax``) therefore runs ``pages/softmax.py`` directly with the legacy sidebar
(every file listed, "app" included) and never runs the router. Each page calls
:func:`ensure_router` first: when the router has not run, it switches legacy discovery off and
reruns, so the same URL is served through ``st.navigation`` with the right navigation.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

_ROUTED_KEY = "_routed_by_app"
CURRENT_PAGE_KEY = "_current_page"

# (file, title, url_path, icon): one line per page; app.py builds st.Page objects from these.
PAGE_SPECS: tuple[tuple[str, str, str, str], ...] = (
    ("pages/home.py", "Home", "", ":material/home:"),
    ("pages/explorer.py", "Activation explorer", "explorer", ":material/show_chart:"),
    ("pages/softmax.py", "Softmax", "softmax", ":material/bar_chart:"),
    ("pages/depth.py", "Gradient through depth", "depth", ":material/stacked_line_chart:"),
    ("pages/training.py", "Training lab", "training", ":material/model_training:"),
    ("pages/sampling.py", "Softmax in language models", "sampling", ":material/chat:"),
)


def pages() -> list[st.Page]:
    """The st.Page objects for st.navigation, home first and default."""
    return [
        st.Page(path, title=title, icon=icon, url_path=url_path or None, default=not url_path)
        for path, title, url_path, icon in PAGE_SPECS
    ]


def mark_routed() -> None:
    """Called by app.py on every run, before the page runs."""
    st.session_state[_ROUTED_KEY] = True


def ensure_router() -> None:
    """First line of every page: re-serve a legacy-discovered run through app.py's router."""
    if st.session_state.get(_ROUTED_KEY):
        # Which page this run serves (ui.state re-seeds widgets when it changes).
        ctx = get_script_run_ctx()
        st.session_state[CURRENT_PAGE_KEY] = ctx.page_script_hash if ctx else ""
        return
    # Only this (private, pinned) flag selects legacy discovery; st.navigation clears it too,
    # but only when app.py runs, which legacy discovery skips.
    PagesManager.uses_pages_directory = False
    st.rerun()
