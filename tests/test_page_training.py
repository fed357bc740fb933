"""The Training lab page, driven through the router (AppTest).

Every drawn number is compared with the core's own ``train`` for the same settings.
"""

from __future__ import annotations

import base64
import io
import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from activations import training as core
from tests.plotly_helpers import as_array, figures, trace
from ui import classroom, workers
from ui import training_view as view
from ui.plotting import line_width

DEFAULT = view.DEFAULTS
APP = str(Path(__file__).resolve().parents[1] / "app.py")
SLIDERS = ("noise", "layers", "width", "batch", "steps", "l2", "seed")


def open_training(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception
    return at


def settings(**changes) -> view.Settings:
    base = {k: DEFAULT[k] for k in view.Settings.__dataclass_fields__}
    return view.Settings(**{**base, **changes})


def core_run(slug: str, s: view.Settings, params: dict | None = None) -> core.TrainingRun:
    data = core.make_dataset(s.dataset, n=view.N_POINTS, noise=s.noise, seed=s.seed)
    return core.train(
        slug,
        data,
        hidden=s.hidden,
        init=s.init,
        optimizer=s.optimizer,
        lr=s.lr,
        batch=s.batch,
        steps=s.steps,
        l2=s.l2,
        seed=s.seed,
        params=params,
        snapshots=view.SNAPSHOTS,
    )


def chart(at: AppTest, title_start: str) -> dict:
    found = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(title_start)]
    assert len(found) == 1, [f["layout"]["title"]["text"] for f in figures(at)]
    return found[0]


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("warning", "error", "success", "info", "caption", "markdown")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def assert_loss_matches(fig: dict, label: str, run: core.TrainingRun) -> None:
    for part, values in (("test", run.loss_test), ("train", run.loss_train)):
        t = trace(fig, f"{label} {part}")
        x = as_array(t["x"]).astype(int)
        np.testing.assert_allclose(as_array(t["y"]), values[x], rtol=1e-12)
        assert x[0] == 0 and x[-1] == view.trained_steps(run)


def png_percent(source: str) -> np.ndarray:
    """A surface image's pixels as whole percents, bottom row first (as the grid's y), decoded
    by Pillow; its palette must be the page's colour scale (entry v at v %)."""
    prefix = "data:image/png;base64,"
    assert source.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(source[len(prefix) :])))
    assert image.mode == "P"
    palette = np.asarray(image.getpalette()[: 101 * 3]).reshape(101, 3)
    np.testing.assert_array_equal(palette[0], [0x5F, 0xA8, 0xD3])  # the scale's three stops
    np.testing.assert_array_equal(palette[50], [0xF7, 0xF7, 0xF7])
    np.testing.assert_array_equal(palette[100], [0xF2, 0xB8, 0x5B])
    pixels = np.asarray(image)
    assert pixels.max() <= 100
    return pixels[::-1].astype(np.float64)


def all_numbers(value) -> list[float]:
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.ravel()] if value.dtype.kind in "fiu" else []
    if isinstance(value, dict):
        return [n for item in value.values() for n in all_numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in all_numbers(item)]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return [float(value)]
    return []


# --- the default page ----------------------------------------------------------------------------


