"""Every problem the loader can report, with its stable code, in one place (like pyxform's errors.py).

An entry's key is the code the analyst sees (`page.dead_end`), or the code plus `#variant` when one code is
worded differently for different cases (`page.dead_end#confirm`); the reported code never includes the variant.
`message` and `hint` are str.format templates with named fields; `title` says in one line what the mistake is,
for the docs and `yss lint --explain CODE`.

Build a problem with `problem(key, position, path, **fields)`; nothing outside this module writes problem text.
"""
from __future__ import annotations

import difflib
import string
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from renderer.definition import catalogue_formats, catalogue_meaning, catalogue_security, catalogue_settings
from renderer.definition.errors import WARNING, Entry, LoadError
from renderer.definition.model import Position

VARIANT = "#"

_E = Entry
_CATALOGUE: dict[str, Entry] = {
    # ------------------------------------------------------------------ reading the file
    "yaml.encoding": _E(
        "The file is not saved as UTF-8.",
        "the file is not UTF-8 ({reason})",
        "save the file as UTF-8"),
    "yaml.duplicate_key": _E(
        "A key is written twice in one mapping.",
        "a key is written twice in one mapping: {problem}",
        "keep one of them; YAML would silently use the last"),
    "yaml.syntax": _E(
        "The file is not valid YAML.",
        "YAML syntax error: {problem}{opened}",
        "check indentation, and quote texts that contain ': ' or start with {{ [ * & ! | >"),
    "yaml.syntax#tabs": _E(
        "The file is indented with tabs.",
        "YAML syntax error: {problem}{opened}",
        "replace the tab character (U+0009, often pasted from Word or Excel) with spaces: YAML indents with "
        "spaces only, not tabs"),
    "yaml.fullwidth_colon": _E(
        "A full-width colon （：） typed where a key's colon belongs, so YAML does not see the key.",
        "'{key}' is followed by a full-width colon '：' (U+FF1A), not YAML's ':'.",
        "type the ASCII colon and a space: `{key}: ...` (switch the input method to English punctuation); "
        "YAML reads '{key}：...' as one text and the key is lost"),
    "yaml.fullwidth_comma": _E(
        "A full-width comma （，） typed between the entries of a { } mapping, so the entries run together.",
        "a full-width comma '，' (U+FF0C) stands before '{key}:' where YAML needs ','.",
        "type the ASCII comma: `, {key}: ...`; inside {{ }} YAML separates entries only with ','"),
    "yaml.syntax#unmarked": _E(
        "The file is not valid YAML (the parser gave no position).",
        "YAML error: {error}",
        "fix the YAML so that it parses"),
    "file.unknown_kind": _E(
        "The file does not start with one of the known top-level keys.",
        "the file is not a journey, fragment, list, city, resident types or translations file.",
        "start it with one of the keys journey:, fragment:, list:, city:, residents:, translations:"),
    # ------------------------------------------------------------------ structure (forms/schema)
    "schema.unknown_key": _E(
        "A key that this entry does not have (often a misspelling).",
        "unknown key '{key}' in {where}.",
        "remove it, or use one of: {choices}.{suggestion}"),
    "schema.unknown_key#top": _E(
        "A top-level key that the file does not have (often a misspelling).",
        "unknown key '{key}'.",
        "remove it, or use one of: {choices}.{suggestion}"),
    "schema.missing_key": _E(
        "A key this entry must have is missing.",
        "'{key}' is required here.",
        "add '{key}:' to this entry"),
    "schema.bad_value": _E(
        "A value that is not one of the allowed choices.",
        "'{value}' is not allowed here.",
        "use one of: {choices}.{suggestion}"),
    "schema.bad_value#const": _E(
        "A key that only allows one fixed value has another.",
        "only {value} is allowed here.",
        "write {value}, or remove the key (to stay on the page use popup: or message:)"),
    "schema.date_unquoted": _E(
        "A date written without quotes, so YAML reads it as a date instead of text.",
        "an unquoted date was read as a date, not as text.",
        "quote it: \"{date}\""),
    "schema.bad_type": _E(
        "A value of the wrong kind (text, list, mapping, number, true/false).",
        "expected {expected}, found {found}.",
        "write {expected} here"),
    "schema.bad_id": _E(
        "A name (id) that is not lowercase letters, digits and underscores.",
        "'{value}' is not a valid name.",
        "use lowercase letters, digits and underscores, starting with a letter"),
    "schema.minItems": _E(
        "A list that is shorter than it must be (often empty).",
        "{detail}",
        "see forms/schema for what is allowed"),
    "schema.minLength": _E(
        "A text that is shorter than it must be (often empty).",
        "{detail}",
        "see forms/schema for what is allowed"),
    "schema.minimum": _E(
        "A number that is smaller than allowed.",
        "{detail}",
        "see forms/schema for what is allowed"),
    "schema.oneOf": _E(
        "An entry that matches none (or more than one) of the shapes allowed here.",
        "{detail}",
        "see forms/schema for what is allowed"),
    "schema.uniqueItems": _E(
        "A list that holds the same item twice.",
        "'{item}' is listed twice: as item {first} and again as item {place}.",
        "remove this one; each item is listed once (the citizen would see it twice)"),
    "schema.other": _E(
        "Any other break of forms/schema (a schema rule this catalogue has no entry for yet).",
        "{detail}",
        "see forms/schema for what is allowed"),
    # ------------------------------------------------------------------ names declared twice
    "list.duplicate": _E(
        "Two list files declare the same list name.",
        "list '{name}' is declared twice.",
        "also in {other}; rename one"),
    "fragment.duplicate": _E(
        "Two fragment files declare the same fragment name.",
        "fragment '{name}' is declared twice.",
        "also in {other}; rename one"),
    "page.duplicate_id": _E(
        "Two pages of one journey have the same id.",
        "page id '{page}' is used twice.",
        "first used at {first}; give every page its own id"),
    "field.duplicate_id": _E(
        "Two fields of one journey have the same id.",
        "field id '{field}' is used twice in this journey.",
        "first used at {first}; rename one of them"),
    "field.reserved_id": _E(
        "A field id that is a reserved expression name (person, lists, today, ...).",
        "'{field}' is a reserved name.",
        "do not name a field any of: {reserved}"),
    # ------------------------------------------------------------------ expressions
    "expr.syntax": _E(
        "An expression (condition, value or {placeholder}) that does not parse.",
        "in expression '{text}': {detail}",
        "write the condition like: pickup_method == '邮寄到付' and not empty(branch)"),
    "expr.unknown_name": _E(
        "An expression names something that is not a field of the journey or a known context.",
        "in expression '{text}': {detail}",
        "use a field id of this journey, or person / resident / lists / cities / derived / today"),
    "expr.unknown_name#member": _E(
        "An expression reads a part of person / resident / lists / outcome / applicant that does not exist.",
        "'{name}' is not defined.",
        "use one of: {choices}.{suggestion}"),
    "expr.unknown_function": _E(
        "An expression calls a function that does not exist.",
        "in expression '{text}': {detail}",
        "functions are: {functions}"),
    "expr.arity": _E(
        "An expression calls a function with the wrong number of values.",
        "in expression '{text}': {detail}",
        "check how many values the function takes"),
    "expr.used_before_set": _E(
        "A condition reads a field that is only asked on a later page.",
        "'{name}' is read here, but it is only asked on a later page.",
        "move the condition to that page or after it, or ask the field earlier"),
    # ------------------------------------------------------------------ pages and buttons
    "page.unknown_step": _E(
        "A page names a step that the journey's steps: list does not have.",
        "step '{step}' is not one of the journey's steps.",
        "use one of: {choices}.{suggestion}"),
    "page.confirm_with_fields": _E(
        "A confirm page that also asks fields.",
        "a confirm page cannot also have fields.",
        "move the fields to their own page"),
    "page.unreachable": _E(
        "A page that no button leads to.",
        "page '{page}' ({title}) cannot be reached.",
        "no button of an earlier page leads on to it: give the page before it an `ok: {{next: true}}` outcome, "
        "or a goto to it"),
    "page.unreachable#result": _E(
        "A result that no outcome names.",
        "result '{result}' is named by no outcome.",
        "route an outcome to it (`{{result: {result}}}`) or remove it"),
    "page.dead_end": _E(
        "A page whose buttons all stay on the page.",
        "page '{page}' ({title}) has no button that leads on.",
        "give a button an outcome such as `ok: {{next: true}}`, a goto, a result or a journey"),
    "page.dead_end#confirm": _E(
        "A confirm page whose buttons never lead to a result.",
        "confirm page '{page}' never leads to a result.",
        "route its submit button's outcomes to results: `ok: {{result: submitted}}`"),
    "button.no_ok": _E(
        "A button that says nothing for the outcome 'ok'.",
        "button '{label}' says nothing for the outcome 'ok'.",
        "add `on: {{ok: {{next: true}}}}` (or a goto/result)"),
    "route.targets": _E(
        "An outcome that says none, or more than one, of where to go.",
        "outcome '{outcome}' must say exactly one of next, goto, result, popup, message, journey, error "
        "(it says {targets}).",
        "keep one of them; `page` and `entry` go with `journey`"),
    "call.unknown_argument": _E(
        "A service call is given an argument the service does not take.",
        "{service} takes no argument '{name}'.",
        "its arguments are: {choices}.{suggestion}"),
    "route.unknown_outcome": _E(
        "A button routes an outcome that none of its services can give, so the route is never taken.",
        "button '{button}' routes the outcome '{code}', which it can never get ({services}).",
        "outcomes here are: {choices}.{suggestion}"),
    "confirm.edit_not_before": _E(
        "A 修改 link on a confirm page edits a page that does not come before it.",
        "修改 of '{section}' edits '{page}', which is not on the route before this confirm page.",
        "edit one of: {choices}"),
    "receipt.unknown_section": _E(
        "A receipt names a section that no confirm page of the journey has, so it would be left out of the receipt.",
        "the receipt shows section '{section}', which no confirm page has.",
        "confirm sections are: {choices}.{suggestion}"),
    # ------------------------------------------------------------------ references
    "ref.unknown_fragment": _E(
        "An include: names a fragment that does not exist.",
        "no fragment named '{name}'.",
        "fragments are: {choices}.{suggestion}"),
    "include.in_fragment": _E(
        "A fragment includes another fragment; only a journey may include fragments.",
        "fragment '{fragment}' includes '{target}', but a fragment cannot include another fragment.",
        "remove this entry and write `- include: {target}` in each journey that includes '{fragment}', "
        "next to `- include: {fragment}`"),
    "include.cycle": _E(
        "Fragments that include each other in a circle, so their pages would never end.",
        "fragment '{fragment}' includes '{target}', which leads back to '{fragment}': {cycle}.",
        "a fragment cannot include another fragment: remove this entry and include both from the journey"),
    "ref.unknown_journey": _E(
        "A link or outcome names a journey that does not exist.",
        "no journey with id '{journey}'.",
        "journeys are: {choices}.{suggestion}"),
    "ref.unknown_page": _E(
        "A goto or edit names a page that the journey does not have.",
        "no page with id '{value}'.",
        "pages are: {choices}.{suggestion}"),
    "ref.unknown_page#none_yet": _E(
        "A goto or edit names a page, but the journey has no pages.",
        "no page with id '{value}'.",
        "there is no page yet: declare it first"),
    "ref.unknown_page#override": _E(
        "An include's override: names a page that the fragment does not have.",
        "fragment '{fragment}' has no page '{page}' to override.",
        "its pages are: {choices}.{suggestion}"),
    "ref.unknown_page#journey": _E(
        "A link to another journey names a page that journey does not have.",
        "journey '{journey}' has no page '{page}'.",
        "its pages are: {choices}.{suggestion}"),
    "ref.unknown_field": _E(
        "A confirm page or an error outcome names a field that the journey does not have.",
        "no field with id '{value}'.",
        "fields are: {choices}.{suggestion}"),
    "ref.unknown_field#none_yet": _E(
        "A confirm page or an error outcome names a field, but the journey has no fields.",
        "no field with id '{value}'.",
        "there is no field yet: declare it first"),
    "ref.unknown_result": _E(
        "An outcome names a result that the journey does not have.",
        "no result with id '{value}'.",
        "results are: {choices}.{suggestion}"),
    "ref.unknown_result#none_yet": _E(
        "An outcome names a result, but the journey has no results.",
        "no result with id '{value}'.",
        "there is no result yet: declare it first"),
    "ref.unknown_popup": _E(
        "An outcome, guard or confirm: names a popup that the journey does not have.",
        "no popup with id '{value}'.",
        "popups are: {choices}.{suggestion}"),
    "ref.unknown_popup#none_yet": _E(
        "An outcome, guard or confirm: names a popup, but the journey has no popups.",
        "no popup with id '{value}'.",
        "there is no popup yet: declare it first"),
    "ref.unknown_popup#field": _E(
        "A field's popups: names a popup that the journey does not declare.",
        "no popup named '{popup}'.",
        "declare it under popups:.{suggestion}"),
    # ------------------------------------------------------------------ data files and whole-form checks
    "city.unknown_district": _E(
        "A branch is in a district that its city does not list.",
        "branch '{branch}' is in '{district}', which is not one of {city}'s districts.",
        "use one of: {choices}.{suggestion}"),
    "city.not_issuing": _E(
        "A city file for a city that lists/issuing_cities.yaml does not name.",
        "'{city}' is not in lists/issuing_cities.yaml.",
        "add it there, or fix the name.{suggestion}"),
    "list.unused": _E(
        "A list that no journey uses.",
        "list '{name}' is not used by any journey.",
        "use it as `options: lists.{name}`, or delete {file}", WARNING),
    "text.missing": _E(
        "A text the citizen would see is empty.",
        "'{key}' is empty: the citizen would see nothing.",
        "write the text as the manual has it, or remove the key"),
    "translation.unknown_text": _E(
        "An override in forms/translations.yaml names words that no text of the forms has.",
        "'{words}' is in no text of the forms, so this {language} override changes nothing.",
        "write the Simplified words exactly as a text of the forms has them (the text may have been reworded), "
        "or delete the override.{suggestion}"),
    # ------------------------------------------------------------------ the checker itself
    "internal.unexpected": _E(
        "The checks failed on this file because of a bug in the checker, not (necessarily) in the YAML.",
        "the checker failed on this file ({error}); the other files were still checked.",
        "report it with this file attached; meanwhile look for an unusual construct near what you last changed"),
}
# Each area of checks keeps its entries in a module of its own; the codes stay one catalogue.
for _area in (catalogue_formats, catalogue_meaning, catalogue_settings, catalogue_security):
    _clash = set(_area.ENTRIES) & set(_CATALOGUE)
    assert not _clash, f"catalogue codes declared twice: {sorted(_clash)}"
    _CATALOGUE.update(_area.ENTRIES)
