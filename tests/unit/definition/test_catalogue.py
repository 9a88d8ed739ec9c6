"""The problem catalogue: every problem the loader reports comes from renderer/definition/catalogue.py.

The call sites are read from the source (ast): each `problem("<key>", ..., field=...)` must name a catalogue key and
pass every field its templates use; every key must be used; nobody else builds a LoadError.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from renderer.definition.catalogue import CATALOGUE, VARIANT, code_of, explain, problem, template_fields
from renderer.definition.model import Position

ROOT = Path(__file__).resolve().parents[3]
RENDERER = ROOT / "renderer"
SCHEMA_DIR = ROOT / "forms" / "schema"
KEY = re.compile(r"^[a-z]+\.[a-z_A-Z]+(#[a-z_]+)?$")
# Keyword-only problem() parameters that are not template fields.
NOT_FIELDS = {"path", "position"}
# Schema rules that structure._convert words itself; any other rule is reported as schema.<rule>.
CONVERTED = {"additionalProperties", "required", "enum", "type", "pattern", "const", "uniqueItems"}
# Schema keywords that never fail on their own (their subschemas do).
STRUCTURAL = {"$defs", "$id", "$ref", "$schema", "allOf", "properties", "items", "if", "then", "else", "description",
              "examples", "default", "title"}


def _sources() -> list[Path]:
    return sorted(p for p in RENDERER.rglob("*.py") if p.name != "catalogue.py")


def _problem_calls() -> list[tuple[str, str, ast.Call]]:
    """(file, enclosing function, call) for every call of problem() / .problem() outside the catalogue."""
    found = []

    def visit(file: str, node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "problem":
                found.append((file, function, node))
        for child in ast.iter_child_nodes(node):
            visit(file, child, function)

    for path in _sources():
        visit(path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def _literal_keys(call: ast.Call) -> set[str]:
    """Catalogue keys written literally in the first argument (a plain string, a conditional, a dict by kind)."""
    if not call.args:
        return set()
    return {n.value for n in ast.walk(call.args[0]) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and "." in n.value}


def _keywords(call: ast.Call) -> set[str] | None:
    """The field names a call passes, or None when it forwards **fields."""
    if any(k.arg is None for k in call.keywords):
        return None
    return {k.arg for k in call.keywords if k.arg is not None} - NOT_FIELDS


def _expression_codes() -> set[str]:
    """Every code the expression compiler can raise (ExpressionError's default is expr.syntax)."""
    codes = set()
    for name in ("expressions.py", "expression_tokens.py"):
        text = (RENDERER / "definition" / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'"(expr\.[a-z_]+)"', text))
    codes -= {"expr.used_before_set"}      # the builder's own code, not the compiler's
    return codes


def _schema_keywords() -> set[str]:
    """Every JSON Schema keyword forms/schema uses (not property names, not values)."""
    found: set[str] = set()

    def schema(node: object) -> None:
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
                for sub in value.values():
                    schema(sub)
            elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains",
                         "propertyNames"):
                schema(value)
            elif key in ("allOf", "anyOf", "oneOf", "prefixItems"):
                for sub in value:
                    schema(sub)

    for path in SCHEMA_DIR.glob("*.schema.json"):
        schema(json.loads(path.read_text(encoding="utf-8")))
    return found


def _schema_fallback_keys() -> set[str]:
    rules = _schema_keywords() - CONVERTED - STRUCTURAL
    return {f"schema.{rule}" for rule in rules} | {"schema.other"}


# Call sites whose code is chosen at run time, and the catalogue keys each can produce.
DYNAMIC = {
    ("renderer/definition/checks.py", "expression"): _expression_codes,          # the compiler's exc.code
    ("renderer/definition/structure.py", "_convert"): _schema_fallback_keys,    # schema.<rule>
    ("renderer/definition/checks.py", "problem"): None,                          # Builder.problem forwards
}


