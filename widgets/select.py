"""A choice from a list declared in YAML (a list file, a resident type's options, a city's banks)."""
from __future__ import annotations

from typing import Any

from widgets.base import FieldContext, Widget


def options_of(ctx: FieldContext) -> list[str]:
    """The field's options: a literal list or the value of its options expression."""
    literal = ctx.field.prop("options")      # a YAML list; a text was compiled as an expression (widgets/settings.py)
    found = literal if isinstance(literal, list) else ctx.eval("options")
    return [str(o) for o in found] if isinstance(found, (list, tuple)) else []


class SelectWidget(Widget):
    kind = "select"
    required_verb = "请选择"

    def value(self, ctx: FieldContext) -> Any:
        value = super().value(ctx)
        return value if value in options_of(ctx) else None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        typed = ctx.get().strip()
        if typed and typed not in options_of(ctx):
            return f"请从列表中选择{ctx.field.label}"
        return None

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        return {"options": options_of(ctx), "chosen": ctx.typed()}


WIDGET = SelectWidget()
