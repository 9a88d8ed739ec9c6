"""The agreement checkbox of a guide page: nothing proceeds until it is ticked."""
from __future__ import annotations

from typing import Any

from widgets.base import FieldContext, Widget


class AgreementWidget(Widget):
    kind = "agreement"
    required_verb = "请勾选"

    def value(self, ctx: FieldContext) -> Any:
        return True if ctx.get() == "1" else None

    def display(self, ctx: FieldContext, value: Any) -> str:
        return "已同意" if value else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        return {"checked": ctx.get() == "1"}


WIDGET = AgreementWidget()
