"""API keys for the REST API: created once, shown once, stored only as a hash, revocable.

Keys are 32 random bytes, so a plain SHA-256 of the key is enough to store (a slow password hash
only matters for guessable secrets). The table lives in its own metadata, created on demand, so the
store's schema (and its version) stay untouched by the API.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, Integer, MetaData, String, Text, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from eventwire.errors import NotFound, StoreError

KEY_PREFIX = "ew_"
_SHOWN_CHARS = 8  # how much of a key its listing shows, to tell keys apart


class _KeysBase(DeclarativeBase):
    metadata = MetaData()


class ApiKeyRow(_KeysBase):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key as listed: never the secret itself."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _listed(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.name, row.prefix, row.created_at, row.revoked_at)


class KeyStore:
    """Create, list, revoke and check API keys in the database the store uses."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        try:
            _KeysBase.metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot create the api_keys table: {exc}") from exc

    def create(self, name: str = "") -> tuple[str, ApiKey]:
        """A new key: the secret (shown to the caller once, never stored) and its listing."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            name=name, prefix=key[: len(KEY_PREFIX) + _SHOWN_CHARS], digest=digest(key), created_at=_now()
        )
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()
            listed = _listed(row)
        return key, listed

    def list(self) -> list[ApiKey]:
        with Session(self._engine) as session:
            return [_listed(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke(self, key_id: int) -> ApiKey:
        """Mark a key revoked (kept for the record); revoking twice keeps the first time."""
        with Session(self._engine) as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFound(f"no API key with id {key_id}", hint="list keys with `eventwire keys list`")
            if row.revoked_at is None:
                session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked_at=_now()))
                session.refresh(row)
            return _listed(row)

    def verify(self, key: str | None) -> bool:
        """True for a known, unrevoked key. Compares digests in constant time."""
        if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return False
        wanted = digest(key)
        with Session(self._engine) as session:
            row = session.scalars(select(ApiKeyRow).where(ApiKeyRow.digest == wanted)).first()
        return row is not None and row.revoked_at is None and hmac.compare_digest(row.digest, wanted)


def _now() -> datetime:
    return datetime.now(UTC)
