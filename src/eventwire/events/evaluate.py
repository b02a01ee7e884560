"""Scores the event coder against gold JSONL: ACLED types on news snippets, PLOVER types on sentences.

Two gold shapes are read (see ``../shared/data/README.md``):

* snippets with ``acled_event_type`` / ``acled_sub_event_type`` (CASE 2021 task 2): one label per
  snippet, so the snippet's mentions are reduced to one ACLED call by :func:`snippet_acled`;
* sentences with CAMEO-coded ``events`` (PETRARCH2 validation and unit tests): CAMEO codes go
  through the codebook crosswalk (``data/cameo_plover.json``) to PLOVER types and are compared
  with the types of the sentence's mentions.

Gold files are for measuring only: nothing here feeds back into the lexicon.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from eventwire.events.acled import ARMED_KINDS, STATE_KINDS
from eventwire.events.coder import asserted, mention_contexts
from eventwire.events.lexicon import load_lexicon
from eventwire.records import Acled, Article, Extraction, Mention

log = logging.getLogger(__name__)

VIOLENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
)
ACLED_TYPES = (*VIOLENT_TYPES, "Strategic developments")
NONE = "(none)"
NON_ACLED = "(not ACLED)"


class Extracting(Protocol):
    """What the scorer needs from the pipeline (``pipeline.Extractor`` fits)."""

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


# -- the snippet-level decision ---------------------------------------------------------------------------


def snippet_acled(mentions: list[Mention]) -> Acled | None:
    """The one ACLED event a short report is about, chosen from its mentions.

    The rule: only mentions that carry ACLED fields and that the text asserts as having happened
    (not negated; not planned, threatened or conditional; not only referred to as the topic of a
    claim, denial or reaction) compete. Each scores its ``confidence``
    (the coder raises it for named actors, a place, and an ACLED sub-type decided by a specific
    instrument, target or actor rather than a default) minus 0.1 for every sentence before its
    own, because reports lead with the event they are about. The highest score wins; ties go to
    the more specific sub-type in ACLED's precedence (``ontology.json``), then to the earlier
    mention. ACLED's own rules then make the call more specific: the same side's territory change
    replaces a winning air strike or shelling anywhere in the report, and a winning clash, attack
    or arrest in its sentence or after it; an abduction or sexual violence stated in the same
    sentence as the winning clash or attack replaces it, and so does a remote weapon anywhere in
    the report; a demonstration becomes 'with intervention',
    'excessive force' or 'violent' when another mention of the report says so. If no mention
    qualifies, the report has no ACLED event.
    """
    candidates = [m for m in mentions if m.acled is not None and asserted(m)]
    if not candidates:
        return None
    starts = sorted({m.sentence[0] for m in candidates})
    precedence = {s: i for i, s in enumerate(load_lexicon().precedence)}

    def score(item: tuple[int, Mention]) -> tuple[float, int, int]:
        i, m = item
        assert m.acled is not None
        lead = m.confidence - LEAD_WEIGHT * starts.index(m.sentence[0])
        return (round(lead, 3), -precedence.get(m.acled.sub_event_type, 99), -i)

    best = max(enumerate(candidates), key=score)[1]
    return _escalate(best, candidates)


LEAD_WEIGHT = 0.1
# ACLED codes a report by the most specific thing that happened: territory taken in a battle is a
# territory event, and so are abductions or sexual violence in an attack (same sentence); a remote
# weapon named in a report about an attack makes it remote violence; a demonstration that police
# broke up, shot at, or that turned violent is coded as such.
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")
REMOTE = ("Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
          "Suicide bomb", "Chemical weapon")  # fmt: skip
MOVEMENT = ("Change to group/activity", "Headquarters or base established")
# Winners that a territory change of the same offensive replaces: the same-sentence or lead ones first.
GROUND_FIGHTING = ("Armed clash", "Attack")
# from a distance: replaced by the same side's capture anywhere in the report
REMOTE_STRIKES = ("Air/drone strike", "Shelling/artillery/missile attack")
OFFENSIVE = (*GROUND_FIGHTING, "Arrests", *REMOTE_STRIKES)
TARGETED = ("Abduction/forced disappearance", "Sexual violence")
PROTEST_ESCALATION = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                      "Violent demonstration")  # fmt: skip


def _escalate(best: Mention, candidates: list[Mention]) -> Acled | None:
    """Apply ACLED's 'most specific event' rules to the chosen mention (see the constants above)."""
    assert best.acled is not None
    sub = best.acled.sub_event_type
    same_sentence = [m for m in candidates if m.sentence == best.sentence and m is not best]
    if sub in MOVEMENT:  # "militants arrived on motorcycles and opened fire": the arrival is the attack's
        violent = [m for m in same_sentence if m.acled and m.acled.event_type in VIOLENT_TYPES[:3]]
        if violent:
            best = max(violent, key=lambda m: m.confidence)
            assert best.acled is not None
            sub = best.acled.sub_event_type
    others = [m for m in candidates if m is not best and "historical" not in mention_contexts(m)]
    if sub in OFFENSIVE:
        # Fighting, strikes or captives of an offensive are how a place changed hands: ACLED codes the
        # capture. Clashes and arrests give way to one in their sentence or in the lead before them;
        # air strikes and shelling to one anywhere in the report; both only to the same side's capture.
        scope = others if sub in REMOTE_STRIKES else [m for m in others if m.sentence[0] <= best.sentence[0]]
        found = next(
            (m for m in scope if m.acled and m.acled.sub_event_type in TERRITORY and _same_side(best, m)),
            None,
        )
        if found is not None and found.acled is not None:
            return found.acled
    if sub in ("Armed clash", "Attack"):
        for group, scope in ((TARGETED, same_sentence), (REMOTE, others)):
            found = next((m for m in scope if m.acled and m.acled.sub_event_type in group), None)
            if found is not None and found.acled is not None:
                return found.acled
    if sub in PROTEST_ESCALATION:
        rank = PROTEST_ESCALATION.index(sub)
        stronger = [
            m for m in candidates if m.acled and m.acled.sub_event_type in PROTEST_ESCALATION[rank + 1 :]
        ]
        if stronger:
            top = max(stronger, key=lambda m: PROTEST_ESCALATION.index(m.acled.sub_event_type))  # type: ignore[union-attr]
            return top.acled
    return best.acled


