"""Schema changes are migrations: a database made by the first sessions' SQL is upgraded in place, keeping its data."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from renderer.store import migrate, open_store
from renderer.store.database import Database, database_url

# The store's schema as renderer/store/sqlite.py wrote it before migrations existed (commit 6715223).
FIRST_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    owner TEXT NOT NULL, journey TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (owner, journey));
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, content_type TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, journey TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, reference TEXT, created_at TEXT NOT NULL);
"""


def test_a_store_made_before_migrations_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(FIRST_SCHEMA)
    old.execute("INSERT INTO drafts VALUES ('me', 'adult', '{\"raw\": {\"phone\": \"13600002819\"}}', CURRENT_TIMESTAMP)")
    old.execute("INSERT INTO uploads VALUES ('up1', 'me', 'image/jpeg', x'ffd8', CURRENT_TIMESTAMP)")
    old.execute("INSERT INTO applications (owner, journey, token, payload, status, created_at) VALUES "
                "('me', 'adult', 'stuck-token-0123456789', '{\"files\": [{\"upload\": \"up1\"}]}', 'pending', "
                "CURRENT_TIMESTAMP)")
    old.commit()
    old.close()

    store = open_store(path)
    assert migrate.current(store.db) == migrate.head()
    draft = store.load_draft("me", "adult")
    assert draft is not None and draft.version == 1 and draft.state["raw"] == {"phone": "13600002819"}
    assert store.get_upload("me", "up1") is not None
    # The application a crash left pending under the old code is sent again, not stuck.
    claim = store.claim_submission("me", "adult", "440106199001011235", "stuck-token-0123456789", {})
    assert claim.action == "send" and claim.application.payload == {"files": [{"upload": "up1"}]}
    store.close()


def test_migrations_run_once_and_every_step_goes_back_down(tmp_path: Path) -> None:
    db = Database(database_url(tmp_path / "fresh.sqlite3"))
    migrate.upgrade(db)
    migrate.upgrade(db)                      # a second worker starting finds nothing to do
    assert migrate.current(db) == migrate.head()
    from alembic import command
    with db.write() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    assert migrate.current(db) is None
    migrate.upgrade(db)
    assert migrate.current(db) == migrate.head()
    db.dispose()


def test_the_models_tables_are_what_the_migrations_make(database_url: str) -> None:
    """tables.py (what the code uses) and versions/ (what databases get) describe the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from renderer.store.tables import metadata
    store = open_store(database_url)
    with store.db.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    store.close()
    assert differences == []


def test_one_card_per_applicant_keeps_the_first_of_older_duplicates(tmp_path: Path) -> None:
    """Before 0005 a person could hold several accepted applications (one per journey, one after another): the
    upgrade keeps the first as it is, marks the others `duplicate` (the operator finds them), and adds the index."""
    db = Database(database_url(tmp_path / "before.sqlite3"))
    migrate.upgrade(db, "0004")
    with db.write() as conn:
        for n, (journey, status) in enumerate([("adult", "accepted"), ("minor", "accepted"), ("adult", "rejected"),
                                               ("adult", "accepted")]):
            conn.exec_driver_sql(
                "INSERT INTO applications (owner, journey, applicant, token, payload, status, attempts, created_at) "
                f"VALUES ('me', '{journey}', '440105201208203422', 'token-{n}', '{{}}', '{status}', 1, "
                "CURRENT_TIMESTAMP)")
    db.dispose()
    store = open_store(tmp_path / "before.sqlite3")
    try:
        assert [a.status for a in store.applications_of("me")] == ["accepted", "duplicate", "rejected", "duplicate"]
        again = store.claim_submission("me", "adult", "440105201208203422", "token-new-0123456789", {})
        assert again.action == "held" and again.application.token == "token-0"
    finally:
        store.close()
