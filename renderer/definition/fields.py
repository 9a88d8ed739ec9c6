"""A field read through its kind's settings model (widgets/settings.py).

Each setting is a literal, an expression, a condition or a list of rules because its declaration says so, never
because of how its text looks: `default: person.phone` is the text "person.phone" (and lint says that it looks like
an expression meant for `default_from:`). Unknown settings never get here: the schema generated from the same models
reports them (renderer/definition/structure.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from renderer.definition.errors import did_you_mean
from renderer.definition.expressions import Expression, ExpressionError, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Field, Popup, Rule
from renderer.definition.reader import plain
from widgets.settings import ON_FIELD, SETTINGS, Setting, declared

if TYPE_CHECKING:
    from renderer.definition.build import Builder, Origin


def build_field(b: Builder, raw: Any, origin: Origin, roots: frozenset[str], popups: Mapping[str, Popup]) -> Field:
    """The Field of `raw` (structurally valid), its expressions compiled and its typed settings filled in."""
    model = SETTINGS[raw["kind"]]
    values: dict[str, Any] = {}
    exprs: dict[str, Expression] = {}
    props: dict[str, Any] = {}
    for name, decl, default in declared(model):
        at = origin.at(name)
        value = raw.get(name)
        if value is None:
            values[name] = default
        elif decl.reads == "condition":
            values[name] = b.condition(value, at, roots, default)
        elif decl.reads == "rules":
            values[name] = _rules(b, value, at, roots)
        elif decl.reads == "expression" or (decl.reads == "list_or_expression" and isinstance(value, str)):
            values[name] = _expression(b, name, decl, value, at, roots)
            if values[name] is not None:
                exprs["default" if name == "default_from" else name] = values[name]
        else:
            values[name] = tuple(plain(value)) if decl.reads == "list_or_expression" else plain(value)
        literal = decl.reads == "literal" or (decl.reads == "list_or_expression" and not isinstance(value, str))
        if literal and name not in ON_FIELD and values[name] is not None:
            props[name] = plain(value) if value is not None else default
    _check_default(b, raw, origin, roots)
    _check_overridden_keys(b, raw, origin, [name for name, _, _ in declared(model)])
    for code, popup_id in (raw.get("popups") or {}).items():
        if popup_id not in popups:
            b.problem("ref.unknown_popup#field", origin.at("popups", code), popup=popup_id,
                      suggestion=did_you_mean(popup_id, popups))
    settings = model(**values)
    return Field(id=raw["id"], kind=raw["kind"], label=raw["label"], position=origin.position(),
                 required=values.get("required", False), when=values["when"], enabled=values.get("enabled", True),
                 message=values.get("message"), hint=values.get("hint"), placeholder=values.get("placeholder"),
                 default=values.get("default"), rules=values["rules"], exprs=exprs, props=props, settings=settings)


def _rules(b: Builder, raw: Any, origin: Origin, roots: frozenset[str]) -> tuple[Rule, ...]:
    rules = []
    for i, rule in enumerate(raw):
        check = b.expression(rule["check"], origin.at(i, "check"), roots)
        if check is not None:
            rules.append(Rule(check, rule["message"]))
    return tuple(rules)


def _expression(b: Builder, name: str, decl: Setting, value: Any, origin: Origin,
                roots: frozenset[str]) -> Expression | None:
    """Compile an expression setting; a plain text written where an expression belongs is named as such."""
    text = str(value)
    if not any(ch.isascii() and ch.isalpha() for ch in text) and _compiled(text, roots) is None:
        example = next((e for e in decl.examples if isinstance(e, str)), f"lists.{name}")
        b.problem({"options": "field.literal_for_expression#options",
                   "default_from": "field.literal_for_expression#default_from"}.get(
                       name, "field.literal_for_expression"), origin, key=name, text=text, example=example)
        return None
    return b.expression(value, origin, roots)


def _check_default(b: Builder, raw: Any, origin: Origin, roots: frozenset[str]) -> None:
    """`default:` is a literal: say so when it is given with default_from, or when it reads like an expression."""
    default = raw.get("default")
    if default is not None and raw.get("default_from") is not None:
        b.problem("field.two_defaults", origin.at("default_from"))
    elif isinstance(default, str):
        compiled = _compiled(default, roots)
        if compiled is not None and compiled.names:
            b.problem("field.expression_in_literal", origin.at("default"), text=str(default))


def _check_overridden_keys(b: Builder, raw: Any, origin: Origin, settings: list[str]) -> None:
    """A journey's `override:` of a fragment's field is not checked by the schema: its keys are checked here."""
    for key in raw:
        if key not in settings:
            b.problem("field.unknown_setting", origin.at(key), kind=raw["kind"], key=key, choices=", ".join(settings),
                      suggestion=did_you_mean(str(key), settings))


def _compiled(text: str, roots: frozenset[str]) -> Expression | None:
    """The expression `text` compiles to, or None; nothing is reported."""
    try:
        return compile_expression(text, known_roots=roots, functions=FUNCTIONS)
    except ExpressionError:
        return None
