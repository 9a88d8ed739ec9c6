"""Where a journey can go: required fields never shown, pages whose buttons are never enabled, popup buttons
that lead nowhere, popups nothing raises, and loops of pages with no way out."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, format_path
from renderer.definition.meaning.conditions import always_false
from renderer.definition.meaning.domains import Domains
from renderer.definition.meaning.places import JourneyPlaces, Place
from renderer.definition.model import Journey, Link, Route

EXIT = "<exit>"      # a result, another journey, an address: the journey's pages are left


def hidden_required_errors(journey: Journey, places: JourneyPlaces, domains: Domains) -> list[LoadError]:
    """Required fields that no answer ever shows (their own, their section's or their page's `when`)."""
    errors = []
    for page, pp in zip(journey.pages, places.pages):
        page_hidden = always_false(page.when, domains)
        for s, section in enumerate(page.sections):
            section_hidden = page_hidden or always_false(section.when, domains)
            for j, f in enumerate(section.fields):
                if f.required is False or always_false(f.required, domains):
                    continue
                why = ("its page's" if page_hidden else "its section's" if section_hidden
                       else "its" if always_false(f.when, domains) else None)
                if why is None:
                    continue
                place = pp.at(*pp.fields_path(s), j)
                errors.append(problem("field.required_never_shown", place.position(), format_path(place.path),
                                      field=f.id, label=f.label, why=why))
    return errors


def disabled_page_errors(journey: Journey, domains: Domains) -> list[LoadError]:
    """Pages with buttons none of which can ever be enabled."""
    return [problem("page.no_enabled_button", page.position, page=page.id, title=page.title)
            for page in journey.pages
            if page.buttons and all(always_false(b.enabled, domains) for b in page.buttons)]


def _links(journey: Journey, places: JourneyPlaces) -> Iterator[tuple[Link, Place]]:
    for popup_id, popup in journey.popups.items():
        place = places.popups.get(popup_id)
        for i, link in enumerate(popup.buttons):
            if place is not None:
                yield link, place.at("buttons", i)
    for result_id, result in journey.results.items():
        place = places.results.get(result_id)
        for i, link in enumerate(result.buttons):
            if place is not None:
                yield link, place.at("buttons", i)


def link_errors(journey: Journey, places: JourneyPlaces, remembered: set[str]) -> list[LoadError]:
    """Popup and result buttons that lead nowhere; `remembered` are the journeys some link enters with a return."""
    errors = []
    for link, place in _links(journey, places):
        for key, given in (("page", link.page), ("remember", link.remember)):
            if given and not link.journey:
                at = place.at(key)
                errors.append(problem("link.without_journey", at.key_position(), format_path(at.path),
                                      label=link.label, key=key))
        if link.goto == "return" and not link.journey and not link.href and journey.id not in remembered:
            at = place.at("goto")
            errors.append(problem("link.return_never_set", at.position(), format_path(at.path), label=link.label,
                                  journey=journey.id))
    for page, pp in zip(journey.pages, places.pages):
        for b, button in enumerate(page.buttons if pp.raw.get("buttons") else ()):
            for code, route in button.on.items():
                for key, given in (("page", route.page), ("entry", route.entry)):
                    if given and not route.journey:
                        at = pp.at("buttons", b, "on", code, key)
                        errors.append(problem("link.without_journey", at.key_position(), format_path(at.path),
                                              label=button.label, key=key))
    return errors


def raised_popups(journey: Journey) -> set[str]:
    """The popups some route, guard, confirm: or field service of the journey opens."""
    raised = set()
    for page in journey.pages:
        for button in page.buttons:
            raised |= {r.popup for r in [*button.on.values(), *(g for _, g in button.guards)] if r.popup}
            if button.confirm:
                raised.add(button.confirm)
        for f in page.fields:
            popups = f.prop("popups")
            if isinstance(popups, Mapping):
                raised |= {str(p) for p in popups.values()}
    return raised


def unused_popup_errors(declared: Iterable[tuple[Place, bool]]) -> list[LoadError]:
    """A warning at each popup no journey that has it ever opens (`declared`: its place, opened somewhere)."""
    errors = []
    for place, opened in declared:
        if not opened:
            errors.append(problem("popup.unused", place.key_position(), format_path(place.path),
                                  popup=place.path[-1], file=place.doc.file))
    return errors


def loop_errors(journey: Journey) -> list[LoadError]:
    """Sets of pages whose routes lead only among themselves: no result, no other journey, no way out."""
    edges = {page.id: _targets(journey, i) for i, page in enumerate(journey.pages)}
    escapes = {EXIT}
    changed = True
    while changed:
        changed = False
        for page_id, targets in edges.items():
            if page_id not in escapes and targets & escapes:
                escapes.add(page_id)
                changed = True
    errors = []
    reported: set[str] = set()
    for page in journey.pages:
        if page.id in escapes or page.id in reported or not edges[page.id]:
            continue
        loop = _cycle_through(page.id, edges)
        if not loop or reported & set(loop):
            continue
        reported |= set(loop)
        order = [p.id for p in journey.pages]
        first = min(loop, key=order.index)
        loop = loop[loop.index(first):] + loop[:loop.index(first)]
        where = journey.pages[order.index(first)]
        errors.append(problem("page.loop", where.position, loop=" → ".join([*loop, first])))
    return errors


def _targets(journey: Journey, index: int) -> set[str]:
    page = journey.pages[index]
    targets: set[str] = set()
    for button in page.buttons:
        for route in [*button.on.values(), *(g for _, g in button.guards)]:
            targets |= _route_targets(journey, index, route)
    if page.is_confirm and not targets:
        targets.add(EXIT)        # page.dead_end reports it
    return targets


def _route_targets(journey: Journey, index: int, route: Route) -> set[str]:
    """Every place the route names (route.targets reports a route that names more than one)."""
    pages = journey.pages
    found: set[str] = set()
    if route.result or route.journey:
        found.add(EXIT)
    if route.goto:
        found.add(route.goto)
    if route.next:
        for page in pages[index + 1:]:
            found.add(page.id)
            if page.when is True:
                break
        else:
            found.add(EXIT)        # past the last page: the walker decides
    if route.popup and route.popup in journey.popups:
        for link in journey.popups[route.popup].buttons:
            if link.journey or link.href or link.goto == "return":
                found.add(EXIT)
            elif link.goto:
                found.add(pages[0].id if link.goto == "start" else link.goto)
    return found


def _cycle_through(start: str, edges: Mapping[str, set[str]]) -> list[str]:
    """The pages of a cycle reachable from `start` (depth first, in the journey's order), else []."""
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(node: str) -> list[str]:
        if node in on_path:
            return path[path.index(node):]
        if node in done or node not in edges:
            return []
        path.append(node)
        on_path.add(node)
        for target in sorted(edges[node]):
            found = visit(target)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return []

    return visit(start)
