"""Rows for the API schema run (`api_data`): real path-parameter values, by name, for this
area's operations, so generated requests reach rows instead of 404s."""

from __future__ import annotations

from typing import Any


def add(*, agent, editor, outsider) -> dict[str, list[Any]]:
    return {}
