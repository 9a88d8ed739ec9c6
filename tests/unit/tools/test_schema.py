"""$defs/field of forms/schema/form.schema.json is generated from the settings models, and is up to date."""
from __future__ import annotations

from pathlib import Path

from renderer.definition.loader import load_forms
from renderer.tools.schema import SCHEMA, field_schema, is_current, main, render
from widgets.settings import SETTINGS, declared

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "broken"


def test_the_committed_schema_is_what_the_models_say() -> None:
    assert is_current(), "forms/schema/form.schema.json is out of date: run python -m renderer.tools.schema"


def test_one_if_then_per_kind_with_exactly_its_settings() -> None:
    field = field_schema()
    assert field["properties"]["kind"]["enum"] == list(SETTINGS)
    for rule, (kind, model) in zip(field["allOf"], SETTINGS.items()):
        assert rule["if"] == {"properties": {"kind": {"const": kind}}, "required": ["kind"]}
        assert list(rule["then"]["properties"]) == [name for name, _, _ in declared(model)]
        assert rule["then"]["additionalProperties"] is False
    select = field["allOf"][list(SETTINGS).index("select")]["then"]
    assert "max_length" not in select["properties"] and select["required"] == ["options"]
    phone = field["allOf"][list(SETTINGS).index("phone_code")]["then"]["properties"]
    assert "max_length" not in phone and "default" not in phone
    assert phone["default_from"]["$ref"] == "#/$defs/expression"


def test_render_replaces_only_the_field_part(tmp_path: Path) -> None:
    text = SCHEMA.read_text(encoding="utf-8")
    copy = tmp_path / "form.schema.json"
    # The rest of the file keeps its own layout (another generator writes the services part).
    start = text.index('    "field": {')
    old_text = text[:start] + '    "field": {\n      "description": "old"\n    },' + \
        text[text.index('\n    "button": {', start):]
    copy.write_text(old_text, encoding="utf-8")
    assert main(["--check", "--schema", str(copy)]) == 1
    assert main(["--schema", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == render(old_text, field_schema()) == text
    assert main(["--check", "--schema", str(copy)]) == 0


def test_a_setting_on_the_wrong_kind_is_one_problem_at_the_key() -> None:
    result = load_forms(BROKEN / "63-max-length-on-select" / "forms")
    assert [(e.code, e.position.line, e.position.col) for e in result.problems] == [("field.unknown_setting", 25, 94)]
    assert "only text fields do" in result.problems[0].message
