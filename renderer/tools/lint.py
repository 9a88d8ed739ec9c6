"""`yss lint`: every problem in forms/, one per line as path:line:col: CODE message, then its hint."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from renderer.definition.catalogue import explain
from renderer.definition.loader import load_forms


def run_lint(root: Path) -> int:
    started = time.perf_counter()
    result = load_forms(root.resolve())
    for error in result.errors:
        print(error)
    took = (time.perf_counter() - started) * 1000
    print(f"{result.files} files checked in {took:.0f} ms: {'ok' if not result.errors else f'{len(result.errors)} problem(s)'}")
    return 0 if not result.errors else 1


def run_explain(code: str) -> int:
    """`yss lint --explain CODE`: what the mistake is, its message and its hint (every variant of the code)."""
    try:
        print(explain(code))
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    return 0
