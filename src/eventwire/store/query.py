"""Mention filters: what ``eventwire events`` and the API's event endpoints can ask the store.

The filters are built as portable SQL (the same statement on SQLite and PostgreSQL); only the
radius search finishes in Python, because an exact great-circle distance needs trigonometry that
SQLite lacks. SQL narrows it first to a latitude/longitude box that contains the circle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_

from eventwire.errors import ConfigError
from eventwire.store.schema import MentionRow

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180.0


@dataclass(frozen=True, slots=True)
class MentionFilter:
    """What to list; every field left None does not filter.

    - ``since``/``until``: keep a mention whose date range overlaps [since, until]. A mention
      without a resolved date uses its article's published date; one with neither is left out
      whenever a date bound is given.
    - ``country``: ISO 3166 alpha-3, matched against the place's country OR either actor's country
      (so "SYR" finds a Syrian army strike abroad as well as anything placed in Syria). Members of
      compound actors are not searched.
    - ``actor``: case-insensitive substring of actor1/actor2 as written (text) or as resolved (name).
    - ``type``: PLOVER event type, case-insensitive.
    - ``near``: (lat, lon, km): the mention's place lies within km of the point (great-circle).
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    actor: str | None = None
    type: str | None = None
    near: tuple[float, float, float] | None = None
    limit: int | None = 100
    offset: int = 0

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since ({self.since}) is after until ({self.until})")
        if self.near is not None:
            lat, lon, km = self.near
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise ConfigError(f"near: ({lat}, {lon}) is not a latitude/longitude pair")
            if km <= 0:
                raise ConfigError(f"near: radius must be positive, got {km} km")
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"limit must be zero or more, got {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must be zero or more, got {self.offset}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth (error under 0.5%, plenty for event radii)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lon: float, km: float) -> ColumnElement[bool]:
    """A SQL condition true for every place within ``km`` of the point (and some just outside).

    The longitude span widens with latitude; near a pole, or for radii that wrap the globe, the
    longitude bound is dropped, and a box across the antimeridian becomes two ranges.
    """
    lat_col, lon_col = MentionRow.place_lat, MentionRow.place_lon
    dlat = km / _KM_PER_DEGREE_LAT
    lat_min, lat_max = lat - dlat, lat + dlat
    conditions: list[ColumnElement[bool]] = [
        lat_col.is_not(None),
        lon_col.is_not(None),
        lat_col >= max(-90.0, lat_min),
        lat_col <= min(90.0, lat_max),
    ]
    if lat_min <= -90.0 or lat_max >= 90.0:
        return and_(*conditions)  # the circle holds a pole: every longitude is in reach
    # Widest longitude reach is at the box edge nearest the pole.
    cos_lat = math.cos(math.radians(max(abs(lat_min), abs(lat_max))))
    dlon = dlat / cos_lat
    if dlon >= 180.0:
        return and_(*conditions)
    lon_min, lon_max = lon - dlon, lon + dlon
    if lon_min < -180.0:
        conditions.append(or_(lon_col >= lon_min + 360.0, lon_col <= lon_max))
    elif lon_max > 180.0:
        conditions.append(or_(lon_col >= lon_min, lon_col <= lon_max - 360.0))
    else:
        conditions += [lon_col >= lon_min, lon_col <= lon_max]
    return and_(*conditions)


def conditions(filters: MentionFilter) -> list[ColumnElement[bool]]:
    """SQL conditions for every filter except the exact radius (see ``bounding_box``)."""
    where: list[ColumnElement[bool]] = []
    if filters.since is not None:
        where.append(MentionRow.effective_end >= filters.since)
    if filters.until is not None:
        where.append(MentionRow.effective_start <= filters.until)
    if filters.country:
        code = filters.country.strip().upper()
        where.append(
            or_(
                MentionRow.place_country == code,
                MentionRow.actor1_country == code,
                MentionRow.actor2_country == code,
            )
        )
    if filters.actor:
        needle = filters.actor.strip().lower()
        columns = (
            MentionRow.actor1_text,
            MentionRow.actor1_name,
            MentionRow.actor2_text,
            MentionRow.actor2_name,
        )
        where.append(or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns)))
    if filters.type:
        where.append(func.upper(MentionRow.type) == filters.type.strip().upper())
    if filters.near is not None:
        where.append(bounding_box(*filters.near))
    return where
