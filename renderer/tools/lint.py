"""`yss lint`: every problem in forms/, one per line as path:line:col: CODE message, then its hint."""
from __future__ import annotations

import time
from pathlib import Path

from renderer.definition.loader import load_forms


def run_lint(root: Path) -> int:
    started = time.perf_counter()
    result = load_forms(root.resolve())
    for error in result.errors:
        print(error)
    took = (time.perf_counter() - started) * 1000
    print(f"{result.files} files checked in {took:.0f} ms: {'ok' if not result.errors else f'{len(result.errors)} problem(s)'}")
    return 0 if not result.errors else 1
