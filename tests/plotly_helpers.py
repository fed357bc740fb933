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
