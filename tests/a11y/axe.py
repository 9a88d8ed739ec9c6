"""axe-core in a Playwright page: the vendored file (checked against its SHA-256) injected and run with the rules the
product is held to, WCAG 2.0-2.2 A and AA and axe's best practices."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

VENDOR = Path(__file__).parent / "vendor"
AXE = VENDOR / "axe-4.14.1.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


@cache
def axe_source() -> str:
    data = AXE.read_bytes()
    wanted = (VENDOR / f"{AXE.name}.sha256").read_text().strip()
    if hashlib.sha256(data).hexdigest() != wanted:
        raise RuntimeError(f"{AXE} does not match its SHA-256: vendor it again with npm pack")
    return data.decode("utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now: each with its rule id, impact, help and the nodes' selectors."""
    return results(page)["violations"]


def results(page: Page) -> dict[str, list[dict[str, Any]]]:
    """axe's violations and the rules it could not decide ("incomplete"), in one run, shaped as violations()."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())      # evaluated, not a <script>: the product's CSP refuses inline scripts
    found: dict[str, list[dict[str, Any]]] = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations', 'incomplete']});"
        " const shape = vs => vs.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));"
        " return {violations: shape(r.violations), incomplete: shape(r.incomplete)}; }", TAGS)
    return found


def described(found: list[dict[str, Any]]) -> str:
    """One line per violating node, for a test's failure message."""
    return "\n".join(f"  {v['impact']} {v['id']}: {v['help']} at {n['target']}" for v in found for n in v["nodes"])
