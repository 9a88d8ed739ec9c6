"""Build the whole definition: data first, then every journey, then the checks that span journeys."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from renderer.definition.build import Builder, Origin
from renderer.definition.errors import LoadError, did_you_mean
from renderer.definition.flow import flow_errors, missing_texts
from renderer.definition.model import Definition
from renderer.definition.reader import Document


def build(journeys: Sequence[Document], fragments: Mapping[str, Document], lists: Mapping[str, Any],
          cities: Sequence[Document], residents: Mapping[str, Mapping[str, Any]],
          list_docs: Mapping[str, Document] | None = None) -> tuple[Definition, list[LoadError]]:
    """The frozen model plus every meaning error found."""
    builder = Builder(lists=lists, residents=residents)
    issuing = list(lists.get("issuing_cities") or [])
    city_models = {c.name: c for c in (builder.city(doc, issuing) for doc in cities)}
    built = {}
    for doc in journeys:
        journey = builder.journey(doc, fragments)
        if journey is not None:
            built[journey.id] = journey
    for journey_id, page_id, origin in builder.journey_refs:
        target = built.get(journey_id)
        if target is None:
            builder.problem("ref.unknown_journey", origin, journey=journey_id, choices=", ".join(sorted(built)),
                            suggestion=did_you_mean(journey_id, built))
        elif page_id and target.page(page_id) is None:
            ids = [p.id for p in target.pages]
            builder.problem("ref.unknown_page#journey", origin, journey=journey_id, page=page_id,
                            choices=", ".join(ids), suggestion=did_you_mean(page_id, ids))
    entered = {}
    for journey_id, page_id, _ in builder.journey_refs:
        entered.setdefault(journey_id, set()).add(page_id or "")
    for journey in built.values():
        builder.errors += flow_errors(journey, entered.get(journey.id, ()))
    for doc in [*journeys, *fragments.values()]:
        builder.errors += missing_texts(doc)
    for name, doc in (list_docs or {}).items():
        if name not in builder.used_lists and built:
            builder.problem("list.unused", Origin(doc, ["list"]), name=name, file=doc.file)
    return Definition(journeys=built, lists=lists, cities=city_models, residents=residents), builder.errors
