"""A notice the citizen must acknowledge (邮寄温馨提醒 → 好的,我已阅读), shown as a dialog until they do."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from widgets.base import ActionResult, FieldContext, Widget
from widgets.settings import NoticeSettings, read


class NoticeWidget(Widget):
    kind = "notice"

    def value(self, ctx: FieldContext) -> Any:
        return True if ctx.get() == "1" else None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        return None if value else f"请阅读{ctx.field.label}"

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        if verb == "ack":
            ctx.set("", "1")
            return ActionResult()
        return ActionResult(error="不支持的操作")

    def display(self, ctx: FieldContext, value: Any) -> str:
        return "已阅读" if value else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        s = read(ctx.field, NoticeSettings)
        return {"acknowledged": ctx.get() == "1", "lines": s.text.splitlines(), "button": s.button}


WIDGET = NoticeWidget()
