"""Checks on the built journeys as a whole: pages nobody reaches, pages that lead nowhere, empty texts."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from renderer.definition.catalogue import problem
from renderer.definition.errors import LoadError, format_path
from renderer.definition.model import Journey, Page, Route
from renderer.definition.reader import Document

TEXT_KEYS = {"label", "title", "text", "message", "button", "note", "banner"}
LEADS_ON = ("next", "goto", "result", "journey")


def _leads_on(route: Route) -> bool:
    return any(getattr(route, key) for key in LEADS_ON)


def _next_pages(pages: tuple[Page, ...], index: int) -> list[str]:
    """Where `next: true` can land: the following page, and past it while pages are conditional."""
    found = []
    for page in pages[index + 1:]:
        found.append(page.id)
        if page.when is True:
            break
    return found


def flow_errors(journey: Journey, entered: Iterable[str] = ()) -> list[LoadError]:
    """Pages and results that cannot be reached from the first page, and pages with no way on."""
    pages = journey.pages
    edges: dict[str, set[str]] = {p.id: set() for p in pages}
    edges.update({f"result:{r}": set() for r in journey.results})
    errors = []
    for i, page in enumerate(pages):
        for button in page.buttons:
            for route in [*button.on.values(), *(g for _, g in button.guards)]:
                if route.next:
                    edges[page.id].update(_next_pages(pages, i))
                if route.goto:
                    edges[page.id].add(route.goto)
                if route.result:
                    edges[page.id].add(f"result:{route.result}")
                if route.popup is not None and route.popup in journey.popups:
                    edges[page.id].update(link.goto for link in journey.popups[route.popup].buttons if link.goto)
        # 修改 links are not counted: a page only reached through one was never asked before the confirm page.
        if not page.is_confirm and page.buttons and not any(_leads_on(r) for b in page.buttons for r in b.on.values()):
            errors.append(problem("page.dead_end", page.position, page=page.id, title=page.title))
        elif page.is_confirm and not any(r.result for b in page.buttons for r in b.on.values()):
            errors.append(problem("page.dead_end#confirm", page.position, page=page.id))
    for result_id, result in journey.results.items():
        edges[f"result:{result_id}"].update(
            (pages[0].id if link.goto == "start" else link.goto) for link in result.buttons
            if link.goto and link.goto != "return")
    seen, todo = set(), [pages[0].id, *entered] if pages else []
    while todo:
        node = todo.pop()
        if node in seen or node not in edges:
            continue
        seen.add(node)
        todo.extend(edges[node])
    for page in pages:
        if page.id not in seen:
            errors.append(problem("page.unreachable", page.position, page=page.id, title=page.title))
    for result_id, result in journey.results.items():
        if f"result:{result_id}" not in seen and result.position is not None:
            errors.append(problem("page.unreachable#result", result.position, result=result_id))
    return [e for e in errors if e.position is not None]


def missing_texts(doc: Document) -> list[LoadError]:
    """Texts a citizen would see that are empty."""
    errors: list[LoadError] = []

    def walk(node: Any, path: list[object]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str) and not value.strip():
                    errors.append(problem("text.missing", doc.position([*path, key]), format_path([*path, key]),
                                          key=key))
                walk(value, [*path, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, [*path, i])

    walk(doc.data, [])
    return errors
