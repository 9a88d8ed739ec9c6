"""Where things the model keeps no position for were declared: journeys, popups, list entries, cities' banks and
branches, resident types. Read from a forms folder's YAML, so a diff can point at file:line for them too."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from renderer.definition.model import Position
from renderer.definition.reader import Document, read_yaml


class Places:
    """Positions in one forms folder; every lookup answers None when the thing is not found."""

    def __init__(self, docs: Mapping[tuple[str, str], Document] | None = None) -> None:
        self.docs = dict(docs or {})

    @classmethod
    def read(cls, root: Path) -> Places:
        docs: dict[tuple[str, str], Document] = {}
        for path in sorted(p for p in root.rglob("*.yaml") if "schema" not in p.relative_to(root).parts):
            doc, _ = read_yaml(path, f"{root.name}/{path.relative_to(root).as_posix()}", fast=True)
            if doc is None or not isinstance(doc.data, dict):
                continue
            data = doc.data
            for key in ("journey", "fragment", "list", "city"):
                if key in data:
                    docs[(key, str(data[key]))] = doc
            if "residents" in data:
                docs[("residents", "")] = doc
        return cls(docs)

    def at(self, kind: str, name: str, *path: Any) -> Position | None:
        """The position of `path` inside the document of `kind` `name`; list items may be named by value or id."""
        doc = self.docs.get((kind, name))
        if doc is None:
            return None
        found = _indices(doc.data, path)
        # A mapping entry is shown at its key: a block value would start on the line after.
        return doc.key_position(found) if found and isinstance(found[-1], str) else doc.position(found)

    def journey(self, journey_id: str) -> Position | None:
        return self.at("journey", journey_id, "journey")

    def popup(self, journey_id: str, popup_id: str) -> Position | None:
        """Where the journey gets the popup: its own `popups`, else the first included fragment that has it."""
        doc = self.docs.get(("journey", journey_id))
        if doc is None:
            return None
        if popup_id in (doc.data.get("popups") or {}):
            return self.at("journey", journey_id, "popups", popup_id)
        for entry in doc.data.get("pages") or []:
            name = entry.get("include") if isinstance(entry, dict) else None
            fragment = self.docs.get(("fragment", str(name)))
            if fragment is not None and popup_id in (fragment.data.get("popups") or {}):
                return self.at("fragment", str(name), "popups", popup_id)
        return None

    def list_entry(self, name: str, *path: str) -> Position | None:
        doc = self.docs.get(("list", name))
        if doc is None:
            return None
        body = next((k for k in ("options", "tree", "items") if k in doc.data), "list")
        return self.at("list", name, body, *path) if path else self.at("list", name, "list")

    def resident(self, *path: str) -> Position | None:
        return self.at("residents", "", "residents", *path)


def _indices(data: Any, path: Sequence[Any]) -> list[Any]:
    """`path` with list items named by value (or `id`) turned into their indices, as Document.position wants."""
    found: list[Any] = []
    node = data
    for part in path:
        if isinstance(node, list):
            index = next((i for i, item in enumerate(node)
                          if item == part or (isinstance(item, dict) and str(item.get("id")) == str(part))), None)
            if index is None:
                break
            found.append(index)
            node = node[index]
        elif isinstance(node, dict) and part in node:
            found.append(part)
            node = node[part]
        else:
            break
    return found
