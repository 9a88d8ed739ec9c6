"""Catalogue entries for field settings, typed per widget kind; catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import Entry

ENTRIES: dict[str, Entry] = {
}
