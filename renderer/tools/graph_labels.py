"""The text of the journey diagram: Graphviz HTML-like labels for nodes, edges and the title, every text escaped."""
from __future__ import annotations

from html import escape

from renderer.definition.model import Journey
from renderer.tools.graph_model import Node

FONT = "Noto Sans CJK SC"

# (stroke, fill) per kind of node; an edge takes the stroke of what it leads to (links: of where they start).
COLOURS = {
    "page": ("#1f4e8c", "#ffffff"),
    "start": ("#57606a", "#f0f2f5"),
    "popup": ("#b26a00", "#fff5e0"),
    "success": ("#1a7f37", "#e6f6ea"),
    "failure": ("#c62828", "#fdeaea"),
    "journey": ("#7048b8", "#f2ecfc"),
    "href": ("#57606a", "#f6f8fa"),
}
GREY, LIGHT_GREY = "#57606a", "#8c959f"

# Width budgets in half-width characters (a CJK character counts two): dot does not wrap, so the labels do.
PAGE_WIDTH, SIDE_WIDTH, EDGE_WIDTH = 56, 36, 30
TEXT_LINES = 3

# (point size, colour, bold) per kind of line in a node
LINE_STYLE = {
    "id": (9, "#57606a", False),
    "cond": (10, "#b26a00", True),
    "sub": (9, "#6e5a00", False),
    "msg": (9, "#8c959f", False),
    "text": (9, "#32383f", False),
    "buttons": (9, "#57606a", False),
}


def width(text: str) -> int:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def truncate(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) + 2 > limit:
            break
        out += ch
    return out + "…"


def wrap(text: str, limit: int, max_lines: int) -> list[str]:
    """`text` in lines of at most `limit`; the last of `max_lines` ends in … when some is left."""
    lines: list[str] = []
    current = ""
    for ch in " ".join(text.split()):
        if width(current + ch) > limit:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = truncate(lines[-1] + "……", limit)
    return lines


def _font(text: str, size: int, colour: str, bold: bool = False) -> str:
    inner = f"<B>{escape(text)}</B>" if bold else escape(text)
    return f'<FONT POINT-SIZE="{size}" COLOR="{colour}">{inner}</FONT>'


def _rows(cells: list[str]) -> str:
    rows = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{cell}</TD></TR>' for cell in cells)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>'


def node_label(node: Node) -> str:
    """The title in bold over the node's smaller lines; long lines are cut (pages) or wrapped (popups, results)."""
    if node.kind == "start":
        return _rows([_font(node.title, 11, "#1f2328", True)])
    limit = PAGE_WIDTH if node.kind == "page" else SIDE_WIDTH
    cells = [_font(truncate(node.title, limit), 12, "#1f2328", True)]
    for kind, text in node.lines:
        size, colour, bold = LINE_STYLE[kind]
        pieces = wrap(text, limit, TEXT_LINES) if kind == "text" else [truncate(text, limit)]
        cells += [_font(piece, size, colour, bold) for piece in pieces]
    return _rows(cells)


def _pack(text: str, limit: int) -> list[str]:
    """`text` in lines of at most `limit`, broken after a " · " where it can be."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and width(lines[-1] + " · " + part) <= limit:
            lines[-1] += " · " + part
        else:
            lines += wrap(part, limit, 2)
    return lines


def edge_label(labels: list[str]) -> str:
    """Each label on lines of its own, broken to the edge budget."""
    lines = [line for text in labels for line in _pack(text, EDGE_WIDTH)]
    return "<" + "<BR/>".join(escape(line) for line in lines) + ">"


def graph_label(journey: Journey) -> str:
    return "<" + _font(f"{journey.title} ({journey.id})", 16, "#1f2328", True) + ">"