def test_default_page_draws_the_core_run():
    at = open_training()
    s = settings()
    r = core_run("relu", s)
    assert_loss_matches(chart(at, "Loss"), "ReLU", r)
    surface = chart(at, "Decision surface")
    (image,) = surface["layout"]["images"]
    assert image["name"] == "ReLU surface"
    # The scrubber: one frame per snapshot, each the core's P(class 1) in whole percents.
    frames = surface["frames"]
    assert len(frames) == len(r.snapshot_steps) == view.SNAPSHOTS
    for i in (0, len(frames) // 2, len(frames) - 1):
        (source,) = frames[i]["layout"].values()
        np.testing.assert_array_equal(png_percent(source), np.rint(r.surface[i, ..., 1] * 100))
    np.testing.assert_array_equal(
        png_percent(image["source"]), np.rint(r.surface[-1, ..., 1] * 100)
    )
    # The image covers the grid's cells: each grid point at the centre of its pixel.
    gx, gy = np.asarray(r.grid_x), np.asarray(r.grid_y)
    dx, dy = gx[1] - gx[0], gy[1] - gy[0]
    assert image["xref"] == "x" and image["yref"] == "y"
    np.testing.assert_allclose([image["x"], image["sizex"]], [gx[0] - dx / 2, len(gx) * dx])
    np.testing.assert_allclose([image["y"], image["sizey"]], [gy[-1] + dy / 2, len(gy) * dy])
    assert (image["xanchor"], image["yanchor"]) == ("left", "top")
    slider = surface["layout"]["sliders"][0]
    assert [st["label"] for st in slider["steps"]] == [str(int(x)) for x in r.snapshot_steps]
    assert all(st["method"] == "animate" for st in slider["steps"])  # in the browser
    # A frame only swaps images: no redraw of the figure (a heatmap frame was a full redraw).
    assert all(st["args"][1]["frame"]["redraw"] is False for st in slider["steps"])
    assert all("data" not in f for f in frames)
    play, pause = surface["layout"]["updatemenus"][0]["buttons"]
    assert play["label"] == "▶ Play" and pause["label"] == "❚❚ Pause"
    assert play["method"] == "animate" and play["args"][0] == [f["name"] for f in frames]
    # Play runs on from the snapshot shown, PLAY_MS a frame, each frame only swapping images.
    assert play["args"][1]["fromcurrent"] is True
    assert play["args"][1]["frame"] == {"duration": view.PLAY_MS, "redraw": False}
    # Pause: Plotly's own idiom, no frame, the queued frames dropped at once.
    assert pause["method"] == "animate" and pause["args"][0] == [None]
    assert pause["args"][1]["mode"] == "immediate"
    assert pause["args"][1]["frame"]["redraw"] is False
    # Play and the slider never interrupt a running animation themselves (Plotly.js would
    # reject its promise, uncaught); the page's script empties the queue before Pause.
    assert play["args"][1]["mode"] == "afterall"
    assert all(st["args"][1]["mode"] == "afterall" for st in slider["steps"])
    (script,) = [h.proto for h in at.get("html") if "activationLabScrubber" in h.proto.body]
    assert script.unsafe_allow_javascript and script.body == view.SCRUBBER_HTML
    assert f".st-key-{view.SURFACE_KEY} .js-plotly-plot" in script.body  # this chart only
    assert "_frameQueue" in script.body
    assert "Play runs on from the snapshot shown" in texts(at)
    assert "Pause stops on it" in texts(at)
    # Per-layer charts: the core's numbers, one line per hidden layer.
    dead = chart(at, "Dead units per layer")
    for layer in range(s.layers):
        t = trace(dead, f"ReLU layer {layer + 1}")
        np.testing.assert_allclose(as_array(t["y"]), r.dead_fraction[:, layer])
    grad = trace(chart(at, "Gradient norm per layer"), "ReLU layer 1")
    ok = np.isfinite(r.grad_norm[:, 0]) & (r.grad_norm[:, 0] > 0)
    np.testing.assert_allclose(as_array(grad["y"]), r.grad_norm[ok, 0])
    ratio = chart(at, "Update/weight ratio per layer")
    assert ratio["layout"]["yaxis"]["type"] == "log"
    assert any(s.get("y0") == view.RULE_OF_THUMB for s in ratio["layout"]["shapes"])
    # The saturated share is given in words, per layer, from the run.
    sat = ", ".join(f"layer {i + 1} {v:.3g}" for i, v in enumerate(r.saturated_fraction[-1]))
    assert f"ReLU at step {s.steps}: {sat}" in texts(at)
    assert "Share of saturated unit inputs" in texts(at)
    # The verdict is computed from the run.
    best, step = view.best_test(r)
    assert f"{best:.3g} at step {step} of {s.steps}" in at.success[0].value
    # one run is no race: no "lowest" among one
    assert at.success[0].value.startswith("**ReLU** reached its lowest test loss, ")
    assert not any(np.isnan(all_numbers(f)).any() for f in figures(at))


def test_every_key_is_read_from_the_link_and_drives_the_run():
    query = {
        "dataset": "moons",
        "noise": "0.2",
        "activation": "elu",
        "param_alpha": "0.5",
        "compare": "tanh",
        "layers": "3",
        "width": "12",
        "init": "xavier",
        "optimizer": "adam",
        "lr": "0.01",
        "batch": "16",
        "steps": "300",
        "l2": "0.001",
        "seed": "7",
    }
    at = open_training(query)
    assert not at.warning
    assert at.selectbox(key="dataset").value == "moons"
    assert at.selectbox(key="init").value == "xavier"
    assert at.selectbox(key="optimizer").value == "adam"
    assert at.selectbox(key="activation").value == "elu"
    assert at.slider(key="param_alpha").value == 0.5
    assert at.multiselect(key="compare").value == ["tanh"]
    assert at.select_slider(key="lr").value == 0.01
    for key in SLIDERS:
        assert at.slider(key=key).value == pytest.approx(float(query[key])), key
    s = settings(
        dataset="moons",
        noise=0.2,
        layers=3,
        width=12,
        init="xavier",
        optimizer="adam",
        lr=0.01,
        batch=16,
        steps=300,
        l2=0.001,
        seed=7,
    )
    loss = chart(at, "Loss")
    assert_loss_matches(loss, "ELU", core_run("elu", s, {"alpha": 0.5}))
    assert_loss_matches(loss, "Tanh (hyperbolic tangent)", core_run("tanh", s))
    assert s.text() in loss["layout"]["title"]["text"]
    # Every setting stays in the link.
    for key, value in query.items():
        assert at.query_params[key] in (value, [value]), key


def test_a_slider_move_retrains_and_writes_the_url():
    at = open_training({"steps": "200"})
    at.select_slider(key="lr").set_value(0.5).run()
    assert not at.exception
    assert at.query_params["lr"] in ("0.5", ["0.5"])
    assert_loss_matches(chart(at, "Loss"), "ReLU", core_run("relu", settings(steps=200, lr=0.5)))


@pytest.mark.parametrize(
    ("query", "bad_key", "accepted"),
    [
        ({"dataset": "spirals"}, "dataset", "not a known dataset"),
        ({"noise": "0.9"}, "noise", "from 0 to 0.5"),
        ({"layers": "9"}, "layers", "whole number from 1 to 8"),
        ({"width": "1.5"}, "width", "whole number from 1 to 64"),
        ({"batch": "0"}, "batch", "whole number from 1 to 320"),
        ({"steps": "6000"}, "steps", "whole number from 10 to 5000"),
        ({"l2": "nan"}, "l2", "from 0 to 0.1"),
        ({"seed": "-1"}, "seed", "whole number from 0 to 9999"),
        ({"init": "custom"}, "init", "not a known initialisation"),
        ({"optimizer": "rmsprop"}, "optimizer", "not a known optimizer"),
        ({"lr": "100"}, "lr", "from 0.0001 to 10"),
        ({"lr": "inf"}, "lr", "from 0.0001 to 10"),
        ({"lr": "nan"}, "lr", "from 0.0001 to 10"),
        ({"activation": "nope"}, "activation", "not a known activation"),
        ({"activation": "elu", "param_alpha": "abc"}, "param_alpha", "from"),
        ({"compare": "tanh,nope"}, "compare", "up to 3 activation names"),
        ({"compare": "tanh,relu,elu,gelu"}, "compare", "up to 3 activation names"),
        ({"compare": "<script>alert(1)</script>"}, "compare", "up to 3"),
        ({"quiz": "maybe"}, "quiz", "true or false"),
    ],
)
def test_bad_link_values_fall_back_with_a_warning_and_keep_the_rest(query, bad_key, accepted):
    kept = {k: v for k, v in {"width": "6", "steps": "100", "seed": "5"}.items() if k != bad_key}
    at = open_training({**kept, **query})
    warning = at.warning[0].value
    assert f"{bad_key}=" in warning and accepted in warning
    assert "reset to its default" in warning
    assert "<script>" not in warning or "`<script>" in warning  # only ever code-quoted
    for key, value in kept.items():  # the other settings are kept
        assert at.slider(key=key).value == int(value)
    if bad_key == "activation":  # always in the link (its default is the session's last)
        assert at.query_params["activation"] in ("relu", ["relu"])
    else:
        assert bad_key not in at.query_params
    assert chart(at, "Loss")  # the page still trains and draws


def test_a_learning_rate_between_steps_is_snapped_with_a_note():
    at = open_training({"lr": "0.25", "steps": "100"})
    assert not at.warning
    assert at.select_slider(key="lr").value == 0.2 or at.select_slider(key="lr").value == 0.3
    shown = at.select_slider(key="lr").value
    assert f"using the nearest step, {shown:g}" in texts(at)


def test_a_run_too_long_is_refused_with_what_fits_and_settings_kept():
    at = open_training({"layers": "8", "width": "64", "steps": "5000", "lr": "0.3"})
    s = settings(layers=8, width=64, steps=5000, lr=0.3)
    message = view.too_big(s, ["relu"])
    assert message is not None
    errors = [e.value for e in at.error]
    assert message in errors
    most = core.largest_steps(
        s.hidden, s.batch, n=view.N_POINTS, snapshots=view.SNAPSHOTS, activation="relu"
    )
    assert f"at most {most:,} steps fit" in message
    assert not figures(at)
    assert at.slider(key="layers").value == 8 and at.select_slider(key="lr").value == 0.3
    # Lowering the steps to what fits trains again.
    at.slider(key="steps").set_value(most // 10 * 10).run()
    assert not at.exception
    assert not [e for e in at.error if "Not trained" in e.value]
    assert chart(at, "Loss")


def test_a_race_is_refused_when_one_raced_activation_is_too_costly():
    s = settings(layers=8, width=64, steps=300)
    assert view.too_big(s, ["relu"]) is None  # ReLU alone fits
    refused = view.too_big(s, ["relu", "gelu"])
    assert refused is not None and "GELU" in refused
    at = open_training({"layers": "8", "width": "64", "steps": "300", "compare": "gelu"})
    assert [e.value for e in at.error] == [refused]
    assert not figures(at)
    at.multiselect(key="compare").set_value([]).run()
    assert not at.exception and not at.error
    assert chart(at, "Loss")


def test_divergence_is_explained_and_nothing_non_finite_is_drawn():
    at = open_training({"lr": "3", "steps": "200", "activation": "elu"})
    r = core_run("elu", settings(lr=3.0, steps=200))
    assert r.diverged_at is not None
    error = at.error[0].value
    assert f"diverged at step {r.diverged_at}" in error
    assert "Lower the learning rate" in error
    for fig in figures(at):
        assert np.isfinite(all_numbers(fig)).all(), fig["layout"]["title"]["text"]
    assert_loss_matches(chart(at, "Loss"), "ELU", r)
    surface = chart(at, "Decision surface")
    (last,) = surface["frames"][-1]["layout"].values()
    assert np.all(png_percent(last) == 50)  # past the divergence: no probability, shown as 50 %


def test_dead_units_are_counted_in_words():
    lesson = view.LESSONS["dying_relu"]
    at = open_training(lesson.query_dict)
    s = view.lesson_settings(lesson)[2]
    r = core_run("relu", s)
    died = view.dead_units(r, s.width)
    assert died
    warning = at.warning[0].value
    for layer, n, first in died:
        assert f"{n} of {s.width} units of layer {layer} by step {first}" in warning
        assert n == round(r.dead_fraction[-1, layer - 1] * s.width)
    assert "No unit died: Leaky ReLU." in warning


# --- lessons, race, quiz, classroom ---------------------------------------------------------------


@pytest.mark.parametrize("lesson_id", list(view.LESSONS))
def test_each_lesson_button_sets_its_preset_and_the_run_shows_its_claim(lesson_id):
    lesson = view.LESSONS[lesson_id]
    # Start from other settings, which the lesson must all replace.
    at = open_training({"width": "5", "dataset": "gaussian", "l2": "0.01", "steps": "50"})
    at.button(key=f"lesson_{lesson_id}").click().run()
    assert not at.exception
    slug, compare, s = view.lesson_settings(lesson)
    assert at.selectbox(key="activation").value == slug
    assert at.multiselect(key="compare").value == compare
    assert at.selectbox(key="dataset").value == s.dataset
    assert at.selectbox(key="init").value == s.init
    assert at.selectbox(key="optimizer").value == s.optimizer
    assert at.select_slider(key="lr").value == s.lr
    for key in SLIDERS:
        assert at.slider(key=key).value == pytest.approx(getattr(s, key)), key
    info = [i.value for i in at.info if "Lesson:" in i.value]
    assert len(info) == 1 and lesson.claim in info[0]
    assert "does not show it" not in info[0]
    runs = [(a, core_run(a, s)) for a in (slug, *compare)]
    assert view.lesson_evidence(lesson_id, runs, s)[1] in info[0]


def test_race_every_activation_gets_the_same_start_and_batches():
    at = open_training({"compare": "tanh,leaky_relu,gelu", "steps": "100"})
    loss = chart(at, "Loss")
    s = settings(steps=100)
    for slug in ("relu", "tanh", "leaky_relu", "gelu"):
        assert_loss_matches(loss, view.label(slug), core_run(slug, s))
    surface = chart(at, "Decision surface")
    # One small multiple per raced activation, each frame swapping all four surfaces.
    images = surface["layout"]["images"]
    assert [im["name"] for im in images] == [
        f"{view.label(slug)} surface" for slug in ("relu", "tanh", "leaky_relu", "gelu")
    ]
    assert [(im["xref"], im["yref"]) for im in images] == [
        ("x", "y"),
        ("x2", "y2"),
        ("x3", "y3"),
        ("x4", "y4"),
    ]
    assert sorted(surface["frames"][0]["layout"]) == [f"images[{j}].source" for j in range(4)]
    for j, slug in enumerate(("relu", "tanh", "leaky_relu", "gelu")):
        np.testing.assert_array_equal(
            png_percent(surface["frames"][0]["layout"][f"images[{j}].source"]),
            np.rint(core_run(slug, s).surface[0, ..., 1] * 100),
        )


def test_zero_init_says_the_symmetry_is_never_broken():
    at = open_training(view.LESSONS["zero_init"].query_dict)
    assert "has the same weights after training: zero init never breaks" in at.warning[0].value


@pytest.mark.parametrize("right", [True, False])
def test_quiz_answer_is_the_computed_winner(right):
    seed = 777
    at = open_training({"quiz": "true", "quiz_seed": str(seed)})
    q = view.quiz_question(seed)
    runs = [(a, core_run(a, q.settings)) for a in q.activations]
    truth = view.winner(runs)
    assert truth in q.activations
    pick = truth if right else next(a for a in q.activations if a != truth)
    at.radio(key=f"training_quiz_{seed}").set_value(pick).run()
    assert not at.exception
    shown = at.success if right else at.error
    assert any(("Right!" if right else "Not quite.") in e.value for e in shown)
    loss, step = view.best_test(dict(runs)[truth])
    assert any(f"{loss:.3g} at step {step}" in e.value for e in shown)
    assert any(m.value == f"{int(right)} / 1" for m in at.metric)
    assert_loss_matches(chart(at, "Quiz: loss"), view.label(truth), dict(runs)[truth])


def test_focused_link_and_presenter_view():
    at = open_training({"only": "lr", "present": "true", "width": "4", "steps": "100"})
    assert [s.key for s in at.slider] == []
    assert [s.key for s in at.select_slider] == ["lr"]
    assert [s.key for s in at.selectbox] == []
    assert not [b for b in at.button if (b.key or "").startswith("lesson_")]
    loss = chart(at, "Loss")
    assert_loss_matches(loss, "ReLU", core_run("relu", settings(width=4, steps=100)))
    assert trace(loss, "ReLU test")["line"]["width"] == line_width(True) > line_width(False)


def test_activation_and_params_carry_over_from_the_explorer():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/explorer.py")
    at.run()
    at.selectbox(key="activation").set_value("elu").run()
    at.slider(key="param_alpha").set_value(2.0).run()
    at.query_params.clear()
    at.query_params["steps"] = "100"
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="activation").value == "elu"
    assert at.slider(key="param_alpha").value == 2.0
    r = core_run("elu", settings(steps=100), {"alpha": 2.0})
    assert_loss_matches(chart(at, "Loss"), "ELU", r)


def test_csv_export_parses_back_to_the_core_numbers(monkeypatch):
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    at = open_training({"compare": "tanh", "steps": "120", "lr": "0.3"})
    (button,) = at.get("download_button")
    assert button.proto.deferred_file_id and not button.proto.url  # built on click only
    url = managers[-1].execute_deferred(button.proto.deferred_file_id)
    text = managers[-1].read_file(url.rsplit("/", 1)[-1].split(".")[0]).content.decode()
    got, columns = classroom.read_csv(text)
    assert got["activation"] == "relu" and got["compare"] == "tanh" and got["lr"] == "0.3"
    s = settings(steps=120, lr=0.3)
    np.testing.assert_array_equal(columns["step"], np.arange(121))
    for slug in ("relu", "tanh"):
        r = core_run(slug, s)
        for field in ("loss_train", "loss_test", "acc_train", "acc_test"):
            np.testing.assert_array_equal(columns[f"{slug}_{field}"], getattr(r, field))
    # Nothing a spreadsheet would run: no cell starts with = + - @ except numbers.
    for line in text.splitlines():
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), cell


