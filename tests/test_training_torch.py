"""The training core against PyTorch autograd: the same weights, the same batches, every step.

torch is not a dependency of the app; CI installs it (.ci/run). Where it is missing these tests
are skipped and say so. The reference is written the ordinary PyTorch way: leaf tensors,
``F.cross_entropy`` (mean over the batch) plus ``l2/2 · ΣW²``, ``loss.backward()`` and
``torch.optim.SGD`` / ``torch.optim.Adam``; only the initial weights and the batch rows come
from our run.
"""

import numpy as np
import pytest

from activations.training import make_dataset, train

torch = pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
F = torch.nn.functional

RTOL = 1e-6
STEPS = 200

#: slug -> (our params, torch's activation at those params)
ACTIVATIONS = {
    "relu": ({}, F.relu),
    "leaky_relu": ({"slope": 0.2}, lambda z: F.leaky_relu(z, negative_slope=0.2)),
    "elu": ({"alpha": 1.5}, lambda z: F.elu(z, alpha=1.5)),
    "tanh": ({}, torch.tanh),
    "gelu": ({}, F.gelu),
    "sigmoid": ({}, torch.sigmoid),
}
OPTIMIZERS = {
    "sgd": (0.1, lambda ps, lr: torch.optim.SGD(ps, lr=lr)),
    "momentum": (0.05, lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9)),
    "adam": (0.01, lambda ps, lr: torch.optim.Adam(ps, lr=lr, betas=(0.9, 0.999), eps=1e-8)),
}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: these are tiny tensors, and on a busy 2-core machine torch's default
    thread pool makes each step tens of times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _tensor(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64)


def _close(ours, theirs, what):
    """Elementwise rtol; entries that are 0 up to rounding get an absolute floor 1e-9 of the
    array's largest entry (a dead unit's gradient is 0 here and ±1e-20 there)."""
    theirs = theirs.detach().numpy()
    floor = 1e-9 * max(float(np.abs(theirs).max()), 1e-300)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=floor, err_msg=what)


def _check_against_torch(slug, optimizer, dataset, hidden=(8, 8), l2=0.0, seed=0, lr=None):
    params, torch_fn = ACTIVATIONS[slug]
    default_lr, make_opt = OPTIMIZERS[optimizer]
    lr = default_lr if lr is None else lr
    ours = []

    def keep(t, grads):
        ours.append([(gw.copy(), gb.copy()) for gw, gb in grads])

    run = train(
        slug,
        dataset,
        hidden=hidden,
        optimizer=optimizer,
        lr=lr,
        steps=STEPS,
        l2=l2,
        seed=seed,
        params=params,
        on_step=keep,
    )
    assert run.diverged_at is None and len(ours) == STEPS

    layers = [
        (_tensor(w).requires_grad_(), _tensor(b).requires_grad_()) for w, b in run.initial_weights
    ]
    flat = [p for layer in layers for p in layer]
    opt = make_opt(flat, lr)
    x_train, y_train = _tensor(dataset.x_train), torch.tensor(dataset.y_train)
    x_test, y_test = _tensor(dataset.x_test), torch.tensor(dataset.y_test)

    def logits(x):
        h = x
        for k, (w, b) in enumerate(layers):
            h = h @ w + b
            if k < len(layers) - 1:
                h = torch_fn(h)
        return h

    def curves():
        with torch.no_grad():
            return (
                F.cross_entropy(logits(x_train), y_train).item(),
                F.cross_entropy(logits(x_test), y_test).item(),
            )

    loss_train, loss_test = [], []
    for t in range(STEPS):
        lt, le = curves()
        loss_train.append(lt)
        loss_test.append(le)
        idx = torch.tensor(run.batch_indices[t])
        opt.zero_grad()
        loss = F.cross_entropy(logits(x_train[idx]), y_train[idx])
        if l2:
            loss = loss + l2 / 2 * sum((w * w).sum() for w, _ in layers)
        loss.backward()
        for k, (w, b) in enumerate(layers):
            _close(ours[t][k][0], w.grad, f"∂L/∂W_{k + 1} at step {t}")
            _close(ours[t][k][1], b.grad, f"∂L/∂b_{k + 1} at step {t}")
        opt.step()
    lt, le = curves()
    loss_train.append(lt)
    loss_test.append(le)
    np.testing.assert_allclose(run.loss_train, loss_train, rtol=RTOL)
    np.testing.assert_allclose(run.loss_test, loss_test, rtol=RTOL)
    for (w_ours, b_ours), (w, b) in zip(run.final_weights, layers, strict=True):
        _close(w_ours, w, "final W")
        _close(b_ours, b, "final b")


@pytest.fixture(scope="module")
def circle():
    return make_dataset("circle", noise=0.1, seed=0)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("slug", list(ACTIVATIONS))
def test_every_step_matches_autograd(slug, optimizer, circle):
    _check_against_torch(slug, optimizer, circle)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_l2_three_classes_and_a_deeper_net_match_autograd(optimizer):
    spiral = make_dataset("spiral", noise=0.2, seed=4, classes=3)
    _check_against_torch("elu", optimizer, spiral, hidden=(12, 7, 5), l2=1e-3, seed=9)


def test_relu_with_dying_units_matches_autograd(circle):
    """A large learning rate kills ReLU units; the zero gradients must match too."""
    run = train("relu", circle, lr=2.0, steps=STEPS)
    assert run.dead_fraction[-1].max() > 0  # the case this test is about
    _check_against_torch("relu", "sgd", circle, lr=2.0)
