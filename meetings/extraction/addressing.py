"""Who a sentence addresses or names: vocatives ("Nina, can you…"), subjects ("Kofi will…")."""

from __future__ import annotations

import re

from .lexicon import DISCOURSE
from .roster import Roster
from .text import Sentence, wordset

REQUEST_START = re.compile(
    r"^\s*(?:can|could|would|will)\s+you\b|^\s*please\b|^\s*you(?:'ll|'re|\s+will|\s+are|"
    r"\s+need|\s+have|\s+should|\s+must)\b|^\s*i\s+(?:need|want|'d\s+like)\s+you\b|"
    r"^\s*(?:your|you)\b",
    re.IGNORECASE,
)
AS_ROLE = re.compile(
    r"\b(?:as|for)\s+(?:the|our|a)\s+(?P<role>[A-Za-z][\w\s\-]{2,40}?)\s*,\s*(?:um\s+|uh\s+)?"
    r"(?:you|your)\b",
    re.IGNORECASE,
)
NAME_YOU = re.compile(
    r"(?:^|[,.;:]|\b(?:and|so|then|now|um|uh)\b)\s*(?P<who>(?:[\w'\-]+\s+){0,2}[\w'\-]+)\s+"
    r"(?=you\s+(?:are|will|need|have|should|must|can|could)\b)",
    re.IGNORECASE,
)
OBJECT_OF = re.compile(
    r"\b(?:ask|tell|get|have|remind|need|want|let)\s+(?P<who>(?:[\w'\-]+\s+){0,2}?[\w'\-]+)\s+to\s+"
    r"(?P<rest>\w)",
    re.IGNORECASE,
)
PRONOUNS = wordset(
    """
    i we you he she they it this that there someone somebody anyone
    """
)


def _chunks(text: str) -> list[tuple[int, int]]:
    """Spans of the comma/colon-delimited pieces of a sentence."""
    spans, start = [], 0
    for m in re.finditer(r"[,:;]", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _name_in(piece: str, roster: Roster) -> str | None:
    piece = DISCOURSE.sub("", piece.strip(" .?!")).strip()
    if not piece or len(piece.split()) > 4 or piece.lower().split()[0] in PRONOUNS:
        return None
    return roster.resolve(piece)


def vocatives(text: str, roster: Roster) -> list[tuple[str, int]]:
    """Members addressed by name or role in a sentence, with the character offset of each."""
    if not roster:
        return []
    found: list[tuple[str, int]] = []
    spans = _chunks(text)
    for n, (a, b) in enumerate(spans):
        piece = text[a:b]
        following = text[spans[n + 1][0] : spans[n + 1][1]] if n + 1 < len(spans) else ""
        first, last = n == 0 and len(spans) > 1, n == len(spans) - 1 and n > 0
        if first or last or REQUEST_START.match(following):
            name = _name_in(piece, roster)
            if name:
                found.append((name, a))
    for m in NAME_YOU.finditer(text):
        name = _name_in(m.group("who"), roster)
        if name and all(name != f for f, _ in found):
            found.append((name, m.start("who")))
    for m in AS_ROLE.finditer(text):
        name = roster.resolve(m.group("role"))
        if name and all(name != f for f, _ in found):
            found.append((name, m.start()))
    return found


def addressee(text: str, roster: Roster, before: int | None = None) -> str | None:
    """The member a sentence speaks to; the one nearest before `before` when several are."""
    found = vocatives(text, roster)
    if before is not None:
        earlier = [f for f in found if f[1] <= before]
        found = earlier or found
    return found[-1][0] if found else None


def subject_before(text: str, roster: Roster) -> str | None:
    """A member named just before a verb ("… the industrial designer" + " will …")."""
    tokens = re.findall(r"[\w'\-]+", text)[-5:]
    for size in range(min(4, len(tokens)), 0, -1):
        phrase = " ".join(tokens[-size:])
        if phrase.lower().split()[0] in PRONOUNS:
            continue
        name = roster.resolve(phrase)
        if name:
            return name
    return None


def delegated_to(
    text: str, roster: Roster, sentence: str = "", exclude: tuple[str | None, ...] = ()
) -> tuple[str, int] | None:
    """The member in "ask Kofi to …", and where the delegated task starts.

    "ask him to …" is the one other member the sentence names ("when Kofi gets in, could you
    ask him to …"), not counting those in `exclude` (the one asked, the speaker).
    """
    for m in OBJECT_OF.finditer(text):
        name = roster.resolve(m.group("who"))
        if name:
            return name, m.start("rest")
        if m.group("who").lower() in ("him", "her"):
            named = mentioned(sentence, roster, exclude)
            if len(named) == 1:
                return named.pop(), m.start("rest")
    return None


def mentioned(text: str, roster: Roster, exclude: tuple[str | None, ...] = ()) -> set[str]:
    """The members a sentence names (by a capitalised word), but for those in `exclude`."""
    return {n for w in re.findall(r"\b[A-Z][\w'\-]+", text)
            if (n := roster.resolve(w)) and n not in exclude}  # fmt: skip


def speaker_of_reply(sentences: list[Sentence], i: int, window: float = 90.0) -> Sentence | None:
    """The first sentence after i said by someone else, within the window."""
    me = sentences[i].speaker
    for s in sentences[i + 1 : i + 12]:
        if s.start - sentences[i].end > window:
            return None
        if s.speaker != me:
            return s
    return None


def trailing_vocative(sentences: list[Sentence], i: int, roster: Roster) -> str | None:
    """A member named at the end of the speaker's previous, unfinished sentence.

    "Um, and, sales lead," … (someone says "mm-hmm") … "you'll draft the pricing sheet."
    """
    me = sentences[i].speaker
    for s in reversed(sentences[max(0, i - 4) : i]):
        if s.speaker != me:
            if len(s.text.split()) > 3:
                return None
            continue
        text = s.text.strip()
        if text.endswith((".", "?", "!")):
            return None
        pieces = [p for p in re.split(r"[,;:]", text) if p.strip()]
        return _name_in(pieces[-1], roster) if pieces else None
    return None
