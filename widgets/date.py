"""A date; `min` / `max` (a date or `today`) are the server check and the input's attributes."""
from __future__ import annotations

import datetime as dt
from typing import Any

from widgets.base import FieldContext, Widget
from widgets.settings import DateSettings, read


def bound(text: str | None, today: dt.date) -> dt.date | None:
    if not text:
        return None
    return today if text == "today" else dt.date.fromisoformat(str(text))


class DateWidget(Widget):
    kind = "date"
    required_verb = "请选择"

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (field.id,)       # a browser without a date picker lets the citizen type it

    def value(self, ctx: FieldContext) -> Any:
        text = super().value(ctx)
        if isinstance(text, dt.date) or text is None:
            return text
        try:
            return dt.date.fromisoformat(str(text))
        except ValueError:
            return None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        label = ctx.field.label
        if value is None:
            return f"{label}格式不正确,请按年-月-日选择" if ctx.get().strip() else None
        s = read(ctx.field, DateSettings)
        today = ctx.env.get("today") or dt.date.today()
        low, high = bound(s.min, today), bound(s.max, today)
        if low and value < low:
            return f"{label}不能早于{low.isoformat()}" if s.min != "today" else f"{label}已过期,请核对"
        if high and value > high:
            return f"{label}不能晚于{'今天' if s.max == 'today' else high.isoformat()}"
        return None

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        s = read(ctx.field, DateSettings)
        today = ctx.env.get("today") or dt.date.today()
        low, high = bound(s.min, today), bound(s.max, today)
        default = ctx.default()
        text = ctx.typed() if not isinstance(default, dt.date) or (ctx.has() and ctx.enabled()) else default.isoformat()
        return {"text": text, "min": low.isoformat() if low else None, "max": high.isoformat() if high else None}


WIDGET = DateWidget()
