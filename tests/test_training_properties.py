"""Property tests (Hypothesis) of the training core: any accepted arguments give a run that
keeps its documented shapes and ranges without a warning; anything else is a ValueError."""

from __future__ import annotations

import math
import warnings

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import activations as A
from activations.training import (
    DATASETS,
    OPTIMIZERS,
    TRAIN_INITS,
    make_dataset,
    train,
)

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


@st.composite
def datasets(draw):
    name = draw(st.sampled_from(list(DATASETS)))
    classes = draw(st.integers(2, 5)) if name == "spiral" else 2
    return dict(
        name=name,
        n=draw(st.integers(10, 300)),
        noise=draw(st.floats(0.0, 0.5)),
        seed=draw(st.integers(0, 2**32)),
        classes=classes,
    )


@settings(max_examples=40, deadline=None)
@given(args=datasets())
def test_any_valid_dataset(args):
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        d = make_dataset(**args)
    n = args["n"]
    assert d.x.shape == (n, 2) and np.all(np.isfinite(d.x))
    assert len(d.y_test) == n // 5 and len(d.y_train) == n - n // 5
    assert d.y.min() >= 0 and d.y.max() < d.classes == args["classes"]
    assert np.all(np.abs(d.x) <= d.box[1])


@settings(max_examples=60, deadline=None)
@given(
    name=st.one_of(st.text(max_size=8), st.sampled_from(list(DATASETS))),
    n=st.one_of(st.integers(-5, 6000), st.floats(allow_nan=True), st.none()),
    noise=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3)),
    classes=st.one_of(st.integers(-1, 8), st.booleans()),
)
def test_any_dataset_arguments_either_work_or_raise_value_error(name, n, noise, classes):
    try:
        d = make_dataset(name, n=n, noise=noise, classes=classes)
    except ValueError:
        return
    assert name in DATASETS and 10 <= n <= 5000 and 0 <= float(noise) <= 0.5
    assert d.classes == classes


CIRCLE = make_dataset("circle", n=120, noise=0.2, seed=1)
SPIRAL = make_dataset("spiral", n=150, noise=0.1, seed=2, classes=4)


@st.composite
def runs(draw):
    act = draw(st.sampled_from(list(A.ACTIVATIONS)))
    a = A.ACTIVATIONS[act]
    params = {p.name: draw(st.floats(p.low, p.high)) for p in a.params}
    assume(a.refusal(params) is None)  # e.g. srelu's t_left > t_right is refused, not a valid run
    return dict(
        activation=act,
        dataset=draw(st.sampled_from([CIRCLE, SPIRAL])),
        hidden=tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))),
        init=draw(st.sampled_from(TRAIN_INITS)),
        optimizer=draw(st.sampled_from(list(OPTIMIZERS))),
        lr=10 ** draw(st.floats(-4, 1)),
        batch=draw(st.integers(1, 200)),
        steps=draw(st.integers(0, 25)),
        l2=draw(st.sampled_from([0.0, 1e-3, 0.5])),
        seed=draw(st.integers(0, 1000)),
        params=params,
        snapshots=draw(st.integers(2, 8)),
        grid=draw(st.integers(2, 6)),
    )


@settings(max_examples=80, deadline=None)
@given(args=runs())
def test_any_valid_run_keeps_its_shapes_and_ranges_without_warnings(args):
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        run = train(**args)
    d, steps = args["dataset"], args["steps"]
    n_layers = len(args["hidden"])
    assert run.batch == min(args["batch"], len(d.y_train))
    assert run.batch_indices.shape == (steps, run.batch)
    assert np.all((run.batch_indices >= 0) & (run.batch_indices < len(d.y_train)))
    s = len(run.snapshot_steps)
    assert run.snapshot_steps[0] == 0 and run.snapshot_steps[-1] == steps
    assert s == min(args["snapshots"], steps + 1)
    assert run.surface.shape == (s, args["grid"], args["grid"], d.classes)
    for arr in (run.dead_fraction, run.saturated_fraction, run.grad_norm, run.update_ratio):
        assert arr.shape == (s, n_layers)
    t = run.diverged_at if run.diverged_at is not None else steps + 1
    for arr in (run.loss_train, run.loss_test, run.acc_train, run.acc_test):
        assert arr.shape == (steps + 1,)
        assert np.all(np.isfinite(arr[:t])) and np.all(np.isnan(arr[t:]))
    assert np.all(run.loss_train[:t] >= 0)
    assert np.all((run.acc_train[:t] >= 0) & (run.acc_train[:t] <= 1))
    before = run.snapshot_steps < t
    for arr in (run.dead_fraction, run.saturated_fraction):
        assert np.all((arr[before] >= 0) & (arr[before] <= 1))
        assert np.all(np.isnan(arr[~before]))
    # A dead unit has f′ = 0 on every training point: all its entries count as saturated.
    assert np.all(run.dead_fraction[before] <= run.saturated_fraction[before] + 1e-12)
    probs = run.surface[before]
    finite = np.isfinite(probs).all(axis=-1)
    np.testing.assert_allclose(probs[finite].sum(axis=-1), 1.0)
    for (w, b), (fan_in, fan_out) in zip(
        run.final_weights,
        zip([2, *args["hidden"]], [*args["hidden"], d.classes], strict=True),
        strict=True,
    ):
        assert w.shape == (fan_in, fan_out) and b.shape == (fan_out,)
    if run.diverged_at is None:
        assert all(np.all(np.isfinite(w)) for w, _ in run.final_weights)


@settings(max_examples=60, deadline=None)
@given(
    hidden=st.one_of(
        st.lists(st.integers(-2, 70), max_size=10), st.integers(-1, 70), st.text(max_size=3)
    ),
    lr=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3)),
    batch=st.one_of(st.integers(-2, 6000), st.floats(allow_nan=True)),
    steps=st.one_of(st.integers(-2, 6000), st.booleans()),
    optimizer=st.one_of(st.sampled_from(list(OPTIMIZERS)), st.text(max_size=5)),
)
def test_any_training_arguments_either_work_or_raise_value_error(
    hidden, lr, batch, steps, optimizer
):
    try:
        run = train("tanh", CIRCLE, hidden, optimizer=optimizer, lr=lr, batch=batch, steps=steps)
    except ValueError:
        return
    assert optimizer in OPTIMIZERS and math.isfinite(float(lr)) and float(lr) > 0
    assert 0 <= steps <= 5000 and run.steps == steps
