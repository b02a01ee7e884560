"""Exact and near-duplicate detection: keep one copy of a story, remember every outlet that ran it.

Exact duplicates need nothing here: an article's id is already the hash of its normalised body
(``records.article_id``), so the store recognises a second copy of the same text by its id.

Near duplicates are syndicated copies of one wire story that differ by a headline, an added
sentence, a trimmed ending, a copy-edit or the page furniture the cleanup let through. They are
found with MinHash (datasketch) over word shingles and an LSH banding index:

1. the body is lower-cased and split into words; every run of ``shingle_words`` words is a shingle;
2. a MinHash signature of the shingle set (``num_perm`` values, datasketch's "affine32" scheme,
   fixed seed, so the same body always gives the same signature on any machine);
3. the LSH index (b bands of r values, the banding datasketch's MinHashLSH picks for
   ``candidate_threshold``) proposes the stored stories that share a whole band with it;
4. each candidate is scored as max(Jaccard, containment), where containment is the share of the
   *shorter* text's shingles found in the longer one (estimated from the Jaccard estimate and the
   two exact shingle counts). Containment is what catches a copy trimmed to its first paragraphs,
   whose Jaccard with the full story is low;
5. the best candidate at or above ``threshold`` is the story this article copies (ties go to the
   story indexed first, so the outcome does not depend on set iteration order).

The thresholds were chosen by measurement on a generated corpus of syndicated and unrelated
same-topic stories (``benchmarks/dedup_eval.py``; figures and method in ``docs/dedup.md``).

Bodies with fewer than ``min_shingles`` shingles are only deduplicated exactly: on a two-sentence
brief a MinHash estimate is too coarse to tell a copy from a different brief on the same event.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

    from eventwire.store import Store
    from eventwire.store.signatures import SignatureStore

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
_SCHEME = "affine32"  # datasketch >= 2.0: uint32 values, a bijective permutation per value


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """How near duplicates are found; the defaults are the measured choice (docs/dedup.md)."""

    shingle_words: int = 5
    num_perm: int = 128
    candidate_threshold: float = 0.3
    threshold: float = 0.7
    min_shingles: int = 20
    index_copies: bool = True  # copies are indexed too: a trimmed and a padded copy meet via either
    use_containment: bool = True  # score = max(Jaccard, containment); False: Jaccard alone
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle_words < 1:
            raise ValueError(f"shingle_words must be at least 1, got {self.shingle_words}")
        if self.num_perm < 16:
            raise ValueError(f"num_perm must be at least 16, got {self.num_perm}")
        for name in ("candidate_threshold", "threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")

    @property
    def scheme(self) -> str:
        """Names everything a stored signature depends on: a change invalidates stored ones."""
        return f"w{self.shingle_words}-p{self.num_perm}-s{self.seed}-{_SCHEME}"


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """A MinHash signature of one body and the exact number of distinct shingles it summarises."""

    hashvalues: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), size)


@dataclass(frozen=True, slots=True)
class NearMatch:
    """The stored story an article copies, and how alike they are."""

    article_id: str  # the first copy: the stored article every later copy is attached to
    key: str  # the indexed body that matched (the first copy itself or an earlier copy of it)
    jaccard: float
    containment: float

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


def words(text: str) -> list[str]:
    """Lower-cased words: punctuation, case and spacing differences do not break a shingle."""
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int) -> set[bytes]:
    """Every run of ``size`` consecutive words, as bytes (what MinHash hashes)."""
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int) -> MinHash:
    """One MinHash per setting, whose permutations every new signature reuses (they are costly)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME)


def signature(text: str, options: DedupOptions) -> Signature:
    """The MinHash signature of a body's shingle set."""
    from datasketch import MinHash

    template = _template(options.num_perm, options.seed)
    minhash = MinHash(
        num_perm=options.num_perm, seed=options.seed, permutations=template.permutations, scheme=_SCHEME
    )
    shingle_set = shingles(text, options.shingle_words)
    minhash.update_batch(shingle_set)
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint32), len(shingle_set))


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger), both estimated from signatures."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0.0
    jaccard = float(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)
    # |A ∩ B| = J (|A| + |B|) / (1 + J)
    overlap = jaccard * (a.size + b.size) / (1.0 + jaccard)
    return jaccard, min(1.0, overlap / min(a.size, b.size))


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH picks for a Jaccard threshold: the
    banding that minimises the sum of false positive and false negative probability mass."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


_FOLD = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime: mixes a band's values into one key
_FLUSH_AT = 4096


