"""Activation Lab's NumPy core: activations, softmax and the depth simulator.

Pure NumPy (and ``scipy.special``); no Streamlit or Plotly import anywhere in this package.
"""

from activations.functions import ACTIVATIONS, Activation, Param

__all__ = ["ACTIVATIONS", "Activation", "Param"]
