"""The country an outlet publishes from, read from its web address, as evidence for places.

A Pakistani paper's "Hyderabad" is in Sindh, an Indian paper's in Telangana: readers resolve a
bare name towards home. The country-code top-level domain of the article's URL (".pk", ".co.ke",
".com.ng") is the one signal of that home that every scraped page carries. Country codes that are
sold worldwide as generic names (".tv", ".io", ".co", ".me"...) say nothing and are ignored, as
are generic domains (".com", ".org", ".net").
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import pycountry

# ccTLDs marketed as generic names: a site under them is no evidence of its country.
GENERIC_CCTLDS = frozenset(
    {"ac", "ai", "am", "cc", "cd", "co", "fm", "gg", "io", "la", "ly", "me", "nu", "sh", "so", "tk", "to",
     "tv", "vc", "ws", "xyz"}
)  # fmt: skip
# ccTLDs that differ from the ISO 3166 alpha-2 code.
TLD_TO_ALPHA2 = {"uk": "GB", "su": "RU"}


def outlet_country(url: str | None) -> str | None:
    """ISO alpha-3 country of a news site's URL by its country-code domain, or None."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".")
    if "." not in host:
        return None
    return _country_of_tld(host.rsplit(".", 1)[1].lower())


@functools.lru_cache(maxsize=512)
def _country_of_tld(tld: str) -> str | None:
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return None
    country = pycountry.countries.get(alpha_2=TLD_TO_ALPHA2.get(tld, tld.upper()))
    return country.alpha_3 if country is not None else None
