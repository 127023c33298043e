"""Who is who: names and roles heard in speech matched to the roster, despite misrecognition.

Speech recognition misspells names ("Neena" for Nina, "Coffee" for Kofi), so a spoken name is
compared with each member's full name, first name, last name and aliases by edit distance and
by a coarse phonetic key. Some teams are rosters of roles ("Industrial Designer"): a role
matches on its whole phrase, or on a word only that member's role has ("marketing"), never on
a word several roles share ("designer") or a generic one ("user", "project").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .text import fold, wordset

DETERMINERS = re.compile(
    r"^(?:(?:the|our|a|an|as|and|so|um|uh|mr|mrs|ms|miss|dr|doctor|prof|professor|dear|"
    r"hey|hi|oh|okay|ok|then|also|for|now|well|right)\.?\s+)+"
)
TRAILERS = re.compile(r"(?:\s+(?:over\s+here|over\s+there|here|there|too|as\s+well))+$")
# Words that name a kind of job rather than one person: never a match on their own.
GENERIC = wordset(
    """
    user users designer design manager management expert lead leader engineer engineering
    developer development officer head director assistant specialist analyst owner team
    project product program senior junior chief principal staff member manager associate
    consultant coordinator administrator admin support quality technical tech the of and
    person people group department one
    """
)
# Everyday words a fuzzy match must never turn into a name.
COMMON = wordset(
    """
    none no nine any only one can will may might know now new need name nice not note next
    okay yes yeah sure right well fine good great thanks all and just like kind sort this
    that then there they their them time team thing some same so see say said also again
    about
    """
)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    """1 for equal strings, falling with the edit distance relative to the longer one."""
    if not a or not b:
        return 0.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


@lru_cache(maxsize=4096)
def sound_key(word: str) -> str:
    """A coarse phonetic key: Kofi and Coffee, Nina and Neena, Rahul and Raul share one."""
    w = re.sub(r"[^a-z]", "", fold(word))
    if not w:
        return ""
    for old, new in (("ph", "f"), ("ck", "k"), ("sch", "sh"), ("th", "t"), ("dg", "j"),
                     ("gh", "g"), ("qu", "kw"), ("x", "ks"), ("wr", "r"), ("kn", "n")):  # fmt: skip
        w = w.replace(old, new)
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k").replace("q", "k")
    w = w.translate(str.maketrans("zvdgb", "sftkp"))
    w = w[0] + re.sub(r"h", "", w[1:])
    w = w[0] + re.sub(r"[aeiouy]+", "a", w[1:])
    w = re.sub(r"^[aeiouy]+", "a", w)
    return re.sub(r"(.)\1+", r"\1", w)


def normalise(spoken: str) -> str:
    """Folded, punctuation-free, without leading determiners or titles."""
    text = re.sub(r"[^a-z0-9' ]+", " ", fold(spoken).replace("-", " "))
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = DETERMINERS.sub("", text)
    return TRAILERS.sub("", text).strip()


def token_score(heard: str, name: str) -> float:
    """How well one heard word matches one name word (0..1)."""
    if heard == name:
        return 1.0
    if heard in COMMON or len(heard) < 3 or len(name) < 3:
        return 0.0
    score = similarity(heard, name)
    if score >= 0.75 and min(len(heard), len(name)) >= 4:
        return score
    key_h, key_n = sound_key(heard), sound_key(name)
    if len(key_n) >= 3 and key_h == key_n and heard[0] in name[0] + "ckgqyjei":
        return 0.8
    if len(key_n) >= 5 and similarity(key_h, key_n) >= 0.8 and score >= 0.5:
        return 0.76
    # a short form of a long name: "Alek" for Aleksander, "Bren" for Brendan, "Kechi" for Nkechi
    if len(name) >= 5 and len(heard) >= 0.4 * len(name):
        if len(heard) >= 3 and name.startswith(heard):
            return 0.8
        if len(heard) >= 4 and name.endswith(heard):
            return 0.78
    return 0.0


@dataclass
class Member:
    """One roster entry and the spoken forms that may refer to it."""

    name: str
    email: str = ""
    phrases: list[str] = field(default_factory=list)  # full name, aliases: whole-phrase matches
    words: list[str] = field(default_factory=list)  # single words that alone mean this member


class Roster:
    """The team of a meeting, for matching spoken names, roles and speaker labels."""

    def __init__(self, members: list[dict[str, Any]] | None = None) -> None:
        self.members: list[Member] = []
        for entry in members or []:
            name = str(entry.get("name") or "").strip()
            if not name:
                continue
            aliases = [str(a) for a in entry.get("aliases") or [] if str(a).strip()]
            phrases = [normalise(p) for p in [name, *aliases]]
            self.members.append(Member(name, str(entry.get("email") or ""), phrases))
        self._choose_words()

    def _choose_words(self) -> None:
        """Single words that identify one member: first/last names, distinctive role words."""
        counts: dict[str, int] = {}
        for member in self.members:
            for token in {t for p in member.phrases for t in p.split()}:
                counts[token] = counts.get(token, 0) + 1
        for member in self.members:
            tokens = [t for p in member.phrases for t in p.split()]
            member.words = [
                t for t in dict.fromkeys(tokens)
                if counts[t] == 1 and t not in GENERIC and len(t) >= 2
            ]  # fmt: skip

    @property
    def names(self) -> list[str]:
        """The members' full names, in roster order."""
        return [m.name for m in self.members]

    def __bool__(self) -> bool:
        return bool(self.members)

    def scores(self, spoken: str) -> list[tuple[float, str]]:
        """Every member's match score for a spoken name or role, best first."""
        heard = normalise(spoken)
        if not heard or len(heard.split()) > 5:
            return []
        return sorted(((self._score(heard, m), m.name) for m in self.members), reverse=True)

    def _score(self, heard: str, member: Member) -> float:
        best = 0.0
        tokens = heard.split()
        for phrase in member.phrases:
            if heard == phrase:
                return 1.0
            if len(tokens) > 1 and len(phrase.split()) > 1:
                best = max(best, similarity(heard, phrase) if similarity(heard, phrase) >= 0.8
                           else 0.0)  # fmt: skip
                joined = heard.replace(" ", "")
                if joined == phrase.replace(" ", ""):
                    best = max(best, 0.95)
        if len(tokens) == 1:
            word = tokens[0]
            for name_word in member.words:
                best = max(best, token_score(word, name_word) * (0.97 if word != name_word else 1))
            if word in COMMON:
                best = 0.0
        elif len(tokens) <= 3 and best < 0.75:
            # "marketing executive": one exact distinctive word, the rest not another member's
            hits = [t for t in tokens if t in member.words]
            others = [t for t in tokens if t not in member.words and t not in GENERIC]
            if hits and len(others) <= 1 and all(len(t) >= 4 for t in hits):
                best = max(best, 0.78 if not others else 0.76)
            if tokens[0] in member.words and len(tokens) == 2:
                best = max(best, 0.9 * token_score(tokens[1], _last(member)) or 0.0)
        return best

    def resolve(self, spoken: str | None, threshold: float = 0.75) -> str | None:
        """The full name of the member a spoken name or role refers to, or None."""
        if not spoken:
            return None
        ranked = self.scores(spoken)
        if not ranked or ranked[0][0] < threshold:
            return None
        if len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - 0.02 and ranked[0][0] < 1.0:
            return None  # two members fit equally: better no owner than a wrong one
        return ranked[0][1]

    def resolve_speaker(self, label: str | None) -> str | None:
        """A transcript's speaker label as a roster name when it is one (Sam → Sam Rivera)."""
        if not label:
            return None
        for member in self.members:
            if label.strip().lower() == member.name.lower():
                return member.name
        return self.resolve(label, threshold=0.85)


def _last(member: Member) -> str:
    parts = member.phrases[0].split()
    return parts[-1] if parts else ""
