"""The product runs from its own repo: the demo people ship in data/, a copy of the contract's personas.yaml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from renderer.web.config import ROOT, load_settings

COPY = ROOT / "data" / "personas.yaml"
CONTRACT = ROOT.parent / "shared" / "spec" / "personas.yaml"


def test_the_product_reads_its_own_copy_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YSS_PERSONAS", raising=False)
    assert load_settings().personas == COPY and COPY.is_file()


@pytest.mark.skipif(not CONTRACT.is_file(), reason="no ../shared/spec beside this clone: nothing to compare with")
def test_the_copy_still_matches_the_contract() -> None:
    assert COPY.read_bytes() == CONTRACT.read_bytes(), (
        f"{COPY} differs from {CONTRACT}: copy the contract's file over (cp {CONTRACT} {COPY})")


def test_nothing_reads_from_outside_the_repo() -> None:
    """No code builds a path to ../shared (a docstring may still name the contract it follows)."""
    reaching_out = re.compile(r"""(parent|\.\.)\W+["']?shared["']?\s*/|["']\.\./shared""")
    outside = [str(p.relative_to(ROOT)) for folder in ("renderer", "widgets", "tests") for p in (ROOT / folder).rglob("*.py")
               if p != Path(__file__) and reaching_out.search(p.read_text(encoding="utf-8"))]
    assert outside == []
