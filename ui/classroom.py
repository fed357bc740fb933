"""Classroom tools every page shares: presenter view, focused links, copy link, CSV export,
text summaries, quiz seeds and scores, framework snippets.

A teacher shares ``?present=1`` for the projector (larger type, thicker lines) and
``?only=param_alpha`` (comma-separated widget keys) for a link that shows students exactly one
control while every other setting stays fixed at the link's values.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from activations import ACTIVATIONS, Activation
from ui import state

PRESENT_KEY = "present"
ONLY_KEY = "only"
_SCORES = "_quiz_scores"
_WIDGET_KEY = r"[a-z_][a-z0-9_]{0,40}"

_PRESENTER_CSS = """
<style>
[data-testid="stAppViewContainer"] { font-size: 1.3rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"] { font-size: 1.15rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 3.2rem !important; }
h1 { font-size: 3rem !important; }
</style>
"""


_ONLY_IGNORED = "_only_ignored_message"  # the message about an only= that named no control


@dataclass(frozen=True)
class Classroom:
    """How the current page is shown: presenter view, and which controls a link leaves visible.

    ``asked`` collects every control key the page asked :meth:`hides` about during this run, so
    that :meth:`check_only` can name the keys of ``only=`` that are no control of this page.
    """

    present: bool
    only: frozenset[str] | None
    given: tuple[str, ...] = ()  # the keys only= named, as written (valid or not)
    notice: DeltaGenerator | None = field(default=None, compare=False)
    asked: set[str] = field(default_factory=set, compare=False)

    def __deepcopy__(self, memo: dict) -> Classroom:
        # A fragment's arguments are deep-copied on each of its reruns: this run's record (and
        # its notice slot) is shared, not copied.
        return self

    def hides(self, key: str) -> bool:
        """True when a focused link (``?only=...``) leaves the control ``key`` out."""
        self.asked.add(key)
        return self.only is not None and key not in self.only

    def check_only(self) -> None:
        """Call last on a page: say which keys of ``only=`` name no control here.

        When none does, every control was hidden: ``only`` is dropped from the link and the
        page reruns with every control shown, saying why. Otherwise the keys it names still
        apply, and the others are listed under the page's caption.
        """
        if not self.given:
            return
        known = set(self.asked)
        if state.ACTIVATION_KEY in known:  # another activation's parameters are this page's too
            known |= {state.param_key(p.name) for a in ACTIVATIONS.values() for p in a.params}
        unknown = [k for k in self.given if k not in known]
        if not unknown:
            return
        controls = ", ".join(sorted(self.asked)) or "none"
        named = ", ".join(state.shown(k, 30) for k in unknown)
        if self.only is None or not (self.only & known):
            st.session_state[_ONLY_IGNORED] = (
                f"only={named} names no control of this page, so every control is shown. "
                f"The controls here: {controls}."
            )
            del st.query_params[ONLY_KEY]
            st.rerun()
        if self.notice is not None:
            self.notice.warning(
                state.literal_outside_code(
                    f"only= names {named}, which is no control of this page (ignored). "
                    f"The controls here: {controls}."
                ),
                icon=":material/link_off:",
            )


def _split_only(raw: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k.strip() for k in (raw or "").split(",") if k.strip()))


def _parse_only(raw: str | None) -> frozenset[str] | None:
    valid = {k for k in _split_only(raw) if re.fullmatch(_WIDGET_KEY, k)}
    return frozenset(valid) if valid else None


def setup() -> Classroom:
    """Read ``?present`` and ``?only``, draw the presenter toggle, style the page for it.

    Call once per page, right after ``routing.ensure_router()``, and :meth:`Classroom.check_only`
    at the end. The constant CSS is ours; no user text ever reaches ``unsafe_allow_html``.
    """
    problems = state.check_query_params({PRESENT_KEY: state.boolean()})
    state.warn_about(problems)
    ignored = st.session_state.pop(_ONLY_IGNORED, None)
    if ignored:
        st.warning(state.literal_outside_code(ignored), icon=":material/link_off:")
    with st.sidebar:
        present = state.url_toggle(
            "Presenter view",
            key=PRESENT_KEY,
            default=False,
            help="Larger type and thicker lines for a projector. Shared links keep it.",
        )
    raw_only = state.single_value(ONLY_KEY)
    only = _parse_only(raw_only)
    if present:
        st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)
    notice = None
    if raw_only:
        notice = st.empty()  # check_only's message, if only= names keys this page lacks
    if only is not None:
        st.caption(
            "This link shows only some controls; the others are fixed by the link. "
            "Open the page from the menu to see them all."
        )
    return Classroom(present=present, only=only, given=_split_only(raw_only), notice=notice)


def current_link() -> str:
    """The full URL of the current view: page address plus the current query string."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode({k: st.query_params[k] for k in st.query_params})
    return f"{base}?{query}" if query else base


COPY_LINK_KEY = "copy_link"


def copy_link() -> None:
    """A "Copy link to this view" control: the URL in a code block, which has a copy button.

    The popover is filled only while it is open (``on_change="rerun"``): a slider move then does
    not send its contents, which nobody sees until they open it.
    """
    popover = st.popover(
        "Copy link to this view", icon=":material/link:", key=COPY_LINK_KEY, on_change="rerun"
    )
    if popover.open:
        with popover:
            st.caption("Everything on this page is in the link: paste it into a slide or chat.")
            st.code(current_link(), language=None, wrap_lines=True)


# --- export -------------------------------------------------------------------------------------


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): =, +, -, @, a tab
#: or a carriage return first in a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def csv_cell(value: object) -> object:
    """One CSV cell that no spreadsheet runs as a formula.

    Numbers stay numbers: a float is written in full (``repr``), and a *text* cell that is a
    plain decimal number (``"-1.5"``, ``"2e-3"``) is left as it is, since a spreadsheet reads it
    as that number, not as a formula. Any other text that starts, after spaces or quotes, with
    one of :data:`FORMULA_START` gets a leading ``'`` (OWASP's advice), which spreadsheets show as
    text: ``=1+1`` → ``'=1+1``, ``-cmd|' /C calc'!A0`` → ``'-cmd|…``.
    """
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (bool, int, np.integer, np.bool_)) or value is None:
        return value
    # A lone CR would end the row in a spreadsheet but not make the writer quote the cell (it
    # quotes for "\n"): it becomes "\n", inside the quoted cell.
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        return text
    if text.lstrip(' "').startswith(FORMULA_START):
        return "'" + text
    return text


