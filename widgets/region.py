"""Cascading selects over a region tree from YAML (`tree:`): province › city › district, or city › district `within` one."""
from __future__ import annotations

from typing import Any

from widgets.base import ActionResult, FieldContext, Widget
from widgets.settings import RegionSettings, read

LEVELS = ("province", "city", "district")


class RegionWidget(Widget):
    kind = "region"
    required_verb = "请选择"

    def keys(self, field: Any) -> list[str]:
        return [f"{field.id}.{level}" for level in LEVELS]

    def _tree(self, ctx: FieldContext) -> dict[str, Any]:
        tree = ctx.eval("tree")
        return tree if isinstance(tree, dict) else {}

    def _chosen(self, ctx: FieldContext) -> tuple[str, str, str]:
        within = read(ctx.field, RegionSettings).within
        province = within or ctx.get("province")
        return province, ctx.get("city"), ctx.get("district")

    def value(self, ctx: FieldContext) -> Any:
        province, city, district = self._chosen(ctx)
        cities = self._tree(ctx).get(province) or {}
        if city in cities and district in (cities.get(city) or []):
            return {"province": province, "city": city, "district": district}
        return None

    def check(self, ctx: FieldContext, value: Any, submitting: bool) -> str | None:
        if value is None and any(ctx.get(level) for level in LEVELS):
            return f"请选择完整的{ctx.field.label}(省、市、区/县)"
        return None

    def act(self, ctx: FieldContext, verb: str, form: Any) -> ActionResult:
        """确定 without JavaScript: the answers are already kept; the page shows the next level's choices."""
        return ActionResult() if verb == "show" else ActionResult(error="不支持的操作")

    def display(self, ctx: FieldContext, value: Any) -> str:
        # Written as Chinese addresses are: province, city, district run together; a municipality is named once.
        if not value:
            return ""
        parts = [value["province"]] + ([value["city"]] if value["city"] != value["province"] else []) + [value["district"]]
        return "".join(parts)

    def view(self, ctx: FieldContext) -> dict[str, Any]:
        tree = self._tree(ctx)
        province, city, district = self._chosen(ctx)
        cities = tree.get(province) or {}
        return {"within": read(ctx.field, RegionSettings).within, "provinces": list(tree), "province": province,
                "cities": list(cities), "city": city, "districts": list(cities.get(city) or []),
                "district": district}


WIDGET = RegionWidget()
