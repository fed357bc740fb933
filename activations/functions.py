r"""The activation catalogue: every elementwise activation with its derivative and formulas.

Each entry is one frozen :class:`Activation` record holding the function, its derivative with
respect to the input, the LaTeX shown on the page, its parameters (as :class:`Param` metadata the
pages build sliders from), the PyTorch/Keras code that builds it and a short teaching note. Adding
an activation is adding one entry to ``_CATALOGUE`` below; nothing else has to change.

Conventions
-----------
* Inputs are converted to float64 (float32 is accepted); outputs have the input's shape.
* Derivatives are d f / d x with the same signature as the function.
* At a kink the derivative takes the value documented in ``kink`` (PyTorch/JAX: relu'(0) = 0;
  for clipping functions, PyTorch's: the flat piece's 0 at the clip points).
* Every formula is written so that it stays finite and warning-free for every x in
  [−1e6, 1e6]: ``expm1``/``exp`` of clipped inputs (``np.where`` evaluates both branches),
  ``logaddexp`` for softplus, ``ndtr`` for the normal CDF, and derivatives in forms that keep
  their tails (σ′ = e^{−|x|}/(1 + e^{−|x|})², not σ(1 − σ), which is 0 for x > 37).

:func:`properties` computes what a page shows about a function (range, monotonicity,
smoothness, saturation, ...) from the function itself, at the current parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Param:
    """A parameter of an activation, with the metadata a slider needs.

    ``name`` is the keyword the function takes, ``symbol`` the Greek letter or short symbol shown
    in formulas, ``label`` the slider's label ("α (alpha)", "leak slope"); ``default`` matches the
    frameworks' default, ``low``/``high``/``step`` the slider's range.
    """

    name: str
    symbol: str
    default: float
    low: float
    high: float
    step: float
    help: str
    label: str = ""

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"{self.name}: default {self.default} is outside [{self.low}, {self.high}]"
            )
        if not self.label:
            object.__setattr__(self, "label", self.symbol)


def _no_kinks(**_: float) -> tuple[float, ...]:
    return ()


#: One-sided limits at a kink are read this far from it, relative to max(1, |x|): close enough
#: that f′ has not moved (exact on linear pieces, within ~1e-7 relative on exponential ones), far
#: enough for x ± it to be distinct floats.
_SIDE = 1e-7


def _beside(points: Array) -> tuple[Array, Array]:
    """Just left and just right of each point (see :data:`_SIDE`), and never as far as halfway
    to the next point: soft shrink with λ = 1e-8 has kinks 2e-8 apart."""
    delta = _SIDE * np.maximum(1.0, np.abs(points))
    if points.size > 1:
        gaps = np.abs(points[:, None] - points[None, :])
        gaps[gaps == 0.0] = np.inf  # a point and itself (or a repeat)
        delta = np.minimum(delta, 0.5 * gaps.min(axis=1))
    return points - delta, points + delta


@dataclass(frozen=True)
class OneSided:
    """A function near a point: its limit from the left, its value there, its limit from the right.

    Two of these numbers count as equal within 1e-5 · (1 + |a| + |b|): far more than a
    continuous function moves between the two reading points, far less than the smallest jump a
    slider step makes (ELU's f′ with α one step from 1 jumps by 0.05).
    """

    left: float
    at: float
    right: float

    @staticmethod
    def same(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-5 * (1.0 + abs(a) + abs(b))

    @property
    def jumps(self) -> bool:
        """The limits differ: a plot must not join the two sides with a line."""
        return not self.same(self.left, self.right)

    @property
    def continuous(self) -> bool:
        """No jump, and the value there is the limit (no lone point off the curve)."""
        return not self.jumps and self.same(self.at, self.left)


@dataclass(frozen=True)
class Kink:
    """f and f′ around one of :meth:`Activation.kink_points`."""

    x: float
    f: OneSided
    df: OneSided


_FRAMEWORKS = ("pytorch", "keras", "jax")
# What the custom-function fallback calls its array namespace in each framework.
_NAMESPACE = {"pytorch": "torch", "keras": "keras.ops", "jax": "jnp"}
_FRAMEWORK_NAMES = {"pytorch": "PyTorch", "keras": "Keras", "jax": "jax.nn"}
# jax.numpy has no sigmoid, relu, softplus or erf: the fallback takes them from jax.nn and
# jax.scipy.special (the other names the expressions use exist in jax.numpy as in torch).
_JAX_RENAMES = {
    "jnp.sigmoid(": "jax.nn.sigmoid(",
    "jnp.relu(": "jax.nn.relu(",
    "jnp.softplus(": "jax.nn.softplus(",
    "jnp.erf(": "jax.scipy.special.erf(",
}

#: A snippet template: a format string, or a function of the resolved parameters returning one
#: (for a built-in that only fits some settings: Softplus's threshold, when it is on).
Template = str | Callable[..., str]


@dataclass(frozen=True)
class Order:
    """A constraint between two parameters of one activation: ``low`` below ``high``.

    ``strict`` asks for low < high (``torch.nn.Hardtanh`` refuses max_val ≤ min_val), otherwise
    low ≤ high. Sliders cannot express it, so :meth:`Activation.resolve` refuses a setting that
    breaks it, and the pages show :meth:`Activation.refusal`'s message instead of drawing it.
    """

    low: str
    high: str
    strict: bool = False

    def refusal(self, params: dict[str, float]) -> str | None:
        lo, hi = params[self.low], params[self.high]
        if (lo < hi) if self.strict else (lo <= hi):
            return None
        need = "smaller than" if self.strict else "at most"
        return f"{self.low} = {lo:g} must be {need} {self.high} = {hi:g}"


@dataclass(frozen=True)
class Activation:
    """One activation function: f, f′, their LaTeX, parameters and a teaching note.

    ``pytorch``, ``keras`` and ``jax`` are format templates (``{alpha}`` etc.) for the
    framework's built-in (for JAX a callable: ``jax.nn.relu`` or a ``lambda x:``), or ``""``
    where it has none; ``expr`` is a one-line expression in ``x`` with ``{ns}`` for the array
    namespace (``torch``, ``keras.ops`` or ``jnp``), used by :meth:`snippet` when there is no
    built-in or the built-in cannot take the current parameter values. Any of them may instead
    be a function of the resolved parameters returning the template (see :data:`Template`).
    ``orders`` are constraints between parameters (:class:`Order`).
    """

    name: str
    label: str
    fn: Callable[..., Array]
    grad: Callable[..., Array]
    formula: str
    derivative_formula: str
    params: tuple[Param, ...] = ()
    kink: str = "none: differentiable everywhere"
    kinks: Callable[..., tuple[float, ...]] = field(default=_no_kinks)
    note: str = ""
    pytorch: Template = ""
    keras: Template = ""
    expr: Template = ""
    jax: Template = ""
    orders: tuple[Order, ...] = ()
    #: Optional f and f′ together, ``fused(x, **params) -> (f, f′)``, sharing intermediates
    #: (one exp for σ and σ′, ...), as autograd's backward reuses the forward's; it must agree
    #: with ``fn``/``grad`` to rounding. Used by :meth:`forward_and_derivative`.
    fused: Callable[..., tuple[Array, Array]] | None = None

    def param_defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def resolve(self, params: dict[str, float]) -> dict[str, float]:
        """The full parameter dict: defaults overridden by ``params``; unknown names rejected."""
        known = self.param_defaults()
        unknown = set(params) - set(known)
        if unknown:
            raise TypeError(
                f"{self.name} takes parameters {sorted(known) or 'none'}, not {sorted(unknown)}"
            )
        resolved = {**known, **{k: float(v) for k, v in params.items()}}
        problem = self._refusal(resolved)
        if problem is not None:
            raise ValueError(f"{self.label}: {problem}")
        return resolved

    def _refusal(self, resolved: dict[str, float]) -> str | None:
        problems = [m for m in (o.refusal(resolved) for o in self.orders) if m is not None]
        return "; ".join(problems) if problems else None

    def refusal(self, params: dict[str, float]) -> str | None:
        """Why these parameters (defaults for the rest) are refused, or None if they are not.

        The message says what was wrong and what is accepted ("min_val = 2 must be smaller
        than max_val = 1"); unknown names raise ``TypeError`` as in :meth:`resolve`.
        """
        known = self.param_defaults()
        unknown = set(params) - set(known)
        if unknown:
            raise TypeError(
                f"{self.name} takes parameters {sorted(known) or 'none'}, not {sorted(unknown)}"
            )
        return self._refusal({**known, **{k: float(v) for k, v in params.items()}})

    def forward(self, x: ArrayLike, **params: float) -> Array:
        """f(x), float64, same shape as ``x``."""
        return np.asarray(self.fn(_as_float64(x), **self.resolve(params)), dtype=np.float64)

    def derivative(self, x: ArrayLike, **params: float) -> Array:
        """df/dx, float64, same shape as ``x``; kinks follow ``self.kink``."""
        return np.asarray(self.grad(_as_float64(x), **self.resolve(params)), dtype=np.float64)

    def forward_and_derivative(self, x: ArrayLike, **params: float) -> tuple[Array, Array]:
        """(f(x), df/dx) in one call: the same numbers as :meth:`forward` and :meth:`derivative`
        (to rounding), computed together where the entry has a ``fused`` implementation."""
        x = _as_float64(x)
        p = self.resolve(params)
        if self.fused is not None:
            f, df = self.fused(x, **p)
        else:
            f, df = self.fn(x, **p), self.grad(x, **p)
        return np.asarray(f, dtype=np.float64), np.asarray(df, dtype=np.float64)

    def kink_points(self, **params: float) -> tuple[float, ...]:
        """The x positions where f′ jumps (or f is not differentiable) at these parameters.

        Also lists points where f′ takes a conventional value that differs from its limits
        (soft shrink with λ = 0 at x = 0): everywhere else f′ is the continuous derivative.
        """
        return tuple(float(k) for k in self.kinks(**self.resolve(params)))

    def kink_limits(self, **params: float) -> tuple[Kink, ...]:
        """f and f′ from the left, at and from the right of each of :meth:`kink_points`.

        What a plot needs to draw a jump as a jump: ReLU's f′ at 0 is 0 from the left, 0 at 0
        (the convention) and 1 from the right; the binary step's f is 0, 1, 1.
        """
        p = self.resolve(params)
        at = np.asarray(self.kinks(**p), dtype=np.float64)
        if at.size == 0:
            return ()
        left, right = _beside(at)
        xs = np.stack([left, at, right])  # rows: left, at, right; a column per kink
        f = np.asarray(self.fn(xs, **p), dtype=np.float64)
        df = np.asarray(self.grad(xs, **p), dtype=np.float64)
        return tuple(
            Kink(float(at[i]), OneSided(*map(float, f[:, i])), OneSided(*map(float, df[:, i])))
            for i in range(at.size)
        )

    def snippet(self, framework: str, **params: float) -> str:
        """Code that builds this activation in ``framework`` ("pytorch", "keras" or "jax").

        Uses the framework's built-in where there is one that takes these parameter values;
        otherwise (no built-in, or a built-in with fixed constants such as ``torch.nn.SELU``)
        a short custom function, with a comment saying why. JAX code is a callable taking
        ``x`` (``jax.nn.relu``, a ``lambda`` or a ``def``); its fallback writes ``jnp`` for
        ``jax.numpy``.
        """
        if framework not in _FRAMEWORKS:
            raise ValueError(f"framework must be one of {_FRAMEWORKS}, not {framework!r}")
        resolved = self.resolve(params)
        shown = {name: _compact(value) for name, value in resolved.items()}
        template = _template(getattr(self, framework), resolved)
        # A parameter the template does not mention is one the built-in cannot set.
        fixed = [
            p.symbol
            for p in self.params
            if "{" + p.name + "}" not in template and resolved[p.name] != p.default
        ]
        if template and not fixed:
            return template.format(**shown)
        body = _template(self.expr, resolved).format(ns=_NAMESPACE[framework], **shown)
        builtin = template.format(**{p.name: _compact(p.default) for p in self.params})
        if template:
            why = f"{builtin} fixes {', '.join(fixed)} to the default"
        else:
            why = f"no built-in {self.label} in {_FRAMEWORK_NAMES[framework]}"
        if framework == "pytorch":
            return f"# {why}: a plain function\ndef {self.name}(x):\n    return {body}"
        if framework == "jax":
            for old, new in _JAX_RENAMES.items():
                body = body.replace(old, new)
            return (
                f"# {why}: a plain function (jnp is jax.numpy)\n"
                f"def {self.name}(x):\n    return {body}"
            )
        return f"# {why}: a custom function\nkeras.layers.Activation(lambda x: {body})"


def _template(template: Template, resolved: dict[str, float]) -> str:
    return template(**resolved) if callable(template) else template


def _compact(value: float) -> str:
    """A short but exact repr: 0.01 not 0.010000, 1 not 1.0, 1/3 in full."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _as_float64(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


# --- shared numerics ---------------------------------------------------------------------------

# exp(709.78) is just below float64's maximum: the exponential activation is capped there.
_EXP_CAP = 709.78
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_CUBIC = 0.044715
_SELU_ALPHA = 1.6732632423543772
_SELU_LAMBDA = 1.0507009873554805
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
# cosh(709) ≈ 4e307 is just below float64's maximum.
_COSH_CAP = 709.0


def _exp_parts(t: Array) -> tuple[Array, Array]:
    """e = e^{−|t|} ∈ (0, 1] and r = 1/(1 + e) = σ(|t|): the stable pieces of σ(t) and σ′(t).

    σ(t) = r·max(e, [t ≥ 0]) (r for t ≥ 0, e·r for t < 0), σ(−t) = r·max(e, [t ≤ 0]) and
    σ′(t) = σ(t)σ(−t) = e·r², without overflow and with both tails. NumPy's ``exp`` is
    vectorised and several times faster than ``scipy.special.expit``; the max with a boolean
    mask is an exact, branch-free select (e ≤ 1), much cheaper than ``np.where``.
    """
    e = np.exp(-np.abs(t))
    return e, 1.0 / (1.0 + e)


def _sigmoid_from(t: Array, e: Array, r: Array) -> Array:
    return np.maximum(e, t >= 0) * r


def _sigmoid(x: Array) -> Array:
    e, r = _exp_parts(x)
    return _sigmoid_from(x, e, r)


def _sigmoid_grad(x: Array) -> Array:
    # σ′ = e^{−|x|}/(1 + e^{−|x|})²: one exp, and both tails survive (σ′(±700) ≈ e^−700),
    # where σ(1 − σ) is 0 for x > 37.
    e, r = _exp_parts(x)
    return e * r * r


def _sigmoid_fused(x: Array) -> tuple[Array, Array]:
    e, r = _exp_parts(x)
    return _sigmoid_from(x, e, r), e * r * r


def _tanh_grad(x: Array) -> Array:
    # 1 − tanh² is 0 from x ≈ 19 on; sech² x = (1/cosh x)² keeps the tail. cosh is even and
    # clipped below its overflow: (1/cosh 709)² already underflows to 0, as 4e^{−2|x|} does.
    return np.square(1.0 / np.cosh(np.clip(x, -_COSH_CAP, _COSH_CAP)))


def _tanh_fused(x: Array) -> tuple[Array, Array]:
    return np.tanh(x), _tanh_grad(x)


def _softplus_fused(x: Array, beta: float = 1.0, threshold: float = 0.0) -> tuple[Array, Array]:
    # softplus(t) = max(t, 0) + log1p(e^{−|t|}) (= logaddexp(0, t)) and its slope σ(t), both
    # from one e^{−|t|}, t = βx. A threshold > 0 (PyTorch's) makes it x, slope 1, where βx > t.
    bx = beta * x
    e, r = _exp_parts(bx)
    f, df = (np.maximum(bx, 0.0) + np.log1p(e)) / beta, _sigmoid_from(bx, e, r)
    if threshold > 0:
        linear = bx > threshold
        f, df = np.where(linear, x, f), np.where(linear, 1.0, df)
    return f, df


def _softplus(x: Array, beta: float = 1.0, threshold: float = 0.0) -> Array:
    bx = beta * x
    f = (np.maximum(bx, 0.0) + np.log1p(np.exp(-np.abs(bx)))) / beta
    return np.where(bx > threshold, x, f) if threshold > 0 else f


def _softplus_grad(x: Array, beta: float = 1.0, threshold: float = 0.0) -> Array:
    bx = beta * x
    e, r = _exp_parts(bx)
    df = _sigmoid_from(bx, e, r)
    return np.where(bx > threshold, 1.0, df) if threshold > 0 else df


def _log_sigmoid(x: Array) -> Array:
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


def _log_sigmoid_grad(x: Array) -> Array:
    e, r = _exp_parts(x)
    return np.maximum(e, x <= 0) * r  # σ(−x)


def _log_sigmoid_fused(x: Array) -> tuple[Array, Array]:
    # log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^{−|x|}); its slope σ(−x).
    e, r = _exp_parts(x)
    return np.minimum(x, 0.0) - np.log1p(e), np.maximum(e, x <= 0) * r


def _relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def _step_down(x: Array) -> Array:
    """1.0 where x > 0 else 0.0 (the ReLU family's derivative, with f′(0) = 0)."""
    return (x > 0).astype(np.float64)


def _leaky(x: Array, slope: float) -> Array:
    # For slopes in [0, 1] (every slider's range) max(x, a·x) is the leaky ReLU, branch-free.
    if 0.0 <= slope <= 1.0:
        return np.maximum(x, slope * x)
    return np.where(x >= 0, x, slope * x)


def _leaky_grad(x: Array, slope: float) -> Array:
    # PyTorch's convention: f′(0) is the negative side's slope, so slope 0 gives relu′(0) = 0.
    if 0.0 <= slope <= 1.0:
        return np.maximum(x > 0, slope)  # an exact select: max(1, a) = 1, max(0, a) = a
    return np.where(x > 0, 1.0, slope)


def _leaky_fused(x: Array, slope: float) -> tuple[Array, Array]:
    return _leaky(x, slope), _leaky_grad(x, slope)


def _elu_family(x: Array, alpha: float, celu: bool = False) -> tuple[Array, Array]:
    """ELU (or CELU) and its slope from one clipped input m = min(x, 0) (÷ α for CELU).

    f = max(x, 0) + α·expm1(m): expm1(0) = 0 for x > 0, and the discarded branch never
    overflows. f′ = α·e^m (e^m for CELU) for x ≤ 0 and 1 above, selected by a sum with one
    exact zero term instead of ``np.where``.
    """
    m = np.minimum(x, 0.0)
    if celu:
        m = m / alpha
    pos = x > 0
    f = np.maximum(x, 0.0) + alpha * np.expm1(m)
    ex = np.exp(m) if celu else alpha * np.exp(m)
    return f, ex * ~pos + pos


def _elu(x: Array, alpha: float) -> Array:
    return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


def _elu_grad(x: Array, alpha: float) -> Array:
    return _elu_family(x, alpha)[1]


def _celu(x: Array, alpha: float) -> Array:
    return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0) / alpha)