def _sites() -> list[tuple[str, str, ast.Call, set[str]]]:
    """(file, function, call, keys it can report) for every problem() call."""
    sites = []
    for file, function, call in _problem_calls():
        keys = _literal_keys(call)
        if not keys:
            assert (file, function) in DYNAMIC, (
                f"{file}:{call.lineno} problem() needs a literal catalogue key as its first argument")
            family = DYNAMIC[(file, function)]
            keys = family() if family else set()
        sites.append((file, function, call, keys))
    return sites


def test_every_code_used_is_in_the_catalogue() -> None:
    for file, _, call, keys in _sites():
        for key in keys:
            assert key in CATALOGUE, f"{file}:{call.lineno} reports {key!r}, which catalogue.py does not have"


def test_every_catalogue_code_is_used() -> None:
    used = {key for *_, keys in _sites() for key in keys}
    assert sorted(set(CATALOGUE) - used) == []


def test_templates_use_only_the_fields_the_call_sites_pass() -> None:
    for file, _, call, keys in _sites():
        passed = _keywords(call)
        if passed is None:
            continue
        for key in keys:
            entry = CATALOGUE[key]
            needed = template_fields(entry.message) | template_fields(entry.hint)
            assert needed <= passed, f"{file}:{call.lineno} {key} needs {sorted(needed - passed)}"
            entry.message.format(**dict.fromkeys(passed, "x"))
            entry.hint.format(**dict.fromkeys(passed, "x"))
        if len(keys) == 1 or _literal_keys(call):
            used = set().union(*(template_fields(CATALOGUE[k].message) | template_fields(CATALOGUE[k].hint)
                                 for k in keys))
            assert passed <= used, f"{file}:{call.lineno} passes {sorted(passed - used)}, which no template uses"


def test_the_compiler_and_the_schema_codes_have_entries() -> None:
    assert {"expr.syntax", "expr.unknown_name", "expr.unknown_function", "expr.arity"} <= _expression_codes()
    assert _expression_codes() <= set(CATALOGUE)
    assert _schema_fallback_keys() <= set(CATALOGUE)
    assert "schema.minimum" in _schema_fallback_keys()


def test_no_load_error_is_built_outside_the_catalogue() -> None:
    for path in _sources():
        if path.name == "errors.py":
            continue
        assert "LoadError(" not in path.read_text(encoding="utf-8"), path


def test_entries_are_well_formed() -> None:
    for key, entry in CATALOGUE.items():
        assert KEY.match(key), key
        assert entry.title and "\n" not in entry.title and entry.title.endswith("."), key
        assert entry.message and entry.hint, key
        if VARIANT in key:
            assert code_of(key) in CATALOGUE, f"{key} is a variant of a code with no plain entry"


def test_problem_fills_both_templates() -> None:
    error = problem("page.unreachable#result", Position("forms/journeys/a.yaml", 3, 5), "results[0]", result="done")
    assert error.code == "page.unreachable"
    assert error.message == "result 'done' is named by no outcome."
    assert error.hint == "route an outcome to it (`{result: done}`) or remove it"
    assert error.path == "results[0]" and error.position.line == 3


def test_a_missing_field_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        problem("list.duplicate", Position("f", 1, 1), name="regions")          # no `other`
    with pytest.raises(KeyError):
        problem("list.duplicated", Position("f", 1, 1), name="regions", other="x")


def test_explain_shows_every_variant() -> None:
    text = explain("page.dead_end")
    assert "page.dead_end: A page whose buttons all stay on the page." in text
    assert "page.dead_end#confirm:" in text
    assert "`ok: {next: true}`" in text and "'{page}' ({title})" in text
    assert explain("ref.unknown_page#journey").count("message:") == 1
    for code in {code_of(k) for k in CATALOGUE}:
        assert explain(code)
    with pytest.raises(KeyError, match=r"Did you mean 'page\.dead_end'"):
        explain("page.dead_ends")


def test_run_explain(capsys: pytest.CaptureFixture[str]) -> None:
    from renderer.tools.lint import run_explain

    assert run_explain("list.unused") == 0
    assert "list.unused: A list that no journey uses." in capsys.readouterr().out
    assert run_explain("nope.nothing") == 1
    assert "unknown code 'nope.nothing'" in capsys.readouterr().err
