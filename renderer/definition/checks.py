"""The shared part of checking meaning: where a piece of YAML came from, the problems found, and expressions
compiled and checked against the names the journey knows (fields, context, lists, kept answers)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from renderer.definition.catalogue import CATALOGUE, problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.expressions import Expression, ExpressionError, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Condition, Position
from renderer.definition.reader import Document
from renderer.services.registry import SERVICES

# Names every expression may use besides the journey's own field ids.
CONTEXT_ROOTS = frozenset({"person", "applicant", "resident", "residents", "lists", "cities", "derived", "records",
                           "entry", "today", "outcome"})
PERSON_KEYS = frozenset({"name", "id_number", "id_type", "resident_type", "phone", "gender", "birth_date"})
APPLICANT_KEYS = frozenset({"name", "id_number", "id_type", "birth_date", "gender", "is_self"})
OUTCOME_KEYS = frozenset({"code", "reason", "application_id"})
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass
class Origin:
    """The document and path a piece of YAML came from (fragments keep their own file)."""

    doc: Document
    path: list[object]
    # A fragment's page that a journey overrides: the keys it overrides are positioned in the journey's `override:`.
    overlay: Origin | None = None
    overlay_keys: frozenset[object] = frozenset()

    def at(self, *more: object) -> Origin:
        if self.overlay is not None and more and more[0] in self.overlay_keys:
            return self.overlay.at(*more)
        return Origin(self.doc, [*self.path, *more])

    def position(self) -> Position:
        return self.doc.position(self.path)


@dataclass
class Checker:
    """What every part of the build shares: the data, the problems found, and the checks of expressions."""

    lists: Mapping[str, Any]
    residents: Mapping[str, Mapping[str, Any]]
    errors: list[LoadError] = field(default_factory=list)
    used_lists: set[str] = field(default_factory=set)
    field_pages: dict[str, int] = field(default_factory=dict)    # field id -> index of its page in the journey
    current_page: int | None = None                               # the page whose conditions are being read
    keeps: dict[str, str] = field(default_factory=dict)          # records.<keep> -> the service whose answer it is

    def problem(self, code: str, origin: Origin, /, **fields: object) -> None:
        """Report catalogue entry `code` at `origin`."""
        self.errors.append(problem(code, origin.position(), format_path(origin.path), **fields))

    # ------------------------------------------------------------------ expressions

    def expression(self, source: Any, origin: Origin, roots: frozenset[str]) -> Expression | None:
        """Compile `source`, reporting syntax and name errors at their column."""
        text = str(source)
        try:
            expr = compile_expression(text, known_roots=roots, functions=FUNCTIONS)
        except ExpressionError as exc:
            pos = origin.position()
            quoted = 1 if getattr(source, "style", None) in ("'", '"') else 0
            # The compiler's own codes (expr.syntax, expr.unknown_name, ...); its message comes as the detail.
            code = exc.code if exc.code.startswith("expr.") and exc.code in CATALOGUE else "expr.syntax"
            self.errors.append(problem(code, Position(pos.file, pos.line, pos.col + quoted + exc.offset),
                                       format_path(origin.path), text=text, detail=exc.message,
                                       functions=", ".join(sorted(FUNCTIONS))))
            return None
        self._check_context_names(expr, origin)
        self._check_order(expr, origin)
        return expr

    def _check_order(self, expr: Expression, origin: Origin) -> None:
        """A condition cannot read a field that the citizen only fills in on a later page."""
        if self.current_page is None:
            return
        for name in sorted(expr.names):
            root = name.split(".")[0]
            later = self.field_pages.get(root)
            if later is not None and later > self.current_page:
                self.problem("expr.used_before_set", origin, name=root)

    def _check_context_names(self, expr: Expression, origin: Origin) -> None:
        resident_keys = {k for r in self.residents.values() for k in r} | {"type"}
        known = {"lists": set(self.lists), "person": PERSON_KEYS, "resident": resident_keys, "outcome": OUTCOME_KEYS,
                 "applicant": APPLICANT_KEYS}
        for name in sorted(expr.names):
            root, _, rest = name.partition(".")
            second = rest.split(".")[0]
            if root == "lists" and second:
                self.used_lists.add(second)
            if root in known and second and second not in known[root]:
                self.problem("expr.unknown_name#member", origin, name=f"{root}.{second}",
                             choices=", ".join(sorted(known[root])), suggestion=did_you_mean(second, known[root]))
            member = rest.split(".")[1] if rest.count(".") >= 1 else ""
            kept = SERVICES[self.keeps[second]].keeps if root == "records" and second in self.keeps else None
            if kept is not None and member and member not in kept:     # what the service says its answer holds
                self.problem("expr.unknown_name#member", origin, name=f"records.{second}.{member}",
                             choices=", ".join(kept), suggestion=did_you_mean(member, kept))

    def condition(self, value: Any, origin: Origin, roots: frozenset[str], default: bool) -> Condition:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return self.expression(value, origin, roots) or default

    def text(self, value: str, origin: Origin, roots: frozenset[str]) -> str:
        """Check the {placeholders} of a text; the text itself is kept as written."""
        for match in PLACEHOLDER.finditer(value):
            self.expression(match.group(1), origin, roots)
        return value
