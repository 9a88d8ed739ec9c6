"""A value the citizen cannot change (from their identity or an earlier answer), masked as declared."""
from __future__ import annotations

from typing import Any

from widgets.base import FieldContext, Widget
from widgets.display import show
from widgets.settings import ReadonlySettings, read


class ReadonlyWidget(Widget):
    kind = "readonly"

    def keys(self, field: Any) -> list[str]:
        return []          # nothing a POST may set

    def value(self, ctx: FieldContext) -> Any:
        return ctx.eval("value")

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        return {"text": show(self.value(ctx), read(ctx.field, ReadonlySettings).display)}


WIDGET = ReadonlyWidget()
