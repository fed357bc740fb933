"""Activation Lab's NumPy core: activations, softmax, the depth simulator and the training lab.

Pure NumPy (and ``scipy.special``); no Streamlit or Plotly import anywhere in this package.
"""

from activations.depth import DepthResult, Verdict, critical_weight_std, simulate, verdict
from activations.functions import (
    ACTIVATIONS,
    Activation,
    Kink,
    OneSided,
    Param,
    Properties,
    properties,
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
    "Activation",
    "Dataset",
    "DepthResult",
    "Kink",
    "OneSided",
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
    "log_softmax",
    "make_dataset",
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
