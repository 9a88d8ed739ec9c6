"""Throwaway PostgreSQL databases for tests and the bench: made on the machine's server, dropped afterwards.

PostgreSQL must be running (`.ci/run` and `make test` start it): a test that needs it fails, never skips.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

SERVER = os.environ.get("YSS_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise RuntimeError(f"PostgreSQL is not reachable at {SERVER}: start it with "
                           "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`") from exc


@contextmanager
def throwaway_database(prefix: str = "yss_test") -> Iterator[str]:
    """A new empty database; yields its postgresql:// URL and drops it (closing its connections) at the end."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
