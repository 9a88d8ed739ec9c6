"""Data files that lack what the journeys read: a city's key or branches, an issuing city's file, a resident
type's key; and number formats whose pattern does not compile."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.meaning.fields import pattern_error
from renderer.definition.meaning.places import Place
from renderer.definition.model import Definition
from renderer.definition.reader import Document

CITY_READ = re.compile(r"cities\s*\[[^\]]*\]\s*\.\s*([a-z_]+)")
RESIDENT_READ = re.compile(r"\bresident\s*\.\s*([a-z_]+)")
FORMATS_LIST = "number_formats"


def number_format_pattern_errors(list_docs: Mapping[str, Document], lists: Mapping[str, Any]) -> list[LoadError]:
    """A problem at each number format whose pattern is not a regular expression."""
    doc, formats = list_docs.get(FORMATS_LIST), lists.get(FORMATS_LIST)
    if doc is None or not isinstance(formats, Mapping):
        return []
    found = (pattern_error((spec or {}).get("pattern"), Place(doc, ("items", name, "pattern")), f"{name}.pattern")
             for name, spec in formats.items() if isinstance(spec, Mapping))
    return [e for e in found if e is not None]


def city_errors(definition: Definition, city_docs: Sequence[Document], texts: Iterable[str],
                list_docs: Mapping[str, Document]) -> list[LoadError]:
    """Cities without a key the journeys read (cities[…].hotline), without branches, and issuing cities
    without a file."""
    texts = list(texts)
    read = {m.group(1) for t in texts for m in CITY_READ.finditer(t)}
    pickers = any(f.kind == "branch_picker" for j in definition.journeys.values() for f in j.fields)
    errors = []
    known = {k for d in city_docs for k in d.data}
    for doc in city_docs:
        for key in sorted(read & known):
            if doc.data.get(key) in (None, ""):
                errors.append(problem("city.missing_key", doc.key_position(["city"]), "city", city=doc.data["city"],
                                      key=key))
        if pickers and not doc.data.get("branches"):
            errors.append(problem("city.no_branches", doc.position(["branches"]), "branches",
                                  city=doc.data["city"]))
    issuing = definition.lists.get("issuing_cities")
    if (read or pickers) and isinstance(issuing, list) and "issuing_cities" in list_docs:
        for i, name in enumerate(issuing):
            if name not in definition.cities and city_docs:
                place = Place(list_docs["issuing_cities"], ("options", i))
                errors.append(problem("city.no_file", place.position(), format_path(place.path), city=name,
                                      suggestion=did_you_mean(str(name), definition.cities)))
    return errors


def resident_errors(definition: Definition, reads: Iterable[str], resident_docs: Sequence[Document]
                    ) -> list[LoadError]:
    """Resident types that lack a key some expression reads."""
    errors = []
    for doc in resident_docs:
        for resident, entry in (doc.data.get("residents") or {}).items():
            for key in sorted(reads):
                if key == "type" or (entry or {}).get(key) is not None:
                    continue
                if not any(key in r for r in definition.residents.values()):
                    continue        # no resident type has it: the builder reports the name itself
                errors.append(problem("resident.missing_key", doc.key_position(["residents", resident]),
                                      format_path(["residents", resident]), resident=resident, key=key))
    return errors


def resident_reads(sources: Iterable[str]) -> set[str]:
    """The keys of `resident` that expressions read."""
    return {m.group(1) for source in sources for m in RESIDENT_READ.finditer(source)}
