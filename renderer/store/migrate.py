"""Bring a database to the newest schema with Alembic, safely when several workers start at once."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from renderer.store.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
LOCK_KEY = 0x595353      # "YSS": PostgreSQL's advisory lock that serialises starting workers


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def current(db: Database) -> str | None:
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction, holding the database's lock meanwhile."""
    with db.write() as conn:      # SQLite: BEGIN IMMEDIATE; DDL is transactional on both engines
        if not db.sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        config = alembic_config(conn)
        if _made_before_migrations(conn):
            command.stamp(config, BASELINE)
        command.upgrade(config, revision)


def _made_before_migrations(conn: Connection) -> bool:
    """A store made by the first sessions' SQL: its tables exist but Alembic has never stamped it."""
    names = set(inspect(conn).get_table_names())
    return "drafts" in names and "alembic_version" not in names
