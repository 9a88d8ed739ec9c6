"""`yss paths JOURNEY`: every distinct route through a journey, from its conditions and service outcomes.

A route is the pages a citizen sees and how it ends. Routes differ by the answers that page and section
conditions read (each choice of a select or radio they name) and by the outcome of each button (ok, or each
code its `on:` routes elsewhere: a popup, a result, another journey).
"""
from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from renderer.definition.loader import load_forms
from renderer.definition.model import Condition, Definition, Journey, Route
from renderer.journey.evaluation import Draft, Evaluation
from renderer.services.base import Identity
from widgets import WIDGETS

MAX_COMBINATIONS = 64


@dataclass
class JourneyPath:
    pages: list[str]
    answers: dict[str, str]
    end: dict[str, str]                       # kind (result/popup/message/journey/error) and its target
    outcome: dict[str, str] = field(default_factory=dict)   # the page, button and code that ends it (if not ok)
    id: str = ""


def _names(condition: Condition) -> set[str]:
    return set() if isinstance(condition, bool) else {n.split(".")[0] for n in condition.names}


def branching_fields(journey: Journey) -> list[str]:
    """Choice fields that page and section conditions read: each of their options may change the route."""
    names: set[str] = set()
    for page in journey.pages:
        names |= _names(page.when)
        names |= {n for s in page.sections for n in _names(s.when)}
    return [f.id for f in journey.fields if f.id in names and f.kind in ("select", "radio")]


def sample_identity(definition: Definition, resident_type: str | None = None) -> Identity:
    """Someone of `resident_type` (default: the first type that may apply online), registered with its first document."""
    key = resident_type or next((k for k, r in definition.residents.items() if r.get("online")), "")
    documents = (definition.residents.get(key) or {}).get("documents") or []
    id_type = next((d.get("id_type") for d in documents if d.get("id_type")), "")
    return Identity(key="paths", name="示例", id_number="440106199001011235", id_type=id_type,
                    resident_type=key, phone="13800138000")


def _end(route: Route, journey: Journey) -> dict[str, str]:
    if route.result:
        return {"kind": "result", "id": route.result, "title": journey.results[route.result].title}
    if route.popup:
        popup = journey.popups.get(route.popup)
        return {"kind": "popup", "id": route.popup, "title": popup.text if popup else route.popup}
    if route.journey:
        return {"kind": "journey", "id": route.journey, "title": route.page or ""}
    if route.error_field:
        return {"kind": "error", "id": route.error_field, "title": route.message or ""}
    if route.goto:
        return {"kind": "goto", "id": route.goto, "title": route.goto}
    return {"kind": "message", "id": "", "title": route.message or ""}


def journey_paths(definition: Definition, journey: Journey, resident_type: str | None = None) -> list[JourneyPath]:
    identity = sample_identity(definition, resident_type)
    fields = branching_fields(journey)
    choices = []
    for field_id in fields:
        f = journey.field(field_id)
        if f is None:
            continue
        ev = Evaluation(definition, journey, Draft(), identity)
        choices.append(WIDGETS[f.kind].view(ev.context(f))["options"] or [""])
    found: list[JourneyPath] = []
    seen: set[tuple[Any, ...]] = set()
    for values in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        answers = dict(zip(fields, values))
        route = Evaluation(definition, journey, Draft(raw=dict(answers)), identity).pages_on_route
        ids = [p.id for p in route]
        for index, page in enumerate(route):
            for button in page.buttons:
                for code, target in button.on.items():
                    if target.next or (code == "ok" and not (target.result or target.journey)):
                        continue
                    end = _end(target, journey)
                    key = (tuple(ids[:index + 1]), code, end["kind"], end["id"], tuple(sorted(answers.items()))
                           if code == "ok" else ())
                    if key in seen:
                        continue
                    seen.add(key)
                    outcome = {} if code == "ok" else {"page": page.id, "button": button.label, "code": code}
                    found.append(JourneyPath(ids[:index + 1], answers if code == "ok" else {}, end, outcome))
    for number, path in enumerate(found, 1):
        path.id = f"{journey.id}-{number:02d}"
    return found


def run_paths(forms: Path, journey_id: str, as_json: bool = False) -> int:
    result = load_forms(forms.resolve())
    if result.definition is None:
        print(f"forms/ does not load ({len(result.errors)} problem(s)): run `yss lint` first")
        return 1
    journey = result.definition.journeys.get(journey_id)
    if journey is None:
        print(f"no journey '{journey_id}'; journeys are: {', '.join(sorted(result.definition.journeys))}")
        return 1
    paths = journey_paths(result.definition, journey)
    if as_json:
        print(json.dumps([asdict(p) for p in paths], ensure_ascii=False, indent=2))
        return 0
    for path in paths:
        answers = ", ".join(f"{k}={v}" for k, v in path.answers.items()) or "-"
        cause = f"{path.outcome['page']}:{path.outcome['button']} → {path.outcome['code']}" if path.outcome else "ok"
        print(f"{path.id}  {' › '.join(path.pages)}  ⇒ {path.end['kind']} {path.end['id']} "
              f"({path.end['title'][:30]})  [{cause}; {answers}]")
    print(f"{len(paths)} paths")
    return 0
