"""Includes go one level deep: a journey includes fragments, and a fragment includes nothing."""
from __future__ import annotations

from collections.abc import Mapping

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.reader import Document


def include_errors(fragments: Mapping[str, Document]) -> list[LoadError]:
    """Every `include:` written inside a fragment: unknown, part of a cycle, or simply not allowed there."""
    errors: list[LoadError] = []
    for name, doc in fragments.items():
        for j, target in _includes(doc):
            path = ["pages", j, "include"]
            where = (doc.position(path), format_path(path))
            if target not in fragments:
                errors.append(problem("ref.unknown_fragment", *where, name=target,
                                      choices=", ".join(sorted(fragments)),
                                      suggestion=did_you_mean(target, fragments)))
                continue
            cycle = _cycle(name, target, fragments)
            if cycle:
                errors.append(problem("include.cycle", *where, fragment=name, target=target,
                                      cycle=" → ".join([name, *cycle])))
            else:
                errors.append(problem("include.in_fragment", *where, fragment=name, target=target))
    return errors


def _includes(doc: Document) -> list[tuple[int, str]]:
    pages = doc.data.get("pages") if isinstance(doc.data, dict) else None
    return [(j, str(entry["include"])) for j, entry in enumerate(pages or [])
            if isinstance(entry, dict) and "include" in entry]


def _cycle(start: str, target: str, fragments: Mapping[str, Document]) -> list[str]:
    """The chain of includes from `target` back to `start` (ending with `start`), or [] when there is none."""
    stack, seen = [(target, [target])], {target}
    while stack:
        name, chain = stack.pop()
        if name == start:
            return chain
        for _, nxt in _includes(fragments[name]) if name in fragments else []:
            if nxt == start or nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*chain, nxt]))
    return []
