"""The store: `open_store(YSS_DB)` gives the one interface on SQLite or PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from renderer.store.sql import SqlStore


def open_store(setting: str | Path) -> SqlStore:
    """A file path (SQLite, the embedded default) or postgresql://… (psycopg 3 with a pool); migrations run first."""
    return SqlStore(setting)
