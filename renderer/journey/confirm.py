"""The confirm page's rows: each visible section with its labels and the texts or images it shows."""
from __future__ import annotations

from typing import Any

from renderer.definition.model import Page
from renderer.journey.evaluation import Evaluation, condition
from widgets import WIDGETS
from widgets.display import show


def confirm_rows(ev: Evaluation, page: Page) -> list[dict[str, Any]]:
    """The confirm page's visible sections, each row as (label, text or images); hidden pages are left out."""
    out = []
    fields = {f.id: f for p in ev.pages_on_route for f in p.fields}
    for section in page.confirm:
        if not condition(section.when, ev.env):
            continue
        rows = []
        for item in section.shows:
            if item.value is not None:
                rows.append({"label": item.label, "value": show(item.value.evaluate(ev.env), item.display)})
                continue
            shown = [f for f in (fields.get(n) for n in item.fields) if f is not None and f.id in ev.visible]
            if not shown:
                continue
            parts = [WIDGETS[f.kind].display(ev.context(f), ev.value(f.id)) for f in shown]
            value = parts[0] if len(parts) == 1 else " ".join(p for p in parts if isinstance(p, str) and p)
            rows.append({"label": item.label or shown[0].label, "value": value})
        out.append({"title": section.title, "rows": rows, "edit": section.edit})
    return out
