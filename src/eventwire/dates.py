"""Publication-relative date resolution with precision (day, week, month, year).

News rarely prints a full date: it says "on Friday", "earlier this month", "in December". Those only
mean something against the publication date, so every rule here takes it as the anchor and returns a
range plus the precision of what the text actually pins down. The rules are explicit regular
expressions over a normalised form of the expression; ``dateparser`` is only a last resort for
absolute dates in layouts the rules do not know, because it is slow and resolves relative forms
against the wall clock, not the publication date.

Policies (each one is a decision, written down so the output can be audited):

* Past by default: a bare weekday, month or month-day without a year is the most recent one on or
  before publication ("on Friday" published on a Friday is that day). ``find_dates`` switches to the
  first one on or after publication when the governing verb is explicitly future ("will meet on
  Monday", "elections are scheduled for December").
* "last Friday" is the most recent Friday strictly before publication, "next Monday" the first
  Monday strictly after, "this Friday" the Friday of the publication's Monday-Sunday week.
* Weeks run Monday to Sunday (ISO). "last week" is the previous calendar week; "the past week" is
  the seven days up to publication. A weekend is its Saturday-Sunday pair, with precision day.
* "N units ago" and "in N units" give the calendar unit that contains the shifted date ("3 weeks
  ago" is a Monday-Sunday week, "a month ago" a calendar month); hours and minutes give the one or
  two days the shift can land on, since the publication time of day is unknown.
* Open durations ("for months", "for three years", "for the past two weeks") resolve to the span
  the text guarantees: from publication minus the stated amount (two units for a bare plural)
  up to publication. That is a lower bound of the activity, not a guess at its start. It only
  holds when the clause runs up to publication (present perfect), so ``find_dates`` keeps the
  range only then and leaves "was jailed for three years" unresolved.
* Vague amounts ("a few days ago", "in recent weeks", "recently") and expressions anchored on
  another event ("the next day", "two days later") are unresolved: we never guess.
* Seasons are northern-hemisphere meteorological seasons (spring = March-May); "winter 2017" is
  December 2016 to February 2017. Seasons, quarters and halves have precision month.
* Decades and centuries have precision year; a two-digit decade ("the '90s") is the most recent
  one starting on or before the publication year, and needs a publication date.
* Numeric dates ("17/02/2017") resolve only when the day/month order is unambiguous (one part is
  above 12, or both are equal).
* A clock time alone ("at 3 p.m.") is kept unresolved; with a day ("3 p.m. on Friday") it takes
  the day. Named days (Christmas, Easter, Thanksgiving) come from ``data/dates_holidays.json``.
* Spans (``find_dates``) cover the expression itself: prepositions that do not change the meaning
  ("on", "in", "at", "during", "by") are left out, words that do ("since", "for", "last",
  "earlier", "from ... to", "between ... and") are kept, so ``resolve_expression(span text)`` gives
  the same range as the record.
"""

from __future__ import annotations

import calendar
import functools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from eventwire.records import TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

PRECISIONS = ("day", "week", "month", "year")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved time expression: an inclusive date range and how precise it is, with the rule."""

    start: date
    end: date
    precision: str
    reason: str


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Why an expression was left unresolved (kept, so no time expression is silently dropped)."""

    reason: str


Outcome = Resolution | Unresolved


@dataclass(frozen=True, slots=True)
class _Ctx:
    published: date | None
    future: bool


# --- vocabulary -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_ABBR = {
    **_WEEKDAYS,
    **{name[:3].lower(): i for i, name in enumerate(calendar.day_name)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}

_SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * i for i, w in enumerate(_words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")) if i
}
_VAGUE_AMOUNTS = ("a few", "few", "several", "many", "some", "a number of", "dozens of", "hundreds of")

_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_DECADE_WORDS = {
    w: 10 * i
    for i, w in enumerate(_words("_ _ twenties thirties forties fifties sixties seventies eighties nineties"))
    if i
}
_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}

_UNIT_PRECISION = {
    "second": "day", "minute": "day", "hour": "day", "day": "day", "night": "day",
    "week": "week", "fortnight": "week", "month": "month", "year": "year", "decade": "year",
    "century": "year",
}  # fmt: skip

# --- regular expression pieces (compiled once at import; no data is read here) -----------------