def _celu_grad(x: Array, alpha: float) -> Array:
    return _elu_family(x, alpha, celu=True)[1]


def _selu_fused(x: Array, alpha: float, lam: float) -> tuple[Array, Array]:
    f, g = _elu_family(x, alpha)
    return lam * f, lam * g


def _swish_fused(x: Array, beta: float) -> tuple[Array, Array]:
    # s = σ(βx); f′ = s + βx·σ(βx)σ(−βx) = s + βx·e·r²: no cancellation in either tail.
    bx = beta * x
    e, r = _exp_parts(bx)
    s = _sigmoid_from(bx, e, r)
    return x * s, s + bx * e * r * r


def _swish(x: Array, beta: float) -> Array:
    return x * _softplus_grad(x, beta)


def _swish_grad(x: Array, beta: float) -> Array:
    return _swish_fused(x, beta)[1]


def _ndtr(x: Array) -> Array:
    # Φ(x) = erfc(−x/√2)/2 (scipy's erfc is twice as fast as its ndtr, and keeps the left
    # tail, where (1 + erf(x/√2))/2 is 0 from x ≈ −8.3 on).
    return 0.5 * special.erfc(x * -_INV_SQRT_2)


def _gelu_fused(x: Array) -> tuple[Array, Array]:
    cdf = _ndtr(x)
    return x * cdf, cdf + x * _INV_SQRT_2PI * np.exp(-0.5 * np.square(x))


def _gelu(x: Array) -> Array:
    return x * _ndtr(x)


def _gelu_grad(x: Array) -> Array:
    return _gelu_fused(x)[1]


def _gelu_tanh_arg(x: Array) -> Array:
    """2u = 2√(2/π)(x + 0.044715x³), which has the sign of x."""
    return x * (2.0 * _SQRT_2_OVER_PI + (2.0 * _SQRT_2_OVER_PI * _GELU_CUBIC) * np.square(x))


def _gelu_tanh_fused(x: Array) -> tuple[Array, Array]:
    # (1 + tanh u)/2 = σ(2u): the same number, without 1 + tanh u cancelling to 0 for x < −10;
    # f′ = σ(2u) + x·(2u)′·σ(2u)σ(−2u), all from one e^{−|2u|}.
    u2 = _gelu_tanh_arg(x)
    e, r = _exp_parts(u2)
    s = _sigmoid_from(u2, e, r)
    du2 = 2.0 * _SQRT_2_OVER_PI + (6.0 * _SQRT_2_OVER_PI * _GELU_CUBIC) * np.square(x)
    return x * s, s + x * du2 * e * r * r


def _gelu_tanh(x: Array) -> Array:
    return x * _sigmoid(_gelu_tanh_arg(x))


def _gelu_tanh_grad(x: Array) -> Array:
    return _gelu_tanh_fused(x)[1]


def _mish_parts(x: Array) -> tuple[Array, Array, Array]:
    """g = tanh(softplus(x)), 1 − g and σ(x), from one e = e^{−|x|} ∈ (0, 1].

    With E = eˣ, g = (E² + 2E)/(E² + 2E + 2). For x ≤ 0 use E = e directly; for x > 0 divide
    through by E² so only e appears: g = (1 + 2e)/(1 + 2e + 2e²). 1 − g is formed from its own
    closed form (2/D, resp. 2e²/D), never as a difference, so the derivative keeps its tails.
    The two cases are selected with the 0/1 masks p and q = 1 − p by sums whose other terms are
    exact zeros, branch-free.
    """
    e = np.exp(-np.abs(x))
    pos = x > 0
    neg = ~pos
    e2 = e * e
    num = e2 * neg + 2.0 * e + pos  # E² + 2E (x ≤ 0), 1 + 2e (x > 0)
    rest = 2.0 * (e2 * pos + neg)  # D − num: 2 (x ≤ 0), 2e² (x > 0)
    den = num + rest
    sig = np.maximum(e, pos) / (1.0 + e)
    return num / den, rest / den, sig


def _mish_fused(x: Array) -> tuple[Array, Array]:
    # f′ = g + x·sech²(softplus x)·σ(x), and sech² = 1 − g² = (1 − g)(2 − (1 − g)).
    g, h, sig = _mish_parts(x)
    return x * g, g + x * h * (2.0 - h) * sig


def _mish(x: Array) -> Array:
    return x * _mish_parts(x)[0]


def _mish_grad(x: Array) -> Array:
    return _mish_fused(x)[1]


def _safe_divide(num: Array, den: Array) -> Array:
    """num/den where den ≠ 0, else 0: no 0/0 in the branch np.where would discard."""
    num, den = np.broadcast_arrays(num, den)
    return np.divide(num, den, out=np.zeros(den.shape), where=den != 0)


def _squareplus(x: Array, b: float) -> Array:
    # For x < 0, x + √(x² + b) cancels; b/(√(x² + b) − x) is the same number without it.
    r = np.sqrt(np.square(x) + b)
    ax = np.abs(x)
    return 0.5 * np.where(x >= 0, ax + r, _safe_divide(np.full_like(x, b), r + ax))


