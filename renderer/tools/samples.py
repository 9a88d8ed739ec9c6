"""Plausible answers for any field, from its declaration alone: for previews and generated walks."""
from __future__ import annotations

import datetime as dt
from typing import Any

from renderer.definition.model import Definition, Field, Journey
from renderer.journey.evaluation import Draft, Evaluation
from renderer.services.base import Identity
from renderer.uploads.images import make_placeholder_portrait
from widgets import WIDGETS
from widgets.documents import DocumentsWidget

SAMPLE_PHONE = "13800138000"


def sample_draft(definition: Definition, journey: Journey, identity: Identity, store: Any) -> Draft:
    """A draft in which every visible field has a value its widget accepts where one can be made up."""
    draft = Draft()
    for _ in range(3):      # values open later questions (a choice shows a section): settle in a few rounds
        ev = Evaluation(definition, journey, draft, identity, store=store)
        for f in journey.fields:
            if f.id in ev.visible:
                _fill(f, ev, draft, identity, store)
    return draft


def _fill(f: Field, ev: Evaluation, draft: Draft, identity: Identity, store: Any) -> None:
    raw, facts, ctx = draft.raw, draft.facts, ev.context(f)
    today = ev.env["today"]
    widget = WIDGETS[f.kind]
    if f.kind in ("select", "radio"):
        options = widget.view(ctx)["options"]
        raw.setdefault(f.id, str(f.default) if f.default in options else (options[0] if options else ""))
    elif f.kind == "text":
        raw.setdefault(f.id, _text(f))
    elif f.kind == "date":
        value = today + dt.timedelta(days=365 * 5) if f.prop("min") else today - dt.timedelta(days=365)
        raw.setdefault(f.id, value.isoformat())
    elif f.kind in ("agreement", "notice"):
        raw.setdefault(f.id, "1")
    elif f.kind == "phone_code":
        raw.setdefault(f.id, SAMPLE_PHONE)
        facts[f"{f.id}.verified"] = SAMPLE_PHONE
    elif f.kind == "region":
        view = widget.view(ctx)
        province = view["within"] or (view["provinces"][0] if view["provinces"] else "")
        raw.setdefault(f"{f.id}.province", province)
        tree = ctx.eval("tree") or {}
        cities = list(tree.get(raw[f"{f.id}.province"]) or {})
        if cities:
            raw.setdefault(f"{f.id}.city", cities[0])
            districts = tree[raw[f"{f.id}.province"]][raw[f"{f.id}.city"]]
            raw.setdefault(f"{f.id}.district", districts[0] if districts else "")
    elif f.kind == "branch_picker":
        city = (ev.env.get("cities") or {}).get(ctx.eval("city"))
        if city and city.branches:
            raw.setdefault(f.id, city.branches[0].id)
    elif isinstance(widget, DocumentsWidget):
        for slot in widget.slots(ctx):
            if slot["upload"] is None:
                facts[slot["key"]] = store.put_upload(identity.key, make_placeholder_portrait(slot["label"]), "image/jpeg")
    elif f.kind == "photo_choice" and not facts.get(f"{f.id}.system_photo"):
        facts[f"{f.id}.system_photo"] = store.put_upload(identity.key, make_placeholder_portrait("photo"),
                                                         "image/jpeg")


def _text(f: Field) -> str:
    if f.prop("pattern"):
        return ""           # a format the sample cannot guess: left for the citizen (and shown as missing)
    text = "示例内容填写" * 5
    low, high = f.prop("min_length") or 0, f.prop("max_length") or 20
    return text[:max(low, min(high, 8))]