def test_sixty_students_opening_one_link_cost_one_training(monkeypatch):
    calls = []
    real = workers.call

    def counting(fn, *args, **kwargs):
        calls.append(fn)
        time.sleep(0.2)  # long enough for every thread to ask while it runs
        return real(fn, *args, **kwargs)  # trained in a worker process, as on the server

    monkeypatch.setattr(workers, "call", counting)
    view.run.clear()
    s = settings(steps=50, seed=4321)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(view.run(slug="relu", params=(), settings=s))
        )
        for _ in range(60)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [core.train]
    assert len(results) == 60 and all(r is results[0] for r in results)
    assert results[0].batch_indices.size == 0  # the cached copy is slim
    assert not results[0].loss_test.flags.writeable


@pytest.mark.parametrize("lesson_id", list(view.LESSONS))
def test_home_page_lesson_links_open_the_lesson(lesson_id):
    lesson = view.LESSONS[lesson_id]
    home = AppTest.from_file(APP, default_timeout=60)
    home.run()
    links = [
        link
        for link in home.get("page_link")
        if link.proto.page == "training" and link.proto.label == lesson.title
    ]
    assert len(links) == 1
    query = {k: v[0] for k, v in parse_qs(links[0].proto.query_string).items()}
    assert query == lesson.query_dict
    at = open_training(query)
    assert not [w for w in at.warning if "could not be used" in w.value]
    info = [i.value for i in at.info if "Lesson:" in i.value]
    assert len(info) == 1 and "does not show it" not in info[0]


