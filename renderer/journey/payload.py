"""What 确认提交 sends and keeps: an application that can be read years later without the YAML.

Each answer on the citizen's route carries its page, section, label, kind, value (plain JSON: dates as ISO text,
uploads as their ids) and the text the confirm page showed; the payload names its journey, the forms version it
was made with, its own format and the address of its JSON Schema (renderer/journey/payload_schema.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from renderer.journey.confirm import confirm_rows
from renderer.journey.evaluation import Evaluation
from renderer.journey.payload_schema import FORMAT, schema_address
from widgets import WIDGETS
from widgets.documents import UPLOAD_URL

APPLICANT_KEYS = ("name", "id_type", "id_number")
UPLOAD_PREFIX = UPLOAD_URL.format(id="")


def application_payload(ev: Evaluation) -> dict[str, Any]:
    """The application: who and what for, every answer with its context, and the confirm page as shown."""
    confirm = next((p for p in ev.pages_on_route if p.is_confirm), None)
    sections = confirm_rows(ev, confirm) if confirm else []
    fields = answered_fields(ev)
    applicant = ev.env["applicant"]
    return json_value({
        "format": FORMAT,
        "schema": schema_address(ev.journey.id),
        "journey": {"id": ev.journey.id, "title": ev.journey.title},
        "form": {"version": ev.definition.version, "label": ev.definition.label},
        "applicant": {k: applicant.get(k) for k in APPLICANT_KEYS},
        "guardian": None if applicant.get("is_self") else ev.identity.id_number,
        "fields": fields,
        "answers": {f["field"]: f["value"] for f in fields},
        "sections": [{"title": s["title"], "rows": s["rows"]} for s in sections],
    })


def answered_fields(ev: Evaluation) -> list[dict[str, Any]]:
    """Every visible field on the route, in route order, with where it was asked and what it showed."""
    out = []
    for page in ev.pages_on_route:
        for section in page.sections:
            for f in section.fields:
                if f.id not in ev.visible:
                    continue
                value = ev.value(f.id)
                out.append({"page": {"id": page.id, "title": page.title}, "section": section.title, "field": f.id,
                            "label": f.label, "kind": f.kind, "value": json_value(value),
                            "display": display_text(WIDGETS[f.kind].display(ev.context(f), value))})
    return out


def display_text(shown: Any) -> Any:
    """A widget's confirm-page display as kept: its text, or its images as [{label, upload}]."""
    if isinstance(shown, Mapping) and "images" in shown:
        return [{"label": label, "upload": str(url).removeprefix(UPLOAD_PREFIX).split("?")[0]} for label, url in shown["images"]]
    return "" if shown is None else str(shown)


def json_value(value: Any) -> Any:
    """Plain JSON: dates as ISO text, tuples as lists; anything else unknown as its text."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)
