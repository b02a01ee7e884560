"""Merge mentions into canonical events: one record per real happening, however often reported.

Two steps, both explainable (every member keeps the rule and score that put it in its event):

1. **Within an article** the headline, the lead and a later sentence ("the attack") often state
   the same happening. Mentions of compatible type are merged unless something in them conflicts
   (another place, another explicit date, another perpetrator or target, another time of day) or
   the sentence announces a separate incident. The merged group is a *unit*: it pools what its
   sentences say (the place from the lead, the toll from a later paragraph).
2. **Across articles** units are linked when they agree on type, date range (each widened by its
   own uncertainty), place (within the radius the coarser precision allows) and actors (the same
   actor, an alias resolved to the same id, or one inside the other: YPG within SDF), and nothing
   in the text separates them. Linked units form connected components; a component that holds a
   conflicting pair (two targets, morning and night) is partitioned greedily in a fixed order.

Order independence: a unit's facts depend only on its own article, components are a property of
the whole set, partitioning sorts by content-hash ids, and an event's id is a hash of its
smallest mention id. So one run, ten runs or any order give the same events. Incremental: a new
article only re-evaluates the closure of units reachable from it through candidate events
(looked up by date window, type and place box), and rewrites just those events; when new
evidence separates a component, its event is split.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from eventwire.store import Store
from eventwire.store.events import CanonicalEventRow, EventMentionRow, MergeStateRow
from eventwire.store.query import haversine_km
from eventwire.store.schema import ArticleRow, MentionRow, SourceRow

log = logging.getLogger(__name__)

MERGE_VERSION = "merge-2"
LINK_THRESHOLD = 0.55
_BATCH = 100  # articles merged per transaction: each re-clusters the components it touches
# A mention with no date of its own happened on its article's publication day or a little before.
_UNDATED_LOOKBACK_DAYS = 3
# How far a reported date may be off, by precision ("overnight" straddles two days).
_DATE_SLACK = {"day": 1, "week": 0, "month": 0, "year": 0}
# Radius (km) within which two places are "the same place", by the coarser precision of the two.
_RADIUS_KM = {"place": 30.0, "near": 60.0, "region": 250.0, "country": 1500.0}
_PRECISION_RANK = {"place": 0, "near": 1, "region": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# Box half-width (degrees) when looking up candidate events: generous, the exact test comes after.
_BOX_DEG = {"place": 0.6, "near": 1.0}

# Time of day: two reports that name different parts of the day describe different happenings.
_TIME_OF_DAY = {
    "morning": ("dawn", "daybreak", "sunrise", "morning", "breakfast"),
    "midday": ("midday", "noon", "lunchtime", "afternoon"),
    "evening": ("evening", "dusk", "sunset", "nightfall", "iftar"),
    "night": ("night", "overnight", "midnight", "late-night", "pre-dawn", "small hours"),
}
_TIME_WORDS = {w: part for part, words in _TIME_OF_DAY.items() for w in words}
_TIME_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _TIME_WORDS), key=len, reverse=True)) + r")\b", re.I
)
# A sentence that announces another incident does not merge with earlier ones in its article.
_SEPARATE_RE = re.compile(
    r"\b(in a separate|separately|in another|in a second|a second (?:attack|blast|strike|incident)|"
    r"another (?:attack|blast|strike|bombing|clash|raid|protest|incident)|elsewhere|"
    r"in an unrelated|an unrelated)\b",
    re.I,
)
_DETERMINERS = {"a", "an", "the", "this", "that", "its", "their", "his", "her", "one", "two", "several"}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")


# -- facts ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class MentionFacts:
    """What merging needs to know of one stored mention (built from its row and sentence)."""

    id: str
    article_id: str
    seq: int
    type: str
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    confidence: float
    actor1: dict[str, Any] | None
    actor2: dict[str, Any] | None
    place: dict[str, Any] | None
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    published: date | None
    fatalities: int | None
    sentence: str
    trigger: str
    trigger_span: tuple[int, int]
    sentence_span: tuple[int, int]
    times: frozenset[str] = frozenset()
    separate: bool = False


@dataclass(slots=True)
class Unit:
    """One happening as one article reports it: the article's mentions of it, pooled."""

    article_id: str
    mentions: list[MentionFacts]
    rules: dict[str, tuple[str, float]]  # mention id -> (rule, score) inside the article
    published: date | None
    outlets: tuple[str, ...] = ()
    source_dates: tuple[date, ...] = ()

    @property
    def key(self) -> str:
        return min(m.id for m in self.mentions)

    @property
    def types(self) -> set[str]:
        return {m.type for m in self.mentions}

    @property
    def acled_types(self) -> set[str]:
        return {m.acled_event_type for m in self.mentions if m.acled_event_type}

    def actor_ids(self, role: str) -> set[str]:
        out: set[str] = set()
        for m in self.mentions:
            a = getattr(m, role)
            if a and a.get("id"):
                out.add(a["id"])
        return out

    @property
    def target_heads(self) -> set[str]:
        """Head nouns of actors and targets the catalog does not know (teachers, a checkpoint)."""
        return {h for m in self.mentions for a in (m.actor1, m.actor2) if (h := _target_head(a))}

    @property
    def times(self) -> set[str]:
        return set().union(*(m.times for m in self.mentions))

    @property
    def place(self) -> dict[str, Any] | None:
        placed = [m.place for m in self.mentions if m.place and m.place.get("lat") is not None]
        if not placed:
            return None
        return min(placed, key=lambda p: (_PRECISION_RANK.get(p.get("precision") or "place", 0), 0))

    @property
    def dated(self) -> tuple[date, date, str] | None:
        """The most precise explicit date range any member gives."""
        dated = [
            (m.date_start, m.date_end or m.date_start, m.date_precision or "day")
            for m in self.mentions
            if m.date_start is not None
        ]
        if not dated:
            return None
        return min(dated, key=lambda d: (_DATE_RANK.get(d[2], 4), (d[1] - d[0]).days, d[0]))

    def window(self) -> tuple[date, date]:
        """The dates the happening may fall on, widened by the uncertainty of the report."""
        dated = self.dated
        if dated is not None:
            slack = timedelta(days=_DATE_SLACK.get(dated[2], 0))
            return dated[0] - slack, dated[1] + slack
        anchor = self.published or date(1970, 1, 1)
        return anchor - timedelta(days=_UNDATED_LOOKBACK_DAYS), anchor

    @property
    def fatalities(self) -> int | None:
        """The article's figure: the largest toll it reports (tolls in later paragraphs update)."""
        found = [m.fatalities for m in self.mentions if m.fatalities is not None]
        return max(found) if found else None