def _squareplus_grad(x: Array, b: float) -> Array:
    # (1 + x/r)/2; for x < 0, 1 + x/r = b/(r(r − x)). At x = 0 with b = 0, f′(0) = 0 (ReLU).
    r = np.sqrt(np.square(x) + b)
    ax = np.abs(x)
    return 0.5 * np.where(
        x > 0, _safe_divide(r + ax, r), _safe_divide(np.full_like(x, b), r * (r + ax))
    )


def _sparse_plus(x: Array) -> Array:
    c = np.clip(x, -1.0, 1.0)
    return 0.25 * np.square(c + 1.0) + (np.maximum(x, 1.0) - 1.0)


def _sparse_plus_grad(x: Array) -> Array:
    return 0.5 * (np.clip(x, -1.0, 1.0) + 1.0)


def _ramp_grad(x: Array, lo: float, hi: float, slope: float) -> Array:
    """slope on the open interval (lo, hi), 0 outside and at the clip points (PyTorch)."""
    inside = (x > lo) & (x < hi)
    return inside.astype(np.float64) if slope == 1.0 else np.multiply(inside, slope)


def _hard_swish(x: Array) -> Array:
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


def _hard_swish_grad(x: Array) -> Array:
    # PyTorch's convention: the outer pieces own the joins, 0 for x ≤ −3 and 1 for x ≥ 3.
    # A sum of masked terms, each exactly 0 outside its piece: cheaper than nested np.where.
    return (x / 3.0 + 0.5) * ((x > -3.0) & (x < 3.0)) + (x >= 3.0)


def _hard_swish_fused(x: Array) -> tuple[Array, Array]:
    return _hard_swish(x), _hard_swish_grad(x)


def _soft_shrink(x: Array, lam: float) -> Array:
    return np.sign(x) * np.maximum(np.abs(x) - lam, 0.0)


def _shrink_grad(x: Array, lam: float) -> Array:
    # PyTorch's convention: 0 on the closed dead zone [−λ, λ].
    return (np.abs(x) > lam).astype(np.float64)


def _hard_shrink(x: Array, lam: float) -> Array:
    return x * (np.abs(x) > lam)


def _hard_shrink_fused(x: Array, lam: float) -> tuple[Array, Array]:
    keep = np.abs(x) > lam
    return x * keep, keep.astype(np.float64)


# Taylor coefficients of x − tanh x: x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835 + 1382x¹¹/155925.
_TANH_SHRINK_SERIES = (1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925)


def _tanh_shrink_from(x: Array, t: Array) -> Array:
    # x − tanh x loses digits near 0 (it is ≈ x³/3); the series is exact to 1e−16 for |x| < 0.1.
    # Evaluated only at those points, not on the whole array.
    f = np.asarray(x - t)
    small = np.flatnonzero(np.abs(x) < 0.1)
    if small.size:
        xs = np.asarray(x).ravel()[small]
        x2 = np.square(xs)
        series = np.zeros_like(xs)
        for c in reversed(_TANH_SHRINK_SERIES):
            series = series * x2 + c
        f.ravel()[small] = series * x2 * xs
    return f


def _tanh_shrink(x: Array) -> Array:
    return _tanh_shrink_from(x, np.tanh(x))


def _tanh_shrink_fused(x: Array) -> tuple[Array, Array]:
    t = np.tanh(x)
    return _tanh_shrink_from(x, t), np.square(t)


def _softsign(x: Array) -> Array:
    return x / (1.0 + np.abs(x))


def _softsign_grad(x: Array) -> Array:
    return 1.0 / np.square(1.0 + np.abs(x))


def _softsign_fused(x: Array) -> tuple[Array, Array]:
    d = 1.0 + np.abs(x)
    return x / d, 1.0 / np.square(d)


def _isru_factor(x: Array, alpha: float) -> Array:
    return 1.0 / np.sqrt(1.0 + alpha * np.square(x))


def _bent_identity(x: Array) -> Array:
    # √(x² + 1) − 1 = x²/(√(x² + 1) + 1) without cancellation near 0.
    r = np.hypot(x, 1.0)
    return 0.5 * np.square(x) / (r + 1.0) + x


def _sinc(x: Array) -> Array:
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 1.0, np.sin(safe) / safe)


# Taylor series of (sin x / x)′ = −x/3 + x³/30 − x⁵/840 + x⁷/45360 − x⁹/3991680.
_SINC_GRAD_SERIES = (-1 / 3, 1 / 30, -1 / 840, 1 / 45360, -1 / 3991680)


def _sinc_grad(x: Array) -> Array:
    # (x cos x − sin x)/x² cancels near 0; below |x| = 0.1 the series is exact to 1e−16.
    x2 = np.square(x)
    series = np.zeros_like(x)
    for c in reversed(_SINC_GRAD_SERIES):
        series = series * x2 + c
    safe = np.where(np.abs(x) < 0.1, 1.0, x)
    direct = (safe * np.cos(safe) - np.sin(safe)) / np.square(safe)
    return np.where(np.abs(x) < 0.1, series * x, direct)


def _exponential(x: Array) -> Array:
    return np.exp(np.minimum(x, _EXP_CAP))


def _maxout(x: Array, w1: float, b1: float, w2: float, b2: float) -> Array:
    return np.maximum(w1 * x + b1, w2 * x + b2)


def _maxout_grad(x: Array, w1: float, b1: float, w2: float, b2: float) -> Array:
    # On a tie the first piece wins: the defaults then give relu′(0) = 0, w₁ = 0.01 leaky's.
    return np.where(w1 * x + b1 >= w2 * x + b2, w1, w2)


def _maxout_kinks(w1: float, b1: float, w2: float, b2: float) -> tuple[float, ...]:
    # Where the two lines cross: nowhere if they are parallel, or if they cross beyond float64's
    # range (a subnormal w₁ − w₂ puts the crossing at ±inf, which is no point of the real line).
    if w1 == w2:
        return ()
    with np.errstate(over="ignore", invalid="ignore"):
        crossing = np.float64(b2 - b1) / np.float64(w1 - w2)
    return (float(crossing),) if np.isfinite(crossing) else ()


# --- 2016–2026 additions: numerics ----------------------------------------------------------------

_QUICK_GELU = 1.702  # CLIP / Hugging Face quick_gelu: x·σ(1.702x) ≈ x·Φ(x)


def _lisht_fused(x: Array) -> tuple[Array, Array]:
    # f′ = tanh x + x·sech² x; sech² from the clipped cosh keeps the tail and never overflows.
    t = np.tanh(x)
    return x * t, t + x * _tanh_grad(x)


def _golu_parts(x: Array) -> tuple[Array, Array]:
    """g = exp(−e^{−x}) (the Gompertz gate) and g·e^{−x} = exp(−x − e^{−x}) (its slope).

    e^{−x} is taken of x clipped at −709.78, below which g is 0 anyway (exp(−1.7e308)); the slope
    is formed as one exp of −x − e^{−x}, never as a product of a huge and a tiny number.
    """
    m = np.maximum(x, -_EXP_CAP)
    u = np.exp(-m)
    return np.exp(-u), np.exp(-m - u)


def _golu_fused(x: Array) -> tuple[Array, Array]:
    g, slope = _golu_parts(x)
    return x * g, g + x * slope


def _snake(x: Array, alpha: float) -> Array:
    if alpha == 0.0:  # the limit α → 0: sin²(αx)/α ≈ αx² → 0
        return x.copy()
    return x + np.square(np.sin(alpha * x)) / alpha


def _snake_grad(x: Array, alpha: float) -> Array:
    # (sin²(αx)/α)′ = 2 sin(αx) cos(αx) = sin(2αx).
    return 1.0 + np.sin(2.0 * alpha * x)


def _dyt_fused(x: Array, alpha: float) -> tuple[Array, Array]:
    return np.tanh(alpha * x), alpha * _tanh_grad(alpha * x)


def _laplace_fused(x: Array, mu: float, sigma: float) -> tuple[Array, Array]:
    # ½(1 + erf(z/√2)) = Φ(z) = erfc(−z/√2)/2, z = (x − μ)/σ: the left tail keeps its digits.
    z = (x - mu) / sigma
    return _ndtr(z), _INV_SQRT_2PI * np.exp(-0.5 * np.square(z)) / sigma


def _xielu_fused(
    x: Array, alpha_p: float, alpha_n: float, beta: float, eps: float
) -> tuple[Array, Array]:
    """xIELU with its effective (post-softplus) αp, αn, as Hugging Face's XIELUActivation.

    x > 0: αp·x² + βx, slope 2αp·x + β. x ≤ 0: αn·(expm1(min(x, ε)) − x) + βx, slope
    αn·(e^x − 1) + β where x < ε and β − αn on [ε, 0] (expm1 is frozen at ε there). expm1 of a
    clipped input: the discarded branch never overflows.
    """
    pos = x > 0
    m = np.minimum(x, eps)
    below = x < eps
    neg_f = alpha_n * (np.expm1(m) - np.minimum(x, 0.0))
    neg_df = alpha_n * (np.exp(m) * below - 1.0)
    xp = np.maximum(x, 0.0)
    f = np.where(pos, alpha_p * xp * xp, neg_f) + beta * x
    df = np.where(pos, 2.0 * alpha_p * xp, neg_df) + beta
    return f, df


def _xielu_kinks(alpha_p: float, alpha_n: float, beta: float, eps: float) -> tuple[float, ...]:
    # f′ jumps at ε (from ≈ β to β − αn) and at 0 (from β − αn to β), unless αn = 0; with ε = 0
    # the two meet and only the conventional f′(0) = β − αn is left, off both limits (β).
    if alpha_n == 0.0:
        return ()
    return (0.0,) if eps == 0.0 else (eps, 0.0)


def _srelu_fused(
    x: Array, t_left: float, a_left: float, t_right: float, a_right: float
) -> tuple[Array, Array]:
    # The paper's cases: the outer pieces own the thresholds (x ≥ t_r, x ≤ t_l).
    right, left = x >= t_right, x <= t_left
    f = np.where(
        right, t_right + a_right * (x - t_right), np.where(left, t_left + a_left * (x - t_left), x)
    )
    df = np.where(right, a_right, np.where(left, a_left, 1.0))
    return f, df


def _srelu_kinks(t_left: float, a_left: float, t_right: float, a_right: float) -> tuple[float, ...]:
    if t_left == t_right:
        return () if a_left == a_right == 1.0 else (t_right,)
    return tuple(t for t, a in ((t_left, a_left), (t_right, a_right)) if a != 1.0)


def _first(fused: Callable[..., tuple[Array, Array]]) -> Callable[..., Array]:
    return lambda x, **p: fused(x, **p)[0]


def _second(fused: Callable[..., tuple[Array, Array]]) -> Callable[..., Array]:
    return lambda x, **p: fused(x, **p)[1]


# --- parameters shared by several entries --------------------------------------------------------


def _alpha(default: float, low: float, high: float, step: float, help: str) -> Param:
    return Param("alpha", "α", default, low, high, step, help, "α (alpha)")


def _lam_shrink() -> Param:
    return Param(
        "lam", "λ", 0.5, 0.0, 2.0, 0.05, "Half-width of the dead zone [−λ, λ]", "λ (threshold)"
    )


_RAMP_KINK = "f′ = 0 at the clip points (PyTorch's convention: the flat piece)"


# --- the catalogue -----------------------------------------------------------------------------

