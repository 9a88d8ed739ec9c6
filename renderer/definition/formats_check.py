"""Every number format a resident type's document names must be one of lists/number_formats.yaml."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.guard import guarded
from renderer.definition.reader import Document

FORMATS_LIST = "number_formats"


def number_format_errors(resident_docs: Sequence[Document], lists: Mapping[str, Any]) -> list[LoadError]:
    """An unknown-format problem at each format name, in every residents file (one file's crash stays its own)."""
    formats = lists.get(FORMATS_LIST)
    known = list(formats) if isinstance(formats, Mapping) else None
    errors: list[LoadError] = []
    for doc in resident_docs:
        errors += guarded(doc.file, errors, partial(_unknown_formats, doc, known)) or []
    return errors


def _unknown_formats(doc: Document, known: list[str] | None) -> list[LoadError]:
    errors = []
    for resident, entry in (doc.data.get("residents") or {}).items():
        for index, document in enumerate((entry or {}).get("documents") or []):
            names = document.get("number")
            path: list[object] = ["residents", resident, "documents", index, "number"]
            # `number:` is one name or a list of names; each is reported where it is written.
            named = [(names, path)] if isinstance(names, str) else [(n, [*path, i]) for i, n in enumerate(names or [])]
            for name, where in named:
                if known is not None and name in known:
                    continue
                errors.append(problem("ref.unknown_number_format" if known is not None
                                      else "ref.unknown_number_format#no_list",
                                      doc.position(where), format_path(where), document=document.get("id"),
                                      name=name, choices=", ".join(known or []),
                                      suggestion=did_you_mean(str(name), known or [])))
    return errors
