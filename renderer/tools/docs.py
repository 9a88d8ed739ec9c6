"""`python -m renderer.tools.docs`: write docs/dsl-reference.md from the DSL's JSON Schemas.

The reference is generated, never edited by hand: every key, its type or allowed values, whether it is required,
its description and its examples come from forms/schema/form.schema.json and forms/schema/data.schema.json, and
the per-kind rules of a field come from the `if`/`then` entries of its `allOf`. tests/unit/tools/test_docs.py
fails when the committed file differs from what `generate_reference()` returns.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "forms" / "schema"
REFERENCE = ROOT / "docs" / "dsl-reference.md"
SCHEMAS = (
    ("form.schema.json", "Journeys and fragments", "forms/journeys/*.yaml, forms/fragments/*.yaml"),
    ("data.schema.json", "Lists, cities and resident types", ("forms/lists/*.yaml, forms/cities/*.yaml, "
                                                            "forms/residents.yaml")),
)

# A plain YAML scalar needs quotes when it holds one of these, or could be read as another type.
_NEEDS_QUOTES = re.compile(r"[:,\[\]{}]| #|^[-?#&*!|>'\"%@`\s]|\s$")
_NOT_TEXT = re.compile(r"^(true|false|null|~|[-+]?[0-9][0-9_.:eE+-]*)$", re.IGNORECASE)


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- values as YAML


def yaml_flow(value: Any) -> str:
    """A value as the analyst writes it in YAML flow style: `[否, 是]`, `{ok: {next: true}}`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_flow(k)}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    # Only the start matters for a leading quote; a quote inside a plain scalar is fine.
    risky = not text or _NEEDS_QUOTES.search(text) or _NOT_TEXT.match(text)
    return json.dumps(text, ensure_ascii=False) if risky else text


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """Inline code safe inside a table cell (a backtick in the text gets a longer fence)."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


# ---------------------------------------------------------------------------------------------- schema reading


class Reader:
    """Resolves $refs of one schema and describes its sub-schemas in words."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs") or {}

    def target(self, ref: str) -> tuple[str, dict[str, Any]]:
        name = ref.rsplit("/", 1)[-1]
        return name, self.defs[name]

    def type_of(self, node: dict[str, Any]) -> str:
        """`text`, `list of [field](#field)`, `select` \\| `radio` …: what the key holds."""
        if "$ref" in node:
            name, target = self.target(node["$ref"])
            if "enum" in target:
                return " \\| ".join(_code(yaml_flow(v)) for v in target["enum"])
            return f"[{name}](#{name.lower()})"
        if "const" in node:
            return _code(yaml_flow(node["const"]))
        if "enum" in node:
            return " \\| ".join(_code(yaml_flow(v)) for v in node["enum"])
        if "oneOf" in node:
            return " or ".join(self.type_of(alt) for alt in node["oneOf"])
        kind = node.get("type")
        if isinstance(kind, list):
            return " or ".join(str(_TYPE_NAMES.get(k, k)) for k in kind)
        if kind == "array":
            items = node.get("items") or {}
            return "list of " + (self.type_of(items) if items else "values")
        if kind == "object":
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and not node.get("properties"):
                return "mapping of name → " + self.type_of(extra)
            return "mapping"
        if kind == "string" and "pattern" in node:
            return f"name ({_code(node['pattern'])})"
        if kind == "integer":
            low = node.get("minimum")
            return "whole number" + (f" ≥ {low}" if low is not None else "")
        return _TYPE_NAMES.get(kind, "any value") if kind else "any value"

    def description(self, node: dict[str, Any]) -> str:
        if "description" in node:
            return str(node["description"])
        if "$ref" in node:
            return str(self.target(node["$ref"])[1].get("description", ""))
        return ""

    def examples(self, node: dict[str, Any]) -> list[Any]:
        if "examples" in node:
            return list(node["examples"])
        if "$ref" in node:
            return list(self.target(node["$ref"])[1].get("examples") or [])
        return []