def _side(m: Mention) -> str | None:
    """'state' or 'non-state' for a mention's agent (a territory change's from its sub-type)."""
    if m.acled is not None and m.acled.sub_event_type in TERRITORY:
        return "state" if m.acled.sub_event_type == "Government regains territory" else "non-state"
    kind = m.actor1.kind if m.actor1 is not None else None
    if kind in STATE_KINDS:
        return "state"
    return "non-state" if kind in ARMED_KINDS else None


def _same_side(fighting: Mention, capture: Mention) -> bool:
    """Whether a capture can be the outcome of the fighting: no side named or the same side; a
    clash's own sentence always ("clashed with X and seized the town")."""
    if (
        fighting.sentence == capture.sentence
        and fighting.acled
        and fighting.acled.sub_event_type in GROUND_FIGHTING
    ):
        return True
    side = _side(fighting)
    return side is None or side == _side(capture)


def _has_violent(mentions: list[Mention]) -> bool:
    return any(m.acled is not None and m.acled.event_type in VIOLENT_TYPES and asserted(m) for m in mentions)


# -- CAMEO to PLOVER --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _crosswalk() -> dict[str, Any]:
    text = resources.files("eventwire").joinpath("data", "cameo_plover.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def cameo_to_plover(code: str) -> str | None:
    """The PLOVER type of a CAMEO event code (longest listed prefix first), or None if it has none."""
    walk = _crosswalk()
    code = code.strip()
    for n in range(len(code), 2, -1):
        if code[:n] in walk["codes"]:
            return str(walk["codes"][code[:n]])
    root = walk["roots"].get(code[:2])
    return str(root) if root else None


@functools.lru_cache(maxsize=1)
def _iso3() -> frozenset[str]:
    from eventwire.actors.catalog import load_catalog

    return frozenset(e.country for e in load_catalog().entries.values() if e.kind == "state" and e.country)


def cameo_country(actor_code: str) -> str | None:
    """The ISO alpha-3 country of a CAMEO actor code ('IRQMUS' -> IRQ), if it starts with one."""
    prefix = actor_code[:3].upper()
    return prefix if prefix in _iso3() else None


# -- scoring ----------------------------------------------------------------------------------------------


def _records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _published(value: Any) -> date | None:
    text = str(value or "")
    if len(text) == 8 and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    return None


def _extract(
    records: list[dict[str, Any]], extractor: Extracting
) -> Iterator[tuple[dict[str, Any], Extraction]]:
    articles = (
        Article(body=r["text"], input_id=str(r.get("id", "")), published=_published(r.get("date")))
        for r in records
    )
    yield from zip(records, extractor.extract(articles), strict=True)


def evaluate_events(path: Path, extractor: Extracting) -> dict[str, Any]:
    """Scores for one gold file; the file's shape decides which scores apply."""
    records = [r for r in _records(path) if r.get("text", "").strip()]
    if not records:
        return {"file": str(path), "records": 0}
    if "acled_event_type" in records[0]:
        scores = score_acled(_extract(records, extractor))
    elif "events" in records[0]:
        scores = score_plover(_extract(records, extractor))
    else:
        raise ValueError(f"{path}: records have neither 'acled_event_type' nor 'events'")
    return {"file": str(path), **scores}


def score_acled(pairs: Iterable[tuple[dict[str, Any], Extraction]]) -> dict[str, Any]:
    """ACLED event type and sub-event type accuracy, the non-ACLED false-alarm rate, confusions."""
    n = type_ok = sub_ok = 0
    non_acled = non_acled_quiet = 0
    by_type: Counter[tuple[str, str]] = Counter()
    by_sub: Counter[tuple[str, str]] = Counter()
    per_sub: dict[str, list[int]] = {}
    non_acled_hits: Counter[str] = Counter()
    for record, extraction in pairs:
        predicted = snippet_acled(extraction.mentions)
        p_type = predicted.event_type if predicted else NONE
        p_sub = predicted.sub_event_type if predicted else NONE
        gold_type = record.get("acled_event_type")
        if gold_type:
            gold_sub = record["acled_sub_event_type"]
            n += 1
            type_ok += p_type == gold_type
            sub_ok += p_sub == gold_sub
            by_type[(gold_type, p_type)] += 1
            by_sub[(gold_sub, p_sub)] += 1
            per_sub.setdefault(gold_sub, [0, 0])
            per_sub[gold_sub][0] += p_sub == gold_sub
            per_sub[gold_sub][1] += 1
        else:
            non_acled += 1
            violent = _has_violent(extraction.mentions)
            non_acled_quiet += not violent
            by_type[(f"{NON_ACLED} {record.get('label', '')}".strip(), p_type)] += 1
            if violent:
                non_acled_hits[str(record.get("label", ""))] += 1
    return {
        "snippets": n + non_acled,
        "acled_snippets": n,
        "event_type_accuracy": _ratio(type_ok, n),
        "sub_event_type_accuracy": _ratio(sub_ok, n),
        "non_acled_snippets": non_acled,
        "non_acled_without_violent_event": _ratio(non_acled_quiet, non_acled),
        "non_acled_with_violent_event_by_label": dict(non_acled_hits.most_common()),
        "decision_rule": " ".join((snippet_acled.__doc__ or "").split("\n\n")[1].split()),
        "confusion_event_type": _table(by_type),
        "sub_event_type_recall": {
            k: {"correct": v[0], "of": v[1], "recall": _ratio(*v)} for k, v in sorted(per_sub.items())
        },
        "top_sub_event_confusions": [
            {"gold": g, "predicted": p, "count": c} for (g, p), c in by_sub.most_common() if g != p
        ][:25],
    }


def score_plover(pairs: Iterable[tuple[dict[str, Any], Extraction]]) -> dict[str, Any]:
    """PLOVER type agreement (through the CAMEO crosswalk) and actor country agreement."""
    gold_pairs = matched = 0
    predicted_pairs = predicted_ok = 0
    unmapped: Counter[str] = Counter()
    quiet_records = quiet_ok = 0
    country_total = country_ok = 0
    by_type: Counter[tuple[str, str]] = Counter()
    for record, extraction in pairs:
        asserted = [m for m in extraction.mentions if _plover_codable(m)]
        predicted_types = {m.type for m in asserted}
        gold_events = record.get("events") or []
        if record.get("noevents") or not gold_events:
            quiet_records += 1
            quiet_ok += not predicted_types
            continue
        gold_types: dict[str, list[dict[str, Any]]] = {}
        for event in gold_events:
            plover = cameo_to_plover(str(event.get("event", "")))
            if plover is None:
                unmapped[str(event.get("event", ""))[:2]] += 1
                continue
            gold_types.setdefault(plover, []).append(event)
        if not gold_types:
            continue
        predicted_pairs += len(predicted_types)
        predicted_ok += len(predicted_types & gold_types.keys())
        for gold_type, events in gold_types.items():
            gold_pairs += 1
            hit = gold_type in predicted_types
            matched += hit
            by_type[(gold_type, gold_type if hit else _main_type(asserted))] += 1
            if not hit:
                continue
            same = [m for m in asserted if m.type == gold_type]
            for event in events:
                for role, attr in (("source", "actor1"), ("target", "actor2")):
                    want = cameo_country(str(event.get(role, "")))
                    if want is None:
                        continue
                    country_total += 1
                    country_ok += any(want in _countries(getattr(m, attr)) for m in same)
    return {
        "gold_sentence_types": gold_pairs,
        "plover_type_agreement": _ratio(matched, gold_pairs),
        "plover_type_precision": _ratio(predicted_ok, predicted_pairs),
        "no_event_sentences": quiet_records,
        "no_event_sentences_without_mention": _ratio(quiet_ok, quiet_records),
        "actor_countries": country_total,
        "actor_country_agreement": _ratio(country_ok, country_total),
        "gold_events_without_plover_type": dict(sorted(unmapped.items())),
        "confusion_plover_type": _table(by_type),
    }


def _plover_codable(m: Mention) -> bool:
    """What PLOVER codes: asserted events with a named actor (its codebook leaves out events
    whose source is not named, such as "4 people were killed in a bombing", and negated ones)."""
    return not m.negated and (m.actor1 is not None or m.actor2 is not None)


def _main_type(mentions: list[Mention]) -> str:
    if not mentions:
        return NONE
    return max(enumerate(mentions), key=lambda im: (im[1].confidence, -im[0]))[1].type


def _countries(ref: Any) -> set[str]:
    if ref is None:
        return set()
    found = {ref.country} if ref.country else set()
    for member in ref.members:
        found |= _countries(member)
    return found


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _table(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for (gold, predicted), count in sorted(counts.items()):
        table.setdefault(gold, {})[predicted] = count
    return table


def markdown_confusion(table: dict[str, dict[str, int]]) -> str:
    """A confusion table (gold rows, predicted columns) as Markdown, for docs and terminals."""
    columns = sorted({p for row in table.values() for p in row}, key=lambda c: (c == NONE, c))
    lines = [
        "| gold \\ predicted | " + " | ".join(columns) + " | n |",
        "|---|" + "---:|" * (len(columns) + 1),
    ]
    for gold, row in table.items():
        cells = [str(row.get(c, "")) for c in columns]
        lines.append(f"| {gold} | " + " | ".join(cells) + f" | {sum(row.values())} |")
    return "\n".join(lines)
