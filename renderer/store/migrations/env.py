"""Alembic's entry point: the store hands it an open connection (renderer/store/migrate.py)."""
from __future__ import annotations

from alembic import context

from renderer.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