def band_keys(matrix: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band for each signature: shape (n, bands).

    Two signatures share a key (barring a 2^-64 accident, which verification catches) exactly when
    all ``rows`` values of that band agree, which is the LSH banding test.
    """
    block = matrix[:, : bands * rows].reshape(len(matrix), bands, rows).astype(np.uint64)
    keys = np.full((len(matrix), bands), 0xCBF29CE484222325, dtype=np.uint64)
    for j in range(rows):  # array arithmetic wraps modulo 2^64 by design
        keys = (keys ^ block[:, :, j]) * _FOLD
    return keys


class NearDuplicateIndex:
    """MinHash LSH over the signatures of stored stories (and of their known copies).

    ``key`` is the id (body hash) of an indexed text and ``article_id`` the stored story it belongs
    to: the same for a first copy, the first copy's id for a later copy.

    The banding (b bands of r rows) is datasketch's choice for ``candidate_threshold``. The bands
    are kept as numpy arrays, not in datasketch's MinHashLSH: its per-signature insert (37 dict
    updates for b=37) made rebuilding 100k stored signatures take ~40 s and ~1.4 GB; here each band
    is a sorted array of keys searched with ``searchsorted`` (about 1 s and 50 MB per 100k), plus a
    small dict for the signatures added since the last merge.
    """

    def __init__(self, options: DedupOptions | None = None) -> None:
        self.options = options or DedupOptions()
        self.bands, self.rows = lsh_params(self.options.candidate_threshold, self.options.num_perm)
        self._row_of: dict[str, int] = {}
        self._article_of: list[str] = []
        self._key_by_row: list[str] = []
        self._matrix = np.zeros((1024, self.options.num_perm), dtype=np.uint32)
        self._sizes = np.zeros(1024, dtype=np.int64)
        self._sorted_keys = np.zeros((self.bands, 0), dtype=np.uint64)
        self._sorted_rows = np.zeros((self.bands, 0), dtype=np.int64)
        self._recent: list[dict[int, list[int]]] = [{} for _ in range(self.bands)]
        self._recent_rows: list[int] = []

    def __len__(self) -> int:
        return len(self._article_of)

    def __contains__(self, key: object) -> bool:
        return key in self._row_of

    def canonical(self, key: str) -> str | None:
        """The stored story a body with this id belongs to, if that body was seen before."""
        row = self._row_of.get(key)
        return self._article_of[row] if row is not None else None

    def add(self, key: str, article_id: str, sig: Signature) -> None:
        """Index a body; adding a key twice keeps the first (adding is idempotent)."""
        row = self._store(key, article_id, sig)
        if row is None or not self._banded(key, article_id, sig):
            return
        keys = band_keys(sig.hashvalues[None, :], self.bands, self.rows)[0]
        for band, value in enumerate(keys.tolist()):
            self._recent[band].setdefault(value, []).append(row)
        self._recent_rows.append(row)
        if len(self._recent_rows) >= _FLUSH_AT:
            self._flush()

    def add_many(self, rows: Iterable[tuple[str, str, int, bytes]]) -> None:
        """Index stored signatures at once, as ``(key, article_id, size, hashvalue bytes)``: the
        rebuild path, which copies them into the matrix and bands them in whole-array passes."""
        width = self.options.num_perm * 4
        batch: list[tuple[str, str, int, bytes]] = []
        for row in rows:
            if len(row[3]) != width:
                raise ValueError(f"stored signature of {row[0]} has {len(row[3])} bytes, expected {width}")
            if row[0] in self._row_of:
                continue
            batch.append(row)
            if len(batch) >= 10_000:
                self._append_batch(batch)
                batch = []
        self._append_batch(batch)
        self._flush()

    def _append_batch(self, batch: list[tuple[str, str, int, bytes]]) -> None:
        if not batch:
            return
        start = len(self._article_of)
        end = start + len(batch)
        while end > len(self._sizes):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._sizes = np.concatenate([self._sizes, np.zeros_like(self._sizes)])
        block = np.frombuffer(b"".join(r[3] for r in batch), dtype="<u4").reshape(len(batch), -1)
        self._matrix[start:end] = block
        self._sizes[start:end] = [r[2] for r in batch]
        for offset, (key, article_id, size, _) in enumerate(batch):
            self._row_of[key] = start + offset
            self._article_of.append(article_id)
            self._key_by_row.append(key)
            if size >= self.options.min_shingles and (key == article_id or self.options.index_copies):
                self._recent_rows.append(start + offset)

    def find(self, sig: Signature) -> NearMatch | None:
        """The stored story this signature near-duplicates, or None."""
        if sig.size < self.options.min_shingles or not self._article_of:
            return None
        candidates = self._candidates(sig)
        if not candidates:
            return None
        rows = np.fromiter(sorted(candidates), dtype=np.int64, count=len(candidates))
        jaccard = (self._matrix[rows] == sig.hashvalues).mean(axis=1)
        sizes = self._sizes[rows]
        overlap = jaccard * (sizes + sig.size) / (1.0 + jaccard)
        containment = np.minimum(1.0, overlap / np.minimum(sizes, sig.size))
        if not self.options.use_containment:
            containment = np.zeros_like(jaccard)
        score = np.maximum(jaccard, containment)
        best = int(np.argmax(score))  # the first maximum: rows are sorted, so the earliest indexed
        if score[best] < self.options.threshold:
            return None
        row = int(rows[best])
        return NearMatch(
            self._article_of[row], self._key_by_row[row], float(jaccard[best]), float(containment[best])
        )

    # -- internals ---------------------------------------------------------------------------------

    def _store(self, key: str, article_id: str, sig: Signature) -> int | None:
        if key in self._row_of:
            return None
        if len(sig.hashvalues) != self.options.num_perm:
            raise ValueError(f"signature has {len(sig.hashvalues)} values, expected {self.options.num_perm}")
        row = len(self._article_of)
        if row == len(self._sizes):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._sizes = np.concatenate([self._sizes, np.zeros_like(self._sizes)])
        self._matrix[row] = sig.hashvalues
        self._sizes[row] = sig.size
        self._row_of[key] = row
        self._article_of.append(article_id)
        self._key_by_row.append(key)
        return row

    def _banded(self, key: str, article_id: str, sig: Signature) -> bool:
        if sig.size < self.options.min_shingles:
            return False  # remembered for exact look-ups, too short to compare
        return key == article_id or self.options.index_copies

    def _candidates(self, sig: Signature) -> set[int]:
        keys = band_keys(sig.hashvalues[None, :], self.bands, self.rows)[0]
        found: set[int] = set()
        for band, value in enumerate(keys):
            column = self._sorted_keys[band]
            if len(column):
                lo = int(np.searchsorted(column, value, side="left"))
                hi = int(np.searchsorted(column, value, side="right"))
                if hi > lo:
                    found.update(self._sorted_rows[band, lo:hi].tolist())
            recent = self._recent[band].get(int(value))
            if recent:
                found.update(recent)
        return found

    def _flush(self) -> None:
        """Merge the recently added rows into the sorted band arrays."""
        if not self._recent_rows:
            return
        rows = np.asarray(self._recent_rows, dtype=np.int64)
        keys = band_keys(self._matrix[rows], self.bands, self.rows).T  # (bands, n)
        all_keys = np.concatenate([self._sorted_keys, keys], axis=1)
        all_rows = np.concatenate([self._sorted_rows, np.broadcast_to(rows, keys.shape)], axis=1)
        order = np.argsort(all_keys, axis=1)  # ties need no order: find() sorts its candidates
        self._sorted_keys = np.take_along_axis(all_keys, order, axis=1)
        self._sorted_rows = np.take_along_axis(all_rows, order, axis=1)
        self._recent = [{} for _ in range(self.bands)]
        self._recent_rows = []


class Deduplicator:
    """The near-duplicate index of one store, persisted so that copies are recognised across runs.

    ``load`` rebuilds the in-memory index from the stored signatures (computing any that are
    missing, e.g. for articles saved by a run killed before it wrote their signature);
    ``remember`` indexes a body and stores its signature.
    """

    def __init__(self, store: Store, options: DedupOptions | None = None) -> None:
        from eventwire.store.signatures import SignatureStore

        self.options = options or DedupOptions()
        self.signatures: SignatureStore = SignatureStore(store)
        self.index = NearDuplicateIndex(self.options)

    def load(self) -> int:
        """Rebuild the index from the store; returns how many signatures it holds."""
        started = time.perf_counter()
        scheme = self.options.scheme
        dropped = self.signatures.drop_other_schemes(scheme)
        if dropped:
            log.info("dropped %d signatures of another dedup setting; recomputing from bodies", dropped)
        backfilled = 0
        for page in self.signatures.articles_without_signature():
            backfilled += self.signatures.put_many(
                [(aid, aid, scheme, signature(body, self.options)) for aid, body in page]
            )
        if backfilled:
            log.info("computed %d missing signatures", backfilled)
        self.index.add_many(self.signatures.load(scheme))
        log.info(
            "dedup index: %d signatures loaded in %.2f s", len(self.index), time.perf_counter() - started
        )
        return len(self.index)

    def signature(self, body: str) -> Signature:
        return signature(body, self.options)

    def canonical(self, key: str) -> str | None:
        return self.index.canonical(key)

    def find(self, sig: Signature) -> NearMatch | None:
        return self.index.find(sig)

    def index_only(self, key: str, article_id: str, sig: Signature) -> None:
        """Index now (later articles of this run must see it) without storing yet."""
        self.index.add(key, article_id, sig)

    def remember(self, key: str, article_id: str, sig: Signature) -> None:
        """Index a body and store its signature (both idempotent)."""
        self.index.add(key, article_id, sig)
        self.signatures.put(key, article_id, self.options.scheme, sig)

    def remember_many(self, items: list[tuple[str, str, Signature]]) -> None:
        """``remember`` for a batch of (key, article id, signature): one transaction for all."""
        for key, article_id, sig in items:
            self.index.add(key, article_id, sig)
        self.signatures.put_many([(key, aid, self.options.scheme, sig) for key, aid, sig in items])


def pairs_of(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of items that share a group: how dedup precision/recall is counted."""
    out: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(set(group))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                out.add((a, b))
    return out