_CATALOGUE: list[Activation] = [
    # Classics -------------------------------------------------------------------------------------
    Activation(
        name="identity",
        label="Identity (linear)",
        fn=lambda x: x.copy(),
        grad=lambda x: np.ones_like(x),
        formula=r"f(x) = x",
        derivative_formula=r"f'(x) = 1",
        note=(
            "The output layer for regression. In hidden layers it adds nothing: a stack of linear "
            "layers is one linear map, however deep."
        ),
        pytorch="torch.nn.Identity()",
        keras="keras.layers.Activation('linear')",
        expr="x",
        jax="jax.nn.identity",
    ),
    Activation(
        name="binary_step",
        label="Binary step (Heaviside)",
        fn=lambda x: (x >= 0).astype(np.float64),
        grad=lambda x: np.zeros_like(x),
        formula=r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
        derivative_formula=r"f'(x) = 0 \quad (x \ne 0)",
        kink="f jumps at 0; f′(0) is reported as 0",
        kinks=lambda: (0.0,),
        note=(
            "The perceptron's threshold unit: 1 for x ≥ 0, 0 otherwise. Its derivative is 0 "
            "wherever it exists, so gradient descent gets no signal through it (the perceptron "
            "learning rule is not gradient descent). It shows why smooth activations were needed."
        ),
        expr="{ns}.where(x >= 0, 1.0, 0.0)",
    ),
    Activation(
        name="sigmoid",
        label="Sigmoid (logistic)",
        fn=_sigmoid,
        grad=_sigmoid_grad,
        fused=_sigmoid_fused,
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_formula=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        note=(
            "The output for binary and multi-label classification: it is continuous, and 0.5 is "
            "the decision threshold applied to its output. In hidden layers its slope is at most "
            "0.25 and under 0.007 for |x| > 5, so gradients vanish through depth; its outputs are "
            "not zero-centred."
        ),
        pytorch="torch.nn.Sigmoid()",
        keras="keras.layers.Activation('sigmoid')",
        expr="{ns}.sigmoid(x)",
        jax="jax.nn.sigmoid",
    ),
    Activation(
        name="tanh",
        label="Tanh (hyperbolic tangent)",
        fn=np.tanh,
        grad=_tanh_grad,
        fused=_tanh_fused,
        formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        derivative_formula=r"\tanh'(x) = 1 - \tanh^2(x)",
        note=(
            "A rescaled sigmoid, tanh(x) = 2σ(2x) − 1: zero-centred, with slope 1 at the origin "
            "instead of 0.25. It still saturates for large |x|, so deep tanh stacks also suffer "
            "vanishing gradients; it remains standard inside LSTM and GRU cells."
        ),
        pytorch="torch.nn.Tanh()",
        keras="keras.layers.Activation('tanh')",
        expr="{ns}.tanh(x)",
        jax="jax.nn.tanh",
    ),
    # The ReLU family ------------------------------------------------------------------------------
    Activation(
        name="relu",
        label="ReLU",
        fn=_relu,
        grad=_step_down,
        formula=r"f(x) = \max(0, x)",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        kink="f′(0) = 0 (the PyTorch and JAX convention)",
        kinks=lambda: (0.0,),
        note=(
            "The default for hidden layers: cheap, does not saturate for x > 0, sparse. A unit "
            "whose input stays negative gets no gradient at all and stops learning (dying ReLU)."
        ),
        pytorch="torch.nn.ReLU()",
        keras="keras.layers.Activation('relu')",
        expr="{ns}.relu(x)",
        jax="jax.nn.relu",
    ),
    Activation(
        name="leaky_relu",
        label="Leaky ReLU",
        fn=_leaky,
        grad=_leaky_grad,
        fused=_leaky_fused,
        formula=r"f(x) = \begin{cases} x & x \ge 0 \\ a\,x & x < 0 \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
        params=(
            Param(
                "slope",
                "a",
                0.01,
                0.0,
                1.0,
                0.01,
                "Slope for x < 0. PyTorch 0.01, keras.activations.leaky_relu 0.2, "
                "Keras LeakyReLU layer 0.3",
                "leak slope a",
            ),
        ),
        kink="f′(0) = a (PyTorch's convention: the negative side's slope)",
        kinks=lambda slope: () if slope == 1.0 else (0.0,),
        note=(
            "ReLU with a small slope for negative inputs, so a unit never gets exactly zero "
            "gradient and cannot die. Defaults differ: PyTorch uses 0.01, "
            "keras.activations.leaky_relu 0.2 and the Keras LeakyReLU layer 0.3. Writing it as "
            "max(a·x, x) is only correct for slopes up to 1."
        ),
        pytorch="torch.nn.LeakyReLU(negative_slope={slope})",
        keras="keras.layers.LeakyReLU(negative_slope={slope})",
        expr="{ns}.where(x >= 0, x, {slope} * x)",
        jax="lambda x: jax.nn.leaky_relu(x, negative_slope={slope})",
    ),
    Activation(
        name="prelu",
        label="PReLU (parametric ReLU)",
        fn=lambda x, alpha: _leaky(x, alpha),
        grad=lambda x, alpha: _leaky_grad(x, alpha),
        fused=lambda x, alpha: _leaky_fused(x, alpha),
        formula=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha\,x & x < 0 \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        params=(
            _alpha(0.25, 0.0, 1.0, 0.01, "Learned negative slope; PyTorch initialises it to 0.25"),
        ),
        kink="f′(0) = α (PyTorch's convention: the negative side's slope)",
        kinks=lambda alpha: () if alpha == 1.0 else (0.0,),
        note=(
            "Leaky ReLU whose negative slope α is learned with the other weights (PyTorch starts "
            "it at 0.25). With α = 0 it is ReLU and with α = 0.01 it is Leaky ReLU. The slider "
            "sets the starting value; in training each channel can learn its own α."
        ),
        pytorch="torch.nn.PReLU(init={alpha})",
        keras="keras.layers.PReLU(alpha_initializer=keras.initializers.Constant({alpha}))",
        expr="{ns}.where(x >= 0, x, {alpha} * x)",
    ),
    Activation(
        name="rrelu",
        label="RReLU (randomised leaky ReLU, evaluation mode)",
        fn=lambda x, lower, upper: _leaky(x, 0.5 * (lower + upper)),
        grad=lambda x, lower, upper: _leaky_grad(x, 0.5 * (lower + upper)),
        fused=lambda x, lower, upper: _leaky_fused(x, 0.5 * (lower + upper)),
        formula=(
            r"f(x) = \begin{cases} x & x \ge 0 \\ \tfrac{l + u}{2}\,x & x < 0 \end{cases}"
            r"\quad\text{(evaluation; training draws the slope from } U(l, u))"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \tfrac{l + u}{2} & x \le 0 \end{cases}"
        ),
        params=(
            # Disjoint ranges keep l ≤ u, which torch.nn.RReLU requires.
            Param("lower", "l", 0.125, 0.0, 0.3, 0.005, "Lowest random slope (PyTorch 1/8)"),
            Param("upper", "u", 1 / 3, 0.3, 1.0, 0.005, "Highest random slope (PyTorch 1/3)"),
        ),
        kink="f′(0) = (l + u)/2, the negative side's slope",
        kinks=lambda lower, upper: () if lower + upper == 2.0 else (0.0,),
        note=(
            "Randomised leaky ReLU: in training each negative slope is drawn uniformly from "
            "[l, u], a form of regularisation. In evaluation mode it is a fixed Leaky ReLU with "
            "slope (l + u)/2, which is what is plotted here."
        ),
        # train(False) is torch's evaluation mode (fixed slope (l+u)/2), the mode this entry draws.
        pytorch="torch.nn.RReLU(lower={lower}, upper={upper}).train(False)",
        expr="{ns}.where(x >= 0, x, ({lower} + {upper}) / 2 * x)",
    ),
    Activation(
        name="threshold",
        label="Threshold",
        fn=lambda x, threshold, value: np.where(x > threshold, x, value),
        grad=lambda x, threshold, value: (x > threshold).astype(np.float64),
        formula=r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
        params=(
            Param("threshold", "θ", 0.0, -3.0, 3.0, 0.1, "Inputs at or below θ are replaced"),
            Param("value", "v", 0.0, -3.0, 3.0, 0.1, "What replaces them", "replacement v"),
        ),
        kink="f′(θ) = 0 (the flat side); f jumps at θ unless v = θ",
        kinks=lambda threshold, value: (threshold,),
        note=(
            "Keeps x above the threshold θ and replaces everything else by a constant v. With "
            "θ = v = 0 it is ReLU; otherwise the output jumps at θ, and the flat part passes no "
            "gradient."
        ),
        pytorch="torch.nn.Threshold(threshold={threshold}, value={value})",
        keras=(
            "keras.layers.Activation("
            "lambda x: keras.activations.threshold(x, {threshold}, {value}))"
        ),
        expr="{ns}.where(x > {threshold}, x, {value})",
    ),
    Activation(
        name="maxout",
        label="Maxout (two pieces)",
        fn=_maxout,
        grad=_maxout_grad,
        formula=r"f(x) = \max(w_1 x + b_1,\; w_2 x + b_2)",
        derivative_formula=(
            r"f'(x) = \begin{cases} w_1 & w_1 x + b_1 \ge w_2 x + b_2 \\ w_2 & \text{otherwise}"
            r"\end{cases}"
        ),
        params=(
            Param("w1", "w₁", 0.0, -2.0, 2.0, 0.01, "Slope of the first piece"),
            Param("b1", "b₁", 0.0, -3.0, 3.0, 0.05, "Offset of the first piece"),
            Param("w2", "w₂", 1.0, -2.0, 2.0, 0.01, "Slope of the second piece"),
            Param("b2", "b₂", 0.0, -3.0, 3.0, 0.05, "Offset of the second piece"),
        ),
        kink="f′ = w₁ where the pieces meet (the first piece wins ties)",
        kinks=_maxout_kinks,
        note=(
            "The maximum of affine pieces, here two, so it is always convex and piecewise linear. "
            "The defaults (0·x, 1·x) give ReLU and w₁ = 0.01 gives Leaky ReLU: it generalises "
            "both, and in a network the pieces are learned, at k times the parameters."
        ),
        expr="{ns}.maximum({w1} * x + {b1}, {w2} * x + {b2})",
    ),
    Activation(
        name="relu_squared",
        label="Squared ReLU",
        fn=lambda x: np.square(np.maximum(x, 0.0)),
        grad=lambda x: 2.0 * np.maximum(x, 0.0),
        formula=r"f(x) = \max(0, x)^2",
        derivative_formula=r"f'(x) = 2\max(0, x)",
        note=(
            "ReLU squared, found by architecture search for transformer feed-forward layers "
            "(Primer, 2021). It is C¹ at 0, but its slope grows with x, so large inputs give "
            "large gradients."
        ),
        expr="{ns}.square({ns}.relu(x))",
    ),
    # The exponential family -----------------------------------------------------------------------
    Activation(
        name="elu",
        label="ELU",
        fn=_elu,
        grad=_elu_grad,
        fused=_elu_family,
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = f(x) + \alpha & x \le 0 \end{cases}"
        ),
        params=(_alpha(1.0, 0.0, 3.0, 0.05, "ELU saturates to −α for very negative x"),),
        kink="f′(0) = α (the x ≤ 0 branch); C¹ only when α = 1",
        kinks=lambda alpha: () if alpha == 1.0 else (0.0,),
        note=(
            "Linear for positive inputs, exponential for negative ones, saturating to −α: outputs "
            "closer to zero-mean than ReLU and no dead units. Its slope is continuous at 0 only "
            "when α = 1."
        ),
        pytorch="torch.nn.ELU(alpha={alpha})",
        keras="keras.layers.ELU(alpha={alpha})",
        expr="{ns}.where(x > 0, x, {alpha} * {ns}.expm1(-{ns}.relu(-x)))",
        jax="lambda x: jax.nn.elu(x, alpha={alpha})",
    ),
    Activation(
        name="selu",
        label="SELU (scaled ELU)",
        fn=lambda x, alpha, lam: lam * _elu(x, alpha),
        grad=lambda x, alpha, lam: lam * _elu_grad(x, alpha),
        fused=_selu_fused,
        formula=(
            r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}"
        ),
        params=(
            _alpha(
                _SELU_ALPHA,
                0.0,
                3.0,
                0.01,
                "≈ 1.6733 (Klambauer and others, 2017): with λ, the self-normalising fixed point",
            ),
            Param(
                "lam",
                "λ",
                _SELU_LAMBDA,
                0.5,
                2.0,
                0.01,
                "≈ 1.0507 (Klambauer and others, 2017); any other value breaks self-normalisation",
                "λ (scale)",
            ),
        ),
        kink="f′(0) = λα (the x ≤ 0 branch); C¹ only when α = 1",
        kinks=lambda alpha, lam: () if alpha == 1.0 else (0.0,),
        note=(
            "λ·ELU with λ ≈ 1.0507 and α ≈ 1.6733: the fixed point that keeps activations at "
            "mean 0 and variance 1 from layer to layer (self-normalising networks, Klambauer and "
            "others, 2017). It needs LeCun-normal initialisation and no ordinary dropout; move "
            "either slider and the fixed point, hence self-normalisation, is lost."
        ),
        pytorch="torch.nn.SELU()",
        keras="keras.layers.Activation('selu')",
        expr="{lam} * {ns}.where(x > 0, x, {alpha} * {ns}.expm1(-{ns}.relu(-x)))",
        jax="jax.nn.selu",
    ),
    Activation(
        name="celu",
        label="CELU (continuously differentiable ELU)",
        fn=_celu,
        grad=_celu_grad,
        fused=lambda x, alpha: _elu_family(x, alpha, celu=True),
        formula=(
            r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) & x \le 0 \end{cases}"
        ),
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
        params=(_alpha(1.0, 0.1, 3.0, 0.05, "Saturation value −α; the slope at 0 is 1 for any α"),),
        note=(
            "ELU rescaled as α(e^{x/α} − 1) for x ≤ 0: the slope at 0 is 1 for every α, so it is "
            "continuously differentiable (C¹), where ELU is C¹ only at α = 1. It saturates to −α "
            "like ELU."
        ),
        pytorch="torch.nn.CELU(alpha={alpha})",
        keras="keras.layers.Activation(lambda x: keras.activations.celu(x, alpha={alpha}))",
        expr="{ns}.where(x > 0, x, {alpha} * {ns}.expm1(-{ns}.relu(-x) / {alpha}))",
        jax="lambda x: jax.nn.celu(x, alpha={alpha})",
    ),
    # Smooth modern ones ---------------------------------------------------------------------------
    Activation(
        name="softplus",
        label="Softplus",
        fn=_softplus,
        grad=_softplus_grad,
        fused=_softplus_fused,
        formula=(
            r"f(x) = \begin{cases} x & \beta x > t > 0 \\ "
            r"\frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr) & \text{otherwise} \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & \beta x > t > 0 \\ "
            r"\sigma(\beta x) = \frac{1}{1 + e^{-\beta x}} & \text{otherwise} \end{cases}"
        ),
        params=(
            Param(
                "beta", "β", 1.0, 0.1, 10.0, 0.1, "Sharpness: large β approaches ReLU", "β (beta)"
            ),
            Param(
                "threshold",
                "t",
                0.0,
                0.0,
                30.0,
                0.5,
                "PyTorch's threshold: f = x where βx > t (torch.nn.Softplus uses 20). "
                "0 turns it off: the exact function, as in Keras and JAX",
                "threshold t (0 = off)",
            ),
        ),
        kink=(
            "none with the threshold off; with t > 0, f drops by log(1 + e^(−t))/β just after "
            "x = t/β, and f′ there is σ(t) (the softplus side, as in PyTorch)"
        ),
        kinks=lambda beta, threshold: (threshold / beta,) if threshold > 0 else (),
        note=(
            "A smooth ReLU whose derivative is the sigmoid σ(βx); it lies above ReLU by at most "
            "log(2)/β, reached at x = 0, and is the usual way to make a quantity positive, such "
            "as a predicted variance. PyTorch's Softplus returns x itself where βx > threshold "
            "(20 by default), a jump down of log(1 + e^{−20})/β ≈ 2.1e-9/β that no chart can "
            "show; small thresholds make it visible (0 here means off, the exact function)."
        ),
        pytorch=lambda beta, threshold: (
            "torch.nn.Softplus(beta={beta}, threshold={threshold})"
            if threshold > 0
            else "torch.nn.Softplus(beta={beta})"
        ),
        keras="keras.layers.Activation('softplus')",
        expr=lambda beta, threshold: (
            ("{ns}.where({beta} * x > {threshold}, x, " if threshold > 0 else "(")
            + "({ns}.relu({beta} * x) + {ns}.log1p({ns}.exp(-{ns}.abs({beta} * x)))) / {beta})"
        ),
        jax="jax.nn.softplus",
    ),
    Activation(
        name="swish",
        label="Swish / SiLU (β = 1)",
        fn=_swish,
        grad=_swish_grad,
        fused=_swish_fused,
        formula=r"f(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
        derivative_formula=(
            r"f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)"
        ),
        params=(
            Param(
                "beta",
                "β",
                1.0,
                0.0,
                10.0,
                0.1,
                "β = 1 is SiLU; β = 0 gives x/2; large β approaches ReLU",
                "β (beta)",
            ),
        ),
        note=(
            "x·σ(βx); β = 1 is SiLU, used in EfficientNet and, gated, in many language models. "
            "Unlike ReLU it is smooth and non-monotonic, dipping to about −0.278 at x ≈ −1.278 "
            "for β = 1; β = 0 gives x/2 and large β approaches ReLU."
        ),
        pytorch="torch.nn.SiLU()",
        keras="keras.layers.Activation('silu')",
        expr="x * {ns}.sigmoid({beta} * x)",
        jax="jax.nn.silu",
    ),
    Activation(
        name="gelu",
        label="GELU (exact, erf)",
        fn=_gelu,
        grad=_gelu_grad,
        fused=_gelu_fused,
        formula=(
            r"f(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\bigl(x/\sqrt{2}\bigr)"
            r"\Bigr)"
        ),
        derivative_formula=(
            r"f'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}"
        ),
        note=(
            "x·Φ(x): the input weighted by the probability that a standard normal variable lies "
            "below it. Smooth and slightly non-monotonic (minimum about −0.17 near x ≈ −0.75), "
            "it is the activation of BERT and GPT-style transformers."
        ),
        pytorch="torch.nn.GELU()",
        keras="keras.layers.Activation(lambda x: keras.activations.gelu(x, approximate=False))",
        expr="x * (1 + {ns}.erf(x / 2**0.5)) / 2",
        jax="lambda x: jax.nn.gelu(x, approximate=False)",
    ),
    Activation(
        name="gelu_tanh",
        label="GELU (tanh approximation)",
        fn=_gelu_tanh,
        grad=_gelu_tanh_grad,
        fused=_gelu_tanh_fused,
        formula=(
            r"f(x) = \frac{x}{2}\Bigl(1 + \tanh(u)\Bigr), \quad "
            r"u = \sqrt{2/\pi}\,\bigl(x + 0.044715\,x^3\bigr)"
        ),
        derivative_formula=(
            r"f'(x) = \frac{1 + \tanh u}{2} + \frac{x}{2}\bigl(1 - \tanh^2 u\bigr)\,"
            r"\sqrt{2/\pi}\,\bigl(1 + 0.134145\,x^2\bigr)"
        ),
        note=(
            "The tanh approximation of GELU, from before fast erf kernels were common; GPT-2 used "
            "it, and torch.nn.GELU(approximate='tanh') computes it. It differs from exact GELU by "
            "less than 5e-4 everywhere."
        ),
        pytorch="torch.nn.GELU(approximate='tanh')",
        keras="keras.layers.Activation(lambda x: keras.activations.gelu(x, approximate=True))",
        expr=("x * (1 + {ns}.tanh((2 / 3.141592653589793) ** 0.5 * (x + 0.044715 * x**3))) / 2"),
        jax="lambda x: jax.nn.gelu(x, approximate=True)",
    ),
    Activation(
        name="mish",
        label="Mish",
        fn=_mish,
        grad=_mish_grad,
        fused=_mish_fused,
        formula=r"f(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        derivative_formula=(
            r"f'(x) = \tanh\bigl(\operatorname{softplus}(x)\bigr) + x\,"
            r"\operatorname{sech}^2\bigl(\operatorname{softplus}(x)\bigr)\,\sigma(x)"
        ),
        note=(
            "x·tanh(softplus(x)): smooth, non-monotonic, unbounded above and bounded below "
            "(minimum about −0.309). Proposed for vision models (YOLOv4 uses it), it behaves much "
            "like Swish at a somewhat higher cost."
        ),
        pytorch="torch.nn.Mish()",
        keras="keras.layers.Activation('mish')",
        expr="x * {ns}.tanh({ns}.softplus(x))",
        jax="jax.nn.mish",
    ),
    Activation(
        name="squareplus",
        label="Squareplus",
        fn=_squareplus,
        grad=_squareplus_grad,
        formula=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
        derivative_formula=r"f'(x) = \frac{1}{2}\Bigl(1 + \frac{x}{\sqrt{x^2 + b}}\Bigr)",
        params=(
            Param("b", "b", 4.0, 0.0, 10.0, 0.1, "Curvature at 0: b = 0 is ReLU; f(0) = √b/2"),
        ),
        kink="none for b > 0; for b = 0 (ReLU) f′(0) = 0",
        kinks=lambda b: (0.0,) if b == 0.0 else (),
        note=(
            "A smooth ReLU built from a square root instead of exp and log, so it is cheap to "
            "compute. b sets the rounding at 0: b = 0 gives ReLU exactly, b = 4 gives f(0) = 1."
        ),
        keras="keras.layers.Activation(lambda x: keras.activations.squareplus(x, b={b}))",
        expr="(x + {ns}.sqrt({ns}.square(x) + {b})) / 2",
        jax="lambda x: jax.nn.squareplus(x, b={b})",
    ),
    Activation(
        name="sparse_plus",
        label="Sparse plus",
        fn=_sparse_plus,
        grad=_sparse_plus_grad,
        formula=(
            r"f(x) = \begin{cases} 0 & x \le -1 \\ \tfrac{1}{4}(x + 1)^2 & -1 < x < 1 \\ "
            r"x & x \ge 1 \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} 0 & x \le -1 \\ \tfrac{1}{2}(x + 1) & -1 < x < 1 \\ "
            r"1 & x \ge 1 \end{cases}"
        ),
        note=(
            "Softplus's shape from pieces: exact zeros left of −1, exactly x right of 1, a "
            "parabola between (JAX and Keras). The pieces meet with equal slopes, so it is C¹, "
            "and its derivative is the sparse sigmoid."
        ),
        keras="keras.layers.Activation('sparse_plus')",
        expr=("{ns}.where(x <= -1, 0.0, {ns}.where(x >= 1, x, {ns}.square(x + 1) / 4))"),
        jax="jax.nn.sparse_plus",
    ),
    # Hard (piecewise-linear) ones -----------------------------------------------------------------
    Activation(
        name="relu6",
        label="ReLU6",
        fn=lambda x: np.clip(x, 0.0, 6.0),
        grad=lambda x: _ramp_grad(x, 0.0, 6.0, 1.0),
        formula=r"f(x) = \min\bigl(\max(0, x), 6\bigr)",
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}"
        ),
        kink=_RAMP_KINK,
        kinks=lambda: (0.0, 6.0),
        note=(
            "ReLU capped at 6, from MobileNet: the cap keeps activations in a range that "
            "low-precision (fixed-point) inference represents well. Above 6 the gradient is 0 "
            "again, a second flat zone."
        ),
        pytorch="torch.nn.ReLU6()",
        keras="keras.layers.Activation('relu6')",
        expr="{ns}.relu(x) - {ns}.relu(x - 6)",
        jax="jax.nn.relu6",
    ),
    Activation(
        name="hard_tanh",
        label="Hard tanh",
        fn=lambda x, min_val, max_val: np.clip(x, min_val, max_val),
        grad=lambda x, min_val, max_val: _ramp_grad(x, min_val, max_val, 1.0),
        formula=r"f(x) = \max\bigl(\mathrm{lo}, \min(\mathrm{hi}, x)\bigr)",
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & \mathrm{lo} < x < \mathrm{hi} \\ 0 & \text{otherwise}"
            r"\end{cases}"
        ),
        params=(
            Param(
                "min_val",
                "lo",
                -1.0,
                -6.0,
                6.0,
                0.1,
                "Lower clip (PyTorch min_val, −1)",
                "min_val (lo)",
            ),
            Param(
                "max_val",
                "hi",
                1.0,
                -6.0,
                6.0,
                0.1,
                "Upper clip (PyTorch max_val, 1); it must be above min_val",
                "max_val (hi)",
            ),
        ),
        kink=_RAMP_KINK,
        kinks=lambda min_val, max_val: (min_val, max_val),
        note=(
            "Clip to [lo, hi], [−1, 1] by default: the piecewise-linear stand-in for tanh, and "
            "PyTorch's Hardtanh(0, 6) is ReLU6. It is cheap, but outside [lo, hi] the gradient "
            "is exactly zero, so it saturates harder than tanh."
        ),
        pytorch="torch.nn.Hardtanh(min_val={min_val}, max_val={max_val})",
        keras="keras.layers.Activation('hard_tanh')",
        expr="{ns}.clip(x, {min_val}, {max_val})",
        jax="jax.nn.hard_tanh",
        # torch.nn.Hardtanh refuses max_val <= min_val.
        orders=(Order("min_val", "max_val", strict=True),),
    ),
    Activation(
        name="hard_sigmoid",
        label="Hard sigmoid",
        fn=lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
        grad=lambda x: _ramp_grad(x, -3.0, 3.0, 1.0 / 6.0),
        formula=r"f(x) = \frac{\operatorname{ReLU6}(x + 3)}{6} = \min\Bigl(1, \max\bigl(0, "
        r"\tfrac{x}{6} + \tfrac{1}{2}\bigr)\Bigr)",
        derivative_formula=(
            r"f'(x) = \begin{cases} \tfrac{1}{6} & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}"
        ),
        kink=_RAMP_KINK,
        kinks=lambda: (-3.0, 3.0),
        note=(
            "A piecewise-linear sigmoid for cheap inference: x/6 + 1/2 clipped to [0, 1], as in "
            "PyTorch and Keras 3. Keras 2 used 0.2x + 0.5 instead, so a model moved between "
            "versions can give different outputs."
        ),
        pytorch="torch.nn.Hardsigmoid()",
        keras="keras.layers.Activation('hard_sigmoid')",
        jax="jax.nn.hard_sigmoid",
    ),
    Activation(
        name="hard_swish",
        label="Hard swish (hard SiLU)",
        fn=_hard_swish,
        grad=_hard_swish_grad,
        fused=_hard_swish_fused,
        formula=r"f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}",
        derivative_formula=(
            r"f'(x) = \begin{cases} 0 & x \le -3 \\ \tfrac{2x + 3}{6} & -3 < x < 3 \\ "
            r"1 & x \ge 3 \end{cases}"
        ),
        kink="f′ jumps at ±3 (from 0 to −1/2, from 3/2 to 1); PyTorch's f′(−3) = 0, f′(3) = 1",
        kinks=lambda: (-3.0, 3.0),
        note=(
            "x·relu6(x + 3)/6, MobileNetV3's cheap stand-in for Swish. It follows Swish's shape, "
            "including a dip below zero (to −0.375 at x = −1.5), but its slope jumps at x = ±3."
        ),
        pytorch="torch.nn.Hardswish()",
        keras="keras.layers.Activation('hard_silu')",
        jax="jax.nn.hard_swish",
    ),
    Activation(
        name="sparse_sigmoid",
        label="Sparse sigmoid",
        fn=lambda x: 0.5 * (np.clip(x, -1.0, 1.0) + 1.0),
        grad=lambda x: _ramp_grad(x, -1.0, 1.0, 0.5),
        formula=r"f(x) = \frac{1}{2}\bigl(\operatorname{clip}(x, -1, 1) + 1\bigr)",
        derivative_formula=(
            r"f'(x) = \begin{cases} \tfrac{1}{2} & -1 < x < 1 \\ 0 & \text{otherwise} \end{cases}"
        ),
        kink=_RAMP_KINK,
        kinks=lambda: (-1.0, 1.0),
        note=(
            "(x + 1)/2 clipped to [0, 1] (JAX and Keras), the derivative of sparse plus. Like hard "
            "sigmoid it outputs exact 0s and 1s and passes no gradient there, but its ramp is "
            "steeper: slope 1/2 on [−1, 1] against 1/6 on [−3, 3]."
        ),
        keras="keras.layers.Activation('sparse_sigmoid')",
        expr="({ns}.relu(x + 1) - {ns}.relu(x - 1)) / 2",
        jax="jax.nn.sparse_sigmoid",
    ),
    # Shrink functions -----------------------------------------------------------------------------
    Activation(
        name="soft_shrink",
        label="Soft shrink (soft thresholding)",
        fn=_soft_shrink,
        grad=_shrink_grad,
        formula=(
            r"f(x) = \begin{cases} x - \lambda & x > \lambda \\ 0 & |x| \le \lambda \\ "
            r"x + \lambda & x < -\lambda \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}"
        ),
        params=(_lam_shrink(),),
        kink="f′(±λ) = 0 (PyTorch's convention: the dead zone is closed)",
        kinks=lambda lam: (-lam, lam) if lam > 0 else (0.0,),
        note=(
            "Moves every input λ towards zero and sets [−λ, λ] to zero: the proximal step of an "
            "L1 penalty, used in sparse coding and denoising. Inside the dead zone the gradient "
            "is 0."
        ),
        pytorch="torch.nn.Softshrink(lambd={lam})",
        keras=(
            "keras.layers.Activation(lambda x: keras.activations.soft_shrink(x, threshold={lam}))"
        ),
        expr="{ns}.sign(x) * {ns}.relu({ns}.abs(x) - {lam})",
    ),
    Activation(
        name="hard_shrink",
        label="Hard shrink (hard thresholding)",
        fn=_hard_shrink,
        grad=_shrink_grad,
        fused=_hard_shrink_fused,
        formula=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}"
        ),
        params=(_lam_shrink(),),
        kink="f jumps at ±λ; f′(±λ) = 0 (the dead zone is closed)",
        kinks=lambda lam: (-lam, lam) if lam > 0 else (0.0,),
        note=(
            "Keeps x when |x| > λ and zeroes it otherwise (hard thresholding). Unlike soft shrink "
            "the output jumps at ±λ, so it is not even continuous there."
        ),
        pytorch="torch.nn.Hardshrink(lambd={lam})",
        keras=(
            "keras.layers.Activation(lambda x: keras.activations.hard_shrink(x, threshold={lam}))"
        ),
        expr="{ns}.where({ns}.abs(x) > {lam}, x, 0.0)",
    ),
    Activation(
        name="tanh_shrink",
        label="Tanh shrink",
        fn=_tanh_shrink,
        grad=lambda x: np.square(np.tanh(x)),
        fused=_tanh_shrink_fused,
        formula=r"f(x) = x - \tanh(x)",
        derivative_formula=r"f'(x) = \tanh^2(x)",
        note=(
            "x − tanh(x): almost flat (about x³/3) near 0 and tending to x ∓ 1 for large |x|. Its "
            "derivative tanh²(x) is tiny near the origin, so small signals pass almost no "
            "gradient; it is rare in modern networks."
        ),
        pytorch="torch.nn.Tanhshrink()",
        keras="keras.layers.Activation('tanh_shrink')",
        expr="x - {ns}.tanh(x)",
    ),
    # The rest -------------------------------------------------------------------------------------
    Activation(
        name="softsign",
        label="Softsign",
        fn=_softsign,
        grad=_softsign_grad,
        fused=_softsign_fused,
        formula=r"f(x) = \frac{x}{1 + |x|}",
        derivative_formula=r"f'(x) = \frac{1}{(1 + |x|)^2}",
        note=(
            "x/(1 + |x|): tanh's shape, but its tails approach ±1 polynomially rather than "
            "exponentially. The gradient decays like 1/x², so it saturates more gently than tanh."
        ),
        pytorch="torch.nn.Softsign()",
        keras="keras.layers.Activation('softsign')",
        jax="jax.nn.soft_sign",
    ),
    Activation(
        name="log_sigmoid",
        label="Log-sigmoid",
        fn=_log_sigmoid,
        grad=_log_sigmoid_grad,
        fused=_log_sigmoid_fused,
        formula=r"f(x) = \log \sigma(x) = -\log\bigl(1 + e^{-x}\bigr)",
        derivative_formula=r"f'(x) = 1 - \sigma(x) = \sigma(-x)",
        note=(
            "log σ(x) = −softplus(−x): always negative, close to x for very negative x and to 0 "
            "for large x. It is the log-likelihood in logistic regression, which is why libraries "
            "offer it as one stable function: log(sigmoid(x)) underflows to log 0 = −∞."
        ),
        pytorch="torch.nn.LogSigmoid()",
        keras="keras.layers.Activation('log_sigmoid')",
        jax="jax.nn.log_sigmoid",
    ),
    Activation(
        name="arctan",
        label="Arctan",
        fn=np.arctan,
        grad=lambda x: 1.0 / (1.0 + np.square(x)),
        formula=r"f(x) = \arctan(x)",
        derivative_formula=r"f'(x) = \frac{1}{1 + x^2}",
        note=(
            "The inverse tangent: a sigmoid-shaped curve with range (−π/2, π/2) and slope 1 at 0. "
            "It approaches its limits like 1/x, much more slowly than tanh, so it saturates less "
            "abruptly."
        ),
        expr="{ns}.arctan(x)",
    ),
    Activation(
        name="isru",
        label="ISRU (inverse square root unit)",
        fn=lambda x, alpha: x * _isru_factor(x, alpha),
        grad=lambda x, alpha: _isru_factor(x, alpha) ** 3,
        formula=r"f(x) = \frac{x}{\sqrt{1 + \alpha x^2}}",
        derivative_formula=r"f'(x) = \Bigl(\frac{1}{\sqrt{1 + \alpha x^2}}\Bigr)^{3}",
        params=(_alpha(1.0, 0.0, 3.0, 0.05, "Range is (−1/√α, 1/√α); α = 0 is the identity"),),
        note=(
            "x/√(1 + αx²): a tanh-like curve with range (−1/√α, 1/√α) that needs only a square "
            "root. α = 0 gives the identity."
        ),
        expr="x / {ns}.sqrt(1 + {alpha} * {ns}.square(x))",
    ),
    Activation(
        name="isrlu",
        label="ISRLU (inverse square root linear unit)",
        fn=lambda x, alpha: np.where(x >= 0, x, x * _isru_factor(x, alpha)),
        grad=lambda x, alpha: np.where(x >= 0, 1.0, _isru_factor(x, alpha) ** 3),
        formula=(
            r"f(x) = \begin{cases} x & x \ge 0 \\ \dfrac{x}{\sqrt{1 + \alpha x^2}} & x < 0"
            r"\end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & x \ge 0 \\ \Bigl(\dfrac{1}{\sqrt{1 + \alpha x^2}}"
            r"\Bigr)^{3} & x < 0 \end{cases}"
        ),
        params=(_alpha(1.0, 0.0, 3.0, 0.05, "Saturates to −1/√α for very negative x"),),
        note=(
            "The identity for x ≥ 0 and ISRU for x < 0, saturating to −1/√α: an ELU look-alike "
            "without exp. Both sides have slope 1 at 0, so it is C¹."
        ),
        expr="{ns}.where(x >= 0, x, x / {ns}.sqrt(1 + {alpha} * {ns}.square(x)))",
    ),
    Activation(
        name="bent_identity",
        label="Bent identity",
        fn=_bent_identity,
        grad=lambda x: x / (2.0 * np.hypot(x, 1.0)) + 1.0,
        formula=r"f(x) = \frac{\sqrt{x^2 + 1} - 1}{2} + x",
        derivative_formula=r"f'(x) = \frac{x}{2\sqrt{x^2 + 1}} + 1",
        note=(
            "A smooth, monotonic, unbounded curve whose slope goes from 1/2 on the far left to "
            "3/2 on the far right. It never saturates, so gradients neither vanish nor become "
            "exactly zero."
        ),
        expr="({ns}.sqrt({ns}.square(x) + 1) - 1) / 2 + x",
    ),
    Activation(
        name="gaussian",
        label="Gaussian",
        fn=lambda x: np.exp(-np.square(x)),
        grad=lambda x: -2.0 * x * np.exp(-np.square(x)),
        formula=r"f(x) = e^{-x^2}",
        derivative_formula=r"f'(x) = -2x\,e^{-x^2}",
        note=(
            "A bump, as in radial basis function networks, not a step. It is non-monotonic and "
            "its gradient vanishes on both sides, so a unit only learns from inputs near its "
            "centre."
        ),
        expr="{ns}.exp(-{ns}.square(x))",
    ),
    Activation(
        name="sinusoid",
        label="Sinusoid",
        fn=np.sin,
        grad=np.cos,
        formula=r"f(x) = \sin(x)",
        derivative_formula=r"f'(x) = \cos(x)",
        note=(
            "Periodic, so many inputs give the same output and the loss surface has many "
            "equivalent minima. It is used where periodicity is the point (SIREN networks for "
            "signals and images, with careful initialisation), rarely as a general hidden layer."
        ),
        expr="{ns}.sin(x)",
    ),
    Activation(
        name="sinc",
        label="Sinc",
        fn=_sinc,
        grad=_sinc_grad,
        formula=(r"f(x) = \begin{cases} \dfrac{\sin x}{x} & x \ne 0 \\ 1 & x = 0 \end{cases}"),
        derivative_formula=(
            r"f'(x) = \begin{cases} \dfrac{\cos x}{x} - \dfrac{\sin x}{x^2} & x \ne 0 \\ "
            r"0 & x = 0 \end{cases}"
        ),
        note=(
            "sin(x)/x with the value 1 at 0: the unnormalised sinc, unlike numpy's and torch's "
            "sin(πx)/(πx). It is non-monotonic with decaying ripples, mostly a curiosity of "
            "activation catalogues."
        ),
        expr="{ns}.where(x == 0, 1.0, {ns}.sin(x) / x)",
    ),
    Activation(
        name="exponential",
        label="Exponential",
        fn=_exponential,
        grad=_exponential,
        formula=r"f(x) = e^{x}",
        derivative_formula=r"f'(x) = e^{x}",
        kink="none; for x > 709.78 the value is capped just below float64's maximum",
        note=(
            "Positive and unbounded, with a derivative equal to itself, so large inputs explode "
            "quickly. It suits an output that must be positive, such as a rate or a scale, rather "
            "than hidden layers; above x ≈ 709.78 the value is capped at float64's largest."
        ),
        keras="keras.layers.Activation('exponential')",
        expr="{ns}.exp(x)",
    ),
    # 2016–2026 additions --------------------------------------------------------------------------
    Activation(
        name="quick_gelu",
        label="Quick GELU (x·σ(1.702x))",
        fn=lambda x: _swish_fused(x, _QUICK_GELU)[0],
        grad=lambda x: _swish_fused(x, _QUICK_GELU)[1],
        fused=lambda x: _swish_fused(x, _QUICK_GELU),
        formula=r"f(x) = x\,\sigma(1.702\,x)",
        derivative_formula=(
            r"f'(x) = \sigma(1.702\,x) + 1.702\,x\,\sigma(1.702\,x)\bigl(1 - \sigma(1.702\,x)\bigr)"
        ),
        note=(
            "GELU approximated as x·σ(1.702x), a Swish with β = 1.702: OpenAI's CLIP was trained "
            "with it, so Hugging Face offers it as quick_gelu for CLIP-style models. It differs "
            "from exact GELU by up to about 0.02, far more than the tanh approximation does."
        ),
        expr="x * {ns}.sigmoid(1.702 * x)",
    ),
    Activation(
        name="lisht",
        label="LiSHT (x·tanh x)",
        fn=_first(_lisht_fused),
        grad=_second(_lisht_fused),
        fused=_lisht_fused,
        formula=r"f(x) = x \tanh(x)",
        derivative_formula=r"f'(x) = \tanh(x) + x\,\operatorname{sech}^2(x)",
        note=(
            "The linearly scaled hyperbolic tangent (Roy and others, 2019): x·tanh(x) is even, "
            "never negative and tends to |x|. Its slope is negative for every x < 0, so a "
            "negative input is pushed the opposite way to ReLU-like units; it is rarely used in "
            "practice."
        ),
        expr="x * {ns}.tanh(x)",
    ),
    Activation(
        name="golu",
        label="GoLU (Gompertz linear unit)",
        fn=_first(_golu_fused),
        grad=_second(_golu_fused),
        fused=_golu_fused,
        formula=r"f(x) = x\,e^{-e^{-x}}",
        derivative_formula=r"f'(x) = e^{-e^{-x}} + x\,e^{-x}\,e^{-e^{-x}}",
        note=(
            "x times the Gompertz curve e^{−e^{−x}} (Das and others, 2025): a self-gated unit "
            "like GELU and Swish, but its gate is asymmetric, flattening fast on the left and "
            "approaching 1 slowly on the right. It was proposed as a drop-in for GELU in vision "
            "and language models."
        ),
        expr="x * {ns}.exp(-{ns}.exp(-x))",
    ),
    Activation(
        name="snake",
        label="Snake (x + sin²(αx)/α)",
        fn=_snake,
        grad=_snake_grad,
        formula=(
            r"f(x) = x + \frac{\sin^2(\alpha x)}{\alpha} \quad (f(x) = x \text{ at } \alpha = 0)"
        ),
        derivative_formula=r"f'(x) = 1 + \sin(2\alpha x)",
        params=(
            _alpha(1.0, 0.0, 5.0, 0.05, "Frequency; learned per channel (BigVGAN starts at 1)"),
        ),
        note=(
            "The identity plus a periodic ripple (Liu Ziyin and others, 2020), for data that "
            "repeats: BigVGAN and other neural audio vocoders use it with α learned per "
            "channel. As α → 0 it tends to the identity, and it is monotonic, since its slope "
            "1 + sin(2αx) never goes below 0."
        ),
        expr=lambda alpha: "x" if alpha == 0 else "x + {ns}.sin({alpha} * x) ** 2 / {alpha}",
    ),
    Activation(
        name="dyt",
        label="DyT (dynamic tanh)",
        fn=_first(_dyt_fused),
        grad=_second(_dyt_fused),
        fused=_dyt_fused,
        formula=r"f(x) = \tanh(\alpha x)",
        derivative_formula=r"f'(x) = \alpha\,\bigl(1 - \tanh^2(\alpha x)\bigr)",
        params=(_alpha(0.5, 0.0, 5.0, 0.05, "Learned scale; the paper starts it at 0.5"),),
        note=(
            "Dynamic Tanh (Zhu and others, 2025) replaces LayerNorm in Transformers without "
            "normalisation: tanh(αx) with one learned α squashes the rare huge activations as "
            "normalisation would, without computing any statistics. The full layer is "
            "γ·tanh(αx) + β, where the per-channel γ and β rescale and shift the output as "
            "LayerNorm's affine weights do."
        ),
        expr="{ns}.tanh({alpha} * x)",
    ),
    Activation(
        name="laplace",
        label="Laplace (MEGA's attention activation)",
        fn=_first(_laplace_fused),
        grad=_second(_laplace_fused),
        fused=_laplace_fused,
        formula=(
            r"f(x) = \frac{1}{2}\Bigl(1 + \operatorname{erf}\Bigl(\frac{x - \mu}{\sigma\sqrt{2}}"
            r"\Bigr)\Bigr)"
        ),
        derivative_formula=(r"f'(x) = \frac{1}{\sigma\sqrt{2\pi}}\,e^{-(x - \mu)^2 / (2\sigma^2)}"),
        params=(
            Param("mu", "μ", math.sqrt(0.5), -3.0, 3.0, 0.01, "Centre: √½ (MEGA)", "μ (mu)"),
            Param(
                "sigma",
                "σ",
                math.sqrt(1.0 / (4.0 * math.pi)),
                0.05,
                3.0,
                0.01,
                "Width: √(1/(4π)) (MEGA)",
                "σ (sigma)",
            ),
        ),
        note=(
            "The normal CDF centred at μ = √½ with width σ = √(1/(4π)): MEGA (Ma and others, "
            "2022) uses it for attention weights as a bounded stand-in for squared ReLU, and "
            "Hugging Face ships it as laplace. Its output stays in (0, 1) and its slope is at "
            "most 1/(σ√(2π)), √2 at the defaults, so it saturates on both sides."
        ),
        expr="(1 + {ns}.erf((x - {mu}) / ({sigma} * 2**0.5))) / 2",
    ),
    Activation(
        name="xielu",
        label="xIELU (expanded integral of the ELU)",
        fn=_first(_xielu_fused),
        grad=_second(_xielu_fused),
        fused=_xielu_fused,
        formula=(
            r"f(x) = \beta x + \begin{cases} \alpha_p x^2 & x > 0 \\ "
            r"\alpha_n\bigl(e^{\min(x, \varepsilon)} - 1 - x\bigr) & x \le 0 \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \beta + \begin{cases} 2\alpha_p x & x > 0 \\ -\alpha_n & "
            r"\varepsilon \le x \le 0 \\ \alpha_n (e^{x} - 1) & x < \varepsilon \end{cases}"
        ),
        params=(
            Param(
                "alpha_p",
                "αₚ",
                0.8,
                0.0,
                3.0,
                0.05,
                "Effective positive curvature, softplus of the trained weight (init 0.8)",
                "αₚ (alpha_p)",
            ),
            Param(
                "alpha_n",
                "αₙ",
                0.8,
                0.0,
                3.0,
                0.05,
                "Effective negative scale, β + softplus of the trained weight (init 0.8)",
                "αₙ (alpha_n)",
            ),
            Param("beta", "β", 0.5, 0.0, 2.0, 0.05, "Fixed linear slope (0.5)", "β (beta)"),
            Param(
                "eps",
                "ε",
                -1e-6,
                -1.0,
                0.0,
                0.01,
                "expm1 is frozen at ε above it (Hugging Face −1e-6)",
                "ε (eps)",
            ),
        ),
        kink=(
            "f′ jumps at ε (from about β to β − αₙ) and at 0 (back to β); f′ = β − αₙ on "
            "[ε, 0], ends included. f itself jumps at 0, by αₙ(1 − e^ε): 8e-7 at the defaults, "
            "far too small to see"
        ),
        kinks=_xielu_kinks,
        note=(
            "xIELU (Huang and Schlag, 2024; the Apertus models) integrates a trainable ELU-like "
            "gradient: quadratic for x > 0 and ELU-shaped for x ≤ 0. Hugging Face's "
            "XIELUActivation trains unconstrained weights and uses αₚ = softplus(wₚ) and "
            "αₙ = β + softplus(wₙ), which keeps both positive; the sliders set those effective "
            "values, 0.8 and 0.8 at initialisation."
        ),
        expr=(
            "{ns}.where(x > 0, {alpha_p} * x * x + {beta} * x, "
            "{alpha_n} * ({ns}.expm1({ns}.where(x < {eps}, x, {eps})) - x) + {beta} * x)"
        ),
    ),
    Activation(
        name="srelu",
        label="SReLU (S-shaped ReLU)",
        fn=_first(_srelu_fused),
        grad=_second(_srelu_fused),
        fused=_srelu_fused,
        formula=(
            r"f(x) = \begin{cases} t_r + a_r (x - t_r) & x \ge t_r \\ x & t_l < x < t_r \\ "
            r"t_l + a_l (x - t_l) & x \le t_l \end{cases}"
        ),
        derivative_formula=(
            r"f'(x) = \begin{cases} a_r & x \ge t_r \\ 1 & t_l < x < t_r \\ a_l & x \le t_l"
            r"\end{cases}"
        ),
        params=(
            Param("t_left", "tₗ", -1.0, -3.0, 3.0, 0.05, "Left threshold", "tₗ (t_left)"),
            Param("a_left", "aₗ", 0.1, -1.0, 2.0, 0.01, "Slope left of tₗ", "aₗ (a_left)"),
            Param("t_right", "tᵣ", 1.0, -3.0, 3.0, 0.05, "Right threshold", "tᵣ (t_right)"),
            Param("a_right", "aᵣ", 0.1, -1.0, 2.0, 0.01, "Slope right of tᵣ", "aᵣ (a_right)"),
        ),
        kink="f′(tₗ) = aₗ and f′(tᵣ) = aᵣ: the outer pieces own the thresholds",
        kinks=_srelu_kinks,
        note=(
            "Three lines (Jin and others, 2016): the identity between the thresholds tₗ and tᵣ "
            "and slopes aₗ, aᵣ beyond them, all four learned per channel. With small outer "
            "slopes it is S-shaped like tanh, with aᵣ > 1 it can be convex, so one unit covers "
            "shapes ReLU and Leaky ReLU cannot."
        ),
        expr=(
            "{ns}.where(x >= {t_right}, {t_right} + {a_right} * (x - {t_right}), "
            "{ns}.where(x <= {t_left}, {t_left} + {a_left} * (x - {t_left}), x))"
        ),
        orders=(Order("t_left", "t_right"),),
    ),
]

