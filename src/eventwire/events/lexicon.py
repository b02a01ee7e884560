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
    subject_kinds: tuple[str, ...] = ()  # the agent must be an actor of one of these kinds
    object_class: str | None = None  # the object (or passive subject) must be a noun of this class
    needs_agent: bool = False  # only an event with a resolved, animate agent ("the quake hit")
    governed_by: tuple[str, ...] = ()  # a noun sense only as object of these prepositions ("on strike")
    from_actor: bool = False  # "received weapons from X": X (object of 'from') is the source actor
    object_is_actor1: bool = False  # "hosted the delegation": the visitor (object) is the source actor
    crowd_violence: bool = False  # "violence", "unrest": a riot only at a demonstration, if it happened


@dataclass(frozen=True, slots=True)
class Lexicon:
    triggers: dict[tuple[str, str], list[TriggerEntry]]
    light_verbs: frozenset[str]
    hypothetical_heads: frozenset[str]
    modality_heads: dict[str, str]  # governing verb or noun lemma -> planned, threatened, requested
    future_modals: frozenset[str]
    negations: frozenset[str]
    negating_heads: frozenset[str]
    # planning heads with other common senses: a plan only over an infinitive ("is set to attack",
    # not "set the stage for the violence", "setting up barricades")
    infinitive_only_heads: frozenset[str]
    speech_verbs: frozenset[str]
    instruments: dict[str, str]  # word or phrase (lower) -> instrument hint
    acled_hints: dict[str, tuple[str, str]]
    plover_modes: dict[str, list[str]]
    noun_classes: dict[str, frozenset[str]]
    precedence: tuple[str, ...]  # ACLED sub-event types, the most specific first

    def in_class(self, word: str, name: str) -> bool:
        return word.lower() in self.noun_classes.get(name, frozenset())

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
            for key in ("requires_prep", "subject_kinds", "governed_by"):
                row[key] = tuple(row.get(key, ()))
            triggers.setdefault((row["lemma"], pos), []).append(TriggerEntry(pos=pos, **row))
    cues = json.loads(_read("event_cues.json"))
    ontology = json.loads(_read("ontology.json"))
    instruments = {w: hint for hint, words in cues["instruments"].items() for w in words}
    return Lexicon(
        triggers=triggers,
        light_verbs=frozenset(cues["light_verbs"]),
        hypothetical_heads=frozenset(cues["hypothetical_heads"]),
        modality_heads={w: kind for kind, words in cues["modality_heads"].items() for w in words},
        future_modals=frozenset(cues["future_modals"]),
        negations=frozenset(cues["negations"]),
        negating_heads=frozenset(cues["negating_heads"]),
        infinitive_only_heads=frozenset(cues.get("infinitive_only_heads", ())),
        speech_verbs=frozenset(cues["speech_verbs"]),
        instruments=instruments,
        acled_hints={k: (v[0], v[1]) for k, v in ontology["hints"].items()},
        plover_modes=ontology["plover"],
        noun_classes={k: frozenset(w.lower() for w in v) for k, v in cues["noun_classes"].items()},
        precedence=tuple(ontology["precedence"]),
    )