CATALOGUE: Mapping[str, Entry] = MappingProxyType(_CATALOGUE)

# Pieces of wording that several messages share, computed by the caller and passed in as fields.
PHRASES: Mapping[str, str] = MappingProxyType({
    "did_you_mean": " Did you mean '{name}'?",
    "opened_at": " ({context} opened at line {line}, column {column})",
    "invalid_yaml": "invalid YAML",
    "none": "none",
    "either": " or ",
})
# How forms/schema's types, and the Python types of what YAML read, are named in messages.
SCHEMA_TYPES: Mapping[str, str] = MappingProxyType({
    "string": "a text", "array": "a list", "object": "a mapping", "boolean": "true or false",
    "integer": "a whole number", "number": "a number",
})
VALUE_TYPES: Mapping[str, str] = MappingProxyType({
    "bool": "true/false", "dict": "a mapping", "list": "a list", "str": "a text", "int": "a number",
    "float": "a number", "NoneType": "nothing",
})


def code_of(key: str) -> str:
    """The code a catalogue key reports: the key without its `#variant`."""
    return key.split(VARIANT, 1)[0]


def problem(code: str, position: Position, path: str = "", /, **fields: object) -> LoadError:
    """The LoadError for catalogue entry `code` (a code or code#variant), its templates filled from `fields`.

    An unknown code or a field the templates name but `fields` lacks is a programming error: KeyError.
    """
    entry = CATALOGUE[code]
    return LoadError(code_of(code), entry.message.format(**fields), position, path, entry.hint.format(**fields),
                     entry.severity)


def phrase(phrase_name: str, /, **fields: object) -> str:
    return PHRASES[phrase_name].format(**fields)


@cache
def template_fields(template: str) -> frozenset[str]:
    """The named fields a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def keys_for(code: str) -> list[str]:
    """The catalogue keys that report `code` (the code itself first, then its variants)."""
    if code in CATALOGUE and VARIANT in code:
        return [code]
    return [key for key in CATALOGUE if code_of(key) == code]


def explain(code: str) -> str:
    """The title, message template and hint of `code` (every variant of it), for `yss lint --explain`."""
    keys = keys_for(code)
    if not keys:
        codes = sorted({code_of(k) for k in CATALOGUE})
        close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
        raise KeyError(f"unknown code '{code}'.{phrase('did_you_mean', name=close[0]) if close else ''}")
    blocks = []
    for key in keys:
        entry = CATALOGUE[key]
        blocks.append(f"{key}: {entry.title}\n    message: {_shown(entry.message)}\n    hint:    {_shown(entry.hint)}")
    return "\n\n".join(blocks)


def _shown(template: str) -> str:
    """A template as the analyst reads it: fields stay `{name}`, doubled braces become single ones."""
    return template.format(**{name: f"{{{name}}}" for name in template_fields(template)})
