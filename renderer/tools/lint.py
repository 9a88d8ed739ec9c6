"""`yss lint`: every problem in forms/, one per line as path:line:col: CODE message, then its hint."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from renderer.definition.catalogue import explain, problem
from renderer.definition.loader import LoadResult, load_forms
from renderer.definition.model import Position


def run_lint(root: Path) -> int:
    """Print every problem under `root` and a summary line; 1 when there is any. Never a traceback."""
    started = time.perf_counter()
    try:
        result = load_forms(root.resolve())
    except Exception as exc:  # noqa: BLE001 - the loader guards each file; this is the last line of defence
        where = Position(root.name, 1, 1)
        result = LoadResult(None, [problem("internal.unexpected", where, error=f"{type(exc).__name__}: {exc}")])
    for error in result.problems:
        print(error)
    took = (time.perf_counter() - started) * 1000
    errors, warnings = len(result.errors), len(result.warnings)
    verdict = f"{errors} problem(s)" if errors else "ok"
    if warnings:
        verdict += f", {warnings} warning(s)"
    print(f"{result.files} files checked in {took:.0f} ms: {verdict}")
    return 1 if errors else 0


def run_explain(code: str) -> int:
    """`yss lint --explain CODE`: what the mistake is, its message and its hint (every variant of the code)."""
    try:
        print(explain(code))
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    return 0
