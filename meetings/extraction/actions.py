"""Action items: first-person commitments, requests and who accepts them, delegation, ownership.

Each sentence is read for the spoken forms in `triggers`; the owner comes from who speaks
("I'll…" is the speaker's), who is addressed ("Nina, can you…"), who is named ("Kofi will…",
"ask Kofi to…") or who answers ("Can you…?" — "Sure." makes the one who said "Sure" the owner).
A reply that restates the request ("OK, I'll fix it by tomorrow") merges into it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import triggers as tr
from .addressing import (
    addressee,
    delegated_to,
    mentioned,
    subject_before,
    trailing_vocative,
    vocatives,
)
from .dates import DUE_WORDS, find_due, find_dues
from .lexicon import (
    ACCEPT,
    CONDITIONAL,
    DEFERRED,
    DISCOURSE,
    HEDGE,
    PREAMBLE,
    PROCEDURAL,
    REFUSE,
    REFUSE_ANY,
    STATE_AFTER_BE,
    VAGUE_WISH,
    VERBS,
)
from .roster import Roster
from .tasks import Task, clause, is_vague, make_tasks, shorten, starts_with_verb
from .text import Sentence, capitalise, clean, clip_words, content_words, similar
from .wrapup import YOU_NOW, Topics, closing_start, nominal, past_before, reply_kind

REPLY_WINDOW = 60.0  # seconds within which an answer still answers a request
MIN_CONFIDENCE = 0.6
MOVED_ON = 2  # sentences the asker may add before a reply no longer answers the request
MIN_CONFIDENCE_UNOWNED = 0.6
# Only when they answer a request ("Sure, I can do that"): on their own, "I can…" and "let
# me…" are mostly abilities and things done in the meeting itself.
REPLY_ONLY = ("can",)
FIRST_KINDS = {k for k, _, _ in tr.FIRST_PERSON}  # the speaker's own commitments
# A clause ending on a determiner was broken off ("I'll do some", "can you send the").
BROKEN_OFF = re.compile(
    r"\b(?:the|a|an|some|any|my|our|your|their|his|her|its|every|each)[\s,.…-]*$", re.I
)
POLITE = ("ask", "would", "want", "please", "ifyou", "imperative")
NEEDS_WHEN = ("let", "must")
# "I'll have it done by Friday", "get it sorted by the 30th": a date for the task just given.
FOLLOW_UP = re.compile(
    r"\b(?:have|get|got)\s+(?:it|them|that|this|those|these|one|everything)\b", re.IGNORECASE
)
FOLLOW_UP_REACH = 4  # sentences back a follow-up's item may be
NAMED_AFTER_S = 30.0  # a vague "I'll do it" gives way to its speaker's task named this soon after
# "I know <name> has to…": said of someone, not handed to them.
KNOWN = re.compile(
    r"\b(?:i|we)\s+(?:know|knew|heard|hear|understand|remember|reali[sz]e)\s+(?:that\s+)?"
    r"(?:[\w'\-]+\s*){1,3}$",
    re.IGNORECASE,
)
# "Kofi, that's yours.": handing over what was just described.
HANDED = re.compile(
    r"\b(?:that|this|it)(?:\s+one)?(?:'s|\s+is)\s+(?:yours|on\s+you|for\s+you|your\s+(?:job|one))\b",
    re.IGNORECASE,
)
# "When do they need it?": the answer's date is the task's due date.
WHEN_DUE = re.compile(
    r"\b(?:when\s+(?:do|does|did|is|should|would)\s+(?:they|you|we|he|she|it|\w+)\s+(?:need|want|"
    r"due|have\s+to\s+have)|by\s+when|what\s+is\s+the\s+deadline|when\s+is\s+(?:it|that|this)"
    r"\s+due|when\s+(?:do\s+you\s+think\s+)?(?:can|could|will)\s+you\s+(?:have|get|do|finish)|"
    r"when\s+do\s+you\s+think\s+you\s+(?:can|could|will)\s+(?:have|get|do|finish))\b",
    re.IGNORECASE,
)
TAKEN_BACK = re.compile(r"[—–-]\s*(?:actually|no|wait|hang\s+on|sorry|i\s+mean)\b", re.I)
# "Sure. Okay, done.": what was asked was done on the spot, in the meeting.
DONE_NOW = re.compile(
    r"^(?:(?:okay|ok|and|right|there|yep|yeah|all|sure|oh)[\s,.!]+)*(?:done|there\s+you\s+go|"
    r"there\s+we\s+go|all\s+done)[\s.!]*$",
    re.IGNORECASE,
)
# "I'll have the report ready by Monday": finish the report; "…the service booked": book it.
_HAVE = r"^(?:have|get)\s+(?P<obj>(?:the|a|an|my|our|your|their|this|these|those|all\s+the)\s+.+?)"
HAVE_DONE = re.compile(
    _HAVE + r"\s+(?:done|ready|finished|completed|sorted|written|drafted|up)\b(?P<tail>.*)$", re.I
)
HAVE_MADE = re.compile(_HAVE + r"\s+(?P<done>[a-z]+ed)\b(?P<tail>.*)$", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:it|them|that|this|those|these|one)\b", re.IGNORECASE)
# "Send it round", "file them": a task whose object is something named before. Verbs whose
# object is mostly people ("tell them") are not read this way.
POINTS_BACK = re.compile(
    r"^(?!(?:tell|ask|remind|inform|call|ring|phone|text|ping|meet|thank|email|e-mail)\b)"
    r"[\w\-]+\s+(?:it|them|that|this|those|these)\b",
    re.IGNORECASE,
)
# Verbs that only say the speaker takes something on ("take care of", "handle").
LIGHT_VERB = re.compile(
    r"^(?:take(?:\s+care\s+of)?|handle|do|deal\s+with|sort(?:\s+out)?|look\s+after|own|grab|"
    r"pick\s+up|cover)\b",
    re.IGNORECASE,
)
# The thing a commitment is about: its words after the verb ("take care of the permits").
OBJECT = re.compile(
    r"^[\w\-]+(?:\s+(?:care\s+of|out|up|over|on|with|to|of))?\s+(?P<obj>(?:the|a|an|my|our|your|"
    r"their|this|these|those|all|some)\s+.+)$",
    re.IGNORECASE,
)
# "I'll get to the budget in a second": a promise kept in the meeting itself.
IN_A_MOMENT = re.compile(
    r"\bin\s+(?:about\s+|around\s+)?(?:a|one|just\s+a|a\s+few|five|ten|fifteen|twenty|\d+)\s+"
    r"(?:seconds?|secs?|minutes?|mins?|moments?|bit)\b",
    re.I,
)


def _answer(s: Sentence) -> str:
    """An answer's words without its preamble ("Oh, honestly, I'd rather not" → "i'd rather…")."""
    return PREAMBLE.sub("", clean(s.text).lower().lstrip(" ,."))


