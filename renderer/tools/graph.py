"""`yss graph JOURNEY -o FILE`: draw a journey as a hand-written SVG (or an HTML page around it).

The layout is deliberately simple and deterministic:

* the pages stand in one column, in route order, joined by their 下一步 edges;
* popups, results and other journeys stand in a column on the right, each near the pages that lead to it;
  page -> right-column edges leave a page's right side, carry their label next to the page and run in a
  lane of their own in the channel between the columns;
* edges back into the page column (修改, 重新提交, 返回首页, skipped conditional pages, goto) run in lanes
  on the left; those from the right column go round the bottom of the drawing to get there;
* popup buttons that open another journey run in lanes right of the right column.

No graphviz, no dependency: just text. Every piece of text is escaped.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from renderer.definition.loader import load_forms
from renderer.definition.model import Condition, Journey, Link, Page, Route

FONT = '"Noto Sans CJK SC", "PingFang SC", sans-serif'

# Colours: (stroke, fill) per kind of node, and the edge colour that leads to it.
COLOURS = {
    "page": ("#1f4e8c", "#ffffff"),
    "start": ("#57606a", "#f0f2f5"),
    "popup": ("#b26a00", "#fff5e0"),
    "success": ("#1a7f37", "#e6f6ea"),
    "failure": ("#c62828", "#fdeaea"),
    "journey": ("#7048b8", "#f2ecfc"),
    "href": ("#57606a", "#f6f8fa"),
    "edit": ("#57606a", "none"),
    "skip": ("#8c959f", "none"),
}

TITLE_SIZE, SMALL, LABEL = 15, 11, 11
LINE = 14            # height of a small text line
PAGE_W_MIN, PAGE_W_MAX = 300, 380
RIGHT_W = 250
LANE = 12            # distance between two lanes
PAD = 12


# ------------------------------------------------------------------ text helpers

def text_width(text: str, size: float) -> float:
    """A generous estimate: CJK and full-width characters are one em, the rest about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def truncate(text: str, size: float, width: float) -> str:
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def wrap(text: str, size: float, width: float, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in " ".join(text.split()):
        if text_width(current + ch, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = truncate(lines[-1] + "……", size, width)
    return lines


def condition_text(cond: Condition) -> str | None:
    """None for a constant True (no condition), else the source text."""
    if cond is True:
        return None
    if isinstance(cond, bool):
        return "false"
    return cond.source


# ------------------------------------------------------------------ the graph

@dataclass
class Node:
    id: str
    kind: str                      # page, start, popup, success, failure, journey, href
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)   # (css class, text)
    dashed: bool = False
    condition: str | None = None
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    column: str = "main"           # main | right


@dataclass
class Edge:
    source: str
    target: str
    kind: str                      # next | route | edit | skip | around | side
    labels: list[str]
    colour: str
    dash: str | None = None
    # filled in by the layout
    points: list[tuple[float, float]] = field(default_factory=list)
    label_at: tuple[float, float, str] | None = None   # x, y of the first baseline, text-anchor


def _route_target(journey: Journey, route: Route, page_index: int) -> tuple[str, str] | None:
    """(node id, node kind) that a route leads to, or None for next/message/field errors."""
    if route.popup:
        return f"popup:{route.popup}", "popup"
    if route.result:
        result = journey.results.get(route.result)
        kind = "failure" if result is not None and result.icon != "success" else "success"
        return f"result:{route.result}", kind
    if route.journey:
        return f"journey:{route.journey}", "journey"
    if route.goto:
        return _goto_target(journey, route.goto)
    return None


def _goto_target(journey: Journey, goto: str) -> tuple[str, str] | None:
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
        target = _goto_target(journey, link.goto)
        if target is None:
            return None
        return target[0], target[1], ""
    if link.href:
        return f"href:{link.href}", "href", ""
    return None


class Graph:
    def __init__(self, journey: Journey, journeys: dict[str, Journey]):
        self.journey = journey
        self.journeys = journeys
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self._build()

    # ---------------------------------------------------------------- nodes and edges
    def _node(self, node_id: str, kind: str) -> Node:
        if node_id in self.nodes:
            return self.nodes[node_id]
        j = self.journey
        if kind == "popup":
            popup = j.popups.get(node_id.split(":", 1)[1])
            pid = node_id.split(":", 1)[1]
            title = f"弹窗 · {popup.title or '提示'}" if popup else f"弹窗 · {pid}"
            lines = [("id", pid)]
            if popup is not None:
                lines += [("text", t) for t in wrap(popup.text, SMALL, RIGHT_W - 2 * PAD, 3)]
                if popup.buttons:
                    lines.append(("buttons", "按钮: " + " / ".join(b.label for b in popup.buttons)))
            node = Node(node_id, "popup", title, lines, column="right")
        elif kind in ("success", "failure"):
            rid = node_id.split(":", 1)[1]
            result = j.results.get(rid)
            title = result.title if result else rid
            lines = [("id", f"结果 {rid}")]
            if result is not None:
                lines += [("text", t) for t in wrap(result.text, SMALL, RIGHT_W - 2 * PAD, 2)]
            node = Node(node_id, kind, title, lines, column="right")
        elif kind == "journey":
            target = node_id.split(":", 1)[1]
            if node_id.startswith("return:"):
                node = Node(node_id, "journey", f"返回点 {target}", [("id", "goto")], column="right")
            else:
                other = self.journeys.get(target)
                title = f"{other.title}" if other else target
                node = Node(node_id, "journey", f"→ {title}", [("id", f"另一事项 {target}")], column="right")
        elif kind == "href":
            node = Node(node_id, "href", "外部链接", [("id", node_id.split(":", 1)[1])], column="right")
        else:
            raise ValueError(kind)
        self.nodes[node_id] = node
        return node

    def _build(self) -> None:
        j = self.journey
        pages = list(j.pages)
        self.nodes["start"] = Node("start", "start", f"开始 · {j.title}")
        for page in pages:
            self.nodes[f"page:{page.id}"] = self._page_node(page)
        order = ["start"] + [f"page:{p.id}" for p in pages]
        # start -> first page, and skips around conditional pages
        if pages:
            self.edges.append(Edge("start", order[1], "next", [], COLOURS["page"][0]))
        for i, page in enumerate(pages):
            if page.when is not True and i + 1 < len(pages):
                self.edges.append(Edge(order[i], order[i + 2], "skip",
                                       [f"跳过 {page.title} (条件不满足)"], COLOURS["skip"][0], "6 4"))
        for i, page in enumerate(pages):
            self._page_edges(page, i, order)
        for rid, result in j.results.items():
            kind = "failure" if result.icon != "success" else "success"
            if f"result:{rid}" not in self.nodes:
                self._node(f"result:{rid}", kind)
        # buttons of popups and results that lead somewhere
        for node_id in [n for n in list(self.nodes) if n.startswith(("popup:", "result:"))]:
            self._link_edges(node_id)

    def _page_node(self, page: Page) -> Node:
        lines: list[tuple[str, str]] = [("id", f"{page.id}" + (f" · 步骤: {page.step}" if page.step else ""))]
        cond = condition_text(page.when)
        if cond:
            lines.append(("cond", f"条件: 当 {cond}"))
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
        return Node(f"page:{page.id}", "page", page.title, lines, dashed=cond is not None, condition=cond)

    def _page_edges(self, page: Page, index: int, order: list[str]) -> None:
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
                target = _route_target(j, route, index)
                if target:
                    add(target, f"{prefix}前置 当 {cond.source}")
            for outcome, route in button.on.items():
                if route.next:
                    next_labels.append(button.label + (f" · {calls}" if calls else ""))
                    continue
                target = _route_target(j, route, index)
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
        if index + 1 < len(order) - 1 and next_labels:
            self.edges.append(Edge(source, order[index + 2], "next", next_labels, COLOURS["page"][0]))
        for node_id, (kind, labels) in grouped.items():
            if kind == "page":
                self.edges.append(Edge(source, node_id, "side", labels, COLOURS["page"][0], "1 0"))
            else:
                self.edges.append(Edge(source, node_id, "route", labels, COLOURS[kind][0]))
        # 修改 links from the confirm sections, one edge per page edited
        edits: dict[str, list[str]] = {}
        for cs in page.confirm:
            if cs.edit and j.page(cs.edit) is not None:
                edits.setdefault(cs.edit, []).append(f"修改 {cs.title}")
        for edited, labels in edits.items():
            self.edges.append(Edge(source, f"page:{edited}", "edit", labels, COLOURS["edit"][0], "2 4"))

    def _link_edges(self, node_id: str) -> None:
        j = self.journey
        kind, key = node_id.split(":", 1)
        links = (j.popups[key].buttons if kind == "popup" and key in j.popups
                 else j.results[key].buttons if kind == "result" and key in j.results else ())
        colour = COLOURS[self.nodes[node_id].kind][0]
        for link in links:
            target = _link_target(j, link)
            if target is None:
                continue
            target_id, target_kind, extra = target
            if target_kind == "page":
                self.edges.append(Edge(node_id, target_id, "around", [link.label + extra], colour))
            else:
                self._node(target_id, target_kind)
                self.edges.append(Edge(node_id, target_id, "right", [link.label + extra], colour))


# ------------------------------------------------------------------ layout

def _label_w(labels: list[str]) -> float:
    return max((text_width(t, LABEL) for t in labels), default=0) + 8


class Layout:
    def __init__(self, graph: Graph):
        self.g = graph
        nodes, edges = graph.nodes, graph.edges
        main = [n for n in nodes.values() if n.column == "main"]
        right_nodes = [n for n in nodes.values() if n.column == "right"]
        page_w: float = PAGE_W_MIN
        for n in main:
            page_w = max(page_w, text_width(n.title, TITLE_SIZE) + 2 * PAD,
                         *(text_width(t, SMALL) + 2 * PAD for _, t in n.lines))
        page_w = min(page_w, PAGE_W_MAX)
        self.page_w = page_w
        for n in main:
            n.lines = [(c, truncate(t, SMALL, page_w - 2 * PAD)) for c, t in n.lines]

        self.route_edges = [e for e in edges if e.kind == "route"]
        self.left_edges = [e for e in edges if e.kind in ("edit", "skip", "side", "around")]
        self.right_edges = [e for e in edges if e.kind == "right"]
        self.around = [e for e in edges if e.kind == "around"]
        self.next_edges = [e for e in edges if e.kind == "next"]

        # widths of the channels
        left_label_w = max((_label_w(e.labels) for e in self.left_edges if e.kind != "around"), default=0)
        # next-edge labels start right of the page centre; what sticks out needs room in the middle channel
        overflow = max((_label_w(e.labels) - page_w / 2 + 10 for e in self.next_edges), default=0)
        mid_label_w = max([_label_w(e.labels) for e in self.route_edges] + [overflow, 40])
        right_label_w = max((_label_w(e.labels) for e in self.right_edges + self.around), default=0)
        n_left_lanes = len(self.left_edges)
        n_mid_lanes = len(self.route_edges)
        n_right_lanes = len(self.right_edges) + len(self.around)

        self.main_x = 24 + n_left_lanes * LANE + (left_label_w + 24 if left_label_w else 16)
        self.mid_label_x = self.main_x + page_w
        self.mid_lane_x0 = self.mid_label_x + mid_label_w + 16
        self.right_x = self.mid_lane_x0 + n_mid_lanes * LANE + 20
        self.right_label_x = self.right_x + RIGHT_W
        self.right_lane_x0 = self.right_label_x + (right_label_w + 16 if right_label_w else 0)
        self.width = self.right_lane_x0 + n_right_lanes * LANE + 24

        self._ports: dict[tuple[str, str], list[tuple[Edge, bool]]] = {}
        for e in self.route_edges:
            self._port(e.source, "R", e, True)
            self._port(e.target, "L", e, False)
        for e in self.left_edges:
            if e.kind != "around":
                self._port(e.source, "L", e, True)
            else:
                self._port(e.source, "R", e, True)
            self._port(e.target, "L", e, False)
        for e in self.right_edges:
            self._port(e.source, "R", e, True)
            self._port(e.target, "R", e, False)

        self._place_main(main)
        self._place_right(right_nodes)
        self._route()

    def _port(self, node: str, side: str, edge: Edge, outgoing: bool) -> None:
        self._ports.setdefault((node, side), []).append((edge, outgoing))

    @staticmethod
    def _port_gap(edge: Edge, outgoing: bool, side: str, column: str) -> float:
        """Vertical room a port needs: labelled ports make room for their label above the line."""
        labelled = (outgoing and side == "R") or (not outgoing and side == "L" and column == "main"
                                                  and edge.kind != "around") or (
            outgoing and edge.kind == "around")
        return (len(edge.labels) * LINE + 6) if labelled else 12

    def _content_h(self, n: Node) -> float:
        if n.kind == "start":
            return 34
        return PAD + 18 + len(n.lines) * LINE + PAD - 2

    def _ports_h(self, n: Node) -> float:
        need = 0.0
        for side in ("L", "R"):
            ports = self._ports.get((n.id, side), [])
            need = max(need, 16 + sum(self._port_gap(e, o, side, n.column) for e, o in ports))
        return need

    def _place_main(self, main: list[Node]) -> None:
        y = 24.0
        prev: Node | None = None
        for n in main:
            if prev is not None:
                nxt = next((e for e in self.next_edges if e.source == prev.id and e.target == n.id), None)
                gap = max(44, (len(nxt.labels) * LINE + 22) if nxt else 44)
                y += gap
            n.h = max(self._content_h(n), self._ports_h(n))
            if n.kind == "start":
                n.w = max(140, text_width(n.title, 13) + 28)
                n.x = self.main_x + (self.page_w - n.w) / 2
            else:
                n.w = self.page_w
                n.x = self.main_x
            n.y = y
            y += n.h
            prev = n
        self.main_bottom = y

    def _port_ys(self, n: Node, side: str) -> dict[int, float]:
        """y of each port on one side of a node, top to bottom in the order of the other ends."""
        ports = self._ports.get((n.id, side), [])

        def other_y(item: tuple[Edge, bool]) -> float:
            e, outgoing = item
            other = self.g.nodes[e.target if outgoing else e.source]
            if e.kind == "around" and side == "L":
                return 1e9            # comes up from the bottom of the drawing
            return other.y + other.h / 2 if other.h else 1e9

        def left_key(item: tuple[Edge, bool]) -> tuple[int, float]:
            # left lanes nest (the longest outermost): ends above go to the top, the farthest lowest;
            # ends below go to the bottom, the farthest lowest too, so no lane crosses a neighbour's stub
            oy = other_y(item)
            return (0, -oy) if oy < n.y else (1, oy)

        ports = sorted(ports, key=left_key if side == "L" and n.column == "main" else other_y)
        out: dict[int, float] = {}
        total = sum(self._port_gap(e, o, side, n.column) for e, o in ports)
        y = n.y + max(16.0, (n.h - total) / 2)
        for e, o in ports:
            gap = self._port_gap(e, o, side, n.column)
            y += gap - 6 if gap > 12 else 0
            out[id(e)] = y
            y += 6 if gap > 12 else gap
        return out

    def _place_right(self, right_nodes: list[Node]) -> None:
        # the main column is placed: its right ports are known
        self.ports_y: dict[tuple[str, str, int], float] = {}
        for n in self.g.nodes.values():
            if n.column == "main":
                for side in ("L", "R"):
                    for eid, py in self._port_ys(n, side).items():
                        self.ports_y[(n.id, side, eid)] = py

        def desired(n: Node) -> float:
            ys = [self.ports_y[(e.source, "R", id(e))] for e in self.route_edges if e.target == n.id]
            if ys:
                return sum(ys) / len(ys)
            feeders = [self.g.nodes[e.source] for e in self.right_edges if e.target == n.id]
            ys = [f.y + f.h / 2 for f in feeders if f.h]
            return sum(ys) / len(ys) + 1 if ys else 1e6

        # nodes fed from pages first, then those fed from the right column (their feeder must be placed)
        first = sorted((n for n in right_nodes if desired(n) < 1e6), key=desired)
        y = 24.0
        for n in right_nodes:
            n.w = RIGHT_W
            n.x = self.right_x
            n.h = max(self._content_h(n), self._ports_h(n))
        placed: list[Node] = []
        for n in first:
            n.y = max(desired(n) - n.h / 2, y)
            y = n.y + n.h + 16
            placed.append(n)
        rest = [n for n in right_nodes if n not in placed]
        rest.sort(key=lambda n: (0 if n.id.startswith("result:") else 1, desired(n)))
        # nodes fed by popups, then results nobody reaches
        for n in rest:
            n.y = max(desired(n) - n.h / 2 if desired(n) < 1e6 else y, y)
            y = n.y + n.h + 16
        self.right_bottom = y
        for n in right_nodes:
            for side in ("L", "R"):
                for eid, py in self._port_ys(n, side).items():
                    self.ports_y[(n.id, side, eid)] = py

    def _route(self) -> None:
        nodes = self.g.nodes
        bottom = max(self.main_bottom, self.right_bottom) + 24
        # next edges: straight down the middle of the column
        for e in self.next_edges:
            s, t = nodes[e.source], nodes[e.target]
            cx = self.main_x + self.page_w / 2
            e.points = [(cx, s.y + s.h), (cx, t.y)]
            e.label_at = (cx + 8, s.y + s.h + 16, "start")
        # page -> right column, each in its own lane; nearest targets in the inner lanes
        mids = self._best_lane_order(self.route_edges)
        for lane, e in enumerate(mids):
            s, t = nodes[e.source], nodes[e.target]
            x = self.mid_lane_x0 + lane * LANE
            y0, y1 = self._py(e, True), self._py(e, False)
            e.points = [(s.x + s.w, y0), (x, y0), (x, y1), (t.x, y1)]
            e.label_at = (s.x + s.w + 8, y0 - 4 - (len(e.labels) - 1) * LINE, "start")
        # left lanes: the edges that go round the bottom are outermost, higher targets further out
        around = sorted(self.around, key=lambda e: nodes[e.target].y)
        inner = sorted((e for e in self.left_edges if e.kind != "around"),
                       key=lambda e: -abs(self._py(e, True, "L") - self._py(e, False, "L")))
        n_right = len(self.right_edges)
        for lane, e in enumerate(around + inner):
            x = 24 + lane * LANE
            t = nodes[e.target]
            y1 = self._py(e, False, "L")
            if e.kind == "around":
                s = nodes[e.source]
                k = around.index(e)
                y0 = self._py(e, True, "R")
                xr = self.right_lane_x0 + n_right * LANE + (len(around) - 1 - k) * LANE
                yb = bottom + (len(around) - 1 - k) * LANE
                e.points = [(s.x + s.w, y0), (xr, y0), (xr, yb), (x, yb), (x, y1), (t.x, y1)]
                e.label_at = (s.x + s.w + 8, y0 - 4 - (len(e.labels) - 1) * LINE, "start")
            else:
                s = nodes[e.source]
                y0 = self._py(e, True, "L")
                e.points = [(s.x, y0), (x, y0), (x, y1), (t.x, y1)]
                e.label_at = (t.x - 10, y1 - 4 - (len(e.labels) - 1) * LINE, "end")
        # right column -> right column (popup button -> another journey)
        for lane, e in enumerate(sorted(self.right_edges, key=lambda e: abs(self._py(e, True, "R")
                                                                            - self._py(e, False, "R")))):
            s, t = nodes[e.source], nodes[e.target]
            x = self.right_lane_x0 + lane * LANE
            y0, y1 = self._py(e, True, "R"), self._py(e, False, "R")
            e.points = [(s.x + s.w, y0), (x, y0), (x, y1), (t.x + t.w, y1)]
            e.label_at = (s.x + s.w + 8, y0 - 4 - (len(e.labels) - 1) * LINE, "start")
        self.height = bottom + max(len(around), 0) * LANE + 24

    def _py(self, e: Edge, outgoing: bool, side: str | None = None) -> float:
        if side is None:
            side = "R" if outgoing else "L"
        node = e.source if outgoing else e.target
        return self.ports_y[(node, side, id(e))]

    def _best_lane_order(self, edges: list[Edge]) -> list[Edge]:
        """Try a few orders of the middle lanes and keep the one with the fewest crossings."""
        def crossings(order: list[Edge]) -> int:
            segs = []
            for lane, e in enumerate(order):
                segs.append((lane, self._py(e, True), self._py(e, False)))
            count = 0
            for la, a0, a1 in segs:
                for lb, b0, b1 in segs:
                    if la == lb:
                        continue
                    lo, hi = min(b0, b1), max(b0, b1)
                    # a's first segment runs from the pages up to lane la; it crosses b's vertical when lb < la
                    if lb < la and lo < a0 < hi:
                        count += 1
                    # a's last segment runs from lane la to the right column; crosses b's vertical when lb > la
                    if lb > la and lo < a1 < hi:
                        count += 1
            return count

        candidates = [
            sorted(edges, key=lambda e: abs(self._py(e, True) - self._py(e, False))),
            sorted(edges, key=lambda e: self._py(e, True) - self._py(e, False)),
            sorted(edges, key=lambda e: self._py(e, False) - self._py(e, True)),
            sorted(edges, key=lambda e: (self._py(e, False), self._py(e, True))),
            sorted(edges, key=lambda e: (-self._py(e, False), self._py(e, True))),
        ]
        return min(candidates, key=crossings)


# ------------------------------------------------------------------ SVG

def _path(points: list[tuple[float, float]], radius: float) -> str:
    """An orthogonal polyline with rounded corners."""
    if len(points) == 2:
        (x0, y0), (x1, y1) = points
        return f"M{x0:.1f},{y0:.1f} L{x1:.1f},{y1:.1f}"
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(1, len(points) - 1):
        (xa, ya), (xb, yb), (xc, yc) = points[i - 1], points[i], points[i + 1]
        la = max(abs(xb - xa), abs(yb - ya))
        lc = max(abs(xc - xb), abs(yc - yb))
        r = min(radius, la / 2, lc / 2)
        if r <= 0.5:
            d.append(f"L{xb:.1f},{yb:.1f}")
            continue
        ux, uy = ((xb - xa) / la, (yb - ya) / la) if la else (0, 0)
        vx, vy = ((xc - xb) / lc, (yc - yb) / lc) if lc else (0, 0)
        d.append(f"L{xb - ux * r:.1f},{yb - uy * r:.1f}")
        d.append(f"Q{xb:.1f},{yb:.1f} {xb + vx * r:.1f},{yb + vy * r:.1f}")
    d.append(f"L{points[-1][0]:.1f},{points[-1][1]:.1f}")
    return " ".join(d)


def _marker_id(colour: str) -> str:
    return "arrow-" + colour.lstrip("#")


def render_svg(journey: Journey, journeys: dict[str, Journey]) -> str:
    graph = Graph(journey, journeys)
    layout = Layout(graph)
    w, h = layout.width, layout.height
    out: list[str] = []
    add = out.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
        f'viewBox="0 0 {w:.0f} {h:.0f}" font-family=\'{FONT}\' class="journey-graph" '
        f'data-journey="{escape(journey.id, {chr(34): "&quot;"})}">')
    add(f"<title>{escape(journey.title)} ({escape(journey.id)})</title>")
    colours = sorted({e.colour for e in graph.edges})
    add("<defs>")
    for c in colours:
        add(f'<marker id="{_marker_id(c)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>')
    add("</defs>")
    add("<style>"
        ".title{font-size:15px;font-weight:700;fill:#1f2328}"
        ".id{font-size:11px;fill:#57606a}"
        ".cond{font-size:11px;fill:#b26a00;font-weight:700}"
        ".sub{font-size:11px;fill:#6e5a00}"
        ".msg{font-size:11px;fill:#8c959f}"
        ".text{font-size:11px;fill:#32383f}"
        ".buttons{font-size:11px;fill:#57606a}"
        ".label{font-size:11px;fill:#24292f}"
        ".label-bg{fill:#ffffff;opacity:0.92}"
        "</style>")
    add(f'<rect x="0" y="0" width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/>')

    # edges first, boxes over them, labels last so they stay readable
    add('<g class="edges" fill="none">')
    for e in graph.edges:
        radius = 14 if e.kind in ("edit", "skip", "side", "around") else 6
        dash = f' stroke-dasharray="{e.dash}"' if e.dash and e.dash != "1 0" else ""
        width = 1.8 if e.kind == "next" else 1.3
        add(f'<path class="edge edge-{e.kind}" d="{_path(e.points, radius)}" stroke="{e.colour}" '
            f'stroke-width="{width}"{dash} marker-end="url(#{_marker_id(e.colour)})" '
            f'data-source="{escape(e.source)}" data-target="{escape(e.target)}"/>')
    add("</g>")

    add('<g class="nodes">')
    for n in graph.nodes.values():
        stroke, fill = COLOURS[n.kind]
        rx = {"page": 4, "start": 17, "popup": 14, "success": 10, "failure": 10, "journey": 2, "href": 2}[n.kind]
        dash = ' stroke-dasharray="7 4"' if n.dashed else ""
        sw = 2.2 if n.kind in ("success", "failure", "journey") else 1.5
        add(f'<g class="node node-{n.kind}" data-id="{escape(n.id)}">')
        add(f'<rect x="{n.x:.1f}" y="{n.y:.1f}" width="{n.w:.1f}" height="{n.h:.1f}" rx="{rx}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{dash}/>')
        if n.kind == "start":
            add(f'<text x="{n.x + n.w / 2:.1f}" y="{n.y + 22:.1f}" text-anchor="middle" class="title" '
                f'style="font-size:13px">{escape(n.title)}</text>')
        else:
            inner = (n.h - (18 + len(n.lines) * LINE)) / 2
            ty = n.y + max(PAD, inner) + 14
            add(f'<text x="{n.x + PAD:.1f}" y="{ty:.1f}" class="title">{escape(n.title)}</text>')
            for i, (cls, text) in enumerate(n.lines):
                add(f'<text x="{n.x + PAD:.1f}" y="{ty + 18 + i * LINE:.1f}" class="{cls}">{escape(text)}</text>')
        add("</g>")
    add("</g>")

    add('<g class="labels">')
    for e in graph.edges:
        if not e.labels or e.label_at is None:
            continue
        x, y, anchor = e.label_at
        width = max(text_width(t, LABEL) for t in e.labels) + 6
        left = x - 3 if anchor == "start" else x - width + 3
        add(f'<g class="edge-label edge-label-{e.kind}">')
        add(f'<rect class="label-bg" x="{left:.1f}" y="{y - 11:.1f}" width="{width:.1f}" '
            f'height="{len(e.labels) * LINE - 1:.1f}" rx="2"/>')
        for i, text in enumerate(e.labels):
            add(f'<text class="label" x="{x:.1f}" y="{y + i * LINE:.1f}" text-anchor="{anchor}" '
                f'fill="{e.colour}">{escape(text)}</text>')
        add("</g>")
    add("</g>")
    add("</svg>")
    return "\n".join(out) + "\n"


