"""The named service actions that buttons declare (`calls:`), bound to the adapters."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from renderer.definition.build import PLACEHOLDER
from renderer.definition.expressions import Expression, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Call, Page
from renderer.journey import submission
from renderer.journey.evaluation import Evaluation, condition
from renderer.services.base import Outcome
from widgets import WIDGETS
from widgets.display import show


def run_call(call: Call, ev: Evaluation, form: Mapping[str, Any], journey_id: str) -> Outcome:
    """Run one service action; face_check is interactive and handled by the engine before this."""
    provincial = ev.services.provincial
    args = {name: expr.evaluate(ev.env) for name, expr in call.args.items()}
    if call.service == "precheck":
        return provincial.precheck(ev.identity, **args)
    if call.service == "eligibility_check":
        return provincial.eligibility(ev.identity, **args)
    if call.service == "submit_application":
        return submission.submit(ev, journey_id, application_payload(ev))
    if call.service == "submit_cleanup":
        return provincial.submit_cleanup(ev.identity, list(args.get("cards") or []))
    raise ValueError(f"unknown service action {call.service}")


def application_payload(ev: Evaluation) -> dict[str, Any]:
    """What is submitted: the confirm page's sections as shown, plus the typed answers on the route."""
    confirm = next((p for p in ev.pages_on_route if p.is_confirm), None)
    sections = confirm_rows(ev, confirm) if confirm else []
    answers = {f.id: ev.value(f.id) for p in ev.pages_on_route for f in p.fields if f.id in ev.visible}
    applicant = {k: ev.env["applicant"].get(k) for k in ("name", "id_type", "id_number")}
    return {"sections": [{"title": s["title"], "rows": s["rows"]} for s in sections], "answers": answers,
            "applicant": applicant, "guardian": None if ev.env["applicant"].get("is_self") else ev.identity.id_number}


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


@lru_cache(maxsize=512)
def _placeholder(source: str, roots: frozenset[str]) -> Expression:
    # Placeholders were checked against the journey when the forms loaded; here every root in env is known.
    return compile_expression(source, known_roots=roots, functions=FUNCTIONS)


def fill(text: str, env: Mapping[str, Any]) -> str:
    """Replace each {expression} in a popup or result text with its value."""
    roots = frozenset(env)
    return PLACEHOLDER.sub(lambda m: show(_placeholder(m.group(1), roots).evaluate(env)), text)

