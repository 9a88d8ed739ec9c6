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
    # The reader is gone before lint writes its first line (like `yss lint | head` once head has its lines).
    child = subprocess.Popen([sys.executable, "-m", "renderer", "lint", "--explain", "verify.bypass"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    with child.stderr:
        errors = child.stderr.read().decode()
    child.wait(timeout=60)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
