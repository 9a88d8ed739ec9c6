"""The embedded store: one SQLite file in WAL mode. Plain SQL that PostgreSQL also speaks."""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any, Mapping

from renderer.store.base import Application, StoredUpload

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    owner TEXT NOT NULL, journey TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (owner, journey));
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, content_type TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, journey TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, reference TEXT, created_at TEXT NOT NULL);
"""


class SqliteStore:
    """Thread-safe through one lock: the app's sync endpoints run in a thread pool."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")   # WAL + NORMAL: a committed draft survives a crash of the app
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def load_draft(self, owner: str, journey: str) -> dict[str, Any] | None:
        rows = self._run("SELECT state FROM drafts WHERE owner = ? AND journey = ?", (owner, journey))
        return json.loads(rows[0][0]) if rows else None

    def save_draft(self, owner: str, journey: str, state: Mapping[str, Any]) -> None:
        self._run("INSERT INTO drafts (owner, journey, state, updated_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP) "
                  "ON CONFLICT (owner, journey) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                  (owner, journey, json.dumps(state, ensure_ascii=False)))

    def delete_draft(self, owner: str, journey: str) -> None:
        self._run("DELETE FROM drafts WHERE owner = ? AND journey = ?", (owner, journey))

    def put_upload(self, owner: str, data: bytes, content_type: str) -> str:
        upload_id = secrets.token_urlsafe(18)
        self._run("INSERT INTO uploads (id, owner, content_type, data, created_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)",
                  (upload_id, owner, content_type, data))
        return upload_id

    def get_upload(self, owner: str, upload_id: str) -> StoredUpload | None:
        rows = self._run("SELECT data, content_type FROM uploads WHERE id = ? AND owner = ?", (upload_id, owner))
        return StoredUpload(bytes(rows[0][0]), rows[0][1]) if rows else None

    def claim_submission(self, owner: str, journey: str, token: str,
                         payload: Mapping[str, Any]) -> tuple[Application, bool]:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO applications (owner, journey, token, payload, status, created_at) "
                "VALUES (?, ?, ?, ?, 'pending', CURRENT_TIMESTAMP) ON CONFLICT (token) DO NOTHING",
                (owner, journey, token, json.dumps(payload, ensure_ascii=False, default=str)))
            created = cursor.rowcount == 1
            row = self._db.execute("SELECT id, owner, journey, token, status, reason, reference FROM applications "
                                   "WHERE token = ?", (token,)).fetchone()
        return Application(*row), created

    def finish_submission(self, application_id: int, status: str, reason: str | None, reference: str | None) -> None:
        self._run("UPDATE applications SET status = ?, reason = ?, reference = ? WHERE id = ?",
                  (status, reason, reference, application_id))

    def count_applications(self, owner: str) -> int:
        return int(self._run("SELECT COUNT(*) FROM applications WHERE owner = ?", (owner,))[0][0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
