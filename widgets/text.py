"""A line of text; max_length / min_length / pattern become both the server check and the HTML attributes."""
from __future__ import annotations

from typing import Any

from renderer.definition.typed_text import matches_whole
from widgets.base import FieldContext, Widget
from widgets.settings import TextSettings, read


class TextWidget(Widget):
    kind = "text"

    def typed_keys(self, field: Any) -> tuple[str, ...]:
        return (field.id,)

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if value is None:
            return None
        s = read(ctx.field, TextSettings)
        if s.max_length and len(value) > s.max_length:
            return f"{s.label}不能超过{s.max_length}个字"
        if s.min_length and len(value) < s.min_length:
            return f"{s.label}至少{s.min_length}个字"
        if s.pattern and not matches_whole(s.pattern, value):
            return s.pattern_message or f"{s.label}格式不正确"
        if any(ord(ch) < 32 for ch in value):
            return f"{s.label}含有不可见字符,请重新输入"
        return None

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        s = read(ctx.field, TextSettings)
        attrs = {"maxlength": s.max_length, "minlength": s.min_length, "pattern": s.pattern}
        return {"text": ctx.typed(), "placeholder": s.placeholder,
                "attrs": {k: v for k, v in attrs.items() if v is not None}}


WIDGET = TextWidget()
