"""The product runs from its own repo: the demo people ship in data/, a copy of the contract's personas.yaml."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from renderer.web.config import ROOT, load_settings

COPY = ROOT / "data" / "personas.yaml"
CONTRACT = ROOT.parent / "shared" / "spec" / "personas.yaml"


def test_the_product_reads_its_own_copy_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YSS_PERSONAS", raising=False)
    assert load_settings().personas == COPY and COPY.is_file()


@pytest.mark.skipif(not CONTRACT.is_file(), reason="no ../shared/spec beside this clone: nothing to compare with")
def test_the_contracts_people_stay_exactly_as_they_are_in_the_copy() -> None:
    """The copy may add people (one for each outcome a route declares); every person, receipt and branch of the
    contract is in it unchanged."""
    contract, copy = _people(CONTRACT), _people(COPY)
    for key, value in contract.items():
        if key == "persons":
            ours = {str(p["id_number"]): p for p in copy["persons"]}
            for person in value:
                assert ours.get(str(person["id_number"])) == person, f"{person['name']} differs from the contract"
        else:
            assert copy.get(key) == value, f"{key} differs from the contract"


def _people(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return data


def test_nothing_reads_from_outside_the_repo() -> None:
    """No code builds a path to ../shared (a docstring may still name the contract it follows)."""
    reaching_out = re.compile(r"""(parent|\.\.)\W+["']?shared["']?\s*/|["']\.\./shared""")
    outside = [str(p.relative_to(ROOT)) for folder in ("renderer", "widgets", "tests") for p in (ROOT / folder).rglob("*.py")
               if p != Path(__file__) and reaching_out.search(p.read_text(encoding="utf-8"))]
    assert outside == []
