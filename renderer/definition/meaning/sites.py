"""Every expression of a built journey, with where it is written and what it is for."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from renderer.definition.expressions import Expression
from renderer.definition.meaning.places import JourneyPlaces, Place
from renderer.definition.model import Condition, Journey

CONDITION, CHECK, VALUE = "condition", "check", "value"


@dataclass(frozen=True)
class Site:
    expr: Expression
    place: Place
    role: str        # condition (when, required, enabled, guard), check (a rule) or value


def _condition(value: Condition, place: Place, role: str = CONDITION) -> Iterator[Site]:
    if isinstance(value, Expression):
        yield Site(value, place, role)


def sites(journey: Journey, places: JourneyPlaces) -> Iterator[Site]:
    """The journey's expressions in the order they are written."""
    for name, expr in journey.derived.items():
        yield Site(expr, Place(places.doc, ("derived", name)), VALUE)
    for name, expr in journey.applicant.items():
        yield Site(expr, Place(places.doc, ("applicant", name)), VALUE)
    for page, pp in zip(journey.pages, places.pages):
        yield from _condition(page.when, pp.at("when"))
        for s, section in enumerate(page.sections):
            if pp.section_path(s) != ("fields",):
                yield from _condition(section.when, pp.at(*pp.section_path(s), "when"))
        for f, rel in pp.fields(page):
            for key in ("when", "required", "enabled"):
                yield from _condition(getattr(f, key), pp.at(*rel, key))
            for key, expr in f.exprs.items():
                yield Site(expr, pp.at(*rel, key), VALUE)
            for i, rule in enumerate(f.rules):
                yield Site(rule.check, pp.at(*rel, "rules", i, "check"), CHECK)
        written = page.buttons if pp.raw.get("buttons") else ()     # the default 下一步 has nothing written
        for b, button in enumerate(written):
            yield from _condition(button.enabled, pp.at("buttons", b, "enabled"))
            for g, (when, _) in enumerate(button.guards):
                yield Site(when, pp.at("buttons", b, "guards", g, "when"), CONDITION)
            for c, call in enumerate(button.calls):
                for name, expr in call.args.items():
                    yield Site(expr, pp.at("buttons", b, "calls", c, "with", name), VALUE)
        for c, confirm in enumerate(page.confirm):
            yield from _condition(confirm.when, pp.at("confirm", c, "when"))
            for j, item in enumerate(confirm.shows):
                if item.value is not None:
                    yield Site(item.value, pp.at("confirm", c, "shows", j, "value"), VALUE)
