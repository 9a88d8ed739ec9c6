"""docs/dsl-reference.md is generated from the schemas and must not drift from them."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from renderer.tools.docs import REFERENCE, SCHEMA_DIR, generate_reference, yaml_flow

SCHEMA_FILES = ("form.schema.json", "data.schema.json")


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, schema) of every property anywhere in the schema (the `if` parts only test values, so not those)."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                yield f"{path}/{name}", sub
        for key, value in node.items():
            if key != "if":
                yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{path}/{i}")


def test_committed_reference_is_up_to_date() -> None:
    committed = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    assert committed == generate_reference(), (
        "docs/dsl-reference.md is out of date with forms/schema/*.schema.json: "
        "run `python -m renderer.tools.docs` and commit the result")


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_described_property_has_examples(name: str) -> None:
    missing = [path for path, sub in _properties(_schema(name))
               if "description" in sub and not sub.get("examples")]
    assert not missing, f"{name}: add `examples` (1-2 realistic values) to: {', '.join(missing)}"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_examples_are_valid_values(name: str) -> None:
    schema = _schema(name)
    validator = Draft202012Validator(schema)
    wrong = []
    for path, sub in _properties(schema):
        for example in sub.get("examples") or []:
            errors = list(validator.evolve(schema=sub).iter_errors(example))
            if errors:
                wrong.append(f"{path}: {example!r}: {errors[0].message}")
    assert not wrong, "\n".join(wrong)


def test_every_field_kind_is_in_the_reference() -> None:
    reference = generate_reference()
    kinds = _schema("form.schema.json")["$defs"]["field"]["properties"]["kind"]["enum"]
    missing = [kind for kind in kinds if f"| `{kind}` |" not in reference]
    assert not missing, f"field kinds missing from the per-kind rules: {missing}"


def test_per_kind_rules_name_the_required_keys() -> None:
    reference = generate_reference()
    assert "| `select` | `options` |" in reference
    assert "| `notice` | `text`, `button` |" in reference
    assert "| `record_list` | `source`, `columns` |" in reference


def test_every_def_has_a_section() -> None:
    reference = generate_reference()
    for name in _schema("form.schema.json")["$defs"]:
        assert f"\n### {name}\n" in reference


@pytest.mark.parametrize(("value", "written"), [
    ("pickup_method == '邮寄到付'", "pickup_method == '邮寄到付'"),
    ("cities[intended_city].banks", '"cities[intended_city].banks"'),
    ("{outcome.reason}", '"{outcome.reason}"'),
    ("4404", '"4404"'),
    ("true", '"true"'),
    (True, "true"),
    (["否", "是"], "[否, 是]"),
    ({"ok": {"next": True}}, "{ok: {next: true}}"),
])
def test_examples_are_written_as_yaml(value: Any, written: str) -> None:
    assert yaml_flow(value) == written


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_examples_as_written_read_back_the_same(name: str) -> None:
    from ruamel.yaml import YAML
    yaml = YAML(typ="safe", pure=True)
    wrong = []
    for path, sub in _properties(_schema(name)):
        for example in sub.get("examples") or []:
            if yaml.load(f"value: {yaml_flow(example)}\n")["value"] != example:
                wrong.append(f"{path}: {yaml_flow(example)}")
    assert not wrong, "\n".join(wrong)
