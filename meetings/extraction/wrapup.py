"""The wrap-up round: a chair handing out work at the end of a meeting, by role, name or "you".

At the close, "you're looking at the pricing" and "for frontend, the login page" hand out work;
said mid-meeting they describe what is on the screen. So these forms count only in the
closing stretch: the last part of the meeting, or from a wrap-up cue ("to wrap up", "before we
finish", "next steps") in its second half. An unnamed "you" goes to the member who has been
talking about the task's subject, when one clearly has.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .lexicon import DISCOURSE
from .roster import Roster
from .text import Sentence, clean, content_words

CLOSING_SHARE = 0.85  # without a cue, the last 15 % of the meeting is its close
WRAP_UP = re.compile(
    r"\b(?:wrap(?:ping)?\s+(?:it\s+|this\s+|things\s+)?up|to\s+sum\s+up|to\s+summari[sz]e|"
    r"to\s+recap|before\s+we\s+(?:finish|close|end|go)|next\s+steps?|action\s+items?|"
    r"between\s+now\s+and|(?:next|another)\s+meeting|(?:let's|we'll|we\s+will)\s+allocate|"
    r"who\s+does\s+what|round\s+(?:it\s+)?up)\b",
    re.IGNORECASE,
)
# "you're looking at the budget": present progressive as a plan, only at the close, and only
# with a verb of work ("you're buying it separately" is about anyone).
WORK_ING = (
    "looking|working|doing|handling|taking|preparing|writing|researching|thinking|focusing|"
    "covering|building|designing|investigating|drafting|reviewing|checking|testing|planning|"
    "organising|organizing|sorting|exploring|studying|examining|leading|running|updating|"
    "fixing|finishing|putting|making|producing|creating|developing|coordinating|contacting|"
    "calling|sending|finding|watching|analysing|analyzing|evaluating|presenting"
)
YOU_NOW = re.compile(rf"\byou\s+are\s+(?P<rest>(?:{WORK_ING})\b.+)", re.I)
# "for frontend, the mobile layout" / "and for you it's the requirements": a nominal hand-out.
NOMINAL = re.compile(
    r"^for\s+(?P<who>[^,]{2,40}?)\s*(?:,\s*|\s+(?=it\s))(?:it\s+(?:is|will\s+be)\s+|"
    r"that\s+is\s+)?(?P<rest>(?:the|a|an|your|our|some)\b.+|[a-z]+\s+[a-z]+.*)",
    re.IGNORECASE,
)
PAST_BEFORE = re.compile(r"\b(?:last|previous|yesterday|earlier|ago|already)\b", re.IGNORECASE)
# Listening noises ("mm-hmm") say "go on"; acknowledgements ("okay", "yep") take in what was said.
CONTINUER = re.compile(r"^(?:mm-?hmm|uh-?huh|mm+|hmm+|uh|um)[\s,.!]*$", re.IGNORECASE)
ACKNOWLEDGE = re.compile(
    r"^(?:yeah|yes|yep|okay|ok|right|alright|all\s+right|cool|sure|fine)[\s,.!]*$", re.IGNORECASE
)
MIN_AFFINITY = 0.8  # at least most of one task word's mentions are that member's
AFFINITY_MARGIN = 0.5


def closing_start(sentences: list[Sentence]) -> float:
    """When the meeting's closing stretch begins (seconds)."""
    if not sentences:
        return 0.0
    first, last = sentences[0].start, sentences[-1].end
    half = first + (last - first) / 2
    for s in sentences:
        if s.start >= half and WRAP_UP.search(s.text):
            return min(s.start, first + CLOSING_SHARE * (last - first))
    return first + CLOSING_SHARE * (last - first)


def nominal(text: str, roster: Roster) -> tuple[str | None, str, int] | None:
    """ "For frontend, the mobile layout" → (member or None for "you", task words, offset)."""
    body = DISCOURSE.sub("", text)
    m = NOMINAL.match(body)
    if not m:
        return None
    rest = re.split(r"[,;.?!]", m.group("rest"))[0]
    who = m.group("who").strip()
    member = None if who.lower() == "you" else roster.resolve(who)
    if member is None and who.lower() != "you":
        return None
    return member, rest, len(text) - len(body)


def past_before(prefix: str) -> bool:
    """Whether the words before an assignment place it in the past ("last week, …")."""
    return PAST_BEFORE.search(prefix) is not None


def reply_kind(text: str) -> str:
    """ "continuer" ("mm-hmm"), "acknowledgement" ("okay", "yep") or "answer" (anything longer)."""
    said = text.strip()
    if not clean(said) or CONTINUER.match(said):
        return "continuer"
    return "acknowledgement" if ACKNOWLEDGE.match(clean(said)) else "answer"


class Topics:
    """Who has been talking about what: the share of each word's mentions per speaker."""

    def __init__(self, sentences: list[Sentence], roster: Roster) -> None:
        self.members = set(roster.names)
        self.by_speaker: dict[str, Counter[str]] = defaultdict(Counter)
        self.total: Counter[str] = Counter()
        for s in sentences:
            if s.speaker in self.members:
                found = content_words(s.text)
                self.by_speaker[s.speaker].update(found)
                self.total.update(found)

    def owner_of(self, task: str, exclude: str | None) -> str | None:
        """The member (other than `exclude`) who has said the task's words most, when clear."""
        found = content_words(task)
        scores = sorted(
            (
                (sum(self.by_speaker[m][w] / self.total[w] for w in found if self.total[w]), m)
                for m in self.members
                if m != exclude
            ),
            reverse=True,
        )
        if not scores or scores[0][0] < MIN_AFFINITY:
            return None
        second = scores[1][0] if len(scores) > 1 else 0.0
        return scores[0][1] if scores[0][0] - second >= AFFINITY_MARGIN else None
