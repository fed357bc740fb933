r"""Gated linear units: f(a, b) = a · g(b), the feed-forward block of today's language models.

A gated feed-forward layer computes two linear maps of the same input x, a = xW and b = xV,
and multiplies them elementwise after a gate g on one of them; a third map W₂ projects back:

.. math:: \operatorname{FFN}(x) = \bigl(xW \odot g(xV)\bigr) W_2.

GLU (Dauphin and others, 2017) gates with the sigmoid; Shazeer (2020) tried other gates: ReGLU
(ReLU), GEGLU (GELU) and SwiGLU (Swish with β = 1, i.e. SiLU), the one LLaMA, Mistral, Qwen and
most current language models use. Each is a function of *two* inputs, so it is drawn over the
(a, b) plane, with its two partial derivatives

.. math:: \frac{\partial f}{\partial a} = g(b), \qquad \frac{\partial f}{\partial b} = a\,g'(b).

g and g′ are the catalogue's own entries (:data:`activations.ACTIVATIONS`), at their default
parameters, with their kink conventions (relu′(0) = 0). Along the cut b = a the unit reduces to
x·g(x): x·σ(x) for GLU (which *is* SiLU), but x·Swish(x) = x²σ(x) for SwiGLU, which grows like x².
SwiGLU is therefore not Swish: it is a product of two learned projections, one of them gated.

The ⅔-width rule. Without biases a plain FFN of hidden width h has 2·d·h weights (W: d×h,
W₂: h×d); a gated one of width h′ has 3·d·h′ (W, V, W₂). Both cost the same when h′ = ⅔·h, so
Shazeer shrank the hidden width by ⅔ to compare at equal size; LLaMA takes h = 4d, keeps
⅔·4d = 8d/3 and rounds it up to a multiple of 256 (d = 4096: 11008).

Inputs are converted to float64 and broadcast against each other; outputs have the broadcast shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from activations.functions import ACTIVATIONS, Activation

Array = NDArray[np.float64]


@dataclass(frozen=True)
class GatedUnit:
    """One gated unit f(a, b) = a·g(b): its gate (a catalogue slug), LaTeX, note and code.

    ``pytorch`` and ``jax`` are a few lines computing it from the two halves ``a``, ``b`` of a
    projection (the built-in gates of ``torch.nn.functional`` and ``jax.nn``; their ``glu`` for
    GLU itself). The last line of each assigns ``y``.
    """

    name: str
    label: str
    gate: str
    formula: str
    note: str
    pytorch: str
    jax: str

    @property
    def gate_activation(self) -> Activation:
        return ACTIVATIONS[self.gate]

    @property
    def grad_a_formula(self) -> str:
        return r"\frac{\partial f}{\partial a} = " + f"{_GATE_LATEX[self.gate]}(b)"

    @property
    def grad_b_formula(self) -> str:
        return r"\frac{\partial f}{\partial b} = a\," + f"{_GATE_LATEX[self.gate]}'(b)"


_GATE_LATEX = {
    "sigmoid": r"\sigma",
    "relu": r"\operatorname{ReLU}",
    "gelu": r"\operatorname{GELU}",
    "swish": r"\operatorname{Swish}",
}
_CHUNK = "a, b = (x @ W_ab).chunk(2, dim=-1)  # the two halves of one projection, width h′ each\n"
_SPLIT = "a, b = jnp.split(x @ W_ab, 2, axis=-1)  # jnp is jax.numpy\n"

GATED_UNITS: dict[str, GatedUnit] = {
    unit.name: unit
    for unit in (
        GatedUnit(
            name="glu",
            label="GLU (sigmoid gate)",
            gate="sigmoid",
            formula=r"f(a, b) = a\,\sigma(b)",
            note=(
                "The original gated linear unit (Dauphin and others, 2017), from convolutional "
                "language models: half of the projection decides, through a sigmoid, how much of "
                "the other half passes."
            ),
            pytorch=_CHUNK + "y = torch.nn.functional.glu(torch.cat([a, b], dim=-1))  # a·σ(b)",
            jax=_SPLIT + "y = jax.nn.glu(jnp.concatenate([a, b], axis=-1))  # a·σ(b)",
        ),
        GatedUnit(
            name="reglu",
            label="ReGLU (ReLU gate)",
            gate="relu",
            formula=r"f(a, b) = a\,\operatorname{ReLU}(b)",
            note=(
                "Shazeer's (2020) ReLU-gated variant: exactly zero wherever b ≤ 0, whatever a is, "
                "so half of the plane passes no gradient to either input."
            ),
            pytorch=_CHUNK + "y = a * torch.nn.functional.relu(b)",
            jax=_SPLIT + "y = a * jax.nn.relu(b)",
        ),
        GatedUnit(
            name="geglu",
            label="GEGLU (GELU gate)",
            gate="gelu",
            formula=r"f(a, b) = a\,\operatorname{GELU}(b)",
            note=(
                "GELU as the gate (Shazeer, 2020); T5 v1.1 and Gemma use it, both with GELU's "
                "tanh approximation (drawn here: exact GELU, within 5e-4 of it)."
            ),
            pytorch=_CHUNK + "y = a * torch.nn.functional.gelu(b)",
            jax=_SPLIT
            + "y = a * jax.nn.gelu(b, approximate=False)  # JAX's default is the tanh form",
        ),
        GatedUnit(
            name="swiglu",
            label="SwiGLU (Swish gate)",
            gate="swish",
            formula=r"f(a, b) = a\,\operatorname{Swish}(b) = a\,b\,\sigma(b)",
            note=(
                "Swish (SiLU, β = 1) as the gate (Shazeer, 2020): the feed-forward unit of LLaMA, "
                "Mistral, Qwen and most current language models. It is a function of two learned "
                "projections, not Swish of one input."
            ),
            pytorch=_CHUNK + "y = a * torch.nn.functional.silu(b)",
            jax=_SPLIT + "y = a * jax.nn.silu(b)",
        ),
    )
}


def _unit(unit: str | GatedUnit) -> GatedUnit:
    if isinstance(unit, GatedUnit):
        return unit
    if unit not in GATED_UNITS:
        raise ValueError(f"unknown gated unit {unit!r}: one of {sorted(GATED_UNITS)}")
    return GATED_UNITS[unit]


def _pair(a: ArrayLike, b: ArrayLike) -> tuple[Array, Array]:
    return np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))


def gated_forward(unit: str | GatedUnit, a: ArrayLike, b: ArrayLike) -> Array:
    """f(a, b) = a·g(b), elementwise (a and b broadcast), float64."""
    u = _unit(unit)
    a, b = _pair(a, b)
    return a * u.gate_activation.forward(b)


def gated_gradients(unit: str | GatedUnit, a: ArrayLike, b: ArrayLike) -> tuple[Array, Array]:
    """(∂f/∂a, ∂f/∂b) = (g(b), a·g′(b)), with the gate's kink conventions (relu′(0) = 0)."""
    u = _unit(unit)
    a, b = _pair(a, b)
    g, dg = u.gate_activation.forward_and_derivative(b)
    return np.asarray(g, dtype=np.float64), a * dg


