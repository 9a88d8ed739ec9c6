"""Catalogue entries for what the forms mean: options, dates, conditions, reachability, data files; catalogue.py merges them into the one catalogue."""
from __future__ import annotations

from renderer.definition.errors import WARNING, Entry

ENTRIES: dict[str, Entry] = {
    # ------------------------------------------------------------------ options and defaults
    "option.unknown_value": Entry(
        "A condition compares a field with a value that is not one of its options, so that part never matches "
        "(an error: what it guards silently never happens).",
        "'{value}' is not one of the options of '{field}' ({label}): this comparison never matches.",
        "its options are: {choices}.{suggestion}"),
    "option.duplicate": Entry(
        "A field lists the same option twice (an error: the citizen sees it twice and the two cannot be told "
        "apart).",
        "option '{value}' of '{field}' is listed twice.",
        "first listed at {first}; remove this one"),
    "field.default_not_option": Entry(
        "A field's default is not one of its options (an error: the field starts with an answer it cannot "
        "take).",
        "the default '{value}' of '{field}' ({label}) is not one of its options.",
        "use one of: {choices}.{suggestion}"),
    # ------------------------------------------------------------------ conditions
    "expr.date_vs_text": Entry(
        "A date is compared with a text that is not a date, so the comparison always gives the same answer "
        "(an error).",
        "'{date}' is a date, but it is compared with the text '{value}': the comparison is always {always}.",
        "compare with a date written 'YYYY-MM-DD' (quoted), or with today(), add_years(…) or a date field"),
    "expr.date_vs_text#field": Entry(
        "A date is compared with a text field (a warning: it only works when the citizen types an ISO date).",
        "'{date}' is a date, but it is compared with '{other}' ({label}), a text field.",
        "compare dates with dates: a date field, today(), add_years(…) or birth_date_of(…)", WARNING),
    "condition.always_false": Entry(
        "A condition that no answer can make true (an error: what it shows or checks never happens).",
        "'{text}' is always false, whatever the citizen answers.",
        "with the options the fields it reads can have, nothing makes it true: check 'and' against 'or' "
        "(x == 'a' and x == 'b' is never true) and each value against the field's options"),
    "condition.always_true": Entry(
        "A condition that no answer can make false (a warning: it is not a condition at all, and was likely meant "
        "to be one).",
        "'{text}' is always true, whatever the citizen answers.",
        "check 'or' against 'and' (x != 'a' or x != 'b' is always true), or remove the condition", WARNING),
    # ------------------------------------------------------------------ field settings
    "pattern.invalid": Entry(
        "A pattern that is not a regular expression (an error: no value could ever be checked against it).",
        "{what} '{pattern}' is not a valid regular expression: {reason}.",
        "fix the expression at this column; a literal [ ] ( ) {{ }} . + * ? needs a backslash before it"),
    "field.min_above_max": Entry(
        "A field's least length is greater than its greatest (an error: no value can pass).",
        "'{field}': {low_key} {low} is greater than {high_key} {high}, so no value can pass.",
        "lower {low_key} or raise {high_key}"),
    "field.min_above_max#date": Entry(
        "A date field's earliest date is after its latest (an error: no date can pass; `today` counts as today).",
        "'{field}': min {low} is after max {high}, so no date can pass.",
        "swap them, or correct the date; min and max are YYYY-MM-DD or today"),
    # ------------------------------------------------------------------ reachability
    "field.required_never_shown": Entry(
        "A required field that is never shown (an error: the application always goes without it).",
        "required field '{field}' ({label}) is never shown: {why} `when` is always false.",
        "correct the condition, or remove the field if it is no longer asked"),
    "page.no_enabled_button": Entry(
        "A page none of whose buttons can ever be enabled (an error: a citizen who reaches it is stuck).",
        "page '{page}' ({title}) has no button that can ever be enabled.",
        "remove `enabled: false` from a button, or correct its condition"),
    "page.loop": Entry(
        "Pages whose routes lead only among themselves, never to a result or another journey (an error: a citizen "
        "there can never finish).",
        "pages {loop} lead only among themselves: no route leads out to a result or another journey.",
        "give one of them a route out: `ok: {{next: true}}` to a later page, a result or a journey"),
    "link.without_journey": Entry(
        "A button gives `page:`, `remember:` or `entry:`, which only apply with `journey:` (an error: it does not "
        "go where it says).",
        "button '{label}' gives '{key}' without 'journey', so '{key}' is ignored.",
        "add `journey: <id>` next to '{key}' (or use `goto: <page>` for a page of this journey)"),
    "link.return_never_set": Entry(
        "A `goto: return` in a journey no button enters with `remember: true` (an error: the button leads "
        "nowhere).",
        "button '{label}' goes back to the return point, but nothing enters journey '{journey}' with one.",
        "add `journey:` (and `page:`) to this button as where it goes otherwise, or enter '{journey}' with "
        "`remember: true`"),
    "popup.unused": Entry(
        "A popup that no route, guard, confirm or field service opens (a warning: dead text, or a route that was "
        "meant to open it).",
        "popup '{popup}' is never opened.",
        "open it from a button outcome (`{{popup: {popup}}}`), a guard, a `confirm:` or a field's popups:, "
        "or delete it from {file}", WARNING),
    # ------------------------------------------------------------------ data files
    "city.missing_key": Entry(
        "A city lacks a key that the journeys read (cities[…].<key>) (a warning: the citizen sees an empty value).",
        "city {city} has no '{key}', which the journeys read.",
        "add `{key}:` to this city's file (quoted)", WARNING),
    "city.no_branches": Entry(
        "A city with no branches while the journeys offer a branch list (an error: its citizens cannot choose "
        "one).",
        "city {city} has no branches.",
        "add its 受理网点 under branches:, or remove it from lists/issuing_cities.yaml"),
    "city.no_file": Entry(
        "An issuing city without a file in cities/ (an error: its banks and branches are empty).",
        "'{city}' is offered as an issuing city, but cities/ has no file for it.",
        "add cities/<pinyin>.yaml (see docs/analysts.md, Add a city), or fix the name.{suggestion}"),
    "resident.missing_key": Entry(
        "A resident type lacks a key that an expression reads (a warning: it reads as empty for them; the keys a "
        "field takes its choices from are required by the schema).",
        "resident type '{resident}' has no '{key}', which an expression reads as resident.{key}.",
        "add `{key}:` to '{resident}' in residents.yaml", WARNING),
}

