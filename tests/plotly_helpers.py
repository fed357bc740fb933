"""Reading the Plotly figures an AppTest run drew.

Plotly ≥ 6 encodes numeric arrays in the figure spec as ``{"dtype": "f8", "bdata": <base64>}``
(with ``"shape"`` for 2-D); :func:`decode` turns them, recursively, back into NumPy arrays.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np


def decode(value: Any) -> Any:
    """The spec with every typed-array dict replaced by an ndarray (other values unchanged)."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            shape = value.get("shape")
            if shape is not None:
                dims = [int(n) for n in str(shape).split(",")] if isinstance(shape, str) else shape
                array = array.reshape(dims)
            return array
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def figures(at) -> list[dict[str, Any]]:
    """Every Plotly figure of an AppTest run, decoded: ``{"data": [...], "layout": {...}}``."""
    return [decode(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def trace(figure: dict[str, Any], name: str) -> dict[str, Any]:
    """The trace called ``name`` (exactly one must exist)."""
    found = [t for t in figure["data"] if t.get("name") == name]
    assert len(found) == 1, f"expected one trace named {name!r}, found {len(found)}"
    return found[0]


def as_array(values: Any) -> np.ndarray:
    """Trace coordinates as float64, whether they were encoded or plain lists."""
    return np.asarray(values, dtype=np.float64)


def sampled_mask(x: Any) -> np.ndarray:
    """True at a line trace's grid samples, False at the points drawn for its jumps.

    ``ui.plotting.drawn_with_jumps`` draws each jump as three points at the jump's x (one
    limit, the gap, the other limit); a grid never repeats an x, so those are the repeated ones.
    """
    x = as_array(x)
    values, counts = np.unique(x, return_counts=True)
    return np.isin(x, values[counts == 1])


def sampled(line: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """A line trace's (x, y) at its grid samples (see :func:`sampled_mask`)."""
    keep = sampled_mask(line["x"])
    return as_array(line["x"])[keep], as_array(line["y"])[keep]


def lines(figure: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure's line traces (not the dots drawn at jumps), in order."""
    return [t for t in figure["data"] if t.get("mode") == "lines"]