def on_diagonal(unit: str | GatedUnit, x: ArrayLike) -> tuple[Array, Array]:
    """The cut b = a = x: f(x, x) = x·g(x) and its slope d/dx f(x, x) = g(x) + x·g′(x)."""
    u = _unit(unit)
    x = np.asarray(x, dtype=np.float64)
    g, dg = u.gate_activation.forward_and_derivative(x)
    return x * g, g + x * dg


def ffn_parameters(d_model: int, d_hidden: int, *, gated: bool, bias: bool = False) -> int:
    """Weights (and biases) of one feed-forward block d_model → d_hidden → d_model.

    Plain: W (d×h) and W₂ (h×d), 2·d·h; gated: W, V (d×h each) and W₂, 3·d·h. Biases add h per
    input map and d for W₂.
    """
    for name, value in (("d_model", d_model), ("d_hidden", d_hidden)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, not {value!r}")
    maps_in = 2 if gated else 1
    weights = (maps_in + 1) * d_model * d_hidden
    return int(weights + (maps_in * d_hidden + d_model if bias else 0))


def gated_hidden_width(plain_hidden: int, multiple_of: int = 1) -> int:
    """The ⅔-width rule: the gated width h′ whose FFN has the plain width's parameter count,
    ⅔·h (truncated, as LLaMA's code does), rounded up to a multiple of ``multiple_of``.

    LLaMA: h = 4·4096 = 16384 → int(⅔·16384) = 10922 → 11008 with multiple_of = 256.
    """
    if int(plain_hidden) != plain_hidden or plain_hidden < 2:
        raise ValueError(f"plain_hidden must be a whole number ≥ 2, not {plain_hidden!r}")
    if int(multiple_of) != multiple_of or multiple_of < 1:
        raise ValueError(f"multiple_of must be a whole number ≥ 1, not {multiple_of!r}")
    width = int(2 * plain_hidden / 3)
    return int(multiple_of * math.ceil(width / multiple_of))
