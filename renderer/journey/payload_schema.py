"""The JSON Schema (draft 2020-12) of a journey's applications, generated from the journey: one value rule per kind.

Every application names its schema's address (`schema`), so it can be checked, and read, without the YAML. The
schema describes the applications of the forms version it is generated from: a field's kind and value type are
checked, its label and page are read from the application itself (they are texts, and change between versions).
"""
from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin, get_type_hints

from renderer.definition.model import Branch, Definition, Field, Journey
from widgets.region import LEVELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMAT = 1              # the payload's own format; a change of its shape is a new number and a new schema
ADDRESS = "/schemas/applications/{journey}.json"

Schema = dict[str, Any]
ValueRule = Callable[[Field, Definition], Schema]

STRING: Schema = {"type": "string"}
OPTIONAL_STRING: Schema = {"type": ["string", "null"]}
UPLOAD: Schema = {"$ref": "#/$defs/upload"}


def schema_address(journey_id: str) -> str:
    """Where the schema of `journey_id`'s applications is served; each application names it."""
    return ADDRESS.format(journey=journey_id)


# ------------------------------------------------------------------ one value rule per field kind

def static_options(f: Field, definition: Definition) -> list[str] | None:
    """A choice's options when they are fixed for the version: written in the YAML, or read from lists only."""
    literal = f.prop("options")
    if isinstance(literal, list):
        return [str(o) for o in literal]
    expr = f.exprs.get("options")
    if expr is None or any(name.split(".")[0] != "lists" for name in expr.names):
        return None         # depends on answers, the resident type or a city: not known before the citizen comes
    found = expr.evaluate({"lists": definition.lists})
    return [str(o) for o in found] if isinstance(found, (list, tuple)) else None


def _text(f: Field, definition: Definition) -> Schema:
    schema: Schema = {"type": "string"}
    if f.prop("max_length"):
        schema["maxLength"] = f.prop("max_length")
    if f.prop("min_length"):
        schema["minLength"] = f.prop("min_length")
    if f.prop("pattern"):
        schema["pattern"] = f"^(?:{f.prop('pattern')})$"      # the widget matches the whole value
    return schema


def _choice(f: Field, definition: Definition) -> Schema:
    options = static_options(f, definition)
    return {"type": "string", "enum": options} if options is not None else {"type": "string"}


def _date(f: Field, definition: Definition) -> Schema:
    return {"type": "string", "format": "date"}


def _ticked(f: Field, definition: Definition) -> Schema:
    return {"const": True}


def _readonly(f: Field, definition: Definition) -> Schema:
    if f.prop("display") in ("date_iso", "date_compact"):
        return {"type": "string", "format": "date"}
    return {"type": ["string", "number", "boolean"]}


def _phone(f: Field, definition: Definition) -> Schema:
    return {"type": "string", "pattern": "^[0-9]{11}$"}


