"""The training lab's core: datasets, the training loop's bookkeeping, divergence, bounds.

The numerics against PyTorch autograd live in tests/test_training_torch.py.
"""

import dataclasses
import math
import tracemalloc
import warnings

import numpy as np
import pytest

import activations as A
from activations.depth import INITS, init_weight_std
from activations.training import (
    DATASETS,
    ELEMENT_COST_MAX,
    SATURATED_BELOW,
    STEPS_MAX,
    TRAIN_INITS,
    batch_schedule,
    check_training_size,
    element_cost,
    largest_steps,
    layer_weight_std,
    make_dataset,
    snapshot_schedule,
    train,
    training_cost,
)

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


@pytest.fixture(scope="module")
def circle():
    return make_dataset("circle")


# --- datasets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("noise", [0.0, 0.25, 0.5])
def test_dataset_shapes_split_and_scale(name, noise):
    classes = 3 if name == "spiral" else 2
    d = make_dataset(name, n=250, noise=noise, seed=3, classes=classes)
    assert d.x.shape == (250, 2) and d.x.dtype == np.float64
    assert d.y.shape == (250,) and set(np.unique(d.y)) == set(range(classes))
    assert len(d.y_test) == 50 and len(d.y_train) == 200  # 80/20
    # The split is a partition of the rows, and the arrays are those rows.
    both = np.concatenate([d.train_index, d.test_index])
    assert sorted(both.tolist()) == list(range(250))
    np.testing.assert_array_equal(d.x_train, d.x[d.train_index])
    np.testing.assert_array_equal(d.y_test, d.y[d.test_index])
    # Playground's scale: within about ±6 (Gaussian noise at its highest reaches further).
    limit = 12.0 if name in ("gaussian", "moons") else 5.0 + 0.5 * noise + 0.3
    assert np.abs(d.x).max() <= limit
    lo, hi, lo_y, hi_y = d.box
    assert lo == lo_y == -hi and hi == hi_y >= 6.0
    assert np.abs(d.x).max() <= hi
    assert not d.x.flags.writeable  # shared by sessions: read-only


