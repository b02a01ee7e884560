"""Stored MinHash signatures, so near-duplicate detection remembers stories across runs.

One row per body dedup has seen: a stored article (``key == article_id``) or a near-duplicate copy
of one (``key`` is the copy's body hash, ``article_id`` the stored article it was attached to). A
copy's row lets a later run recognise the very same copy by its id alone, and lets the LSH index
find stories through any of their known copies.

The table has its own metadata and is created on first use, so the Store's schema and API stay as
they are. It has no foreign key to ``articles``: rows are written after their article in a
separate transaction, and ``load`` only returns rows whose article exists. ``scheme`` names the
shingle/permutation settings a signature was made with; rows of another scheme are dropped and
recomputed from the stored bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Integer, LargeBinary, String, delete, exists, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventwire.errors import StoreError
from eventwire.store.schema import ArticleRow

if TYPE_CHECKING:
    from eventwire.dedup import Signature
    from eventwire.store import Store

log = logging.getLogger(__name__)

_LOAD_BATCH = 5000


class SignatureBase(DeclarativeBase):
    """Separate metadata: the dedup table is created by this module, not by ``Store.open``."""


class SignatureRow(SignatureBase):
    __tablename__ = "dedup_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    article_id: Mapped[str] = mapped_column(String(64), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    hashvalues: Mapped[bytes] = mapped_column(LargeBinary)


class SignatureStore:
    """Read and write the signatures of one Store's database."""

    def __init__(self, store: Store) -> None:
        self._engine = store.engine
        self.url = store.url
        try:
            SignatureBase.metadata.create_all(self._engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot create the dedup table on {self.url}: {exc}") from exc

    def put(self, key: str, article_id: str, scheme: str, sig: Signature) -> bool:
        """Store one signature; True if it was new (storing the same key again is a no-op).

        A lone INSERT (no read before it) takes SQLite's write lock directly, so concurrent
        writers wait on the busy timeout instead of deadlocking on a lock upgrade.
        """
        row = {
            "key": key,
            "article_id": article_id,
            "scheme": scheme,
            "size": sig.size,
            "hashvalues": sig.to_bytes(),
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(SignatureRow), [row])
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            raise StoreError(f"storing the signature of {key} failed on {self.url}: {exc}") from exc
        return True

    def load(self, scheme: str) -> Iterator[tuple[str, str, int, bytes]]:
        """(key, article_id, size, hashvalues) of every signature of ``scheme`` whose article is
        stored, oldest first (the order decides ties between equally similar stories)."""
        stmt = (
            select(SignatureRow.key, SignatureRow.article_id, SignatureRow.size, SignatureRow.hashvalues)
            .where(SignatureRow.scheme == scheme)
            .where(exists().where(ArticleRow.id == SignatureRow.article_id))
            .order_by(SignatureRow.id)
            .execution_options(yield_per=_LOAD_BATCH)
        )
        try:
            with self._engine.connect() as conn:
                for key, article_id, size, data in conn.execute(stmt):
                    yield key, article_id, size, bytes(data)
        except SQLAlchemyError as exc:
            raise StoreError(f"loading signatures failed on {self.url}: {exc}") from exc

    def articles_without_signature(self, page: int = 1000) -> Iterator[list[tuple[str, str]]]:
        """Pages of (id, body) of stored articles that have no signature yet, in id order.

        Paged by id (each page read and closed before it is yielded), so memory stays flat when a
        large store written before dedup existed is signed for the first time.
        """
        after = ""
        while True:
            stmt = (
                select(ArticleRow.id, ArticleRow.body)
                .where(ArticleRow.id > after)
                .where(~exists().where(SignatureRow.key == ArticleRow.id))
                .order_by(ArticleRow.id)
                .limit(page)
            )
            try:
                with self._engine.connect() as conn:
                    rows = [(aid, body) for aid, body in conn.execute(stmt)]
            except SQLAlchemyError as exc:
                raise StoreError(f"looking for unsigned articles failed on {self.url}: {exc}") from exc
            if not rows:
                return
            yield rows
            after = rows[-1][0]

    def put_many(self, rows: list[tuple[str, str, str, Signature]]) -> int:
        """Store many (key, article_id, scheme, signature) in one transaction, skipping keys that
        are already stored; returns how many were new."""
        if not rows:
            return 0
        keys = [key for key, *_ in rows]
        try:
            with self._engine.begin() as conn:
                found = set(conn.scalars(select(SignatureRow.key).where(SignatureRow.key.in_(keys))))
                values = [
                    {
                        "key": key,
                        "article_id": article_id,
                        "scheme": scheme,
                        "size": sig.size,
                        "hashvalues": sig.to_bytes(),
                    }
                    for key, article_id, scheme, sig in rows
                    if key not in found
                ]
                if values:
                    conn.execute(insert(SignatureRow), values)
        except SQLAlchemyError as exc:
            raise StoreError(f"storing signatures failed on {self.url}: {exc}") from exc
        return len(values)

    def drop_other_schemes(self, scheme: str) -> int:
        """Delete signatures made with other settings; returns how many were deleted."""
        try:
            with self._engine.begin() as conn:
                result = conn.execute(delete(SignatureRow).where(SignatureRow.scheme != scheme))
        except SQLAlchemyError as exc:
            raise StoreError(f"dropping stale signatures failed on {self.url}: {exc}") from exc
        return int(result.rowcount or 0)

    def count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(SignatureRow)).scalar_one())