_TYPE_NAMES = {"string": "text", "boolean": "true/false", "number": "number", "integer": "whole number",
               "object": "mapping", "array": "list"}


def _condition_words(cond: dict[str, Any]) -> str:
    parts = [f"`{key}` is given" for key in cond.get("required") or []]
    for key, sub in (cond.get("properties") or {}).items():
        if "const" in sub:
            parts.append(f"`{key}` is `{yaml_flow(sub['const'])}`")
    return " and ".join(parts) or "always"


def _requirement_words(then: dict[str, Any]) -> str:
    parts = []
    if then.get("required"):
        parts.append("requires " + ", ".join(f"`{k}`" for k in then["required"]))
    alternatives = [alt.get("required") for alt in then.get("oneOf") or [] if alt.get("required")]
    if alternatives:
        parts.append("exactly one of " + ", ".join("`" + "` + `".join(a) + "`" for a in alternatives))
    return "; ".join(parts) or "nothing more"


def conditional_rules(node: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any] | None,
                                                            dict[str, Any] | None]]:
    """(if, then, else) of the node itself and of each `allOf` entry, in order."""
    found = []
    for entry in [node, *(node.get("allOf") or [])]:
        if "if" in entry and ("then" in entry or "else" in entry):
            found.append((entry["if"], entry.get("then"), entry.get("else")))
    return found


# ---------------------------------------------------------------------------------------------- sections


