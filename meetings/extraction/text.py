"""Transcript text as the extractors see it: sentences, words, fillers, quotes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ]+(?:['’\-][A-Za-z0-9À-ÖØ-öø-ÿ]+)*")
# A sentence ends at . ? ! (not inside a number like 12.50) followed by space.
SENTENCE_END = re.compile(r"(?<=[.?!])[\"')\]]*\s+(?=\S)")
FILLERS = re.compile(
    r"\b(?:(?:um+|uh+|erm+|er|ah+|hmm+|mm+|mm-hmm|uh-huh|"
    r"(?<!let )(?<!do )(?<!if )(?<!did )you know|i mean|sort of|kind of|kinda)\b(?!['\-])|"
    r"like,)\s*,?\s*",
    re.IGNORECASE,
)


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text block, as a set."""
    return frozenset(text.split())


STOPWORDS = wordset(
    """
    a an the to for of and or in on at by with from into about this that these those is are
    be been being was were will would can could should shall may might must do does did done
    doing have has had having i i'll i'm i've i'd we we'll we're we've we'd you you'll
    you're you've you'd he she it it's its they them their our us me my your his her him
    there here then than so just also too very really up out off over again not no yes yeah
    okay ok um uh well right oh let's lets let get got gonna going go want wanna need needs
    some any all each every what which who whom whose when where why how if but because as
    while until till before after during now today tomorrow thing things something anything
    everything one ones maybe perhaps sure please that's there's what's think know mean like
    actually basically probably bit lot
    """
)


# A segment this soon after a short unfinished one by its speaker, starting in lower case,
# continues it ("Then we'll go" | "with the wildflower mix, agreed.").
JOIN_GAP_S = 1.5
JOIN_WORDS = 6


@dataclass
class Sentence:
    """One sentence of the transcript, tied to the segment it came from."""

    index: int  # position among all sentences
    seg: int  # index of the segment
    speaker: str | None  # a roster name when known, else the transcript's label
    text: str  # verbatim from the segment
    start: float  # the segment's start (seconds)
    end: float


def fold(text: str) -> str:
    """Lowercase ASCII: accents dropped, ß as ss, so Jürgen and Jurgen compare equal."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The words of a text, lowercased, apostrophes normalised."""
    return [w.replace("’", "'") for w in WORD.findall(text.lower())]


def content_words(text: str) -> set[str]:
    """Words that carry meaning (no stopwords, no fillers), crudely singularised."""
    out = set()
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def overlap(a: str, b: str) -> float:
    """Share of a's content words found in b."""
    ca = content_words(a)
    return len(ca & content_words(b)) / len(ca) if ca else 0.0


def similar(a: str, b: str) -> float:
    """Symmetric content-word overlap (the larger of the two directions)."""
    return max(overlap(a, b), overlap(b, a))


def split_sentences(text: str) -> list[str]:
    """Sentences of one segment, verbatim (punctuation kept)."""
    parts = [p.strip() for p in SENTENCE_END.split(text.strip())]
    return [p for p in parts if p]


def to_sentences(segments: Iterable[dict], speakers: list[str | None]) -> list[Sentence]:
    """Every sentence of every segment, in order, with the segment's resolved speaker."""
    out: list[Sentence] = []
    for seg_index, (segment, speaker) in enumerate(zip(segments, speakers, strict=True)):
        text = str(segment.get("text") or "")
        start = float(segment.get("start") or 0.0)
        end = float(segment.get("end") or start)
        parts = split_sentences(text)
        last = out[-1] if out else None
        if parts and last and last.speaker == speaker and start - last.end <= JOIN_GAP_S \
                and not re.search(r"[.?!…]\W*$", last.text) and parts[0][:1].islower() \
                and len(last.text.split()) <= JOIN_WORDS:
            # one sentence that speech recognition cut in two
            out[-1] = Sentence(last.index, last.seg, speaker, f"{last.text} {parts[0]}",
                               last.start, end)
            parts = parts[1:]
        for part in parts:
            out.append(Sentence(len(out), seg_index, speaker, part, start, end))
    return out


def clean(text: str) -> str:
    """Fillers and stutters removed, spacing and punctuation tidied."""
    text = FILLERS.sub("", text)
    text = re.sub(r"\b([\w']+)(\s+\1\b)+", r"\1", text, flags=re.IGNORECASE)  # "the the"
    # a word broken off mid-way ("so y you know"): a lone lower-case letter that is no word
    text = re.sub(r"(?<![\w'\-])[b-hj-z](?![\w'\-.])\s*", "", text)
    # "you'll be looking you'll be looking at": a phrase of two to four words said twice
    text = re.sub(r"\b((?:[\w']+\s+){1,3}[\w']+)(?:\s+\1\b)+", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+([,.?!;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" ,;:-")
    return text


def clip_words(text: str, limit: int) -> str:
    """The first `limit` words of a text."""
    parts = text.split()
    return " ".join(parts[:limit])


def quote_around(text: str, anchor: str | None = None, limit: int = 30) -> str:
    """A verbatim excerpt of at most `limit` words, starting a little before `anchor`."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    if len(spans) <= limit:
        return text.strip()
    at = 0
    if anchor:
        pos = text.lower().find(anchor.lower()[:40])
        if pos >= 0:
            at = sum(1 for a, _ in spans if a < pos)
    first = max(0, min(at - 3, len(spans) - limit))
    return text[spans[first][0] : spans[first + limit - 1][1]]


def capitalise(text: str) -> str:
    """First letter upper-case, the rest as spoken."""
    return text[:1].upper() + text[1:] if text else text
