"""Read YAML files with ruamel.yaml's round-trip loader, keeping source positions for error messages."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from renderer.definition.catalogue import phrase, problem
from renderer.definition.errors import LoadError
from renderer.definition.model import Position
from renderer.definition.pitfalls import yaml_pitfalls


@dataclass
class Document:
    file: str                  # path as shown in messages, relative to the forms root's parent
    data: Any                  # the parsed content
    source: Path | None = None  # set when `data` came from the fast loader and carries no positions
    _positions: Any = None

    def _tree(self) -> Any:
        """The round-trip tree with positions, parsed only when a position is first asked for."""
        if self.source is None:
            return self.data
        if self._positions is None:
            try:
                self._positions = _round_trip().load(self.source.read_text(encoding="utf-8"))
            except Exception:  # noqa: BLE001 - the C loader took what the round-trip parser refuses (a tab in a
                self._positions = CommentedMap()     # flow scalar): problems are still reported, at line 1
                self._positions._yaml_set_line_col(0, 0)
        return self._positions

    def position(self, path: Sequence[object] = ()) -> Position:
        """The 1-based position of the node at `path`, or of its nearest existing ancestor."""
        node, line, col = self._tree(), 0, 0
        if hasattr(node, "lc"):
            line, col = node.lc.line, node.lc.col
        for part in path:
            if isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.value(part)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                break
        return Position(self.file, line + 1, col + 1)

    def key_position(self, path: Sequence[object]) -> Position:
        """Position of the key itself (for unknown or misspelt keys)."""
        parent = self._tree()
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return self.position(path)
        last = path[-1] if path else None
        if isinstance(parent, CommentedMap) and last in parent:
            line, col = parent.lc.key(last)
            return Position(self.file, line + 1, col + 1)
        return self.position(path)


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # so expression offsets can skip an opening quote
    return yaml


def read_yaml(path: Path, shown_as: str, fast: bool = False) -> tuple[Document | None, list[LoadError]]:
    """Parse one file; a syntax error becomes a LoadError at the parser's mark.

    `fast` uses the C loader (data files are large and rarely wrong); positions are then read on demand.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [problem("yaml.encoding", Position(shown_as, 1, 1), reason=exc.reason)]
    pitfalls = yaml_pitfalls(text, shown_as)  # the cause, before the parser reports its confused consequence
    if pitfalls:
        return None, pitfalls
    if fast:
        try:
            return Document(shown_as, YAML(typ="safe").load(text), source=path), []
        except Exception:  # noqa: BLE001 - libyaml is stricter in places (':' in flow scalars): let the round-trip parser decide
            pass
    yaml = _round_trip()
    try:
        data = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [problem("yaml.duplicate_key", Position(shown_as, line, col), problem=exc.problem)]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or phrase("invalid_yaml")
        mark_opened = exc.context_mark if exc.context and exc.context_mark and exc.context_mark is not mark else None
        opened = ("" if mark_opened is None       # else say where the unclosed bracket or quote was opened
                  else phrase("opened_at", context=exc.context, line=mark_opened.line + 1,
                              column=mark_opened.column + 1))
        tabs = any(mark in str(part) for part in (what, opened) for mark in ("\t", "'\\t'", "tab"))
        return None, [problem("yaml.syntax#tabs" if tabs else "yaml.syntax", Position(shown_as, line, col),
                              problem=what, opened=opened)]
    except Exception as exc:  # noqa: BLE001 - ruamel raises a few unmarked errors (e.g. duplicate keys)
        return None, [problem("yaml.syntax#unmarked", Position(shown_as, 1, 1), error=exc)]
    return Document(shown_as, data), []


def plain(value: Any) -> Any:
    """ruamel's commented containers and scalar strings as plain Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
