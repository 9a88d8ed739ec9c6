"""Deleted means gone: a purged upload's bytes are in neither the SQLite file nor its WAL afterwards."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from renderer.store import open_store
from renderer.store.base import utcnow


def test_a_purged_photo_leaves_no_bytes_in_the_file_or_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    try:
        with store.db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1     # set, not the build's default
        marker = secrets.token_bytes(16) * 4096          # 64 KB nobody else would write: an ID photo
        store.put_upload("owner", marker, "image/jpeg", journey="adult")
        assert _holds(tmp_path, marker[:64])
        counts = store.purge(dt.timedelta(days=1), now=utcnow() + dt.timedelta(days=2))
        assert counts["uploads"] == 1
        assert not _holds(tmp_path, marker[:64])
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0       # checkpointed and truncated
    finally:
        store.close()


def _holds(folder: Path, needle: bytes) -> bool:
    return any(needle in f.read_bytes() for f in folder.iterdir() if f.is_file())
