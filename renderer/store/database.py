"""One SQLAlchemy engine for either store: an embedded SQLite file, or PostgreSQL through psycopg 3 and a pool."""
from __future__ import annotations

import os
import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from renderer.store.prepared import Statements

SQLITE_BUSY_MS = 10_000      # a writer waits this long for another worker's transaction before giving up
POOL_SIZE = 8                # per worker process: the thread pool runs about this many requests at once
POOL_OVERFLOW = 8
SQLITE_WRITE = "BEGIN IMMEDIATE"     # a writer takes the write lock at once: two never deadlock upgrading a read lock


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
    deadlock upgrading a read lock; `read()` is a plain snapshot. `statements()` and `transaction()` are the same
    for the hot paths' prepared statements (renderer/store/prepared.py), on a pooled DBAPI connection. Inside
    `held()` every one of them runs on the request's one connection: a request never holds one connection while
    waiting for a second, so the pool cannot stall however many requests the thread pool runs at once."""

    def __init__(self, url: str, pool_size: int = POOL_SIZE, pool_overflow: int = POOL_OVERFLOW) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self.engine: Engine = (_sqlite_engine(url, pool_size, pool_overflow) if self.sqlite
                               else _postgres_engine(url, pool_size, pool_overflow))
        self._held = threading.local()       # .on: this thread holds; .connection: what it holds, once taken

    @contextmanager
    def held(self) -> Iterator[None]:
        """One request's statements in this thread share one pooled connection, taken at the first and given back
        when the block ends: one checkout instead of one per statement, which under load is what the pool's lock
        costs most, and never a second connection while the first is held. No transaction stays open between
        statements (each commits or rolls back), so nothing is locked that other workers need; `released()` gives
        it back while an outside system is asked."""
        if getattr(self._held, "on", False):
            yield
            return
        self._held.on = True
        try:
            yield
        finally:
            self._held.on = False
            self._give_back()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Inside `held()`: the connection goes back to the pool while the block runs (an outside system may take
        seconds to answer; a held connection would sit idle and count against the pool), and statements in it
        take their own. The next statement after it takes one again."""
        if not getattr(self._held, "on", False):
            yield
            return
        self._give_back()
        self._held.on = False
        try:
            yield
        finally:
            self._held.on = True

    def _give_back(self) -> None:
        connection: Connection | None = getattr(self._held, "connection", None)
        self._held.connection = None
        if connection is not None:
            connection.close()

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """The held connection (taken now if need be), or one checked out for this block alone."""
        if getattr(self._held, "on", False):
            connection: Connection | None = getattr(self._held, "connection", None)
            if connection is None or not _usable(connection):       # a broken one is replaced, not lent again
                self._give_back()
                connection = self._held.connection = self.engine.connect()
            yield connection
            return
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _lent(self) -> Iterator[Any]:
        """The pool's DBAPI connection under `_connection()`, for prepared statements."""
        with self._connection() as connection:
            yield connection.connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._connection() as conn:
            conn.execution_options(yss_write=True)       # in place: read back by the "begin" listener (SQLite)
            try:
                with conn.begin():
                    yield conn
            finally:
                if not conn.closed:
                    conn.execution_options(yss_write=False)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._connection() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def statements(self) -> Iterator[Statements]:
        """Each statement is its own transaction: a read is one snapshot; a single write commits at once, and on
        SQLite takes the write lock as it starts, as BEGIN IMMEDIATE does. One round trip each on PostgreSQL."""
        with self._lent() as connection:
            driver: Any = connection.dbapi_connection
            statements = Statements(connection, self.engine.dialect)
            try:
                if not self.sqlite:      # SQLite's connections are in autocommit mode already (see _sqlite_engine)
                    driver.autocommit = True
                yield statements
            finally:
                statements.close()
                if not self.sqlite and connection.is_valid:
                    driver.autocommit = False       # what Core expects of a pooled connection

    @contextmanager
    def transaction(self) -> Iterator[Statements]:
        """One write transaction, as `write()`: BEGIN IMMEDIATE on SQLite; psycopg begins one on PostgreSQL."""
        with self._lent() as connection:
            statements = Statements(connection, self.engine.dialect)
            dbapi_error = self.engine.dialect.loaded_dbapi.Error
            try:
                try:
                    if self.sqlite:
                        statements.cursor.execute(SQLITE_WRITE)
                    yield statements
                    connection.commit()
                except dbapi_error as error:
                    raise statements.wrapped(error) from error
            except BaseException:
                if connection.is_valid:
                    try:
                        connection.rollback()
                    except dbapi_error as error:
                        connection.invalidate(error)
                raise
            finally:
                statements.close()

    def checkpoint(self) -> None:
        """After a purge: SQLite copies the WAL into the file (where secure_delete has zeroed what was deleted) and
        truncates it, so no deleted page lingers in the -wal file. PostgreSQL frees dead rows by VACUUM (README)."""
        if self.sqlite:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        self.engine.dispose()


def _usable(connection: Connection) -> bool:
    """Open, and its DBAPI connection not invalidated (a prepared statement that met a cut connection does that)."""
    if connection.closed or connection.invalidated:
        return False
    try:
        return bool(connection.connection.is_valid)
    except exc.SQLAlchemyError:
        return False


def _sqlite_engine(url: str, pool_size: int, pool_overflow: int) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _private_folder(path.parent)
        _private_file(path)
    connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}
    if path is None:      # in memory (analysts' preview, unit tests): one connection, or each would be a new database
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(url, connect_args=connect_args, pool_size=pool_size, max_overflow=pool_overflow)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None       # the driver's own transaction handling is off: BEGIN is ours
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")    # WAL + NORMAL: a committed draft survives a crash of the app
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")     # deleted rows (ID photos) are overwritten, not left in free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(SQLITE_WRITE if conn.get_execution_options().get("yss_write") else "BEGIN")

    return engine


def _postgres_engine(url: str, pool_size: int, pool_overflow: int) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_overflow, pool_recycle=1800,
                           connect_args={"connect_timeout": 5})

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        """SQLAlchemy's pool_pre_ping, without its round trip on every checkout. A pooled connection has read all
        it was sent, so its socket is quiet unless the server has closed it (a restart, a killed backend) or sent
        something unasked: only then is it pinged, and if that fails the pool drops every connection made before,
        as pre-ping does. A server that vanished without closing (a dead host) would hang a ping as well."""
        if dbapi_conn.closed or _has_input(dbapi_conn.fileno()):
            try:
                engine.dialect.do_ping(dbapi_conn)
            except engine.dialect.loaded_dbapi.Error as error:
                raise exc.InvalidatePoolError() from error

    return engine


def _has_input(fd: int) -> bool:
    poller = select.poll()      # not select.select: it fails on descriptors above 1024
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))       # POLLIN, or POLLHUP / POLLERR, which poll reports always


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
