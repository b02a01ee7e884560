"""Alembic migrations of the merge tables, run programmatically (no alembic.ini needed).

``upgrade(connection)`` brings a database to head inside the caller's transaction, so ``Store.open``
can run it under the same lock that serialises schema creation by parallel workers. The env works
on SQLite (batch mode, since SQLite cannot ALTER most things) and on PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

HERE = Path(__file__).parent


def config(connection: Connection | None = None) -> Config:
    """An alembic Config pointing at these scripts; ``connection`` is handed to env.py."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision id."""
    found = ScriptDirectory.from_config(config()).get_current_head()
    if found is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migration revisions found")
    return found


def current(connection: Connection) -> str | None:
    """The revision a database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database behind ``connection`` (inside its transaction) to ``revision``."""
    command.upgrade(config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(config(connection), revision)
