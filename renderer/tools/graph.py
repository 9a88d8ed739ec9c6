"""`yss graph JOURNEY -o FILE`: draw a journey's graph (`graph_model`) with Graphviz: SVG, an HTML page around it,
PNG, or the DOT itself.

The DOT is made with the `graphviz` package and laid out by Debian's `dot`. The pages stand in one column, in route
order (a heavy 下一步 edge and one `group`); a popup or another journey hangs just below the page that leads to it,
with the outcome on its edge; results and popups that several pages share stand below the pages. An edge back up
(修改, 重新提交, 返回首页, a goto to an earlier page) is laid out as the edge down it mirrors, so the column keeps
its order and such edges run beside it rather than across it.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import graphviz

from renderer.definition.loader import load_forms
from renderer.definition.model import Journey
from renderer.tools.graph_html import render_html
from renderer.tools.graph_labels import COLOURS, FONT, GREY, LIGHT_GREY, edge_label, graph_label, node_label
from renderer.tools.graph_model import Edge, JourneyGraph, Node, build_graph

SUFFIXES = (".svg", ".html", ".png", ".dot")
PNG_DPI = "110"
INSTALL_DOT = "apt-get install graphviz fonts-noto-cjk (or `make /usr/bin/dot`)"

EDGE_STYLE = {           # kind -> (style, penwidth, weight)
    "next": ("solid", "2", "20"),
    "skip": ("dashed", "1.2", "0"),
    "outcome": ("solid", "1.2", "1"),
    "goto": ("solid", "1.2", "0"),
    "edit": ("dotted", "1.2", "0"),
    "link": ("solid", "1.2", "0"),
}
BOTTOM = 10_000     # the rank of what no single page leads to: results and shared popups, below the pages


def dot_name(node_id: str) -> str:
    """A node's name in the DOT: its id without ':', which DOT would read as a port."""
    return re.sub(r"[^\w.-]", "_", node_id.replace(":", "."))


def _node_attrs(node: Node) -> dict[str, str]:
    stroke, fill = COLOURS[node.kind]
    style = ["filled", "rounded"] if node.kind != "journey" else ["filled"]
    if node.condition:
        style.append("dashed")
    attrs = {
        "id": node.id, "class": " ".join([node.kind] + (["conditional"] if node.condition else [])),
        "label": node_label(node), "shape": "box", "style": ",".join(style), "color": stroke, "fillcolor": fill,
        "penwidth": "2" if node.kind in ("success", "failure", "journey") else "1.4",
    }
    if node.kind in ("page", "start"):
        attrs["group"] = "pages"     # one straight column
    return attrs


def _edge_colour(graph: JourneyGraph, edge: Edge) -> str:
    if edge.kind == "edit":
        return GREY
    if edge.kind == "skip":
        return LIGHT_GREY
    if edge.kind == "link":
        return COLOURS[graph.nodes[edge.source].kind][0]
    target = graph.nodes.get(edge.target)
    return COLOURS[target.kind if target else "page"][0]


def _beside(graph: JourneyGraph) -> dict[str, str]:
    """Node -> the page it stands beside: popups and journeys that exactly one page leads to.

    Results stay below the pages: the buttons that come back from them would otherwise be flat edges, which dot
    draws with their labels on top of each other."""
    sources: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        if edge.kind == "outcome" and graph.nodes[edge.target].kind not in ("success", "failure"):
            sources[edge.target].add(edge.source)
    return {node_id: next(iter(pages)) for node_id, pages in sources.items() if len(pages) == 1}


def _ranks(graph: JourneyGraph, beside: dict[str, str]) -> dict[str, int]:
    """Where each node is meant to stand, top to bottom: the start, the pages in route order, and the rest."""
    ranks = {"start": 0} | {page.id: i + 1 for i, page in enumerate(graph.pages)}
    for node_id in graph.nodes:
        ranks.setdefault(node_id, ranks[beside[node_id]] + 1 if node_id in beside else BOTTOM)
    return ranks


