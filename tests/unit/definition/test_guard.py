"""A bug in one file's checks is that file's problem: the other problems are still reported, never a traceback."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from renderer.definition import assemble, loader
from renderer.definition.loader import load_forms
from renderer.tools import lint

FORMS = Path(__file__).resolve().parents[3] / "forms"
BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "broken"


def test_a_check_that_crashes_on_one_journey_is_a_problem_of_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real = assemble.flow_errors

    def flow_errors(journey: Any, entered: Any = ()) -> Any:
        if journey.id == "minor":
            raise RuntimeError("boom")
        return real(journey, entered)

    monkeypatch.setattr(assemble, "flow_errors", flow_errors)
    result = load_forms(FORMS)
    assert [(e.code, e.position.file, e.position.line) for e in result.errors] == [
        ("internal.unexpected", "forms/journeys/minor.yaml", 1)]
    assert "RuntimeError: boom" in result.errors[0].message
    assert result.definition is None


def test_a_crash_reading_one_file_keeps_the_others_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    real = loader.read_yaml

    def read_yaml(path: Path, shown_as: str, fast: bool = False) -> Any:
        if path.name == "ethnicities.yaml":
            raise ValueError("odd")
        return real(path, shown_as, fast)

    monkeypatch.setattr(loader, "read_yaml", read_yaml)
    result = load_forms(BROKEN / "53-include-inside-fragment" / "forms")
    codes = [(e.code, e.position.file) for e in result.errors]
    assert ("internal.unexpected", "forms/lists/ethnicities.yaml") in codes
    assert ("include.in_fragment", "forms/fragments/details.yaml") in codes


def test_lint_reports_an_unexpected_failure_and_exits_1(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def load_forms(root: Path) -> Any:
        raise KeyError("id")

    monkeypatch.setattr(lint, "load_forms", load_forms)
    assert lint.run_lint(FORMS) == 1
    out = capsys.readouterr().out
    assert out.startswith("forms:1:1: internal.unexpected the checker failed on this file (KeyError: 'id')")
    assert "Traceback" not in out


@pytest.mark.parametrize("code", ["include.in_fragment", "include.cycle", "internal.unexpected"])
def test_the_new_codes_are_explained(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint.run_explain(code) == 0
    assert capsys.readouterr().out.startswith(f"{code}: ")
