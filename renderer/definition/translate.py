"""One definition per language, made once when the forms load: every text the citizen reads converted, every value
kept as written.

What is shown and what is stored are apart: the engine walks, checks and stores with the Simplified definition (an
answer 汉族 stays 汉族 in the draft and in what the provincial system gets, whatever the citizen reads); a page is
drawn from its language's twin, whose pages, fields, buttons, popups and results carry converted texts. Lists,
cities and resident types are values: the twin keeps them, and `Definition.shown` says how each of their texts is
shown (an option's label; its value stays).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from renderer.definition.languages import LANGUAGES, TRADITIONAL, Converter, has_han
from renderer.definition.model import (
    Block,
    Button,
    ConfirmSection,
    Definition,
    Field,
    Journey,
    Link,
    Page,
    Popup,
    Result,
    Rule,
    Section,
    ShowItem,
    Shown,
)
from widgets.settings import SETTINGS, declared

Say = Callable[[str], str]

# The attributes of each part of a journey that the citizen reads (or that hold parts which have some).
SHOWN_ATTRIBUTES: dict[type, tuple[str, ...]] = {
    Journey: ("title", "steps", "home_link", "pages", "results", "popups"),
    Page: ("title", "step", "note", "banner", "blocks", "sections", "confirm", "buttons"),
    Block: ("title", "lines", "items"),
    Section: ("title", "fields"),
    ConfirmSection: ("title", "shows"),
    ShowItem: ("label",),
    Button: ("label",),
    Link: ("label",),
    Popup: ("title", "text", "buttons"),
    Result: ("title", "text", "buttons"),
    Rule: ("message",),
}
FIELD_ATTRIBUTES = ("label", "hint", "placeholder", "message", "rules")


def texts_in(data: Any) -> Iterator[str]:
    """Every text with a Han character in parsed YAML: values, and keys (a region tree's names are keys)."""
    if isinstance(data, str):
        if has_han(data):
            yield data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from texts_in(key)
            yield from texts_in(value)
    elif isinstance(data, (list, tuple)):
        for value in data:
            yield from texts_in(value)


def with_languages(definition: Definition, texts: Iterable[str],
                   overrides: Mapping[str, Mapping[str, str]]) -> Definition:
    """`definition` (Simplified) carrying its twin in every Traditional language; each text converted once."""
    distinct = set(texts)
    twins = {code: translated(definition, Converter(LANGUAGES[code], overrides.get(code)), distinct)
             for code in TRADITIONAL}
    return dataclasses.replace(definition, translated=twins, overrides=overrides)


def translated(definition: Definition, converter: Converter, texts: Iterable[str]) -> Definition:
    """The twin of `definition` in the converter's language."""
    table = {text: converter.text(text) for text in texts}

    def say(text: str) -> str:
        found = table.get(text)
        return found if found is not None else converter.cached(text)

    journeys = {journey_id: _converted(journey, say) for journey_id, journey in definition.journeys.items()}
    return dataclasses.replace(definition, journeys=journeys, language=converter.language.code, shown=Shown(table),
                               say=say, translated={})


def _converted(value: Any, say: Say) -> Any:
    """`value` with the texts the citizen reads converted; expressions, ids and values as they were."""
    if isinstance(value, str):
        return say(value)
    if isinstance(value, Field):
        return _field(value, say)
    attributes = SHOWN_ATTRIBUTES.get(type(value))
    if attributes is not None:
        return dataclasses.replace(value, **{name: _converted(getattr(value, name), say) for name in attributes})
    if isinstance(value, tuple):
        return tuple(_converted(v, say) for v in value)
    if isinstance(value, list):
        return [_converted(v, say) for v in value]
    if isinstance(value, Mapping):
        return {k: _converted(v, say) for k, v in value.items()}
    return value


def _field(f: Field, say: Say) -> Field:
    """A field's label, hint, messages and the settings its kind shows converted; options, defaults kept."""
    shown = shown_settings(f.kind)
    props = {name: _converted(v, say) if name in shown else v for name, v in f.props.items()}
    changes = {name: _converted(getattr(f, name), say) for name in FIELD_ATTRIBUTES}
    settings = f.settings
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        names = {x.name for x in dataclasses.fields(settings)}
        settings = dataclasses.replace(settings, **{name: _converted(getattr(settings, name), say)
                                                    for name in shown | {"rules"} if name in names})
    return dataclasses.replace(f, props=props, settings=settings, **changes)


@cache
def shown_settings(kind: str) -> frozenset[str]:
    """The settings of a field kind that the citizen reads (widgets/settings.py marks them `shown`)."""
    model = SETTINGS.get(kind)
    return frozenset(name for name, meta, _ in declared(model) if meta.shown) if model else frozenset()
