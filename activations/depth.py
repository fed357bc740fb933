"""The gradient-through-depth simulator (being written)."""

from __future__ import annotations


def simulate(*args, **kwargs):
    raise NotImplementedError
