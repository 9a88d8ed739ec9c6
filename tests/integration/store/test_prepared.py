"""The hot paths' prepared statements (renderer/store/prepared.py) read and write exactly what Core does, on SQLite
and PostgreSQL: the same values of the same types, datetimes aware and in UTC, the same exceptions."""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import psycopg
import pytest
from sqlalchemy import and_, bindparam, event, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from renderer.store import open_store
from renderer.store.base import utcnow
from renderer.store.prepared import Prepared
from renderer.store.sql import SqlStore
from renderer.store.tables import metadata, records
from tests.pg import SERVER, throwaway_database

OWNER = "owner-key-1"
CHINA = dt.timezone(dt.timedelta(hours=8))


def _fill(store: SqlStore) -> None:
    """A row in every table, with NULLs where a column allows them and bytes, booleans and datetimes."""
    store.sessions.create(OWNER)
    store.save_draft(OWNER, "adult", {"raw": {"name": "张三"}}, None, "v1")
    store.save_draft(OWNER, "minor", {"raw": {}}, None)
    photo = store.put_upload(OWNER, b"\x00jpeg\xff", "image/jpeg", journey="adult", thumbnail=b"thumb")
    store.put_upload(OWNER, b"png", "image/png")
    claim = store.claim_submission(OWNER, "adult", "440106199001011235", "token-0123456789", {"n": 1})
    store.finish_submission(claim.application.id, claim.application.attempt, "accepted", None, "SB1", uploads_kept=[photo])
    store.claim_submission(OWNER, "minor", "440105201503153317", "token-9876543210", {"n": 2})
    store.records.put("face", "challenge", {"owner": OWNER}, dt.datetime(2099, 1, 1, 8, tzinfo=CHINA))
    store.versions.keep("v1", "first", {"forms/a.yaml": "a: 1"})


def test_every_column_of_every_table_reads_as_core_reads_it(store: SqlStore) -> None:
    _fill(store)
    dialect = store.db.engine.dialect
    seen: set[type] = set()
    for table in metadata.sorted_tables:
        by_key = Prepared(select(table).where(and_(*(column == bindparam(column.name)
                                                     for column in table.primary_key))))
        with store.db.read() as conn:
            rows = conn.execute(select(table)).all()
        assert rows, table.name
        for row in rows:
            key = {column.name: getattr(row, column.name) for column in table.primary_key}
            with store.db.statements() as sql:
                prepared = sql.first(by_key, **key)
            assert prepared == tuple(row), table.name
            assert [type(value) for value in prepared] == [type(value) for value in row], table.name
            for value in prepared:
                seen.add(type(value))
                if isinstance(value, dt.datetime):
                    assert value.tzinfo == dt.UTC, (table.name, dialect.name)
    assert {str, int, bytes, bool, dt.datetime, type(None)} <= seen


def test_what_the_prepared_path_writes_reads_back_as_what_core_writes(store: SqlStore) -> None:
    expires = dt.datetime(2099, 1, 1, 8, 30, tzinfo=CHINA)       # not UTC: both paths store the same instant
    store.records.put("flash", "prepared", {"page": "申请信息"}, expires)
    with store.db.write() as conn:
        conn.execute(insert(records).values(kind="flash", key="core", value='{"page": "申请信息"}',
                                            expires_at=expires))
    with store.db.read() as conn:
        rows = {row.key: row for row in conn.execute(select(records).where(records.c.kind == "flash"))}
        stored = dict(conn.exec_driver_sql("SELECT key, expires_at FROM records").all())     # as the database has it
    assert stored["prepared"] == stored["core"]           # on SQLite UTC text that sorts, as SQL comparisons need
    assert rows["prepared"].value == rows["core"].value
    assert rows["prepared"].expires_at == rows["core"].expires_at == expires
    assert rows["prepared"].expires_at.tzinfo == dt.UTC
    assert store.records.get("flash", "prepared") == {"page": "申请信息"}


def test_a_drivers_error_comes_out_as_cores_and_the_connection_is_lent_again(store: SqlStore) -> None:
    add = Prepared(insert(records).values(kind=bindparam("kind"), key=bindparam("key"), value="{}",
                                          expires_at=bindparam("expires_at")))
    later = utcnow() + dt.timedelta(minutes=5)
    with store.db.statements() as sql:
        sql.run(add, kind="sms", key="13600002819", expires_at=later)
    for lend in (store.db.statements, store.db.transaction):
        with pytest.raises(IntegrityError), lend() as sql:
            sql.run(add, kind="sms", key="13600002819", expires_at=later)
    assert store.records.get("sms", "13600002819") == {}


def test_a_failed_transaction_leaves_nothing_behind(store: SqlStore) -> None:
    def fail(_old: Any) -> Any:
        raise RuntimeError("the caller's own error, after a row was made to lock")

    with pytest.raises(RuntimeError):
        store.records.change("sms", "13600002819", fail)
    with store.db.read() as conn:
        assert conn.execute(select(records)).all() == []
    assert store.records.hit("rate", "ip", 1, dt.timedelta(minutes=1)) is True       # the pool still lends


def test_a_session_read_touches_it_at_most_once_a_minute(store: SqlStore) -> None:
    now = utcnow()
    cookie_id, _ = store.sessions.create(OWNER, now=now)
    assert store.sessions.get(cookie_id, now=now + dt.timedelta(seconds=30)) is not None       # not written
    assert store.sessions.get(cookie_id, now=now + dt.timedelta(minutes=29, seconds=59)) is not None   # written
    later = store.sessions.get(cookie_id, now=now + dt.timedelta(minutes=59))
    assert later is not None and later.last_seen_at == now + dt.timedelta(minutes=59)
    assert later.expires_at.tzinfo == dt.UTC


