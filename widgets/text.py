"""A line of text; max_length / min_length / pattern become both the server check and the HTML attributes."""
from __future__ import annotations

import re
from typing import Any

from widgets.base import FieldContext, Widget


class TextWidget(Widget):
    kind = "text"

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if value is None:
            return None
        f = ctx.field
        if f.prop("max_length") and len(value) > f.prop("max_length"):
            return f"{f.label}不能超过{f.prop('max_length')}个字"
        if f.prop("min_length") and len(value) < f.prop("min_length"):
            return f"{f.label}至少{f.prop('min_length')}个字"
        if f.prop("pattern") and not re.fullmatch(f.prop("pattern"), value):
            return f.prop("pattern_message") or f"{f.label}格式不正确"
        if any(ord(ch) < 32 for ch in value):
            return f"{f.label}含有不可见字符,请重新输入"
        return None

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        f = ctx.field
        attrs = {"maxlength": f.prop("max_length"), "minlength": f.prop("min_length"), "pattern": f.prop("pattern")}
        text = ctx.get() if ctx.has() else (ctx.default() or "")
        return {"text": text, "attrs": {k: v for k, v in attrs.items() if v is not None}}


WIDGET = TextWidget()
