"""A small abstract evaluation of a condition: every truth value it can take over the names' finite value sets.

Names with a known finite set (a field's options, each resident type's value) are enumerated together, so
`x == 'a' and x == 'b'` is seen to be always false; any other name is unknown and may be anything. The operators
are the expression language's own (`_compare`, `_arithmetic`), so the answer is what the server would compute.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from renderer.definition.expressions import _COMPARISONS, _arithmetic, _compare, _get, _index, _Node
from renderer.definition.functions import FUNCTIONS
from renderer.definition.meaning.domains import Domains, hashable, name_path

# Beyond these many combinations of answers the condition is not judged (silence rather than slowness).
MAX_COMBINATIONS = 512
MAX_VALUES = 64
UNKNOWN = None          # an abstract value: any value at all
Values = frozenset[Hashable] | None
VOLATILE = {"today"}     # a call whose value changes from day to day


def truth_values(node: _Node, domains: Domains) -> frozenset[bool] | None:
    """The truth values the condition can take, or None when it reads nothing finite enough to judge."""
    names = sorted({p for p in _names(node) if domains.values(p) is not None})
    sets = [sorted(domains.values(p) or (), key=repr) for p in names]
    total = 1
    for s in sets:
        total *= max(len(s), 1)
    if total > MAX_COMBINATIONS:
        return None
    found: set[bool] = set()
    for combination in itertools.product(*sets):
        env = {p: frozenset({v}) for p, v in zip(names, combination)}
        found |= _truths(_evaluate(node, env))
        if len(found) == 2:
            break
    return frozenset(found)


def _names(node: _Node) -> set[tuple[str, ...]]:
    found = set()
    stack = [node]
    while stack:
        n = stack.pop()
        path = name_path(n)
        if path:
            found.add(path)
        stack.extend(n.children)
    return found


def _truths(values: Values) -> frozenset[bool]:
    return frozenset({True, False}) if values is None else frozenset(bool(v) for v in values)


def _evaluate(node: _Node, env: Mapping[tuple[str, ...], frozenset[Hashable]]) -> Values:
    kind, kids = node.kind, node.children
    if kind == "literal":
        return frozenset({node.value})
    if kind == "name":
        return env.get(tuple(node.value), UNKNOWN)
    if kind in ("and", "or"):
        left = _truths(_evaluate(kids[0], env))
        stops = kind == "or"          # `or` stops at a true left side, `and` at a false one
        result = {stops} if stops in left else set()
        if (not stops) in left:
            result |= _truths(_evaluate(kids[1], env))
        return frozenset(result)
    if kind == "not":
        return frozenset(not t for t in _truths(_evaluate(kids[0], env)))
    if kind == "call" and node.value in VOLATILE:
        return UNKNOWN
    args = [_evaluate(k, env) for k in kids]
    if any(a is None for a in args):
        return UNKNOWN
    return _apply(node, [sorted(a or (), key=repr) for a in args])


def _apply(node: _Node, args: list[list[Any]]) -> Values:
    """Every value of the node over every combination of its children's values."""
    operation = _operation(node)
    if operation is None:
        return UNKNOWN
    out: set[Hashable] = set()
    for combination in itertools.product(*args):
        try:
            value = hashable(operation(*combination))
        except Exception:  # noqa: BLE001 - a function that fails on a value: unknown, never a crash
            return UNKNOWN
        out.add(value)
        if len(out) > MAX_VALUES:
            return UNKNOWN
    return frozenset(out)


def _operation(node: _Node) -> Callable[..., Any] | None:
    kind, value = node.kind, node.value
    if kind == "attr":
        return lambda obj: _get(obj, value)
    if kind == "index":
        return _index
    if kind == "list":
        return lambda *items: list(items)
    if kind == "neg":
        return lambda a: -a if isinstance(a, (int, float)) and not isinstance(a, bool) else None
    if kind == "call":
        function = FUNCTIONS.get(value)
        return None if function is None else function
    if kind == "binary":
        return (lambda a, b: _compare(value, a, b)) if value in _COMPARISONS else (
            lambda a, b: _arithmetic(value, a, b))
    return None