def _base_of_participle(word: str) -> str | None:
    """ "booked" → "book", "updated" → "update", "planned" → "plan"; None when not a task verb."""
    w = word.lower()
    for base in (w[:-2], w[:-1], w[:-3]):
        if base in VERBS:
            return base
    return None


@dataclass
class ActionItem:
    """One action item and the sentence it is quoted from."""

    owner: str | None
    task: str
    due: dt.date | None
    sentence: Sentence
    confidence: float
    kind: str
    vague: bool = False


@dataclass
class _Absorb:
    item: ActionItem
    speaker: str | None
    first: int  # sentence indexes of the reply turn whose commitment merges into item
    last: int


@dataclass
class ActionFinder:
    """Reads sentences in order and collects action items."""

    sentences: list[Sentence]
    roster: Roster
    meeting_date: dt.date
    time_zone: str
    items: list[ActionItem] = field(default_factory=list)
    absorbs: list[_Absorb] = field(default_factory=list)
    announced_next: int = -1  # a sentence that is the task of the announcement before it

    def __post_init__(self) -> None:
        self.speakers = {s.speaker for s in self.sentences if s.speaker}
        self.closing = closing_start(self.sentences)
        self.topics = Topics(self.sentences, self.roster)

    # -- reading ----------------------------------------------------------------------------

    def scan(self, lo: int = 0, hi: int | None = None) -> list[ActionItem]:
        """Action items said in sentences lo..hi (replies may be read beyond hi)."""
        for i in range(lo, len(self.sentences) if hi is None else hi):
            self._read(i)
        return self.items

    def _read(self, i: int) -> None:
        s = self.sentences[i]
        text = tr.expand(clean(s.text))
        if not text or VAGUE_WISH.search(text) or DEFERRED.search(text):
            return
        if i == self.announced_next:
            return  # the task of "Action item for me." before it, already read
        used: list[
            tuple[int, int]
        ] = []  # start offsets of triggers already read, to read each once
        for reader in (self._announce, self._ownership, self._group, self._request,
                       self._imperative, self._second, self._wrap_up, self._first,
                       self._third):  # fmt: skip
            reader(i, text, used)
        self._follow_up(i, text)
        self._reply_date(i, text)
        self._asked_when(i, text)

    def _asked_when(self, i: int, text: str) -> None:
        """ "When do they need it?" — "…in two weeks.": the owner's latest item is due then."""
        s = self.sentences[i]
        if not WHEN_DUE.search(text):
            return
        item = next((it for it in reversed(self.items)
                     if s.speaker in (it.owner, it.sentence.speaker)
                     and it.sentence.index >= i - FOLLOW_UP_REACH), None)  # fmt: skip
        if item is None or item.due is not None:
            return
        for answer in self.sentences[i + 1 : i + 4]:
            due = find_due(answer.text, self.meeting_date, self.time_zone)
            if due is not None:
                item.due = due.date
                return

    def _date_after_asking(self, i: int, text: str) -> bool:
        """ "Alex, can you get the contractor out? By the first of June, please." / "I'll chase
        their references. I want those back by Wednesday.": the speaker's next sentence, naming
        no task of its own, dates the item (its last date counts: "before October, so let's say
        by the 9th")."""
        s = self.sentences[i]
        if i == 0 or self.sentences[i - 1].speaker != s.speaker:
            return False
        asked = next((it for it in self.items if it.sentence.index == i - 1
                      and it.due is None), None)  # fmt: skip
        if asked is None or any(it.sentence.index == i for it in self.items):
            return False
        latest = re.search(r"\bat\s+the\s+(?:very\s+)?latest\b", text, re.I)
        dues = [d for d in find_dues(text, self.meeting_date, self.time_zone)
                if latest or re.match(rf"\s*{DUE_WORDS}\b", text[d.start : d.end], re.I)]
        if dues:
            asked.due = dues[-1].date
        return bool(dues)

    def _reply_date(self, i: int, text: str) -> None:
        """ "Can do. In two days, okay?": a date in the answer to a request is its due date."""
        s = self.sentences[i]
        for absorb in self.absorbs:
            answering = absorb.speaker == s.speaker and absorb.first <= i <= absorb.last
            if answering and absorb.item.due is None:
                due = find_due(text, self.meeting_date, self.time_zone)
                absorb.item.due = due.date if due else None

    def _follow_up(self, i: int, text: str) -> None:
        """ "I'll have it done by Friday" after a task: the date is that task's due date.

        The task is the latest item of the last few sentences that the speaker owns or asked
        for ("Who can chase the printer?" "I can." "Get it sorted by the 27th.").
        """
        s = self.sentences[i]
        if self._date_after_asking(i, text):
            return
        for m in FOLLOW_UP.finditer(text):
            after = text[m.end() :]
            # "so I'll get it filed by then": the date said before it
            due = find_due(text if re.match(r"\W*\w*\s*by\s+then\b", after, re.I) else after,
                           self.meeting_date, self.time_zone)  # fmt: skip
            if due is None:
                continue
            for item in reversed(self.items):
                if item.sentence.index < i - FOLLOW_UP_REACH:
                    break
                if s.speaker in (item.owner, item.sentence.speaker):
                    item.due = due.date
                    return

    def _taken(self, used: list[tuple[int, int]], start: int, end: int) -> bool:
        """Whether a trigger at `start` lies in words another trigger already read."""
        if any(a <= start < b for a, b in used):
            return True
        used.append((start, end))
        return False

    def _announce(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        alone = tr.ANNOUNCE_ALONE.match(DISCOURSE.sub("", text).strip())
        nxt = self.sentences[i + 1] if i + 1 < len(self.sentences) else None
        if alone and nxt is not None and nxt.speaker == self.sentences[i].speaker:
            # "Action item for me. I update the forecast by the end of the month."
            rest = re.sub(r"^(?:i|we|you)\s+(?:will\s+|shall\s+|am\s+going\s+to\s+)?", "",
                          DISCOURSE.sub("", tr.expand(clean(nxt.text))), flags=re.I)
            who = (alone.group("who") or "").strip()
            owner = nxt.speaker if who.lower() in ("me", "myself") else self.roster.resolve(who)
            self._add(i, rest, owner, 0.85, "announced")
            self.announced_next = i + 1
            return
        m = tr.ANNOUNCE.search(text)
        if not m or self._taken(used, m.start(), len(text)):
            return
        s, rest, owner = self.sentences[i], m.group("rest"), None
        who = (m.group("who") or m.group("owner") or "").strip()
        if who:
            owner = s.speaker if who.lower() in ("me", "myself") else self.roster.resolve(who)
        first = next((fm for _, _, p in tr.FIRST if (fm := p.search(rest))), None)
        named = tr.NAME_TO.match(DISCOURSE.sub("", rest))
        if first:
            owner, rest = owner or s.speaker, first.group("rest")
        elif named and self.roster.resolve(named.group("who")):
            owner, rest = self.roster.resolve(named.group("who")), named.group("rest")
        self._add(i, rest, owner, 0.9, "announced")

    def _ownership(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        m = tr.OWNERSHIP.search(text)
        if not m:
            return
        s = self.sentences[i]
        if any(a.speaker == s.speaker and a.first <= i <= a.last for a in self.absorbs):
            return  # "Can you set up X?" "Yep, leave it with me.": the request is the item
        who = m.groupdict().get("who") or "me"
        owner = s.speaker if who.lower() == "me" else self.roster.resolve(who)
        if owner not in self.roster.names:
            return
        turn = [t for t in self.sentences[i : i + 3] if t.speaker == s.speaker]
        if any(p.search(tr.expand(t.text)) for t in turn for _, _, p in tr.FIRST):
            return  # "That's on me, I'll renew it": the commitment itself is the item
        before = self._previous_other(i)
        if before is not None and HANDED.search(tr.expand(before.text)) and before.index > 0:
            # "New renders, only the reading room. Luca, that's yours.": what was handed over
            earlier = self.sentences[before.index - 1]
            before = earlier if earlier.speaker == before.speaker else before
        if before is None:
            return
        topic = shorten(DISCOURSE.sub("", clean(before.text)), 10)
        self._keep(ActionItem(owner, capitalise(topic), None, s, 0.6, "ownership"))

    def _group(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        m = tr.GROUP_REQUEST.search(text)
        if not m or self._taken(used, m.start(), len(text)):
            return
        reply = self._volunteer(i)
        if reply is None:
            return
        handed = HANDED.search(tr.expand(reply.text))
        named = mentioned(reply.text, self.roster, (reply.speaker,)) if handed else set()
        if len(named) == 1:  # "Yep, that one's yours, Aaliyah."
            named = named.pop()
            self._add(i, m.group("rest"), named, 0.85, "volunteer", reply_from=named)
        else:
            self._add(i, m.group("rest"), reply.speaker, 0.85, "volunteer", reply=reply)

    def _volunteer(self, i: int) -> Sentence | None:
        """Who takes on what was put to the room: the first to accept; "not me" passes it on."""
        asker, declined, went_on = self.sentences[i], set(), 0
        for s in self.sentences[i + 1 : i + 12]:
            if s.start - asker.end > REPLY_WINDOW:
                break
            went_on += s.speaker == asker.speaker
            if went_on > MOVED_ON:
                break
            said = _answer(s)
            if s.speaker == asker.speaker and declined and ACCEPT.match(said):
                return s  # "Somebody has to…" "Not me." "Fine, I'll take that one."
            if s.speaker == asker.speaker or s.speaker in declined:
                continue
            if REFUSE.match(said):
                declined.add(s.speaker)
                continue
            return s if ACCEPT.match(said) else None
        return None

    def _request(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        for kind, confidence, pattern in tr.ASKS:
            m = pattern.search(text)
            if m and not self._taken(used, m.start(), len(text)):
                self._ask(i, text, m.group("rest"), m.start(), confidence, kind)
                return

    def _imperative(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        """ "Tom, send Acme the quote." — an imperative with the person addressed by name."""
        named = vocatives(text, self.roster)
        if not named:
            return
        for piece in re.split(r"[,:;]\s*", text):
            m = tr.IMPERATIVE.match(DISCOURSE.sub("", piece).strip())
            if m and not self._taken(used, text.find(piece), len(text)):
                self._ask(i, text, text[text.find(m.group("rest")) :], text.find(piece), 0.75,
                          "imperative")  # fmt: skip
                return

    def _second(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        for kind, confidence, pattern in tr.YOU:
            for m in pattern.finditer(text):
                if not self._taken(used, m.start(), len(text)):
                    self._ask(i, text, m.group("rest"), m.start(), confidence, kind)

    def _wrap_up(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        """At the close: "you're looking at X", "for frontend, the login page"."""
        if self.sentences[i].start < self.closing:
            return
        m = YOU_NOW.search(text)
        if m and not past_before(text[: m.start()]):
            used.append((m.start(), len(text)))  # never the words of "you will…" read before
            self._ask(i, text, m.group("rest"), m.start(), 0.7, "you_now")
            return
        found = nominal(text, self.roster)
        if found and not self._taken(used, found[2], len(text)):
            member, rest, at = found
            owner = member or self._unnamed_you(i, rest, None)
            self._add(i, f"work on {rest}", owner, 0.75, "nominal")

    def _first(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        s = self.sentences[i]
        for kind, confidence, pattern in tr.FIRST:
            for m in pattern.finditer(text):
                if text.rstrip().endswith("?") and kind in ("let", "can", "must"):
                    continue
                if self._taken(used, m.start(), m.start("rest") + len(clause(m.group("rest")))):
                    continue
                prefix = text[: m.start()]
                if CONDITIONAL.search(prefix) or tr.PAST_REPORT.search(prefix):
                    continue
                if tr.EMBEDDED.search(prefix):
                    continue  # "I don't know what I'm going to write"
                rest, conf = self._soften(m.group("rest"), confidence - self._hedged(prefix))
                if re.search(r"\bjust\b", text[m.start() : m.start("rest") + 6]):
                    conf -= 0.3  # "I'll just show you…": done on the spot, in the meeting
                due = find_due(rest, self.meeting_date, self.time_zone)
                when = due is not None or tr.AFTER_MEETING.search(rest) is not None
                # "I can have the summary done by the 25th": with a date, "I can" commits
                only = (kind in REPLY_ONLY and due is None) or (kind in NEEDS_WHEN and not when)
                handed = delegated_to(rest, self.roster, text, (s.speaker,))
                if handed and re.match(r"(?:get|have|ask)\b", rest, re.I):
                    # "I'll get Kofi to have a look at the boiler": Kofi's task
                    self._add(i, rest[handed[1] :], handed[0], conf, "delegated")
                elif rest:
                    self._add(i, rest, s.speaker, conf, kind, merge_only=only)

    def _third(self, i: int, text: str, used: list[tuple[int, int]]) -> None:
        for m in tr.THIRD_PERSON.finditer(text):
            if self._taken(used, m.start("modal"), m.end("modal")):
                continue
            prefix = text[: m.start()]
            owner = subject_before(prefix, self.roster)
            if owner is None or CONDITIONAL.search(prefix) or text.rstrip().endswith("?"):
                continue
            if KNOWN.search(prefix):
                continue  # "I know Wei has to run to his seminar": what someone must do anyway
            modal = m.group("modal").lower()
            rest = m.group("rest")
            if modal.startswith(("owns", "is responsible", "is in charge", "is handling")):
                rest = "own " + rest
            rest, conf = self._soften(rest, 0.75 if modal in ("will", "is going to") else 0.6)
            if rest:
                self._add(i, rest, owner, conf - self._hedged(prefix), "delegated",
                          reply_from=owner)  # fmt: skip

    # -- owners and replies -----------------------------------------------------------------

    def _ask(self, i: int, text: str, rest: str, at: int, confidence: float, kind: str) -> None:
        """A request or assignment: owned by the one named, else by whoever accepts it."""
        if tr.WH_BEFORE.search(text[:at]) or (kind.startswith("you") and tr.RECEIVE.match(rest)):
            return  # "what can you do…?" asks for ideas; "you'll get instructions" is no task
        if kind == "ifyou" and tr.CONSEQUENCE.search(rest):
            return  # "if you could X then it could Y": a hypothetical, not a request
        owner = addressee(text, self.roster, before=at + 40)
        delegated = delegated_to(rest, self.roster, text, (owner, self.sentences[i].speaker))
        if delegated:
            # "Nina, can you ask Kofi to…": Kofi's task; Nina's "Sure, I'll tell him" is no other
            reply, accepted = self._reply(i, owner)
            if accepted is not False:
                self._add(i, rest[delegated[1] :], delegated[0], confidence + 0.05, "delegated",
                          reply=reply if accepted else None)  # fmt: skip
            return
        if owner is None and kind.startswith("you"):
            owner = trailing_vocative(self.sentences, i, self.roster)
        if kind == "you_must" and owner is None:
            return  # "you have to press F8": generic "you", not an assignment
        reply, accepted = self._reply(i, owner)
        if accepted is False:
            return  # "No, sorry, I can't": refused
        if accepted and self._done_now(reply):
            return  # "Can you shut the window?" "Sure. Okay, done."
        if owner is None and kind.startswith("you") and len(self.speakers) > 2:
            owner = self._unnamed_you(i, rest, reply if accepted else None)
        elif owner is None and reply is not None and accepted:
            owner = reply.speaker
        elif owner is None and len(self.speakers) == 2:
            others = self.speakers - {self.sentences[i].speaker}
            owner, confidence = (next(iter(others)), confidence - 0.1) if others else (None, 0)
        rest, confidence = self._soften(rest, confidence + (0.1 if accepted else 0.0))
        if rest:
            self._add(i, rest, owner, confidence - self._hedged(text[:at]), kind, reply=reply)

    def _reply(self, i: int, owner: str | None = None) -> tuple[Sentence | None, bool | None]:
        """The answer to sentence i (by `owner` when given), and whether it accepts."""
        asker = self.sentences[i]
        went_on = 0  # sentences the asker adds: after a few, a reply answers those instead
        for s in self.sentences[i + 1 : i + 12]:
            if s.start - asker.end > REPLY_WINDOW:
                break
            went_on += s.speaker == asker.speaker
            if went_on > MOVED_ON:
                break
            unknown = s.speaker not in self.roster.names  # an unnamed voice may be the owner
            if s.speaker == asker.speaker or (owner and s.speaker != owner and not unknown):
                continue
            said = _answer(s)
            if REFUSE.match(said) or (not ACCEPT.match(said) and REFUSE_ANY.search(said)):
                return s, False
            echo = len(said.split()) <= 6 and content_words(said) & content_words(asker.text)
            return s, True if ACCEPT.match(said) or echo else None
        return None, None

    def _done_now(self, reply: Sentence | None) -> bool:
        """Whether the answer's turn says it was done there and then ("Okay, done.")."""
        for s in self.sentences[reply.index : reply.index + 3] if reply else []:
            if s.speaker != reply.speaker:
                break
            if DONE_NOW.match(clean(s.text)):
                return True
        return False

    def _unnamed_you(self, i: int, task: str, reply: Sentence | None) -> str | None:
        """Who "you" is in a room of several: who took it on, else who talked about it.

        An answer ("sure, I'll have it Friday") takes it on; what someone has been talking about
        weighs more than a bare "okay"; "mm-hmm" only says "go on".
        """
        kind = reply_kind(reply.text) if reply is not None else "continuer"
        if reply is not None and kind == "answer":
            return reply.speaker
        topical = self.topics.owner_of(task, exclude=self.sentences[i].speaker)
        if topical or kind == "continuer":
            return topical
        return reply.speaker if reply is not None else None

    def _unknown(self, owner: str | None) -> tuple[str | None, ...]:
        """Speaker labels outside the roster: a reply in such a voice may be anyone's."""
        return (
            tuple(sp for sp in self.speakers if sp not in self.roster.names)
            if owner is None
            else ()
        )

    def _own_before(self, i: int) -> tuple[str, bool] | None:
        """What "it" is when the speaker named it earlier in the same turn ("I can take care of
        the permits. I'll file them on the fourth."), and whether they committed to it there.

        The nearest commitment of the last three sentences, else the sentence just before.
        """
        s, turn = self.sentences[i], []
        for before in reversed(self.sentences[max(0, i - 3) : i]):
            if before.speaker != s.speaker or (turn or [s])[-1].start - before.end > 2.0:
                break
            turn.append(before)
        for before in turn:
            said = tr.expand(clean(before.text))
            m = next((fm for _, _, p in tr.FIRST if (fm := p.search(said))), None)
            if m and len(content_words(m.group("rest"))) >= 2:
                return clip_words(clause(m.group("rest")), 8), True
        said = tr.expand(clean(turn[0].text)) if turn else ""
        return (clip_words(said, 8), False) if len(content_words(said)) >= 2 else None

    def _previous_other(self, i: int) -> Sentence | None:
        me = self.sentences[i].speaker
        for s in reversed(self.sentences[max(0, i - 4) : i]):
            if s.speaker != me and len(content_words(s.text)) >= 2:
                return s
        return None

    # -- building items ---------------------------------------------------------------------

    def _soften(self, rest: str, confidence: float) -> tuple[str, float]:
        """The task words with "be …ing", "see if I can", "try to" read; "" when not a task."""
        adverb = r"^be\s+(?:just|also|really|basically|still|actually)\s+"
        rest = re.sub(adverb, "be ", rest.strip(), flags=re.I)
        if re.match(r"^be\s+", rest, re.I):
            after = rest[3:].lstrip()
            if STATE_AFTER_BE.match(after) or not re.match(r"^\w+ing\b", after):
                return "", 0.0
        see = tr.SEE_IF.match(rest)
        if see:
            rest, confidence = see.group("rest"), confidence - 0.2
        elif re.match(r"^see\b", rest, re.I):
            return "", 0.0
        if tr.TRY.match(rest):
            rest, confidence = tr.TRY.sub("", rest), confidence - 0.1
        if IN_A_MOMENT.search(clause(rest)):
            return "", 0.0
        dated = find_due(clause(rest), self.meeting_date, self.time_zone) is not None
        if PROCEDURAL.match(DISCOURSE.sub("", rest)) and not dated:
            return "", 0.0  # "I'll go through the contracts by Monday" is work, not the meeting
        if m := HAVE_DONE.match(rest):
            rest = f"finish {m.group('obj')}{m.group('tail')}"
        elif (m := HAVE_MADE.match(rest)) and (verb := _base_of_participle(m.group("done"))):
            rest = f"{verb} {m.group('obj')}{m.group('tail')}"  # "have the service booked"
        return rest, confidence

    def _hedged(self, text: str) -> float:
        """A hedge just before the trigger; one in a preamble ("I guess, to confirm, …") is not."""
        near = " ".join(text.split()[-6:])
        return 0.25 if HEDGE.search(near) else 0.0

    def _add(self, i: int, rest: str, owner: str | None, confidence: float, kind: str,
             reply: Sentence | None = None, reply_from: str | None = None,
             merge_only: bool = False) -> None:  # fmt: skip
        s = self.sentences[i]
        if BROKEN_OFF.search(clause(clean(rest))) or TAKEN_BACK.search(rest):
            return  # "I'll do some…", "I'll review it once it's— actually, no": not said
        tasks = make_tasks(rest, s.text, self.meeting_date, self.time_zone)
        if not tasks:
            return
        if tasks[0].due is None and re.search(r"\b(?:by|before|until)\s+then\b", rest, re.I):
            # "The vet's coming Thursday. Liam, can you get them weighed before then?"
            for before in reversed(self.sentences[max(0, i - 2) : i]):
                if dues := find_dues(before.text, self.meeting_date, self.time_zone):
                    tasks[0].due = dues[-1].date
                    break
        owner = owner if owner in self.roster.names else None
        if HEDGE.search(rest):  # in a request, "maybe" is mostly politeness
            confidence -= 0.1 if kind in POLITE else 0.25
        dated = any(t.due for t in tasks)  # what is done in the meeting has no due date
        for n, task in enumerate(tasks):
            task.text = self._without_vocative(task.text)
            if PROCEDURAL.match(task.text) and not dated:
                continue
            if (
                n == 0
                and s.speaker in (owner, *self._unknown(owner))
                and self._merge_into_request(i, task)
            ) or merge_only:
                continue
            if not starts_with_verb(task.text):
                continue
            item = self._item(owner, task, s, confidence, kind)
            if item is not None and self._keep(item) and n == 0 and (reply or reply_from):
                # only a kept item takes in its answer: one dropped would swallow the answer's
                # own commitment ("Can you chase the county?" "I'll file a request tonight.")
                self._expect_reply(item, i, reply, reply_from)

    def _without_vocative(self, task: str) -> str:
        """ "Renew the permits, Nina" → "Renew the permits"."""
        m = re.search(r",\s*([^,]{2,30})$", task)
        return task[: m.start()] if m and self.roster.resolve(m.group(1)) else task

    def _item(
        self, owner: str | None, task: Task, s: Sentence, conf: float, kind: str
    ) -> ActionItem | None:
        pointed = task.vague or POINTS_BACK.match(task.text) is not None
        own = self._own_before(s.index) if pointed else None
        if own and own[1]:  # the speaker committed to "it" just before
            thing = OBJECT.match(own[0])
            if thing and LIGHT_VERB.match(own[0]):
                # "I can take care of the permits. I'll file them…" → "File the permits"
                text = PRONOUN.sub(thing.group("obj"), task.text, count=1)
            else:  # "Let me draft a rain plan. I'll send it round by…" → "Draft a rain plan"
                text = capitalise(own[0])
            task = Task(shorten(text), task.due, task.source, False)
        elif task.vague:
            topic = own[0] if own else None
            if topic is None:
                before = self._previous_other(s.index)
                if before is None:
                    return None
                topic = clip_words(clean(before.text), 8)
            task = Task(shorten(f"{task.text} – {topic}"), task.due, task.source, True)
            conf -= 0.05 if own else 0.15  # the speaker's own words name "it" more surely
        conf += 0.05 if task.due else 0.0
        conf -= 0.25 if owner is None else 0.0
        return ActionItem(owner, task.text, task.due, s, round(min(conf, 1.0), 2), kind,
                          task.vague)  # fmt: skip

    def _expect_reply(self, item: ActionItem, i: int, reply: Sentence | None,
                      owner: str | None) -> None:  # fmt: skip
        if reply is None:
            reply = next((s for s in self.sentences[i + 1 : i + 12] if s.speaker == owner
                          and s.start - self.sentences[i].end <= REPLY_WINDOW), None)  # fmt: skip
        if reply is None:
            return
        last = reply.index
        while last + 1 < len(self.sentences) and self.sentences[last + 1].speaker == reply.speaker:
            last += 1
        self.absorbs.append(_Absorb(item, reply.speaker, reply.index, last))

    def _merge_into_request(self, i: int, task: Task) -> bool:
        """A reply's commitment ("Yes, I'll do it by Friday") completes the request it answers."""
        s = self.sentences[i]
        for absorb in self.absorbs:
            if absorb.speaker == s.speaker and absorb.first <= i <= absorb.last:
                if not task.vague:  # "I can do that. I'll write up the checklist.": both merge
                    self.absorbs.remove(absorb)
                item = absorb.item
                item.due = item.due or task.due
                item.owner = item.owner or s.speaker
                if item.vague and not task.vague:
                    item.task, item.sentence, item.vague = task.text, s, False
                item.confidence = round(min(1.0, item.confidence + 0.05), 2)
                return True
        return False

    def _keep(self, item: ActionItem) -> bool:
        least = MIN_CONFIDENCE if item.owner else MIN_CONFIDENCE_UNOWNED
        if item.confidence >= least and content_words(item.task):
            self.items.append(item)
            return True
        return False


def merge_items(items: list[ActionItem], closing: float | None = None) -> list[ActionItem]:
    """One item per owner and task: restatements later in the meeting add only a missing date.

    A task handed out at the close (from `closing`, seconds) that its owner had already named in
    passing is the same item, in the close's words: the hand-out is the clearer statement.
    """
    kept: list[ActionItem] = []
    for item in sorted(items, key=lambda x: (x.sentence.start, x.sentence.index)):
        twin = next((k for k in kept if k.owner == item.owner
                     and similar(k.task, item.task) >= 0.6), None)  # fmt: skip
        handed = closing is not None and item.sentence.start >= closing
        if twin is None and handed and item.vague:
            # "Yep. I'll get on it." at the close acknowledges what its owner already has
            twin = next((k for k in reversed(kept) if k.owner == item.owner), None)
            if twin is not None:
                twin.due = twin.due or item.due
                continue
        restated = twin is None and handed and item.owner is not None
        if restated:
            twin = next((k for k in kept if k.owner == item.owner and k.sentence.start < closing
                         and _said_in(item.task, k.sentence.text)), None)  # fmt: skip
        if twin is None:
            kept.append(item)
            continue
        twin.due = twin.due or item.due
        if restated or (twin.vague and not item.vague) or item.confidence > twin.confidence + 0.2:
            twin.task, twin.sentence, twin.vague = item.task, item.sentence, item.vague
        twin.confidence = max(twin.confidence, item.confidence)
    # "Go on, then, I'll do it. Give me till Friday and I'll have a draft of the rota up.": the
    # task named right after a vague "I'll do it" is the item
    return [k for k in kept if not (k.vague and any(
        o is not k and o.owner == k.owner and not o.vague
        and o.sentence.index > k.sentence.index
        and o.sentence.start - k.sentence.start <= NAMED_AFTER_S for o in kept))]  # fmt: skip


def _said_in(task: str, sentence: str) -> bool:
    """Whether a task's words, but for its verb, were all said in an earlier sentence."""
    named = content_words(" ".join(task.split()[1:]))
    return len(named) >= 2 and named <= content_words(sentence)


def is_vague_task(task: str) -> bool:
    """Whether a task names nothing of substance (for callers polishing the wording)."""
    return is_vague(task)
