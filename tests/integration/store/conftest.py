"""Every store test runs on both engines: the embedded SQLite file and a throwaway PostgreSQL database."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from renderer.store import open_store
from renderer.store.sql import SqlStore
from tests.pg import throwaway_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
    else:
        with throwaway_database() as url:
            yield url


@pytest.fixture
def worker(database_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Opens the store as one more worker process would: its own engine and pool on the same database."""
    opened: list[SqlStore] = []

    def open_one() -> SqlStore:
        opened.append(open_store(database_url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(worker: Callable[[], SqlStore]) -> SqlStore:
    return worker()
