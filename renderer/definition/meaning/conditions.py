"""Conditions that cannot mean what they say: a value no option has, a date compared with a text, a constant."""
from __future__ import annotations

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.expressions import Expression, _Node
from renderer.definition.meaning.abstract import truth_values
from renderer.definition.meaning.domains import DATE, TEXT, Domains, name_path, node_of
from renderer.definition.meaning.places import Place, offset_of
from renderer.definition.meaning.sites import CHECK, CONDITION, Site
from renderer.definition.model import Condition

EQUALITY = ("==", "!=", "in", "not in")
ORDERING = ("==", "!=", "<", "<=", ">", ">=")
SHOWN_CHOICES = 20


def always_false(condition: Condition, domains: Domains) -> bool:
    """True when the condition is `false`, or an expression no answer can make true."""
    if isinstance(condition, Expression):
        return truth_values(node_of(condition), domains) == frozenset({False})
    return condition is False


def condition_errors(site: Site, domains: Domains) -> list[LoadError]:
    """The problems of one expression: values outside options, dates against texts, then constant conditions."""
    node = node_of(site.expr)
    errors = [*_unknown_options(site, node, domains), *_dates_against_texts(site, node, domains)]
    if not errors and site.role in (CONDITION, CHECK):
        truths = truth_values(node, domains)
        if truths in (frozenset({False}), frozenset({True})):
            errors.append(problem("condition.always_false" if truths == frozenset({False})
                                  else "condition.always_true", site.place.token(site.expr.source, 0),
                                  _path(site.place), text=site.expr.source))
    return errors


def _binaries(node: _Node, ops: tuple[str, ...]) -> list[_Node]:
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.kind == "binary" and n.value in ops:
            found.append(n)
        stack.extend(reversed(n.children))
    return found


def _unknown_options(site: Site, node: _Node, domains: Domains) -> list[LoadError]:
    errors = []
    for comparison in _binaries(node, EQUALITY):
        left, right = comparison.children
        if name_path(left) is None and comparison.value in ("==", "!="):
            left, right = right, left            # 'a' == x
        path = name_path(left)
        f = domains.choice_field(path) if path else None
        if f is None:
            continue
        options = domains.options(f) or ()
        literals = ([right] if right.kind == "literal" else
                    list(right.children) if right.kind == "list" and comparison.value in ("in", "not in") else [])
        for literal in literals:
            value = literal.value
            if literal.kind != "literal" or not isinstance(value, str) or value == "" or value in options:
                continue
            offset = offset_of(site.expr.source, "string", value)
            shown = list(options[:SHOWN_CHOICES]) + (["…"] if len(options) > SHOWN_CHOICES else [])
            errors.append(problem("option.unknown_value", site.place.token(site.expr.source, offset),
                                  _path(site.place), value=value, field=f.id, label=f.label,
                                  choices=", ".join(shown), suggestion=did_you_mean(value, options)))
    return errors


def _dates_against_texts(site: Site, node: _Node, domains: Domains) -> list[LoadError]:
    errors = []
    for comparison in _binaries(node, ORDERING):
        left, right = comparison.children
        if domains.type_of(left) != DATE:
            left, right = right, left
        if domains.type_of(left) != DATE or domains.type_of(right) != TEXT:
            continue
        date = ".".join(name_path(left) or ()) or f"{left.value}()"
        always = "true" if comparison.value == "!=" else "false"
        if right.kind == "literal":
            offset = offset_of(site.expr.source, "string", right.value)
            errors.append(problem("expr.date_vs_text", site.place.token(site.expr.source, offset), _path(site.place),
                                  date=date, value=right.value, always=always))
            continue
        other = name_path(right) or ("?",)
        f = domains.fields.get(other[0])
        offset = offset_of(site.expr.source, "name", other[0])
        errors.append(problem("expr.date_vs_text#field", site.place.token(site.expr.source, offset),
                              _path(site.place), date=date, other=".".join(other),
                              label=f.label if f is not None else other[0]))
    return errors


def _path(place: Place) -> str:
    return format_path(place.path)
