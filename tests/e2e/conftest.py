"""Real-browser fixtures: `streamlit run` on 127.0.0.1 and Debian's Chromium through Playwright.

One Chromium, one browser context and one server serve the whole session; each test opens its own
tabs (each tab is its own Streamlit session), whose console errors, uncaught page errors and
dialogs are recorded and checked when the test ends. Deep-link tests ask for ``fresh_server``
instead: a new server process per test, since the legacy-navigation bug only shows on a fresh
process.

Nothing leaves the machine: every request to another host than the server is aborted (and so
shows up as a console error) except Streamlit's favicon for a ``:material/...:`` page icon, which
it loads from Google's font CDN and which is answered with a local stand-in.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
STARTUP_TIMEOUT_S = 60
TIMEOUT_MS = 20_000  # Playwright's per-action wait; a 2-core CI machine under load is slow

# The pages as (path, sidebar title, h1): the sidebar lists exactly these titles.
PAGES = (
    ("/", "Home", "Activation Lab"),
    ("/explorer", "Activation explorer", "Activation explorer"),
    ("/softmax", "Softmax", "Softmax"),
    ("/depth", "Gradient through depth", "Gradient through depth"),
    ("/training", "Training lab", "Training lab"),
    ("/sampling", "Softmax in language models", "Softmax in language models"),
)

# Streamlit's favicon for page_icon=":material/show_chart:" is fetched from Google's CDN; there is
# no network here, so it is served a local stand-in instead of failing with a console error.
_MATERIAL_ICON_CDN = re.compile(
    r"^https://fonts\.gstatic\.com/s/i/short-term/release/materialsymbolsrounded/[a-z_]+/"
)
_STAND_IN_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>'
# The Streamlit frontend opened at /explorer first probes /explorer/_stcore/health and
# /explorer/_stcore/host-config (in case the app is served under a base path), gets 404, then
# uses the root. Those two 404s are expected; any other failed resource is an error.
_BASE_PATH_PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z_]+/_stcore/(health|host-config)$")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`python -m streamlit run app.py` on 127.0.0.1 and a free port, stopped by its pid."""

    def __init__(self, log_dir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"streamlit-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
            # Community Cloud forces these three; test what students will get.
            "--client.showErrorDetails=false",
            "--runner.fastReruns=true",
            "--server.enableXsrfProtection=true",
        ]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def _start_server(tmp_dir: Path) -> Iterator[StreamlitServer]:
    server = StreamlitServer(tmp_dir)
    try:  # stopped also when startup fails half-way
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """One server for most tests."""
    yield from _start_server(tmp_path_factory.mktemp("streamlit"))


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server process nobody has visited yet (deep-link tests)."""
    yield from _start_server(tmp_path)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (Debian: apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"browser tests need Chromium: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.console_errors or self.page_errors or self.dialogs)

    def report(self) -> str:
        return (
            f"console errors: {self.console_errors}\n"
            f"uncaught page errors: {self.page_errors}\n"
            f"dialogs opened: {self.dialogs}"
        )


def _on_console(problems: Problems, msg) -> None:
    if msg.type != "error":
        return
    url = (msg.location or {}).get("url", "")
    not_found = "Failed to load resource: the server responded with a status of 404"
    if msg.text.startswith(not_found) and _BASE_PATH_PROBE.match(url):
        return
    problems.console_errors.append(f"{msg.text} [{url}]")


def _route_outside(route) -> None:
    if _MATERIAL_ICON_CDN.match(route.request.url):
        route.fulfill(status=200, content_type="image/svg+xml", body=_STAND_IN_ICON)
    else:
        route.abort()


def _is_outside(url: str) -> bool:
    return not url.startswith("http://127.0.0.1:")


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the session, so Plotly's large bundle is fetched and compiled once
    (its HTTP and code caches are shared); each test still opens its own tab, and each tab is its
    own Streamlit session."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.route(_is_outside, _route_outside)
    try:
        yield ctx
    finally:
        ctx.close()


class Tab:
    """A browser tab plus what went wrong in it."""

    def __init__(self, context, viewport: dict[str, int], color_scheme: str = "light") -> None:
        self.problems = Problems()
        self.page = context.new_page()
        self.page.set_viewport_size(viewport)
        self.page.emulate_media(color_scheme=color_scheme)
        self.page.on("console", lambda msg: _on_console(self.problems, msg))
        self.page.on("pageerror", lambda exc: self.problems.page_errors.append(str(exc)))
        self.page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog) -> None:
        self.problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_tab(context) -> Iterator:
    """``open_tab(viewport=..., color_scheme=...)`` -> a new :class:`Tab`; every tab is checked
    for console errors, uncaught page errors and dialogs when the test ends."""
    opened: list[Tab] = []

    def _open(viewport: dict[str, int] = DESKTOP, color_scheme: str = "light") -> Tab:
        t = Tab(context, viewport, color_scheme)
        opened.append(t)
        return t

    yield _open
    problems = [t.problems.report() for t in opened if t.problems]
    for t in opened:
        t.close()
    if problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def tab(open_tab) -> Tab:
    """A desktop-sized tab (1440×900)."""
    return open_tab()