# Heads that name no one in particular: they cannot tell two crowds or two targets apart.
_GENERIC_HEADS = {
    "people",
    "person",
    "civilian",
    "resident",
    "protester",
    "demonstrator",
    "crowd",
    "man",
    "woman",
    "group",
    "member",
    "victim",
    "fighter",
    "militant",
    "gunman",
    "attacker",
    "local",
    "villager",
}


def _target_head(actor: dict[str, Any] | None) -> str | None:
    """Head noun of an actor the catalog does not know ("a police checkpoint" -> checkpoint)."""
    if not actor or actor.get("id") or not actor.get("text"):
        return None
    words = [w.lower() for w in _WORD_RE.findall(actor["text"])]
    words = [w for w in words if w not in _DETERMINERS]
    if not words:
        return None
    head = words[-1]
    head = head[:-1] if head.endswith("s") and len(head) > 3 else head
    return None if head in _GENERIC_HEADS else head


# -- actors --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def lineage(actor_id: str) -> tuple[str, ...]:
    """The actor and every organisation it belongs to (YPG -> SDF; SYR-MIL -> SYR-GOV -> SYR)."""
    from eventwire.actors.catalog import load_catalog

    chain = [e.id for e in load_catalog().lineage(actor_id)]
    if not chain:
        chain = [actor_id]
    head, _, suffix = actor_id.partition("-")
    if suffix and len(head) == 3 and head.isupper() and head not in chain:
        chain.append(head)  # institutions made on demand (RUS-MIL) belong to their state
    return tuple(chain)


def related(a: str, b: str) -> bool:
    """Same actor, or one inside the other. Two states' institutions are not related."""
    return a == b or a in lineage(b) or b in lineage(a)


def _any_related(xs: Iterable[str], ys: Iterable[str]) -> tuple[str, str] | None:
    ys = sorted(ys)
    for x in sorted(xs):
        for y in ys:
            if related(x, y):
                return x, y
    return None


# -- comparing -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Verdict:
    """Whether two units (or mentions) report the same happening, and why."""

    link: bool
    conflict: str | None
    score: float
    rule: str


def _place_distance(p: dict[str, Any], q: dict[str, Any]) -> tuple[bool, float, str]:
    """(compatible, closeness 0..1, explanation) of two resolved places."""
    if p.get("geonameid") is not None and p.get("geonameid") == q.get("geonameid"):
        return True, 1.0, f"same place {p.get('name')}"
    coarse = max(
        p.get("precision") or "place", q.get("precision") or "place", key=lambda x: _PRECISION_RANK.get(x, 0)
    )
    if coarse == "country":
        same = bool(p.get("country")) and p.get("country") == q.get("country")
        return same, 0.4 if same else 0.0, f"same country {p.get('country')}" if same else "other country"
    if p.get("country") and q.get("country") and p["country"] != q["country"]:
        return False, 0.0, "other country"
    radius = _RADIUS_KM.get(coarse, 30.0)
    km = haversine_km(p["lat"], p["lon"], q["lat"], q["lon"])
    if km > radius:
        return False, 0.0, f"{km:.0f} km apart (> {radius:.0f} km at {coarse} precision)"
    return True, max(0.3, 1.0 - km / radius), f"{km:.1f} km apart (<= {radius:.0f} km at {coarse} precision)"


