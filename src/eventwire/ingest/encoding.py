"""Bytes to clean text: charset detection, binary sniffing, mojibake repair, whitespace.

Every reader goes through here so that an article body has one shape whatever its source: NFC
Unicode, no control characters, no trailing spaces, paragraphs as single lines separated by exactly
one blank line. Character spans computed later point into that shape.

Decoding order (why): a byte-order mark is proof; strict UTF-8 success is near-proof (legacy
encodings of non-ASCII text almost never form valid UTF-8), so it beats a page's own charset
declaration, which is often wrong; then the declared charset if it decodes cleanly; then
charset-normalizer's guess, preferring windows-1252 among equally good guesses because that is what
mislabelled English pages use.
"""

from __future__ import annotations

import codecs
import html
import logging
import re
import unicodedata

import charset_normalizer
import ftfy

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of formats that are never article text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_SNIFF_BYTES = 8192
# Bytes that text never holds: C0 controls except tab, newline, vertical tab, form feed, carriage
# return and escape (ESC turns up in ISO-2022 encodings), plus DEL.
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | set(range(0x0E, 0x1B)) | {0x1C, 0x1D, 0x1E, 0x1F, 0x7F})
_MAX_CONTROL_RATIO = 0.02

# Labels that browsers (WHATWG) read as windows-1252; decoding them as true Latin-1 would turn
# curly quotes into invisible C1 controls.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` proves, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (a one-line reason), or None when it looks like text.

    Checked on the first 8 KiB: file signatures, NUL bytes (unless a BOM or the NUL pattern says
    UTF-16/32) and the share of control bytes.
    """
    head = data[:_SNIFF_BYTES]
    if bom_encoding(head):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({kind})"
    if b"\x00" in head:
        if _utf16_without_bom(head):
            return None
        return "binary file (contains NUL bytes)"
    if head:
        controls = sum(1 for b in head if b in _CONTROL_BYTES)
        if controls / len(head) > _MAX_CONTROL_RATIO:
            return f"binary file ({controls} control bytes in the first {len(head)})"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Recognise BOM-less UTF-16 text (mostly ASCII: NULs sit on every other byte)."""
    even = head[0::2]
    odd = head[1::2]
    if not even or not odd:
        return None
    for nulls, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if nulls.count(0) / len(nulls) > 0.9:
            return codec
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares for itself (``<meta charset>``, ``<?xml?>``)."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        log.debug("unknown declared charset %r", name)
        return None


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode ``data`` to text, robust to missing and wrong charset declarations.

    Raises ``UnicodeDecodeError`` only when no encoding at all yields plausible text.
    """
    bom = bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace").lstrip("\ufeff")
    utf16 = _utf16_without_bom(data[:_SNIFF_BYTES]) if b"\x00" in data[:_SNIFF_BYTES] else None
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        text = _decode_declared(data, declared)
        if text is not None:
            return text
    return _decode_guess(data)


def _decode_declared(data: bytes, declared: str) -> str | None:
    candidates = [declared]
    if declared in _WINDOWS_1252_ALIASES:
        candidates = ["cp1252", "latin-1"]
    for codec in candidates:
        if codec.replace("_", "-") == "utf-8":
            continue  # strict UTF-8 already failed
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if charset_normalizer.md.mess_ratio(text[:20000]) < 0.1:
            return text
        log.debug("declared charset %s gives messy text; guessing instead", codec)
    return None


def _decode_guess(data: bytes) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no encoding yields readable text")
    chosen = best
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01:
            chosen = match
            break
    log.debug("guessed encoding %s", chosen.encoding)
    return str(chosen)


# --- cleanup -----------------------------------------------------------------------------------

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # done explicitly, once, by clean_text
    uncurl_quotes=False,  # keep the source's quotation marks: quote spans point into them
    normalization="NFC",
    explain=False,
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


def clean_text(text: str, *, unescape: bool = True) -> str:
    """Repair and normalise text: HTML entities, mojibake, NFC, whitespace.

    Keeps line structure (one newline between lines, one blank line between paragraphs) so the
    caller can still tell a title line from the body.
    """
    if unescape and "&" in text:
        text = html.unescape(text)
    text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = unicodedata.normalize("NFC", text)
    return normalise_whitespace(text)


def normalise_whitespace(text: str) -> str:
    """One space between words, no trailing spaces, exactly one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return "\n\n".join("\n".join(block) for block in blocks if block)


def paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs, each one line.

    A block whose lines look hard-wrapped (similar widths, under 100 characters) is joined into
    one paragraph; any other multi-line block keeps one paragraph per line, because sources that
    use single newlines between paragraphs are as common as wrapped ones.
    """
    result: list[str] = []
    for block in _BLANK_LINES.split(text.strip()):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if len(lines) > 1 and _looks_wrapped(lines):
            result.append(_join_wrapped(lines))
        else:
            result.extend(lines)
    return result


def _looks_wrapped(lines: list[str]) -> bool:
    widths = [len(line) for line in lines]
    widest = max(widths)
    if widest > 100 or widest < 30:
        return False
    body = lines[:-1]
    if any(len(line) < 0.6 * widest for line in body):
        return False
    # Wrapped prose breaks mid-sentence somewhere; a list of full sentences does not.
    return any(not _SENTENCE_END.search(line) for line in body)


def _join_wrapped(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += line  # keep the hyphen: "U.S.-\nbacked" is "U.S.-backed"
        else:
            out += " " + line
    return out
