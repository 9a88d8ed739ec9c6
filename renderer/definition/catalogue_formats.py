"""Catalogue entries for number formats of documents; catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import Entry

ENTRIES: dict[str, Entry] = {
    "ref.unknown_number_format": Entry(
        "A document names a number format that lists/number_formats.yaml does not have.",
        "document '{document}' names the number format '{name}', which lists/number_formats.yaml does not have.",
        "use one of: {choices}, or add '{name}' to lists/number_formats.yaml with a pattern and a message."
        "{suggestion}"),
    "ref.unknown_number_format#no_list": Entry(
        "A document names a number format, but there is no lists/number_formats.yaml.",
        "document '{document}' names the number format '{name}', but there is no list number_formats.",
        "add lists/number_formats.yaml (`list: number_formats`, the format under `items:` with a pattern and a "
        "message), or remove `number:`"),
}
