"""Catalogue entries for what the forms mean: options, dates, conditions, reachability, data files; catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import Entry

ENTRIES: dict[str, Entry] = {
}
