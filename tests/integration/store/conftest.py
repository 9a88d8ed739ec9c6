"""Every store test runs on both engines: the embedded SQLite file and a throwaway PostgreSQL database."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from renderer.store import open_store
from renderer.store.sql import SqlStore


@pytest.fixture
def database_url(each_engine: str) -> str:
    return each_engine


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
