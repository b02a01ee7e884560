"""Loads the event ontology, trigger lexicon and closed-class cues from the package's data files."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lemma (or multiword phrase) that can express an event, with how to read its arguments."""

    lemma: str
    pos: str
    type: str
    mode: str | None = None
    acled: str | None = None
    between: bool = False  # "clashes between X and Y"
    victims: bool = False  # object are victims (fatality counts)
    needs_object: bool = False
    needs_place: bool = False
    needs_no_object: bool = False
    territorial: bool = False  # object is territory ("captured the town")
    object_is_place: bool = False  # "fled Raqqa"
    of_role: str = "actor2"  # "the withdrawal of X": X is actor1
    requires_prep: tuple[str, ...] = ()
    requires_prep_for: dict[str, list[str]] = field(default_factory=dict)
    modal_head: bool = False
    protest: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    triggers: dict[tuple[str, str], list[TriggerEntry]]
    light_verbs: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_modals: frozenset[str]
    negations: frozenset[str]
    negating_heads: frozenset[str]
    speech_verbs: frozenset[str]
    instruments: dict[str, str]  # word or phrase (lower) -> instrument hint
    acled_hints: dict[str, tuple[str, str]]
    plover_modes: dict[str, list[str]]

    def trigger(self, lemma: str, pos: str) -> TriggerEntry | None:
        """The first sense listed for a lemma (data order is priority order)."""
        senses = self.triggers.get((lemma, pos))
        return senses[0] if senses else None

    def senses(self, lemma: str, pos: str) -> list[TriggerEntry]:
        return self.triggers.get((lemma, pos), [])


def _read(name: str) -> Any:
    return resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the lexicon data files once per process."""
    triggers: dict[tuple[str, str], list[TriggerEntry]] = {}
    for line in _read("triggers.jsonl").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for pos in row.pop("pos"):
            row["requires_prep"] = tuple(row.get("requires_prep", ()))
            triggers.setdefault((row["lemma"], pos), []).append(TriggerEntry(pos=pos, **row))
    cues = json.loads(_read("event_cues.json"))
    ontology = json.loads(_read("ontology.json"))
    instruments = {w: hint for hint, words in cues["instruments"].items() for w in words}
    return Lexicon(
        triggers=triggers,
        light_verbs=frozenset(cues["light_verbs"]),
        hypothetical_heads=frozenset(cues["hypothetical_heads"]),
        future_modals=frozenset(cues["future_modals"]),
        negations=frozenset(cues["negations"]),
        negating_heads=frozenset(cues["negating_heads"]),
        speech_verbs=frozenset(cues["speech_verbs"]),
        instruments=instruments,
        acled_hints={k: (v[0], v[1]) for k, v in ontology["hints"].items()},
        plover_modes=ontology["plover"],
    )
