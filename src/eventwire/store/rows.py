"""Records to rows and back: the only place that knows how a record is flattened into columns.

Kept apart from the queries so a round trip (``record -> row -> record``) can be reasoned about in
one screen: every field written here is read back in the matching ``*_from_row`` function.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from eventwire.records import (
    Acled,
    ActorRef,
    Article,
    Mention,
    PlaceRef,
    Quote,
    ReadFailure,
    Speaker,
    TimeRef,
    Trigger,
    to_plain,
)
from eventwire.store.schema import (
    ActorMentionRow,
    ArticleRow,
    MentionRow,
    PlaceRow,
    QuoteRow,
    TimeRefRow,
)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def source_key(article: Article) -> str:
    """Identity of one copy of a story: its URL when known, else its outlet and input id.

    Two different inputs of the same outlet without a URL count as one source only if their input
    ids match, so re-ingesting a file is a no-op but two files of one outlet stay two sources.
    """
    if article.url:
        return _digest("url", article.url)
    return _digest("outlet", article.outlet or "", article.input_id)


def failure_key(failure: ReadFailure) -> str:
    """Identity of a failure: the same input failing with the same message is recorded once."""
    return _digest(failure.input_id, failure.message)


def mention_id(article_id: str, seq: int) -> str:
    return f"{article_id}:{seq}"


def quote_id(article_id: str, seq: int) -> str:
    return f"{article_id}:q{seq}"


# -- records to rows -------------------------------------------------------------------------------


def article_row(
    article: Article, *, ingested_at: datetime, duplicate_of: str | None, coder_version: str | None
) -> dict[str, Any]:
    return {
        "id": article.id,
        "input_id": article.input_id,
        "title": article.title,
        "body": article.body,
        "published": article.published,
        "outlet": article.outlet,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "errors": list(article.errors),
        "ingested_at": ingested_at,
        "duplicate_of": duplicate_of,
        "coder_version": coder_version,
    }


def source_row(article_id: str, article: Article) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "key": source_key(article),
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "input_id": article.input_id,
    }


def _actor_columns(prefix: str, actor: ActorRef | None) -> dict[str, Any]:
    if actor is None:
        return {
            f"{prefix}_{name}": None
            for name in ("text", "start", "end", "id", "name", "kind", "country", "reason")
        } | {f"{prefix}_members": []}
    return {
        f"{prefix}_text": actor.text,
        f"{prefix}_start": actor.span[0],
        f"{prefix}_end": actor.span[1],
        f"{prefix}_id": actor.id,
        f"{prefix}_name": actor.name,
        f"{prefix}_kind": actor.kind,
        f"{prefix}_country": actor.country,
        f"{prefix}_members": to_plain(actor.members),
        f"{prefix}_reason": actor.reason,
    }


def _place_columns(place: PlaceRef | None) -> dict[str, Any]:
    names = (
        "text",
        "start",
        "end",
        "name",
        "geonameid",
        "lat",
        "lon",
        "country",
        "admin1",
        "feature_code",
        "precision",
        "score",
        "reason",
    )
    if place is None:
        return {f"place_{name}": None for name in names}
    return {
        "place_text": place.text,
        "place_start": place.span[0],
        "place_end": place.span[1],
        "place_name": place.name,
        "place_geonameid": place.geonameid,
        "place_lat": place.lat,
        "place_lon": place.lon,
        "place_country": place.country,
        "place_admin1": place.admin1,
        "place_feature_code": place.feature_code,
        "place_precision": place.precision,
        "place_score": place.score,
        "place_reason": place.reason,
    }


def _date_columns(ref: TimeRef | None) -> dict[str, Any]:
    if ref is None:
        names = ("text", "span_start", "span_end", "start", "end", "precision", "reason")
        return {f"date_{name}": None for name in names}
    return {
        "date_text": ref.text,
        "date_span_start": ref.span[0],
        "date_span_end": ref.span[1],
        "date_start": ref.start,
        "date_end": ref.end,
        "date_precision": ref.precision,
        "date_reason": ref.reason,
    }


def mention_row(article_id: str, seq: int, mention: Mention, published: date | None) -> dict[str, Any]:
    when = mention.date
    start = (when.start or when.end) if when else None
    end = (when.end or when.start) if when else None
    row: dict[str, Any] = {
        "id": mention_id(article_id, seq),
        "article_id": article_id,
        "seq": seq,
        "type": mention.type,
        "mode": mention.mode,
        "acled_event_type": mention.acled.event_type if mention.acled else None,
        "acled_sub_event_type": mention.acled.sub_event_type if mention.acled else None,
        "confidence": mention.confidence,
        "rule": mention.rule,
        "trigger_text": mention.trigger.text,
        "trigger_start": mention.trigger.span[0],
        "trigger_end": mention.trigger.span[1],
        "sentence_start": mention.sentence[0],
        "sentence_end": mention.sentence[1],
        "effective_start": start or published,
        "effective_end": end or published,
        "fatalities": mention.fatalities,
        "negated": mention.negated,
        "hypothetical": mention.hypothetical,
        "attributed_to": mention.attributed_to,
        "contexts": list(mention.contexts),
    }
    row |= _actor_columns("actor1", mention.actor1)
    row |= _actor_columns("actor2", mention.actor2)
    row |= _place_columns(mention.place)
    row |= _date_columns(mention.date)
    return row


def quote_row(article_id: str, seq: int, quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "id": quote_id(article_id, seq),
        "article_id": article_id,
        "seq": seq,
        "text": quote.text,
        "span_start": quote.span[0],
        "span_end": quote.span[1],
        "cue": quote.cue,
        "cue_start": quote.cue_span[0] if quote.cue_span else None,
        "cue_end": quote.cue_span[1] if quote.cue_span else None,
        "speaker_text": speaker.text if speaker else None,
        "speaker_start": speaker.span[0] if speaker else None,
        "speaker_end": speaker.span[1] if speaker else None,
        "speaker_name": speaker.name if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "speaker_actor_id": speaker.actor_id if speaker else None,
    }


def place_row(article_id: str, seq: int, place: PlaceRef) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "seq": seq,
        "text": place.text,
        "span_start": place.span[0],
        "span_end": place.span[1],
        "name": place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "admin1": place.admin1,
        "feature_code": place.feature_code,
        "precision": place.precision,
        "score": place.score,
        "reason": place.reason,
    }


def actor_row(article_id: str, seq: int, actor: ActorRef) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "seq": seq,
        "text": actor.text,
        "span_start": actor.span[0],
        "span_end": actor.span[1],
        "actor_id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "members": to_plain(actor.members),
        "reason": actor.reason,
    }


def time_row(article_id: str, seq: int, ref: TimeRef) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "seq": seq,
        "text": ref.text,
        "span_start": ref.span[0],
        "span_end": ref.span[1],
        "date_start": ref.start,
        "date_end": ref.end,
        "precision": ref.precision,
        "reason": ref.reason,
    }


# -- rows to records -------------------------------------------------------------------------------


def article_from_row(row: ArticleRow) -> Article:
    return Article(
        body=row.body,
        title=row.title,
        input_id=row.input_id,
        published=row.published,
        outlet=row.outlet,
        url=row.url,
        author=row.author,
        language=row.language,
        errors=list(row.errors or []),
    )


def actor_from_plain(data: dict[str, Any]) -> ActorRef:
    """Rebuild a compound member stored as JSON (spans come back as lists, records want tuples)."""
    start, end = data["span"]
    return ActorRef(
        text=data["text"],
        span=(start, end),
        id=data.get("id"),
        name=data.get("name"),
        kind=data.get("kind"),
        country=data.get("country"),
        members=[actor_from_plain(m) for m in data.get("members") or []],
        reason=data.get("reason", ""),
    )


def _actor_from_columns(row: MentionRow, prefix: str) -> ActorRef | None:
    text = getattr(row, f"{prefix}_text")
    if text is None:
        return None
    return ActorRef(
        text=text,
        span=(getattr(row, f"{prefix}_start"), getattr(row, f"{prefix}_end")),
        id=getattr(row, f"{prefix}_id"),
        name=getattr(row, f"{prefix}_name"),
        kind=getattr(row, f"{prefix}_kind"),
        country=getattr(row, f"{prefix}_country"),
        members=[actor_from_plain(m) for m in getattr(row, f"{prefix}_members") or []],
        reason=getattr(row, f"{prefix}_reason") or "",
    )


def mention_from_row(row: MentionRow) -> Mention:
    place = None
    if row.place_text is not None:
        place = PlaceRef(
            text=row.place_text,
            span=(row.place_start or 0, row.place_end or 0),
            name=row.place_name or "",
            geonameid=row.place_geonameid,
            lat=row.place_lat,
            lon=row.place_lon,
            country=row.place_country,
            admin1=row.place_admin1,
            feature_code=row.place_feature_code,
            precision=row.place_precision,
            score=row.place_score or 0.0,
            reason=row.place_reason or "",
        )
    when = None
    if row.date_text is not None:
        when = TimeRef(
            text=row.date_text,
            span=(row.date_span_start or 0, row.date_span_end or 0),
            start=row.date_start,
            end=row.date_end,
            precision=row.date_precision,
            reason=row.date_reason or "",
        )
    acled = None
    if row.acled_event_type is not None:
        acled = Acled(event_type=row.acled_event_type, sub_event_type=row.acled_sub_event_type or "")
    return Mention(
        type=row.type,
        trigger=Trigger(text=row.trigger_text, span=(row.trigger_start, row.trigger_end)),
        sentence=(row.sentence_start, row.sentence_end),
        mode=row.mode,
        acled=acled,
        confidence=row.confidence,
        actor1=_actor_from_columns(row, "actor1"),
        actor2=_actor_from_columns(row, "actor2"),
        place=place,
        date=when,
        fatalities=row.fatalities,
        negated=bool(row.negated),
        hypothetical=bool(row.hypothetical),
        attributed_to=row.attributed_to,
        rule=row.rule,
        contexts=list(row.contexts or []),
    )


def quote_from_row(row: QuoteRow) -> Quote:
    speaker = None
    if row.speaker_text is not None:
        speaker = Speaker(
            text=row.speaker_text,
            span=(row.speaker_start or 0, row.speaker_end or 0),
            name=row.speaker_name or "",
            role=row.speaker_role,
            actor_id=row.speaker_actor_id,
        )
    cue_span = None
    if row.cue_start is not None and row.cue_end is not None:
        cue_span = (row.cue_start, row.cue_end)
    return Quote(
        text=row.text,
        span=(row.span_start, row.span_end),
        cue=row.cue,
        speaker=speaker,
        cue_span=cue_span,
    )


def place_from_row(row: PlaceRow) -> PlaceRef:
    return PlaceRef(
        text=row.text,
        span=(row.span_start, row.span_end),
        name=row.name,
        geonameid=row.geonameid,
        lat=row.lat,
        lon=row.lon,
        country=row.country,
        admin1=row.admin1,
        feature_code=row.feature_code,
        precision=row.precision,
        score=row.score,
        reason=row.reason,
    )


def actor_from_row(row: ActorMentionRow) -> ActorRef:
    return ActorRef(
        text=row.text,
        span=(row.span_start, row.span_end),
        id=row.actor_id,
        name=row.name,
        kind=row.kind,
        country=row.country,
        members=[actor_from_plain(m) for m in row.members or []],
        reason=row.reason,
    )


def time_from_row(row: TimeRefRow) -> TimeRef:
    return TimeRef(
        text=row.text,
        span=(row.span_start, row.span_end),
        start=row.date_start,
        end=row.date_end,
        precision=row.precision,
        reason=row.reason,
    )