def _distinguishers(u: Unit, v: Unit) -> str | None:
    """Text that separates two reports of the same kind: other targets, other times of day."""
    tu, tv = u.times, v.times
    if tu and tv and not tu & tv:
        return f"different time of day ({'/'.join(sorted(tu))} vs {'/'.join(sorted(tv))})"
    hu, hv = u.target_heads, v.target_heads
    if hu and hv and not hu & hv:
        return f"different targets ({'/'.join(sorted(hu))} vs {'/'.join(sorted(hv))})"
    a2u, a2v = u.actor_ids("actor2"), v.actor_ids("actor2")
    if (
        a2u
        and a2v
        and not _any_related(a2u, a2v | v.actor_ids("actor1"))
        and not _any_related(a2v, a2u | u.actor_ids("actor1"))
    ):
        return f"different targets ({'/'.join(sorted(a2u))} vs {'/'.join(sorted(a2v))})"
    return None


def _shared_type(u: Unit, v: Unit) -> list[str]:
    """Compatible types: the same ACLED event type when both have one (a bombing is no battle,
    though PLOVER calls both ASSAULT), else the same PLOVER type."""
    au, av = u.acled_types, v.acled_types
    if au and av:
        return sorted(au & av)
    return sorted(u.types & v.types)


def compare(u: Unit, v: Unit) -> Verdict:
    """Do two units from different articles report the same happening?"""
    if u.article_id == v.article_id:
        return Verdict(False, "same article, told apart there", 0.0, "")
    shared = _shared_type(u, v)
    if not shared:
        return Verdict(False, "incompatible types", 0.0, "")
    (us, ue), (vs, ve) = u.window(), v.window()
    if us > ve or vs > ue:
        return Verdict(False, f"dates apart ({us}..{ue} vs {vs}..{ve})", 0.0, "")
    parts = [f"type {shared[0]}"]
    score = 0.2
    both_dated = u.dated is not None and v.dated is not None
    overlap = (min(ue, ve) - max(us, vs)).days + 1
    span = max((ue - us).days, (ve - vs).days) + 1
    score += 0.25 * (overlap / span if both_dated else 0.6)
    parts.append(
        f"dates overlap {max(us, vs)}..{min(ue, ve)}" + ("" if both_dated else " (undated: publication)")
    )
    a1u, a1v = u.actor_ids("actor1"), v.actor_ids("actor1")
    all_u, all_v = a1u | u.actor_ids("actor2"), a1v | v.actor_ids("actor2")
    if a1u and a1v and not _any_related(a1u, all_v) and not _any_related(a1v, all_u):
        return Verdict(
            False, f"different actors ({'/'.join(sorted(a1u))} vs {'/'.join(sorted(a1v))})", 0.0, ""
        )
    pair = _any_related(all_u, all_v)
    if pair:
        score += 0.25
        parts.append(f"actors {pair[0]}" + ("" if pair[0] == pair[1] else f"~{pair[1]}"))
    pu, pv = u.place, v.place
    if pu and pv:
        ok, closeness, why = _place_distance(pu, pv)
        if not ok:
            return Verdict(False, f"places apart: {why}", 0.0, "")
        score += 0.3 * closeness
        parts.append(why)
    elif not pair:
        return Verdict(False, None, score, "no place and no shared actor")
    distinct = _distinguishers(u, v)
    if distinct:
        return Verdict(False, distinct, 0.0, "")
    score = round(min(score, 1.0), 3)
    return Verdict(score >= LINK_THRESHOLD, None, score, "; ".join(parts))


