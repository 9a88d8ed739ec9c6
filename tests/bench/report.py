"""The rows every section adds, and the tables printed at the end."""
from __future__ import annotations

import math
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Row:
    name: str
    samples_ms: list[float]
    target_ms: float | None = None       # compared with the median
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples_ms)                        # nearest-rank percentile
        return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "info"
        return "ok" if self.median < self.target_ms else "SLOW"


@dataclass
class Figure:
    """One measured value that is not a timing sample (memory, a count), with an upper bound if it has one."""
    name: str
    value: float
    unit: str
    limit: float | None = None           # the value must not exceed it
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "info"
        return "ok" if self.value <= self.limit else "OVER"


ROWS: list[Row] = []
FIGURES: list[Figure] = []
PROBLEMS: list[str] = []
NOTES: list[str] = []                    # printed once under the figures


def add(name: str, samples_ms: list[float], target_ms: float | None = None, note: str = "") -> None:
    ROWS.append(Row(name, samples_ms, target_ms, note))


def add_figure(name: str, value: float, unit: str, limit: float | None = None, note: str = "") -> None:
    FIGURES.append(Figure(name, value, unit, limit, note))


def add_note(text: str) -> None:
    NOTES.append(text)


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def fmt_ms(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.1f}"


def _print_columns(header: tuple[str, ...], body: list[tuple[str, ...]], right: set[int]) -> None:
    widths = [max(width(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(pad(c, w, i in right) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for cells in body:
        print(line(cells))


def _print_notes(notes: list[tuple[str, str]]) -> None:
    if notes:
        print()
        for name, note in notes:
            print(f"  {name}: {note}")


def print_table(rows: list[Row]) -> None:
    header = ("measure", "n", "median ms", "p99 ms", "target", "")
    body = [(r.name, str(len(r.samples_ms)), fmt_ms(r.median), fmt_ms(r.p99),
             f"< {r.target_ms:g} ms" if r.target_ms is not None else "-", r.verdict) for r in rows]
    _print_columns(header, body, right={1, 2, 3})
    _print_notes([(r.name, r.note) for r in rows if r.note])


def print_figures(figures: list[Figure]) -> None:
    header = ("figure", "value", "limit", "")
    body = [(f.name, f"{f.value:,.2f} {f.unit}" if f.unit in ("s", "×") else f"{f.value:,.0f} {f.unit}",
             f"≤ {f.limit:g} {f.unit}" if f.limit is not None else "-", f.verdict) for f in figures]
    _print_columns(header, body, right={1})
    _print_notes([(f.name, f.note) for f in figures if f.note])


def step(message: str) -> None:
    """Progress on stderr, so the figures on stdout stay a clean table."""
    sys.stdout.flush()
    print(f"  … {message}", file=sys.stderr, flush=True)


def timed(call: Callable[[], Any], n: int, check: Callable[[Any], None] | None = None) -> list[float]:
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - t0) * 1e3)
        if check is not None and i in (0, n - 1):
            check(result)
    return samples
