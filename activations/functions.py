r"""The activation catalogue: every elementwise activation with its derivative and formulas.

Each entry is one frozen :class:`Activation` record holding the function, its derivative with
respect to the input, the LaTeX shown on the page, its parameters (as :class:`Param` metadata the
pages build sliders from) and a short teaching note. Adding an activation is adding one entry to
``_CATALOGUE`` below; nothing else has to change.

Conventions
-----------
* Inputs are converted to float64 (float32 is accepted); outputs have the input's shape.
* Derivatives are d f / d x with the same signature as the function.
* At a kink the derivative takes the value documented in ``kink`` (PyTorch/JAX: relu'(0) = 0).
* Every formula is written so that it stays finite and warning-free on the whole real line:
  ``expm1`` of clipped inputs, ``logaddexp`` for softplus, ``erfc`` for the normal CDF, and
  derivatives in forms that keep their tails.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Activation:
    """One activation function: f, f′, their LaTeX, parameters and a teaching note."""

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
        return {**known, **{k: float(v) for k, v in params.items()}}

    def forward(self, x: ArrayLike, **params: float) -> Array:
        """f(x), float64, same shape as ``x``."""
        return self.fn(_as_float64(x), **self.resolve(params))

    def derivative(self, x: ArrayLike, **params: float) -> Array:
        """df/dx, float64, same shape as ``x``; kinks follow ``self.kink``."""
        return self.grad(_as_float64(x), **self.resolve(params))

    def kink_points(self, **params: float) -> tuple[float, ...]:
        """The x positions where f′ jumps (or f is not differentiable) at these parameters."""
        return tuple(self.kinks(**self.resolve(params)))


def _as_float64(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


# --- shared numerics ---------------------------------------------------------------------------


def _sigmoid(x: Array) -> Array:
    return special.expit(x)


def _sigmoid_grad(x: Array) -> Array:
    # σ(x)σ(−x) keeps both tails (σ′(±700) ≈ e^−700), where σ(1−σ) is 0 for large x.
    return special.expit(x) * special.expit(-x)


# --- the catalogue -----------------------------------------------------------------------------

_CATALOGUE: list[Activation] = [
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
    ),
    Activation(
        name="sigmoid",
        label="Sigmoid (logistic)",
        fn=_sigmoid,
        grad=_sigmoid_grad,
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_formula=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        note=(
            "The output for binary and multi-label classification. In hidden layers its slope is "
            "at most 0.25 and under 0.007 for |x| > 5, so gradients vanish through depth; its "
            "outputs are not zero-centred."
        ),
    ),
    Activation(
        name="relu",
        label="ReLU",
        fn=lambda x: np.maximum(x, 0.0),
        grad=lambda x: (x > 0).astype(np.float64),
        formula=r"f(x) = \max(0, x)",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        kink="f′(0) = 0 (the PyTorch and JAX convention)",
        kinks=lambda: (0.0,),
        note=(
            "The default for hidden layers: cheap, does not saturate for x > 0, sparse. A unit "
            "whose input stays negative gets no gradient at all and stops learning (dying ReLU)."
        ),
    ),
    Activation(
        name="elu",
        label="ELU",
        fn=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))),
        grad=lambda x, alpha: np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))),
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_formula=(
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = f(x) + \alpha & x \le 0 \end{cases}"
        ),
        params=(
            Param("alpha", "α", 1.0, 0.0, 3.0, 0.05, "Value ELU saturates to is −α", "α (alpha)"),
        ),
        kink="f′(0) = α (the x ≤ 0 branch); C¹ only when α = 1",
        kinks=lambda alpha: () if alpha == 1.0 else (0.0,),
        note=(
            "Linear for positive inputs, exponential for negative ones, saturating to −α: outputs "
            "closer to zero-mean than ReLU and no dead units."
        ),
    ),
]

ACTIVATIONS: dict[str, Activation] = {act.name: act for act in _CATALOGUE}