ACTIVATIONS: dict[str, Activation] = {act.name: act for act in _CATALOGUE}


# --- properties, computed from the function ------------------------------------------------------

# Where properties() looks: a dense grid where the shapes are, and far points for the tails.
_DENSE = np.linspace(-50.0, 50.0, 4001)
_FAR = np.array([1e2, 1e3, 1e4, 1e5, 1e6])
_GRID = np.concatenate([-_FAR[::-1], _DENSE, _FAR])
# Values this large only come from overflow caps (the exponential): they stand for +∞.
_HUGE = 1e300


@dataclass(frozen=True)
class Properties:
    r"""What a page can say about an activation at given parameters, computed from f itself.

    Everything is estimated numerically from f and f′ on x ∈ [−1e6, 1e6] (a dense grid on
    [−50, 50], far points 1e2 … 1e6 on both sides, and both sides of every kink), so it is right
    for the parameters actually set, and wrong only in ways a plot would be too.

    * ``output_range``: (inf f, sup f); an end is ±∞ when f keeps growing at the far points, and
      a limit approached like 1/x is extrapolated (softsign's sup is 1, not 0.999999).
    * ``monotonic``: f non-decreasing or non-increasing everywhere looked at.
    * ``zero_centred``: f(0) = 0 and f takes both signs (so tanh and ELU are, sigmoid and
      ReLU are not). It says where the output is centred, not that its mean is 0.
    * ``continuous`` / ``smooth_c1``: no jump of f, and no jump of f′ either, at any kink.
    * ``saturates_left`` / ``saturates_right``: |f′| → 0 as x → −∞ / +∞. ReLU saturates on the
      left in this sense: that flat half is where dying units live.
    * ``limit_left`` / ``limit_right``: lim f at −∞ / +∞ (±∞ if unbounded, nan if f oscillates).
    * ``minimum``/``argmin`` and ``maximum``/``argmax``: an attained interior extremum of a
      non-monotonic f (Swish: −0.278 at −1.278), nan when there is none.
    * ``attains_low`` / ``attains_high``: whether f reaches the end of its range at some x, so
      the range reads [0, ∞) for ReLU but (0, 1) for the sigmoid, whose ends are only limits.
      Checked exactly on |x| ≤ 8, where every approached-only end (sigmoid, tanh, ELU, Gaussian)
      is still visibly away from f in float64.
    """

    output_range: tuple[float, float]
    bounded_below: bool
    bounded_above: bool
    monotonic: bool
    zero_centred: bool
    continuous: bool
    smooth_c1: bool
    max_abs_derivative: float
    saturates_left: bool
    saturates_right: bool
    limit_left: float
    limit_right: float
    minimum: float = math.nan
    argmin: float = math.nan
    maximum: float = math.nan
    argmax: float = math.nan
    attains_low: bool = False
    attains_high: bool = False


