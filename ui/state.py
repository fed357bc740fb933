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
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

import streamlit as st

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


def shown(text: str, limit: int = 40) -> str:
    """User text made safe to show in Markdown: truncated, code-quoted, backticks removed."""
    text = text.replace("`", "'")
    return f"`{text[:limit]}…`" if len(text) > limit else f"`{text}`"


# --- checks for raw URL values ------------------------------------------------------------------


def one_of(options: Iterable[str], what: str) -> Check:
    allowed = list(options)

    def check(raw: str) -> str | None:
        return None if raw in allowed else f"is not a known {what}"

    return check


def number_in(low: float, high: float, *, integer: bool = False) -> Check:
    def check(raw: str) -> str | None:
        kind = "a whole number" if integer else "a number"
        accepted = f"must be {kind} from {low:g} to {high:g}"
        try:
            value = int(raw) if integer else float(raw)
        except ValueError:
            return accepted
        return None if low <= value <= high else accepted

    return check


_TRUE, _FALSE = {"true", "1"}, {"false", "0"}


def boolean() -> Check:
    def check(raw: str) -> str | None:
        return None if raw.lower() in _TRUE | _FALSE else "must be true or false (or 1 or 0)"

    return check


def check_query_params(checks: Mapping[str, Check]) -> list[str]:
    """Validate the raw URL values of ``checks``'s keys; one message per rejected value.

    Call before creating the widgets: a rejected value is removed from the URL, so the widget
    falls back to its default and the link stops carrying it.
    """
    problems = []
    for key, check in checks.items():
        if key not in st.query_params:
            continue
        raw = st.query_params[key]
        reason = check(raw)
        if reason is not None:
            problems.append(f"{key}={shown(raw)} {reason}")
            del st.query_params[key]
    return problems


def warn_about(problems: list[str]) -> None:
    if problems:
        st.warning(
            "Some settings in the link could not be used and were reset to their defaults: "
            + "; ".join(problems)
            + ".",
            icon=":material/link_off:",
        )


# --- the shared activation picker ---------------------------------------------------------------


def activation_checks() -> dict[str, Check]:
    """URL checks for ``activation`` and every ``param_<name>`` of the chosen activation."""
    checks: dict[str, Check] = {ACTIVATION_KEY: one_of(ACTIVATIONS, "activation")}
    slug = st.query_params.get(ACTIVATION_KEY)
    act = ACTIVATIONS.get(slug) if slug else None
    for p in act.params if act else ():
        checks[param_key(p.name)] = number_in(p.low, p.high)
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
    # A value a callback set (never seeded here) is kept; one seeded on another page is stale.
    if key not in st.session_state or seeded_on.get(key, page) != page:
        st.session_state[key] = initial
    seeded_on[key] = page


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
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


#: Pixels of the number field beside a slider: room for "-12.345" and the +/- buttons.
NUMBER_FIELD_WIDTH = 120


def exact_key(key: str) -> str:
    """The key of the number field drawn beside the slider ``key``."""
    return f"{key}_exact"


def _copy_state(source: str, target: str) -> None:
    # on_change of one of a slider/number pair: the other follows.
    st.session_state[target] = st.session_state[source]


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
        initial = kind(raw)
    if hidden:
        return initial
    seed_widget(key, initial)
    number_key = exact_key(key)
    st.session_state[number_key] = st.session_state[key]
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
            **bounds,
            key=number_key,
            format=format,
            label_visibility="collapsed",
            on_change=_copy_state,
            args=(number_key, key),
            disabled=kwargs.get("disabled", False),
            width=NUMBER_FIELD_WIDTH,
        )
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
    raw = st.query_params.get(key)
    initial = raw if raw is not None and len(raw) <= max_chars else default
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
