"""Widget state that lives in the URL and carries between pages, validated before use.

Every widget that defines the view is mirrored in the query string by the ``url_*`` helpers: the
URL gives the widget's initial value, and each run writes the current value back (default values
are left out to keep links short), so a copied link reopens the same view. They sync by hand
rather than with ``bind="query-params"`` because a bound selectbox stores its *label* in the URL
and a value set from code never reaches the URL. :func:`check_query_params` reads the raw URL
before the widgets exist and returns one message per rejected value ("depth=999999 must be a
whole number from 1 to 200"); rejected values fall back to defaults. Tampered text is only ever
shown code-quoted and truncated.

The chosen activation and each activation's parameters are also kept in ``st.session_state``
(outside the widgets, which Streamlit forgets on a page switch), so the explorer and the depth
page share them.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from activations import ACTIVATIONS, Activation, Param
from ui import routing

ACTIVATION_KEY = "activation"
_SHARED_SLUG = "_shared_activation"
_SHARED_PARAMS = "_params_by_activation"
_SEEDED_ON = "_widget_seeded_on_page"  # widget key -> the page whose run last seeded it

Check = Callable[[str], str | None]  # raw text -> None if acceptable, else what is accepted


def param_key(name: str) -> str:
    """The widget key (and URL parameter) of an activation parameter: ``param_alpha``."""
    return f"param_{name}"


#: Control and format characters (newlines, tabs, bidi overrides, zero-width marks) as the
#: visible escapes :func:`visible` writes for them.
_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """``text`` with every control or format character written as a visible escape (``\\n``,
    ``\\u202e``): nothing a link carries can break a line, start a Markdown block or reorder
    the text around it."""
    return "".join(
        _NAMED_CONTROLS.get(c, f"\\u{ord(c):04x}") if unicodedata.category(c).startswith("C") else c
        for c in text
    )


def shown(text: str, limit: int = 40) -> str:
    """User text made safe to show in Markdown, as literal text: truncated, code-quoted.

    Inside a code span Markdown renders nothing (no link, image, heading, emphasis, LaTeX, colour
    or HTML); the span cannot be closed early (backticks become ``'``) nor left (line breaks and
    other control characters are written as visible escapes, :func:`visible`).
    """
    cut = text[:limit]
    # Streamlit's frontend rewrites ":material/name:" even inside a code span (to
    # ":material_name:"): a zero-width space after the colon keeps the text as it was typed.
    quoted = visible(cut).replace("`", "'").replace(":material/", ":\u200bmaterial/")
    return f"`{quoted}…`" if len(text) > limit else f"`{quoted}`"


_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
# Every character Markdown reads inside a line (emphasis, code, links, images, HTML, entities,
# LaTeX, Streamlit's :colour[…] and :icon:, strikethrough, table pipes), except an underscore
# inside a word (``t_sweep``), which CommonMark never reads as emphasis. Block markers (#, >, -,
# =, 1.) act only at the start of a line, and :func:`visible` leaves no line breaks.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*\[\]()!<>&$:~|{}^]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def md_literal(text: str) -> str:
    """Any one-line text made literal in Markdown: every character Markdown reads inside a line
    backslash-escaped (CommonMark allows it for any punctuation), control characters made
    visible. (A bare URL still shows as a link in Streamlit's Markdown: user text goes through
    :func:`shown` instead.)"""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", visible(text))


def literal_outside_code(message: str) -> str:
    """``message`` with everything outside its code spans (what :func:`shown` made) escaped by
    :func:`md_literal`: a message built from user text without :func:`shown` still renders as
    text."""
    # (visible() writes shown()'s own zero-width space as \u200b: put it back)
    message = visible(message).replace(":\\u200bmaterial/", ":\u200bmaterial/")
    parts = _CODE_SPAN.split(message)
    return "".join(part if i % 2 else md_literal(part) for i, part in enumerate(parts))


# --- checks for raw URL values ------------------------------------------------------------------


def one_of(options: Iterable[str], what: str) -> Check:
    allowed = list(options)

    def check(raw: str) -> str | None:
        return None if raw in allowed else f"is not a known {what}"

    return check


#: Numbers a link may carry: ASCII digits only, an optional sign, decimals and an exponent.
#: Python's ``int()`` and ``float()`` also read other scripts' digits ("٣", "１２"), superscripts
#: pass ``str.isdigit`` ("²", which ``int()`` then refuses), and they accept "1_000", "inf" and
#: surrounding spaces: a link is held to the plain form a person would type.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def parse_number(raw: str, *, integer: bool = False) -> float | int | None:
    """``raw`` as a finite number (an ``int`` when ``integer``), or None.

    Only ASCII digits are read (``"٣"``, ``"１２"``, ``"²"`` are not numbers here), with an
    optional sign; a decimal may have a point and an exponent (``1e-3``). None for anything
    else, and for a decimal too large for float64 (``1e400``).
    """
    if integer:
        return int(raw) if _INTEGER.fullmatch(raw) else None
    if len(raw) > 64 or not _DECIMAL.fullmatch(raw):
        return None
    value = float(raw)  # safe: raw is a plain decimal literal
    return value if math.isfinite(value) else None


def number_in(low: float, high: float, *, integer: bool = False) -> Check:
    def check(raw: str) -> str | None:
        kind = "a whole number" if integer else "a number"
        accepted = f"must be {kind} from {low:g} to {high:g} (ASCII digits)"
        value = parse_number(raw, integer=integer)
        if value is None:
            return accepted
        return None if low <= value <= high else accepted

    return check


_TRUE, _FALSE = {"true", "1"}, {"false", "0"}


def boolean() -> Check:
    def check(raw: str) -> str | None:
        return None if raw.lower() in _TRUE | _FALSE else "must be true or false (or 1 or 0)"

    return check


#: Occurrences of one repeated key named in the warning; the rest are counted.
MAX_REPORTED = 5


def check_query_params(checks: Mapping[str, Check]) -> list[str]:
    """Validate the raw URL values of ``checks``'s keys; one message per rejected value.

    Call before creating the widgets: a rejected value is removed from the URL, so the widget
    falls back to its default and the link stops carrying it. A key given more than once
    (``?depth=3&depth=500``) follows one rule on every page: the last valid occurrence wins, the
    URL is rewritten to that single value, and each occurrence left out is reported.
    """
    problems = []
    for key, check in checks.items():
        if key not in st.query_params:
            continue
        values = st.query_params.get_all(key)
        reasons = [check(raw) for raw in values]
        kept = next((i for i in reversed(range(len(values))) if reasons[i] is None), None)
        outcome = (
            "reset to its default"
            if kept is None
            else f"the last valid value in the link, {shown(values[kept])}, is used"
        )
        left_out = [
            f"{key}={shown(raw)} {reason}: {outcome}"
            if reason is not None
            else f"{key}={shown(raw)} is given again later: {outcome}"
            for i, (raw, reason) in enumerate(zip(values, reasons, strict=True))
            if i != kept
        ]
        problems += left_out[:MAX_REPORTED]
        if len(left_out) > MAX_REPORTED:
            problems.append(f"{len(left_out) - MAX_REPORTED:,} more values of {key} left out")
        if kept is None:
            del st.query_params[key]
        elif len(values) > 1:
            st.query_params[key] = values[kept]
    return problems


LINK_WARNING = "Some settings in the link could not be used"


def warn_about(problems: list[str]) -> None:
    """One warning listing ``problems`` (from :func:`check_query_params`), rendered as literal
    text: user text inside them is code-quoted by :func:`shown`, and everything else is escaped
    (:func:`literal_outside_code`), so nothing a link carries can become a link, an image, a
    heading, a colour or a formula."""
    if problems:
        st.warning(
            literal_outside_code(f"{LINK_WARNING}: " + "; ".join(problems) + "."),
            icon=":material/link_off:",
        )


def single_value(key: str) -> str | None:
    """The URL's value of ``key``, rewriting a repeated key to its last occurrence (the rule of
    :func:`check_query_params`, for keys without a check: text fields, ``only``)."""
    values = st.query_params.get_all(key)
    if len(values) > 1:
        st.query_params[key] = values[-1]
    return values[-1] if values else None


# --- the shared activation picker ---------------------------------------------------------------


def activation_checks() -> dict[str, Check]:
    """URL checks for ``activation`` and every ``param_<name>`` of the chosen activation.

    A ``param_…`` the chosen activation does not have (``?activation=relu&param_alpha=2``, a
    typo, another activation's) is reported with the parameters it does have, not dropped
    silently.
    """
    checks: dict[str, Check] = {ACTIVATION_KEY: one_of(ACTIVATIONS, "activation")}
    # The activation check_query_params will keep: the last valid one (the rule for repeats).
    given = [v for v in st.query_params.get_all(ACTIVATION_KEY) if v in ACTIVATIONS]
    act = ACTIVATIONS[given[-1] if given else st.session_state.get(_SHARED_SLUG, "relu")]
    for p in act.params:
        checks[param_key(p.name)] = number_in(p.low, p.high)
    has = ", ".join(param_key(p.name) for p in act.params)
    foreign = f"is not a parameter of {act.label} ({f'it has {has}' if has else 'it has none'})"
    for key in st.query_params:
        if key.startswith("param_") and key not in checks:
            checks[key] = lambda raw, why=foreign: why
    return checks


def stored_params(slug: str) -> dict[str, float]:
    """The parameters last used with ``slug`` in this session (defaults if never used)."""
    act = ACTIVATIONS[slug]
    remembered = st.session_state.get(_SHARED_PARAMS, {}).get(slug, {})
    return {**act.param_defaults(), **remembered}


def load_params_of_chosen() -> None:
    # on_change of the selectbox: the new activation's sliders start from its remembered (or
    # default) values, not from the previous activation's same-named parameter (ELU's α is not
    # PReLU's), and not from a param_* the link carried for the previous activation.
    slug = st.session_state[ACTIVATION_KEY]
    for key in [k for k in st.query_params if k.startswith("param_")]:
        del st.query_params[key]
    for name, value in stored_params(slug).items():
        st.session_state[param_key(name)] = value


def seed_widget(key: str, initial: object) -> None:
    """Give the widget ``key`` its initial value, unless it already has one.

    Values go through ``st.session_state`` and never through a widget's ``value=``/``index=``:
    a keyed widget keeps its identity when ``value=`` changes, so a new ``value=`` would not
    reach the browser, and mixing both makes Streamlit warn. A widget is seeded again when its
    page is opened: a browser clears the previous page's widget state on a page switch, but a
    state left from another page (as AppTest keeps it) must not leak into this page's widget.
    """
    page = st.session_state.get(routing.CURRENT_PAGE_KEY)
    seeded_on = st.session_state.setdefault(_SEEDED_ON, {})
    # A value a callback set (never seeded here) is kept; one seeded on another page is stale;
    # and on Back or Forward the address wins (history_navigation).
    if key not in st.session_state or seeded_on.get(key, page) != page or history_navigation():
        st.session_state[key] = initial
    seeded_on[key] = page


def history_navigation() -> bool:
    """Whether this run is the browser's Back or Forward.

    Streamlit pushes a history entry on every URL write (each slider move writes one), and Back
    reruns the page with the older address, the widgets' newer values still in the session. The
    widgets must then take the address's values (its defaults where it has none), as Streamlit
    does for widgets bound to the URL: else the page would show one setting under the link of
    another."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


#: The URL writes :func:`urls_written_last` holds back until its function returns (per script
#: thread: each session's run has its own).
_held_url_writes: ContextVar[list[tuple[str, object, object]] | None] = ContextVar(
    "held_url_writes", default=None
)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def urls_written_last(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a fragment so that its :func:`sync_url` writes are made when it has drawn the rest.

    A URL write is a message the browser acts on as soon as it arrives (address bar, the app's
    navigation state), ahead of the charts sent after it. Written last, it lets the charts go
    first: on the softmax page the chart's new line shows ~4 ms sooner after a key press
    (49–55 ms against 54–61 ms, five runs each, benchmarks/bench_browser_latency.py). An exception
    (a rerun requested mid-run, say) drops the held writes with the run.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        held: list[tuple[str, object, object]] = []
        token = _held_url_writes.set(held)
        try:
            result = fn(*args, **kwargs)
        finally:
            _held_url_writes.reset(token)
        for key, value, default in held:
            sync_url(key, value, default)
        return result

    return wrapper


def sync_url(key: str, value: object, default: object) -> None:
    """Write ``value`` to the URL under ``key``, or drop the key when it is the default.

    Only a change is written: every write sends the browser a message, on every rerun. Inside a
    function decorated with :func:`urls_written_last`, the write waits until it returns.
    """
    held = _held_url_writes.get()
    if held is not None:
        held.append((key, value, default))
        return
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != [str(value)]:  # a repeated key becomes one value
        st.query_params[key] = str(value)


#: Pixels of the number field beside a slider: room for "-12.345" and the +/- buttons.
NUMBER_FIELD_WIDTH = 120


def exact_key(key: str) -> str:
    """The key of the number field drawn beside the slider ``key``."""
    return f"{key}_exact"


def _copy_state(source: str, target: str) -> None:
    # on_change of one of a slider/number pair: the other follows.
    st.session_state[target] = st.session_state[source]


def _valid_key(key: str) -> str:
    return f"_last_valid_{key}"


def _problem_key(key: str) -> str:
    return f"_typed_problem_{key}"


def _typed_reason(typed: object, low: float, high: float, integer: bool) -> str | None:
    if not isinstance(typed, (int, float)) or not math.isfinite(typed):
        return "the field was left empty, or what was typed is not a number this field reads"
    if not low <= typed <= high:
        return f"{typed:g} is outside the range"
    if integer and not float(typed).is_integer():
        return f"{typed:g} is not a whole number"
    return None


def _take_typed(
    field: str, target: str, label: str, low: float, high: float, integer: bool
) -> None:
    """on_change of a number field: use what was typed when it is in range, else keep the value
    in use (``target``'s, or the field's last valid one) and leave a message for the next run.

    The field has no bounds of its own, so that a browser sends every entry here: with bounds,
    an empty field or 1e400 became the minimum without a word, and an out-of-range number stayed
    on screen while the chart used the previous value.
    """
    typed = st.session_state.get(field)
    reason = _typed_reason(typed, low, high, integer)
    if field == target:  # a field of its own: the last valid value is kept aside
        kept = st.session_state.get(_valid_key(target), low)
    else:  # the field of a slider: the slider holds the value in use
        kept = st.session_state[target]
    if reason is None:
        value = int(typed) if integer else float(typed)
        st.session_state[target] = value
        if field == target:
            st.session_state[_valid_key(target)] = value
        st.session_state.pop(_problem_key(target), None)
        return
    kind = "a whole number" if integer else "a number"
    st.session_state[_problem_key(target)] = (
        f"{label}: {reason}, so it was not used. Type {kind} from {low:g} to {high:g}; "
        f"it stays {kept:g}."
    )
    if field == target:
        st.session_state[field] = kept


def typed_problem(key: str) -> None:
    """Show (once) why the number last typed for ``key`` was not used, if it was not."""
    problem = st.session_state.pop(_problem_key(key), None)
    if problem:
        st.warning(md_literal(problem), icon=":material/keyboard:")


def number_field(
    label: str,
    low: float,
    high: float,
    *,
    key: str,
    integer: bool = False,
    **kwargs,
) -> float:
    """A number input for values from ``low`` to ``high`` that never jumps silently.

    Seed it with :func:`seed_widget` first. An empty field, a number out of range or not a
    number keeps the value in use and says so (:func:`typed_problem`); see :func:`_take_typed`.
    """
    value = st.session_state.get(key)
    if isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high:
        st.session_state[_valid_key(key)] = value
    st.number_input(
        label,
        value=None,
        key=key,
        on_change=_take_typed,
        args=(key, key, label, low, high, integer),
        **kwargs,
    )
    typed_problem(key)
    return st.session_state[_valid_key(key)]


def url_slider(
    label: str,
    low: float,
    high: float,
    *,
    key: str,
    default: float,
    step: float,
    start: float | None = None,
    integer: bool = False,
    hidden: bool = False,
    format: str | None = None,  # the name st.slider and st.number_input use
    **kwargs,
) -> float:
    """A slider mirrored in the URL under ``key``, with a number field beside it.

    Its initial value is the URL's (when valid), else ``start`` (e.g. the value remembered from
    another page), else ``default``; the URL drops the key when the value equals ``default``.
    The number field (key ``<key>_exact``) is for typing an exact value; the slider is the
    widget of record, and each follows the other. ``hidden`` (a classroom link showing fewer
    controls): not drawn, the value stays fixed.
    """
    kind = int if integer else float
    initial = kind(start if start is not None else default)
    raw = st.query_params.get(key)
    if raw is not None and number_in(low, high, integer=integer)(raw) is None:
        initial = kind(parse_number(raw, integer=integer))
    if hidden:
        return initial
    seed_widget(key, initial)
    number_key = exact_key(key)
    # The number field is unbounded and float-typed, integer or not: it then hands every entry
    # (empty, 1e400, 1e3 in a whole-number field, 2.5) to _take_typed, which explains a refusal.
    st.session_state[number_key] = float(st.session_state[key])
    bounds = {"min_value": kind(low), "max_value": kind(high), "step": kind(step)}
    # One horizontal container, not st.columns: one block sent on each rerun instead of three
    # (a slider drag reruns this; every block is a message). It wraps on a narrow phone screen.
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        value = st.slider(
            label,
            **bounds,
            key=key,
            format=format,
            on_change=_copy_state,
            args=(key, number_key),
            width="stretch",
            **kwargs,
        )
        st.number_input(
            f"{label}: exact value",
            value=None,
            step=float(step),
            key=number_key,
            format=format or ("%g" if integer else None),
            label_visibility="collapsed",
            on_change=_take_typed,
            args=(number_key, key, label, low, high, integer),
            disabled=kwargs.get("disabled", False),
            width=NUMBER_FIELD_WIDTH,
        )
    typed_problem(key)
    sync_url(key, value, kind(default))
    return value


def url_toggle(
    label: str, *, key: str, default: bool = False, hidden: bool = False, **kwargs
) -> bool:
    """A toggle mirrored in the URL as ``key=true`` / ``key=false``."""
    raw = st.query_params.get(key, "")
    initial = raw.lower() in _TRUE if boolean()(raw) is None else default
    if hidden:
        return initial
    seed_widget(key, initial)
    value = st.toggle(label, key=key, **kwargs)
    sync_url(key, str(value).lower(), str(default).lower())
    return value


def url_text_input(
    label: str, *, key: str, default: str, max_chars: int, hidden: bool = False, **kwargs
) -> str:
    """A text input mirrored in the URL (values longer than ``max_chars`` are not read)."""
    raw = single_value(key)
    initial = raw if raw is not None and len(raw) <= max_chars else default
    if raw is not None and len(raw) > max_chars and key not in st.session_state:
        st.warning(
            literal_outside_code(
                f"{label}: the link's {key}= has {len(raw):,} characters, more than the "
                f"{max_chars:,} this field takes, so it was not used: {shown(raw)}"
            ),
            icon=":material/link_off:",
        )
    if hidden:
        return initial
    seed_widget(key, initial)
    value = st.text_input(label, key=key, max_chars=max_chars, **kwargs)
    sync_url(key, value, default)
    return value


def _param_slider(param: Param, start: float, *, hidden: bool = False) -> float:
    return url_slider(
        param.label,
        param.low,
        param.high,
        key=param_key(param.name),
        default=param.default,
        step=param.step,
        start=start,
        help=param.help,
        hidden=hidden,
    )


def url_selectbox(
    label: str,
    options: list[str],
    *,
    key: str,
    default: str,
    format_func: Callable[[str], str] = str,
    hidden: bool = False,
    keep_in_url: bool = False,
    **kwargs,
) -> str:
    """A selectbox whose *value* (not its label) is kept in the URL under ``key``.

    ``bind="query-params"`` would put the formatted label in the URL ("Sigmoid (logistic)") and
    ignore a slug, so the value is synced by hand: read once when the widget is new, written
    back on every run (leaving out ``default`` unless ``keep_in_url``, for values whose default
    is not fixed). Check the raw value with :func:`check_query_params` first.
    """
    raw = st.query_params.get(key)
    initial = raw if raw in options else default
    if hidden:
        return initial
    seed_widget(key, initial)
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    sync_url(key, value, None if keep_in_url else default)
    return value


def _shows_everything(key: str) -> bool:
    return False


def pick_activation(
    *, label: str = "Activation", hides: Callable[[str], bool] = _shows_everything
) -> Activation:
    """The activation selectbox (key ``activation``, in the URL).

    Without a URL value the page starts from the activation chosen last on any page of this
    session. Hidden by ``hides`` (a page's ``Classroom.hides``): fixed to the link's value.
    """
    default_slug = st.session_state.get(_SHARED_SLUG, "relu")
    slug = url_selectbox(
        label,
        list(ACTIVATIONS),
        key=ACTIVATION_KEY,
        default=default_slug,
        format_func=lambda s: ACTIVATIONS[s].label,
        on_change=load_params_of_chosen,
        hidden=hides(ACTIVATION_KEY),
        keep_in_url=True,  # its default is the last choice of the session, not a constant
    )
    st.session_state[_SHARED_SLUG] = slug
    return ACTIVATIONS[slug]


def param_sliders(
    act: Activation, *, hides: Callable[[str], bool] = _shows_everything
) -> dict[str, float]:
    """The parameter sliders of ``act`` (keys ``param_<name>``, in the URL), its full params.

    Without a URL value each starts from the value last used with ``act`` in this session. A
    ``param_*`` the link carried for another activation is dropped from the URL.
    """
    remembered = stored_params(act.name)
    for key in [k for k in st.query_params if k.startswith("param_")]:
        if key not in {param_key(p.name) for p in act.params}:
            del st.query_params[key]  # a parameter of another activation: stale in the link
    params = {}
    for p in act.params:
        params[p.name] = _param_slider(p, remembered[p.name], hidden=hides(param_key(p.name)))
    problem = act.refusal(params)
    if problem is not None:
        # A combination the entry refuses (hard tanh's min_val above max_val): the sliders keep
        # what was set, the page draws the last accepted setting and says why.
        kept = remembered if act.refusal(remembered) is None else act.param_defaults()
        st.error(refused_message(act, problem, kept).replace("_", "\\_"), icon=":material/block:")
        return kept
    st.session_state.setdefault(_SHARED_PARAMS, {})[act.name] = dict(params)
    return params


def refused_message(act: Activation, problem: str, kept: Mapping[str, float]) -> str:
    """What :func:`param_sliders` says when ``act`` refuses the sliders' combination."""
    shown_kept = ", ".join(f"{name} = {value:g}" for name, value in kept.items())
    return (
        f"{act.label}: {problem}, so this setting cannot be drawn. The charts show "
        f"{shown_kept} (the last accepted setting) until the sliders meet that condition."
    )
