"""The activation catalogue (placeholder: extended by the catalogue work)."""

import numpy as np

import activations as A


def test_relu_kink_convention_is_zero():
    assert A.ACTIVATIONS["relu"].derivative(0.0) == 0.0


def test_elu_saturates_to_minus_alpha():
    assert np.isclose(A.ACTIVATIONS["elu"].forward(-50.0, alpha=2.0), -2.0)
