"""A journey's `verify:` (the face check) read into the model, and the checks that no route goes around it.

The engine makes sure of a declared verification on every request for a page that needs it; these checks tell the
analyst, at load, where a route would have reached such a page without the check, so the journey never relies on
the engine stopping a citizen mid-way.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, did_you_mean
from renderer.definition.flow import _next_pages
from renderer.definition.model import Button, Journey, Position, Route, Verification
from renderer.services.registry import SERVICES


def read_verifications(raw: Sequence[Any], page_ids: Sequence[str], where: Any) -> tuple[
        tuple[Verification, ...], list[LoadError]]:
    """The declared verifications; `where(path)` gives the (position, path) of a place under `verify`."""
    found: list[Verification] = []
    errors: list[LoadError] = []
    seen: set[str] = set()
    for i, item in enumerate(raw or ()):
        service, start = str(item["service"]), str(item["from"])
        if service in seen:
            errors.append(problem("verify.duplicate", *where([i, "service"]), service=service))
            continue
        seen.add(service)
        if start not in page_ids:      # still declared: the buttons that call it are not reported again
            errors.append(problem("ref.unknown_page#verify", *where([i, "from"]), service=service, page=start,
                                  choices=", ".join(page_ids), suggestion=did_you_mean(start, page_ids)))
        found.append(Verification(service, start, int(item["valid_minutes"]), str(item["failed"]),
                                  where([i])[0]))
    return tuple(found), errors


def verification_errors(journey: Journey, journeys: Mapping[str, Journey]) -> list[LoadError]:
    """Every way a page that needs a verification can be reached without it, and calls that need one undeclared."""
    errors = _undeclared(journey) + _call_order(journey) + _into_other_journeys(journey, journeys)
    for declared in journey.verifications:
        errors += _bypasses(journey, declared)
    return errors


def _undeclared(journey: Journey) -> list[LoadError]:
    """A button calls a verification, or a service that needs one, that the journey does not declare."""
    declared = {v.service for v in journey.verifications}
    errors = []
    for page in journey.pages:
        for button in page.buttons:
            for call in button.calls:
                service = SERVICES.get(call.service)
                if service is None or button.position is None:
                    continue
                if service.interactive and call.service not in declared:
                    errors.append(problem("verify.undeclared", button.position, button=button.label,
                                          service=call.service))
                for need in service.needs:
                    if need not in declared:
                        errors.append(problem("verify.missing", button.position, button=button.label,
                                              service=call.service, needs=need))
    return errors


def _call_order(journey: Journey) -> list[LoadError]:
    """A verification listed after another call: it runs first anyway; the YAML should say what happens."""
    errors = []
    for page in journey.pages:
        for button in page.buttons:
            services = [c.service for c in button.calls]
            for i, name in enumerate(services):
                if name in SERVICES and SERVICES[name].interactive and i > 0 and button.position is not None:
                    errors.append(problem("verify.call_order", button.position, button=button.label, service=name,
                                          before=", ".join(services[:i])))
    return errors


def _verifies(button: Button, code: str, service: str) -> bool:
    """Whether taking outcome `code` of `button` means the citizen passed `service`: the button calls it and the
    outcome comes after it (not the page's own checks failing, not the check itself failing)."""
    calls = any(c.service == service for c in button.calls)
    return calls and code not in ("invalid", SERVICES[service].failed)


def _edges(journey: Journey, index: int, service: str) -> Iterable[tuple[Button, bool, list[str], Route]]:
    """Each way on from page `index`: the button, whether it verified, the pages of this journey it can land on."""
    pages = journey.pages
    page = pages[index]
    for button in page.buttons:
        routes = [(code, route) for code, route in button.on.items()]
        routes += [("guard", route) for _, route in button.guards]
        for code, route in routes:
            verified = _verifies(button, code, service)
            targets: list[str] = []
            if route.next:
                targets += _next_pages(pages, index)
            if route.goto:
                targets.append(route.goto)
            if route.popup and route.popup in journey.popups:
                targets += [link.goto for link in journey.popups[route.popup].buttons
                            if link.goto and link.goto not in ("start", "return")]
            yield button, verified, targets, route


def _bypasses(journey: Journey, declared: Verification) -> list[LoadError]:
    """Walk from the journey's way in along routes that do not verify; report each that lands on a page that needs
    the verification."""
    order = {p.id: i for i, p in enumerate(journey.pages)}
    needs = {p.id for p in journey.pages if declared in journey.needs(p.id)}
    todo = _landing(journey, None) if journey.pages else []
    seen: set[str] = set()
    errors: list[LoadError] = []
    reported: set[tuple[Position | None, str]] = set()
    while todo:
        page_id = todo.pop()
        if page_id in seen or page_id in needs or page_id not in order:
            continue
        seen.add(page_id)
        for button, verified, targets, _route in _edges(journey, order[page_id], declared.service):
            if verified:
                continue
            for target in targets:
                if target in needs and (button.position, target) not in reported:
                    reported.add((button.position, target))
                    errors.append(_bypass(journey, declared, button, page_id, target))
                todo.append(target)
    return errors


def _bypass(journey: Journey, declared: Verification, button: Button, page_id: str, target: str) -> LoadError:
    return problem("verify.bypass", button.position or Position("?", 1, 1), button=button.label, page=page_id,
                   target=target, service=declared.service, start=declared.start)


def _landing(journey: Journey, page_id: str | None) -> list[str]:
    """Where entering a journey can land: the page asked for, else its first page and past it while conditional."""
    if page_id:
        return [page_id]
    first = journey.pages[0]
    return [first.id, *(_next_pages(journey.pages, 0) if first.when is not True else [])]


def _into_other_journeys(journey: Journey, journeys: Mapping[str, Journey]) -> list[LoadError]:
    """A route into another journey lands on a page that needs a verification the route did not make sure of.

    A pass is the citizen's, in every journey: a route from a page of this journey that itself needed the same
    verification is covered."""
    errors = []
    for page in journey.pages:
        have = {v.service for v in journey.needs(page.id)}
        for button in page.buttons:
            for code, route in [*button.on.items(), *(("guard", r) for _, r in button.guards)]:
                target = journeys.get(route.journey or "")
                if target is None:
                    continue
                for landing in _landing(target, route.page):
                    for needed in target.needs(landing):
                        if needed.service in have or _verifies(button, code, needed.service):
                            continue
                        errors.append(problem("verify.bypass#journey", button.position or page.position,
                                              button=button.label, page=page.id, journey=target.id, target=landing,
                                              service=needed.service))
    return errors