def _mention_verdict(m: MentionFacts, n: MentionFacts) -> Verdict:
    """Do two mentions in one article state the same happening? Link unless something conflicts."""
    one = Unit(m.article_id, [m], {}, m.published)
    other = Unit(n.article_id, [n], {}, n.published)
    # One article may code one happening under two ACLED types (an "ambush" that was an "attack");
    # the same PLOVER type suffices here, where the sentences share a context.
    if m.type != n.type and not _shared_type(one, other):
        return Verdict(False, "incompatible types", 0.0, "")
    if n.separate:  # n comes later in the article and says it is another incident
        return Verdict(False, "announced as a separate incident", 0.0, "")
    if m.date_start and n.date_start:
        slack = timedelta(
            days=max(
                _DATE_SLACK.get(m.date_precision or "day", 0), _DATE_SLACK.get(n.date_precision or "day", 0)
            )
        )
        if (
            m.date_start > (n.date_end or n.date_start) + slack
            or n.date_start > (m.date_end or m.date_start) + slack
        ):
            return Verdict(False, "different dates", 0.0, "")
    if m.place and n.place and m.place.get("lat") is not None and n.place.get("lat") is not None:
        ok, _, why = _place_distance(m.place, n.place)
        if not ok:
            return Verdict(False, why, 0.0, "")
    a1m, a1n = one.actor_ids("actor1"), other.actor_ids("actor1")
    if (
        a1m
        and a1n
        and not _any_related(a1m, a1n | other.actor_ids("actor2"))
        and not _any_related(a1n, a1m | one.actor_ids("actor2"))
    ):
        return Verdict(False, "different actors", 0.0, "")
    distinct = _distinguishers(one, other)
    if distinct:
        return Verdict(False, distinct, 0.0, "")
    score = 0.6 + (0.2 if m.type == n.type else 0.0) + (0.2 if _any_related(a1m, a1n) else 0.0)
    return Verdict(True, None, round(score, 3), f"same article: {n.trigger!r} restates {m.trigger!r}")


def article_units(mentions: list[MentionFacts], published: date | None) -> list[Unit]:
    """Group one article's mentions into happenings: each joins the first group it links with and
    conflicts with nobody in; in reading order, so the result is fixed by the article alone."""
    units: list[Unit] = []
    for m in sorted(mentions, key=lambda x: x.seq):
        placed = False
        # Most recently mentioned first: "the attack" after "in a separate attack" means the latter.
        for unit in sorted(units, key=lambda u: -max(x.seq for x in u.mentions)):
            verdicts = [_mention_verdict(other, m) for other in unit.mentions]
            if any(v.conflict for v in verdicts) or not any(v.link for v in verdicts):
                continue
            best = max((v for v in verdicts if v.link), key=lambda v: v.score)
            unit.mentions.append(m)
            unit.rules[m.id] = (best.rule, best.score)
            placed = True
            break
        if not placed:
            units.append(Unit(m.article_id, [m], {m.id: ("first mention in article", 1.0)}, published))
    return units


_APART = Verdict(False, "dates apart", 0.0, "")


def cluster(units: list[Unit]) -> list[list[tuple[Unit, str, float]]]:
    """Partition units into events: components of the link graph, split where members conflict.

    Returns each event's units with the rule and score that joined each one. Deterministic for a
    given set of units whatever order they come in.
    """
    ordered = sorted(units, key=lambda u: u.key)
    n = len(ordered)
    verdicts: dict[tuple[int, int], Verdict] = {}
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only units whose date windows overlap can link (``compare`` says "dates apart" otherwise),
    # so pairs are blocked by window: sorted by start, each unit meets those starting before it
    # ends. A pair never compared is "dates apart": a conflict, exactly as compare() would say.
    windows = [u.window() for u in ordered]
    by_start = sorted(range(n), key=lambda k: windows[k][0])
    for a, i in enumerate(by_start):
        for j in by_start[a + 1 :]:
            if windows[j][0] > windows[i][1]:
                break
            lo, hi = min(i, j), max(i, j)
            v = compare(ordered[lo], ordered[hi])
            verdicts[lo, hi] = v
            if v.link:
                parent[find(hi)] = find(lo)
    components: dict[int, list[int]] = {}
    for i in range(n):
        components.setdefault(find(i), []).append(i)
    events: list[list[tuple[Unit, str, float]]] = []
    for members in components.values():
        groups: list[list[tuple[int, str, float]]] = []
        for i in members:  # ascending key order
            for group in groups:
                vs = [verdicts.get((min(i, g), max(i, g)), _APART) for g, _, _ in group]
                if any(v.conflict for v in vs) or not any(v.link for v in vs):
                    continue
                best = max((v for v in vs if v.link), key=lambda v: v.score)
                group.append((i, best.rule, best.score))
                break
            else:
                groups.append([(i, "seed", 1.0)])
        events.extend([(ordered[i], rule, score) for i, rule, score in group] for group in groups)
    return sorted(events, key=lambda ev: ev[0][0].key)


# -- building events -----------------------------------------------------------------------------------


def event_id(units: Iterable[Unit]) -> str:
    """Hash of the smallest member mention id: stable whatever order the corpus arrived in."""
    smallest = min(m.id for u in units for m in u.mentions)
    return "ev_" + hashlib.sha256(smallest.encode("utf-8")).hexdigest()[:20]


def _majority(values: Iterable[Any], tiebreak: Any = None) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    key = tiebreak or (lambda v: str(v))
    return sorted(counts.items(), key=lambda kv: (-kv[1], key(kv[0])))[0][0]


