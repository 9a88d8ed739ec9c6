"""Forms load: cold load + check of every form under forms/ (fresh interpreter per run), and the warm load."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.report import PROBLEMS, add

ROOT = Path(__file__).resolve().parents[2]

COLD_RUNS = 5
WARM_RUNS = 5

COLD_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
from renderer.definition.loader import load_forms
t1 = time.perf_counter()
result = load_forms()
t2 = time.perf_counter()
print(json.dumps({"imports": (t1 - t0) * 1e3, "load": (t2 - t1) * 1e3, "total": (t2 - t0) * 1e3,
                  "files": result.files, "errors": len(result.errors)}))
"""


def bench_load() -> None:
    loads, totals, walls = [], [], []
    files = errors = 0
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", COLD_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                              check=False)
        wall = (time.perf_counter() - started) * 1e3
        if done.returncode != 0:
            PROBLEMS.append(f"load_forms() in a fresh interpreter failed:\n{done.stderr.strip()}")
            return
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        loads.append(figures["load"])
        totals.append(figures["total"])
        walls.append(wall)
        files, errors = figures["files"], figures["errors"]
    if errors:
        PROBLEMS.append(f"load_forms() reported {errors} error(s) in forms/ (run `make check-forms`)")
    add("forms: cold load_forms() call", loads, 300,
        f"{files} YAML files, {errors} errors; fresh interpreter per run")
    add("forms: cold imports + load_forms()", totals)
    add("forms: cold whole subprocess (wall)", walls, note="interpreter start-up + imports + load + exit")

    from renderer.definition.loader import load_forms
    load_forms()                                    # first in-process call warms imports and caches
    warm = []
    for _ in range(WARM_RUNS):
        t0 = time.perf_counter()
        load_forms()
        warm.append((time.perf_counter() - t0) * 1e3)
    add("forms: warm load_forms() in-process", warm)

