"""受理网点: 选择 opens the issuing city's branches, filtered by district exactly and by keyword (fuzzy)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Mapping

from rapidfuzz import fuzz

from widgets.base import ActionResult, FieldContext, Widget

FUZZY_THRESHOLD = 75


def search(branches: list[Any], district: str, keyword: str) -> list[Any]:
    """Branches in `district` (all when empty) whose name or address matches `keyword`, best first."""
    found = [b for b in branches if not district or b.district == district]
    keyword = keyword.strip()
    if not keyword:
        return found
    scored = []
    for branch in found:
        score = max(fuzz.partial_ratio(keyword, branch.name), fuzz.partial_ratio(keyword, branch.address))
        if keyword in branch.name or keyword in branch.address:
            score = 100
        if score >= FUZZY_THRESHOLD:
            scored.append((-score, branch.name, branch))
    return [b for _, _, b in sorted(scored, key=lambda t: (t[0], t[1]))]


class BranchPickerWidget(Widget):
    kind = "branch_picker"
    required_verb = "请选择"

    def keys(self, field: Any) -> list[str]:
        return [field.id, f"{field.id}.district", f"{field.id}.q"]

    def _city(self, ctx: FieldContext) -> Any:
        return (ctx.env.get("cities") or {}).get(ctx.eval("city"))

    def value(self, ctx: FieldContext) -> Any:
        city = self._city(ctx)
        chosen = ctx.get()
        branch = next((b for b in city.branches if b.id == chosen), None) if city else None
        return asdict(branch) if branch else None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if ctx.get() and value is None:
            return "所选网点不属于发卡地,请重新选择受理网点"
        return None

    def act(self, ctx: FieldContext, verb: str, form: Mapping[str, Any]) -> ActionResult:
        if verb in ("open", "search"):
            return ActionResult(state={"dialog": True})
        if verb.startswith("pick:"):
            city = self._city(ctx)
            chosen = verb.removeprefix("pick:")
            if city is None or all(b.id != chosen for b in city.branches):
                return ActionResult(error="所选网点不存在,请重新选择", state={"dialog": True})
            ctx.set("", chosen)
            return ActionResult()
        return ActionResult(error="不支持的操作")

    def display(self, ctx: FieldContext, value: Any) -> str:
        return value["name"] if value else ""

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        city = self._city(ctx)
        branches = list(city.branches) if city else []
        district = ctx.get("district")
        labels = ctx.field.prop("shows") or {"name": "网点名称", "phone": "网点电话", "address": "网点地址"}
        return {"branch": self.value(ctx), "labels": labels, "districts": list(city.districts) if city else [],
                "district": district, "q": ctx.get("q"), "results": search(branches, district, ctx.get("q")),
                "dialog_title": ctx.field.prop("dialog_title", ctx.field.label),
                "placeholder": ctx.field.prop("search_placeholder", "请输入搜索关键词")}


WIDGET = BranchPickerWidget()
