"""Catalogue entries for field settings, typed per widget kind; catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import Entry

ENTRIES: dict[str, Entry] = {
    "field.unknown_setting": Entry(
        "A setting that no field kind has (often a misspelling).",
        "a {kind} field has no setting '{key}'.",
        "remove it, or use one of: {choices}.{suggestion}"),
    "field.unknown_setting#not_a_name": Entry(
        "A key that cannot be a setting name, usually the rest of a text that a comma or ': ' split off.",
        "a {kind} field has no setting '{key}'; a setting name is lowercase latin letters, digits and _.",
        "if it is part of the text before it, quote that text (inside {{ }} an unquoted ',' or ': ' ends it); "
        "otherwise remove it. A {kind} field takes: {choices}."),
    "field.unknown_setting#other_kind": Entry(
        "A setting of another field kind, which this field's kind does not take.",
        "a {kind} field has no setting '{key}'; only {kinds} fields do.",
        "remove it, or use one of the settings a {kind} field takes: {choices}.{suggestion}"),
    "field.literal_for_expression": Entry(
        "A plain text written where a setting always takes an expression.",
        "'{key}' is always an expression, and '{text}' is not one.",
        "write an expression over answers and data (e.g. {key}: {example}); for a fixed text, quote it inside the "
        "expression: {key}: \"'{text}'\""),
    "field.literal_for_expression#options": Entry(
        "Options written as one text instead of a list.",
        "'options' is the text '{text}': a text always names a list (e.g. {example}), and this is not one.",
        "write the choices as a YAML list: [a, b] (quote a choice that contains a comma), or name a list, e.g. "
        "{key}: {example}"),
    "field.literal_for_expression#default_from": Entry(
        "A fixed initial value written under default_from, which always takes an expression.",
        "'{key}' is always an expression, and '{text}' is not one.",
        "for a fixed initial value write `default: {text}`; default_from reads a value, e.g. {key}: {example}"),
    "field.expression_in_literal": Entry(
        "A `default:` that reads like an expression: default is always the text as written.",
        "'default' is always a literal, so the field would start with the text '{text}' itself.",
        "to start with the value of {text}, write `default_from: {text}` instead"),
    "field.two_defaults": Entry(
        "A field with both `default:` and `default_from:`.",
        "'default' and 'default_from' are both given; a field starts from one of them.",
        "keep `default:` for a fixed initial value, or `default_from:` to read it from an expression"),
}
