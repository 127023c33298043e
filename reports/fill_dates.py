"""Dates in dictation, resolved against the recording date: past ones ("yesterday", "last
Friday", "three days ago") here, future ones ("in two weeks", "next Monday") through the
meetings' due-date reader, calendar dates without a year as the nearest such date.
"""

from __future__ import annotations

import datetime as dt
import re

from meetings.extraction.dates import MONTHS, ORDINALS, PATTERNS, WEEKDAYS, parse_due

from .fill_values import NUMBER_WORD, Found, overlaps, words_to_number

PAST_PATTERNS = [
    ("before_yesterday", re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("ago", re.compile(rf"\b(?P<n>\d+|{NUMBER_WORD}|a|an)\s+(?P<unit>days?|weeks?)\s+ago\b", re.I)),
    ("last_weekday", re.compile(rf"\blast\s+(?P<wd>{'|'.join(WEEKDAYS)})\b", re.I)),
    ("last_week", re.compile(r"\blast\s+week\b", re.I)),
]
PAST_TENSE = re.compile(
    r"\b(?:was|were|had|did|happened|occurred|came|went|fell|broke|"
    r"[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
FUTURE_HINT = re.compile(
    r"\b(?:will|next|in|within|by|until|due|review|see|follow|"
    r"deadline|needed|appointment)\b",
    re.IGNORECASE,
)


def read_date(text: str, base: dt.date, time_zone: str = "UTC") -> Found | None:
    """The one date a passage says, resolved against the recording date; None if none or two."""
    found = find_dates(text, base, time_zone)
    dates = {d for d, _, _ in found}
    if len(dates) != 1:
        return None
    return found[0][0].isoformat(), found[0][1], found[-1][2]


def find_dates(text: str, base: dt.date, time_zone: str = "UTC") -> list[tuple[dt.date, int, int]]:
    """Dates in a text: past expressions here, the rest through the meetings' date reader."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[dt.date, int, int]] = []
    for kind, pattern in PAST_PATTERNS:
        for m in pattern.finditer(text):
            if overlaps(m.span(), taken):
                continue
            taken.append(m.span())
            found.append((_past(kind, m, base), m.start(), m.end()))
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if overlaps(m.span(), taken):
                continue
            date = _absolute(kind, m, base, time_zone, text)
            if date is None:
                continue
            taken.append(m.span())
            found.append((date, m.start(), m.end()))
    return _merge_same(_weekday_with_date(sorted(found, key=lambda f: f[1]), text), text)


def _past(kind: str, m: re.Match, base: dt.date) -> dt.date:
    if kind == "before_yesterday":
        return base - dt.timedelta(days=2)
    if kind == "yesterday":
        return base - dt.timedelta(days=1)
    if kind == "ago":
        n = m.group("n").lower()
        count = 1 if n in ("a", "an") else int(words_to_number(n) or 0)
        return base - dt.timedelta(days=count * (7 if m.group("unit").startswith("week") else 1))
    if kind == "last_weekday":
        return _previous_weekday(base, WEEKDAYS.index(m.group("wd").lower()))
    return base - dt.timedelta(days=base.weekday() + 7)  # last week: its Monday


def _previous_weekday(base: dt.date, weekday: int) -> dt.date:
    return base - dt.timedelta(days=(base.weekday() - weekday - 1) % 7 + 1)


def _absolute(kind: str, m: re.Match, base: dt.date, time_zone: str, text: str) -> dt.date | None:
    """A calendar date as said; a date without a year is the one nearest the recording date."""
    g = m.groupdict()
    if kind in ("month_day", "day_month"):
        if (
            kind == "day_month"
            and g["month"].lower() in ("may", "march")
            and " of " not in m.group().lower()
        ):
            return None
        month = MONTHS.index(g["month"].lower()) + 1
        day = int(re.sub(r"\D", "", g["day"]) or 0) or _ordinal(g["day"])
        if g.get("year"):
            return _safe(int(g["year"]), month, day)
        options = [
            d
            for y in (base.year - 1, base.year, base.year + 1)
            if (d := _safe(y, month, day)) is not None
        ]
        return min(options, key=lambda d: abs((d - base).days)) if options else None
    if kind == "weekday" and not (g.get("rel") or "").strip():
        sentence = _sentence_around(text, m.start())
        if PAST_TENSE.search(sentence) and not FUTURE_HINT.search(sentence):
            return _previous_weekday(base, WEEKDAYS.index(g["wd"].lower()))
    return parse_due(m.group(), base, time_zone) or (base if kind == "today" else None)


def _ordinal(word: str) -> int:
    return ORDINALS.get(word.lower().replace("-", " "), ORDINALS.get(word.lower(), 0))


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _sentence_around(text: str, at: int) -> str:
    start = max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at)) + 1
    ends = [i for i in (text.find(c, at) for c in ".!?") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _weekday_with_date(found: list, text: str) -> list:
    """ "Saturday, the 28th of November": the calendar date says which Saturday."""
    kept = []
    for i, (date, start, end) in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        is_weekday = text[start:end].strip().lower().split()[-1] in WEEKDAYS
        if (
            is_weekday
            and following
            and not text[end : following[1]].strip(" ,the")
            and following[0].weekday() == WEEKDAYS.index(text[start:end].split()[-1].lower())
        ):
            kept.append((following[0], start, following[2]))
            continue
        if kept and kept[-1][2] >= end:
            continue
        kept.append((date, start, end))
    return kept


def _merge_same(found: list, text: str) -> list:
    """ "Thursday the tenth of December" is one date said twice: keep one span for both."""
    merged: list = []
    for date, start, end in found:
        if merged and merged[-1][0] == date and not text[merged[-1][2] : start].strip(" ,the"):
            merged[-1] = (date, merged[-1][1], end)
        else:
            merged.append((date, start, end))
    return merged
