"""Field settings that contradict themselves: a default no option has, an option twice, a pattern that does not
compile, a least value above the greatest."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean, format_path
from renderer.definition.meaning.domains import Domains
from renderer.definition.meaning.places import Place
from renderer.definition.model import Field
from renderer.definition.typed_text import compiled_pattern

PATTERN_KEYS = ("pattern", "receipt_pattern")
TODAY = "today"


def field_errors(f: Field, at: Any, domains: Domains, today: dt.date) -> list[LoadError]:
    """The problems of one field's settings; `at(*keys)` is the Place of a key of the field."""
    return [*_duplicate_options(f, at), *_default(f, at, domains), *_patterns(f, at), *_limits(f, at, today)]


def _duplicate_options(f: Field, at: Any) -> list[LoadError]:
    written = f.prop("options")
    if not isinstance(written, list):
        return []
    errors: list[LoadError] = []
    first: dict[Any, int] = {}
    for i, option in enumerate(written):
        if option in first:
            place: Place = at("options", i)
            errors.append(problem("option.duplicate", place.position(), format_path(place.path), value=option,
                                  field=f.id, first=at("options", first[option]).position()))
        else:
            first[option] = i
    return errors


def _default(f: Field, at: Any, domains: Domains) -> list[LoadError]:
    options = domains.options(f)
    default = f.default
    if options is None or default is None or "default" in f.exprs or str(default) in options:
        return []
    place: Place = at("default")
    return [problem("field.default_not_option", place.position(), format_path(place.path), value=default,
                    field=f.id, label=f.label, choices=", ".join(options[:20]),
                    suggestion=did_you_mean(str(default), options))]


def pattern_error(pattern: Any, place: Place, what: str) -> LoadError | None:
    """A problem at the place where the pattern stops being a regular expression, or None when it compiles."""
    if not isinstance(pattern, str):
        return None
    try:
        compiled_pattern(pattern)       # compiled as answers are matched (ASCII classes)
    except re.error as exc:
        offset = exc.pos or 0
        return problem("pattern.invalid", place.token(pattern, offset), format_path(place.path), what=what,
                       pattern=pattern, reason=exc.msg)
    return None


def _patterns(f: Field, at: Any) -> list[LoadError]:
    errors = []
    for key in PATTERN_KEYS:
        found = pattern_error(f.prop(key), at(key), f"{f.id}.{key}")
        if found is not None:
            errors.append(found)
    return errors


def _limits(f: Field, at: Any, today: dt.date) -> list[LoadError]:
    low, high = f.prop("min_length"), f.prop("max_length")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        place: Place = at("min_length")
        return [problem("field.min_above_max", place.position(), format_path(place.path), field=f.id,
                        low_key="min_length", low=low, high_key="max_length", high=high)]
    if f.kind != "date":
        return []
    first, last = _day(f.prop("min"), today), _day(f.prop("max"), today)
    if first is not None and last is not None and first > last:
        place = at("min")
        return [problem("field.min_above_max#date", place.position(), format_path(place.path), field=f.id,
                        low=f.prop("min"), high=f.prop("max"))]
    return []


def _day(value: Any, today: dt.date) -> dt.date | None:
    if value == TODAY:
        return today
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None
