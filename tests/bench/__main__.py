"""`python -m tests.bench [section ...]`: run every section (or the ones named) and print the tables."""
from __future__ import annotations

import os
import platform
import sys
import textwrap
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.bench import forms, pages, photo, photo_e2e, sidebyside, store, uploads, workers
from tests.bench.report import FIGURES, NOTES, PROBLEMS, ROWS, print_figures, print_table, step

ROOT = Path(__file__).resolve().parents[2]

# (name, what it measures). Add a section here: a module with one function that calls report.add/add_figure.
SECTIONS: list[tuple[str, Callable[[], None]]] = [
    ("forms", forms.bench_load),
    ("pages", pages.bench_details),
    ("sidebyside", sidebyside.bench_side_by_side),
    ("photo", photo.bench_photo),
    ("photo_e2e", photo_e2e.bench_photo_e2e),
    ("uploads", uploads.bench_uploads),
    ("store", store.bench_store),
    ("workers", workers.bench_workers),
]


def main(argv: list[str]) -> int:
    chosen = [s for s in SECTIONS if not argv or s[0] in argv]
    unknown = sorted(set(argv) - {name for name, _ in SECTIONS})
    if unknown:
        print(f"unknown section(s) {', '.join(unknown)}; sections: {', '.join(n for n, _ in SECTIONS)}")
        return 2
    os.chdir(ROOT)
    started = time.perf_counter()
    try:
        cpus_usable = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus_usable = os.cpu_count() or 0
    print(f"yss-forms benchmark — Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.system()} {platform.machine()}, CPUs: {os.cpu_count()} ({cpus_usable} usable)")
    print("Figures vary on shared or busy machines; compare runs on the same machine, "
          "and treat SLOW as a prompt to look, not a failure.")
    print(flush=True)

    for name, bench in chosen:
        step(name)
        try:
            bench()
        except Exception as exc:  # noqa: BLE001 - one broken section should not hide the others' figures
            PROBLEMS.append(f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")

    sys.stderr.flush()
    if ROWS:
        print_table(ROWS)
        print()
        print("Notes: the TestClient rows include the client's own overhead (httpx request building, the\n"
              "in-memory ASGI transport, an anyio portal per request, cookies) on top of the server middleware,\n"
              "routing, form parsing, engine and Jinja2 rendering. The Engine rows are the engine alone (SQLite\n"
              "draft load/save included, no HTTP, no template); the render row is page.html alone.\n"
              "Targets compare the median.")
    if FIGURES:
        print()
        print_figures(FIGURES)
    if NOTES:
        print()
        for note in NOTES:
            print(textwrap.fill(note, 110))
    print(f"Total bench time {time.perf_counter() - started:.1f} s.")
    if PROBLEMS:
        print()
        print("PROBLEMS (figures above may be incomplete):")
        for problem in PROBLEMS:
            print(f"  - {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
