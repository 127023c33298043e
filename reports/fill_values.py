"""Typed readers for dictated values: numbers with units, dates, yes/no, choices, lists.

Each reader gets the text of a field's passage and answers (value, start, end) with the
character span it read the value from, or None when the passage does not say it. None is
the answer whenever a reading is ambiguous: a value the person has to fill in is better
than a guessed one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

Found = tuple[object, int, int]

# ---------------------------------------------------------------- words

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "and",
        "or",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "him",
        "them",
        "us",
        "me",
        "there",
        "here",
    ]
)
NEGATIONS = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|without|denies|denied|negative|"
    r"quit|stopped|gave\s+up|non|isn't|wasn't|aren't|weren't|doesn't|don't|didn't|hasn't|"
    r"haven't|hadn't|won't|can't|cannot|no\s+one|false)\b|n't\b",
    re.IGNORECASE,
)
AFFIRMATIONS = re.compile(r"\b(?:yes|yeah|yep|positive|true|correct|affirmative)\b", re.I)
UNSURE = re.compile(
    r"\b(?:unknown|unsure|not\s+sure|maybe|perhaps|possibly|unclear|"
    r"to\s+be\s+confirmed|not\s+known|don't\s+know|ask|check\s+whether|"
    r"check\s+if)\b|\?",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def stem(word: str) -> str:
    """A crude stem, enough to meet "smoker", "smokes", "smoking" and "smoked" as one word."""
    word = word.lower().replace("’", "'")
    for suffix in ("ings", "ing", "ied", "ies", "ers", "ed", "es", "er", "s", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) for every word of a text."""
    return [(stem(m.group()), m.start(), m.end()) for m in TOKEN.finditer(text)]


def content_words(text: str) -> set[str]:
    return {s for s, _, _ in tokens(text) if s not in STOPWORDS}


# ---------------------------------------------------------------- numbers

SMALL = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER_WORDS = frozenset([*SMALL, *TENS, *SCALES])
NUMBER_WORD = "|".join([*SMALL, *TENS, *SCALES])
NUMBER = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?![\w])"
    rf"(?:\s+(?:and\s+)?(?:\d{{1,2}}|{NUMBER_WORD})\b)*"
    rf"|\b(?:{NUMBER_WORD})\b(?:[\s-]+(?:and[\s-]+)?(?:{NUMBER_WORD}|point|\d+)\b)*",
    re.IGNORECASE,
)
RANGE = re.compile(r"^\s*(?:to|or|-|–)\s*(?:\d|" + NUMBER_WORD + r")", re.IGNORECASE)
UNITS: dict[str, tuple[str, ...]] = {
    "°c": ("degrees", "degree", "celsius", "°c", "°"),
    "kg": ("kilos", "kilo", "kilograms", "kilogram", "kg", "kgs"),
    "eur": ("euros", "euro", "eur", "€"),
    "usd": ("dollars", "dollar", "usd", "$"),
    "gbp": ("pounds", "pound", "gbp", "£"),
    "users": ("users", "user", "people", "persons", "person"),
    "people": ("people", "persons", "person", "staff", "employees"),
    "minutes": ("minutes", "minute", "min", "mins"),
    "hours": ("hours", "hour", "h", "hrs"),
    "days": ("days", "day"),
    "%": ("percent", "per cent", "%"),
}


def unit_words(unit: str) -> tuple[str, ...]:
    """What people say for a unit: "kg" → kilos, kilograms…; an unknown unit as written."""
    unit = unit.strip().lower()
    if not unit:
        return ()
    return UNITS.get(unit, (unit, unit + "s"))


def words_to_number(text: str) -> float | None:
    """ "thirty seven point eight" → 37.8, "one thousand two hundred" → 1200, "100 and 4" → 104."""
    parts = [p for p in re.split(r"[\s-]+", text.lower().replace(",", "")) if p and p != "and"]
    if not parts:
        return None
    if "point" in parts:
        i = parts.index("point")
        whole = words_to_number(" ".join(parts[:i])) if i else 0
        digits = [
            SMALL.get(p) if p in SMALL else (int(p) if p.isdigit() else None)
            for p in parts[i + 1 :]
        ]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            if whole is not None and len(digits) == 1 and digits[0] is not None:
                return float(f"{int(whole)}.{digits[0]}")  # "thirty six point nineteen"? rare
            return None
        return float(f"{int(whole)}.{''.join(str(d) for d in digits)}")
    total, current, last = 0.0, 0.0, None
    for part in parts:
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            value = float(part)
            if current and not (
                current >= 100
                and value < 100
                and current % 100 == 0
                or current >= 20
                and value < 10
                and current % 10 == 0
            ):
                return None  # two numbers side by side ("7 8"): not one value
            current += value
        elif part in SMALL:
            if last in ("small", "digit"):
                return None  # "seven eight" is two numbers
            current += SMALL[part]
            last = "small"
            continue
        elif part in TENS:
            if last in ("small", "tens", "digit"):
                return None
            current += TENS[part]
            last = "tens"
            continue
        elif part in SCALES:
            scale = SCALES[part]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        last = "digit" if part[0].isdigit() else "scale"
    return total + current