def _settings_value(value: object) -> str:
    # A settings line is "# key: value" on one line; a spreadsheet opening the file splits it at
    # commas, so each comma-separated piece is a cell of its own and is made safe as one.
    text = " ".join(str(value).splitlines()).replace("\r", " ")
    return ",".join(str(csv_cell(piece)) for piece in text.split(","))


def to_csv(columns: Mapping[str, Iterable[float]], settings: Mapping[str, object]) -> str:
    """CSV text: ``# key: value`` settings lines, a header row, then one row per point.

    Every cell, settings included, goes through :func:`csv_cell`: text a link or a typed field
    carried (a class label, say) never reaches a spreadsheet as a formula.
    """
    out = io.StringIO()
    for key, value in settings.items():
        out.write(f"# {_settings_value(key)}: {_settings_value(value)}\n")
    arrays = {name: np.asarray(list(values)) for name, values in columns.items()}
    lengths = {len(a) for a in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns have different lengths: {sorted(lengths)}")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in arrays])
    for row in zip(*arrays.values(), strict=True):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def read_csv(text: str) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """Parse :func:`to_csv` output back: (settings, columns); numeric columns as float64."""
    lines = text.splitlines()
    settings: dict[str, str] = {}
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("# "):
            body_start = i
            break
        key, _, value = line[2:].partition(": ")
        settings[key] = value
    rows = list(csv.reader(io.StringIO("\n".join(lines[body_start:]))))  # quoted line breaks
    header, data = rows[0], rows[1:]
    columns: dict[str, np.ndarray] = {}
    for j, name in enumerate(header):
        raw = [row[j] for row in data]
        try:
            columns[name] = np.array([float(v) for v in raw], dtype=np.float64)
        except ValueError:
            columns[name] = np.array(raw, dtype=object)
    return settings, columns


@dataclass(frozen=True)
class Table:
    """What a CSV download holds: named columns, and the settings written as ``# key: value``
    lines above them. Either may be a function returning it, so that it is computed only on a
    click, not on every move."""

    columns: Mapping[str, Iterable[float]] | Callable[[], Mapping[str, Iterable[float]]]
    settings: Mapping[str, object] | Callable[[], Mapping[str, object]]

    def csv(self) -> str:
        columns = self.columns() if callable(self.columns) else self.columns
        return to_csv(columns, self.settings() if callable(self.settings) else self.settings)


class LatestTable:
    """The :class:`Table` a page's CSV button serves, replaced by the page's fragment on each run.

    The button is drawn by the full page run, outside the fragment, so that a slider move does not
    re-send it (with the copy-link popover and their row: three messages per move, to every
    student). Its contents still follow every move: the fragment writes the current table here,
    and the button's deferred build reads it when clicked. That build runs on another thread,
    outside any script run, where ``st.session_state`` cannot be read; so it holds this box
    itself, which the session keeps in ``st.session_state`` (:func:`latest_table`). One attribute
    assignment replaces the table, so a click reads either the old table or the new one, whole.
    """

    __slots__ = ("table",)

    def __init__(self) -> None:
        self.table: Table | None = None

    def csv(self) -> str:
        if self.table is None:  # the page draws the button after its fragment has run
            raise RuntimeError("no table yet: the fragment that fills it has not run")
        return self.table.csv()


def latest_table(key: str) -> LatestTable:
    """This session's :class:`LatestTable` named ``key`` (created on first use)."""
    state_key = f"_latest_table_{key}"
    box = st.session_state.get(state_key)
    if not isinstance(box, LatestTable):
        box = st.session_state[state_key] = LatestTable()
    return box


def csv_download(
    label: str,
    table: Table | LatestTable,
    file_name: str,
    key: str,
    help: str | None = None,
) -> None:
    """A download button for ``table`` as CSV (:func:`to_csv`), built only when clicked.

    Streamlit runs the build on the click, on another thread and outside the script run, so what
    it reads must not need ``st.*``: a :class:`Table`, or a :class:`LatestTable` a fragment keeps
    current.
    """
    st.download_button(
        label,
        data=table.csv,
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
        help=help,
    )


def export_row(label: str, file_name: str, key: str, help: str | None = None) -> None:
    """The page's export row: the CSV of the table a fragment keeps in :func:`latest_table`
    (``key``), and the copy link.

    Drawn by the page, not by the fragment, so a slider move does not re-send it: the CSV is
    built on the click from the table the fragment last wrote, and the copy link reads the URL,
    which the fragment keeps current, when it is opened.
    """
    with st.container(horizontal=True, gap="small"):
        csv_download(label, latest_table(key), file_name, key=key, help=help)
        copy_link()


def summary(text: str) -> None:
    """The one-sentence text summary under a chart (screen readers; washed-out projectors)."""
    st.caption(text)


# --- predict, then reveal -----------------------------------------------------------------------


def quiz_seed(key: str = "quiz_seed") -> int:
    """The quiz's seed, from the URL (so a shared link asks the same question) or fresh.

    Draws a "New question" button that picks another seed.
    """
    raw = st.query_params.get(key, "")
    # ASCII digits only: "²" passes str.isdigit and int() refuses it; "٣" int() reads as 3.
    seed = int(raw) if re.fullmatch(r"[0-9]{1,9}", raw, re.ASCII) else None
    if st.button("New question", key=f"{key}_new", icon=":material/casino:"):
        seed = None
    if seed is None:
        seed = random.randrange(1, 1_000_000)
    st.query_params[key] = str(seed)
    return seed


def record_answer(quiz_id: str, correct: bool) -> None:
    """Count one answer to the question ``quiz_id`` (once per question: re-answers don't count)."""
    scores = st.session_state.setdefault(_SCORES, {})
    if quiz_id in scores:
        return
    scores[quiz_id] = bool(correct)


def score(prefix: str = "") -> tuple[int, int]:
    """(right, asked) over the questions whose id starts with ``prefix`` in this session."""
    answers = [v for k, v in st.session_state.get(_SCORES, {}).items() if k.startswith(prefix)]
    return sum(answers), len(answers)


# --- framework code ------------------------------------------------------------------------------


def snippet_tabs(activation: Activation, params: Mapping[str, float]) -> None:
    """PyTorch, Keras and JAX code for the current activation and parameters, each copyable."""
    torch_tab, keras_tab, jax_tab = st.tabs(["PyTorch", "Keras", "JAX"])
    with torch_tab:
        st.code(activation.snippet("pytorch", **params), language="python")
    with keras_tab:
        st.code(activation.snippet("keras", **params), language="python")
    with jax_tab:
        st.code(activation.snippet("jax", **params), language="python")
