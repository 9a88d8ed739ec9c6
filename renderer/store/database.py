"""One SQLAlchemy engine for either store: an embedded SQLite file, or PostgreSQL through psycopg 3 and a pool."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_MS = 10_000      # a writer waits this long for another worker's transaction before giving up
POOL_SIZE = 8                # per worker process: the thread pool runs about this many requests at once
POOL_OVERFLOW = 8


def database_url(setting: str | Path) -> str:
    """`YSS_DB` as a SQLAlchemy URL: a file path is SQLite; postgresql://… is PostgreSQL through psycopg 3."""
    text = str(setting)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    if text == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(text).resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if is_sqlite(url) and database and database != ":memory:" else None


class Database:
    """Transactions: `write()` takes the write lock at once on SQLite (BEGIN IMMEDIATE), so two workers never
    deadlock upgrading a read lock; `read()` is a plain snapshot."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self.engine: Engine = _sqlite_engine(url) if self.sqlite else _postgres_engine(url)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.execution_options(yss_write=True).begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _private_folder(path.parent)
        _private_file(path)
    connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}
    if path is None:      # in memory (analysts' preview, unit tests): one connection, or each would be a new database
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(url, connect_args=connect_args, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None       # the driver's own transaction handling is off: BEGIN is ours
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")    # WAL + NORMAL: a committed draft survives a crash of the app
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("yss_write") else "BEGIN")

    return engine


def _postgres_engine(url: str) -> Engine:
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_pre_ping=True,
                         pool_recycle=1800, connect_args={"connect_timeout": 5})


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        folder.chmod(0o700)
    except PermissionError:       # a folder someone else owns (e.g. /tmp): the files themselves stay private
        pass


def _private_file(path: Path) -> None:
    """The database holds ID numbers, addresses and ID-card photos: readable by the service's user only,
    and so are SQLite's -wal and -shm files, which it creates with the database file's mode."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            candidate.chmod(0o600)