def _tail_limit(values: Array) -> float:
    """The limit of a sequence sampled at x = 1e2, 1e3, …, 1e6 (outwards): ±inf, a number, nan.

    Growth that does not slow down (increments not shrinking by half per decade) is ±∞; a
    monotone approach is extrapolated with Aitken's Δ² (exact for increments shrinking
    geometrically, as 1/x does) and rounded to 9 significant digits of the sampled scale, about
    what the extrapolation can promise (softsign: 1, not 1.0000000001); an oscillation whose
    swings shrink tends to its last value; anything else has no limit (nan).
    """
    if np.any(np.abs(values) >= _HUGE):
        return math.copysign(math.inf, float(values[np.argmax(np.abs(values))]))
    steps = np.diff(values)
    if np.all(steps == 0) or steps[-1] == 0:
        return float(values[-1]) + 0.0  # + 0.0 turns −0.0 into 0.0
    if np.all(steps >= 0) or np.all(steps <= 0):
        last, before = float(steps[-1]), float(steps[-2])
        if abs(last) >= 0.5 * abs(before):
            return math.copysign(math.inf, last)
        limit = float(values[-1]) - last * last / (last - before)
        quantum = 10.0 ** (math.floor(math.log10(float(np.max(np.abs(values))))) - 8)
        if quantum == 0.0:  # subnormal samples: their 9th digit is below float64's range
            return limit + 0.0
        return round(limit / quantum) * quantum + 0.0
    shrinking = np.abs(steps[1:]) <= 0.5 * np.abs(steps[:-1])
    if shrinking[-1] and shrinking[-2]:
        return float(values[-1]) + 0.0
    return math.nan