def to_dot(graph: JourneyGraph) -> graphviz.Digraph:
    """The Graphviz drawing of `graph`."""
    journey = graph.journey
    dot = graphviz.Digraph(journey.id, engine="dot")
    dot.attr(rankdir="TB", newrank="true", nodesep="0.35", ranksep="0.45", fontname=FONT, labelloc="t",
             label=graph_label(journey), bgcolor="white", pad="0.3", id=f"journey-{dot_name(journey.id)}")
    dot.attr("node", fontname=FONT, fontsize="11", margin="0.12,0.06")
    dot.attr("edge", fontname=FONT, fontsize="10", arrowsize="0.7")
    for node in graph.nodes.values():
        dot.node(dot_name(node.id), **_node_attrs(node))

    beside = _beside(graph)
    bottom = [n.id for n in graph.nodes.values() if n.kind in ("success", "failure") and n.id not in beside]
    if bottom:
        with dot.subgraph() as rank:
            rank.attr(rank="max")
            for node_id in bottom:
                rank.node(dot_name(node_id))

    ranks = _ranks(graph, beside)
    seen: dict[str, int] = defaultdict(int)
    for edge in graph.edges:
        style, penwidth, weight = EDGE_STYLE[edge.kind]
        colour = _edge_colour(graph, edge)
        edge_id = f"{edge.source}->{edge.target}"
        seen[edge_id] += 1
        attrs = {"id": edge_id + (f"#{seen[edge_id]}" if seen[edge_id] > 1 else ""), "class": edge.kind,
                 "style": style, "penwidth": penwidth, "weight": weight, "color": colour, "fontcolor": colour}
        if edge.labels:
            attrs["label"] = edge_label(edge.labels)
        tail, head = edge.source, edge.target
        # An edge back up (修改, 重新提交, 返回首页) is laid out as the edge down that it mirrors, its arrow
        # reversed: dot then routes it beside the column instead of across it, and the ranks stay in route order.
        if ranks.get(head, BOTTOM) < ranks[tail]:
            tail, head = head, tail
            attrs["dir"] = "back"
        dot.edge(dot_name(tail), dot_name(head), **attrs)
    return dot


def render_svg(journey: Journey, journeys: dict[str, Journey]) -> str:
    """The journey's diagram as SVG (runs `dot`; graphviz.ExecutableNotFound when it is not installed)."""
    return str(to_dot(build_graph(journey, journeys)).pipe(format="svg", encoding="utf-8"))


def _drawing(journey: Journey, journeys: dict[str, Journey], suffix: str) -> bytes:
    """The file's content for an output ending in `suffix`."""
    if suffix == ".dot":
        return to_dot(build_graph(journey, journeys)).source.encode()
    if suffix == ".png":
        dot = to_dot(build_graph(journey, journeys))
        dot.attr(dpi=PNG_DPI)
        return bytes(dot.pipe(format="png"))
    svg = render_svg(journey, journeys)
    return (svg if suffix == ".svg" else render_html(journey, svg)).encode()


def run_graph(forms: Path, journey_id: str, output: Path) -> int:
    """Draw `journey_id` from `forms` into `output` (.svg, .html, .png or .dot): 0 on success, 1 for bad input,
    2 when Graphviz's `dot` is missing or fails."""
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        print(f"graph: the output must end in {', '.join(SUFFIXES)}, not {output.name!r}", file=sys.stderr)
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
    try:
        content = _drawing(journey, journeys, suffix)
    except graphviz.ExecutableNotFound:
        print(f"graph: Graphviz's `dot` is not installed; install it with: {INSTALL_DOT}", file=sys.stderr)
        return 2
    except graphviz.CalledProcessError as error:
        detail = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else str(error.stderr)
        print(f"graph: `dot` failed: {' '.join(detail.split())}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    print(f"graph: wrote {output}")
    return 0
