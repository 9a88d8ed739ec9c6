"""Where each part of a built journey is written: its document and path, so a problem is reported at its token.

A journey's pages come from its own file or from fragments, and an include's `override:` may replace a page key or a
field key; the position is then in the journey's file, where the override is written.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from renderer.definition.expression_tokens import ExpressionError, _tokenize
from renderer.definition.model import Field, Journey, Page, Position
from renderer.definition.overrides import override_page
from renderer.definition.reader import Document

QUOTES = ("'", '"')


@dataclass(frozen=True)
class Place:
    """A document and a path inside it."""

    doc: Document
    path: tuple[object, ...]

    def at(self, *more: object) -> Place:
        return Place(self.doc, (*self.path, *more))

    def position(self) -> Position:
        return self.doc.position(list(self.path))

    def key_position(self) -> Position:
        return self.doc.key_position(list(self.path))

    def value(self) -> Any:
        node = self.doc.data
        for part in self.path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def token(self, source: str, offset: int) -> Position:
        """The position of character `offset` of the expression `source` written at this place."""
        pos = self.position()
        written = self.value()
        if not isinstance(written, str) or source not in written or "\n" in written:
            return pos      # a block or folded text (or a {placeholder} inside one): its start
        quoted = 1 if getattr(written, "style", None) in QUOTES or _opens_with_quote(self.doc, pos) else 0
        return Position(pos.file, pos.line, pos.col + quoted + written.index(source) + offset)


def _opens_with_quote(doc: Document, pos: Position) -> bool:
    """For files read by the fast loader (no quote styles kept): look at the character itself."""
    if doc.source is None:
        return False
    try:
        line = doc.source.read_text(encoding="utf-8").splitlines()[pos.line - 1]
    except (OSError, IndexError):
        return False
    return line[pos.col - 1:pos.col] in QUOTES


def offset_of(source: str, kind: str, value: object, nth: int = 0) -> int:
    """The offset of the `nth` token of `kind` (string, name, number) with `value` in `source`, else 0."""
    try:
        tokens = [t for t in _tokenize(source) if t.kind == kind and t.value == value]
    except ExpressionError:
        return 0
    return tokens[min(nth, len(tokens) - 1)].offset if tokens else 0


@dataclass(frozen=True)
class PagePlace:
    """A page as built (overrides applied), where it is written, and the override that changed it."""

    raw: Any
    place: Place
    override: Place | None = None

    def at(self, *rel: object) -> Place:
        """The place of `rel` (a path inside the page as built): in the override when it wrote that key."""
        if self.override is not None and rel:
            changes = self.override.value() or {}
            field_changes = changes.get("fields") if isinstance(changes.get("fields"), Mapping) else None
            if rel[0] in changes and not (rel[0] == "fields" and field_changes is not None):
                return self.override.at(*rel)
            field_at = _field_key(rel)
            if field_changes is not None and field_at is not None:
                holder = self.raw if rel[0] == "fields" else (self.raw.get("sections") or [])[int(str(rel[1]))]
                index, rest = field_at
                field_id = (holder.get("fields") or [])[index].get("id")
                if rest and isinstance(field_changes.get(field_id), Mapping) and rest[0] in field_changes[field_id]:
                    return self.override.at("fields", field_id, *rest)
        return self.place.at(*rel)

    def section_path(self, index: int) -> tuple[object, ...]:
        """The path of the model's section `index` (a page's `fields:` is the model's untitled first section)."""
        if self.raw.get("fields"):
            return ("fields",) if index == 0 else ("sections", index - 1)
        return ("sections", index)

    def fields_path(self, index: int) -> tuple[object, ...]:
        path = self.section_path(index)
        return path if path == ("fields",) else (*path, "fields")

    def fields(self, page: Page) -> Iterator[tuple[Field, tuple[object, ...]]]:
        """Each field of the model's page with its path inside the page."""
        for s, section in enumerate(page.sections):
            for j, f in enumerate(section.fields):
                yield f, (*self.fields_path(s), j)


def _field_key(rel: tuple[object, ...]) -> tuple[int, tuple[object, ...]] | None:
    """(field index, the rest) for a path to a field's key, else None."""
    if len(rel) >= 2 and rel[0] == "fields" and isinstance(rel[1], int):
        return rel[1], rel[2:]
    if len(rel) >= 4 and rel[0] == "sections" and rel[2] == "fields" and isinstance(rel[3], int):
        return rel[3], rel[4:]
    return None


@dataclass(frozen=True)
class JourneyPlaces:
    """Where a journey's pages, popups and results are written (the same order as the builder's)."""

    doc: Document
    pages: tuple[PagePlace, ...]
    popups: Mapping[str, Place]
    results: Mapping[str, Place]
    fragments: tuple[Document, ...]

    def page(self, journey: Journey, page: Page) -> PagePlace | None:
        index = journey.pages.index(page)
        return self.pages[index] if index < len(self.pages) else None


def journey_places(doc: Document, fragments: Mapping[str, Document]) -> JourneyPlaces:
    """The places of a journey file's pages, popups and results, includes put in place as the builder does."""
    data = doc.data
    pages: list[PagePlace] = []
    results: dict[str, Place] = {}
    popups = {str(k): Place(doc, ("popups", k)) for k in data.get("popups") or {}}
    for i, r in enumerate(data.get("results") or []):
        results[str(r.get("id"))] = Place(doc, ("results", i))      # as the builder's dict: the last one wins
    included: list[Document] = []
    for i, entry in enumerate(data.get("pages") or []):
        if "include" not in entry:
            pages.append(PagePlace(entry, Place(doc, ("pages", i))))
            continue
        fragment = fragments.get(entry["include"])
        if fragment is None:
            continue
        included.append(fragment)
        overrides = entry.get("override") or {}
        for j, page in enumerate(fragment.data.get("pages") or []):
            if "include" in page:
                continue
            if page.get("id") in overrides:
                pages.append(PagePlace(override_page(page, overrides[page["id"]]), Place(fragment, ("pages", j)),
                                       Place(doc, ("pages", i, "override", page["id"]))))
            else:
                pages.append(PagePlace(page, Place(fragment, ("pages", j))))
        for j, r in enumerate(fragment.data.get("results") or []):
            results[str(r.get("id"))] = Place(fragment, ("results", j))
        for key in fragment.data.get("popups") or {}:
            popups.setdefault(str(key), Place(fragment, ("popups", key)))
    return JourneyPlaces(doc, tuple(pages), popups, results, tuple(included))


def journeys_by_id(docs: Sequence[Document]) -> dict[str, Document]:
    return {str(d.data.get("journey")): d for d in docs if isinstance(d.data, Mapping)}
