"""The canonical actor list: states (from the country data file), institutions and armed groups.

Kept as data files (``data/actors.jsonl``, ``data/countries.jsonl``, ``data/actor_nouns.json``) so
analysts can extend it without touching code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

INSTITUTION_SUFFIX = {"military": "MIL", "police": "POL", "government": "GOV"}
INSTITUTION_LABEL = {"military": "military", "police": "police", "government": "government"}


@dataclass(frozen=True, slots=True)
class ActorEntry:
    id: str
    name: str
    kind: str
    country: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class ActorCatalog:
    """Every known actor by id, plus the nouns that make unnamed noun phrases actors."""

    entries: dict[str, ActorEntry]
    institution_nouns: dict[str, str]  # noun phrase (lower) -> kind
    generic_nouns: dict[str, str]  # head noun phrase (lower) -> kind
    country_by_word: dict[str, str]  # country name, alias or demonym (lower) -> ISO3
    acled_categories: dict[str, str | None] = field(default_factory=dict)  # kind -> ACLED actor category
    person_titles: dict[str, str | None] = field(default_factory=dict)  # title (lower) -> institution kind
    # "former president": the title no longer speaks for the state
    not_in_office: frozenset[str] = frozenset()
    non_state: frozenset[str] = frozenset()  # "opposition leader": a title outside the state's institutions

    def get(self, actor_id: str | None) -> ActorEntry | None:
        return self.entries.get(actor_id) if actor_id else None

    def lineage(self, actor_id: str | None) -> list[ActorEntry]:
        """The actor and the organisations it belongs to, nearest first (YPG -> SDF)."""
        chain: list[ActorEntry] = []
        entry = self.get(actor_id)
        while entry is not None and entry not in chain:
            chain.append(entry)
            entry = self.get(entry.parent)
        return chain

    def acled_category(
        self, kind: str | None, country: str | None = None, where: str | None = None
    ) -> str | None:
        """ACLED's actor category for an actor kind; state forces outside their country are external."""
        category = self.acled_categories.get(kind or "")
        if category == "State forces" and country and where and country != where and kind == "military":
            return "External/Other forces"
        return category

    def institution(self, iso3: str, kind: str) -> ActorEntry:
        """The state institution of a country ('Syrian army' -> SYR-MIL), made on demand."""
        actor_id = f"{iso3}-{INSTITUTION_SUFFIX[kind]}"
        known = self.entries.get(actor_id)
        if known:
            return known
        state = self.entries.get(iso3)
        adjective = state.demonyms[0] if state and state.demonyms else (state.name if state else iso3)
        entry = ActorEntry(
            id=actor_id, name=f"{adjective} {INSTITUTION_LABEL[kind]}", kind=kind, country=iso3, parent=iso3
        )
        self.entries[actor_id] = entry
        return entry


def _data_path(name: str) -> Path:
    return Path(str(resources.files("eventwire") / "data" / name))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@functools.lru_cache(maxsize=1)
def load_catalog() -> ActorCatalog:
    """Read the actor data files once per process."""
    entries: dict[str, ActorEntry] = {}
    country_by_word: dict[str, str] = {}
    # A word several countries share ("American": the United States and the Northern Mariana Islands;
    # "French") means the most populous of them, not whichever the file lists first.
    rows = sorted(_read_jsonl(_data_path("countries.jsonl")), key=lambda r: -(r.get("population") or 0))
    for row in rows:
        iso3 = row["iso3"]
        aliases = tuple(dict.fromkeys([row["name"], *row.get("aliases", [])]))
        demonyms = tuple(row.get("demonyms", []))
        entries[iso3] = ActorEntry(
            id=iso3, name=row["name"], kind="state", country=iso3, aliases=aliases, demonyms=demonyms
        )
        for word in (*aliases, *demonyms):
            if len(word) > 2 or word.isupper():
                country_by_word.setdefault(word.lower(), iso3)
    for row in _read_jsonl(_data_path("actors.jsonl")):
        entries[row["id"]] = ActorEntry(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            country=row.get("country"),
            parent=row.get("parent"),
            aliases=tuple(row.get("aliases", [])),
            descriptors=tuple(row.get("descriptors", [])),
        )
    nouns = json.loads(_data_path("actor_nouns.json").read_text(encoding="utf-8"))
    institution_nouns = {n.lower(): kind for kind, ns in nouns["institutions"].items() for n in ns}
    generic_nouns = {n.lower(): kind for kind, ns in nouns["generic"].items() for n in ns}
    # A plural head noun also names its singular ("activists" -> "activist") unless listed otherwise.
    for noun, kind in list(generic_nouns.items()):
        if noun.endswith("s") and not noun.endswith("ss") and " " not in noun:
            generic_nouns.setdefault(noun[:-1], kind)
    titles = {
        t.lower(): (None if kind == "none" else kind)
        for kind, ts in nouns["person_titles"].items()
        for t in ts
    }
    modifiers = nouns["title_modifiers"]
    return ActorCatalog(
        entries,
        institution_nouns,
        generic_nouns,
        country_by_word,
        dict(nouns.get("acled_categories", {})),
        titles,
        frozenset(w.lower() for w in modifiers["not_in_office"]),
        frozenset(w.lower() for w in modifiers["non_state"]),
    )
