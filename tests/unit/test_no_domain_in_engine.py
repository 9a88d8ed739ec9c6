"""The engine knows no journey, city, bank, document or resident type: those live in forms/ only."""
from __future__ import annotations

import re
from pathlib import Path

from renderer.definition.loader import load_or_raise

ROOT = Path(__file__).resolve().parents[2]
ENGINE_FILES = [p for folder in ("renderer", "widgets") for p in (ROOT / folder).rglob("*")
                if p.suffix in (".py", ".html", ".js")]


def domain_words() -> set[str]:
    definition = load_or_raise()
    words = set(definition.cities) | {b for c in definition.cities.values() for b in c.banks}
    for key, resident in definition.residents.items():
        words |= {key, resident["label"]} | {d["label"] for d in resident["documents"]}
        words |= {d["id_type"] for d in resident["documents"] if d.get("id_type")}
    words |= set(definition.lists["minor_id_types"])
    return {w for w in words if len(w) >= 3 or re.search(r"[\u4e00-\u9fff]", w)}


def test_no_city_bank_document_or_resident_type_in_renderer_or_widgets() -> None:
    words = domain_words()
    assert len(words) > 40
    found = []
    for path in ENGINE_FILES:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {w}" for w in words if w in text]
    assert found == []
