"""A bug in the checks must not hide the analyst's other problems: one file's crash becomes one problem."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError
from renderer.definition.model import Position

T = TypeVar("T")


def guarded(file: str, errors: list[LoadError], step: Callable[[], T]) -> T | None:
    """`step()`; when it raises, None and an `internal.unexpected` problem of `file` appended to `errors`."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - any bug in a check is reported, never a traceback
        errors.append(problem("internal.unexpected", Position(file, 1, 1), error=f"{type(exc).__name__}: {exc}"))
        return None
