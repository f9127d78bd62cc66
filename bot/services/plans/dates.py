"""Vietnamese date expressions: single dates, periods ("từ ... đến ...") and deadlines."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date

from .model import Deadline, Period
from .text import clean_spaces, fold_keep, sentences

# Patterns run on folded text (see text.fold_keep), so "ngày"/"ngay" both match.
DATE = (
    r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s*,?\s*nam\s+\d{4})"
)
MONTH = r"(?:thang\s+\d{1,2}\s*(?:/|,?\s*nam)\s*\d{4})"
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s*nam\s+(\d{4})")
_MONTH = re.compile(r"thang\s+(\d{1,2})\s*(?:/|,?\s*nam)\s*(\d{4})")
_DAY = r"(?:ngay\s+)?"
_RANGE = re.compile(
    rf"\btu\s+{_DAY}(?P<a>{DATE}|{MONTH})\s*(?:den|toi|-|–)\s*(?:het\s+)?{_DAY}(?P<b>{DATE}|{MONTH})"
)
_UNTIL = re.compile(rf"\b(?:den|toi)\s+(?:het\s+{_DAY}|ngay\s+)(?P<b>{DATE}|{MONTH})")
_SINCE = re.compile(rf"\bke\s+tu\s+{_DAY}(?P<a>{DATE})")
_DUE = re.compile(
    rf"\b(?:truoc|cham nhat(?:\s+la)?|han chot(?:\s+la)?|khong muon hon|han cuoi)\s*:?\s*"
    rf"{_DAY}(?P<d>{DATE}|\d{{1,2}}\s*/\s*\d{{1,2}}(?!\s*[/\d]))"
)
_MONTHLY = re.compile(r"\btruoc\s+ngay\s+(\d{1,2})\s+(?:hang|moi|cua\s+moi)\s+thang\b")


def parse_date(text: str, year_hint: int | None = None) -> date | None:
    """Parse one date ("20/3/2023", "ngày 20 tháng 3 năm 2023", "15/12" with a year hint)."""
    folded = fold_keep(text)
    match = _NUMERIC.search(folded) or _WORDS.search(folded)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        short = re.search(r"(\d{1,2})\s*/\s*(\d{1,2})", folded)
        if not (short and year_hint):
            return None
        day, month, year = int(short[1]), int(short[2]), year_hint
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _bound(text: str, end: bool) -> date | None:
    """A date, or the first/last day of a month expression ("tháng 3/2023")."""
    month = _MONTH.search(fold_keep(text))
    if month and not _NUMERIC.search(fold_keep(text)):
        m, y = int(month[1]), int(month[2])
        if 1 <= m <= 12:
            return date(y, m, calendar.monthrange(y, m)[1] if end else 1)
        return None
    return parse_date(text)


def _sentence_units(units: Iterable[tuple[str | None, str]]):
    """Yield (section id, clause, folded clause) for every ";"-separated clause."""
    for section_id, text in units:
        for sentence in sentences(text):
            for clause in re.split(r";\s+", clean_spaces(sentence)):
                yield section_id, clause, fold_keep(clause)


def find_periods(units: Iterable[tuple[str | None, str]]) -> list[Period]:
    """Periods: "từ ngày A đến hết ngày B", "đến hết ngày B", "kể từ ngày A"."""
    found: list[Period] = []
    for section_id, sentence, folded in _sentence_units(units):
        taken: list[tuple[int, int]] = []
        for match in _RANGE.finditer(folded):
            a, b = sentence[slice(*match.span("a"))], sentence[slice(*match.span("b"))]
            found.append(Period(_bound(a, False), _bound(b, True), sentence, section_id))
            taken.append(match.span())
        for match in _UNTIL.finditer(folded):
            if not any(s <= match.start() < e for s, e in taken):
                end = _bound(sentence[slice(*match.span("b"))], True)
                found.append(Period(None, end, sentence, section_id))
        for match in _SINCE.finditer(folded):
            if not any(s <= match.start() < e for s, e in taken):
                start = _bound(sentence[slice(*match.span("a"))], False)
                found.append(Period(start, None, sentence, section_id))
    return _unique(found, lambda p: (p.start, p.end))


def find_deadlines(
    units: Iterable[tuple[str | None, str]], year_hint: int | None = None
) -> list[Deadline]:
    """Deadlines: "trước ngày ...", "chậm nhất ...", "đến hết ngày ...", monthly "trước ngày 15"."""
    found: list[Deadline] = []
    for section_id, sentence, folded in _sentence_units(units):
        for match in _DUE.finditer(folded):
            when = parse_date(sentence[slice(*match.span("d"))], year_hint)
            found.append(Deadline(when, sentence, section_id))
        ranges = [m.span() for m in _RANGE.finditer(folded)]
        for match in _UNTIL.finditer(folded):
            if not any(s <= match.start() < e for s, e in ranges):
                when = _bound(sentence[slice(*match.span("b"))], True)
                found.append(Deadline(when, sentence, section_id))
        if _MONTHLY.search(folded):
            found.append(Deadline(None, sentence, section_id))
    return _unique(found, lambda d: (d.date, d.text))


def _unique(items: list, key) -> list:
    """Drop items whose key was already seen, keeping the first."""
    seen: set = set()
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out
