"""The JAX code the explorer offers: every snippet run in JAX against the app's f and f′.

JAX is not a dependency of the app. CI installs its CPU build (``.ci/run``) for the tests that
need it; elsewhere they are skipped, saying so. The snippets are our own generated text, loaded
as a module file (no eval/exec of anything a user typed).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import activations as A
from tests.test_functions import param_sets

NAMES = list(A.ACTIVATIONS)
SKIP_REASON = "jax not installed: pip install jax==0.10.2 (CPU build) to run the JAX snippets"


@pytest.mark.parametrize("name", NAMES)
def test_every_jax_snippet_is_a_callable_expression_or_a_function(name):
    a = A.ACTIVATIONS[name]
    for params in param_sets(a):
        code = a.snippet("jax", **params)
        assert code.startswith(("jax.nn.", "lambda x: jax.nn.", "# ")), code
        assert "{" not in code and "}" not in code, code
        if code.startswith("#"):
            assert f"def {name}(x):" in code and "jnp is jax.numpy" in code


def test_jax_snippets_use_jax_nn_and_its_defaults():
    act = A.ACTIVATIONS
    assert act["relu"].snippet("jax") == "jax.nn.relu"
    assert act["leaky_relu"].snippet("jax", slope=0.2) == (
        "lambda x: jax.nn.leaky_relu(x, negative_slope=0.2)"
    )
    assert act["gelu"].snippet("jax") == "lambda x: jax.nn.gelu(x, approximate=False)"
    assert act["gelu_tanh"].snippet("jax") == "lambda x: jax.nn.gelu(x, approximate=True)"
    selu = act["selu"].snippet("jax", alpha=1.0)
    assert selu.startswith("# jax.nn.selu fixes α to the default") and "jnp.where(" in selu
    # jax.numpy has no sigmoid or erf: the fallback takes them from jax.nn / jax.scipy.
    assert "jax.nn.sigmoid(1.702 * x)" in act["quick_gelu"].snippet("jax")
    assert "jax.scipy.special.erf(" in act["laplace"].snippet("jax")
    assert "jnp.sigmoid" not in act["swish"].snippet("jax", beta=2.0)


def _load(code: str, folder: Path):
    """The callable a snippet defines (``act = jax.nn.relu`` or its ``def``)."""
    builtin = not code.startswith("#")
    header = "import jax\nimport jax.numpy as jnp\nimport jax.scipy.special\n\n"
    source = header + (f"act = {code}\n" if builtin else f"{code}\n")
    path = folder / f"jax_snippet_{abs(hash(code))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if builtin:
        return module.act
    (fn,) = [
        v
        for k, v in vars(module).items()
        if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == path.stem
    ]
    return fn


@pytest.fixture(scope="module")
def jax64():
    jax = pytest.importorskip("jax", reason=SKIP_REASON)
    jax.config.update("jax_enable_x64", True)  # float64, as the app computes
    yield jax
    jax.config.update("jax_enable_x64", False)


@pytest.mark.parametrize("name", NAMES)
def test_jax_snippet_computes_the_same_function_and_jax_grad_the_same_derivative(
    name, tmp_path, jax64
):
    """f on [−8, 8] and jax.grad at a few points, away from kinks: there the frameworks keep
    their own conventions (jax.nn.leaky_relu′(0) is 1, PyTorch's and ours the leak slope)."""
    jax = jax64
    a = A.ACTIVATIONS[name]
    for params in param_sets(a, n_random=2):
        fn = _load(a.snippet("jax", **params), tmp_path)
        x = np.linspace(-8.0, 8.0, 101)
        kinks = np.array(a.kink_points(**params))
        if kinks.size:
            x = x[np.min(np.abs(x[:, None] - kinks[None, :]), axis=1) > 1e-3]
        y = np.asarray(fn(jax.numpy.asarray(x)))
        assert y.dtype == np.float64
        np.testing.assert_allclose(y, a.forward(x, **params), rtol=1e-7, atol=1e-9, err_msg=name)
        few = x[:: max(1, x.size // 9)]
        grads = np.asarray(jax.vmap(jax.grad(lambda v, f=fn: f(v)))(jax.numpy.asarray(few)))
        np.testing.assert_allclose(
            grads, a.derivative(few, **params), rtol=1e-7, atol=1e-9, err_msg=f"{name} {params}"
        )


def test_jax_gelu_default_is_the_tanh_approximation(jax64):
    """The preset's claim: jax.nn.gelu(x) without approximate= is gelu_tanh, not exact GELU."""
    jax = jax64
    x = np.linspace(-4.0, 4.0, 81)
    got = np.asarray(jax.nn.gelu(jax.numpy.asarray(x)))
    np.testing.assert_allclose(got, A.ACTIVATIONS["gelu_tanh"].forward(x), rtol=1e-12, atol=1e-15)
    assert np.abs(got - A.ACTIVATIONS["gelu"].forward(x)).max() > 1e-4


def test_jax_leaky_relu_default_slope_is_pytorchs(jax64):
    jax = jax64
    assert float(jax.nn.leaky_relu(jax.numpy.asarray(-1.0))) == -0.01
    assert A.ACTIVATIONS["leaky_relu"].param_defaults() == {"slope": 0.01}
