"""The graph of a journey: its pages, popups, results and other journeys as nodes, every way between them as edges.

Pure: built from the loaded model (`renderer.definition.model`), knows nothing of how it is drawn
(`renderer.tools.graph` draws it with Graphviz).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from renderer.definition.model import Condition, Journey, Link, Page, Route

# Kinds of node: page, start, popup, success, failure (results), journey (another journey, or the return point), href.
# Kinds of edge:
#   next     下一步 from a page to the page after it
#   skip     past a conditional page whose condition does not hold
#   outcome  a button's outcome (or a field's popup) leading to a popup, a result or another journey
#   goto     a button's outcome leading to a page of this journey other than the next
#   edit     修改 on the confirm page, back to the page it edits
#   link     a button of a popup or a result, to wherever it leads


@dataclass
class Node:
    id: str                                   # page:<id>, popup:<id>, result:<id>, journey:<id>, return:<id>, href:<url>
    kind: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)   # (kind of line: id, cond, sub, msg, text, buttons)
    condition: str | None = None              # a conditional page's condition, as written
    step: str | None = None                   # the step a page belongs to


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    labels: list[str] = field(default_factory=list)


@dataclass
class JourneyGraph:
    journey: Journey
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    @property
    def pages(self) -> list[Node]:
        """The page nodes in route order."""
        return [n for n in self.nodes.values() if n.kind == "page"]


def condition_text(cond: Condition) -> str | None:
    """None for a constant True (no condition), else the source text."""
    if cond is True:
        return None
    if isinstance(cond, bool):
        return "false"
    return cond.source


def result_kind(journey: Journey, result_id: str) -> str:
    result = journey.results.get(result_id)
    return "success" if result is None or result.icon == "success" else "failure"


def _route_target(journey: Journey, route: Route) -> tuple[str, str] | None:
    """(node id, node kind) that a route leads to, or None for next, a message or a field error."""
    if route.popup:
        return f"popup:{route.popup}", "popup"
    if route.result:
        return f"result:{route.result}", result_kind(journey, route.result)
    if route.journey:
        return f"journey:{route.journey}", "journey"
    if route.goto:
        return _goto_target(journey, route.goto)
    return None


def _goto_target(journey: Journey, goto: str) -> tuple[str, str]:
    if goto == "start":
        return f"page:{journey.pages[0].id}", "page"
    if journey.page(goto) is not None:
        return f"page:{goto}", "page"
    return f"return:{goto}", "journey"


def _link_target(journey: Journey, link: Link) -> tuple[str, str, str] | None:
    """(node id, node kind, extra label) for a popup or result button, or None when it only closes."""
    if link.journey:
        extra = []
        if link.goto == "return":
            extra.append("回到来处")
        if link.page:
            extra.append(f"页 {link.page}")
        return f"journey:{link.journey}", "journey", (" · " + ",否则".join(extra)) if extra else ""
    if link.goto:
        node_id, kind = _goto_target(journey, link.goto)
        return node_id, kind, ""
    if link.href:
        return f"href:{link.href}", "href", ""
    return None


def build_graph(journey: Journey, journeys: dict[str, Journey]) -> JourneyGraph:
    """The graph of `journey`; `journeys` gives the titles of the journeys it leads to."""
    return _Builder(journey, journeys).graph


class _Builder:
    def __init__(self, journey: Journey, journeys: dict[str, Journey]):
        self.journey = journey
        self.journeys = journeys
        self.graph = JourneyGraph(journey)
        self._build()

    def _add_edge(self, source: str, target: str, kind: str, labels: list[str]) -> None:
        self.graph.edges.append(Edge(source, target, kind, labels))

    def _node(self, node_id: str, kind: str) -> Node:
        """The popup, result, other journey or link `node_id`, made on first use."""
        nodes = self.graph.nodes
        if node_id in nodes:
            return nodes[node_id]
        key = node_id.split(":", 1)[1]
        j = self.journey
        if kind == "popup":
            popup = j.popups.get(key)
            node = Node(node_id, kind, f"弹窗 · {popup.title or '提示'}" if popup else f"弹窗 · {key}", [("id", key)])
            if popup is not None:
                node.lines.append(("text", popup.text))
                if popup.buttons:
                    node.lines.append(("buttons", "按钮: " + " / ".join(b.label for b in popup.buttons)))
        elif kind in ("success", "failure"):
            result = j.results.get(key)
            node = Node(node_id, kind, result.title if result else key, [("id", f"结果 {key}")])
            if result is not None:
                node.lines.append(("text", result.text))
        elif kind == "journey" and node_id.startswith("return:"):
            node = Node(node_id, kind, f"返回点 {key}", [("id", "goto")])
        elif kind == "journey":
            other = self.journeys.get(key)
            node = Node(node_id, kind, f"→ {other.title if other else key}", [("id", f"另一事项 {key}")])
        elif kind == "href":
            node = Node(node_id, kind, "外部链接", [("id", key)])
        else:
            raise ValueError(kind)
        nodes[node_id] = node
        return node

    def _build(self) -> None:
        j = self.journey
        pages = list(j.pages)
        nodes = self.graph.nodes
        nodes["start"] = Node("start", "start", f"开始 · {j.title}")
        for page in pages:
            nodes[f"page:{page.id}"] = _page_node(page, tuple(v.service for v in j.needs(page.id)))
        order = ["start"] + [f"page:{p.id}" for p in pages]
        if pages:
            self._add_edge("start", order[1], "next", [])
        for i, page in enumerate(pages):
            if page.when is not True and i + 1 < len(pages):
                self._add_edge(order[i], order[i + 2], "skip", [f"跳过 {page.title} (条件不满足)"])
        for i, page in enumerate(pages):
            self._page_edges(page, order[i + 2] if i + 2 < len(order) else None)
        for rid in j.results:
            self._node(f"result:{rid}", result_kind(j, rid))
        for node_id in [n for n in nodes if n.startswith(("popup:", "result:"))]:
            self._link_edges(node_id)

    def _page_edges(self, page: Page, next_page: str | None) -> None:
        j = self.journey
        source = f"page:{page.id}"
        # name the button on its outcomes when there are several, or no 下一步 edge names it
        many = len(page.buttons) > 1 or not any(r.next for b in page.buttons for r in b.on.values())
        next_labels: list[str] = []
        grouped: dict[str, tuple[str, list[str]]] = {}     # target -> (kind, labels)

        def add(target: tuple[str, str], label: str) -> None:
            node_id, kind = target
            if kind != "page":
                self._node(node_id, kind)
            grouped.setdefault(node_id, (kind, []))[1].append(label)

        for button in page.buttons:
            calls = ", ".join(c.service for c in button.calls)
            prefix = f"{button.label} · " if many else ""
            if button.confirm:
                add((f"popup:{button.confirm}", "popup"), f"{button.label} · 先确认")
            for cond, route in button.guards:
                target = _route_target(j, route)
                if target:
                    add(target, f"{prefix}前置 当 {cond.source}")
            for outcome, route in button.on.items():
                if route.next:
                    next_labels.append(button.label + (f" · {calls}" if calls else ""))
                    continue
                target = _route_target(j, route)
                if target is None:
                    continue
                label = f"{prefix}{outcome}"
                if route.journey:
                    label = f"{button.label} · {outcome}" + (f" · {calls}" if calls else "")
                    if route.page:
                        label += f" → {route.page}"
                    if route.entry:
                        label += f" (entry={route.entry})"
                add(target, label)
        for fld in page.fields:
            popups = fld.prop("popups")
            if isinstance(popups, dict):
                for reason, popup_id in popups.items():
                    add((f"popup:{popup_id}", "popup"), f"{fld.label}: {reason}")
        if next_page is not None and next_labels:
            self._add_edge(source, next_page, "next", next_labels)
        for node_id, (kind, labels) in grouped.items():
            self._add_edge(source, node_id, "goto" if kind == "page" else "outcome", labels)
        # 修改 links from the confirm sections, one edge per page edited
        edits: dict[str, list[str]] = {}
        for cs in page.confirm:
            if cs.edit and j.page(cs.edit) is not None:
                edits.setdefault(cs.edit, []).append(f"修改 {cs.title}")
        for edited, labels in edits.items():
            self._add_edge(source, f"page:{edited}", "edit", labels)

    def _link_edges(self, node_id: str) -> None:
        j = self.journey
        kind, key = node_id.split(":", 1)
        links = (j.popups[key].buttons if kind == "popup" and key in j.popups
                 else j.results[key].buttons if kind == "result" and key in j.results else ())
        for link in links:
            target = _link_target(j, link)
            if target is None:
                continue
            target_id, target_kind, extra = target
            if target_kind != "page":
                self._node(target_id, target_kind)
            self._add_edge(node_id, target_id, "link", [link.label + extra])


def _page_node(page: Page, needs: tuple[str, ...] = ()) -> Node:
    lines: list[tuple[str, str]] = [("id", page.id + (f" · 步骤: {page.step}" if page.step else ""))]
    cond = condition_text(page.when)
    if cond:
        lines.append(("cond", f"条件: 当 {cond}"))
    if needs:       # the journey's `verify:`: the engine makes sure of these before the page
        lines.append(("sub", "须先通过: " + ", ".join(needs)))
    for section in page.sections:
        scond = condition_text(section.when)
        if scond:
            lines.append(("sub", f"{section.title or '分组'} 当 {scond}"))
        for fld in section.fields:
            fcond = condition_text(fld.when)
            if fcond:
                lines.append(("sub", f"{fld.label} 当 {fcond}"))
    for cs in page.confirm:
        ccond = condition_text(cs.when)
        if ccond:
            lines.append(("sub", f"{cs.title} 当 {ccond}"))
    for button in page.buttons:
        prefix = f"{button.label}: " if len(page.buttons) > 1 else ""
        for outcome, route in button.on.items():
            if route.error_field:
                lines.append(("msg", f"{prefix}{outcome} → 字段 {route.error_field} 报错"))
            elif route.message:
                lines.append(("msg", f"{prefix}{outcome} → 提示“{route.message}”"))
    return Node(f"page:{page.id}", "page", page.title, lines, condition=cond, step=page.step)
