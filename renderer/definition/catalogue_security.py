"""Catalogue entries for verifications a journey declares (the face check); catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import Entry

ENTRIES: dict[str, Entry] = {
}
