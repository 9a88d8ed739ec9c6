"""YAML pitfalls of a Chinese keyboard: a full-width '：' or '，' typed where YAML's own ':' or ',' belongs.

YAML reads `label：民族` as one plain text, so the key silently disappears (or the next line fails to parse far
from the cause); the scan names the character at its own column before the parser gets confused.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError
from renderer.definition.model import Position

KEY = r"(?P<key>[a-z_][a-z0-9_]*)"
# `label：民族` as the first key of a line (after indentation and any `- `).
KEY_LINE = re.compile(rf"^[ ]*(?:-[ ]+)*{KEY}[ ]*(?P<mark>：)")
# `{id: phone, label：联系电话}`: a key inside a flow mapping.
FLOW_KEY = re.compile(rf"[{{,][ ]*{KEY}[ ]*(?P<mark>：)")
# `{id: phone，kind: text}`: a full-width comma before the next key of a flow mapping.
FLOW_COMMA = re.compile(rf"(?P<mark>，)[ ]*{KEY}[ ]*[:：]")


def yaml_pitfalls(text: str, shown_as: str) -> list[LoadError]:
    """Every full-width colon or comma where a DSL key's colon or a flow mapping's comma belongs."""
    keys = dsl_keys()
    errors: list[LoadError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#") or ("：" not in line and "，" not in line):
            continue
        found: dict[int, LoadError] = {}
        for pattern in (KEY_LINE, FLOW_KEY, FLOW_COMMA):
            for match in pattern.finditer(line):
                key, col = match.group("key"), match.start("mark")
                if key not in keys or col in found:
                    continue
                where = Position(shown_as, number, col + 1)
                found[col] = (problem("yaml.fullwidth_comma", where, key=key) if pattern is FLOW_COMMA
                              else problem("yaml.fullwidth_colon", where, key=key))
        errors += [found[col] for col in sorted(found)]
    return errors


@cache
def dsl_keys() -> frozenset[str]:
    """Every key forms/schema names: a full-width mark after any other word is taken to be part of a text."""
    from renderer.definition.structure import validator  # structure reads documents: import it late

    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(k for k in (node.get("properties") or {}) if isinstance(k, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in ("form", "data"):
        walk(validator(schema).schema)
    return frozenset(names)
