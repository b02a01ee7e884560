"""Storage of articles, mentions, quotes and failures: SQLite by default, PostgreSQL by URL.

``Store.open("sqlite:///eventwire.db")`` or ``Store.open("postgresql://user@host/db")``; the same
schema and code serve both.
"""

from eventwire.store.query import MentionFilter, haversine_km
from eventwire.store.repository import Store, StoredFailure
from eventwire.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "MentionFilter", "Store", "StoredFailure", "haversine_km"]
