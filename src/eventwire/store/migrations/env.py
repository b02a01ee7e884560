"""Alembic environment: always online, on the connection ``eventwire.store.migrations`` passes."""

from __future__ import annotations

from alembic import context

from eventwire.store.events import EventBase

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run eventwire migrations through eventwire.store.migrations.upgrade(connection)")

context.configure(
    connection=connection,
    target_metadata=EventBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
