"""Checks of what the forms mean, on the built model: conditions, options, reachability, data files.

Each journey's checks are guarded, so a bug in one is `internal.unexpected` of that journey's file; the data
checks are guarded per data file kind.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from renderer.definition.errors import LoadError
from renderer.definition.guard import guarded
from renderer.definition.meaning.conditions import condition_errors
from renderer.definition.meaning.data import (
    city_errors,
    number_format_pattern_errors,
    resident_errors,
    resident_reads,
)
from renderer.definition.meaning.domains import Domains
from renderer.definition.meaning.fields import field_errors
from renderer.definition.meaning.places import Place, journey_places, journeys_by_id
from renderer.definition.meaning.routes import (
    disabled_page_errors,
    hidden_required_errors,
    link_errors,
    loop_errors,
    raised_popups,
    unused_popup_errors,
)
from renderer.definition.meaning.sites import sites
from renderer.definition.model import Definition, Journey
from renderer.definition.reader import Document


class _Seen:
    """What the journeys' checks gather for the checks that span files."""

    def __init__(self) -> None:
        self.texts: list[str] = []                            # expressions and texts: which data keys are read
        self.expressions: list[str] = []                      # the expressions alone (texts may be guarded)
        self.popups: dict[tuple[str, tuple[object, ...]], tuple[Place, bool]] = {}   # where -> (place, opened)


def meaning_errors(definition: Definition, journey_docs: Sequence[Document], fragments: Mapping[str, Document],
                   list_docs: Mapping[str, Document], city_docs: Sequence[Document],
                   resident_docs: Sequence[Document], today: dt.date | None = None) -> list[LoadError]:
    """Every meaning problem of the built forms."""
    today = today or dt.date.today()
    errors: list[LoadError] = []
    seen = _Seen()
    docs = journeys_by_id(journey_docs)
    remembered = {link.journey for j in definition.journeys.values()
                  for link in [*(b for p in j.popups.values() for b in p.buttons),
                               *(b for r in j.results.values() for b in r.buttons)]
                  if link.remember and link.journey}
    for journey in definition.journeys.values():
        doc = docs.get(journey.id)
        if doc is not None:
            errors += guarded(doc.file, errors, partial(_journey_errors, definition, journey, doc, fragments,
                                                        remembered, seen, today)) or []
    errors += unused_popup_errors(seen.popups.values())
    first_list = next(iter(list_docs.values()), None)
    if first_list is not None:
        errors += guarded(first_list.file, errors,
                          partial(number_format_pattern_errors, list_docs, definition.lists)) or []
    if city_docs:
        errors += guarded(city_docs[0].file, errors,
                          partial(city_errors, definition, city_docs, seen.texts, list_docs)) or []
    if resident_docs:
        errors += guarded(resident_docs[0].file, errors,
                          partial(resident_errors, definition, resident_reads(seen.expressions),
                                  resident_docs)) or []
    return errors


def _journey_errors(definition: Definition, journey: Journey, doc: Document, fragments: Mapping[str, Document],
                    remembered: set[str], seen: _Seen, today: dt.date) -> list[LoadError]:
    places = journey_places(doc, fragments)
    if len(places.pages) != len(journey.pages):
        return []       # the builder skipped a page it could not read: it has reported why
    domains = Domains(definition, journey)
    errors = []
    for site in sites(journey, places):
        errors += condition_errors(site, domains)
        seen.texts.append(site.expr.source)
        seen.expressions.append(site.expr.source)
    for page, pp in zip(journey.pages, places.pages):
        for f, rel in pp.fields(page):
            errors += field_errors(f, partial(_at, pp.at, rel), domains, today)
            seen.texts += [str(f.prop(key)) for key in ("text", "label") if f.prop(key)]
        seen.texts += [page.note or "", *(line for block in page.blocks for line in block.lines)]
    seen.texts += [p.text for p in journey.popups.values()] + [r.text for r in journey.results.values()]
    errors += hidden_required_errors(journey, places, domains)
    errors += disabled_page_errors(journey, domains)
    errors += link_errors(journey, places, remembered)
    errors += loop_errors(journey)
    raised = raised_popups(journey)
    for popup_id, place in places.popups.items():
        where = (place.doc.file, place.path)
        seen.popups[where] = (place, seen.popups.get(where, (place, False))[1] or popup_id in raised)
    return errors


def _at(at: Any, rel: tuple[object, ...], *keys: object) -> Place:
    place: Place = at(*rel, *keys)
    return place