def _step(xs: Array, i: int) -> float:
    """The larger gap between the grid point ``xs[i]`` (not an end) and its neighbours."""
    return float(max(xs[i] - xs[i - 1], xs[i + 1] - xs[i]))


def _refine(score: Callable[[Array], Array], x0: float, width: float) -> float:
    """argmin of ``score`` within ``width`` of the grid point x0 (its step, :func:`_step`): two
    2001-point zooms."""
    best = x0
    for _ in range(2):
        xs = np.linspace(best - width, best + width, 2001)
        best = float(xs[np.argmin(score(xs))])
        width = float(xs[1] - xs[0])
    return best


def properties(act: Activation, **params: float) -> Properties:
    """The shape facts of ``act`` at ``params`` (defaults for the rest); see :class:`Properties`.

    Fast enough to run on every slider move: a few vectorised evaluations of f and f′ on about
    4,000 points.
    """
    resolved = act.resolve(params)
    kinks = np.asarray(act.kinks(**resolved), dtype=np.float64)
    xs = np.sort(np.concatenate([_GRID, kinks, *_beside(kinks)]))
    f = act.fn(xs, **resolved)
    df = act.grad(xs, **resolved)

    n_far = len(_FAR)
    limit_left = _tail_limit(f[:n_far][::-1])
    limit_right = _tail_limit(f[-n_far:])
    finite_f = f[np.abs(f) < _HUGE]
    lo = min(float(finite_f.min()), limit_left, limit_right, key=_nan_last)
    hi = max(float(finite_f.max()), limit_left, limit_right, key=_nan_first)

    steps = np.diff(f)
    tol = 1e-12 * np.abs(f[1:]) + 1e-12 * np.abs(f[:-1]) + 1e-300
    non_decreasing = bool(np.all(steps >= -tol))
    non_increasing = bool(np.all(steps <= tol))
    monotonic = non_decreasing or non_increasing

    limits = act.kink_limits(**resolved)
    continuous = not any(k.f.jumps for k in limits)
    smooth_c1 = continuous and not any(k.df.jumps for k in limits)

    abs_df = np.abs(df)
    d_limits = (
        _tail_limit(abs_df[:n_far][::-1]),
        _tail_limit(abs_df[-n_far:]),
    )
    dense = abs_df[n_far:-n_far]
    finite_limits = [v for v in d_limits if math.isfinite(v)]
    max_abs_derivative = max([float(np.max(np.where(abs_df < _HUGE, abs_df, 0.0))), *finite_limits])
    i_steep = int(np.argmax(np.where(abs_df < _HUGE, abs_df, 0.0)))
    if 0 < i_steep < len(xs) - 1:  # a peak of |f′| inside: refine it (the Gaussian's at ±1/√2)
        # Between its grid neighbours: out in the sparse tail too, where swish with a small β
        # peaks (at x ≈ 2.4/β: 51 for β = 0.047, between the grid's 50 and 100).
        x_steep = _refine(
            lambda z: -np.abs(act.grad(z, **resolved)), float(xs[i_steep]), _step(xs, i_steep)
        )
        steepest = float(np.abs(act.grad(np.asarray(x_steep), **resolved)))
        max_abs_derivative = max(max_abs_derivative, steepest)
    if any(math.isinf(v) for v in d_limits) or np.any(abs_df >= _HUGE):
        max_abs_derivative = math.inf
    flat = 1e-4 * max(1.0, float(dense.max()))
    saturates_left, saturates_right = (
        not math.isnan(v) and not math.isinf(v) and v <= flat for v in d_limits
    )

    f0 = float(act.fn(np.zeros(()), **resolved))
    zero_centred = abs(f0) <= 1e-12 and lo < 0.0 < hi

    extrema: dict[str, float] = {}
    if not monotonic:
        tails = [v for v in (limit_left, limit_right) if not math.isnan(v)]
        finite = np.abs(f) < _HUGE  # an overflow cap is never an extremum
        for key, sign in (("min", 1.0), ("max", -1.0)):
            # The whole grid, tails included: swish with a small β has its minimum at
            # x ≈ −1.28/β, beyond the dense grid's −50 once β < 0.026.
            values = np.where(finite, sign * f, math.inf)
            best = float(values.min())
            # Grid-local minima (the true one is within a step of them) that are (nearly) the
            # lowest; of equal ones (a sine's), the one nearest 0.
            local = np.zeros(values.shape, dtype=bool)
            local[1:-1] = (values[1:-1] <= values[:-2]) & (values[1:-1] <= values[2:])
            near = np.flatnonzero(local & (values <= best + 1e-4 * (1.0 + abs(best))))
            if near.size == 0:
                continue
            i = int(near[np.argmin(np.abs(xs[near]))])
            # Attained, and not just the value approached in a tail (the Gaussian's 0).
            if all(sign * v > best + 1e-9 for v in tails):
                x_best = _refine(
                    lambda z, s=sign: s * act.fn(z, **resolved), float(xs[i]), _step(xs, i)
                )
                extrema[key] = float(act.fn(np.asarray(x_best), **resolved))
                extrema["arg" + key] = x_best
    lo = min(lo, extrema.get("min", lo))
    hi = max(hi, extrema.get("max", hi))
    window = f[np.abs(xs) <= 8.0]
    attains_low = math.isfinite(lo) and ("min" in extrema or bool(np.any(window == lo)))
    attains_high = math.isfinite(hi) and ("max" in extrema or bool(np.any(window == hi)))

    return Properties(
        output_range=(lo, hi),
        bounded_below=math.isfinite(lo),
        bounded_above=math.isfinite(hi),
        monotonic=monotonic,
        zero_centred=zero_centred,
        continuous=continuous,
        smooth_c1=smooth_c1,
        max_abs_derivative=max_abs_derivative,
        saturates_left=saturates_left,
        saturates_right=saturates_right,
        limit_left=limit_left,
        limit_right=limit_right,
        minimum=extrema.get("min", math.nan),
        argmin=extrema.get("argmin", math.nan),
        maximum=extrema.get("max", math.nan),
        argmax=extrema.get("argmax", math.nan),
        attains_low=attains_low,
        attains_high=attains_high,
    )


def _nan_last(v: float) -> float:
    """Sort key for min(): a nan limit (no limit) never wins."""
    return math.inf if math.isnan(v) else v


def _nan_first(v: float) -> float:
    """Sort key for max(): a nan limit (no limit) never wins."""
    return -math.inf if math.isnan(v) else v
