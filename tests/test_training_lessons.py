"""The training page's lessons: each preset's claim, checked against the runs it computes.

The runs are the core's own ``train`` (not the page's cache) on exactly the settings the lesson's
link opens; each claim is checked on the arrays directly, and ``lesson_evidence`` (the sentence
the page shows) must agree.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from activations import ACTIVATIONS
from activations import training as core
from ui import training_view as view


def race(lesson_id: str, **changes) -> tuple[dict[str, core.TrainingRun], view.Settings]:
    slug, compare, s = view.lesson_settings(view.LESSONS[lesson_id])
    s = dataclasses.replace(s, **changes)
    data = core.make_dataset(s.dataset, n=view.N_POINTS, noise=s.noise, seed=s.seed)
    runs = {
        a: core.train(
            a,
            data,
            hidden=s.hidden,
            init=s.init,
            optimizer=s.optimizer,
            lr=s.lr,
            batch=s.batch,
            steps=s.steps,
            l2=s.l2,
            seed=s.seed,
            snapshots=view.SNAPSHOTS,
        )
        for a in (slug, *compare)
    }
    return runs, s


def hidden_inputs(run: core.TrainingRun, x: np.ndarray) -> list[np.ndarray]:
    """z of every hidden layer at the run's final weights (training points as rows)."""
    act = ACTIVATIONS[run.activation]
    h, zs = x, []
    for w, b in run.final_weights[:-1]:
        z = h @ w + b
        zs.append(z)
        h = act.forward(z, **run.params)
    return zs


def test_every_lesson_link_holds_only_values_the_page_accepts():
    for lesson in view.LESSONS.values():
        q = lesson.query_dict
        assert q["activation"] in ACTIVATIONS
        assert q.get("dataset", "circle") in view.DATASETS
        assert view.check_compare(q.get("compare", "")) is None
        assert view.lr_check(q["lr"]) is None
        assert view.nearest_lr(float(q["lr"])) == float(q["lr"]), "lr on the slider's grid"
        slug, compare, s = view.lesson_settings(lesson)
        assert view.too_big(s, [slug, *compare]) is None
        assert view.lesson_for(slug, compare, s) is not None


def test_dying_relu_kills_most_of_a_layer_and_leaky_relu_keeps_every_unit():
    runs, s = race("dying_relu")
    relu, leaky = runs["relu"], runs["leaky_relu"]
    assert relu.diverged_at is None and leaky.diverged_at is None
    dead = relu.dead_fraction[-1]
    layer = int(np.argmax(dead))
    assert dead[layer] > 0.5, dead  # "most units of a layer"
    # Dead means no training input makes the unit's input positive: check on the weights.
    data = core.make_dataset(s.dataset, n=view.N_POINTS, noise=s.noise, seed=s.seed)
    z = hidden_inputs(relu, data.x_train)[layer]
    dead_units = np.all(z <= 0, axis=0)
    assert dead_units.mean() == pytest.approx(dead[layer])
    assert np.max(leaky.dead_fraction) == 0.0
    # The two started from the same weights and saw the same batches.
    for (w1, b1), (w2, b2) in zip(relu.initial_weights, leaky.initial_weights, strict=True):
        np.testing.assert_array_equal(w1, w2)
        np.testing.assert_array_equal(b1, b2)
    np.testing.assert_array_equal(relu.batch_indices, leaky.batch_indices)
    holds, evidence = view.lesson_evidence("dying_relu", list(runs.items()), s)
    assert holds
    assert f"{dead[layer]:.0%} of ReLU's layer {layer + 1}" in evidence


def test_deep_sigmoid_barely_moves_while_relu_with_he_learns():
    runs, s = race("deep_sigmoid")
    assert s.layers >= 6 and s.init == "he"
    assert f"{s.layers} sigmoid layers" in view.LESSONS["deep_sigmoid"].claim
    sig, relu = runs["sigmoid"].loss_test, runs["relu"].loss_test
    assert 1 - sig[-1] / sig[0] < 0.05, (sig[0], sig[-1])
    assert 1 - relu[-1] / relu[0] > 0.5, (relu[0], relu[-1])
    # Barely moving is the gradient's fault: the first layer's gradient is far smaller than the
    # last hidden layer's for sigmoid, not for ReLU.
    g_sig, g_relu = runs["sigmoid"].grad_norm[1:], runs["relu"].grad_norm[1:]
    assert np.median(g_sig[:, 0] / g_sig[:, -1]) < 0.1
    assert np.median(g_relu[:, 0] / g_relu[:, -1]) > 0.1
    assert view.lesson_evidence("deep_sigmoid", list(runs.items()), s)[0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_reaches_the_loss_in_less_than_half_the_steps_tanh_needs(seed):
    runs, s = race("tanh_vs_relu", seed=seed)
    claim = view.LESSONS["tanh_vs_relu"].claim
    assert f"down to {view.SPEED_LOSS:g} in less than half the steps" in claim
    relu_at = int(np.flatnonzero(runs["relu"].loss_test <= view.SPEED_LOSS)[0])
    tanh_hits = np.flatnonzero(runs["tanh"].loss_test <= view.SPEED_LOSS)
    assert tanh_hits.size == 0 or 2 * relu_at < tanh_hits[0], (relu_at, tanh_hits[:1])
    holds, evidence = view.lesson_evidence("tanh_vs_relu", list(runs.items()), s)
    assert holds
    assert f"reached {view.SPEED_LOSS:g} at step {relu_at}" in evidence


def test_zero_init_never_breaks_symmetry():
    runs, s = race("zero_init")
    (run,) = runs.values()
    assert all(not np.any(w) and not np.any(b) for w, b in run.initial_weights)
    for w, b in run.final_weights[:-1]:
        np.testing.assert_allclose(w, np.repeat(w[:, :1], w.shape[1], axis=1), rtol=1e-12)
        np.testing.assert_allclose(b, np.full_like(b, b[0]), rtol=1e-12)
    # Not frozen: the weights moved (sigmoid(0) = 0.5 passes a gradient), only symmetrically.
    assert np.abs(run.final_weights[0][0]).max() > 1e-3
    assert run.loss_train[-1] < run.loss_train[0]
    assert view.symmetric_layers(run) == list(range(1, s.layers + 1))
    holds, evidence = view.lesson_evidence("zero_init", list(runs.items()), s)
    assert holds and "layers 1, 2" in evidence


def test_symmetric_layers_is_false_for_a_random_init():
    runs, _ = race("zero_init", init="he")
    assert view.symmetric_layers(next(iter(runs.values()))) == []


def test_claims_state_no_number_the_settings_do_not_fix():
    """Every number in a claim is a setting of its preset or a constant the tests check."""
    # 6: the deep-sigmoid preset's depth; 0.2: SPEED_LOSS; 0, 1: slopes (checked below).
    allowed = {"0", "1", "6", "0.2", "0.25"}
    sigmoid = ACTIVATIONS["sigmoid"].derivative(np.linspace(-20, 20, 4001))
    assert sigmoid.max() == 0.25  # σ′ ≤ 0.25, at 0
    relu = ACTIVATIONS["relu"].derivative(np.array([0.5, 3.0]))
    assert np.all(relu == 1)  # "its slope is 1 wherever it is active"
    tanh = ACTIVATIONS["tanh"].derivative(np.array([-1e-3, 1e-3, 2.0]))
    assert np.all(tanh < 1)  # "tanh′ < 1 everywhere except at 0"
    for lesson in view.LESSONS.values():
        assert set(re.findall(r"\d+(?:\.\d+)?", lesson.claim)) <= allowed, lesson.claim