class Writer:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.lines: list[str] = []

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def object_section(self, heading: str, node: dict[str, Any], level: int, intro: str = "") -> None:
        """Heading, description, table of properties, conditional rules, then nested objects."""
        self.out(f"{'#' * level} {heading}", "")
        if intro:
            self.out(intro, "")
        if node.get("description"):
            self.out(str(node["description"]), "")
        properties = node.get("properties") or {}
        if properties:
            self.table(properties, set(node.get("required") or []), self.conditionally_required(node))
        self.rules(node)
        for name, sub in properties.items():
            for label, inner in _nested_objects(name, sub):
                self.object_section(f"{heading} › {label}", inner, min(level + 1, 6))

    def conditionally_required(self, node: dict[str, Any]) -> dict[str, list[str]]:
        """Key -> the conditions under which it is required (from if/then/else)."""
        when: dict[str, list[str]] = {}
        for cond, then, otherwise in conditional_rules(node):
            words = _condition_words(cond)
            for key in (then or {}).get("required") or []:
                if key not in (cond.get("required") or []):    # `journey` is not required "when journey is given"
                    when.setdefault(key, []).append(f"when {words}")
            for key in (otherwise or {}).get("required") or []:
                when.setdefault(key, []).append(f"unless {words}")
        return when

    def table(self, properties: dict[str, Any], required: set[str], conditional: dict[str, list[str]]) -> None:
        self.out("| key | type or allowed values | required | description | example |", "|---|---|---|---|---|")
        for name, sub in properties.items():
            need = "yes" if name in required else "; ".join(conditional.get(name, [])) or "no"
            examples = "<br>".join(_code(yaml_flow(e)) for e in self.reader.examples(sub))
            self.out(f"| `{name}` | {self.reader.type_of(sub)} | {_cell(need)} | "
                     f"{_cell(self.reader.description(sub))} | {examples} |")
        self.out("")

    def rules(self, node: dict[str, Any]) -> None:
        rules = conditional_rules(node)
        if not rules and not node.get("oneOf"):
            return
        self.out("Rules:", "")
        for cond, then, otherwise in rules:
            if then is not None and "$ref" not in then:
                self.out(f"- When {_condition_words(cond)}: {_requirement_words(then)}.")
            if otherwise is not None and "$ref" not in otherwise:
                self.out(f"- Otherwise: {_requirement_words(otherwise)}.")
        alternatives = [alt.get("required") for alt in node.get("oneOf") or [] if alt.get("required")]
        if alternatives:
            self.out("- A file has exactly one of " + ", ".join("`" + "` + `".join(a) + "`" for a in alternatives)
                     + ".")
        self.out("")

    def kind_table(self, node: dict[str, Any], kinds: dict[str, list[str]], common: list[str]) -> None:
        """The field kinds: the settings each requires, and its other settings beyond those every kind takes."""
        self.out("#### Settings per kind", "",
                 "| kind | also requires | its other settings |", "|---|---|---|")
        for cond, then, _ in conditional_rules(node):
            kind = str(cond["properties"]["kind"]["const"])
            needs = ", ".join(f"`{k}`" for k in kinds.get(kind, [])) or "—"
            others = [f"[`{k}`](#field--{kind})" for k in (then or {}).get("properties") or {}
                      if k not in common and k not in kinds.get(kind, [])]
            self.out(f"| `{kind}` | {needs} | {', '.join(others) or '—'} |")
        self.out("")

    def settings_table(self, properties: dict[str, Any], required: set[str]) -> None:
        self.out("| setting | type or allowed values | read as | required | description | example |",
                 "|---|---|---|---|---|---|")
        for name, sub in properties.items():
            examples = "<br>".join(_code(yaml_flow(e)) for e in self.reader.examples(sub))
            self.out(f"| `{name}` | {self.reader.type_of(sub)} | {_reads(sub)} | {'yes' if name in required else 'no'}"
                     f" | {_cell(self.reader.description(sub))} | {examples} |")
        self.out("")

    def field_section(self, node: dict[str, Any]) -> None:
        """$defs/field, per kind: the settings every kind takes, then each kind's own (from its if/then)."""
        self.out("### field", "", str(node.get("description", "")), "", FIELD_INTRO, "")
        thens = {str(cond["properties"]["kind"]["const"]): then or {} for cond, then, _ in conditional_rules(node)}
        first = next(iter(thens.values()))["properties"]
        common = [name for name in first if all(name in then["properties"] for then in thens.values())]
        self.out("#### Settings of every kind", "")
        self.settings_table({name: node["properties"]["kind"] if name == "kind" else first[name] for name in common},
                            set(node.get("required") or []))
        self.kind_table(node, _kind_rules(node), common)
        for kind, then in thens.items():
            own = {name: sub for name, sub in then["properties"].items() if name not in common}
            self.out(f"#### field › {kind}", "", str(then.get("description", "")), "")
            if own:
                self.settings_table(own, set(then.get("required") or []))
            else:
                self.out("No settings beyond those of every kind.", "")
            for name, sub in own.items():
                for label, inner in _nested_objects(name, sub):
                    self.object_section(f"field › {kind} › {label}", inner, 5)

    def def_section(self, name: str, node: dict[str, Any]) -> None:
        if name == "field":
            self.field_section(node)
            return
        if "properties" in node:
            self.object_section(name, node, 3)
            return
        self.out(f"### {name}", "")
        if node.get("description"):
            self.out(str(node["description"]), "")
        if "enum" in node:
            self.out("Allowed values: " + ", ".join(f"`{yaml_flow(v)}`" for v in node["enum"]) + ".", "")
        elif "oneOf" in node:
            self.out("One of: " + " or ".join(self.reader.type_of(alt) for alt in node["oneOf"]) + ".", "")
        elif node.get("type"):
            self.out(f"Type: {self.reader.type_of(node)}.", "")
        if node.get("examples"):
            self.out("Examples: " + ", ".join(_code(yaml_flow(e)) for e in node["examples"]) + ".", "")
        # A page-or-include: the `then` branch is an object of its own; the `else` branch names another def.
        for cond, then, otherwise in conditional_rules(node):
            if then and then.get("properties"):
                self.out(f"When {_condition_words(cond)}:", "")
                self.table(then["properties"], set(then.get("required") or []), {})
            if otherwise and "$ref" in otherwise:
                target = self.reader.target(otherwise["$ref"])[0]
                self.out(f"Otherwise: a [{target}](#{target.lower()}).", "")