def test_the_page_trains_in_a_worker_process_on_the_lane_its_size_asks_for(monkeypatch):
    seen = []
    real = workers.call

    def watching(fn, *args, work=0, **kwargs):
        seen.append((fn, args[0], workers.lane_for(work), real(os.getpid, work=work)))
        return real(fn, *args, work=work, **kwargs)

    monkeypatch.setenv(workers.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(workers, "call", watching)
    view.run.clear()
    at = open_training({"seed": "4242", "steps": "200", "compare": "tanh"})
    assert [(fn, slug, lane) for fn, slug, lane, _ in seen] == [
        (core.train, "relu", "light"),
        (core.train, "tanh", "light"),
    ]
    assert all(where != os.getpid() for *_, where in seen)  # not on the script's thread
    # and what the worker trained is what the page draws
    assert_loss_matches(chart(at, "Loss"), "ReLU", core_run("relu", settings(seed=4242, steps=200)))
    # a race has a winner, named from the runs
    runs = [(slug, core_run(slug, settings(seed=4242, steps=200))) for slug in ("relu", "tanh")]
    assert f"Lowest test loss: **{view.label(view.winner(runs))}**, " in texts(at)


@pytest.mark.parametrize("present", [False, True])
@pytest.mark.parametrize(
    "slugs, changes",
    [
        (("relu",), {}),
        (("relu", "tanh", "leaky_relu", "gelu"), {"lr": 3.0, "steps": 100}),
        (("sigmoid",), {"layers": 1, "width": 1, "steps": 10}),
        (("relu",), {"lr": 10.0, "layers": 4, "steps": 60}),  # diverges
        (("tanh", "elu"), {"dataset": "spiral", "optimizer": "adam", "steps": 50}),
    ],
)
def test_every_figure_spec_is_valid_plotly(slugs, changes, present):
    """The figures are written as specs, not through graph_objects (ui.plotting): Plotly's own
    validation must accept every one of them, frames included, as it is sent."""
    s = settings(**changes)
    entries = tuple((slug, ()) for slug in slugs)
    runs = [(slug, view.run(slug=slug, params=(), settings=s)) for slug in slugs]
    drawn = view.figures(key=entries, settings=s, present=present, _runs=runs)
    quiz = view.quiz_figure(3, present, runs)
    for fig in (*drawn, quiz):
        spec = json.loads(pio.to_json(fig, validate=False))
        # A frame swaps images by path ("images[0].source", Plotly.js's relayout form, which
        # the Python validator does not take): checked by hand; the rest by Plotly.
        frames = spec.pop("frames", [])
        go.Figure(spec)  # raises on any property Plotly does not know or value it refuses
        n_images = len(spec["layout"].get("images", []))
        for frame in frames:
            assert sorted(frame["layout"]) == [f"images[{j}].source" for j in range(n_images)]
            assert all(v.startswith("data:image/png;base64,") for v in frame["layout"].values())
        if fig is drawn.surface:
            assert len(frames) == len(runs[0][1].snapshot_steps) and n_images == len(slugs)
        assert spec["data"] and spec["layout"]["title"]["text"]
        assert s.text() in spec["layout"]["title"]["text"] or fig is quiz
