"""Field widgets: one module and one template per kind; widgets/settings.py declares the settings each kind takes.

WIDGETS is loaded on first use, so that the loader can read widgets.settings without the widgets' own libraries.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from widgets.base import ActionResult, FieldContext, Widget

if TYPE_CHECKING:
    from widgets.registry import WIDGETS


def __getattr__(name: str) -> Any:
    if name == "WIDGETS":
        from widgets.registry import WIDGETS
        return WIDGETS
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


__all__ = ["WIDGETS", "ActionResult", "FieldContext", "Widget"]
