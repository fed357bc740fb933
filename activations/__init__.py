"""Activation Lab's NumPy core: activations, gated units, softmax, the depth simulator and the
training lab.

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
from activations.training import (
    Dataset,
    TrainingCost,
    TrainingRun,
    check_training_size,
    make_dataset,
    train,
    training_cost,
)

__all__ = [
    "ACTIVATIONS",
    "GATED_UNITS",
    "Activation",
    "Dataset",
    "DepthResult",
    "GatedUnit",
    "Kink",
    "OneSided",
    "Order",
    "Param",
    "Properties",
    "TrainingCost",
    "TrainingRun",
    "Verdict",
    "check_training_size",
    "critical_weight_std",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "ffn_parameters",
    "gated_forward",
    "gated_gradients",
    "gated_hidden_width",
    "log_softmax",
    "make_dataset",
    "on_diagonal",
    "parse_logits",
    "properties",
    "simulate",
    "softmax",
    "softmax_jacobian",
    "softmax_steps",
    "train",
    "training_cost",
    "verdict",
]