_M = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_WD = "(?:" + "|".join(_WEEKDAYS) + ")"
_WD_ANY = "(?:" + "|".join(sorted(_WEEKDAY_ABBR, key=len, reverse=True)) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUMWORD = (
    "(?:(?:"
    + "|".join(_TENS)
    + ")(?:[- ](?:"
    + "|".join(list(_SMALL_NUMBERS)[1:10])
    + "))?|"
    + "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))
    + ")"
)
_NUM = r"(?:\d+|a couple of|couple of|a dozen|" + "|".join(_VAGUE_AMOUNTS) + "|" + _NUMWORD + r"|an|a)"
_UNIT_WORDS = (
    r"seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies)"
)
_UNIT = rf"(?P<unit>{_UNIT_WORDS})"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'", "‘": "'", "`": "'"})
_AMPM = _rx(r"\b([ap])\.\s?m\.?")
_LETTER_DOT = _rx(r"(?<=[a-z])\.")
_PUNCT_SPACE = _rx(r"[,()\[\]\"]")
_SPACES = _rx(r"\s+")
_CLOCK = _rx(
    r"(?:\b(?:at|around|about|shortly|just|before|after|from|until|by)\s+)*"
    r"(?:\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b\d{3,4}\s?(?:hours|hrs|gmt|utc)\b"
    r"|\b\w+ o'clock\b|\b(?:noon|midday|midnight|dawn|dusk|daybreak|nightfall|sunrise|sunset)\b)"
    r"(?:\s+(?:local time|gmt|utc|est|edt|cst|cdt|pst|pdt|et|bst|cet|cest|eet|eest|msk|ist|ast"
    r"|eastern|central|pacific|mountain)(?: time)?\b)?"
)
_EARLY_HOURS = _rx(r"\b(?:in\s+)?(?:the\s+)?(?:early|small|wee)\s+hours\s+(?:of\s+)?")
_PART_OF_PREFIX = _rx(rf"^(?:early |late )?(?:in |on )?the {_PART_OF_DAY} of ")
_PART_OF_SUFFIX = _rx(rf"^(?P<x>.+?) (?:(?:early|late) )?(?:in the )?{_PART_OF_DAY}$")
_HEDGE_PREFIX = _rx(
    r"^(?:(?:(?:the )?(?:early|late|mid)|the (?:beginning|start|end|middle|turn|course) of|the early part of"
    r"|the latter part of|the later part of|the first days of|the last days of"
    rf"|(?:earlier|later)(?= (?:on )?{_WD}\b)) )(?:on )?"
)
_QUANT = (
    r"(?:more than|less than|fewer than|at least|least|at most|just|only|barely|over|under|up to"
    r"|upwards of|nearly|almost|about|around|roughly|approximately|some|circa|as many as|as much as)"
)
_LEADING_PREP = _rx(
    rf"^(?:on|at|during|by|of|as of|as early as|as late as|in|{_QUANT}|the(?= \d)|the year(?= \d))\s+(?=\S)"
)
_IN_COUNT = _rx(rf"^in (?:{_NUM}) {_UNIT}$")


def _strip_prefixes(s: str) -> str:
    """Drop prepositions and hedges ("on", "in", "early", "the end of") that keep the same range."""
    for _ in range(4):
        before = s
        if not _IN_COUNT.fullmatch(s):
            s = _LEADING_PREP.sub("", s)
        hedged = _HEDGE_PREFIX.sub("", s)
        if hedged != s and hedged in ("the year", "the month", "the week"):
            hedged = "this " + hedged[4:]  # "the end of the year": the current one
        s = hedged
        if s == before:
            break
    return s


def _normalise(text: str) -> str:
    """Lower-case and strip what does not change the date ("on", clock times, "Friday night")."""
    s = text.lower().translate(_DASHES)
    s = _AMPM.sub(r"\1m", s)
    s = _LETTER_DOT.sub("", s)
    s = _PUNCT_SPACE.sub(" ", s)
    s = _SPACES.sub(" ", s).strip(" .;:!?'-")
    if s.endswith("'s"):
        s = s[:-2]
    s = s.replace("mid-", "mid ").replace("-quarter", " quarter").replace("-half", " half")
    s = _SPACES.sub(" ", _EARLY_HOURS.sub(" ", _CLOCK.sub(" ", s))).strip()
    s = _PART_OF_PREFIX.sub("", s)
    s = _strip_prefixes(s)
    if s in ("this morning", "this afternoon", "this evening", "tonight", "earlier today", "later today"):
        return "today"
    if s in ("last night", "yesterday night"):
        return "yesterday"
    m = _PART_OF_SUFFIX.fullmatch(s)
    if m and m.group("x") not in ("this", "last", "the", "early", "late", "in the"):
        s = m.group("x")
    return s.strip()


# --- calendar arithmetic -----------------------------------------------------------------------


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_range(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _shift(d: date, n: int, unit: str, sign: int) -> tuple[date, date]:
    """Move ``d`` by ``n`` units; returns the earliest and latest day the result can fall on."""
    if unit in ("second", "minute", "hour"):
        minutes = n * {"second": 1 / 60, "minute": 1, "hour": 60}[unit]
        lo, hi = -(-minutes // 1440), minutes // 1440  # ceil and floor of whole days
        days = sorted((sign * int(lo), sign * int(hi)))
        return d + timedelta(days=days[0]), d + timedelta(days=days[1])
    if unit in ("day", "night"):
        t = d + timedelta(days=sign * n)
    elif unit in ("week", "fortnight"):
        t = d + timedelta(days=sign * n * (14 if unit == "fortnight" else 7))
    elif unit == "month":
        t = _add_months(d, sign * n)
    else:
        t = _add_months(d, sign * n * 12 * {"year": 1, "decade": 10, "century": 100}[unit])
    return t, t


def _container(d: date, precision: str) -> tuple[date, date]:
    if precision == "week":
        return _week_range(d)
    if precision == "month":
        return _month_range(d.year, d.month)
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d


def _easter(year: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _unit_name(raw: str) -> str:
    return "century" if raw.startswith("centur") else raw.rstrip("s")


def _number(raw: str | None, unit_raw: str) -> int | None:
    """The count in "two days", "24 hours", "a week"; a bare plural ("days") or a vague amount is None."""
    if raw is None:
        return None if unit_raw.endswith("s") or unit_raw.endswith("ies") else 1
    raw = raw.strip()
    if raw.isdigit():
        return int(raw)
    if raw in ("a", "an"):
        return 1
    if raw in ("a couple of", "couple of"):
        return 2
    if raw == "a dozen":
        return 12
    if raw in _SMALL_NUMBERS:
        return _SMALL_NUMBERS[raw]
    parts = re.split(r"[- ]", raw)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL_NUMBERS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def _need_pub(ctx: _Ctx) -> date | Unresolved:
    if ctx.published is None:
        return Unresolved("relative expression and no publication date")
    return ctx.published


def _closest_year(month: int, day: int, ctx: _Ctx, pub: date) -> date | None:
    """Year for a month-day without one: most recent on/before publication, or next when future."""
    step = 1 if ctx.future else -1
    year = pub.year
    for _ in range(9):  # Feb 29 may need up to eight years
        try:
            cand = date(year, month, day)
        except ValueError:
            year += step
            continue
        if (ctx.future and cand >= pub) or (not ctx.future and cand <= pub):
            return cand
        year += step
    return None


# --- absolute partial dates --------------------------------------------------------------------


@dataclass(slots=True)
class _Partial:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None


_P_MDY = _rx(
    rf"(?:(?P<wd>{_WD_ANY}) )?(?P<m>{_M}) (?:the )?(?P<d>{_DAY})(?: (?P<y>{_YEAR}))?(?: (?P<wd2>{_WD_ANY}))?"
)
_P_DMY = _rx(rf"(?:(?P<wd>{_WD_ANY}) )?(?:the )?(?P<d>{_DAY})(?: of)? (?P<m>{_M})(?: (?P<y>{_YEAR}))?")
_P_MY = _rx(rf"(?P<m>{_M})(?: of)? (?P<y>{_YEAR})")
_P_M = _rx(rf"(?P<m>{_M})")
_P_Y = _rx(rf"(?P<y>{_YEAR})")
_P_ISO = _rx(rf"(?:(?P<wd>{_WD_ANY}) )?(?P<y>{_YEAR})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})")
_P_ISO_MONTH = _rx(rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])")
_P_NUMERIC = _rx(rf"(?:(?P<wd>{_WD_ANY}) )?(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<y>\d{{4}}|\d{{2}})")
_P_BARE_DAY = _rx(rf"(?:the )?(?P<d>{_DAY})")


def _int_day(raw: str) -> int:
    return int(re.sub(r"\D", "", raw))


def _parse_partial(s: str, *, allow_bare_day: bool = False) -> _Partial | None:
    """Parse an absolute (possibly yearless) calendar date; None when ``s`` is not one."""
    for rx in (_P_MDY, _P_DMY):
        m = rx.fullmatch(s)
        if m:
            wd = m.group("wd") or m.groupdict().get("wd2")
            return _Partial(
                int(m.group("y")) if m.group("y") else None,
                _MONTHS[m.group("m")],
                _int_day(m.group("d")),
                _WEEKDAY_ABBR[wd] if wd else None,
            )
    m = _P_MY.fullmatch(s)
    if m:
        return _Partial(int(m.group("y")), _MONTHS[m.group("m")])
    m = _P_M.fullmatch(s)
    if m:
        return _Partial(None, _MONTHS[m.group("m")])
    m = _P_Y.fullmatch(s)
    if m:
        return _Partial(int(m.group("y")))
    m = _P_ISO.fullmatch(s)
    if m:
        wd = m.group("wd")
        return _Partial(
            int(m.group("y")), int(m.group("m")), int(m.group("d")), _WEEKDAY_ABBR[wd] if wd else None
        )
    m = _P_ISO_MONTH.fullmatch(s)
    if m and int(m.group("m")) <= int(m.group("y")) % 100:  # "2001-02" is a year range, not Feb 2001
        return _Partial(int(m.group("y")), int(m.group("m")))
    if allow_bare_day:
        m = _P_BARE_DAY.fullmatch(s)
        if m:
            return _Partial(None, None, _int_day(m.group("d")))
    return None


def _numeric_date(s: str, ctx: _Ctx) -> Outcome | None:
    m = _P_NUMERIC.fullmatch(s)
    if not m:
        return None
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    if len(y) == 2:
        pivot = (ctx.published.year % 100) if ctx.published else 49
        year = (2000 if int(y) <= pivot else 1900) + int(y)
    else:
        year = int(y)
    if a > 12 >= b:
        day, month, order = a, b, "day/month"
    elif b > 12 >= a:
        day, month, order = b, a, "month/day"
    elif a == b:
        day, month, order = a, b, "day equals month"
    else:
        return Unresolved(f"numeric date {s!r} is ambiguous between day/month and month/day")
    try:
        d = date(year, month, day)
    except ValueError:
        return Unresolved(f"invalid numeric date {s!r}")
    return Resolution(d, d, "day", f"numeric date read as {order}")


def _complete(p: _Partial, ctx: _Ctx, what: str) -> Outcome:
    """Turn a partial calendar date into a range, taking a missing year from publication."""
    pub = ctx.published
    try:
        if p.month is None:
            if p.year is None:
                return Unresolved("no month or year")
            return Resolution(date(p.year, 1, 1), date(p.year, 12, 31), "year", f"{what}: year {p.year}")
        if p.day is None:
            year = p.year
            rule = "explicit"
            if year is None:
                if pub is None:
                    return Unresolved("month without a year and no publication date")
                if ctx.future:
                    year, rule = (
                        (pub.year if p.month >= pub.month else pub.year + 1),
                        "next on/after publication",
                    )
                else:
                    year, rule = (
                        (pub.year if p.month <= pub.month else pub.year - 1),
                        "most recent on/before publication",
                    )
                rule += f" {pub.isoformat()}"
            s, e = _month_range(year, p.month)
            return Resolution(s, e, "month", f"{what}: month {rule}")
        if p.year is not None:
            d = date(p.year, p.month, p.day)
            note = ""
            if p.weekday is not None and d.weekday() != p.weekday:
                note = f" (weekday given does not match {d.isoformat()})"
            return Resolution(d, d, "day", f"{what}: explicit date{note}")
        if pub is None:
            return Unresolved("day and month without a year and no publication date")
        date(2000, p.month, p.day)  # validates day-of-month (2000 is a leap year)
        if p.weekday is not None:
            fits = []
            for y in (pub.year - 1, pub.year, pub.year + 1):
                try:
                    cand = date(y, p.month, p.day)
                except ValueError:
                    continue
                if cand.weekday() == p.weekday:
                    fits.append(cand)
            if fits:
                d = min(fits, key=lambda c: abs((c - pub).days))
                return Resolution(
                    d, d, "day", f"{what}: year chosen by weekday, nearest publication {pub.isoformat()}"
                )
        d2 = _closest_year(p.month, p.day, ctx, pub)
        if d2 is None:
            return Unresolved("no valid year for this day")
        rule = "next on/after" if ctx.future else "most recent on/before"
        return Resolution(d2, d2, "day", f"{what}: day and month, {rule} publication {pub.isoformat()}")
    except ValueError:
        return Unresolved(f"invalid calendar date in {what}")


# --- rules -------------------------------------------------------------------------------------

_Rule = Callable[[re.Match[str], _Ctx], Outcome | None]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def register(fn: _Rule) -> _Rule:
        _RULES.append((_rx(pattern), fn))
        return fn

    return register


@_rule(r"today|now")
def _today(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    return Resolution(pub, pub, "day", f"publication day {pub.isoformat()}")


@_rule(r"(?:the )?day before yesterday|yesterday|(?:the )?day after tomorrow|tomorrow")
def _yesterday(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    text = m.group(0)
    offset = {"yesterday": -1, "tomorrow": 1}.get(text, -2 if "before" in text else 2)
    d = pub + timedelta(days=offset)
    return Resolution(d, d, "day", f"{offset:+d} day from publication {pub.isoformat()}")


@_rule(r"overnight|(?:over|during) the night")
def _overnight(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    return Resolution(pub - timedelta(days=1), pub, "day", f"the night before publication {pub.isoformat()}")


@_rule(rf"(?:(?P<mod>last|next|this|this past|past|coming) )?(?P<wd>{_WD})")
def _weekday(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    wd, mod = _WEEKDAYS[m.group("wd")], m.group("mod")
    if mod in ("last", "past", "this past"):
        d, rule = pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1), "weekday strictly before"
    elif mod in ("next", "coming"):
        d, rule = pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1), "weekday strictly after"
    elif mod == "this":
        d, rule = _week_range(pub)[0] + timedelta(days=wd), "weekday in the week of"
    elif ctx.future:
        d, rule = pub + timedelta(days=(wd - pub.weekday()) % 7), "weekday on/after (future tense)"
    else:
        d, rule = pub - timedelta(days=(pub.weekday() - wd) % 7), "weekday on/before"
    return Resolution(d, d, "day", f"{rule} publication {pub.isoformat()}")


@_rule(rf"(?P<wd>{_WD}) (?:of )?(?P<mod>last|this|next) week")
def _weekday_of_week(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    monday = _week_range(pub)[0] + timedelta(days=7 * {"last": -1, "this": 0, "next": 1}[m.group("mod")])
    d = monday + timedelta(days=_WEEKDAYS[m.group("wd")])
    return Resolution(d, d, "day", f"weekday of {m.group('mod')} week from publication {pub.isoformat()}")


@_rule(r"(?:(?P<mod>the|this|last|next|the past|past|this past|the coming|coming) )?weekend")
def _weekend(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    mod = m.group("mod") or "the"
    saturday_this_week = _week_range(pub)[0] + timedelta(days=5)
    if mod == "this":
        sat = saturday_this_week
    elif mod == "last":
        sat = saturday_this_week - timedelta(days=7)
    elif mod in ("next", "coming", "the coming"):
        sat = saturday_this_week + timedelta(days=7 if mod == "next" or pub.weekday() >= 5 else 0)
    elif ctx.future:
        sat = saturday_this_week
    else:  # "the weekend", "over the weekend", "the past weekend": the latest one begun by publication
        sat = saturday_this_week if pub.weekday() >= 5 else saturday_this_week - timedelta(days=7)
    return Resolution(
        sat, sat + timedelta(days=1), "day", f"{mod} weekend from publication {pub.isoformat()}"
    )


def _unit_range(mod: str, unit: str, pub: date) -> Resolution:
    """Calendar units counted from publication: "last week", "earlier this month", "next year"."""
    shift = {"last": -1, "next": 1, "coming": 1, "the coming": 1}.get(mod, 0)
    if unit == "week":
        s, e = _week_range(pub + timedelta(days=7 * shift))
        prec = "week"
    elif unit == "month":
        d = _add_months(pub, shift)
        s, e = _month_range(d.year, d.month)
        prec = "month"
    elif unit == "quarter":
        q0 = (pub.month - 1) // 3 + shift
        year, q = pub.year + q0 // 4, q0 % 4
        s, e = date(year, 3 * q + 1, 1), _month_range(year, 3 * q + 3)[1]
        prec = "month"
    elif unit == "year":
        year = pub.year + shift
        s, e, prec = date(year, 1, 1), date(year, 12, 31), "year"
    else:
        size = 10 if unit == "decade" else 100
        first = (pub.year // size + shift) * size
        s, e, prec = date(first, 1, 1), date(first + size - 1, 12, 31), "year"
    if mod == "earlier this":
        e = max(min(e, pub), s)
    elif mod == "later this":
        s = min(max(s, pub), e)
    return Resolution(s, e, prec, f"{mod} {unit} from publication {pub.isoformat()}")


@_rule(
    r"(?P<mod>this|last|next|current|the current|the present|earlier this|later this|early this|late this"
    r"|the coming|coming)"
    r" (?P<unit>week|month|year|quarter|decade|century)"
)
def _calendar_unit(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    return _unit_range(m.group("mod"), m.group("unit"), pub)


@_rule(rf"(?:(?P<n>{_NUM}) )?{_UNIT} ago")
def _ago(m: re.Match[str], ctx: _Ctx) -> Outcome:
    unit = _unit_name(m.group("unit"))
    n = _number(m.group("n"), m.group("unit"))
    if n is None:
        return Unresolved("vague amount of time ago")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    lo, hi = _shift(pub, n, unit, -1)
    prec = _UNIT_PRECISION[unit]
    s, e = _container(lo, prec)[0], _container(hi, prec)[1]
    return Resolution(s, e, prec, f"{n} {unit}(s) before publication {pub.isoformat()}")


@_rule(rf"in (?P<n>{_NUM}) {_UNIT}(?: time)?")
def _in_future(m: re.Match[str], ctx: _Ctx) -> Outcome:
    unit = _unit_name(m.group("unit"))
    n = _number(m.group("n"), m.group("unit"))
    if n is None:
        return Unresolved("vague amount of time ahead")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    lo, hi = _shift(pub, n, unit, 1)
    prec = _UNIT_PRECISION[unit]
    why = f"{n} {unit}(s) after publication {pub.isoformat()}"
    return Resolution(_container(lo, prec)[0], _container(hi, prec)[1], prec, why)


@_rule(rf"(?:(?:for|over|in|during|within) )?(?:the |this )?(?:past|last) (?:(?P<n>{_NUM}) )?{_UNIT}")
def _window_past(m: re.Match[str], ctx: _Ctx) -> Outcome:
    unit = _unit_name(m.group("unit"))
    if m.group("n") is None and unit in ("day", "night"):
        return Unresolved("relative to another event, not to publication")  # "the last day of the talks"
    n = _number(m.group("n"), m.group("unit"))
    if n is None:
        return Unresolved("window of vague length")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    lo, _ = _shift(pub, n, unit, -1)
    return Resolution(lo, pub, _UNIT_PRECISION[unit], f"{n} {unit}(s) up to publication {pub.isoformat()}")


@_rule(rf"(?:(?:for|over|in|during|within) )?(?:the )?(?:next|coming) (?:(?P<n>{_NUM}) )?{_UNIT}")
def _window_future(m: re.Match[str], ctx: _Ctx) -> Outcome:
    unit = _unit_name(m.group("unit"))
    if m.group("n") is None and unit in ("day", "night"):
        return Unresolved("relative to another event, not to publication")
    n = _number(m.group("n"), m.group("unit"))
    if n is None:
        return Unresolved("window of vague length")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    _, hi = _shift(pub, n, unit, 1)
    return Resolution(pub, hi, _UNIT_PRECISION[unit], f"{n} {unit}(s) from publication {pub.isoformat()}")


@_rule(rf"within (?P<n>{_NUM}) {_UNIT}")
def _within(m: re.Match[str], ctx: _Ctx) -> Outcome | None:
    return _window_future(m, ctx)


@_rule(rf"for (?:{_QUANT} )?(?:(?P<n>{_NUM}) )?{_UNIT}(?: now)?")
def _for_duration(m: re.Match[str], ctx: _Ctx) -> Outcome:
    unit = _unit_name(m.group("unit"))
    raw = m.group("n")
    n = _number(raw, m.group("unit"))
    bound = "stated"
    if n is None:  # "for months", "for several weeks": a plural means at least two
        n, bound = 2, "at least two"
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    lo, _ = _shift(pub, n, unit, -1)
    why = f"open duration, {bound} {unit}s up to publication {pub.isoformat()} (lower bound)"
    return Resolution(lo, pub, _UNIT_PRECISION[unit], why)


@_rule(
    rf"(?:the )?(?:next|following|previous|preceding|same|prior|that|the other) "
    rf"(?:day|night|morning|afternoon|evening|week|weekend|month|year|{_WD})"
    rf"|(?:(?:{_NUM}) )?{_UNIT} (?:later|earlier|before|after|prior|beforehand|afterwards|on)"
    r"|(?:the )?(?:day|night|week|month|year) (?:before|after|earlier|later)|that time|the time|then"
)
def _narrative(m: re.Match[str], ctx: _Ctx) -> Outcome:
    return Unresolved("relative to another event, not to publication")


@_rule(
    r"recently|lately|(?:in )?recent (?:days|weeks|months|years|times)|these days|nowadays|currently|soon"
    r"|(?:the )?past|(?:the )?future|some time|(?:in )?the coming (?:days|weeks|months|years)"
    r"|(?:the )?(?:day|week|month|year|time)|(?:the )?(?:morning|afternoon|evening|night)"
)
def _vague(m: re.Match[str], ctx: _Ctx) -> Outcome:
    return Unresolved("vague time reference")


@_rule(
    rf"(?:the )?(?:(?P<n>{_NUM}(?:(?: to | or |-){_NUM}|(?: and a half)|-plus|\+)?) )?{_UNIT}"
    r"(?: (?:long|old|straight|running|in a row))?"
)
def _bare_duration(m: re.Match[str], ctx: _Ctx) -> Outcome:
    return Unresolved("duration without an anchor")


@_rule(r"(?:ever )?since (?P<x>.+)")
def _since(m: re.Match[str], ctx: _Ctx) -> Outcome:
    inner = _resolve_norm(_normalise(m.group("x")), ctx.published, False)
    if isinstance(inner, Unresolved):
        return inner
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    if inner.start > pub:
        return Unresolved("'since' a date after publication")
    return Resolution(
        inner.start, pub, inner.precision, f"since {inner.reason}; up to publication {pub.isoformat()}"
    )


@_rule(rf"(?:(?P<mod>last|next|this|past|coming) )(?P<m>{_M})")
def _month_mod(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    month, mod = _MONTHS[m.group("m")], m.group("mod")
    if mod in ("last", "past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif mod in ("next", "coming"):
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = pub.year
    s, e = _month_range(year, month)
    return Resolution(s, e, "month", f"{mod} {m.group('m')} from publication {pub.isoformat()}")


@_rule(rf"(?P<x>{_M}|{_M} {_DAY}|{_DAY} {_M}) (?:of )?(?P<mod>last|this|next) year")
def _date_of_year(m: re.Match[str], ctx: _Ctx) -> Outcome:
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    p = _parse_partial(m.group("x"))
    if p is None:
        return Unresolved("unrecognised date")
    p.year = pub.year + {"last": -1, "this": 0, "next": 1}[m.group("mod")]
    return _complete(p, ctx, f"{m.group('mod')} year from publication {pub.isoformat()}")


_QUARTER_PATTERN = (
    rf"(?:the )?(?P<ord>{'|'.join(_ORDINAL_WORDS)}) quarter(?: (?:of )?(?P<y>{_YEAR}))?"
    rf"|q(?P<q>[1-4])(?: (?P<y2>{_YEAR}))?|(?P<y3>{_YEAR}) q(?P<q3>[1-4])"
)


@_rule(_QUARTER_PATTERN)
def _quarter(m: re.Match[str], ctx: _Ctx) -> Outcome:
    q = _ORDINAL_WORDS[m.group("ord")] if m.group("ord") else int(m.group("q") or m.group("q3"))
    raw_year = m.group("y") or m.group("y2") or m.group("y3")
    if raw_year:
        year, rule = int(raw_year), "explicit"
    else:
        pub = _need_pub(ctx)
        if isinstance(pub, Unresolved):
            return pub
        current = (pub.month - 1) // 3 + 1
        if ctx.future:
            year = pub.year if q >= current else pub.year + 1
        else:
            year = pub.year if q <= current else pub.year - 1
        rule = f"most recent on/before publication {pub.isoformat()}"
    return Resolution(
        date(year, 3 * q - 2, 1), _month_range(year, 3 * q)[1], "month", f"quarter Q{q} {year}, {rule}"
    )


@_rule(
    rf"(?:the )?(?P<part>first half|second half|(?:{'|'.join(_ORDINAL_WORDS)}|last) quarter|"
    r"beginning|start|end|middle|turn|course|early part|latter part) of (?P<x>.+)"
)
def _part_of(m: re.Match[str], ctx: _Ctx) -> Outcome | None:
    inner = _resolve_norm(_normalise(m.group("x")), ctx.published, ctx.future)
    if isinstance(inner, Unresolved):
        return inner
    part = m.group("part")
    if (
        ("half" in part or "quarter" in part)
        and inner.precision == "year"
        and inner.start.year == inner.end.year
    ):
        year = inner.start.year
        if "half" in part:
            first = 1 if part.startswith("first") else 7
            last = first + 5
        else:
            q = 4 if part.startswith("last") else _ORDINAL_WORDS[part.split()[0]]
            first, last = 3 * q - 2, 3 * q
        return Resolution(
            date(year, first, 1), _month_range(year, last)[1], "month", f"{part} of {inner.reason}"
        )
    return Resolution(inner.start, inner.end, inner.precision, f"{part} of {inner.reason}")


@_rule(
    rf"(?:(?P<mod>this|last|next|past|coming|the|this past) )?(?P<s>{'|'.join(_SEASONS)})"
    rf"(?: (?:of )?(?P<y>{_YEAR})(?:[-/](?P<y2>\d{{2}}|\d{{4}}))?)?"
)
def _season(m: re.Match[str], ctx: _Ctx) -> Outcome:
    season, mod = m.group("s"), m.group("mod")
    first_month = _SEASONS[season]

    def occurrence(start_year: int) -> tuple[date, date]:
        start = date(start_year, first_month, 1)
        end_month = _add_months(start, 2)
        return start, _month_range(end_month.year, end_month.month)[1]

    if m.group("y"):
        year = int(m.group("y"))
        # "winter 2017" ends in 2017; "winter 2016-17" and "winter of 2016/2017" start in 2016
        start_year = year - 1 if season == "winter" and not m.group("y2") else year
        s, e = occurrence(start_year)
        return Resolution(s, e, "month", f"{season} {year} (northern meteorological season)")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    cands = [occurrence(y) for y in range(pub.year - 2, pub.year + 2)]
    if mod in ("last", "past", "this past"):
        s, e = max((c for c in cands if c[1] < pub), key=lambda c: c[0])
    elif mod in ("next", "coming"):
        s, e = min((c for c in cands if c[0] > pub), key=lambda c: c[0])
    elif mod == "this" or ctx.future:
        s, e = min((c for c in cands if c[1] >= pub), key=lambda c: c[0])
    else:
        s, e = max((c for c in cands if c[0] <= pub), key=lambda c: c[0])
    return Resolution(s, e, "month", f"{mod or 'bare'} {season} from publication {pub.isoformat()}")


@_rule(
    r"(?:the )?(?:(?P<c>1[5-9]|20)(?P<d>\d)0|'?(?P<dd>\d)0)(?:'?s)|(?:the )?(?P<w>"
    + "|".join(_DECADE_WORDS)
    + ")"
)
def _decade(m: re.Match[str], ctx: _Ctx) -> Outcome:
    if m.group("c"):
        first = int(m.group("c")) * 100 + int(m.group("d")) * 10
    else:
        pub = _need_pub(ctx)
        if isinstance(pub, Unresolved):
            return Unresolved("two-digit decade and no publication date")
        tens = _DECADE_WORDS[m.group("w")] if m.group("w") else int(m.group("dd")) * 10
        first = (pub.year // 100) * 100 + tens
        if first > pub.year:
            first -= 100
    return Resolution(date(first, 1, 1), date(first + 9, 12, 31), "year", f"decade {first}s")


@_rule(r"(?:the )?(?P<n>\d{1,2})(?:st|nd|rd|th) century|(?P<mod>this|last|the last|the past|next) century")
def _century(m: re.Match[str], ctx: _Ctx) -> Outcome:
    if m.group("n"):
        first = (int(m.group("n")) - 1) * 100
        return Resolution(date(first, 1, 1), date(first + 99, 12, 31), "year", f"century {first}s")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    return _unit_range(m.group("mod").split()[-1].replace("past", "last"), "century", pub)


# --- holidays (data file, read lazily) ---------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _holidays() -> tuple[re.Pattern[str], dict[str, dict[str, Any]]]:
    """Load the named-day table once, on first use."""
    raw = json.loads(resources.files("eventwire.data").joinpath("dates_holidays.json").read_text("utf-8"))
    by_name: dict[str, dict[str, Any]] = {}
    for entry in raw["holidays"]:
        for name in entry["names"]:
            by_name[name] = entry
    names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    pattern = _rx(rf"(?:(?P<mod>last|next|this|past|coming) )?(?P<h>{names})(?: (?:of )?(?P<y>{_YEAR}))?")
    return pattern, by_name


def _holiday_date(entry: dict[str, Any], year: int) -> date:
    if "easter_offset" in entry:
        return _easter(year) + timedelta(days=entry["easter_offset"])
    if "weekday" in entry:
        month, wd, nth = entry["month"], entry["weekday"], entry["nth"]
        days = [
            d
            for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if date(year, month, d).weekday() == wd
        ]
        return date(year, month, days[nth - 1 if nth > 0 else nth])
    return date(year, entry["month"], entry["day"])


def _holiday(s: str, ctx: _Ctx) -> Outcome | None:
    pattern, by_name = _holidays()
    m = pattern.fullmatch(s)
    if not m:
        return None
    entry, mod, name = by_name[m.group("h")], m.group("mod"), m.group("h")
    if m.group("y"):
        d = _holiday_date(entry, int(m.group("y")))
        return Resolution(d, d, "day", f"{name} {m.group('y')}")
    pub = _need_pub(ctx)
    if isinstance(pub, Unresolved):
        return pub
    cands = [_holiday_date(entry, y) for y in range(pub.year - 1, pub.year + 2)]
    if mod in ("last", "past"):
        d = max(c for c in cands if c < pub)
    elif mod in ("next", "coming"):
        d = min(c for c in cands if c > pub)
    elif mod == "this":
        d = cands[1]
    elif ctx.future:
        d = min(c for c in cands if c >= pub)
    else:
        d = max(c for c in cands if c <= pub)
    return Resolution(d, d, "day", f"{mod or 'most recent'} {name} from publication {pub.isoformat()}")


# --- ranges ------------------------------------------------------------------------------------

_RANGE_OUTER = _rx(r"(?:from|between) (?P<x>.+)")
_RANGE_CONNECTOR = _rx(r" (?:to|until|till|through|thru|and) | ?- ?| ?/ ?")
_TRAILING_YEAR = _rx(rf"(?P<x>.+?) (?P<y>{_YEAR})")
_TWO_DIGIT = _rx(r"\d{2}")


def _coarser(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def _range(s: str, ctx: _Ctx) -> Outcome | None:
    """Ranges: "from March 3 to March 5", "between 2014 and 2016", "March 3-5", "2014-16"."""
    outer = _RANGE_OUTER.fullmatch(s)
    body = outer.group("x") if outer else s
    for cm in _RANGE_CONNECTOR.finditer(body):
        if cm.group(0).strip() == "and" and not (outer and s.startswith("between")):
            continue
        left, right = body[: cm.start()].strip(), body[cm.end() :].strip()
        if not left or not right:
            continue
        result = _range_sides(left, right, ctx, slash=cm.group(0).strip() == "/")
        if result is not None:
            return result
    return None


def _range_sides(left: str, right: str, ctx: _Ctx, *, slash: bool) -> Outcome | None:
    left, right = _normalise(left), _normalise(right)  # "mid-august", "around midday on saturday"
    shared_year = None
    ty = _TRAILING_YEAR.fullmatch(right)
    pa = _parse_partial(left, allow_bare_day=True)
    if pa is not None and pa.year and pa.month is None and _TWO_DIGIT.fullmatch(right):
        pb: _Partial | None = _Partial((pa.year // 100) * 100 + int(right))  # "2014-16", "2014/15"
        if pb is not None and pb.year is not None and pb.year <= pa.year:
            return None
    else:
        pb = _parse_partial(right, allow_bare_day=True)
    if pb is None and ty and pa is not None:  # "march 3-5 2017" splits as "march 3" / "5 2017"
        pb = _parse_partial(ty.group("x"), allow_bare_day=True)
        shared_year = int(ty.group("y"))
    if pa is not None and pb is not None:
        if slash and not (pa.month is None and pb.month is None):
            return None  # "/" only joins years ("2014/15"); day/month slashes are numeric dates
        if shared_year:
            pa.year = pa.year or shared_year
            pb.year = pb.year or shared_year
        if pb.month is None and pb.day is not None:
            pb.month = pa.month
        if pa.month is None and pa.day is not None:
            pa.month = pb.month
        if (pa.month is None and pa.day is not None) or (pb.month is None and pb.day is not None):
            return None
        inherited = pa.year is None and pb.year is not None
        if inherited:
            pa.year = pb.year
        rb = _complete(pb, ctx, "range end")
        if isinstance(rb, Unresolved):
            return rb
        if pa.year is None:
            pa.year = rb.start.year
            inherited = True
        ra = _complete(pa, ctx, "range start")
        if isinstance(ra, Unresolved):
            return ra
        if ra.start > rb.start and inherited and pa.year is not None:
            pa.year -= 1
            ra2 = _complete(pa, ctx, "range start")
            if isinstance(ra2, Unresolved):
                return ra2
            ra = ra2
        if ra.start > rb.end:
            return Unresolved("range ends before it starts")
        return Resolution(
            ra.start, rb.end, _coarser(ra.precision, rb.precision), f"range: {ra.reason} .. {rb.reason}"
        )
    if pa is not None or pb is not None or slash:
        return None
    la, lb = left, right
    if la in _WEEKDAYS and lb in _WEEKDAYS and ctx.published is not None:
        end = _resolve_norm(lb, ctx.published, ctx.future)
        if isinstance(end, Resolution):
            start = end.start - timedelta(days=(end.start.weekday() - _WEEKDAYS[la]) % 7)
            return Resolution(start, end.end, "day", f"weekday range ending {end.reason}")
    ra_o = _resolve_norm(la, ctx.published, ctx.future)
    rb_o = _resolve_norm(lb, ctx.published, ctx.future)
    if isinstance(ra_o, Resolution) and isinstance(rb_o, Resolution):
        if ra_o.start > rb_o.end:
            return Unresolved("range ends before it starts")
        why = f"range: {ra_o.reason} .. {rb_o.reason}"
        return Resolution(ra_o.start, rb_o.end, _coarser(ra_o.precision, rb_o.precision), why)
    for side in (ra_o, rb_o):  # both sides are time expressions, one cannot be resolved: say why
        if isinstance(side, Unresolved) and side.reason != _NOT_UNDERSTOOD:
            other = rb_o if side is ra_o else ra_o
            if not (isinstance(other, Unresolved) and other.reason == _NOT_UNDERSTOOD):
                return side
    return None


# --- dateparser fallback -----------------------------------------------------------------------

_FALLBACK_GATE = _rx(rf"(?=.*\b{_YEAR}\b)(?=.*(?:\b{_M}\b|\d[-/.]\d))")


@functools.lru_cache(maxsize=1)
def _dateparser() -> Any:
    """Import dateparser only when a form the rules do not know turns up (it is slow to import)."""
    try:
        import dateparser
    except ImportError:
        log.warning("dateparser is not installed: unusual absolute date layouts stay unresolved")
        return None
    return dateparser


def _fallback(text: str) -> Outcome | None:
    """Absolute dates in layouts the rules miss ("17th day of February, 2017"); never relative ones."""
    if not _FALLBACK_GATE.search(text.lower()):
        return None
    dp = _dateparser()
    if dp is None:
        return None
    settings = {
        "PARSERS": ["absolute-time"],
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dp.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError) as exc:
        log.debug("dateparser failed on %r: %s", text, exc)
        return None
    if parsed is None:
        return None
    d = parsed.date()
    return Resolution(d, d, "day", "explicit date (dateparser)")


# --- entry points ------------------------------------------------------------------------------


_NOT_UNDERSTOOD = "expression not understood"
_ENDS_WITH_UNIT = _rx(r"\b(?:days?|nights?|weeks?|months?|years?|decades?|seasons?|hours?)$")


@functools.lru_cache(maxsize=8192)
def _resolve_norm(s: str, published: date | None, future: bool) -> Outcome:
    """Resolve a normalised expression; cached because news repeats the same few expressions."""
    try:
        return _apply_rules(s, _Ctx(published, future))
    except (ValueError, OverflowError) as exc:  # "2017 years ago", "the 99th century": off the calendar
        return Unresolved(f"date out of range ({exc})")


def _apply_rules(s: str, ctx: _Ctx) -> Outcome:
    if not s:
        return Unresolved("time of day without a date")
    for rx, fn in _RULES:
        m = rx.fullmatch(s)
        if m:
            out = fn(m, ctx)
            if out is not None:
                return out
    p = _parse_partial(s)
    if p is not None:
        return _complete(p, ctx, "calendar date")
    numeric = _numeric_date(s, ctx)
    if numeric is not None:
        return numeric
    holiday = _holiday(s, ctx)
    if holiday is not None:
        return holiday
    ranged = _range(s, ctx)
    if ranged is not None:
        return ranged
    fb = _fallback(s)
    if fb is not None:
        return fb
    if _ENDS_WITH_UNIT.search(s):
        return Unresolved("period without an anchor")
    return Unresolved(_NOT_UNDERSTOOD)


def _as_date(published: date | None) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


def resolve(text: str, published: date | None, *, future: bool = False) -> Outcome:
    """Resolve one time expression to a :class:`Resolution` or an :class:`Unresolved` with its reason."""
    return _resolve_norm(_normalise(text), _as_date(published), future)


def resolve_expression(
    text: str, published: date | None, *, future: bool = False
) -> tuple[date, date, str] | None:
    """Resolve one time expression to (start, end, precision), or None when the text does not say.

    ``future`` picks the next occurrence instead of the most recent for bare weekdays, months and
    yearless dates (``find_dates`` sets it from the verb's tense).
    """
    out = resolve(text, published, future=future)
    if isinstance(out, Resolution):
        return out.start, out.end, out.precision
    return None


# --- finding expressions in a parsed document --------------------------------------------------

_CAP_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sep(?:t(?:ember|\.)?|\.)|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)(?![A-Za-z])"
)
_SCAN_PATTERNS = (
    # weekdays, with the modifiers and parts of day that belong to them
    rf"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate) )?{'(?:' + '|'.join(calendar.day_name) + ')'}"
    rf"(?: (?:{_PART_OF_DAY}|last week|next week))?\b",
    r"\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Oo]vernight|[Ll]ast night"
    r"|[Tt]his (?:morning|afternoon|evening))\b",
    r"\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Tt]his|[Ll]ast|[Nn]ext) (?:week|weekend|month|year)\b",
    # calendar dates; a bare month name needs a date context, checked in _month_context
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? (?:of )?)?{_CAP_MONTH}"
    r"(?: \d{1,2}(?:st|nd|rd|th)?\b)?(?:,? \d{4}\b)?",
    rf"\b{_YEAR}-\d{{2}}-\d{{2}}\b",
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
    rf"(?<=\b[Ii]n )(?:the )?(?:early |mid-|late )?{_YEAR}s?\b",
    rf"(?<=\b[Ss]ince ){_YEAR}\b",
)
_SCAN = [_rx(p) for p in _SCAN_PATTERNS]
_SCAN_MONTH = _SCAN[3]

_DATE_CONTEXT_WORDS = frozenset(
    _words(
        "in on since until till by during from before after of early mid late last next this between "
        "through to and end beginning start middle"
    )
)
_TRIM_LEADING = frozenset(["on", "in", "at", "during", "by", "of"])
_EXTEND_LEFT = frozenset(["since", "for", "earlier", "later", "early", "late", "mid"])
_TIME_LABELS = frozenset({"DATE", "TIME"})
_NON_DATE_OK = frozenset({"", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY"})

_AGE = _rx(
    r"(?:\d+|\w+)[- ](?:year|month|week|day)s?[- ]old|.*\bage[sd]?\b.*|(?:his|her|their|its|my|your|our) .*"
    r"|\d+ years? of age"
)
_ADJECTIVAL = _rx(
    r"(?:[\w.]+-)+(?:second|minute|hour|day|night|week|month|year|decade|century|morning|evening|afternoon)s?"
    r"(?:-long|-old)?"
)
_FREQUENCY = _rx(
    r"(?:annual|annually|yearly|monthly|weekly|daily|nightly|hourly|quarterly|biannual|biennial|bimonthly"
    r"|seasonal|once|twice|every \w+(?: \w+)?|each (?:day|night|week|month|year)"
    r"|(?:a|per) (?:day|night|week|month|year))"
)
_DECADE_OF_LIFE = _rx(
    r"(?:early |mid-?|late )?"
    r"(?:\d0'?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|teens)"
)
_POSSESSIVE = _rx(r"(?:.* )?(?:his|her|their|its|my|your|our)(?: (?:early|mid|late))?")
_BARE_ORDINAL = _rx(
    r"(?:the )?(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
)
_BARE_NUMBER = _rx(r"\d[\d,.]*")
_FOR_DURATION = _rx(rf"for (?:the (?:past|last) |this past )?(?:{_QUANT} )?(?:(?:{_NUM}) )?{_UNIT}(?: now)?")
_GAP_MERGE = _rx(r"\s*(?:local time|gmt|utc)?\s*,?\s*(?:on|at|of|in)?\s*,?\s*")
_GAP_RANGE = _rx(r"\s*(?:to|until|till|through|and|-|–|—)\s*")
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_LEMMAS = frozenset({"plan", "schedule", "expect", "due", "set", "intend", "aim", "prepare", "slate"})


def _is_future(span: Span) -> bool:
    """True when the clause the expression modifies is explicitly about the future."""
    tok: Token = span.root
    if tok.dep_ == "poss":
        return False  # "Tuesday's attack": names an event, whatever the tense around it
    for _ in range(5):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in _FUTURE_AUX for c in auxes):
            return True
        if any(c.tag_ == "MD" for c in auxes):  # "could resume on Monday", "said it would vote Friday"
            return not any(c.lemma_ == "have" for c in auxes)  # but "would have met on Monday"
        if any(c.tag_ == "VBD" for c in auxes):
            return False  # "was planned", "had been scheduled"
        if tok.lemma_ in _FUTURE_LEMMAS and tok.tag_ in ("VBN", "JJ", "VBZ", "VBP", "VBG"):
            return True
        if tok.tag_ == "VB" and tok.dep_ == "xcomp":
            continue  # "is expected to vote on Friday": look at the verb that governs "to vote"
        return False
    return False


def _runs_to_publication(span: Span) -> bool:
    """True when the clause is present perfect ("have for months been fighting"), i.e. still going on."""
    tok: Token = span.root
    for _ in range(5):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return any(
                c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" and c.tag_ in ("VBP", "VBZ")
                for c in tok.children
            )
    return False


def _non_temporal(expr: str, text: str, start: int) -> str | None:
    """Why a DATE/TIME entity is not a time reference (ages, '24-hour', 'annual'), else None."""
    low = expr.lower().strip()
    if _AGE.fullmatch(low):
        return "age"
    before = text[max(0, start - 20) : start].lower().split()
    if before and before[-1] in ("aged", "age", "ages"):
        return "age"
    if _DECADE_OF_LIFE.fullmatch(low) and _POSSESSIVE.fullmatch(" ".join(before[-2:])):
        return "age"  # "a man in his 40s"
    if _ADJECTIVAL.fullmatch(low):
        return "adjectival duration"
    if _FREQUENCY.fullmatch(low):
        return "frequency"
    if _BARE_ORDINAL.fullmatch(low):
        return "ordinal"
    if _BARE_NUMBER.fullmatch(low) and not _P_Y.fullmatch(low):
        return "number"
    return None


def _named_weekday(doc: Doc, start: int, end: int) -> bool:
    """'Bloody Sunday', 'Good Friday Agreement', 'Sunday Times': a weekday inside a name, not a date."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for tok in span:
        if tok.lower_ not in _WEEKDAYS:
            continue
        head = tok.head.lower_.rstrip(".")
        if (
            tok.dep_ == "compound"
            and tok.head.i > tok.i
            and tok.head.is_title
            and tok.head.pos_ == "PROPN"
            and head not in _WEEKDAYS
            and head not in _MONTHS
        ):
            return True
        for child in tok.children:
            if (
                child.dep_ == "compound"
                and child.i < tok.i
                and child.is_title
                and child.lower_ not in _MONTHS
                and child.lower_ not in _WEEKDAYS
            ):
                return True
    return False


def _month_as_noun(doc: Doc, start: int, end: int, expr: str) -> bool:
    """'the March on Washington', "the Women's March": a bare month name with a determiner is a noun."""
    if expr.strip().lower().rstrip(".") not in _MONTHS:
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return any(c.dep_ in ("det", "poss") for c in span.root.children)


def _overlaps_other_entity(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ not in _NON_DATE_OK for t in span)


def _month_context(text: str, start: int, match: str) -> bool:
    """A month name alone ("May", "March") is only a date after a temporal word or with a number."""
    if any(ch.isdigit() for ch in match):
        return True
    words = text[max(0, start - 16) : start].split()
    return bool(words) and words[-1].lower().strip(",") in _DATE_CONTEXT_WORDS


_LETTER_DOT_END = _rx(rf"(?:\b(?i:{_M})|\b[ap]\.m)\.$")
_PREV_WORD = _rx(r"([A-Za-z]+)\s+$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop prepositions, possessives and punctuation at the edges of a candidate span."""
    while True:
        seg = text[start:end]
        first, _, rest = seg.partition(" ")
        if rest and first.lower() in _TRIM_LEADING and not _IN_COUNT.fullmatch(seg.lower()):
            start += len(first) + 1
            continue
        break
    seg = text[start:end]
    for suffix in ("'s", "’s"):
        if seg.endswith(suffix):
            end -= len(suffix)
    while end > start and text[end - 1] in " ,.;:)(\"'’”":
        if text[end - 1] == "." and _LETTER_DOT_END.search(text[start:end]):
            break  # keep the period of "Feb." / "p.m."
        end -= 1
    while start < end and text[start] in " ,;:(\"'‘“":
        start += 1
    return start, end


def _extend(text: str, start: int, end: int) -> int:
    """Pull in a preceding word that changes the meaning ("since", "for", "earlier", "from ... to")."""
    m = _PREV_WORD.search(text, max(0, start - 20), start)
    if not m or m.end() != start:
        return start
    word = m.group(1).lower()
    if word in _EXTEND_LEFT:
        cand = text[m.start(1) : end].lower()
        if word == "for" and not _FOR_DURATION.fullmatch(_normalise(cand)):
            return start
        return m.start(1)
    if word in ("from", "between"):  # "from March 3 to March 5": the span keeps its range words
        out = resolve(text[m.start(1) : end], _PROBE)
        if isinstance(out, Resolution) and "range" in out.reason:
            return m.start(1)
    return start


@dataclass(slots=True)
class _Cand:
    start: int
    end: int


def _collect(doc: Doc, text: str) -> list[_Cand]:
    raw: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ in _TIME_LABELS:
            raw.append(_Cand(ent.start_char, ent.end_char))
    for rx in _SCAN:
        for m in rx.finditer(text):
            s, e = m.span()
            if rx is _SCAN_MONTH and not _month_context(text, s, m.group(0)):
                continue
            if _overlaps_other_entity(doc, s, e):
                continue
            raw.append(_Cand(s, e))
    cands: list[_Cand] = []
    for c in raw:
        s, e = _trim(text, c.start, c.end)
        if e <= s:
            continue
        s = _extend(text, s, e)
        cands.append(_Cand(s, e))
    cands.sort(key=lambda c: (c.start, -c.end))
    merged: list[_Cand] = []
    for c in cands:  # overlapping candidates become their union
        if merged and c.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, c.end)
        else:
            merged.append(c)
    return _join_adjacent(text, merged)


def _join_adjacent(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Join neighbours that form one expression ("Tuesday" + "night", "March 3" + "to March 5")."""
    out: list[_Cand] = []
    for c in cands:
        if out:
            prev = out[-1]
            gap = text[prev.end : c.start]
            joined = None
            if _GAP_MERGE.fullmatch(gap):
                joined = prev.start
            elif _GAP_RANGE.fullmatch(gap):
                joined = prev.start
                m = _PREV_WORD.search(text, max(0, prev.start - 12), prev.start)
                if m and m.end() == prev.start and m.group(1).lower() in ("from", "between"):
                    joined = m.start(1)
            if joined is not None and "\n" not in gap:
                both = text[joined : c.end]
                if isinstance(resolve(both, _PROBE), Resolution):
                    prev.start, prev.end = joined, c.end
                    continue
        out.append(c)
    return out


def find_dates(doc: Doc, published: date | None, *, text: str | None = None) -> list[TimeRef]:
    """Every time expression in ``doc`` with its character span and resolved range.

    spaCy's DATE/TIME entities seed the search; regular expressions add what it misses (weekday
    names, "yesterday", month names after "in"/"since"), ages and adjectival durations are dropped,
    and the verb's tense decides between the last and the next occurrence of a bare weekday or
    month. Unresolvable expressions are kept with ``start``/``end``/``precision`` None. ``text``
    may pass ``doc.text`` when the caller already holds it (spaCy rebuilds it on each access).
    """
    published = _as_date(published)
    if text is None:
        text = doc.text  # rebuilt from the tokens on every access, so read once
    refs: list[TimeRef] = []
    for c in _collect(doc, text):
        s, e = c.start, c.end
        expr = text[s:e]
        if _non_temporal(expr, text, s) or _named_weekday(doc, s, e) or _month_as_noun(doc, s, e, expr):
            continue
        if _understood(expr) is None:
            s, e = _rescue(doc, s, e)
            expr = text[s:e]
            if _understood(expr) is None and not _TEMPORAL_WORD.search(expr.lower()):
                log.debug("dropping %r at %d: no time word and no date form", expr, s)
                continue
        refs.append(_time_ref(doc, expr, s, e, published))
    return refs


_TEMPORAL_WORD = _rx(
    rf"\b(?:{_M}|{_WD}s?|{_UNIT_WORDS}|weekends?|quarters?|seasons?|eras?|millenni(?:um|a)|generations?|ago"
    r"|holidays?|moments?|morning|afternoon|evening|tonight|today|yesterday|tomorrow|spring|summer|autumn"
    r"|fall|winters?|christmas|easter|eve)\b"
)
_PROBE = date(2000, 6, 15)  # any anchor: it tests whether a form is understood, not what it means


def _understood(expr: str) -> Outcome | None:
    out = resolve(expr, _PROBE)
    return None if isinstance(out, Unresolved) and out.reason == _NOT_UNDERSTOOD else out


def _rescue(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Fix a span spaCy over-extended ("Last week Stumpf", "10 in 2000"): the longest understood core."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return start, end
    n = len(span)
    for size in range(n - 1, 0, -1):
        for i in range(0, n - size + 1):
            sub = span[i : i + size]
            if sub[0].is_punct or sub[-1].is_punct:
                continue
            if _understood(sub.text) is not None:
                return sub.start_char, sub.end_char
    return start, end


def _time_ref(doc: Doc, expr: str, s: int, e: int, published: date | None) -> TimeRef:
    span = doc.char_span(s, e, alignment_mode="expand")
    future = span is not None and _is_future(span)
    out = resolve(expr, published, future=future)
    if (
        isinstance(out, Resolution)
        and span is not None
        and _FOR_DURATION.fullmatch(_normalise(expr))
        and not _runs_to_publication(span)
    ):
        out = Unresolved("duration not anchored at publication (the clause is not present perfect)")
    if isinstance(out, Resolution):
        return TimeRef(expr, (s, e), out.start, out.end, out.precision, out.reason)
    return TimeRef(expr, (s, e), None, None, None, out.reason)
