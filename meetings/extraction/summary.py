"""The summary and title: the meeting's most informative sentences, one per stretch of time."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from typing import Any

from .lexicon import DISCOURSE
from .text import (
    Sentence,
    capitalise,
    clean,
    clip_words,
    content_words,
    quote_around,
    similar,
    wordset,
)

MEETING_WORDS = (
    r"meeting|sync|standup|stand-up|huddle|review|retro|retrospective|planning|call|session|"
    r"check-in|kick-off|kickoff|catch-up|one-on-one|briefing|workshop|debrief|update"
)
TITLE = re.compile(
    rf"\b(?:this\s+is\s+(?:the|our|a)|welcome\s+to\s+(?:the|our)|it's\s+(?:the|our)|"
    rf"(?:start|begin|kick\s+off)\s+(?:the|our))\s+(?P<t>[\w\s\-]{{0,40}}?)\s*(?P<m>{MEETING_WORDS})"
    rf"\b",
    re.IGNORECASE,
)
SHORT_TITLE = re.compile(rf"^(?P<t>[\w\s\-]{{0,30}}?)\s*(?P<m>{MEETING_WORDS})[.!]?$", re.I)
CUES = wordset(
    """
    problem issue risk plan agreed decided decision update status budget deadline goal
    agenda priority launch release cost price customer requirement target design
    """
)
QUOTE_WORDS = 30
BACKCHANNEL = re.compile(r"^(?:thanks|thank you|bye|see you|good morning|hello|hi)\b", re.I)


def title_of(sentences: list[Sentence], meeting_date: dt.date) -> str:
    """ "Weekly platform sync" from "This is the weekly platform sync", else a dated title."""
    for s in sentences[:12]:
        text = DISCOURSE.sub("", clean(s.text))
        m = TITLE.search(text) or SHORT_TITLE.match(text)
        if m:
            words = " ".join(f"{m.group('t')} {m.group('m')}".split())
            return capitalise(words)
    return f"Meeting of {meeting_date.day} {meeting_date:%B %Y}"


def _weights(sentences: list[Sentence]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update(content_words(s.text))
    return {w: math.log1p(n) for w, n in counts.items() if n > 1}


def _score(text: str, weights: dict[str, float]) -> float:
    found = content_words(text)
    if len(found) < 3:
        return 0.0
    value = sum(weights.get(w, 0.2) for w in found) / math.sqrt(len(text.split()))
    return value + 0.5 * len(found & CUES) - (1.0 if text.endswith("?") else 0.0)


def _rank(s: Sentence, weights: dict[str, float], highlights: set[int]) -> float:
    return _score(clean(s.text), weights) + (0.5 if s.index in highlights else 0.0)


def _bullet(text: str) -> str:
    text = DISCOURSE.sub("", clean(text))
    short = clip_words(text, 30)
    if short != text:
        short = short.rstrip(",;: ") + " …"
    return capitalise(short if short.endswith((".", "!", "?", "…")) else short + ".")


def _moment(s: Sentence) -> dict[str, Any]:
    """A bullet with the moment it comes from: its start and a verbatim quote (≤ 30 words).

    A long sentence is quoted from its start, and the bullet says no more than the quote.
    """
    quote = quote_around(s.text, None, QUOTE_WORDS)
    text = _bullet(quote)
    if quote != s.text.strip() and not text.endswith("…"):
        text = text.rstrip(".!?") + " …"
    return {"text": text, "start": s.start, "quote": quote}


def summarise(
    sentences: list[Sentence], highlights: set[int] | None = None
) -> list[dict[str, Any]]:
    """5–10 bullets for a long meeting, fewer for a short one; each a sentence said in it.

    Each bullet is {"text", "start", "quote"}: the minutes link it to its transcript moment.
    """
    highlights = highlights or set()
    usable = [
        s
        for s in sentences
        if 6 <= len(clean(s.text).split()) <= 60 and not BACKCHANNEL.match(s.text)
    ]
    if not usable:
        return []
    total_words = sum(len(s.text.split()) for s in sentences)
    minutes = (sentences[-1].end - sentences[0].start) / 60
    if total_words >= 400:
        target = max(5, min(8, round(minutes / 4)))
    else:
        target = 3 if total_words >= 120 else 2
    target = min(target, len(usable))
    weights = _weights(sentences)
    bullets: list[dict[str, Any]] = []
    size = math.ceil(len(usable) / target)
    for n in range(target):
        window = usable[n * size : (n + 1) * size]
        ranked = sorted(window, key=lambda s: -_rank(s, weights, highlights))
        for s in ranked:
            bullet = _moment(s)
            if _score(clean(s.text), weights) > 0 and all(
                similar(bullet["text"], b["text"]) < 0.5 for b in bullets
            ):
                bullets.append(bullet)
                break
    return bullets[:10]
