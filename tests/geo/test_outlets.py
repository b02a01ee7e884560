"""An outlet's web address tells which country's 'Hyderabad' its readers mean."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.geo.outlets import outlet_country
from eventwire.pipeline import Extractor
from eventwire.records import Article


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.dawn-example.com.pk/news/1234/two-shot-dead", "PAK"),
        ("https://epaper.example.co.ke/article/9", "KEN"),
        ("http://news.example.co.uk/world/2025/03/04/story.html", "GBR"),
        ("example.ng/2025/03/04/attack", "NGA"),
        ("https://www.example.com/world/asia/story", None),
        ("https://wire.example.io/story", None),  # .io is sold as a generic name
        ("https://localhost/story", None),
        (None, None),
    ],
)
def test_country_from_the_sites_domain(url: str | None, country: str | None) -> None:
    assert outlet_country(url) == country


@pytest.mark.slow
def test_a_pakistani_site_places_hyderabad_in_sindh() -> None:
    body = (
        "Two men were shot dead in Hyderabad on Sunday night, police said. "
        "The attackers fled on a motorcycle and a search is under way."
    )
    extractor = Extractor()

    def placed(url: str) -> str | None:
        article = Article(body=body, url=url, published=date(2025, 3, 3), language="en")
        places = extractor.extract_one(article).places
        return places[0].country if places else None

    assert placed("https://www.example.com.pk/local/hyderabad-shooting") == "PAK"
    assert placed("https://www.example.in/city/hyderabad-shooting") == "IND"
