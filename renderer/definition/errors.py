"""Load errors for the analyst who wrote the YAML: where, what is wrong, and how to fix it."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from renderer.definition.model import Position

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Entry:
    """One kind of problem in the catalogue (renderer/definition/catalogue.py)."""

    title: str      # what the mistake is, in one line
    message: str    # what is wrong, naming the thing (str.format template)
    hint: str = ""  # how to fix it (str.format template)
    severity: str = ERROR   # an error stops the forms loading; a warning is shown and the forms still serve


@dataclass(frozen=True)
class LoadError:
    code: str                 # stable, e.g. "ref.unknown_page"; tests and tools match on it
    message: str              # what is wrong, naming the thing
    position: Position
    path: str = ""            # where inside the document, e.g. pages[3].fields[0].kind
    hint: str = ""            # how to fix it
    severity: str = ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        label = "warning " if self.is_warning else ""
        return f"{self.position}: {label}{self.code} {self.message}{where}{hint}"


class FormsInvalid(Exception):
    """Raised by `load_or_raise` when forms/ does not load; carries every error."""

    def __init__(self, errors: list[LoadError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A ` Did you mean 'x'?` suffix, or '' when nothing is close."""
    from renderer.definition.catalogue import phrase  # the catalogue builds LoadErrors: import it late

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return phrase("did_you_mean", name=close[0]) if close else ""


def format_path(path: Iterable[object]) -> str:
    """pages[3].fields[0].kind from ['pages', 3, 'fields', 0, 'kind']."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
