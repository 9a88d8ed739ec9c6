"""Store operations on both engines, side by side in one run: what each request pays for its state."""
from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from renderer.journey.drafts import Drafts
from renderer.store import open_store
from tests.bench.report import add, add_note, step
from tests.pg import throwaway_database

ROUNDS = 300
DRAFT = {"raw": {f"field{i}": f"答案{i}" * 4 for i in range(40)}, "facts": {"documents.id_card.0": "x" * 24},
         "done": {"guide": "0123456789abcdef"}, "outcome": None, "stamps": {}}


def _timed(call: Callable[[int], Any], rounds: int = ROUNDS) -> list[float]:
    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _operations(store: Any, engine: str) -> None:
    drafts = Drafts(store)
    owner = f"bench-{engine}"
    draft = drafts.load(owner, "adult")
    draft.raw.update(DRAFT["raw"])
    drafts.save(owner, "adult", draft)

    def save(n: int) -> None:
        draft.raw["field0"] = f"第{n}次"
        drafts.save(owner, "adult", draft)           # one versioned UPDATE (no race here)

    cookie_id, _ = store.sessions.create(owner)
    add(f"{engine}: draft load", _timed(lambda n: drafts.load(owner, "adult")))
    add(f"{engine}: draft save (version check)", _timed(save))
    add(f"{engine}: session read", _timed(lambda n: store.sessions.get(cookie_id)))
    until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    add(f"{engine}: record change (locked)", _timed(
        lambda n: store.records.change("bench", "k", lambda old: ({"n": n}, until, None))))
    def claim_and_finish(n: int) -> None:
        claimed = store.claim_submission(owner, "adult", f"applicant-{n}", f"bench-token-{engine}-{n:06d}", DRAFT)
        store.finish_submission(claimed.application.id, claimed.application.attempt, "accepted", None, f"SB{n}")

    add(f"{engine}: submission claim + finish", _timed(claim_and_finish, rounds=100))


def bench_store() -> None:
    """Median and p99 of each store operation on SQLite (a file, WAL) and PostgreSQL (loopback, pooled)."""
    with tempfile.TemporaryDirectory(prefix="yss-bench-store-") as folder:
        step("store on SQLite")
        sqlite = open_store(Path(folder) / "bench.sqlite3")
        try:
            _operations(sqlite, "SQLite")
        finally:
            sqlite.close()
    with throwaway_database("yss_bench") as url:
        step("store on PostgreSQL")
        postgres = open_store(url)
        try:
            _operations(postgres, "PostgreSQL")
        finally:
            postgres.close()
    add_note("Store rows: one operation each, in this process, on an otherwise idle store; the PostgreSQL rows "
             "include a loopback round trip per statement and the pool's checkout.")
