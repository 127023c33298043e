"""Due dates in speech ("by Friday", "the fourth of December"), resolved against the meeting date.

Conventions, checked against the scripted meetings:

- a bare weekday, or "by / on / before / this <weekday>", is its next occurrence strictly after
  the meeting day (said on a Wednesday, "Wednesday" means a week later);
- "next <weekday>" is that weekday in the calendar week (Monday to Sunday) after the meeting's;
- "next week" is that week's Monday, "end of the week" this week's Friday, "end of next week"
  the following Friday; "end of the month" its last day;
- a day without a month ("by the 3rd") is the next such day on or after the meeting day, and a
  month and day without a year the next such date (so "January tenth" in November is next year);
- numeric dates follow the time zone's habit: month first in the Americas, day first elsewhere;
- expressions about the past ("last Friday", "yesterday") give no due date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]  # fmt: skip
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
          "sixteenth", "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)}
ORDINALS.update({w: i + 10 for i, w in enumerate(_TEENS)})
ORDINALS.update({"twentieth": 20, "thirtieth": 30})
for _i, _w in enumerate(_UNITS):
    ORDINALS[f"twenty-{_w}"] = ORDINALS[f"twenty {_w}"] = 21 + _i
ORDINALS["thirty-first"] = ORDINALS["thirty first"] = 31
COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3}  # fmt: skip

_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_DAY = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{_ORD})"
_DAY_ORD = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)|{_ORD})"
_MONTH = rf"(?P<month>{'|'.join(MONTHS)})"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_WD = rf"(?P<wd>{'|'.join(WEEKDAYS)})"
_COUNT = rf"(?P<n>\d+|{'|'.join(sorted(COUNTS, key=len, reverse=True))})"
DUE_WORDS = r"(?:by|before|until|till|on|due|for|no later than|at the latest by)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p, re.IGNORECASE))
    for k, p in [
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        ("numeric", r"(?<![\d.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<c>\d{2,4}))?(?![\d/])"),
        ("month_day", rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}"),
        ("day_month", rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}"),
        (
            "day_only",
            rf"\b(?:{DUE_WORDS}\s+(?:(?:{'|'.join(WEEKDAYS)})[\s,]+)?|(?:{'|'.join(WEEKDAYS)})[\s,]+)"
            rf"the\s+{_DAY_ORD}\b(?!\s+(?:of\s+)?[a-z]*\s*(?:day|week|"
            rf"month|quarter|time|floor|one|item|point|option|study|step|page))",
        ),
        ("after_tomorrow", r"\bthe\s+day\s+after\s+tomorrow\b"),
        (
            "tomorrow",
            r"\b(?:first\s+thing\s+)?tomorrow(?:\s+(?:morning|afternoon|evening|night))?\b",
        ),
        (
            "today",
            r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|later\s+today|"
            r"(?:by|before|at|until)\s+noon|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|"
            r"business)|eod|close\s+of\s+business|by\s+lunch(?:time)?|(?:straight|right|just)\s+"
            r"after\s+(?:this|the\s+meeting))\b",
        ),
        ("in_days", rf"\b(?:in|within)\s+(?:the\s+next\s+)?{_COUNT}\s+(?P<unit>days?|weeks?)\b"),
        ("fortnight", r"\b(?:in|within)\s+a\s+fortnight\b"),
        ("end_week", r"\b(?:the\s+)?end\s+of\s+(?P<which>the|this|next)?\s*week\b"),
        ("later_week", r"\b(?:later|sometime)\s+this\s+week\b"),
        ("next_week", r"\b(?:early\s+)?next\s+week\b"),
        ("end_month", r"\b(?:the\s+)?end\s+of\s+(?P<which>the|this|next)?\s*month\b"),
        ("start_month", r"\b(?:the\s+)?(?:start|beginning)\s+of\s+next\s+month\b"),
        ("end_quarter", r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+quarter\b"),
        ("end_year", r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b"),
        ("weekday", rf"\b(?:first\s+thing\s+)?(?:(?P<rel>next|this|coming|this\s+coming)\s+)?{_WD}"
                    rf"(?P<wk>\s+week)?(?:\s+(?:morning|afternoon|evening|night|first\s+thing))?\b"),
    ]
]
PAST = re.compile(
    r"\b(?:yesterday|ago|(?:last|past|previous)\s+(?:week|month|year|quarter|time|"
    + "|".join(WEEKDAYS)
    + r")|this\s+past\s+\w+|earlier\s+(?:today|this\s+week))\b",
    re.IGNORECASE,
)
LEAD_IN = re.compile(
    rf"(?:\b(?:{DUE_WORDS}|sometime|some\s+time|at|from|starting|latest)\s+)+$", re.IGNORECASE
)


@dataclass
class Due:
    """A resolved due date and where it was said in the text."""

    date: dt.date
    start: int  # character span of the expression, lead-in preposition included
    end: int


def _day_number(text: str) -> int:
    text = text.lower()
    if text in ORDINALS:
        return ORDINALS[text]
    return int(re.sub(r"\D", "", text))


def _next_weekday(base: dt.date, weekday: int) -> dt.date:
    """The first such weekday strictly after base."""
    return base + dt.timedelta(days=(weekday - base.weekday() - 1) % 7 + 1)


def _monday(base: dt.date) -> dt.date:
    return base - dt.timedelta(days=base.weekday())


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(base: dt.date, months: int) -> tuple[int, int]:
    index = base.year * 12 + base.month - 1 + months
    return index // 12, index % 12 + 1


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _future(year: int | None, month: int, day: int, base: dt.date) -> dt.date | None:
    """The date with that month and day on or after base (this year or the next)."""
    if year:
        return _safe(year, month, day)
    found = _safe(base.year, month, day)
    if found is not None and found < base:
        found = _safe(base.year + 1, month, day)
    return found


def _month_first(time_zone: str) -> bool:
    return time_zone.startswith("America/") and time_zone not in {
        "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Bogota",
        "America/Lima", "America/Santiago", "America/Mexico_City", "America/Caracas",
    }  # fmt: skip


def _resolve(kind: str, m: re.Match[str], base: dt.date, time_zone: str) -> dt.date | None:
    g = m.groupdict()
    if kind == "iso":
        return _safe(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "numeric":
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if _month_first(time_zone) else (b, a)
        year = int(g["c"]) if g.get("c") else None
        if year is not None and year < 100:
            year += 2000
        return _future(year, month, day, base) if 1 <= month <= 12 else None
    if kind in ("month_day", "day_month"):
        month = MONTHS.index(g["month"].lower()) + 1
        year = int(g["year"]) if g.get("year") else None
        return _future(year, month, _day_number(g["day"]), base)
    if kind == "day_only":
        day = _day_number(g["day"])
        for months in range(3):
            y, mo = _add_months(base, months)
            found = _safe(y, mo, day)
            if found is not None and found >= base:
                return found
        return None
    return _relative(kind, g, base)


def _relative(kind: str, g: dict[str, str | None], base: dt.date) -> dt.date | None:
    friday = _monday(base) + dt.timedelta(days=4)
    if kind == "after_tomorrow":
        return base + dt.timedelta(days=2)
    if kind == "tomorrow":
        return base + dt.timedelta(days=1)
    if kind == "today":
        return base
    if kind == "in_days":
        n = str(g["n"]).lower()
        count = int(n) if n.isdigit() else COUNTS[n]
        return base + dt.timedelta(days=count * (7 if str(g["unit"]).startswith("week") else 1))
    if kind == "fortnight":
        return base + dt.timedelta(days=14)
    if kind == "end_week":
        return friday + dt.timedelta(days=7) if g.get("which") == "next" else max(friday, base)
    if kind == "later_week":
        return max(friday, base)
    if kind == "next_week":
        return _monday(base) + dt.timedelta(days=7)
    if kind == "end_month":
        y, mo = _add_months(base, 1 if g.get("which") == "next" else 0)
        return _month_end(y, mo)
    if kind == "start_month":
        y, mo = _add_months(base, 1)
        return dt.date(y, mo, 1)
    if kind == "end_quarter":
        return _month_end(base.year, ((base.month - 1) // 3 + 1) * 3)
    if kind == "end_year":
        return dt.date(base.year, 12, 31)
    if kind == "weekday":
        day = WEEKDAYS.index(str(g["wd"]).lower())
        if (g.get("rel") or "").lower() == "next":
            found = _monday(base) + dt.timedelta(days=7 + day)
        else:
            found = _next_weekday(base, day)
        return found + dt.timedelta(days=7) if g.get("wk") else found
    return None


DATE_AFTER = re.compile(
    rf"^[\s,]+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\b|{_DAY_ORD}\b|{_MONTH}\b)", re.IGNORECASE
)
HOLIDAY_BEFORE = re.compile(
    r"\b(?:good|black|cyber|ash|easter|holy|maundy|super|blue|whit|shrove|palm|giving)\s+$", re.I
)
# After "the <weekday>": a word that makes the weekday name an event ("the Friday late shift").
EVENT_NOUN = re.compile(
    r"\s+(?!(?:morning|afternoon|evening|night|after|before|of|at|and|or|is|it|then|we|you|i|"
    r"they|that|this|instead|too|as|so|but|to|by|for|in|on|if|please|next|latest|lunchtime|noon|"
    r"first|week|works|is|would|will|should|could|can|because|since|when|once|with|the|he|she|"
    r"evening|mornings|afternoons|evenings|nights|are|was|were|be|latest|eod|cob|either|or|"
    r"then|though|anyway|okay|ok|right|yeah|yes|no|fine|good|maybe|at|around|till|until)\b)"
    r"[a-z][\w\-]*"
)


def _implausible(kind: str, m: re.Match[str]) -> bool:
    """Number pairs that are not dates ("24/7"), and "the second may be" read as a date."""
    if kind == "numeric":
        return m.group(0) in {"24/7", "9/11", "50/50"}
    if kind == "day_month":
        month = m.group("month").lower()
        return month in {"may", "march"} and " of " not in m.group(0).lower()
    if kind == "weekday":  # "the Saturday clinic" names an event, not a date for the task
        before, after = m.string[: m.start()], m.string[m.end() :]
        if HOLIDAY_BEFORE.search(before) or DATE_AFTER.match(after):
            return True  # "the Good Friday hours"; "Wednesday the sixth of May": the date says it
        return bool(EVENT_NOUN.match(after)) and not m.group("wk")
    return False


def find_dues(text: str, meeting_date: dt.date, time_zone: str = "UTC") -> list[Due]:
    """Every future date expression in a text, in order; overlapping matches keep the first."""
    taken: list[tuple[int, int]] = []
    found: list[Due] = []
    past = [m.span() for m in PAST.finditer(text)]
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken + past):
                continue
            if _implausible(kind, m):
                continue
            date = _resolve(kind, m, meeting_date, time_zone)
            taken.append((a, b))
            if date is None or date < meeting_date:
                continue
            lead = LEAD_IN.search(text[:a])
            found.append(Due(date, lead.start() if lead else a, b))
    return sorted(found, key=lambda d: d.start)


def find_due(text: str, meeting_date: dt.date, time_zone: str = "UTC") -> Due | None:
    """The due date said in a text: one introduced by "by/before/until/on" first, else the first."""
    dues = find_dues(text, meeting_date, time_zone)
    for due in dues:
        if re.match(rf"\s*{DUE_WORDS}\b", text[due.start : due.end], re.IGNORECASE):
            return due
    return dues[0] if dues else None


def parse_due(text: str, meeting_date: dt.date, time_zone: str = "UTC") -> dt.date | None:
    """The due date said in a text, resolved against the meeting date, or None."""
    due = find_due(text, meeting_date, time_zone)
    return due.date if due else None


def mentions_past(text: str) -> bool:
    """Whether the text places something in the past ("yesterday", "last week")."""
    return PAST.search(text) is not None
