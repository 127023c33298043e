"""Open questions: asked and not answered, answered with "not sure", or parked for later."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import ACCEPT, DEFERRED, DISCOURSE, PROCEDURAL, UNCERTAIN
from .text import Sentence, capitalise, clean, clip_words, content_words, similar

TAG = re.compile(
    r"(?:^|,\s*|\s)(?:right|okay|ok|yeah|yes|no|huh|eh|is\s*n[o']t\s+it|aren't\s+they|don't\s+you"
    r"\s+think|you\s+know|correct|alright|or\s+not|see|hmm|yeah\s+no|innit|what|sorry|really)\?$",
    re.IGNORECASE,
)
IN_MEETING = re.compile(
    r"\b(?:(?:can|could)\s+(?:you|everyone|everybody)\s+(?:all\s+)?(?:hear|see)|any\s+(?:more\s+)?"
    r"questions|anything\s+else|does\s+that\s+make\s+sense|is\s+that\s+(?:ok|okay|alright|all\s+"
    r"right|clear|fine)|(?:shall|should)\s+we\s+(?:start|begin|move\s+on|go)|who\s+is\s+next|"
    r"(?:are\s+)?(?:we|you|everyone)\s+(?:all\s+)?ready|what\s+time|are\s+we\s+done|"
    r"where\s+was\s+i|what\s+was\s+i|how\s+are\s+you|do\s+you\s+want\s+to\s+(?:start|go)|"
    r"what\s+do\s+you\s+mean|pardon|sorry\?|can\s+i\s+(?:just|ask)|next\s+slide|is\s+it\s+on|"
    r"questions\s+so\s+far|everyone\s+(?:here|okay))",
    re.IGNORECASE,
)
EXPLICIT = re.compile(
    r"\b(?:open\s+question|still\s+(?:need|have)\s+to\s+(?:figure\s+out|decide|find\s+out|work\s+"
    r"out|agree\s+on)|(?:not|un)\s*(?:sure|clear)\s+yet\s+(?:whether|if|how|what|who|when)|"
    r"to\s+be\s+(?:decided|determined|confirmed)|tbd|we\s+have\s+not\s+decided)\b",
    re.IGNORECASE,
)
MAX_QUESTIONS = 10


@dataclass
class OpenQuestion:
    """A question left open, and the sentence it is quoted from."""

    text: str
    sentence: Sentence
    weight: float


def _answer(sentences: list[Sentence], i: int) -> tuple[bool, bool]:
    """(answered, deferred) judged from the next sentences."""
    asker = sentences[i]
    for s in sentences[i + 1 : i + 7]:
        if s.start - asker.end > 60:
            break
        said = clean(s.text)
        if UNCERTAIN.search(said) or DEFERRED.search(said):
            return False, True
        replied = s.speaker != asker.speaker and s.speaker is not None and said
        if replied and (len(said.split()) >= 2 or ACCEPT.match(said) or said.startswith("no")):
            return True, False
    return False, False


def _worth_asking(text: str) -> bool:
    body = DISCOURSE.sub("", text)
    if len(body.split()) < 4 or len(content_words(body)) < 2:
        return False
    return not (TAG.search(body) or IN_MEETING.search(body) or PROCEDURAL.match(body))


def find_open_questions(
    sentences: list[Sentence], skip: set[int], lo: int = 0, hi: int | None = None
) -> list[OpenQuestion]:
    """Questions of sentences lo..hi still open at the end, except sentences in `skip`."""
    found: list[OpenQuestion] = []
    for i in range(lo, len(sentences) if hi is None else hi):
        s = sentences[i]
        text = clean(s.text)
        if i in skip:
            continue
        if EXPLICIT.search(text) and len(content_words(text)) >= 3:
            found.append(OpenQuestion(_phrase(text), s, 1.0))
            continue
        if not text.endswith("?") or not _worth_asking(text):
            continue
        answered, deferred = _answer(sentences, i)
        if not answered:
            found.append(OpenQuestion(_phrase(text), s, 0.9 if deferred else 0.5))
    return found


def _phrase(text: str) -> str:
    return capitalise(clip_words(DISCOURSE.sub("", text), 25))


def merge_questions(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    """Distinct questions, the clearest first kept, at most MAX_QUESTIONS in meeting order."""
    kept: list[OpenQuestion] = []
    for q in questions:
        if all(similar(q.text, k.text) < 0.6 for k in kept):
            kept.append(q)
    best = sorted(kept, key=lambda q: -q.weight)[:MAX_QUESTIONS]
    return sorted(best, key=lambda q: q.sentence.index)
