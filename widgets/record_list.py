"""Records that a service lists (the cards to clean up), shown with declared columns, each selected by default.

`locked: true`: every record is selected and stays so (the field owns no form key, so a post cannot unselect one);
otherwise each record has a check box and the value is the records left ticked.
"""
from __future__ import annotations

from typing import Any

from widgets.base import FieldContext, Widget
from widgets.display import show
from widgets.settings import RecordListSettings, read

SOURCES = {"cards_to_clean"}     # named list queries of the provincial system (the schema names the same)
MAX_RECORDS = 50                 # check boxes a post may set: <id>.pick.0 … <id>.pick.49


class RecordListWidget(Widget):
    kind = "record_list"

    def keys(self, field: Any) -> list[str]:
        if read(field, RecordListSettings).locked:
            return []        # nothing a POST may change
        return [f"{field.id}.pick.{i}" for i in range(MAX_RECORDS)]

    def prepare(self, ctx: FieldContext, keep: bool = True) -> None:
        """The records, into the draft's facts (a GET's draft is not saved: the POST fetches them again)."""
        key = f"{ctx.field.id}.records"
        source = read(ctx.field, RecordListSettings).source
        if key not in ctx.facts and source in SOURCES:
            ctx.facts[key] = list(getattr(ctx.services.provincial, source)(ctx.identity))

    def _records(self, ctx: FieldContext) -> list[Any]:
        return list(ctx.facts.get(f"{ctx.field.id}.records") or [])[:MAX_RECORDS]

    def _picked(self, ctx: FieldContext, index: int) -> bool:
        """Selected: always when locked; otherwise unless its check box was posted unticked."""
        if read(ctx.field, RecordListSettings).locked or not ctx.has(f"pick.{index}"):
            return True
        return ctx.get(f"pick.{index}") == "1"

    def value(self, ctx: FieldContext) -> Any:
        return [r for i, r in enumerate(self._records(ctx)) if self._picked(ctx, i)] or None

    def required_message(self, field: Any) -> str:
        return field.message or f"暂无{field.label}"

    def display(self, ctx: FieldContext, value: Any) -> str:
        columns = read(ctx.field, RecordListSettings).columns
        return "、".join(str(r.get(columns[0]["key"], "")) for r in value or []) if columns else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        s = read(ctx.field, RecordListSettings)
        rows = [{"cells": [(c["label"], show(r.get(c["key"]), c.get("display", "plain"))) for c in s.columns],
                 "key": f"{ctx.field.id}.pick.{i}", "picked": self._picked(ctx, i)}
                for i, r in enumerate(self._records(ctx))]
        return {"rows": rows, "layout": s.layout, "locked": s.locked}


WIDGET = RecordListWidget()