LEGEND = [
    ("page", "页面 (实线框)", ""),
    ("page", "条件页面 (虚线框,带条件)", "7 4"),
    ("popup", "弹窗", ""),
    ("success", "结果:提交成功", ""),
    ("failure", "结果:提交失败", ""),
    ("journey", "另一事项", ""),
]


def render_html(journey: Journey, journeys: dict[str, Journey]) -> str:
    svg = render_svg(journey, journeys)
    items = []
    for kind, text, dash in LEGEND:
        stroke, fill = COLOURS[kind]
        border = "dashed" if dash else "solid"
        items.append(f'<li><span class="swatch" style="background:{fill};border:2px {border} {stroke}"></span>'
                     f"{escape(text)}</li>")
    items.append('<li><span class="line" style="border-top:2px solid #1f4e8c"></span>下一步 (按钮 · 调用的服务)</li>')
    items.append('<li><span class="line" style="border-top:2px dotted #57606a"></span>修改 (信息确认页 → 所改的页)</li>')
    items.append('<li><span class="line" style="border-top:2px dashed #8c959f"></span>跳过条件页面</li>')
    title = escape(journey.title)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} · 流程图</title>
<style>
body {{ font-family: {FONT}; margin: 24px; color: #1f2328; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p.meta {{ color: #57606a; margin: 0 0 12px; font-size: 13px; }}
ul.legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 20px; font-size: 13px; }}
ul.legend li {{ display: flex; align-items: center; gap: 6px; }}
.swatch {{ display: inline-block; width: 22px; height: 14px; border-radius: 3px; }}
.line {{ display: inline-block; width: 28px; height: 0; }}
.graph {{ overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">journey: {escape(journey.id)} · 步骤: {escape(" → ".join(journey.steps))}</p>
<ul class="legend">
{chr(10).join(items)}
</ul>
<div class="graph">
{svg}</div>
</body>
</html>
"""


def run_graph(forms: Path, journey_id: str, output: Path) -> int:
    """Draw `journey_id` from `forms` into `output` (.svg or .html); 0 on success, 1 with a message otherwise."""
    suffix = output.suffix.lower()
    if suffix not in (".svg", ".html"):
        print(f"graph: the output must end in .svg or .html, not {output.name!r}", file=sys.stderr)
        return 1
    result = load_forms(Path(forms).resolve())
    if result.definition is None or result.errors:
        print(f"graph: the forms in {forms} do not load ({len(result.errors)} problem(s)); run `yss lint`:",
              file=sys.stderr)
        for error in result.errors[:10]:
            print(f"  {error}", file=sys.stderr)
        return 1
    journeys: dict[str, Any] = dict(result.definition.journeys)
    journey = journeys.get(journey_id)
    if journey is None:
        known = ", ".join(sorted(journeys)) or "none"
        print(f"graph: no journey {journey_id!r} (known: {known})", file=sys.stderr)
        return 1
    text = render_svg(journey, journeys) if suffix == ".svg" else render_html(journey, journeys)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"graph: wrote {output}")
    return 0