def test_datasets_follow_playground_geometry():
    circle = make_dataset("circle", n=400, noise=0.0)
    r = np.hypot(*circle.x.T)
    # Without noise the label is exactly "inside radius 2.5"; no point falls in the gap.
    np.testing.assert_array_equal(circle.y, (r < 2.5).astype(int))
    assert not np.any((r > 2.5) & (r < 3.5)) and r.max() <= 5.0
    xor = make_dataset("xor", noise=0.0)
    np.testing.assert_array_equal(xor.y, (xor.x[:, 0] * xor.x[:, 1] >= 0).astype(int))
    assert np.abs(xor.x).min() >= 0.3 and np.abs(xor.x).max() <= 5.3
    g = make_dataset("gaussian", n=4000, noise=0.0)
    # Variance 0.5 at noise 0, blobs at (2, 2) and (−2, −2).
    np.testing.assert_allclose(g.x[g.y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(g.x[g.y == 0].var(axis=0), [0.5, 0.5], rtol=0.1)
    g_noisy = make_dataset("gaussian", n=4000, noise=0.5)
    np.testing.assert_allclose(g_noisy.x[g_noisy.y == 0].var(axis=0), [4.0, 4.0], rtol=0.1)
    s = make_dataset("spiral", n=400, noise=0.0)
    assert np.hypot(*s.x.T).max() < 5.0
    m = make_dataset("moons", noise=0.0)
    assert np.abs(m.x[:, 0]).max() == pytest.approx(5.0)


def test_spiral_arms_are_playgrounds():
    """Without noise, arm 1 of two is Playground's positive arm and arm 0 its negative one:
    r = 5i/n, t = 1.75 · 2π · i/n + Δ, (r sin t, r cos t), Δ = 0 and π; with k arms Δ = π(1 + 2k/K).
    """
    d = make_dataset("spiral", n=200, noise=0.0)
    i = np.arange(100)
    r, t = i / 100 * 5, 1.75 * i / 100 * 2 * np.pi
    for label, delta in ((1, 0.0), (0, np.pi)):
        expected = np.column_stack([r * np.sin(t + delta), r * np.cos(t + delta)])
        np.testing.assert_allclose(d.x[d.y == label], expected, atol=1e-12)
    three = make_dataset("spiral", n=300, noise=0.0, classes=3)
    last = three.x[three.y == 2][-1]
    angle = 1.75 * 99 / 100 * 2 * np.pi + np.pi * (1 + 4 / 3)
    np.testing.assert_allclose(last, 99 / 100 * 5 * np.array([np.sin(angle), np.cos(angle)]))


def test_noise_flips_labels_near_the_circle_boundary():
    clean = make_dataset("circle", noise=0.0, seed=1)
    noisy = make_dataset("circle", noise=0.5, seed=1)
    inside = lambda d: (np.hypot(*d.x.T) < 2.5).astype(int)  # noqa: E731
    assert np.all(clean.y == inside(clean))
    assert np.mean(noisy.y != inside(noisy)) > 0.1


def test_spiral_classes_and_sizes():
    for k in range(2, 6):
        d = make_dataset("spiral", n=403, classes=k)
        counts = np.bincount(d.y)
        assert len(counts) == k and counts.sum() == 403 and counts.max() - counts.min() <= 1


def test_dataset_is_deterministic_and_seeded():
    a, b = make_dataset("moons", seed=5), make_dataset("moons", seed=5)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.train_index, b.train_index)
    assert not np.array_equal(a.x, make_dataset("moons", seed=6).x)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "spirals"}, "circle, xor, gaussian, spiral, moons"),
        ({"name": "circle", "noise": 0.6}, "noise must be a number from 0 to 0.5"),
        ({"name": "circle", "noise": math.nan}, "noise"),
        ({"name": "circle", "noise": "0.1"}, "noise must be a number"),
        ({"name": "circle", "n": 5}, "from 10 to 5000"),
        ({"name": "circle", "n": 40.0}, "whole number"),
        ({"name": "circle", "seed": -1}, "seed"),
        ({"name": "spiral", "classes": 6}, "from 2 to 5"),
        ({"name": "xor", "classes": 3}, "only spiral"),
    ],
)
def test_bad_dataset_arguments_say_what_is_accepted(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


# --- initialisation and schedules ---------------------------------------------------------------


@pytest.mark.parametrize("init", TRAIN_INITS)
def test_init_matches_the_depth_page_on_square_layers(init):
    assert set(TRAIN_INITS) == set(INITS) - {"custom"}
    for width in (1, 8, 64):
        assert layer_weight_std(init, width, width) == pytest.approx(init_weight_std(init, width))


def test_each_layer_uses_its_own_fan_in_and_fan_out(circle):
    run = train("tanh", circle, hidden=(16, 4), init="xavier", steps=0, seed=2)
    shapes = [w.shape for w, _ in run.initial_weights]
    assert shapes == [(2, 16), (16, 4), (4, 2)]
    assert all(np.all(b == 0.0) for _, b in run.initial_weights)
    # Same standard normals, scaled per layer: the ratio to He's is the ratio of the σs.
    he = train("tanh", circle, hidden=(16, 4), init="he", steps=0, seed=2)
    for (w_x, _), (w_h, _), (fi, fo) in zip(
        run.initial_weights, he.initial_weights, shapes, strict=True
    ):
        expected = math.sqrt(2 / (fi + fo)) / math.sqrt(2 / fi)
        np.testing.assert_allclose(w_x, w_h * expected, rtol=1e-12)


def test_batch_schedule_is_one_permutation_per_epoch():
    rng = np.random.default_rng(0)
    b = batch_schedule(n_train=10, batch=3, steps=7, rng=rng)
    assert b.shape == (7, 3)
    # 3 batches per epoch (the last partial one dropped): each epoch's 9 rows are distinct.
    for e in range(2):
        rows = b[3 * e : 3 * e + 3].ravel()
        assert len(set(rows.tolist())) == 9
    assert np.all((b >= 0) & (b < 10))


def test_batch_larger_than_the_training_set_is_full_batch(circle):
    run = train("relu", circle, batch=1000, steps=3)
    assert run.batch == len(circle.y_train)
    for row in run.batch_indices:
        assert sorted(row.tolist()) == list(range(len(circle.y_train)))


def test_snapshot_schedule():
    np.testing.assert_array_equal(snapshot_schedule(1000, 5), [0, 250, 500, 750, 1000])
    np.testing.assert_array_equal(snapshot_schedule(3, 50), [0, 1, 2, 3])
    np.testing.assert_array_equal(snapshot_schedule(0, 50), [0])


# --- the run --------------------------------------------------------------------------------------


def test_run_layout(circle):
    run = train("relu", circle, hidden=(8, 6, 4), steps=40, snapshots=5, grid=10)
    assert run.hidden == (8, 6, 4)
    for arr in (run.loss_train, run.loss_test, run.acc_train, run.acc_test):
        assert arr.shape == (41,) and np.all(np.isfinite(arr))
    assert run.batch_indices.shape == (40, 32)
    np.testing.assert_array_equal(run.snapshot_steps, [0, 10, 20, 30, 40])
    assert run.surface.shape == (5, 10, 10, 2)
    np.testing.assert_allclose(run.surface.sum(axis=-1), 1.0)
    assert run.grid_x[0] == circle.box[0] and run.grid_y[-1] == circle.box[3]
    for arr in (run.dead_fraction, run.saturated_fraction, run.grad_norm, run.update_ratio):
        assert arr.shape == (5, 3)
    assert run.diverged_at is None
    # Accuracy and loss are what they say, at the final weights.
    logits = _forward(run, circle.x_test)
    p = np.exp(A.log_softmax(logits))
    ce = -np.log(p[np.arange(len(p)), circle.y_test]).mean()
    assert run.loss_test[-1] == pytest.approx(ce, rel=1e-12)
    assert run.acc_test[-1] == np.mean(logits.argmax(axis=1) == circle.y_test)


def _forward(run, x, weights=None):
    act = A.ACTIVATIONS[run.activation]
    layers = weights or run.final_weights
    h = x
    for k, (w, b) in enumerate(layers):
        h = h @ w + b
        if k < len(layers) - 1:
            h = act.forward(h, **run.params)
    return h


def test_surface_is_the_network_on_the_grid(circle):
    run = train("tanh", circle, steps=20, snapshots=2, grid=7)
    xx, yy = np.meshgrid(run.grid_x, run.grid_y)
    logits = _forward(run, np.column_stack([xx.ravel(), yy.ravel()]))
    p = np.exp(A.log_softmax(logits)).reshape(7, 7, 2)
    np.testing.assert_allclose(run.surface[-1], p, rtol=1e-12)
    # surface[s, i, j] is at (grid_x[j], grid_y[i]).
    i, j = 2, 5
    single = _forward(run, np.array([[run.grid_x[j], run.grid_y[i]]]))
    np.testing.assert_allclose(run.surface[-1, i, j], np.exp(A.log_softmax(single))[0])


def test_same_seed_same_run_bit_for_bit(circle):
    a = train("gelu", circle, optimizer="adam", lr=0.01, steps=60, l2=1e-3)
    b = train("gelu", circle, optimizer="adam", lr=0.01, steps=60, l2=1e-3)
    for name in ("loss_train", "loss_test", "surface", "grad_norm", "update_ratio"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for (wa, ba), (wb, bb) in zip(a.final_weights, b.final_weights, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    c = train("gelu", circle, optimizer="adam", lr=0.01, steps=60, l2=1e-3, seed=1)
    assert not np.array_equal(a.loss_train, c.loss_train)


def test_an_activation_record_trains_like_its_slug(circle):
    by_slug = train("elu", circle, steps=20, params={"alpha": 0.5})
    by_record = train(A.ACTIVATIONS["elu"], circle, steps=20, params={"alpha": 0.5})
    np.testing.assert_array_equal(by_slug.loss_train, by_record.loss_train)
    assert by_record.activation == "elu" and by_record.params == {"alpha": 0.5}
    other = train("elu", circle, steps=20)  # α = 1: a different run
    assert not np.array_equal(other.loss_train, by_slug.loss_train)


def test_a_race_shares_weights_and_batches(circle):
    runs = [
        train(act, circle, optimizer=opt, lr=lr, steps=30)
        for act, opt, lr in [("relu", "sgd", 0.1), ("tanh", "adam", 0.01), ("elu", "momentum", 1)]
    ]
    for run in runs[1:]:
        np.testing.assert_array_equal(run.batch_indices, runs[0].batch_indices)
        for (w0, _), (w1, _) in zip(runs[0].initial_weights, run.initial_weights, strict=True):
            np.testing.assert_array_equal(w0, w1)


def test_a_longer_run_extends_a_shorter_one(circle):
    short = train("relu", circle, steps=50, snapshots=2)
    long = train("relu", circle, steps=100, snapshots=3)
    np.testing.assert_array_equal(long.loss_train[:51], short.loss_train)
    np.testing.assert_array_equal(long.batch_indices[:50], short.batch_indices)
    # The last snapshot's step statistics are those of the step after it.
    np.testing.assert_array_equal(long.grad_norm[1], short.grad_norm[1])
    np.testing.assert_array_equal(long.update_ratio[1], short.update_ratio[1])


def test_dead_and_saturated_follow_their_definitions(circle):
    run = train("relu", circle, hidden=(8, 8), steps=30, snapshots=2, lr=0.5)
    act = A.ACTIVATIONS["relu"]
    h = circle.x_train
    for k, (w, b) in enumerate(run.final_weights[:-1]):
        z = h @ w + b
        d = act.derivative(z)
        assert run.dead_fraction[-1, k] == np.mean(np.all(d == 0.0, axis=0))
        assert run.saturated_fraction[-1, k] == np.mean(np.abs(d) < SATURATED_BELOW)
        h = act.forward(z)


def test_norms_survive_squares_that_overflow():
    from activations.training import _norm

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _norm(np.array([[3e200, 4e200]])) == pytest.approx(5e200)
    assert _norm(np.array([[3.0, 4.0]])) == 5.0
    assert math.isinf(_norm(np.array([[math.inf, 1.0]])))


def test_grad_norm_and_update_ratio_are_what_they_say(circle):
    grads = []
    run = train(
        "tanh",
        circle,
        steps=4,
        snapshots=5,
        optimizer="momentum",
        l2=0.01,
        on_step=lambda t, g: grads.append([gw.copy() for gw, _ in g]),
    )
    # Snapshot s is at step s here: the gradient of the step taken from those weights.
    for s in range(4):
        for k in range(2):
            assert run.grad_norm[s, k] == pytest.approx(np.linalg.norm(grads[s][k]), rel=1e-12)
    # The last snapshot's ratio: the step a longer run takes next.
    longer = train("tanh", circle, steps=5, optimizer="momentum", l2=0.01)
    for k in range(2):
        w4 = _replay_weights(circle, longer, 4)[k]
        w5 = longer.final_weights[k][0]
        assert run.update_ratio[-1, k] == pytest.approx(
            np.linalg.norm(w5 - w4) / np.linalg.norm(w4), rel=1e-9
        )


def _replay_weights(dataset, run, steps):
    """The hidden layers' weights after ``steps`` steps of the same run (a shorter run)."""
    short = train(
        run.activation,
        dataset,
        hidden=run.hidden,
        optimizer=run.optimizer,
        lr=run.lr,
        l2=run.l2,
        steps=steps,
        seed=run.seed,
        params=run.params,
    )
    return [w for w, _ in short.final_weights[:-1]]


def test_zero_init_never_breaks_symmetry(circle):
    run = train("relu", circle, init="zeros", steps=200)
    # ReLU′(0) = 0: every hidden unit is dead from the start and stays so.
    assert np.all(run.dead_fraction == 1.0)
    tanh = train("tanh", circle, init="zeros", steps=200, hidden=(6,))
    w1, _ = tanh.final_weights[0]
    # tanh′(0) = 1, yet every unit gets the same gradient: the columns stay equal.
    assert np.ptp(w1, axis=1).max() == 0.0


def test_dying_relu_at_a_large_learning_rate():
    d = make_dataset("circle", seed=0)
    relu = train("relu", d, lr=2.0, steps=300, seed=0)
    leaky = train("leaky_relu", d, lr=2.0, steps=300, seed=0)
    assert relu.diverged_at is None and leaky.diverged_at is None
    assert relu.dead_fraction[0].max() == 0.0 and relu.dead_fraction[-1].min() >= 0.5
    assert np.all(leaky.dead_fraction == 0.0)  # f′ = 0.01 on the left: never exactly 0


def test_divergence_stops_the_run_without_warnings(circle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(**STRICT):
            run = train("leaky_relu", circle, lr=10.0, steps=200)
    t = run.diverged_at
    assert t is not None and 1 <= t <= 200
    assert np.all(np.isfinite(run.loss_train[:t])) and np.all(np.isnan(run.loss_train[t:]))
    assert np.all(np.isnan(run.acc_test[t:]))
    late = run.snapshot_steps >= t
    assert np.all(np.isnan(run.surface[late])) and np.all(np.isnan(run.dead_fraction[late]))
    # final_weights are the last ones with a finite loss: the loss recomputes to loss[t − 1].
    logits = _forward(run, circle.x_train)
    assert np.all(np.isfinite(logits))
    ce = -A.log_softmax(logits)[np.arange(len(logits)), circle.y_train].mean()
    assert ce == pytest.approx(run.loss_train[t - 1], rel=1e-9)


def test_overflow_at_the_first_step_is_divergence_at_zero(circle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train("exponential", circle, init="large", hidden=(64, 64, 64), steps=5)
    assert run.diverged_at == 0 and np.all(np.isnan(run.loss_train))
    for (w0, _), (w1, _) in zip(run.initial_weights, run.final_weights, strict=True):
        np.testing.assert_array_equal(w0, w1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "relux"}, "unknown activation"),
        ({"hidden": ()}, "1–8 layer widths"),
        ({"hidden": (8, 65)}, "from 1 to 64"),
        ({"hidden": (8,) * 9}, "1–8 layer widths"),
        ({"init": "custom"}, "zeros, small, xavier, he, lecun, large"),
        ({"optimizer": "rmsprop"}, "sgd, momentum, adam"),
        ({"lr": 0.0}, "above 0"),
        ({"lr": math.inf}, "lr"),
        ({"lr": "0.1"}, "lr"),
        ({"batch": 0}, "batch"),
        ({"steps": STEPS_MAX + 1}, "steps"),
        ({"l2": -1.0}, "l2"),
        ({"seed": -3}, "seed"),
        ({"snapshots": 1}, "snapshots"),
        ({"grid": 65}, "grid"),
        ({"params": {"alpha": 2.0}}, "parameters"),
        ({"dataset": "circle"}, "Dataset"),
    ],
)
def test_bad_training_arguments_say_what_is_accepted(circle, kwargs, message):
    args = {"activation": "relu", "dataset": circle, "steps": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        train(**args)


# --- bounds ---------------------------------------------------------------------------------------


def test_the_default_run_fits_and_the_widest_does_not():
    assert check_training_size((8, 8), 1000, activation="relu") is None
    assert check_training_size((8, 8), 1000) is None  # whatever the activation
    assert check_training_size((64,) * 8, 5000, activation="relu") is not None
    for act in ("relu", "gelu", None):
        message = check_training_size((64,) * 8, 5000, activation=act)
        most = largest_steps((64,) * 8, activation=act)
        if most:
            assert f"at most {most:,} steps fit" in message
            assert check_training_size((64,) * 8, most, activation=act) is None
        else:
            assert "Make the layers narrower or fewer" in message
        assert check_training_size((64,) * 8, most + 1, activation=act) is not None
        assert "Your other settings are kept" in message
    gelu = check_training_size((64,) * 8, 5000, activation="gelu")
    assert gelu.startswith("Not trained: 5,000 steps of a network with hidden layers 64 × 64")
    assert "64 and GELU" in gelu


def test_expensive_activations_fit_fewer_steps():
    relu, gelu = (
        largest_steps((32,) * 4, activation="relu"),
        largest_steps((32,) * 4, activation="gelu"),
    )
    assert gelu < relu
    # Anything the tiers do not list costs as much as the most expensive tier.
    custom = dataclasses.replace(A.ACTIVATIONS["relu"], name="my_relu")
    assert element_cost(custom) == element_cost(None) == ELEMENT_COST_MAX
    assert (
        element_cost("relu") < element_cost("sigmoid") < element_cost("elu") < element_cost("gelu")
    )


def test_training_cost_grows_with_steps_width_and_depth():
    base = training_cost((8, 8), 1000)
    for bigger in (training_cost((8, 8), 2000), training_cost((16, 8), 1000)):
        assert bigger.multiply_adds > base.multiply_adds and bigger.work > base.work
    assert training_cost((8, 8, 8), 1000).work > base.work
    assert base.work > base.multiply_adds  # the calls' fixed cost counts
    assert base.bytes < 64 << 20
    # A run of few steps takes few snapshots, and is costed so.
    assert training_cost((64,) * 8, 0).work < training_cost((64,) * 8, 49).work / 10


# --- gradients without torch ------------------------------------------------------------------


def _batch_loss(act, params, layers, x, y, l2):
    """The documented loss on one batch, written independently of train()."""
    h = x
    for k, (w, b) in enumerate(layers):
        h = h @ w + b
        if k < len(layers) - 1:
            h = A.ACTIVATIONS[act].forward(h, **params)
    ce = -A.log_softmax(h)[np.arange(len(y)), y].mean()
    return ce + l2 / 2 * sum(float(np.sum(w * w)) for w, _ in layers)


@pytest.mark.parametrize(
    ("act", "params"),
    [
        ("tanh", {}),
        ("elu", {"alpha": 1.5}),
        ("softplus", {"beta": 2.0}),
        ("selu", {}),
        ("swish", {"beta": 1.7}),
        ("gelu", {}),
    ],
)
def test_first_step_gradient_matches_central_differences(act, params):
    """The hand-written backprop against a central difference of the whole loss (L2 included),
    in float64, on the first batch: a check that needs no torch."""
    d = make_dataset("spiral", n=60, noise=0.2, seed=3, classes=3)
    grads = []
    run = train(
        act,
        d,
        hidden=(5, 4),
        init="xavier",
        steps=1,
        batch=16,
        l2=0.01,
        params=params,
        on_step=lambda t, g: grads.append([(gw.copy(), gb.copy()) for gw, gb in g]),
    )
    idx = run.batch_indices[0]
    x, y = d.x_train[idx], d.y_train[idx]
    layers = [(w.copy(), b.copy()) for w, b in run.initial_weights]
    eps = 1e-6
    for k, (w, b) in enumerate(layers):
        for arr, ours in ((w, grads[0][k][0]), (b, grads[0][k][1])):
            numeric = np.empty_like(arr)
            for pos in np.ndindex(arr.shape):
                old = arr[pos]
                arr[pos] = old + eps
                up = _batch_loss(act, params, layers, x, y, 0.01)
                arr[pos] = old - eps
                down = _batch_loss(act, params, layers, x, y, 0.01)
                arr[pos] = old
                numeric[pos] = (up - down) / (2 * eps)
            np.testing.assert_allclose(ours, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("act", list(A.ACTIVATIONS))
def test_every_activation_trains_or_diverges_without_warnings(act):
    """At a learning rate far too large, every catalogue activation either stays finite or
    stops with diverged_at; never a warning, never a crash."""
    d = make_dataset("xor", n=80, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(**STRICT):
            run = train(act, d, init="large", lr=50.0, steps=40, hidden=(6, 6), snapshots=5)
    t = run.diverged_at if run.diverged_at is not None else 41
    assert np.all(np.isfinite(run.loss_train[:t])) and np.all(np.isnan(run.loss_train[t:]))


@pytest.mark.parametrize(
    ("act", "hidden", "steps", "batch"),
    [
        ("relu", (8, 8), 300, 32),
        ("gelu", (64,) * 8, 20, 32),
        ("tanh", (32, 32), 100, 400),
        ("sinc", (64,), 300, 1),
        ("mish", (64, 64), 60, 5),
        ("mish", (64,) * 8, 10, 320),
    ],
)
def test_training_cost_bounds_the_peak_memory(act, hidden, steps, batch):
    """The estimate the size limit uses is an upper bound of what tracemalloc sees (NumPy
    reports its arrays to it), also for activations with many temporaries."""
    d = make_dataset("circle")
    tracemalloc.start()
    try:
        train(act, d, hidden=hidden, steps=steps, batch=batch)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    estimate = training_cost(hidden, steps, batch, activation=act).bytes
    assert peak <= estimate


def test_a_parameter_setting_the_catalogue_refuses_is_refused_by_train_with_its_reason():
    data = make_dataset("circle", n=60, seed=1)
    with pytest.raises(ValueError, match="t_left = 1 must be at most t_right = -1"):
        train("srelu", data, steps=2, params={"t_left": 1.0, "t_right": -1.0})
    with pytest.raises(ValueError, match="min_val"):
        train("hard_tanh", data, steps=2, params={"min_val": 1.0, "max_val": -1.0})


def test_every_catalogue_activation_has_a_cost_tier_and_the_most_expensive_is_the_last():
    """A new entry must be given its tier on purpose (README, "Adding an activation"); until
    then the size limit counts it as the most expensive."""
    from activations import ACTIVATIONS
    from activations.training import _ELEMENT_TIERS

    tiered = [name for _, names in _ELEMENT_TIERS for name in names]
    assert len(tiered) == len(set(tiered)), "an activation in two tiers"
    assert sorted(tiered) == sorted(ACTIVATIONS)
    assert max(cost for cost, _ in _ELEMENT_TIERS) == ELEMENT_COST_MAX