def find_numbers(text: str) -> list[tuple[float, int, int]]:
    """Every number said in a text, (value, start, end); ranges ("7 to 8") are left out."""
    found = []
    for m in NUMBER.finditer(text):
        value = words_to_number(m.group())
        if (
            value is None
            or RANGE.match(text[m.end() :])
            or re.search(r"(?:to|or)\s*$", text[: m.start()][-4:])
        ):
            continue
        if re.match(r"\s+point\b", text[m.end() :], re.IGNORECASE):
            continue  # "36 point I'm": the decimals were not heard
        found.append((value, m.start(), m.end()))
    return found


def read_number(text: str, unit: str = "", after: int = 0) -> Found | None:
    """The number of a passage: the one followed by the unit, else the only one said."""
    numbers = find_numbers(text)
    words = unit_words(unit)
    if words:
        with_unit = [n for n in numbers if _unit_follows(text, n[2], words)]
        if len(with_unit) == 1:
            value, start, end = with_unit[0]
            return _tidy(value), start, end + _unit_length(text, end, words)
        # "three days of work" is no amount of euros: numbers in another unit are not ours.
        others = tuple(w for ws in UNITS.values() for w in ws if w not in words)
        numbers = [n for n in numbers if not _unit_follows(text, n[2], others)]
    later = [n for n in numbers if n[1] >= after] or numbers
    if len(later) == 1:
        value, start, end = later[0]
        return _tidy(value), start, end
    return None


def _unit_follows(text: str, end: int, words: tuple[str, ...]) -> bool:
    return _unit_length(text, end, words) > 0


def _unit_length(text: str, end: int, words: tuple[str, ...]) -> int:
    """How many characters after a number its unit takes ("72 kilos" → len(" kilos")), or 0."""
    for word in sorted(words, key=len, reverse=True):
        m = re.match(rf"\s*{re.escape(word)}(?![a-z])", text[end:], re.IGNORECASE)
        if m:
            return m.end()
    return 0


def overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


# ---------------------------------------------------------------- yes / no


def read_yesno(text: str, cue_start: int, cue_end: int) -> Found | None:
    """Yes or no from a passage around the cue: negations flip it, doubt leaves it empty."""
    if UNSURE.search(text):
        return None
    negations = [m for m in NEGATIONS.finditer(text)]
    if AFFIRMATIONS.search(text[cue_end:]) and not negations:
        return True, 0, len(text)
    return (not negations), 0, len(text)


# ---------------------------------------------------------------- choices


def read_choice(text: str, options: list[str]) -> Found | None:
    """The one allowed option a passage names (by words, forgiving small misspellings)."""
    words = tokens(text)
    hits: dict[str, tuple[int, int]] = {}
    for option in options:
        wanted = [stem(w) for w in TOKEN.findall(option)]
        if not wanted:
            continue
        for i in range(len(words) - len(wanted) + 1):
            window = words[i : i + len(wanted)]
            if all(_close(a, w) for (a, _, _), w in zip(window, wanted, strict=True)):
                hits.setdefault(option, (window[0][1], window[-1][2]))
                break
    if len(hits) != 1:
        return None
    option, (start, end) = next(iter(hits.items()))
    return option, start, end


def _close(heard: str, wanted: str) -> bool:
    if heard == wanted:
        return True
    return len(wanted) >= 5 and SequenceMatcher(None, heard, wanted).ratio() >= 0.8


# ---------------------------------------------------------------- lists

ENUMERATORS = re.compile(
    r"\b(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|fifth|then|also|next|finally|"
    r"and then|number\s+(?:one|two|three|four|five|\d))\b[,:]?\s*",
    re.IGNORECASE,
)
SPLIT = re.compile(r"\s*(?:[,;]|\band\b|\bplus\b|\bas well as\b)\s*", re.IGNORECASE)
NOTHING = re.compile(
    r"^(?:none|nothing|no|not|unknown|un|n/a|none known|no known\w*|"
    r"nil|nope|for now|yet|so far|today|either)$",
    re.IGNORECASE,
)
MAX_ITEM_WORDS = 7


def read_list(text: str) -> Found | None:
    """The items of a spoken enumeration: split on commas, "and", "first… then…"."""
    items: list[tuple[str, int, int]] = []
    for m in _pieces(text):
        piece = m[0].strip(" .:;,-").strip()
        piece = re.sub(r"^(?:a|an|some)\s+", "", piece, flags=re.IGNORECASE)
        if not piece or NOTHING.match(piece) or len(re.sub(r"\W", "", piece)) < 3:
            continue
        if not content_words(piece):
            continue  # "…, floor dried and the": a trailing word, not an item
        if len(piece.split()) > MAX_ITEM_WORDS:
            break  # a sentence, not an item: the enumeration is over
        items.append((piece, m[1], m[2]))
    if not items:
        return None
    return [i[0] for i in items], items[0][1], items[-1][2]


def _pieces(text: str) -> list[tuple[str, int, int]]:
    cleaned = ENUMERATORS.sub(lambda m: "," + " " * (len(m.group()) - 1), text)
    pieces, at = [], 0
    for m in SPLIT.finditer(cleaned):
        pieces.append((text[at : m.start()], at, m.start()))
        at = m.end()
    pieces.append((text[at:], at, len(text)))
    out = []
    for piece, start, _end in pieces:
        stripped = piece.strip(" .:;,-")
        if stripped:
            offset = piece.find(stripped)
            out.append((stripped, start + offset, start + offset + len(stripped)))
    return out