def _outlet_key(outlet: str | None, url: str | None, key: str) -> str:
    if outlet:
        return outlet.strip().casefold()
    if url:
        host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0]
        return host.removeprefix("www.").casefold()
    return f"source:{key}"


def build_event(members: list[tuple[Unit, str, float]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The canonical event row and its member rows for one cluster of units."""
    units = [u for u, _, _ in members]
    eid = event_id(units)
    mentions = sorted((m for u in units for m in u.mentions), key=lambda m: m.id)
    etype = _majority(m.type for m in mentions)
    acled_all = {m.acled_event_type for m in mentions if m.acled_event_type}
    acled_type = _majority(m.acled_event_type for m in mentions)
    acled_sub = _majority(m.acled_sub_event_type for m in mentions if m.acled_event_type == acled_type)

    def actor(role: str) -> dict[str, Any] | None:
        found = [getattr(m, role) for m in mentions if getattr(m, role) and getattr(m, role).get("id")]
        if not found:
            texts = [getattr(m, role) for m in mentions if getattr(m, role)]
            return (
                {"id": None, **{k: texts[0].get(k) for k in ("name", "kind", "country")}} if texts else None
            )
        best = _majority((a["id"] for a in found), tiebreak=lambda i: (-len(lineage(i)), i))
        return next(a for a in found if a["id"] == best)

    a1, a2 = actor("actor1"), actor("actor2")
    roster: dict[tuple[str, str], dict[str, Any]] = {}
    for m in mentions:
        for role in ("actor1", "actor2"):
            a = getattr(m, role)
            if a and a.get("id"):
                entry = roster.setdefault(
                    (role, a["id"]),
                    {
                        "role": role,
                        "id": a["id"],
                        "name": a.get("name"),
                        "kind": a.get("kind"),
                        "country": a.get("country"),
                        "count": 0,
                    },
                )
                entry["count"] += 1
    places = [m.place for m in mentions if m.place and m.place.get("lat") is not None]
    place = None
    if places:
        place = min(
            places,
            key=lambda p: (
                _PRECISION_RANK.get(p.get("precision") or "place", 0),
                -sum(1 for q in places if q.get("geonameid") == p.get("geonameid")),
                p.get("geonameid") or 0,
                p.get("name") or "",
            ),
        )
    dated = [u.dated for u in units if u.dated is not None]
    if dated:
        best_rank = min(_DATE_RANK.get(d[2], 4) for d in dated)
        ds, de, dp = _majority(
            (d for d in dated if _DATE_RANK.get(d[2], 4) == best_rank), tiebreak=lambda d: (d[0], d[1])
        )
    else:
        first = min((u.published for u in units if u.published), default=None)
        ds, de, dp = first, first, "reported" if first else None
    windows = [u.window() for u in units]
    # Fatalities: the figure the most outlets carried; ties go to the latest report (tolls rise).
    tolls = [(u.fatalities, len(u.outlets) or 1, max(u.source_dates, default=u.published)) for u in units]
    tolls = [t for t in tolls if t[0] is not None]
    fatalities = None
    if tolls:
        weight: Counter[int] = Counter()
        latest: dict[int, date] = {}
        for figure, outlets, when in tolls:
            weight[figure] += outlets
            if when and (figure not in latest or when > latest[figure]):
                latest[figure] = when
        fatalities = sorted(weight, key=lambda f: (-weight[f], -(latest.get(f) or date.min).toordinal(), -f))[
            0
        ]
    outlets = sorted({o for u in units for o in u.outlets})
    dates = [d for u in units for d in u.source_dates] or [u.published for u in units if u.published]
    # The lookup box covers precise places only: an event with a coarse place, or with a report
    # that has none (it may link to a unit anywhere through a shared actor), is always a candidate.
    coarse = any((p.get("precision") or "place") in ("region", "country") for p in places)
    coarse = coarse or any(u.place is None for u in units)
    points = [] if coarse else [(p["lat"], p["lon"]) for p in places]
    first_unit = min(units, key=lambda u: (u.published or date.max, u.key))
    lead = min(first_unit.mentions, key=lambda m: m.seq)
    row = {
        "id": eid,
        "type": etype,
        # PLOVER types, and ACLED types as "acled:<type>": what the candidate lookup filters on.
        "types": "|" + "|".join(sorted({m.type for m in mentions} | {f"acled:{t}" for t in acled_all})) + "|",
        "mode": _majority(m.mode for m in mentions if m.type == etype),
        "acled_event_type": acled_type,
        "acled_sub_event_type": acled_sub,
        **{f"actor1_{k}": (a1 or {}).get(k) for k in ("id", "name", "kind", "country")},
        **{f"actor2_{k}": (a2 or {}).get(k) for k in ("id", "name", "kind", "country")},
        "actors": sorted(roster.values(), key=lambda a: (a["role"], -a["count"], a["id"])),
        "place_name": place.get("name") if place else None,
        "place_geonameid": place.get("geonameid") if place else None,
        "place_lat": place.get("lat") if place else None,
        "place_lon": place.get("lon") if place else None,
        "place_country": place.get("country") if place else None,
        "place_admin1": place.get("admin1") if place else None,
        "place_precision": (place.get("precision") or "place") if place else None,
        "box_south": min(p[0] for p in points) if points else None,
        "box_north": max(p[0] for p in points) if points else None,
        "box_west": min(p[1] for p in points) if points else None,
        "box_east": max(p[1] for p in points) if points else None,
        "date_start": ds,
        "date_end": de,
        "date_precision": dp,
        "window_start": min(w[0] for w in windows),
        "window_end": max(w[1] for w in windows),
        "fatalities": fatalities,
        "fatalities_min": min(t[0] for t in tolls) if tolls else None,
        "fatalities_max": max(t[0] for t in tolls) if tolls else None,
        "n_mentions": len(mentions),
        "n_articles": len({u.article_id for u in units}),
        "n_outlets": len(outlets),
        "outlets": outlets,
        "first_reported": min(dates) if dates else None,
        "last_reported": max(dates) if dates else None,
        "notes": lead.sentence.strip(),
        "merge_version": MERGE_VERSION,
    }
    member_rows = []
    for unit, rule, score in members:
        for m in unit.mentions:
            inner_rule, inner_score = unit.rules.get(m.id, ("", 1.0))
            joined = "seed" if rule == "seed" else f"across articles: {rule}"
            member_rows.append(
                {
                    "mention_id": m.id,
                    "event_id": eid,
                    "article_id": m.article_id,
                    "rule": f"{joined}; {inner_rule}",
                    "score": round(min(score, inner_score), 3),
                }
            )
    return row, sorted(member_rows, key=lambda r: r["mention_id"])


# -- loading from the store ----------------------------------------------------------------------------


def _place_of(r: Any) -> dict[str, Any] | None:
    if r.place_name is None and r.place_lat is None:
        return None
    return {
        "text": r.place_text,
        "name": r.place_name,
        "geonameid": r.place_geonameid,
        "lat": r.place_lat,
        "lon": r.place_lon,
        "country": r.place_country,
        "admin1": r.place_admin1,
        "precision": r.place_precision,
    }


def _actor_of(r: Any, role: str) -> dict[str, Any] | None:
    text = getattr(r, f"{role}_text")
    if text is None:
        return None
    return {k: getattr(r, f"{role}_{k}") for k in ("text", "id", "name", "kind", "country")}


def facts_of(row: MentionRow, body: str, published: date | None) -> MentionFacts:
    sentence = body[row.sentence_start : row.sentence_end]
    return MentionFacts(
        id=row.id,
        article_id=row.article_id,
        seq=row.seq,
        type=row.type,
        mode=row.mode,
        acled_event_type=row.acled_event_type,
        acled_sub_event_type=row.acled_sub_event_type,
        confidence=row.confidence,
        actor1=_actor_of(row, "actor1"),
        actor2=_actor_of(row, "actor2"),
        place=_place_of(row),
        date_start=row.date_start,
        date_end=row.date_end,
        date_precision=row.date_precision,
        published=published,
        fatalities=row.fatalities,
        sentence=sentence,
        trigger=row.trigger_text,
        trigger_span=(row.trigger_start, row.trigger_end),
        sentence_span=(row.sentence_start, row.sentence_end),
        times=frozenset(_TIME_WORDS[w.lower()] for w in _TIME_RE.findall(sentence)),
        separate=bool(_SEPARATE_RE.search(sentence)),
    )


def load_units(session: Session, article_ids: Iterable[str]) -> list[Unit]:
    """The units of some stored articles, with each article's outlets and source dates."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    articles = {
        r.id: r
        for r in session.execute(
            select(
                ArticleRow.id, ArticleRow.body, ArticleRow.published, ArticleRow.outlet, ArticleRow.url
            ).where(ArticleRow.id.in_(ids))
        )
    }
    sources: dict[str, list[Any]] = {}
    for s in session.execute(select(SourceRow).where(SourceRow.article_id.in_(ids))).scalars():
        sources.setdefault(s.article_id, []).append(s)
    by_article: dict[str, list[MentionFacts]] = {}
    stmt = select(MentionRow).where(
        MentionRow.article_id.in_(ids), MentionRow.negated.is_(False), MentionRow.hypothetical.is_(False)
    )
    for row in session.execute(stmt).scalars():
        art = articles[row.article_id]
        by_article.setdefault(row.article_id, []).append(facts_of(row, art.body, art.published))
    units: list[Unit] = []
    for aid in ids:
        art = articles.get(aid)
        if art is None or aid not in by_article:
            continue
        srcs = sources.get(aid, [])
        outlets = {_outlet_key(s.outlet, s.url, s.key) for s in srcs} or {
            _outlet_key(art.outlet, art.url, aid)
        }
        when = tuple(
            sorted({s.published for s in srcs if s.published} | ({art.published} if art.published else set()))
        )
        for unit in article_units(by_article[aid], art.published):
            unit.outlets = tuple(sorted(outlets))
            unit.source_dates = when
            units.append(unit)
    return units


# Events whose window spans more days than this ("in March", "last year") are few; they are read
# once per merge transaction and filtered in Python, so the indexed scan stays a few weeks wide.
_SHORT_WINDOW_DAYS = 40


@dataclass(frozen=True, slots=True)
class _LongEvent:
    id: str
    types: frozenset[str]
    merge_version: str
    window: tuple[date, date]
    box: tuple[float, float] | None  # (south, north), None: no box (always a place candidate)


def _long_events(session: Session) -> list[_LongEvent]:
    """Stored events with a window longer than ``_SHORT_WINDOW_DAYS`` (one scan per transaction)."""
    start, end = CanonicalEventRow.window_start, CanonicalEventRow.window_end
    if session.get_bind().dialect.name == "sqlite":
        days = func.julianday(end) - func.julianday(start)
    else:
        days = end - start
    stmt = select(
        CanonicalEventRow.id,
        CanonicalEventRow.types,
        CanonicalEventRow.merge_version,
        start,
        end,
        CanonicalEventRow.box_south,
        CanonicalEventRow.box_north,
    ).where(days > _SHORT_WINDOW_DAYS)
    return [
        _LongEvent(
            r.id,
            frozenset(r.types.strip("|").split("|")),
            r.merge_version,
            (r.window_start, r.window_end),
            None if r.box_south is None else (r.box_south, r.box_north),
        )
        for r in session.connection().execute(stmt)
    ]


def _candidate_articles(session: Session, unit: Unit, long_events: list[_LongEvent]) -> set[str]:
    """Articles of stored events that could hold the same happening: date window, type, place box.

    A superset of what ``compare`` can link: an event is a candidate if it shares a PLOVER type
    with the unit, or an ACLED type when the unit has one (``_shared_type``). Events written by an
    older merge carry no ACLED types in ``types``, so for those any type is a candidate.
    """
    start, end = unit.window()
    slack = timedelta(days=max(_DATE_SLACK.values()) + _UNDATED_LOOKBACK_DAYS)
    lo, hi = start - slack, end + slack
    # Short windows: both ends of window_start are bounded, so the index scans a few weeks of
    # events, not every event that ends after this one starts. Long windows: ``long_events``.
    stmt = select(CanonicalEventRow.id, CanonicalEventRow.types, CanonicalEventRow.merge_version).where(
        CanonicalEventRow.window_start <= hi,
        CanonicalEventRow.window_start >= lo - timedelta(days=_SHORT_WINDOW_DAYS),
        CanonicalEventRow.window_end >= lo,
    )
    place = unit.place
    lat_range: tuple[float, float] | None = None
    if place is not None and (place.get("precision") or "place") in ("place", "near"):
        deg = _BOX_DEG[place.get("precision") or "place"]
        lat_range = (place["lat"] - deg, place["lat"] + deg)
        stmt = stmt.where(
            or_(
                CanonicalEventRow.box_south.is_(None),
                (CanonicalEventRow.box_south <= lat_range[1]) & (CanonicalEventRow.box_north >= lat_range[0]),
            )
        )
    types = unit.types | {f"acled:{t}" for t in unit.acled_types}

    def wanted(event_types: frozenset[str] | set[str], version: str) -> bool:
        return bool(types & event_types) or bool(unit.acled_types and version != MERGE_VERSION)

    conn = session.connection()  # Core: the ORM's per-statement overhead doubled merge time
    ids = {r.id for r in conn.execute(stmt) if wanted(set(r.types.strip("|").split("|")), r.merge_version)}
    for ev in long_events:
        if ev.window[0] > hi or ev.window[1] < lo or not wanted(ev.types, ev.merge_version):
            continue
        if lat_range is None or ev.box is None or (ev.box[0] <= lat_range[1] and ev.box[1] >= lat_range[0]):
            ids.add(ev.id)
    if not ids:
        return set()
    found: set[str] = set()
    for chunk in _chunks(sorted(ids), 500):
        stmt = select(EventMentionRow.article_id).where(EventMentionRow.event_id.in_(chunk))
        found.update(conn.scalars(stmt))
    return found


def _co_members(session: Session, article_ids: list[str]) -> set[str]:
    """Articles that share a current event with these: that event is rewritten, so they join."""
    found: set[str] = set()
    for chunk in _chunks(article_ids, 500):
        current = select(EventMentionRow.event_id).where(EventMentionRow.article_id.in_(chunk))
        found.update(
            session.scalars(select(EventMentionRow.article_id).where(EventMentionRow.event_id.in_(current)))
        )
    return found


def _closure(session: Session, article_ids: set[str]) -> tuple[list[Unit], set[str]]:
    """The units to cluster again: every unit linked, directly or through others, to the given
    articles' units, plus the members of every event those units sit in now.

    ``cluster`` partitions the components of the link graph, so only units in the same component
    as a changed unit can change event; following actual links (not every candidate) keeps the
    set to those components, which on a dense feed is a small part of a date window's events.
    """
    units_of: dict[str, list[Unit]] = {}

    def load(aids: set[str]) -> None:
        missing = sorted(aids - units_of.keys())
        for chunk in _chunks(missing, 200):
            for unit in load_units(session, chunk):
                units_of.setdefault(unit.article_id, []).append(unit)
        for aid in missing:
            units_of.setdefault(aid, [])

    seen: set[str] = set()
    frontier = set(article_ids)
    long_events = _long_events(session)
    while frontier:
        batch = sorted(frontier - seen)
        seen.update(batch)
        frontier = _co_members(session, batch) - seen
        load(set(batch))
        for aid in batch:
            for unit in units_of[aid]:
                candidates = _candidate_articles(session, unit, long_events) - seen - frontier
                load(candidates)
                frontier.update(
                    c for c in candidates if any(compare(unit, other).link for other in units_of[c])
                )
    return [u for aid in sorted(seen) for u in units_of[aid]], seen


# -- running -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class MergeSummary:
    articles: int = 0
    events_written: int = 0
    events_removed: int = 0
    units: int = 0
    details: list[str] = field(default_factory=list)


def _source_counts(session: Session, article_ids: list[str] | None = None) -> dict[str, int]:
    stmt = select(SourceRow.article_id, func.count()).group_by(SourceRow.article_id)
    if article_ids is not None:
        stmt = stmt.where(SourceRow.article_id.in_(article_ids))
    return {aid: int(n) for aid, n in session.execute(stmt)}


def pending_articles(store: Store) -> list[str]:
    """Articles never merged, or with more sources than when they were merged (sorted)."""
    with store.reading("finding articles to merge") as session:
        counts = _source_counts(session)
        stmt = select(MergeStateRow.article_id, MergeStateRow.n_sources)
        merged = {aid: n for aid, n in session.execute(stmt)}
        ids = [r for (r,) in session.execute(select(ArticleRow.id))]
    return sorted(aid for aid in ids if merged.get(aid) != counts.get(aid, 0))


def merge_articles(store: Store, article_ids: Iterable[str]) -> MergeSummary:
    """Merge some stored articles into the canonical events, rewriting only what they touch."""
    summary = MergeSummary()
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), _BATCH):
        batch = set(ids[start : start + _BATCH])
        with store.transaction("merging events") as session:
            units, articles = _closure(session, batch)
            mention_ids = [m.id for u in units for m in u.mentions]
            old: set[str] = set()
            for chunk in _chunks(sorted(articles), 500):
                old |= set(
                    session.scalars(
                        select(EventMentionRow.event_id).where(EventMentionRow.article_id.in_(chunk))
                    )
                )
            for chunk in _chunks(sorted(old), 500):
                session.execute(delete(EventMentionRow).where(EventMentionRow.event_id.in_(chunk)))
                session.execute(delete(CanonicalEventRow).where(CanonicalEventRow.id.in_(chunk)))
            for chunk in _chunks(mention_ids, 500):  # defensive: members of no listed event
                session.execute(delete(EventMentionRow).where(EventMentionRow.mention_id.in_(chunk)))
            events = cluster(units)
            built = [build_event(members) for members in events]
            conn = session.connection()  # Core executemany: one statement per table, not per event
            if built:
                conn.execute(insert(CanonicalEventRow.__table__), [row for row, _ in built])
                conn.execute(insert(EventMentionRow.__table__), [r for _, rows in built for r in rows])
            counts = _source_counts(session, sorted(articles))
            for chunk in _chunks(sorted(articles), 500):
                session.execute(delete(MergeStateRow).where(MergeStateRow.article_id.in_(chunk)))
            session.execute(
                insert(MergeStateRow),
                [{"article_id": a, "n_sources": counts.get(a, 0)} for a in sorted(articles)],
            )
        summary.articles += len(batch)
        summary.units += len(units)
        summary.events_written += len(events)
        summary.events_removed += len(old)
        log.debug("merged %d article(s): %d units into %d events", len(batch), len(units), len(events))
    return summary


def merge_pending(store: Store) -> MergeSummary:
    """Merge every article not merged yet (or with new sources): what ingest calls after saving."""
    return merge_articles(store, pending_articles(store))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
