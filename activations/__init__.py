"""Activation Lab's NumPy core: activations, gated units, softmax and the depth simulator.

Pure NumPy (and ``scipy.special``); no Streamlit or Plotly import anywhere in this package.
"""

from activations.depth import DepthResult, Verdict, critical_weight_std, simulate, verdict
from activations.functions import (
    ACTIVATIONS,
    Activation,
    Kink,
    OneSided,
    Order,
    Param,
    Properties,
    properties,
)
from activations.gated import (
    GATED_UNITS,
    GatedUnit,
    ffn_parameters,
    gated_forward,
    gated_gradients,
    gated_hidden_width,
    on_diagonal,
)
from activations.softmax import (
    cross_entropy,
    cross_entropy_grad,
    entropy,
    log_softmax,
    parse_logits,
    softmax,
    softmax_jacobian,
    softmax_steps,
)

__all__ = [
    "ACTIVATIONS",
    "GATED_UNITS",
    "Activation",
    "DepthResult",
    "GatedUnit",
    "Kink",
    "OneSided",
    "Order",
    "Param",
    "Properties",
    "Verdict",
    "critical_weight_std",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "ffn_parameters",
    "gated_forward",
    "gated_gradients",
    "gated_hidden_width",
    "log_softmax",
    "on_diagonal",
    "parse_logits",
    "properties",
    "simulate",
    "softmax",
    "softmax_jacobian",
    "softmax_steps",
    "verdict",
]
