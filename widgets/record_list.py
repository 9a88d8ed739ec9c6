"""Records that a service lists (the cards to clean up), shown with declared columns; all selected and locked."""
from __future__ import annotations

from typing import Any

from widgets.base import FieldContext, Widget
from widgets.display import show

SOURCES = {"cards_to_clean"}     # named list queries of the provincial system (the schema names the same)


class RecordListWidget(Widget):
    kind = "record_list"

    def keys(self, field: Any) -> list[str]:
        return []      # locked: nothing a POST may change

    def prepare(self, ctx: FieldContext) -> None:
        key = f"{ctx.field.id}.records"
        source = ctx.field.prop("source")
        if key not in ctx.facts and source in SOURCES:
            ctx.facts[key] = list(getattr(ctx.services.provincial, source)(ctx.identity))

    def value(self, ctx: FieldContext) -> Any:
        return ctx.facts.get(f"{ctx.field.id}.records") or None

    def required_message(self, field: Any) -> str:
        return field.message or f"暂无{field.label}"

    def display(self, ctx: FieldContext, value: Any) -> str:
        columns = ctx.field.prop("columns") or []
        return "、".join(str(r.get(columns[0]["key"], "")) for r in value or []) if columns else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        columns = ctx.field.prop("columns") or []
        records = self.value(ctx) or []
        rows = [{"cells": [(c["label"], show(r.get(c["key"]), c.get("display", "plain"))) for c in columns]}
                for r in records]
        return {"rows": rows, "layout": ctx.field.prop("layout", "rows"), "locked": ctx.field.prop("locked", True)}


WIDGET = RecordListWidget()
