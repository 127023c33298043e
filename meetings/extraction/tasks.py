"""Task phrases: the words after "I'll" or "can you", cut to a short imperative without the date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_due
from .lexicon import VERBS, base_form, is_verb
from .text import capitalise, clean, content_words, wordset

CLAUSE_END = re.compile(
    r"[.;!?]|,\s*(?=(?:but|so|because|since|which|or|and\s+(?:then\s+)?(?:i|we|you|he|she|they|"
    r"it|that|there)|right|okay|ok|yeah|yes|alright|um|uh|if)\b)|"
    r"\s(?=(?:but|because|since|so\s+(?:that|we|i|you|everyone|everybody|people|they|he|she|"
    r"the)|before\s+(?:they|he|she|we|you|i|it|anyone|everyone)|whereas|although|though|unless|"
    r"otherwise|cause|'cause)\b)",
    re.IGNORECASE,
)
# In a task, a comma before a new subject ends it ("call the caterer, I've got her number").
NEW_SUBJECT = re.compile(r",\s*(?=(?:i|we|he|she|they)[\s'])", re.IGNORECASE)
LEADING = re.compile(
    r"^(?:(?:also|just|please|then|quickly|maybe|definitely|actually|first|still|now|"
    r"go ahead and|try to|try and|make sure to|make sure i|be sure to|basically|really|um|uh|"
    r"probably|certainly|personally|myself|both|all|kindly|possibly|the|be able to)\b[\s,]*)+",
    re.IGNORECASE,
)
TRAILING = re.compile(
    r"(?:[\s,]+(?:please|as well|too|for me|for us|then|okay|ok|right|yeah|if you can|"
    r"if possible|if you could|thanks|thank you|again|now|first|also|for now|today|alright|"
    r"(?:like|as)\s+(?:you|we|i)\s+(?:said|say|mentioned)|as\s+(?:discussed|agreed)|"
    r"all right|yes|sure|i think|i guess|and|or|so|but|the|a|an|to|of|with|for|on|in|at|by|from)"
    r")+\s*$",
    re.IGNORECASE,
)
PRONOUN_OBJECTS = wordset(
    """
    it that this them those these one him her something
    """
)
LIGHT = wordset(
    """
    do have take set get make handle sort care ready up look deal done it that this them
    those one something thing things first draft bit
    """
)
TASK_LIMIT = 12
# After a verb we do not know, these show it takes an object: "defrost the freezer".
OBJECT_START = wordset(
    "the a an my our your their this that these those some all every each his her its them it "
    "him me us up out back down off"
)
# Verbs of having, being, perceiving and opining: "I'll have a coffee" is no task.
NOT_TASK_VERBS = wordset(
    "have be go come let say see know think want need like mean guess presume admit hope "
    "wish bet suppose reckon feel try stay sit"
)


# "think about the onboarding flow" is work handed out ("you'll be thinking about…").
THINK_ABOUT = ("think about", "think of", "think through")


@dataclass
class Task:
    """One task phrase, its due date and the words it was made from."""

    text: str  # short imperative, capitalised
    due: dt.date | None
    source: str  # the piece of the sentence it comes from (for the quote anchor)
    vague: bool  # "do that", "set it up": the task itself was said elsewhere


def clause(rest: str) -> str:
    """The rest of a sentence up to the end of its clause."""
    ends = [m.start() for m in (CLAUSE_END.search(rest), NEW_SUBJECT.search(rest)) if m]
    return rest[: min(ends)] if ends else rest


def conjuncts(text: str) -> list[str]:
    """ "run it by Friday and send a status email" → ["run it by Friday", "send a status email"]."""
    verbs = "|".join(sorted(VERBS, key=len, reverse=True))
    parts = re.split(rf",?\s+and\s+(?:also\s+|then\s+)?(?=(?:{verbs})\b)", text, flags=re.I)
    return [p for p in parts if p.strip()]


def _progressive(text: str) -> str:
    """ "be working on X" → "work on X"; "be looking at" → "look at"."""
    m = re.match(r"^(?:be\s+|been\s+)?(\w+ing)\b", text, re.IGNORECASE)
    if m and (m.group(0).lower().startswith("be") or base_form(m.group(1)) in VERBS):
        return base_form(m.group(1)) + text[m.end() :]
    return text


WHEN_DONE = re.compile(
    r"\s+(?:during|after|before|when|while|once|first\s+thing|as\s+soon\s+as|on\s+my|in\s+the\s+"
    r"(?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
# "book all three", "send both": the things were named by someone else.
COUNTED = re.compile(
    r"\b(?:all|the)\s+(?:two|three|four|five|of\s+(?:them|those|these))\b|\bboth\b", re.I
)


def is_vague(task: str) -> bool:
    """Whether a task names nothing but a verb and pronouns ("do that", "email them"); when it is
    done does not name it ("do it during the morning feed")."""
    core = WHEN_DONE.split(COUNTED.sub(" it ", task))[0]
    named = content_words(core) - LIGHT
    said = set(core.lower().split())
    return not named or (len(named) <= 1 and bool(said & PRONOUN_OBJECTS))


def shorten(text: str, limit: int = TASK_LIMIT) -> str:
    """At most `limit` words, ending on a content word."""
    parts = text.split()
    if len(parts) > limit:
        text = " ".join(parts[:limit])
    for _ in range(3):
        text = TRAILING.sub("", text).strip(" ,;:-")
    return text


def make_tasks(
    rest: str, sentence: str, meeting_date: dt.date, time_zone: str, first_only: bool = False
) -> list[Task]:
    """Tasks in the words after a trigger; each with the due date said in its own words."""
    piece = clause(clean(rest))
    parts = conjuncts(piece)
    if len(parts) > 1 and _one_errand(parts, meeting_date, time_zone):
        parts = [piece]
    if first_only:
        parts = parts[:1]
    tasks = []
    for n, part in enumerate(parts):
        due = find_due(part, meeting_date, time_zone)
        if due is None and len(parts) == 1:
            due = find_due(sentence, meeting_date, time_zone)
            text = part
        elif due is not None:
            # "…, before Friday's meeting, please": the date, its "'s meeting" and what a comma
            # adds after it are no part of the task
            after = re.sub(r"^'s\s+[\w\-]+", "", part[due.end :])
            text = part[: due.start] + " " + ("" if after.lstrip().startswith(",") else after)
        else:
            text = part
        text = _progressive(LEADING.sub("", text.strip(" ,")).strip())
        text = shorten(re.sub(r"\s{2,}", " ", text))
        if not text or (n > 0 and is_vague(text)):
            continue
        tasks.append(Task(capitalise(text), due.date if due else None, part, is_vague(text)))
    return tasks


def _one_errand(parts: list[str], meeting_date: dt.date, time_zone: str) -> bool:
    """ "call the supplier and get a delivery window by Thursday" is one to-do: only the last
    part names a date (it scopes them all) and together they fit in one task phrase."""
    dated = [find_due(p, meeting_date, time_zone) is not None for p in parts]
    if re.match(r"^\S+\s+(?:him|her)\b", parts[0], re.IGNORECASE):
        return True  # "call him tonight and push for a date": what to get from whom
    return not any(dated[:-1]) and len(" ".join(parts).split()) <= TASK_LIMIT + 2


def first_verb_ok(task: str) -> bool:
    """Whether a task starts like an imperative (a verb, or a phrase we kept verbatim)."""
    first = task.split()[0].lower() if task.split() else ""
    return first in VERBS or first.endswith(("ise", "ize", "ate", "fy"))


def starts_with_verb(task: str) -> bool:
    """Whether a task starts with a verb: a known one, or a word followed by its object."""
    parts = task.lower().split()
    allowed = (
        " ".join(parts[:3]) == "come up with"
        or " ".join(parts[:2]) in THINK_ABOUT + ("go through", "go over")
        or " ".join(parts[:3]) in ("have a look", "have a go")
        or re.match(r"let (?!me\b|us\b|you\b)\S+(?: \S+)? know\b", " ".join(parts[:4])) is not None
    )  # "let the landlord know" is work; "let me know" asks for it
    if not parts or (parts[0] in NOT_TASK_VERBS and not allowed):
        return False
    return allowed or is_verb(parts[0]) or (len(parts) > 1 and parts[1] in OBJECT_START)
