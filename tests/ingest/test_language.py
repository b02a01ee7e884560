"""Language identification: deterministic, and non-English articles are marked as such."""

from __future__ import annotations

import pytest

from eventwire.ingest.language import detect_language

SAMPLES = {
    "en": "Rebels shelled the airport of Koro on Tuesday, killing two civilians, the army said. The rebels "
    "denied targeting civilians and accused the army of staging the attack.",
    "fr": "Les dockers du port de Marsac ont cessé le travail mardi matin pour protester contre la "
    "suppression de quarante postes, a annoncé le syndicat.",
    "es": "Cientos de agricultores bloquearon el jueves la principal autopista al sur de Lund con sus "
    "tractores para exigir mayores cuotas de riego durante el verano.",
    "de": "Die Polizei hat am Dienstag in der Hauptstadt mehrere Demonstranten festgenommen, nachdem es "
    "vor dem Parlament zu Zusammenstößen gekommen war.",
    "ar": "قالت الشرطة إن مسلحين مجهولين فتحوا النار على دورية في ضواحي المدينة مساء الأربعاء مما أسفر "
    "عن مقتل ثلاثة من رجال الأمن.",
    "ru": "Власти города объявили в среду о закрытии трёх школ после сильного наводнения, которое "
    "затронуло более двух тысяч жителей.",
}


@pytest.mark.parametrize(("expected", "text"), sorted(SAMPLES.items()))
def test_language_of_news_paragraph(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_detection_is_deterministic() -> None:
    mixed = "Le ministre a dit: the talks will resume. El gobierno anunció un acuerdo."
    first = [detect_language(mixed) for _ in range(5)]
    assert len(set(first)) == 1


def test_too_little_text_gives_none() -> None:
    assert detect_language("") is None
    assert detect_language("12 345 -- !!") is None
    assert detect_language("Oslo") is None


def test_short_english_sentence_is_still_english() -> None:
    assert detect_language("Two men were detained and later released without charge.") == "en"
