"""`yss lint` as an analyst runs it: exit 0 on forms/, 1 with path:line:col lines on a broken copy."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BROKEN = ROOT / "tests" / "fixtures" / "forms" / "broken" / "09-unknown-service" / "forms"


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "renderer", "lint", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_lint_is_clean_on_the_real_forms() -> None:
    done = lint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("ok")


def test_lint_reports_problems_and_exits_1() -> None:
    done = lint(str(BROKEN))
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith("forms/journeys/apply.yaml:37:17: schema.bad_value ")
    assert "hint: use one of:" in done.stdout and "Did you mean 'submit_application'?" in done.stdout


def test_every_form_file_names_its_schema_for_editors() -> None:
    missing = [str(p.relative_to(ROOT)) for p in (ROOT / "forms").rglob("*.yaml")
               if "yaml-language-server: $schema=" not in p.read_text(encoding="utf-8").splitlines()[0]]
    assert missing == []


def test_lint_piped_into_a_reader_that_stops_early_prints_no_traceback() -> None:
    done = subprocess.run(f"{sys.executable} -m renderer lint --explain verify.bypass | head -1", shell=True,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("verify.bypass: ")
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
