"""What a name in an expression can hold, read statically: a field's options, every resident type's value, a type.

Options may be written in the field (`options: [否, 是]`) or name data (lists.x, resident.pickup_methods,
cities[intended_city].banks, lists.x[y]); what cannot be resolved is None, and the checks then stay silent.
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from renderer.definition.expression_tokens import _ISO_DATE
from renderer.definition.expressions import Expression, _Node
from renderer.definition.model import Definition, Field, Journey

DATE, TEXT, NUMBER, OTHER = "date", "text", "number", "other"
CHOICE_KINDS = ("select", "radio")
TEXT_KINDS = ("text", "select", "radio", "phone_code")
DATE_FUNCTIONS = {"today", "add_years", "birth_date_of"}
TEXT_FUNCTIONS = {"gender_of", "lower", "upper"}
NUMBER_FUNCTIONS = {"age", "len"}
DATE_CONTEXT = {("applicant", "birth_date"), ("person", "birth_date")}


class _AnotherValue:
    """A value equal to no literal: what a resident type not yet written may hold."""

    def __repr__(self) -> str:
        return "<another value>"


ANOTHER_VALUE = _AnotherValue()
# An answer that was never given: every field may hold it (a hidden field, a page not yet filled in).
UNANSWERED = frozenset({None, ""})


def node_of(expr: Expression) -> _Node:
    """The expression's syntax tree (the compiler keeps it private; these checks only read it)."""
    return expr._node


def name_path(node: _Node) -> tuple[str, ...] | None:
    """('a', 'b') for the name a.b, else None."""
    return tuple(node.value) if node.kind == "name" else None


def hashable(value: Any) -> Hashable | None:
    """A value as a set member (lists become tuples), or None when it is a mapping."""
    if isinstance(value, list):
        items = [hashable(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value)) else tuple(items)
    return None if isinstance(value, dict) else value


class Domains:
    """The static facts about one journey's names."""

    def __init__(self, definition: Definition, journey: Journey) -> None:
        self.definition = definition
        self.journey = journey
        self.fields = {f.id: f for f in journey.fields}

    # ------------------------------------------------------------------ options

    def options(self, f: Field) -> tuple[str, ...] | None:
        """Every option a select or radio field can ever offer, or None when that is not known statically."""
        if f.kind not in CHOICE_KINDS:
            return None
        written = f.prop("options")
        if isinstance(written, list):
            return tuple(dict.fromkeys(str(o) for o in written))
        expr = f.exprs.get("options")
        return None if expr is None else self.options_of(node_of(expr))

    def options_of(self, node: _Node) -> tuple[str, ...] | None:
        path = name_path(node)
        data = self.definition
        if path and len(path) == 2 and path[0] == "lists":
            found = data.lists.get(path[1])
            return tuple(str(o) for o in found) if isinstance(found, list) else None
        if path and len(path) == 2 and path[0] == "resident":
            chosen = [r.get(path[1]) for r in data.residents.values()]
            return _union(chosen) if any(isinstance(c, list) for c in chosen) else None
        if node.kind == "attr" and node.children[0].kind == "index":
            holder = name_path(node.children[0].children[0])
            if holder == ("cities",) and data.cities:
                return _union([list(getattr(c, str(node.value), ()) or ()) for c in data.cities.values()])
        if node.kind == "index":
            holder = name_path(node.children[0])
            if holder and len(holder) == 2 and holder[0] == "lists":
                found = data.lists.get(holder[1])
                if isinstance(found, dict) and all(isinstance(v, list) for v in found.values()):
                    return _union(list(found.values()))
        return None

    def choice_field(self, path: tuple[str, ...], depth: int = 0) -> Field | None:
        """The select or radio field that `path` reads (itself, through applicant.x, or a read-only copy)."""
        if depth > 5:
            return None
        target = self._alias(path)
        if target is not None:
            return self.choice_field(target, depth + 1)
        f = self.fields.get(path[0]) if len(path) == 1 else None
        return f if f is not None and self.options(f) is not None else None

    def _alias(self, path: tuple[str, ...]) -> tuple[str, ...] | None:
        """The name that `path` stands for: applicant.x's expression, or a read-only field's value, when a name."""
        expr = None
        if len(path) == 2 and path[0] == "applicant":
            expr = self.journey.applicant.get(path[1])
        elif len(path) == 1 and path[0] in self.fields and self.fields[path[0]].kind == "readonly":
            expr = self.fields[path[0]].exprs.get("value")
        return name_path(node_of(expr)) if expr is not None else None

    # ------------------------------------------------------------------ values

    def values(self, path: tuple[str, ...]) -> frozenset[Hashable] | None:
        """Every value `path` can hold (unanswered included), or None when it is not a small known set."""
        f = self.choice_field(path)
        if f is not None:
            return frozenset(self.options(f) or ()) | UNANSWERED
        if len(path) == 2 and path[0] == "resident" and self.definition.residents:
            found = set()
            for written in (r.get(path[1]) for r in self.definition.residents.values()):
                value = hashable(written)
                if value is None and written is not None:
                    return None
                found.add(value)
            # A resident type added later may hold anything: the other truth value, or a text no literal equals.
            found |= {True, False} if found <= {True, False} else {ANOTHER_VALUE}
            return frozenset(found) if len(found) <= 64 else None
        return None

    # ------------------------------------------------------------------ types

    def type_of(self, node: _Node, depth: int = 0) -> str:
        """date, text or number when the node certainly is one, else other."""
        if depth > 5:
            return OTHER
        if node.kind == "literal":
            value = node.value
            if isinstance(value, str):
                return DATE if _ISO_DATE.fullmatch(value) else TEXT
            return NUMBER if isinstance(value, (int, float)) and not isinstance(value, bool) else OTHER
        if node.kind == "call":
            return (DATE if node.value in DATE_FUNCTIONS else TEXT if node.value in TEXT_FUNCTIONS
                    else NUMBER if node.value in NUMBER_FUNCTIONS else OTHER)
        path = name_path(node)
        if path is None:
            return OTHER
        if path in DATE_CONTEXT:
            return DATE
        if len(path) == 2 and path[0] == "derived" and path[1] in self.journey.derived:
            return self.type_of(node_of(self.journey.derived[path[1]]), depth + 1)
        alias = self._alias(path)
        if alias is not None:
            return self.type_of(_Node("name", alias), depth + 1)
        f = self.fields.get(path[0]) if len(path) == 1 else None
        if f is None:
            return OTHER
        return DATE if f.kind == "date" else TEXT if f.kind in TEXT_KINDS else OTHER


def _union(lists: list[Any]) -> tuple[str, ...]:
    """The options of several lists, each once, in first-seen order."""
    seen: dict[str, None] = {}
    for options in lists:
        for o in options if isinstance(options, (list, tuple)) else ():
            seen.setdefault(str(o), None)
    return tuple(seen)