def _nested_objects(name: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Inline object schemas under a property (the property itself, its items, its values, its alternatives)."""
    if node.get("properties"):
        yield f"`{name}`", node
    items = node.get("items")
    if isinstance(items, dict):
        if items.get("properties"):
            yield f"`{name}` entry", items
        for alt in items.get("oneOf") or []:
            if alt.get("properties"):
                yield f"`{name}` entry (mapping form)", alt
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and extra.get("properties"):
        yield f"`{name}` entry", extra


FIELD_INTRO = (
    "Every field has `id`, `kind` and `label`; `kind` picks the widget and the settings it takes. A setting that "
    "the field's kind does not take is an error (`field.unknown_setting`), never silently ignored. How each setting "
    "is read is fixed, never guessed from its text (column *read as*): **literal** is the value as written "
    "(`default: 否`); **expression** is always an expression over answers and context (`default_from: person.phone`, "
    "`value: applicant.name`); **condition** is true/false or an expression; **list or expression**: a YAML list is "
    "the list itself, a text always names one (`options: [否, 是]`, `options: lists.ethnicities`). The settings come "
    "from widgets/settings.py (one model per kind), from which `python -m renderer.tools.schema` writes the schema.")


def _reads(node: dict[str, Any]) -> str:
    """How a setting's value is read: literal, expression, condition, or a literal list or an expression."""
    ref = node.get("$ref", "")
    if ref.endswith("/expression"):
        return "expression"
    if ref.endswith("/condition"):
        return "condition"
    if any(alt.get("$ref", "").endswith("/expression") for alt in node.get("oneOf") or []):
        return "list or expression"
    if (node.get("items") or {}).get("$ref", "").endswith("/rule"):
        return "rules (each `check` an expression)"
    return "literal"


def _kind_rules(node: dict[str, Any]) -> dict[str, list[str]]:
    """kind -> required keys, from allOf entries `if kind is X then required [...]`."""
    kinds: dict[str, list[str]] = {}
    for cond, then, _ in conditional_rules(node):
        kind = ((cond.get("properties") or {}).get("kind") or {}).get("const")
        if kind is not None and then:
            kinds.setdefault(str(kind), []).extend(then.get("required") or [])
    return kinds


# ---------------------------------------------------------------------------------------------- the document


def generate_reference() -> str:
    """The Markdown of docs/dsl-reference.md."""
    lines = [
        "# YAML DSL reference",
        "",
        ("<!-- Generated by `python -m renderer.tools.docs` from forms/schema/*.schema.json. Do not edit by hand: "
        "change the schemas' descriptions and examples, then regenerate. -->"),
        "",
        ("Every key an analyst may write under `forms/`, generated from the JSON Schemas that `python -m renderer "
        "lint` (and your editor) check the files against. Examples are written as in YAML flow style. For a "
        "walk-through see [the tutorial](tutorial.md); for everyday tasks see [analysts.md](analysts.md)."),
        "",
        ("The schema checks the shape of each file. `python -m renderer lint` also checks meaning that a schema "
        "cannot: ids that pages, popups, results, fragments and journeys refer to, field names in expressions, "
        "steps, and that a 修改 link edits a page before the confirm page."),
        "",
        "Contents:",
        "",
    ]
    for file_name, title, _ in SCHEMAS:
        schema = load_schema(file_name)
        anchor = re.sub(r"[^a-z0-9 -]", "", f"{title} ({file_name})".lower()).replace(" ", "-")
        lines.append(f"- [{title}](#{anchor})")
        if schema.get("$defs"):
            lines.append("  - " + ", ".join(f"[{name}](#{name.lower()})" for name in schema["$defs"]))
    lines.append("")
    for file_name, title, files in SCHEMAS:
        schema = load_schema(file_name)
        writer = Writer(Reader(schema))
        writer.out(f"## {title} ({file_name})", "", f"Files: {files}.", "")
        writer.object_section("Top level", schema, 3, intro=f"**{schema.get('title', '')}.**")
        for name, node in (schema.get("$defs") or {}).items():
            writer.def_section(name, node)
        lines.extend(writer.lines)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    text = generate_reference()
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
