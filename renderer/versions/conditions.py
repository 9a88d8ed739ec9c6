"""Conditions compared by their source text: the same, holding in fewer cases, or something else."""
from __future__ import annotations

import re

from renderer.definition.model import Condition

SAME, NARROWER, WIDER, OTHER = "same", "narrower", "wider", "other"


def source(condition: Condition) -> str:
    """The condition as the analyst wrote it, spaces normalised (`true`/`false` for constants)."""
    if isinstance(condition, bool):
        return "true" if condition else "false"
    return re.sub(r"\s+", " ", condition.source).strip()


def compare(old: Condition, new: Condition) -> str:
    """How `new` relates to `old`, read from the text: NARROWER when it can only hold where `old` held.

    Recognised: a constant turned into an expression (or back), `old and X` / `X and old` (and an `or X`
    dropped) for NARROWER, the reverse for WIDER. Anything else is OTHER, which the rules treat as the worst case.
    """
    a, b = source(old), source(new)
    if a == b:
        return SAME
    if b == "false" or a == "true":
        return NARROWER
    if b == "true" or a == "false":
        return WIDER
    if _joined(a, b, "and") or _joined(b, a, "or"):      # a condition added with `and`, or an `or` dropped
        return NARROWER
    if _joined(a, b, "or") or _joined(b, a, "and"):
        return WIDER
    return OTHER


def _joined(old: str, new: str, word: str) -> bool:
    """`new` is `old <word> …` or `… <word> old`, with or without brackets around `old`."""
    return any(new.startswith(f"{part} {word} ") or new.endswith(f" {word} {part}") for part in (old, f"({old})"))


def maybe(condition: Condition) -> bool:
    """True unless the condition is the constant false (an expression may hold for someone)."""
    return condition is not False
