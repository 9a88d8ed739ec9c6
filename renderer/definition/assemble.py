"""Build the whole definition: data first, then every journey, then the checks that span journeys."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from renderer.definition.build import Builder, Origin
from renderer.definition.errors import LoadError, did_you_mean
from renderer.definition.flow import flow_errors, missing_texts
from renderer.definition.formats_check import number_format_errors
from renderer.definition.guard import guarded
from renderer.definition.includes import include_errors
from renderer.definition.meaning import meaning_errors
from renderer.definition.model import Definition
from renderer.definition.reader import Document
from renderer.definition.verification import verification_errors


def build(journeys: Sequence[Document], fragments: Mapping[str, Document], lists: Mapping[str, Any],
          cities: Sequence[Document], residents: Mapping[str, Mapping[str, Any]],
          list_docs: Mapping[str, Document] | None = None,
          resident_docs: Sequence[Document] = ()) -> tuple[Definition, list[LoadError]]:
    """The frozen model plus every meaning error found."""
    builder = Builder(lists=lists, residents=residents)
    issuing = list(lists.get("issuing_cities") or [])
    # Each file's checks are guarded: a bug in one of them is that file's problem and the rest still get checked.
    city_models = {c.name: c for c in (guarded(doc.file, builder.errors, partial(builder.city, doc, issuing))
                                       for doc in cities) if c is not None}
    built = {}
    files: dict[str, str] = {}
    for doc in journeys:
        journey = guarded(doc.file, builder.errors, partial(builder.journey, doc, fragments))
        if journey is not None:
            built[journey.id] = journey
            files[journey.id] = doc.file
    for journey_id, page_id, origin in builder.journey_refs:
        target = built.get(journey_id)
        if target is None:
            builder.problem("ref.unknown_journey", origin, journey=journey_id, choices=", ".join(sorted(built)),
                            suggestion=did_you_mean(journey_id, built))
        elif page_id and target.page(page_id) is None:
            ids = [p.id for p in target.pages]
            builder.problem("ref.unknown_page#journey", origin, journey=journey_id, page=page_id,
                            choices=", ".join(ids), suggestion=did_you_mean(page_id, ids))
    entered: dict[str, set[str]] = {}
    for journey_id, page_id, _ in builder.journey_refs:
        entered.setdefault(journey_id, set()).add(page_id or "")
    for journey in built.values():
        entries = entered.get(journey.id, set())
        builder.errors += guarded(files[journey.id], builder.errors, partial(flow_errors, journey, entries)) or []
    for journey in built.values():
        builder.errors += guarded(files[journey.id], builder.errors, partial(verification_errors, journey, built)) or []
    builder.errors += include_errors(fragments)
    builder.errors += number_format_errors(resident_docs, lists)
    for doc in [*journeys, *fragments.values()]:
        builder.errors += guarded(doc.file, builder.errors, partial(missing_texts, doc)) or []
    for name, doc in (list_docs or {}).items():
        if name not in builder.used_lists and built:
            builder.problem("list.unused", Origin(doc, ["list"]), name=name, file=doc.file)
    definition = Definition(journeys=built, lists=lists, cities=city_models, residents=residents)
    # What the forms mean (renderer/definition/meaning): each journey's and data file's checks are guarded inside.
    builder.errors += meaning_errors(definition, journeys, fragments, list_docs or {}, cities, resident_docs)
    return definition, builder.errors