def test_the_hot_paths_survive_a_restarted_postgresql() -> None:
    """Every pooled connection is cut (as a server restart cuts them): the next requests still work."""
    with throwaway_database() as url:
        store = open_store(url)
        try:
            cookie_id, _ = store.sessions.create(OWNER)
            with store.db.statements(), store.db.statements(), store.db.statements():
                pass                                # three connections wait in the pool
            with psycopg.connect(SERVER, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s",
                              (url.rsplit("/", 1)[1],))        # waits until they are gone, as a restart does
            for _ in range(4):
                assert store.sessions.get(cookie_id) is not None
            version = store.save_draft(OWNER, "adult", {"raw": {}}, None)
            assert store.save_draft(OWNER, "adult", {"raw": {"a": "1"}}, version) == version + 1
            store.records.put("flash", "token", {"page": "p"}, utcnow() + dt.timedelta(minutes=5))
            assert store.records.take("flash", "token") == {"page": "p"}
        finally:
            store.close()


def _checkouts(store: SqlStore) -> list[int]:
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    event.listen(store.db.engine, "checkout", count)
    return counted


def test_a_held_connection_serves_a_whole_request_and_commits_each_write(store: SqlStore, worker: Any) -> None:
    """One checkout for the session, the draft, a record and the save; each write is committed at once (another
    worker sees it before the block ends) and nothing is left locked between statements."""
    cookie_id, _ = store.sessions.create(OWNER)
    version = store.save_draft(OWNER, "adult", {"raw": {}}, None)
    other = worker()
    counted = _checkouts(store)
    with store.held():
        assert store.sessions.get(cookie_id) is not None
        assert store.load_draft(OWNER, "adult") is not None
        assert store.records.get("flash", "nothing") is None
        store.save_draft(OWNER, "adult", {"raw": {"a": "1"}}, version)
        assert other.load_draft(OWNER, "adult").state["raw"] == {"a": "1"}        # committed, visible elsewhere
        other.save_draft(OWNER, "adult", {"raw": {"a": "2"}}, version + 1)        # and not locked by this one
        store.records.put("flash", "token", {"page": "p"}, utcnow() + dt.timedelta(minutes=5))
        with store.held():                                                       # nested: the same connection
            assert store.records.take("flash", "token") == {"page": "p"}
    assert counted[0] == 1
    assert store.load_draft(OWNER, "adult").state["raw"] == {"a": "2"}
    assert counted[0] == 2                                                        # after the block: its own again


def test_a_failed_write_inside_a_held_block_leaves_the_connection_usable(store: SqlStore) -> None:
    def fail(_old: Any) -> Any:
        raise RuntimeError("the caller's own error, inside the transaction")

    with store.held():
        with pytest.raises(RuntimeError):
            store.records.change("sms", "13600002819", fail)
        assert store.records.hit("rate", "ip", 1, dt.timedelta(minutes=1)) is True
        assert store.save_draft(OWNER, "adult", {"raw": {}}, None) == 1
    assert store.records.get("rate", "ip") is not None


def test_a_held_connection_cut_by_a_restarted_postgresql_is_replaced() -> None:
    with throwaway_database() as url:
        store = open_store(url)
        try:
            cookie_id, _ = store.sessions.create(OWNER)
            with store.held():
                assert store.sessions.get(cookie_id) is not None
                with psycopg.connect(SERVER, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                  "WHERE datname = %s", (url.rsplit("/", 1)[1],))
                with pytest.raises(DBAPIError):          # the statement that meets the cut connection fails …
                    store.sessions.get(cookie_id)
                assert store.sessions.get(cookie_id) is not None      # … and the next one gets a new connection
        finally:
            store.close()


def test_a_released_connection_goes_back_to_the_pool_while_an_outside_system_answers(store: SqlStore) -> None:
    cookie_id, _ = store.sessions.create(OWNER)
    pool = store.db.engine.pool
    counted = _checkouts(store)
    with store.held():
        assert store.sessions.get(cookie_id) is not None
        assert pool.checkedout() == 1
        with store.released():
            assert pool.checkedout() == 0                       # nothing sits idle while the outside call runs
            store.records.put("sms", "13600002819", {"n": 1}, utcnow() + dt.timedelta(minutes=5))
            assert pool.checkedout() == 0                       # a statement in it takes one and gives it back
        assert store.records.get("sms", "13600002819") == {"n": 1}
        assert pool.checkedout() == 1                           # held again after it
    assert pool.checkedout() == 0
    assert counted[0] == 3


def test_calls_to_the_services_are_made_with_the_connection_released() -> None:
    from renderer.services.base import Services, around_calls

    seen: list[str] = []

    class Adapter:
        latency = 0.0

        def ask(self, value: str) -> str:
            seen.append(f"asked {value}")
            return value.upper()

    @contextlib.contextmanager
    def around() -> Any:
        seen.append("released")
        yield
        seen.append("held again")

    adapters = {name: Adapter() for name in ("sign_in", "face", "sms", "provincial")}
    wrapped = around_calls(Services(**adapters), around)
    assert wrapped.provincial.ask("x") == "X"
    assert seen == ["released", "asked x", "held again"]
    wrapped.provincial.latency = 2.5                            # a setting is the adapter's own
    assert adapters["provincial"].latency == 2.5 and wrapped.provincial.latency == 2.5

    class Channel(Adapter):
        def identity(self, key: str) -> str:
            seen.append(f"looked up {key}")
            return key

    seen.clear()
    channel = around_calls(Services(**{**adapters, "sign_in": Channel()}), around).sign_in
    assert channel.identity("k") == "k" and channel.ask("y") == "Y"     # identity is answered from what it kept
    assert seen == ["looked up k", "released", "asked y", "held again"]