def _documents(f: Field, definition: Definition) -> Schema:
    return _object({"document": STRING, "number": OPTIONAL_STRING,
                    "files": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/image"}}})


def _photo(f: Field, definition: Definition) -> Schema:
    receipt = {"type": "string", "maxLength": f.prop("receipt_max_length", 30)}
    return _object({"source": {"enum": ["system", "receipt"]}, "upload": UPLOAD, "receipt": receipt},
                   required=("source", "upload"))


def _branch(f: Field, definition: Definition) -> Schema:
    """The chosen branch as the city file declares it (renderer.definition.model.Branch)."""
    hints = get_type_hints(Branch)
    properties = {}
    for item in dataclasses.fields(Branch):
        hint = hints[item.name]
        optional = get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)
        properties[item.name] = OPTIONAL_STRING if optional else STRING
    return _object(properties)


def _region(f: Field, definition: Definition) -> Schema:
    properties: Schema = dict.fromkeys(LEVELS, STRING)
    if f.prop("within"):
        properties["province"] = {"const": f.prop("within")}
    return _object(properties)


def _records(f: Field, definition: Definition) -> Schema:
    columns = f.prop("columns") or []
    return {"type": "array", "minItems": 1,
            "items": {"type": "object", "properties": {c["key"]: {"title": c["label"]} for c in columns}}}


VALUE_RULES: dict[str, ValueRule] = {
    "text": _text, "select": _choice, "radio": _choice, "date": _date, "agreement": _ticked, "notice": _ticked,
    "readonly": _readonly, "phone_code": _phone, "documents": _documents, "photo_choice": _photo,
    "branch_picker": _branch, "region": _region, "record_list": _records,
}


def value_schema(f: Field, definition: Definition) -> Schema:
    """What the field's value may be in an application; null when it may be left empty (or a readonly is unknown)."""
    schema = VALUE_RULES[f.kind](f, definition)
    if f.required is not True or f.kind == "readonly":
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def _object(properties: Schema, required: tuple[str, ...] | None = None) -> Schema:
    return {"type": "object", "required": list(properties if required is None else required),
            "properties": properties, "additionalProperties": False}


# ------------------------------------------------------------------ the whole application

def _always_answered(journey: Journey) -> list[str]:
    """Fields on every route: no condition on their page, section or themselves."""
    return [f.id for p in journey.pages if p.when is True for s in p.sections if s.when is True
            for f in s.fields if f.when is True]


def _answer(f: Field, definition: Definition) -> Schema:
    """One entry of `fields`: when it is this field, its kind and value type are this field's."""
    return {"if": {"properties": {"field": {"const": f.id}}, "required": ["field"]},
            "then": {"properties": {"kind": {"const": f.kind}, "value": value_schema(f, definition)}}}


def payload_schema(definition: Definition, journey: Journey) -> Schema:
    """The schema of the applications `journey` makes (renderer/journey/payload.py builds them)."""
    fields = journey.fields
    answer = _object({
        "page": _object({"id": STRING, "title": STRING}),
        "section": OPTIONAL_STRING,
        "field": {"enum": [f.id for f in fields]},
        "label": STRING,
        "kind": STRING,
        "value": {},
        "display": {"$ref": "#/$defs/display"},
    })
    answer["allOf"] = [_answer(f, definition) for f in fields]
    row = _object({"label": OPTIONAL_STRING, "value": {"anyOf": [STRING, _object({"images": {
        "type": "array", "items": {"type": "array", "prefixItems": [STRING, STRING], "items": False}}})]}})
    return {
        "$schema": DIALECT,
        "$id": schema_address(journey.id),
        "title": journey.title,
        "description": (f"An application of the journey `{journey.id}` ({journey.title}), as submitted and kept: "
                        "every answer on the citizen's route with its page, section, label, value and the text "
                        "the confirm page showed."),
        **_object({
            "format": {"const": FORMAT, "description": "the version of this payload's shape"},
            "schema": {"const": schema_address(journey.id)},
            "journey": _object({"id": {"const": journey.id}, "title": STRING}),
            "form": _object({"version": {**STRING, "description": "content hash of the forms version"},
                             "label": {**STRING, "description": "the version's name (forms/VERSION)"}}),
            "applicant": _object({"name": OPTIONAL_STRING, "id_type": OPTIONAL_STRING, "id_number": OPTIONAL_STRING}),
            "guardian": {**OPTIONAL_STRING, "description": "the signed-in guardian's ID number when the card is "
                                                           "for someone else"},
            "fields": {"type": "array", "items": {"$ref": "#/$defs/answer"},
                       "description": "the answers in the order of the route"},
            "answers": {"type": "object", "additionalProperties": False, "required": _always_answered(journey),
                        "properties": {f.id: {"title": f.label, **value_schema(f, definition)} for f in fields},
                        "description": "each answer's value by field id (the same values as `fields`)"},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/section"},
                         "description": "the confirm page's sections as the citizen saw them"},
        }),
        "$defs": {
            "upload": {"type": "string", "minLength": 1, "description": "an upload's id (/uploads/{id})"},
            "image": _object({"label": STRING, "upload": UPLOAD}),
            "display": {"anyOf": [STRING, {"type": "array", "items": {"$ref": "#/$defs/image"}}]},
            "answer": answer,
            "section": _object({"title": STRING, "rows": {"type": "array", "items": row}}),
        },
    }
