"""Generate `$defs/field` of forms/schema/form.schema.json from the settings models (widgets/settings.py).

    python -m renderer.tools.schema            # rewrite the field part of the schema
    python -m renderer.tools.schema --check    # exit 1 when the schema is not what the models say

Only `$defs/field` is rewritten, in place: the rest of the file (pages, buttons, the services …) is left byte for
byte as it is, so other generators and hand edits of those parts are kept.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from widgets.settings import SETTINGS, Common, Setting, declared

SCHEMA = Path(__file__).resolve().parents[2] / "forms" / "schema" / "form.schema.json"
INDENT = "    "          # `$defs` entries sit two levels deep in the file
GENERATED = "(generated from widgets/settings.py by `python -m renderer.tools.schema`)"


def setting_schema(decl: Setting) -> dict[str, Any]:
    """The JSON Schema of one setting: how it is read decides the shape (an expression is a text, …)."""
    shape: dict[str, Any]
    if decl.reads == "expression":
        shape = {"$ref": "#/$defs/expression"}
    elif decl.reads == "condition":
        shape = {"$ref": "#/$defs/condition"}
    elif decl.reads == "list_or_expression":
        shape = {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"$ref": "#/$defs/expression"}]}
    elif decl.reads == "rules":
        shape = {"type": "array", "items": {"$ref": "#/$defs/rule"}}
    else:
        shape = dict(decl.schema or {})
    return {**shape, "description": decl.description, "examples": list(decl.examples)}


def kind_schema(kind: str, model: type[Common]) -> dict[str, Any]:
    """The `then` of one kind: every setting it takes, those it needs, and nothing else."""
    properties: dict[str, Any] = {}
    required = []
    for name, decl, _ in declared(model):
        properties[name] = {"const": kind} if name == "kind" else setting_schema(decl)
        if decl.required and name not in ("id", "kind", "label"):
            required.append(name)
    then: dict[str, Any] = {"description": (model.__doc__ or "").strip(), "properties": properties}
    if required:
        then["required"] = required
    then["additionalProperties"] = False
    return {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then}


def field_schema() -> dict[str, Any]:
    """`$defs/field`: id, kind and label for every field, then per kind (if/then) the settings that kind takes."""
    kind_decl = {name: decl for name, decl, _ in declared(Common)}["kind"]
    return {
        "type": "object",
        "description": f"One field; `kind` picks the widget and the settings it takes {GENERATED}.",
        "required": ["id", "kind", "label"],
        "properties": {"kind": {"enum": list(SETTINGS), "description": kind_decl.description,
                                "examples": list(kind_decl.examples)}},
        "allOf": [kind_schema(kind, model) for kind, model in SETTINGS.items()],
    }


def render(text: str, field: dict[str, Any]) -> str:
    """`text` (the schema file) with its `$defs/field` replaced by `field`, everything else unchanged."""
    opening = f'{INDENT}"field": {{\n'
    start = text.index(opening, text.index('"$defs": {'))
    closing = re.compile(rf"^{INDENT}}}", re.MULTILINE)       # the first line back at this depth ends it
    found = closing.search(text, start + len(opening))
    if found is None:
        raise ValueError("form.schema.json: the end of $defs/field was not found")
    end = found.end()
    body = json.dumps(field, ensure_ascii=False, indent=2).replace("\n", "\n" + INDENT)
    new = text[:start] + f'{INDENT}"field": ' + body + text[end:]
    assert json.loads(new)["$defs"]["field"] == field
    return new


def is_current(path: Path = SCHEMA) -> bool:
    return bool(json.loads(path.read_text(encoding="utf-8"))["$defs"]["field"] == field_schema())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m renderer.tools.schema", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the schema is out of date")
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    args = parser.parse_args(argv)
    if args.check:
        current = is_current(args.schema)
        print(f"{args.schema}: $defs/field is {'up to date' if current else 'out of date: run python -m renderer.tools.schema'}")
        return 0 if current else 1
    text = args.schema.read_text(encoding="utf-8")
    args.schema.write_text(render(text, field_schema()), encoding="utf-8")
    print(f"wrote $defs/field of {args.schema}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
