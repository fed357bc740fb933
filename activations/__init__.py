"""Activation Lab's NumPy core: activations, softmax and the depth simulator.

Pure NumPy (and ``scipy.special``); no Streamlit or Plotly import anywhere in this package.
"""

from activations.depth import simulate
from activations.functions import ACTIVATIONS, Activation, Param, Properties, properties
from activations.softmax import (
    cross_entropy,
    cross_entropy_grad,
    entropy,
    log_softmax,
    parse_logits,
    softmax,
    softmax_jacobian,
)

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Param",
    "Properties",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "log_softmax",
    "parse_logits",
    "properties",
    "simulate",
    "softmax",
    "softmax_jacobian",
]
