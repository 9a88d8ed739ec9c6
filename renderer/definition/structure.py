"""Check each document against the DSL's JSON Schema, collecting every error with its position."""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from renderer.definition.catalogue import CATALOGUE, SCHEMA_TYPES, VALUE_TYPES, phrase, problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.reader import Document

NAME = re.compile(r"^[a-z][a-z0-9_]*$")      # how every setting is named
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "forms" / "schema"


@cache
def validator(name: str) -> Draft202012Validator:
    """The compiled validator for forms/schema/<name>.schema.json."""
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_structure(doc: Document, schema: str) -> list[LoadError]:
    """Every schema error of `doc`, most specific first, one per place."""
    errors: list[LoadError] = []
    seen: set[tuple[str, str]] = set()
    for error in sorted(validator(schema).iter_errors(doc.data), key=lambda e: list(e.absolute_path)):
        for leaf in _leaves(error):
            for converted in _unknown_settings(doc, leaf, schema) or [_convert(doc, leaf)]:
                key = (converted.path, converted.code)
                if key not in seen:
                    seen.add(key)
                    errors.append(converted)
    return errors


def _unknown_settings(doc: Document, error: ValidationError, schema: str) -> list[LoadError]:
    """Settings that a field's kind does not take: one problem each, naming the kind, what it takes, and the kinds
    that do take it. The per-kind `then` of $defs/field (generated from widgets/settings.py) says so."""
    kind = ((error.schema.get("properties") or {}).get("kind") or {}).get("const") \
        if error.validator == "additionalProperties" and isinstance(error.schema, dict) else None
    if not isinstance(kind, str):
        return []
    path = list(error.absolute_path)
    allowed = list(error.schema["properties"])
    takers = _settings_by_kind(schema)
    found = []
    for key in _extra_keys(error):
        kinds = [k for k, names in takers.items() if key in names]
        where, position = format_path([*path, key]), doc.key_position([*path, key])
        choices, suggestion = ", ".join(allowed), did_you_mean(key, allowed)
        if not NAME.match(key):
            found.append(problem("field.unknown_setting#not_a_name", position, where, kind=kind, key=key,
                                 choices=choices))
        elif kinds:
            found.append(problem("field.unknown_setting#other_kind", position, where, kind=kind, key=key,
                                 kinds=", ".join(kinds), choices=choices, suggestion=suggestion))
        else:
            found.append(problem("field.unknown_setting", position, where, kind=kind, key=key, choices=choices,
                                 suggestion=suggestion))
    return found


@cache
def _settings_by_kind(schema: str) -> dict[str, frozenset[str]]:
    """Field kind -> the settings it takes, read from the schema's per-kind rules."""
    rules = validator(schema).schema.get("$defs", {}).get("field", {}).get("allOf", [])
    return {rule["if"]["properties"]["kind"]["const"]: frozenset(rule["then"]["properties"]) for rule in rules
            if "kind" in rule.get("if", {}).get("properties", {})}


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For oneOf/anyOf keep the alternatives' most relevant error instead of the summary."""
    if error.validator in ("oneOf", "anyOf") and error.context and isinstance(error.instance, str):
        choices = [e for e in error.context if e.validator == "enum"]     # a name from a list: say which names
        if choices:
            return choices[:1]
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        if deepest > len(error.absolute_path):
            return [e for e in error.context if len(e.absolute_path) == deepest][:1]
    return [error]


def _convert(doc: Document, error: ValidationError) -> LoadError:
    path = list(error.absolute_path)
    where = format_path(path)
    position = doc.position(path)
    validator_name = str(error.validator)
    if validator_name == "additionalProperties":
        extras = _extra_keys(error)
        allowed = list((error.schema.get("properties") or {}).keys())
        name = extras[0] if extras else "?"
        return problem("schema.unknown_key" if where else "schema.unknown_key#top", doc.key_position([*path, name]),
                       where, key=name, where=where, choices=", ".join(allowed), suggestion=did_you_mean(name, allowed))
    if validator_name == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return problem("schema.missing_key", position, where, key=missing)
    if validator_name == "enum":
        options = [str(o) for o in error.validator_value]
        value = str(error.instance)
        return problem("schema.bad_value", position, where, value=value, choices=", ".join(options),
                       suggestion=did_you_mean(value, options))
    if validator_name == "type" and isinstance(error.instance, (dt.date, dt.datetime)):
        return problem("schema.date_unquoted", position, where, date=error.instance.isoformat())
    if validator_name == "type":
        return problem("schema.bad_type", position, where, expected=_kind(error.validator_value),
                       found=_kind_of(error.instance))
    if validator_name == "pattern":
        return problem("schema.bad_id", position, where, value=error.instance)
    if validator_name == "const":
        return problem("schema.bad_value#const", position, where, value=_yaml(error.validator_value))
    if validator_name == "uniqueItems" and isinstance(error.instance, list):
        return _duplicate_item(doc, path, error.instance)
    # Any other rule of the schema reports jsonschema's own message under schema.<rule>.
    code = f"schema.{validator_name}"
    if code not in CATALOGUE:       # a rule added to forms/schema without a catalogue entry yet
        code = "schema.other"
    return problem(code, position, where, detail=error.message)


def _duplicate_item(doc: Document, path: list[Any], items: list[Any]) -> LoadError:
    """A list that holds an item twice: reported at the second one, naming the first."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = repr(item)
        if key in seen:
            return problem("schema.uniqueItems", doc.position([*path, index]), format_path([*path, index]),
                           item=_yaml(item), first=seen[key] + 1, place=index + 1)
        seen[key] = index
    return problem("schema.other", doc.position(path), format_path(path), detail="the list holds an item twice")


def _yaml(value: Any) -> str:
    return {True: "true", False: "false", None: "null"}.get(value, str(value)) if not isinstance(value, str) else value


def _extra_keys(error: ValidationError) -> list[str]:
    allowed = set((error.schema.get("properties") or {}).keys())
    instance: Any = error.instance
    return [k for k in instance if k not in allowed] if isinstance(instance, dict) else []


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return phrase("either").join(SCHEMA_TYPES.get(v, v) for v in value)
    return SCHEMA_TYPES.get(value, str(value))


def _kind_of(value: Any) -> str:
    for kind in (bool, dict, list, str, int, float):     # bool before int: True is an int too
        if isinstance(value, kind):
            return VALUE_TYPES[kind.__name__]
    return VALUE_TYPES["NoneType"] if value is None else type(value).__name__
