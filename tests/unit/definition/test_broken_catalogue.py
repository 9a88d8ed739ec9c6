"""The catalogue of broken forms: one folder per mistake an analyst really makes, with exactly the problems it must get.

Each tests/fixtures/forms/broken/<NN>-<name>/ holds a small complete forms tree in forms/ with one planted mistake,
and expect.yaml (outside forms/, so the loader never reads it) listing every problem in the loader's order:
code, file, line, col, the exact message, and a piece of the hint.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from renderer.definition.catalogue import CATALOGUE
from renderer.definition.errors import ERROR
from renderer.definition.loader import load_forms

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "broken"
FOLDERS = sorted(p for p in BROKEN.iterdir() if p.is_dir())

# Every code the loader can report for a mistake in forms/; each must be shown by at least one fixture.
CODES = {
    "yaml.syntax", "yaml.encoding", "yaml.duplicate_key", "yaml.fullwidth_colon", "yaml.fullwidth_comma",
    "file.unknown_kind",
    "schema.unknown_key", "schema.missing_key", "schema.bad_value", "schema.date_unquoted", "schema.bad_type",
    "schema.bad_id", "schema.uniqueItems",
    "expr.syntax", "expr.unknown_name", "expr.unknown_function", "expr.arity", "expr.used_before_set",
    "page.duplicate_id", "field.duplicate_id", "field.reserved_id", "page.unknown_step", "page.confirm_with_fields",
    "page.unreachable", "page.dead_end", "button.no_ok", "route.targets",
    "ref.unknown_page", "ref.unknown_field", "ref.unknown_popup", "ref.unknown_result", "ref.unknown_fragment",
    "ref.unknown_journey", "confirm.edit_not_before", "receipt.unknown_section", "city.unknown_district", "city.not_issuing",
    "fragment.duplicate", "list.duplicate", "list.unused", "text.missing", "include.in_fragment", "include.cycle",
    "field.unknown_setting", "field.expression_in_literal", "field.literal_for_expression", "field.two_defaults",
    "ref.unknown_number_format",
    # what the forms mean (renderer/definition/meaning)
    "option.unknown_value", "option.duplicate", "field.default_not_option", "expr.date_vs_text", "pattern.invalid",
    "field.min_above_max", "condition.always_false", "condition.always_true", "field.required_never_shown",
    "page.no_enabled_button", "page.loop", "link.without_journey", "link.return_never_set", "popup.unused",
    "city.missing_key", "city.no_file", "city.no_branches", "resident.missing_key",
    "verify.bypass", "verify.missing", "verify.undeclared", "verify.call_order", "verify.duplicate",
}

# Where the loader is known to be wrong, expect.yaml says what it should report; strict, so a fix shows up here.
KNOWN_WRONG: dict[str, str] = {}


def _expected(folder: Path) -> list[dict[str, Any]]:
    return YAML(typ="safe").load((folder / "expect.yaml").read_text(encoding="utf-8")) or []


def _cases() -> list[Any]:
    marks = {name: pytest.mark.xfail(strict=True, reason=f"product issue: {why}") for name, why in KNOWN_WRONG.items()}
    return [pytest.param(f, id=f.name, marks=[marks[f.name]] if f.name in marks else []) for f in FOLDERS]


@pytest.mark.parametrize("folder", _cases())
def test_a_broken_form_reports_exactly_its_problems(folder: Path) -> None:
    expected = _expected(folder)
    result = load_forms(folder / "forms")
    got = [{"code": e.code, "file": e.position.file, "line": e.position.line, "col": e.position.col,
            "message": e.message} for e in result.problems]
    want = [{k: item[k] for k in ("code", "file", "line", "col", "message")} for item in expected]
    assert got == want
    for error, item in zip(result.problems, expected):
        assert item["hint_contains"] in error.hint, f"{error.code}: hint {error.hint!r}"
    # Errors stop the forms loading; a fixture of warnings only still loads (and lint says so). What each expected
    # code is comes from the catalogue, not from the result.
    blocking = any(CATALOGUE[item["code"]].severity == ERROR for item in expected if item["code"] in CATALOGUE)
    assert (result.definition is None) == blocking


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_every_fixture_is_a_complete_forms_tree_with_its_expectations_beside_it(folder: Path) -> None:
    assert (folder / "forms" / "residents.yaml").is_file()
    assert (folder / "expect.yaml").is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["expect.yaml", "forms"]
    expected = _expected(folder)
    assert expected, "a broken form reports at least one problem"
    for item in expected:
        assert set(item) == {"code", "file", "line", "col", "message", "hint_contains"}
        assert (folder / item["file"]).is_file(), item["file"]


def test_the_catalogue_has_at_least_thirty_mistakes() -> None:
    assert len(FOLDERS) >= 30
    assert len({f.name.split("-", 1)[1] for f in FOLDERS}) == len(FOLDERS)


def test_every_code_is_shown_by_some_fixture() -> None:
    seen = {item["code"] for folder in FOLDERS for item in _expected(folder)}
    assert sorted(CODES - seen) == []
    assert sorted(seen - CODES) == [], "a code the catalogue shows is missing from CODES"
