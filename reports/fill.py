"""Fill a record template's fields from a dictation's transcript, each value linked to its words.

How a field is found: the speaker says its label or a phrase of its hint ("Temperature…",
"allergic to…") — the cue. The field's passage runs from there to the end of the sentence
or to the next field's cue, and the field's type reads its value from that passage. Without
a cue, two dependable fallbacks: a template's only date field takes the only date said, and
a number field takes the only number said with its unit. Anything else stays empty and is
flagged for the person to fill; the small model may only propose free text (fill_model.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from . import fill_values as V
from .fill_dates import find_dates, read_date

# A cue followed by these before its value: "Smoker: yes", "Weight is 72 kilos".
LEAD = re.compile(r"^(?:[\s:,.\-–]|\b(?:is|was|are|were|of|today's)\b)*", re.IGNORECASE)
HARD_END = re.compile(r"[.!?;](?=\s|$)")
# Whisper often ends a spoken sentence with a comma and capitalises the next word; free text
# and lists read across such commas (their own commas look the same), other types stop there.
# Day and month names are capitalised anyway: "Deadline, Friday" is one sentence.
_CAPITALISED_ANYWAY = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    "May|June|July|August|September|October|November|December"
)
SOFT_END = re.compile(rf",(?=\s+[A-Z](?![A-Z]))(?!\s+(?:{_CAPITALISED_ANYWAY})\b)")
MAX_CUE_GAP = 1  # words a speaker may slip into a cue phrase ("see him again")
# How alike a long misheard word must be to a cue word ("renew" for "review"): tuned on the
# tune half of bench/dictations.
CUE_SIMILARITY = 0.72


@dataclass
class Cue:
    field: str
    start: int
    end: int
    size: int  # words in the cue phrase: longer cues win overlaps


@dataclass
class Value:
    value: object = None
    start: int | None = None
    end: int | None = None
    method: str = ""
    note: str = ""

    def as_dict(self, text: str) -> dict:
        source = None
        if self.value not in (None, "", []) and self.start is not None:
            source = {"start": self.start, "end": self.end, "quote": text[self.start : self.end]}
        return {
            "value": self.value if source else None,
            "source": source,
            "method": self.method if source else "",
            "note": "" if source else self.note,
        }


@dataclass
class Filling:
    """A fill in progress: the transcript, its cues and what each field has so far."""

    text: str
    fields: list[dict]
    recorded_on: dt.date
    time_zone: str = "UTC"
    cues: list[Cue] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    soft_ends: list[int] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)

    def result(self) -> dict:
        filled = {
            f["name"]: self.values.get(f["name"], Value(note="Not said.")).as_dict(self.text)
            for f in self.fields
        }
        return {
            "fields": filled,
            "missing": [name for name, v in filled.items() if v["value"] is None],
        }


def cue_phrases(spec: dict) -> list[list[str]]:
    """The label and each comma-separated phrase of the hint, as stemmed words."""
    phrases = [spec.get("label") or spec["name"].replace("_", " ")]
    phrases += re.split(r"[,;/]|\bor\b", spec.get("hint") or "")
    out = []
    for phrase in phrases:
        words = [s for s, _, _ in V.tokens(phrase)]
        while words and words[0] in V.STOPWORDS:
            words.pop(0)
        if words and words not in out:
            out.append(words)
    return out


def find_cues(text: str, fields: list[dict]) -> list[Cue]:
    """Where each field is named; overlapping namings keep the longest."""
    words = V.tokens(text)
    found: list[Cue] = []
    for spec in fields:
        for phrase in cue_phrases(spec):
            for i in range(len(words)):
                end = _match(words, i, phrase)
                if end is not None and not HARD_END.search(text[words[i][1] : words[end][2]]):
                    found.append(Cue(spec["name"], words[i][1], words[end][2], len(phrase)))
    found.sort(key=lambda c: (-c.size, c.start))
    kept: list[Cue] = []
    for cue in found:
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _match(words: list[tuple[str, int, int]], i: int, phrase: list[str]) -> int | None:
    """The index of the last word when `phrase` starts at word i (small gaps allowed)."""
    if not _same(words[i][0], phrase[0]):
        return None
    at = i
    for wanted in phrase[1:]:
        for step in range(1, MAX_CUE_GAP + 2):
            if at + step < len(words) and _same(words[at + step][0], wanted):
                at += step
                break
        else:
            return None
    return at


def _same(heard: str, wanted: str) -> bool:
    """The same word, or a long word misheard by a letter ("renew" for "review")."""
    if heard == wanted:
        return True
    if heard[:1] != wanted[:1] or heard in V.NUMBER_WORDS:
        return False
    return (
        len(wanted) >= 6
        and abs(len(heard) - len(wanted)) <= 1
        and SequenceMatcher(None, heard, wanted).ratio() >= CUE_SIMILARITY
    )


def fill_record(
    text: str, fields: list[dict], *, recorded_on: dt.date, time_zone: str = "UTC"
) -> dict:
    """{"fields": {name: {value, source: {start, end, quote}, method, note}}, "missing": [...]}."""
    filling = Filling(text, fields, recorded_on, time_zone)
    filling.cues = find_cues(text, fields)
    filling.ends = [m.start() for m in HARD_END.finditer(text)] + [len(text)]
    filling.soft_ends = [m.start() for m in SOFT_END.finditer(text)]
    for spec in fields:
        filling.values[spec["name"]] = _from_cues(filling, spec)
    _fallbacks(filling)
    return filling.result()


def fill_from_hearings(
    texts: list[str], fields: list[dict], *, recorded_on: dt.date, time_zone: str = "UTC"
) -> dict:
    """Fill from the first transcript; a field it leaves empty takes a later one's value.

    Two speech models mishear different words (records_audio.dictation_speech). A value from a
    later transcript says so in its source ("hearing": n), whose offsets are in that text.
    """
    result = fill_record(texts[0], fields, recorded_on=recorded_on, time_zone=time_zone)
    for n, text in enumerate(texts[1:], 1):
        if not result["missing"]:
            break
        other = fill_record(text, fields, recorded_on=recorded_on, time_zone=time_zone)
        for name in result["missing"]:
            found = other["fields"][name]
            if found["value"] is not None:
                result["fields"][name] = {**found, "source": {**found["source"], "hearing": n}}
        result["missing"] = [n for n, v in result["fields"].items() if v["value"] is None]
    return result


def _from_cues(filling: Filling, spec: dict) -> Value:
    cues = [c for c in filling.cues if c.field == spec["name"]]
    if not cues:
        return Value(note=f"Not said (no mention of “{spec.get('label', spec['name'])}”).")
    readings = [
        r
        for r, c in ((_read(filling, spec, c), c) for c in cues)
        if r.value not in (None, [])
        and not (spec["type"] != "yesno" and _follows_other_cue(filling, c, r))
    ]
    if not readings:
        said = _read(filling, spec, cues[0])
        return Value(note=said.note or "Mentioned, but no value could be read.")
    if spec["type"] in ("date", "number", "choice", "yesno"):
        distinct = {repr(r.value) for r in readings}
        if len(distinct) > 1:
            return Value(note="Said more than once with different values: check it.")
    return readings[0]


def _follows_other_cue(filling: Filling, cue: Cue, reading: Value) -> bool:
    """A value read *before* its cue that comes straight after another field's cue, with no
    sentence end between, is that field's ("deadline, Friday, support ticket, report": Friday
    is the deadline, not the report date). A sentence end between them, full stop or Whisper's
    comma before a capital ("Priority, medium, One user is affected"), frees the value, and so
    does saying it right against its own cue."""
    if reading.start is None or reading.start >= cue.start:
        return False
    if reading.end is not None and not filling.text[reading.end : cue.start].strip():
        return False  # said right against its cue: "high, around 40 users are affected"
    cue_end = max((c.end for c in filling.cues if c.end <= reading.start), default=-1)
    sentence_end = max((e for e in filling.ends + filling.soft_ends if e < reading.start),
                       default=-1)
    owner = [c for c in filling.cues if c.end == cue_end]
    return cue_end > sentence_end and bool(owner) and owner[0].field != cue.field


def _passage(filling: Filling, cue: Cue, soft: bool = True) -> tuple[int, int, int]:
    """(start of the cue's sentence part, start of the value, end of the passage)."""
    text = filling.text
    value_start = cue.end + LEAD.match(text[cue.end :]).end()
    ends = filling.ends + (filling.soft_ends if soft else [])
    before = [e + 1 for e in ends if e < cue.start]
    before += [c.end for c in filling.cues if c.end <= cue.start]
    start = max(before, default=0)
    after = [e for e in ends if e >= value_start]
    after += [c.start for c in filling.cues if c.start >= cue.end]
    end = min(after, default=len(text))
    return start, min(value_start, end), end


def _read(filling: Filling, spec: dict, cue: Cue) -> Value:
    kind = spec["type"]
    start, value_start, end = _passage(filling, cue, soft=kind not in ("text", "list"))
    text = filling.text
    if kind == "yesno":
        end = _without_next_cues_negation(filling, start, end)
        return _shift(
            V.read_yesno(text[start:end], cue.start - start, cue.end - start),
            start,
            "Mentioned, but neither yes nor no is clear.",
            cut=(start, end),
        )
    if kind == "date":
        return _shift(
            read_date(text[start:end], filling.recorded_on, filling.time_zone),
            start,
            "Mentioned, but no single date was said.",
        )
    if kind == "number":
        return _shift(
            V.read_number(text[start:end], spec.get("unit", ""), cue.end - start),
            start,
            "Mentioned, but no single number was said.",
        )
    if kind == "choice":
        return _shift(
            V.read_choice(text[start:end], spec.get("options") or []),
            start,
            "Mentioned, but none of the allowed choices was said.",
        )
    if _negated(filling, cue):
        return Value(note="Said to be none.")
    if kind == "list":
        return _shift(
            V.read_list(text[value_start:end]), value_start, "Mentioned, but no items were said."
        )
    return _free_text(text, value_start, end)


# "Remote access was granted, not resolved yet": the "not" is the next field's.
# ("Resolved, no, needed by Friday" is an answer: a comma keeps the "no" with its own cue.)
TRAILING_NEGATION = re.compile(r"\b(?:not|never|non)[\s-]*$", re.IGNORECASE)


def _without_next_cues_negation(filling: Filling, start: int, end: int) -> int:
    """The passage's end, before a negation that leads straight into the next field's cue."""
    if not any(c.start == end for c in filling.cues):
        return end
    found = TRAILING_NEGATION.search(filling.text[start:end])
    return start + found.start() if found else end


def _negated(filling: Filling, cue: Cue) -> bool:
    """ "No known allergies", "no medication": a negation in the words just before the cue."""
    start = _passage(filling, cue)[0]
    before = filling.text[start : cue.start].split()[-3:]
    return bool(V.NEGATIONS.search(" ".join(before)))


def _shift(found, offset: int, note: str, cut: tuple[int, int] | None = None) -> Value:
    if found is None:
        return Value(note=note)
    value, start, end = found
    if cut is not None:  # yes/no: the source is the whole sentence part that says it
        start, end = 0, cut[1] - cut[0]
    return Value(value, offset + start, offset + end, "rules")


def _free_text(text: str, start: int, end: int) -> Value:
    piece = text[start:end]
    stripped = piece.strip(" .,:;-–")
    if not V.content_words(stripped) or V.NOTHING.match(stripped):
        return Value(note="Mentioned, but nothing followed.")
    first = start + piece.find(stripped)
    return Value(stripped, first, first + len(stripped), "rules")


def _claimed(filling: Filling) -> list[tuple[int, int]]:
    """Spans already read as a date, number, choice or yes/no (free text may hold values)."""
    kinds = {f["name"]: f["type"] for f in filling.fields}
    return [
        (v.start, v.end)
        for name, v in filling.values.items()
        if v.value not in (None, [])
        and v.start is not None
        and kinds[name] not in ("text", "list", "yesno")
    ]


def _fallbacks(filling: Filling) -> None:
    """Cue-less fills that are still certain: the only date, a number with its unit."""
    dates = [f for f in filling.fields if f["type"] == "date"]
    if (
        len(dates) == 1
        and filling.values[dates[0]["name"]].value is None
        and not _cued(filling, dates[0])
    ):
        found = [
            d
            for d in find_dates(filling.text, filling.recorded_on, filling.time_zone)
            if not V.overlaps((d[1], d[2]), _claimed(filling))
        ]
        if len({d[0] for d in found}) == 1:
            filling.values[dates[0]["name"]] = Value(
                found[0][0].isoformat(), found[0][1], found[-1][2], "rules (the only date said)"
            )
    for spec in filling.fields:
        if spec["type"] != "number" or not spec.get("unit") or _cued(filling, spec):
            continue
        if filling.values[spec["name"]].value is not None:
            continue
        words = V.unit_words(spec["unit"])
        hits = [
            (n, s, e)
            for n, s, e in V.find_numbers(filling.text)
            if V._unit_follows(filling.text, e, words) and not V.overlaps((s, e), _claimed(filling))
        ]
        if len(hits) == 1 and not _unit_shared(filling, spec):
            n, s, e = hits[0]
            filling.values[spec["name"]] = Value(
                V._tidy(n),
                s,
                e + V._unit_length(filling.text, e, words),
                "rules (the only number in this unit)",
            )


def _cued(filling: Filling, spec: dict) -> bool:
    return any(c.field == spec["name"] for c in filling.cues)


def _unit_shared(filling: Filling, spec: dict) -> bool:
    """Two number fields in the same unit cannot be told apart by it."""
    mine = set(V.unit_words(spec["unit"]))
    return any(
        set(V.unit_words(f.get("unit", ""))) & mine
        for f in filling.fields
        if f is not spec and f["type"] == "number"
    )
