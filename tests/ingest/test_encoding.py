"""Bytes to clean text: BOMs, wrong charset declarations, mojibake, binary sniffing, whitespace."""

from __future__ import annotations

import codecs
import random

import pytest

from eventwire.ingest.encoding import (
    binary_reason,
    clean_text,
    declared_charset,
    decode_bytes,
    normalise_whitespace,
    paragraphs,
)

SENTENCE = (
    "The minister\u2019s \u201cfinal offer\u201d was rejected by the union in S\u00e3o Miguel, "
    "which called it \u201can insult\u201d \u2014 a word Zo\u00eb Faure repeated."
)


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_respected(codec: str) -> None:
    data = SENTENCE.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + data
    assert binary_reason(data) is None
    assert decode_bytes(data) == SENTENCE


def test_utf16_without_bom_is_text_not_binary() -> None:
    data = SENTENCE.encode("utf-16-le")
    assert binary_reason(data) is None
    assert decode_bytes(data) == SENTENCE


def test_utf8_page_declared_latin1_is_not_mojibake() -> None:
    page = f'<meta charset="iso-8859-1"><p>{SENTENCE}</p>'.encode()
    assert declared_charset(page) == "iso8859-1"
    text = decode_bytes(page, declared=declared_charset(page))
    assert SENTENCE in text
    assert "\u00e2\u20ac" not in text  # the classic "â€" of UTF-8 read as windows-1252


def test_windows1252_page_declared_utf8_is_decoded() -> None:
    page = f'<meta charset="utf-8"><p>{SENTENCE}</p>'.encode("cp1252")
    text = decode_bytes(page, declared=declared_charset(page))
    assert SENTENCE in text


def test_latin1_declaration_is_read_as_windows1252_for_curly_quotes() -> None:
    page = '<?xml version="1.0" encoding="ISO-8859-1"?><p>\u201cNo,\u201d he said.</p>'.encode("cp1252")
    text = decode_bytes(page, declared=declared_charset(page))
    assert "\u201cNo,\u201d he said." in text


def test_undeclared_legacy_bytes_are_guessed() -> None:
    data = (SENTENCE + " " + SENTENCE).encode("cp1252")
    assert decode_bytes(data) == SENTENCE + " " + SENTENCE


def test_mojibake_and_entities_are_repaired() -> None:
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252"

    broken = SENTENCE.encode("utf-8").decode("sloppy-windows-1252")  # a wrong decoder upstream
    assert clean_text(broken) == SENTENCE
    assert clean_text("Lund FC &amp; Arvik United drew 1&ndash;1 &quot;at home&quot;.") == (
        'Lund FC & Arvik United drew 1\u20131 "at home".'
    )


def test_text_is_nfc_normalised() -> None:
    decomposed = "Zoe\u0308 Faure met Jose\u0301 Ruiz in Sa\u0303o Paulo."
    assert clean_text(decomposed) == "Zo\u00eb Faure met Jos\u00e9 Ruiz in S\u00e3o Paulo."


def test_whitespace_keeps_paragraphs_and_drops_trailing_spaces() -> None:
    messy = (
        "  Police  said\u00a0two men\twere detained.   \r\n\r\n\r\n\r\n"
        "The  court\u2003will rule\u200b on Friday.  \n   \n\n"
    )
    assert (
        normalise_whitespace(messy) == "Police said two men were detained.\n\nThe court will rule on Friday."
    )


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    wrapped = (
        "An aid convoy of 28 trucks reached the besieged town of Mirza on\n"
        "Saturday, the first delivery in almost two months, the U.S.-\n"
        "backed council said. The trucks carried flour and medicine.\n\n"
        "Short line one.\nShort line two is a separate paragraph."
    )
    assert paragraphs(wrapped) == [
        "An aid convoy of 28 trucks reached the besieged town of Mirza on Saturday, the first delivery "
        "in almost two months, the U.S.-backed council said. The trucks carried flour and medicine.",
        "Short line one.",
        "Short line two is a separate paragraph.",
    ]


def test_one_paragraph_per_line_text_keeps_its_paragraphs() -> None:
    text = (
        "Rebels shelled the airport of Koro on Tuesday, killing two civilians and wounding at least nine "
        "others who were waiting for a flight to the capital, the army said in a statement.\n"
        "The rebels denied targeting civilians.\n"
        "Flights were suspended until further notice, the airport authority said."
    )
    assert paragraphs(text) == text.split("\n")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"plain start then a NUL\x00 in the middle", "NUL"),
    ],
)
def test_binary_formats_are_recognised(data: bytes, kind: str) -> None:
    reason = binary_reason(data)
    assert reason is not None and kind in reason


def test_random_bytes_are_binary_and_news_text_is_not() -> None:
    noise = random.Random(7).randbytes(4096)
    assert binary_reason(noise) is not None
    assert binary_reason(SENTENCE.encode("utf-8")) is None
    assert binary_reason(SENTENCE.encode("cp1252")) is None
    assert binary_reason(b"Page one.\fPage two.\r\n") is None  # form feed and CRLF are text
