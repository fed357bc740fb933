"""activations.gated: f(a, b) = a·g(b), its two gradients, the cut b = a, the ⅔-width rule.

Checked against torch (F.glu and the torch.nn.functional gates, autograd for both gradients),
against central differences, and against the parameter counts of published models.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import activations as A
from activations.gated import (
    GATED_UNITS,
    ffn_parameters,
    gated_forward,
    gated_gradients,
    gated_hidden_width,
    on_diagonal,
)

UNITS = list(GATED_UNITS)
RNG = np.random.default_rng(18)
A_VALUES = np.concatenate([RNG.normal(0, 3, 200), [0.0, 1.0, -2.0, 5.0]])
B_VALUES = np.concatenate([RNG.normal(0, 3, 200), [0.0, 0.0, 1e-9, -40.0]])


def test_the_four_units_and_their_gates():
    assert UNITS == ["glu", "reglu", "geglu", "swiglu"]
    assert {u: GATED_UNITS[u].gate for u in UNITS} == {
        "glu": "sigmoid",
        "reglu": "relu",
        "geglu": "gelu",
        "swiglu": "swish",
    }


@pytest.mark.parametrize("unit", UNITS)
def test_forward_and_both_gradients_match_torch(unit):
    torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    F = torch.nn.functional
    a = torch.tensor(A_VALUES, requires_grad=True)
    b = torch.tensor(B_VALUES, requires_grad=True)
    y = {
        "glu": lambda: F.glu(torch.cat([a, b], dim=-1), dim=-1),  # first half · σ(second)
        "reglu": lambda: a * F.relu(b),
        "geglu": lambda: a * F.gelu(b),
        "swiglu": lambda: a * F.silu(b),
    }[unit]()
    y.backward(torch.ones_like(y))
    # atol: torch's GELU keeps fewer digits than our erfc form in the left tail (values ~1e-9).
    tol = {"rtol": 1e-12, "atol": 1e-14}
    np.testing.assert_allclose(gated_forward(unit, A_VALUES, B_VALUES), y.detach().numpy(), **tol)
    da, db = gated_gradients(unit, A_VALUES, B_VALUES)
    np.testing.assert_allclose(da, a.grad.numpy(), **tol)
    np.testing.assert_allclose(db, b.grad.numpy(), **tol)


@pytest.mark.parametrize("unit", UNITS)
def test_gradients_match_central_differences(unit):
    a, b = np.meshgrid(np.linspace(-3, 3, 13), np.linspace(-3.05, 2.95, 13))  # b never 0
    h = 1e-6
    da, db = gated_gradients(unit, a, b)
    np.testing.assert_allclose(
        da,
        (gated_forward(unit, a + h, b) - gated_forward(unit, a - h, b)) / (2 * h),
        rtol=1e-6,
        atol=1e-8,
    )
    np.testing.assert_allclose(
        db,
        (gated_forward(unit, a, b + h) - gated_forward(unit, a, b - h)) / (2 * h),
        rtol=1e-6,
        atol=1e-8,
    )


def test_kink_convention_is_the_gates():
    # ReGLU at b = 0: ∂f/∂b = a·relu′(0) = 0 (PyTorch / JAX).
    assert gated_gradients("reglu", 3.0, 0.0)[1] == 0.0


def test_broadcasting_and_extremes_are_finite():
    grid_a, grid_b = np.linspace(-1e6, 1e6, 7)[:, None], np.linspace(-1e6, 1e6, 9)[None, :]
    for unit in UNITS:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            f = gated_forward(unit, grid_a, grid_b)
            da, db = gated_gradients(unit, grid_a, grid_b)
        assert f.shape == da.shape == db.shape == (7, 9)
        assert np.all(np.isfinite(f)) and np.all(np.isfinite(da)) and np.all(np.isfinite(db))


def test_swiglu_is_not_swish():
    """On the cut b = a SwiGLU is x·Swish(x) = x²σ(x); GLU's cut is x·σ(x), which *is* Swish."""
    x = np.linspace(-6, 6, 121)
    swish = A.ACTIVATIONS["swish"].forward(x)
    sigma = A.ACTIVATIONS["sigmoid"].forward(x)
    f, df = on_diagonal("swiglu", x)
    np.testing.assert_allclose(f, x * x * sigma, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(on_diagonal("glu", x)[0], swish, rtol=1e-13, atol=1e-300)
    assert np.abs(f - swish).max() > 20  # 36σ(6) − 6σ(6) ≈ 29.9 at x = 6
    np.testing.assert_allclose(gated_forward("swiglu", x, x), f, rtol=1e-15)
    # d/dx f(x, x) = ∂f/∂a + ∂f/∂b on the cut.
    da, db = gated_gradients("swiglu", x, x)
    np.testing.assert_allclose(df, da + db, rtol=1e-13, atol=1e-300)
    # With a = 1 it is Swish: f(1, b) = Swish(b).
    np.testing.assert_allclose(gated_forward("swiglu", 1.0, x), swish, rtol=1e-15)


def test_two_thirds_width_keeps_the_parameter_count():
    d = 4096
    assert ffn_parameters(d, 4 * d, gated=False) == 8 * d * d
    assert ffn_parameters(d, 8 * d // 3, gated=True) == pytest.approx(8 * d * d, rel=1e-3)
    assert ffn_parameters(d, 12, gated=True, bias=True) == 3 * d * 12 + 2 * 12 + d
    assert ffn_parameters(d, 12, gated=False, bias=True) == 2 * d * 12 + 12 + d


@given(d=st.integers(1, 10_000), k=st.integers(1, 10_000))
def test_two_thirds_rule_is_exact_when_three_divides_the_width(d, k):
    plain = 3 * k
    width = gated_hidden_width(plain)
    assert width == 2 * k
    assert ffn_parameters(d, width, gated=True) == ffn_parameters(d, plain, gated=False)


@pytest.mark.parametrize(
    ("d_model", "multiple_of", "published"),
    [(4096, 256, 11008), (5120, 256, 13824), (8192, 4096, 24576)],  # LLaMA 7B, 13B; 8192 → 24576
)
def test_llama_hidden_widths(d_model, multiple_of, published):
    assert gated_hidden_width(4 * d_model, multiple_of) == published


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown gated unit"):
        gated_forward("geglu2", 1.0, 1.0)
    with pytest.raises(ValueError, match="d_model"):
        ffn_parameters(0, 4, gated=True)
    with pytest.raises(ValueError, match="plain_hidden"):
        gated_hidden_width(2.5)
    with pytest.raises(ValueError, match="multiple_of"):
        gated_hidden_width(12, 0)


def test_formulas_are_latex_of_the_gate():
    for unit in GATED_UNITS.values():
        assert unit.formula.startswith("f(a, b) = a")
        assert unit.grad_a_formula.endswith("(b)") and "a\\," in unit.grad_b_formula
        assert "torch" in unit.pytorch and unit.note
    assert math.isclose(float(gated_forward("glu", 2.0, 0.0)), 1.0)


def _run_code(header: str, code: str, folder: Path) -> np.ndarray:
    """Run a unit's snippet (our own text) as a module file after ``header`` defines x and
    W_ab (no eval/exec here, as for the catalogue's snippets); return its y."""
    path = folder / f"gated_{abs(hash(header + code))}.py"
    path.write_text(f"{header}\n{code}\n")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return np.asarray(module.y, dtype=np.float64)


@pytest.mark.parametrize("unit", UNITS)
def test_the_units_torch_and_jax_code_compute_the_core(unit, tmp_path):
    x = RNG.normal(0, 2, (5, 3))
    w = RNG.normal(0, 1, (3, 8))
    a, b = np.split(x @ w, 2, axis=-1)
    expected = gated_forward(unit, a, b)
    data = f"x_list = {x.tolist()!r}\nw_list = {w.tolist()!r}\n"
    pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    header = (
        "import torch\n" + data + "x = torch.tensor(x_list, dtype=torch.float64)\n"
        "W_ab = torch.tensor(w_list, dtype=torch.float64)\n"
    )
    got = _run_code(header, GATED_UNITS[unit].pytorch, tmp_path)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    jax = pytest.importorskip("jax", reason="jax not installed: pip install jax==0.10.2")
    jax.config.update("jax_enable_x64", True)
    try:
        header = (
            "import jax\nimport jax.numpy as jnp\n" + data + "x = jnp.asarray(x_list)\n"
            "W_ab = jnp.asarray(w_list)\n"
        )
        got = _run_code(header, GATED_UNITS[unit].jax, tmp_path)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    finally:
        jax.config.update("jax_enable_x64", False)
