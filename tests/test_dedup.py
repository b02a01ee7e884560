"""Near-duplicate detection: syndicated copies found, same-topic stories kept apart, index persisted."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from eventwire.dedup import (
    Deduplicator,
    DedupOptions,
    NearDuplicateIndex,
    Signature,
    pairs_of,
    shingles,
    signature,
    similarity,
    words,
)
from eventwire.records import Article, Extraction
from eventwire.store import Store
from eventwire.store.signatures import SignatureStore

WIRE = [
    "Flooding along the Shire River has forced more than 12,000 people from their homes in southern "
    "Malawi since Thursday, the Department of Disaster Management Affairs said on Saturday.",
    "Heavy rain caused the river to burst its banks near the town of Chikwawa, submerging fields of "
    "maize and cutting the main road to Nsanje, officials said.",
    '"We have never seen the water rise this fast," said Grace Mwale, a farmer who fled with her four '
    'children to a school on higher ground. "We left everything."',
    "At least seven people have died, including two children swept away while crossing a bridge, "
    "according to the district commissioner, Peter Banda.",
    "The government has opened 23 relief camps and asked aid agencies for tents, blankets and "
    "water purification tablets. The World Food Programme said it would send maize flour by truck "
    "from Blantyre.",
    "Southern Malawi is regularly hit by floods during the rainy season, but residents say the "
    "storms have grown stronger in recent years. Cyclone Freddy killed more than 1,000 people in "
    "the region in 2023.",
    "Forecasters expect more rain in the coming days, and the authorities have urged people living "
    "near the river to move to safer ground.",
]
# Same topic, same country, same vocabulary: another story, not a copy.
OTHER = [
    "Floodwaters have destroyed about 3,000 hectares of rice in Malawi's Karonga district in the north, "
    "where the Songwe River overflowed on Friday, agriculture officials said on Sunday.",
    "No deaths were reported, but several hundred families have moved in with relatives, said the "
    "district's agriculture officer, Esther Phiri. Fishermen on Lake Malawi were told to stay ashore.",
    '"This was going to be a good harvest, and now it is under water," said rice grower Mike Kayira, '
    "standing at the edge of his flooded plot near the Tanzanian border.",
    "Karonga was also flooded in 2022, when the Songwe burst its banks twice in one month. The "
    "government has promised to build dykes along the river but work has not started.",
    "The Department of Disaster Management Affairs said it was assessing needs in the north while "
    "most of its staff remained in the south, where floods have displaced thousands.",
]


def body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def sig(text: str, **options: object) -> Signature:
    return signature(text, DedupOptions(**options))  # type: ignore[arg-type]


def test_shingles_ignore_case_punctuation_and_spacing() -> None:
    a = shingles("Police said: the MARCH was  peaceful.", 3)
    b = shingles("police said the march was peaceful", 3)
    assert a == b
    assert b"said the march" in a
    assert words("U.S.-backed forces") == ["u", "s", "backed", "forces"]


def test_signature_is_the_same_in_another_process() -> None:
    """Signatures are stored and compared across runs, so they must not depend on hash salts."""
    text = body(WIRE)
    here = sig(text).to_bytes().hex()
    code = (
        "import sys; from eventwire.dedup import DedupOptions, signature; "
        "sys.stdout.write(signature(sys.stdin.read(), DedupOptions()).to_bytes().hex())"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True
    ).stdout
    assert there == here


def test_syndicated_variants_are_recognised() -> None:
    index = NearDuplicateIndex()
    index.add("wire", "wire", sig(body(WIRE)))
    variants = {
        "dateline and furniture": body(
            ["LILONGWE (Lakeshore Times) — " + WIRE[0], *WIRE[1:], "Share this story on WhatsApp"]
        ),
        "trimmed to the first three paragraphs": body(WIRE[:3]),
        "extra local paragraph": body(
            [
                *WIRE[:4],
                "Our reporter in Chikwawa saw families carrying mattresses along the flooded road.",
                *WIRE[4:],
            ]
        ),
        "copy-edited": body(WIRE)
        .replace("said on Saturday", "said Saturday")
        .replace("At least seven", "Seven")
        .replace("more than 12,000", "over 12,000"),
    }
    for name, text in variants.items():
        match = index.find(sig(text))
        assert match is not None, name
        assert match.article_id == "wire", name
        assert match.score >= DedupOptions().threshold, name


def test_same_topic_story_is_not_a_copy() -> None:
    index = NearDuplicateIndex()
    index.add("wire", "wire", sig(body(WIRE)))
    assert index.find(sig(body(OTHER))) is None
    jaccard, containment = similarity(sig(body(WIRE)), sig(body(OTHER)))
    assert jaccard < 0.1 and containment < 0.2


def test_a_short_version_needs_containment() -> None:
    """Three paragraphs of seven: low Jaccard with the full story, yet wholly contained in it."""
    full, short = sig(body(WIRE)), sig(body(WIRE[:3]))
    jaccard, containment = similarity(full, short)
    assert jaccard < 0.6 < 0.9 < containment
    jaccard_only = NearDuplicateIndex(DedupOptions(use_containment=False))
    jaccard_only.add("wire", "wire", full)
    assert jaccard_only.find(short) is None
    index = NearDuplicateIndex()
    index.add("wire", "wire", full)
    assert index.find(short) is not None


def test_short_briefs_are_left_to_exact_deduplication() -> None:
    brief = "Police arrested four men in Blantyre on Monday after a bank robbery, a spokesman said."
    other = "Police arrested four men in Lilongwe on Tuesday after a bank robbery, a spokesman said."
    index = NearDuplicateIndex()
    index.add("brief", "brief", sig(brief))
    assert sig(brief).size < DedupOptions().min_shingles
    assert index.find(sig(other)) is None
    assert index.canonical("brief") == "brief"


def test_a_copy_points_to_the_first_copy_and_ties_go_to_the_earliest() -> None:
    index = NearDuplicateIndex()
    index.add("first", "first", sig(body(WIRE)))
    index.add("second", "second", sig(body(WIRE)))  # same text under another key
    index.add("copy", "first", sig(body(WIRE[:5])))
    match = index.find(sig(body(WIRE)))
    assert match is not None and match.article_id == "first"
    assert index.canonical("copy") == "first"
    assert len(index) == 3 and "copy" in index


def test_bulk_rebuild_finds_what_single_adds_find() -> None:
    rng = np.random.default_rng(5)
    options = DedupOptions()
    texts = {f"s{i}": body(rng.permutation(WIRE + OTHER).tolist()[:5]) for i in range(40)}
    single, bulk = NearDuplicateIndex(options), NearDuplicateIndex(options)
    rows = []
    for key, text in texts.items():
        s = signature(text, options)
        single.add(key, key, s)
        rows.append((key, key, s.size, s.to_bytes()))
    bulk.add_many(rows)
    for text in texts.values():
        probe = signature(text, options)
        assert single.find(probe) == bulk.find(probe)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        DedupOptions(threshold=1.5)
    with pytest.raises(ValueError, match="shingle_words"):
        DedupOptions(shingle_words=0)
    assert DedupOptions().scheme != DedupOptions(shingle_words=4).scheme


def test_pairs_of_counts_each_unordered_pair_once() -> None:
    assert pairs_of([["b", "a", "c"], ["d"]]) == {("a", "b"), ("a", "c"), ("b", "c")}


# -- persistence -----------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'dedup.db'}")
    yield opened
    opened.close()


def saved(store: Store, text: str, outlet: str) -> Article:
    article = Article(body=text, title="Floods", outlet=outlet, published=date(2025, 2, 8))
    assert store.save(Extraction(article))
    return article


def test_the_index_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    with Store.open(url) as first_run:
        article = saved(first_run, body(WIRE), "Lakeshore Times")
        dedup = Deduplicator(first_run)
        dedup.load()
        dedup.remember(article.id, article.id, dedup.signature(article.body))
    with Store.open(url) as second_run:
        dedup = Deduplicator(second_run)
        assert dedup.load() == 1
        match = dedup.find(dedup.signature(body(WIRE[:4])))
        assert match is not None and match.article_id == article.id


def test_missing_signatures_are_computed_from_stored_bodies(store: Store) -> None:
    """A run killed between saving an article and its signature leaves an unsigned article."""
    article = saved(store, body(WIRE), "Lakeshore Times")
    dedup = Deduplicator(store)
    assert dedup.load() == 1
    assert SignatureStore(store).count() == 1
    match = dedup.find(dedup.signature(body(WIRE[1:])))
    assert match is not None and match.article_id == article.id


def test_signatures_of_another_setting_are_replaced(store: Store) -> None:
    article = saved(store, body(WIRE), "Lakeshore Times")
    old = DedupOptions(shingle_words=3)
    Deduplicator(store, old).load()
    rows = list(SignatureStore(store).load(old.scheme))
    assert len(rows) == 1
    dedup = Deduplicator(store)
    assert dedup.load() == 1
    assert list(SignatureStore(store).load(old.scheme)) == []
    assert dedup.find(dedup.signature(body(WIRE))) is not None
    assert dedup.canonical(article.id) == article.id


def test_storing_a_signature_twice_is_a_no_op(store: Store) -> None:
    article = saved(store, body(OTHER), "Nyasa Post")
    signatures = SignatureStore(store)
    s = signature(article.body, DedupOptions())
    assert signatures.put(article.id, article.id, DedupOptions().scheme, s)
    assert not signatures.put(article.id, article.id, DedupOptions().scheme, s)
    assert signatures.count() == 1
