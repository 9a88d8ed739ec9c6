"""What a citizen could choose in a field: its options (a literal list or an expression over lists, cities and
resident types), its documents, or its region tree, evaluated for every case the expression depends on."""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from renderer.definition.model import Definition, Field, Journey

# Field settings that give the choices a citizen picks from (see renderer/definition/build.py EXPRESSION_PROPS).
CHOICE_SETTINGS = ("options", "documents", "tree")
MAX_CASES = 400
SEPARATOR = " › "

Choices = Mapping[str, Any]          # choice key -> its content (None for a plain value)


def entries(value: Any) -> dict[str, Any]:
    """A value read as choices: list items by value (or by `id`), a tree by its paths, a mapping by its keys."""
    if isinstance(value, (list, tuple)):
        found: dict[str, Any] = {}
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                found[str(item.get("id") or item.get("value") or index)] = dict(item)
            else:
                found[str(item)] = None
        return found
    if isinstance(value, Mapping):
        if _is_tree(value):
            return dict.fromkeys(_paths(value, ""))
        return {str(k): v for k, v in value.items()}
    return {}


def _is_tree(value: Any) -> bool:
    """A region-like tree: mappings down to lists of names, nothing else."""
    if isinstance(value, Mapping):
        return bool(value) and all(_is_tree(v) for v in value.values())
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _paths(tree: Any, prefix: str) -> Iterator[str]:
    if isinstance(tree, Mapping):
        for key, sub in tree.items():
            yield from _paths(sub, f"{prefix}{key}{SEPARATOR}")
    else:
        for name in tree:
            yield f"{prefix}{name}"


def is_choice_field(f: Field) -> bool:
    return isinstance(f.prop("options"), list) or any(k in f.exprs for k in CHOICE_SETTINGS)


def _base_env(definition: Definition) -> dict[str, Any]:
    return {"lists": definition.lists, "cities": definition.cities, "residents": definition.residents,
            "person": {}, "applicant": {}, "derived": {}, "records": {}, "entry": None, "outcome": {},
            "today": dt.date.today(), "resident": {}}


def _evaluate(f: Field, env: Mapping[str, Any]) -> dict[str, Any]:
    literal = f.prop("options")
    if isinstance(literal, list):
        return entries(literal)
    found: dict[str, Any] = {}
    for key in CHOICE_SETTINGS:
        if key in f.exprs:
            found.update(entries(f.exprs[key].evaluate(env)))
    return found


def _roots(f: Field) -> set[str]:
    return {name.split(".")[0] for key in CHOICE_SETTINGS if key in f.exprs for name in f.exprs[key].names}


def _axes(definition: Definition, journey: Journey, f: Field) -> list[tuple[str, list[Any]]]:
    """What the field's choices depend on: the resident type, and the answers of other choice fields."""
    roots, axes = _roots(f), []
    if "resident" in roots:
        axes.append(("resident", sorted(definition.residents)))
    for root in sorted(roots):
        other = journey.field(root)
        if other is not None and other.id != f.id and is_choice_field(other):
            values: dict[str, None] = {}
            for _, env in _cases(definition, [a for a in _axes(definition, journey, other) if a[0] == "resident"]):
                values.update(dict.fromkeys(_evaluate(other, env)))
            axes.append((root, list(values)))
    return axes


def _cases(definition: Definition, axes: list[tuple[str, list[Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
    base = _base_env(definition)
    for values in itertools.islice(itertools.product(*(v for _, v in axes)), MAX_CASES):
        env = dict(base)
        for (name, _), value in zip(axes, values):
            if name == "resident":
                env["resident"] = {**(definition.residents.get(value) or {}), "type": value}
            else:
                env[name] = value
        yield ", ".join(f"{name}={value}" for (name, _), value in zip(axes, values)), env


def choices(definition: Definition, journey: Journey, f: Field) -> dict[str, Choices]:
    """For each case (e.g. `city_field=<a city>`, or "" when nothing varies), the choices the field offers."""
    return {case: _evaluate(f, env) for case, env in _cases(definition, _axes(definition, journey, f))}
