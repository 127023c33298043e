"""Decisions: what the group commits to ("we decided…", "let's go with…", "from now on…").

A proposal ("I suggest we…", "shall we…") becomes a decision when someone else agrees in the
next turns. Wishes, deferrals, hypotheticals and undecided matters are not decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import CONDITIONAL, DEFERRED, DISCOURSE, VAGUE_WISH, base_form
from .tasks import CLAUSE_END
from .text import Sentence, capitalise, clean, clip_words, content_words, similar
from .triggers import expand

EXPLICIT = re.compile(
    r"\b(?:we\s+(?:have\s+|had\s+|are\s+)?(?:(?:just|all|already|now|finally|pretty\s+much|"
    r"basically|more\s+or\s+less)\s+)*(?:decided|agreed|settled|concluded|resolved|chose|opted)"
    r"\s*(?:(?:that|on|upon|for|to)\b)?|"
    r"it\s+(?:is|was|has\s+been)\s+(?:decided|agreed|settled)\s*(?:that\b)?|"
    r"(?:the\s+)?(?:company|management|client|board|committee|customer)\s+(?:has\s+|have\s+|is\s+)?"
    r"(?:decided|agreed)\s*(?:(?:that|on|to)\b)?|"
    r"(?:the|our|final)\s+decision\s+(?:is|was)\s*(?:that\b)?|"
    r"(?:^|\b)(?:final\s+(?:call|decision|answer|word)\s*[:\-–,]|(?:decision|decided|agreed|resolved|"
    r"conclusion|that\s+settles\s+it|(?:this|here)\s+is\s+(?:what\s+we\s+are\s+(?:doing|going\s+to\s+do)|"
    r"the\s+plan))"
    r"\s*[:\-–])|"
    r"^(?:(?:one\s+)?(?:more|another|final|last|next|a|the|our)\s+)+decision\s*:)\s*(?P<rest>.*)",
    re.IGNORECASE,
)
CHOICE = re.compile(
    r"\b(?:(?:we\s+(?:will\s+|are\s+going\s+to\s+|are\s+|shall\s+)?(?:just\s+|probably\s+)?|"
    r"let\s+us\s+|let's\s+(?:just\s+)?|so\s+)(?:go|going)\s+(?:with|for)|"
    r"we\s+(?:will\s+|are\s+going\s+to\s+|are\s+)?(?:stick|stay)(?:ing)?\s+with|"
    r"we\s+(?:will|are\s+going\s+to)\s+(?:be\s+)?(?:use|using|adopt|choose|pick|include|"
    r"including|drop|cancel|postpone|switch|offer|charge|launch|ship|sell|selling|target|"
    r"targeting|stop|move|replace|remove|hire|buy|freeze|delay|extend|limit|raise|lower|"
    r"increase|reduce|keep|outsource|retire|replace)\b|"
    r"let's\s+not\s+(?:bother\s+with|use|go\s+with|include|do)|"
    r"let's\s+(?:just\s+)?(?:use|adopt|keep|choose|pick|take|stick\s+with|drop|cancel|postpone|"
    r"switch|add|remove|include|make\s+it|settle\s+on|agree\s+on))\s*(?P<rest>.*)",
    re.IGNORECASE,
)
POLICY = re.compile(
    r"\b(?:from\s+now\s+on|going\s+forward|from\s+today|from\s+here\s+on|as\s+of\s+(?:today|"
    r"now|next\s+\w+)|that\s+is\s+final|final\s+answer|effective\s+(?:immediately|today)|"
    r"no\s+more|(?:from|starting)\s+(?:next\s+(?:week|month|year)|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)\b[\s,]*(?:on\s*,?\s*)?(?=we\s+(?!had\b|were\b|did\b)))\b",
    re.IGNORECASE,
)
PLAN = re.compile(
    r"\b(?:we\s+are\s+(?:planning|aiming|intending)\s+(?:to|for|on)|we\s+(?:aim|plan|intend)\s+to|"
    r"(?:our|the)\s+(?:aim|goal|target|plan|objective)\s+(?:is|will\s+be)\s+(?:to\s+)?)\s*"
    r"(?P<rest>.+)",
    re.IGNORECASE,
)
WE_WILL_NOT = re.compile(
    r"\bwe\s+(?:will\s+not|are\s+not\s+going\s+to|shall\s+not)\s+(?:be\s+)?(?!know\b|"
    r"need\b|have\b|want\b|think\b|see\b|really\b|sure\b|going\b|quite\b|able\b|gonna\b)\w+",
    re.IGNORECASE,
)
PROPOSAL = re.compile(
    r"\b(?:i\s+(?:would\s+)?(?:suggest|propose|recommend)\s+(?:that\s+)?(?:we\s+)?|how\s+about\s+"
    r"(?:we\s+)?|what\s+if\s+we\s+|why\s+do\s+not\s+we\s+|shall\s+we\s+|should\s+we\s+(?:just\s+)?|"
    r"i\s+think\s+we\s+should\s+|we\s+should\s+(?:just\s+)?|let's\s+)(?P<rest>.+)",
    re.IGNORECASE,
)
AGREE = re.compile(
    r"^(?:agreed|i\s+agree|we\s+agree|sounds\s+good|good\s+idea|great\s+idea|yes,?\s+let's|"
    r"let's\s+do\s+(?:that|it)|okay,?\s+let's|ok,?\s+let's|fine\s+by\s+me|deal|that\s+works|"
    r"makes\s+sense|definitely|absolutely|perfect|excellent|fair\s+enough|good\s+call|"
    r"yes,?\s+(?:definitely|absolutely|agreed|exactly|good\s+idea)|exactly|"
    r"that(?:'s|\s+is)\s+(?:fine|good|great|okay|ok|perfect)|works\s+for\s+(?:me|us)|"
    r"fine\s+(?:by|with)\s+(?:me|us)|no\s+objections?|i\s+(?:like|love)\s+(?:that|it|this|"
    r"the\s+idea)|love\s+(?:it|that))\b",
    re.IGNORECASE,
)
YES = re.compile(
    r"^(?:(?:yes|yeah|yep|okay|ok|oh|ooh|ah|wow|um|uh|well|sure|so)\b[\s,.!]*)+", re.I
)
# "Are we all happy with X?": the room asked for its consent; a yes from another settles X.
CONSENT = re.compile(
    r"\b(?:(?:are\s+we\s+(?:all\s+)?|(?:(?:is|are)\s+)?(?:everyone|everybody|you\s+all|all\s+of\s+"
    r"you)\s+)(?:happy|okay|ok|fine|good|comfortable|alright|all\s+right)(?:\s+(?:with|about|on|to))?|"
    r"(?:does|do)\s+(?:everyone|everybody|you\s+all|we\s+all)\s+agree\s+(?:with|on|to))\s+"
    r"(?:the\s+idea\s+of\s+)?(?P<rest>.+)",
    re.IGNORECASE,
)
# The lead settling it after hearing the room: "Right, having heard all that, we'll X."
HEARD = re.compile(
    r"\b(?:having\s+heard\s+(?:all\s+)?(?:that|everyone|you\s+all|both\s+sides)|i\s+have\s+heard\s+"
    r"(?:everyone|you\s+all|all\s+of\s+you|both\s+sides))[\s,.]*(?:and\s+|so\s+)?we\s+(?:will|are\s+"
    r"going\s+to|are)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
# "Then we'll go with the wildflower mix, agreed.": a statement its speaker marks as settled.
TAIL_MARK = re.compile(
    r"^(?P<rest>[^?]+?),\s*(?:agreed|decided|settled|done\s+deal)\s*[.!]*$", re.IGNORECASE
)
# "Okay, I've heard enough." / "I've listened to all of that, and I think Arjun's right.": the
# lead closing the discussion; the "we…" statement that follows in the turn is the decision.
HEARD_ENOUGH = re.compile(
    r"\b(?:i\s+have\s+heard\s+(?:enough|everyone|all\s+of\s+(?:that|you)|both\s+sides)|i\s+have\s+"
    r"listened\s+to\s+(?:all\s+of\s+)?(?:that|everyone|you\s+all|both\s+sides))\b[^.?!]*[.!]?\s*$",
    re.IGNORECASE,
)
# "Right, we'll close at two on Christmas Eve, then.": a conclusion.
WE_THEN = re.compile(
    r"^(?:right|okay|ok|so|alright|fine)?[\s,]*we\s+(?:will|shall|are\s+going\s+to)\s+(?P<rest>.+?),?"
    r"\s+then\s*[.!]*$",
    re.IGNORECASE,
)
# "Any objections to X?": here a "no" agrees.
OBJECTION = re.compile(
    r"\b(?:(?:any|no)\s+objections?\s+to|(?:does|do)\s+(?:anyone|anybody|you)\s+(?:object|mind)"
    r"\s+(?:to|if\s+we))\s+(?:the\s+idea\s+of\s+)?(?P<rest>.+)",
    re.IGNORECASE,
)
NO = re.compile(r"^(?:no|nope|none|not\s+at\s+all|nah)\b(?!\s+(?:way|good|chance))[\s,.!]*", re.I)
# "Okay, the blue one it is.": a choice named, then settled.
IT_IS = re.compile(
    r"(?:^|[,.]\s*)(?P<rest>(?:the|a|an)\s+(?:[\w'\-]+\s+){0,5}?[\w'\-]+)\s+it\s+is\s*(?:[,.!]|$)",
    re.IGNORECASE,
)
# "So, May. Does that work for everyone?": consent to the matter said just before.
CONSENT_TO_THAT = re.compile(
    r"\b(?:(?:does|will|would)\s+(?:that|this|it)\s+work\s+for\s+(?:everyone|everybody|you\s+all|"
    r"all\s+of\s+you|all|both\s+of\s+you|you\s+both|you\s+two)|(?:(?:is|are)\s+)?(?:everyone|everybody|we\s+all|you\s+all)\s+"
    r"(?:happy|okay|ok|fine|good|alright|all\s+right)\s+with\s+(?:that|this|it))\b",
    re.IGNORECASE,
)
# A sentence that only marks what its speaker says next to it as decided ("…. Decided.",
# "Okay, decided then. X.", "X. That's how we're doing it."). "Done." marks a decision only
# once the room has agreed ("Fine by me." "Done. X."): otherwise it reports finished work.
MARKER = re.compile(
    r"^(?P<word>decided|agreed|settled|done|(?:so\s+)?we\s+(?:have\s+)?(?:agreed|decided)|"
    r"(?:the\s+)?(?:final\s+(?:decision|call|answer)|decision)|"
    r"that\s+is\s+(?:decided|settled|agreed|the\s+plan|"
    r"how\s+we\s+are\s+(?:doing|going\s+to\s+do)\s+it|what\s+we\s+are\s+(?:doing|going\s+to\s+do))|"
    r"that\s+is\s+that)(?:\s+then)?[\s.!]*$",
    re.IGNORECASE,
)
# "…if we can", "…if possible": a proposal kept open, not settled.
OPEN_TAIL = re.compile(
    r"\bif\s+(?:we|i|you|they)\s+(?:can|could)\b|\bif\s+possible\b|"
    r"\bif\s+(?:we|there)\s+(?:have|is)\s+(?:the\s+)?(?:time|budget|money)\b",
    re.IGNORECASE,
)
# "…how we should price it": a proposal inside a question, not one put to the room.
WH_PROPOSAL = re.compile(r"\b(?:how|what|where|when|which|whether|why)\s*$", re.IGNORECASE)
# "We won't add that feature": the matter is named elsewhere, the decision says nothing alone.
VAGUE_MATTER = re.compile(
    r"^(?:[\w']+\s+){0,3}(?:(?:that|this|those|these)(?:\s+[\w']+)?|it|them)$", re.IGNORECASE
)
NOT_DECIDED = re.compile(
    r"\b(?:not|never|yet|if|whether|unless|before|until|when|need\s+to|have\s+to|should|could|"
    r"might|maybe|perhaps)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
IN_MEETING = re.compile(
    r"^(?:(?:let's|just|maybe|now|quickly|first)\s+)*(?:start|begin|move\s+on|meet|see|talk|discuss|keep\s+(?:that|this|it)\s+in\s+mind|"
    r"keep\s+(?:this|it|things|the\s+meeting)\s+(?:short|tight|brief|quick|moving|simple)|"
    r"take\s+a\s+break|wrap|get\s+(?:started|going|on)|go\s+(?:to|through|over|back|around|"
    r"on|ahead)|have\s+a\s+look|look\s+at|think|hear|continue|recap|try|park|table|come\s+back|"
    r"say\s+(?:hello|hi|goodbye|thanks)|not\s+worry|leave\s+(?:it|that)|plug|unplug|pass|hand|"
    r"introduce|do\s+(?:a|the)\s+(?:round|intro))\b",
    re.IGNORECASE,
)
EARLIER = re.compile(
    r"^(?:in|at|during)?\s*(?:the\s+|our\s+)?(?:last|previous|first)\s+(?:meeting|time|week|"
    r"session)\s*,?\s*",
    re.IGNORECASE,
)
AFTER_CUE = re.compile(
    r"^(?:(?:to|that|on|upon|we|we\s+will|we\s+are\s+going\s+to)\b|\s)+", re.IGNORECASE
)
# A decision of an earlier meeting, recalled: not one taken in this meeting.
RECALLED = re.compile(
    r"\b(?:(?:last|previous|earlier|first)\s+(?:meeting|session|call)|last\s+time|"
    r"we\s+had\s+(?:already\s+)?(?:decided|agreed|settled))\b",
    re.IGNORECASE,
)
RECAP_REACH = 6  # sentences back a recap of the last meeting carries ("what we decided…")
RECAP_SECONDS = 30.0
# "the method that we're going to use…", "what we're going to do is…": a clause describing
# something, not a choice made.
RELATIVE = re.compile(r"\b(?:that|which|what|how|where|whatever|the\s+way)\s*$", re.IGNORECASE)
TAG = re.compile(r"[\s,]+(?:yeah|yes|right|okay|ok|no|isn't\s+it|don't\s+we|ja)\s*[?.!]*$", re.I)
ROOM_REPLIES = 3  # answers read to a question put to the room
REFUSE_START = re.compile(r"^(?:no|nope|not|i\s+(?:don't|do\s+not|can't|cannot|disagree))\b", re.I)
MOVED_ON_WORDS = 15  # words the proposer adds before a reply answers those instead
RESTART_WORDS = 3  # a restatement with a first try's first content words replaces it
RESTART_WINDOW = 120.0  # seconds


@dataclass
class Decision:
    """A decision and the sentence it is quoted from."""

    text: str
    sentence: Sentence
    strength: float


def _phrase(rest: str, verb: str = "") -> str:
    """The decided matter as a short phrase: up to the clause end, at most 25 words."""
    rest = AFTER_CUE.sub("", EARLIER.sub("", rest.strip()))
    end = CLAUSE_END.search(rest)
    text = rest[: end.start()] if end and len(rest[: end.start()].split()) >= 3 else rest
    text = TAG.sub("", f"{verb} {text}".strip(" ,.;:"))
    return capitalise(clip_words(text.strip(" ,.;:"), 25)).rstrip(" ,.;:?!")


def _agreed(
    sentences: list[Sentence], i: int, strict: bool = False, objection: bool = False,
    room: bool = False,
) -> bool:
    """Whether someone other than the proposer agrees within the next few sentences.

    After "any objections to X?" a "no" agrees. When the proposer goes on to something else
    at length ("Okay, quick recap: …"), a "sounds good" answers that instead.
    """
    who, went_on, heard = sentences[i].speaker, 0, 0
    for s in sentences[i + 1 : i + 5]:
        if s.start - sentences[i].end > 45:
            return False
        if s.speaker == who:
            went_on += len(s.text.split())
            if went_on > MOVED_ON_WORDS:
                return False
            continue
        said = clean(s.text)
        if objection and not _agreement(said) and (m := NO.match(said)):
            rest = said[m.end() :]  # "No." "None from me." "No, that's fine with me."
            return not re.search(r"\b(?:but|though|however|actually|concern|worried)\b", rest, re.I)
        if _agreement(s.text, strict):
            return True
        if not room or REFUSE_START.match(said) or (heard := heard + 1) >= ROOM_REPLIES:
            return False  # asked of the room, a conditional "as long as…, yes" lets others answer
    return False


def _agreement(text: str, strict: bool = False) -> bool:
    """Whether a reply agrees ("Yes, fine by me."); a bare "yeah" only when not `strict`."""
    said = clean(text)
    short = len(said.split()) <= 12 and not re.search(r"\bnot\b|n't\b", said)
    if any(AGREE.match(t) for t in (said, YES.sub("", said), DISCOURSE.sub("", said) or said)):
        return True
    if short and AGREE.search(said):
        return True
    plain = re.match(r"^(?:yes|yeah|yep|okay|ok|sure|right)(?:,?\s*please)?[\s,.!]*$", said, re.I)
    return bool(plain) and not strict


def _approved_before(sentences: list[Sentence], i: int) -> bool:
    """ "What about a raffle?" "Ooh, I like that." "Yeah, let's do a raffle.": the room (or the
    speaker, answering another's idea: "Two vans. Yeah, I like that. Let's do two vans.")
    approved the idea just before the speaker settles it."""
    for before in reversed(sentences[max(0, i - 3) : i]):
        if _agreement(before.text, strict=True):
            return True
        if before.speaker != sentences[i].speaker:
            return False  # only the turn's own sentences and the one reply before it count
    return False


def _base_first(rest: str) -> str:
    """ "moving the stand-up to ten" → "move the stand-up to ten"."""
    first = rest.split()[0] if rest.split() else ""
    return base_form(first) + rest[len(first) :] if first.lower().endswith("ing") else rest


def _recalled(sentences: list[Sentence], i: int) -> bool:
    """Whether sentence i recalls an earlier meeting, or continues its speaker's recap of one."""
    if RECALLED.search(sentences[i].text):
        return True
    me = sentences[i]
    for before in reversed(sentences[max(0, i - RECAP_REACH) : i]):
        if before.speaker != me.speaker:
            if len(before.text.split()) > 3:
                return False  # someone else took the floor: the recap is over
            continue
        if me.start - before.start > RECAP_SECONDS:
            return False
        if RECALLED.search(before.text):
            return True
    return False


def _same_turn(sentences: list[Sentence], i: int, j: int) -> Sentence | None:
    """Sentence j when its speaker says it in the same turn as sentence i."""
    if not 0 <= j < len(sentences) or sentences[j].speaker != sentences[i].speaker:
        return None
    return sentences[j] if abs(sentences[j].start - sentences[i].start) <= 30 else None


def _statement(s: Sentence | None, strength: float) -> Decision | None:
    """The sentence as a decision, when it states something (no question, no wish)."""
    if s is None:
        return None
    text = DISCOURSE.sub("", expand(clean(s.text)))
    proposed = PROPOSAL.search(text)
    if proposed:  # "So what if we turn X into Y? Does that work for everyone?"
        text = proposed.group("rest")
    elif s.text.rstrip().endswith("?"):
        return None
    if len(content_words(text)) < 2 or VAGUE_WISH.search(text) or CONDITIONAL.search(text):
        return None
    return Decision(_phrase(text), s, strength)


def _marked(sentences: list[Sentence], i: int, word: str) -> Decision | None:
    """What a marker sentence ("Decided.", "Done.") marks: its turn's sentence before it, or,
    said first in a turn, the one after it."""
    opens_turn = i == 0 or sentences[i - 1].speaker != sentences[i].speaker
    if not opens_turn:
        return _statement(_same_turn(sentences, i, i - 1), 0.85)
    if word == "agreed":
        return None  # "Agreed. I'll book the room.": agreeing with someone else's proposal
    if word == "done" and not (i > 0 and _agreement(sentences[i - 1].text, strict=True)):
        return None  # "Done. I sent them this morning.": finished work, reported
    return _statement(_same_turn(sentences, i, i + 1), 0.85)


def _read(sentences: list[Sentence], i: int) -> Decision | None:
    s = sentences[i]
    text = expand(clean(s.text))
    if m := MARKER.match(DISCOURSE.sub("", text)):
        return _marked(sentences, i, m.group("word").lower())
    if len(content_words(text)) < 1 or DEFERRED.search(text) or VAGUE_WISH.search(text):
        return None
    if _recalled(sentences, i):
        return None
    if CONSENT_TO_THAT.search(text) and _agreed(sentences, i, strict=True, room=True):
        return _statement(_same_turn(sentences, i, i - 1), 0.8)
    m = EXPLICIT.search(text)
    if (
        m
        and not NOT_DECIDED.search(text[: m.start()])
        and not CONDITIONAL.search(text[: m.start()])
    ):
        rest = m.group("rest")
        # "the parts we've decided on, so that…": what was decided comes before, as a noun
        if len(content_words(rest)) >= 2 and not rest.startswith(","):
            return Decision(_phrase(rest), s, 0.9)
    m = CHOICE.search(text)
    if m and not NOT_DECIDED.search(text[: m.start()]) and not RELATIVE.search(text[: m.start()]):
        cue = m.group(0)[: len(m.group(0)) - len(m.group("rest"))]
        verb = re.sub(r"^.*?\b(?:let's|let us|we\s+\w+(?:\s+going\s+to)?|so)\s+(?:just\s+)?", "",
                      cue.strip(), flags=re.IGNORECASE)  # fmt: skip
        said = f"{verb} {m.group('rest')}"
        if not IN_MEETING.match(said) and len(content_words(m.group("rest"))) >= 1:
            return Decision(_phrase(m.group("rest"), verb), s, 0.8)
    if POLICY.search(text) and not CONDITIONAL.search(text):
        if len(content_words(POLICY.sub("", text))) >= 2:
            return Decision(_phrase(DISCOURSE.sub("", text)), s, 0.8)
        before = sentences[i - 1] if i > 0 and sentences[i - 1].speaker == s.speaker else None
        if before is not None:  # "That is final." confirms what was just said
            return Decision(_phrase(DISCOURSE.sub("", expand(clean(before.text)))), before, 0.8)
    m = PLAN.search(text)
    plan = m and not NOT_DECIDED.search(text[: m.start()]) and not text.rstrip().endswith("?")
    if m and plan and len(content_words(m.group("rest"))) >= 2:
        return Decision(_phrase(m.group("rest")), s, 0.6)
    m = WE_WILL_NOT.search(text)
    if m and not CONDITIONAL.search(text[: m.start()]) and not text.rstrip().endswith("?"):
        return Decision(_phrase(text[m.start() :]), s, 0.65)
    m = TAIL_MARK.match(DISCOURSE.sub("", text))
    if m and len(content_words(m.group("rest"))) >= 2 and not CONDITIONAL.search(m.group("rest")):
        return Decision(_phrase(m.group("rest")), s, 0.85)  # "X, agreed."
    if HEARD_ENOUGH.search(text) and not HEARD.search(text):
        after = _same_turn(sentences, i, i + 1)
        said = expand(after.text) if after is not None else ""
        if re.match(r"^\W*we\s+(?:will|are|shall)\b", said, re.IGNORECASE):
            return _statement(after, 0.85)
    m = WE_THEN.match(text)
    if m and len(content_words(m.group("rest"))) >= 2 and not CONDITIONAL.search(m.group("rest")):
        return Decision(_phrase(m.group("rest")), s, 0.8)
    m = HEARD.search(text)
    if m and len(content_words(m.group("rest"))) >= 2:
        return Decision(_phrase(m.group("rest")), s, 0.85)
    m = OBJECTION.search(text)
    if m and len(content_words(_phrase(m.group("rest")))) >= 2:
        if _agreed(sentences, i, objection=True, room=True):
            return Decision(_phrase(_base_first(m.group("rest"))), s, 0.8)
        return None
    m = IT_IS.search(text)
    if m and not text.rstrip().endswith("?") and len(content_words(m.group("rest"))) >= 2:
        return Decision(_phrase(m.group("rest")), s, 0.8)
    m = CONSENT.search(text)
    if m and len(content_words(_phrase(m.group("rest")))) >= 2 and _agreed(sentences, i, room=True):
        return Decision(_phrase(_base_first(m.group("rest"))), s, 0.8)
    m = PROPOSAL.search(text)
    if (
        m
        and not CONDITIONAL.search(text[: m.start()])
        and not WH_PROPOSAL.search(text[: m.start()])
        and not OPEN_TAIL.search(m.group("rest"))
        and not m.group("rest").rstrip().endswith(("—", "-", "…"))  # broken off
        and not IN_MEETING.match(m.group("rest"))
        and len(content_words(m.group("rest"))) >= 2
        and (
            _agreed(sentences, i, strict=m.group(0).lower().startswith("let"),
                    room=text.rstrip().endswith("?"))
            or (m.group(0).lower().startswith("let") and _approved_before(sentences, i))
        )
    ):
        return Decision(_phrase(m.group("rest")), s, 0.75)
    return None


def find_decisions(sentences: list[Sentence], lo: int = 0, hi: int | None = None) -> list[Decision]:
    """Decisions said in sentences lo..hi, in order."""
    found = []
    for i in range(lo, len(sentences) if hi is None else hi):
        decision = _read(sentences, i)
        if (
            decision is not None
            and len(content_words(decision.text)) >= 2
            and not VAGUE_MATTER.match(decision.text)
        ):
            found.append(decision)
    return found


def merge_decisions(decisions: list[Decision]) -> list[Decision]:
    """One entry per decision: a restatement keeps the first, clearest wording."""
    kept: list[Decision] = []
    for d in sorted(decisions, key=lambda x: (x.sentence.start, x.sentence.index)):
        restart = next((k for k in kept if _restarts(k, d)), None)
        twin = restart or next((k for k in kept if similar(k.text, d.text) >= 0.6), None)
        if twin is None:
            kept.append(d)
        elif restart is not None or d.strength > twin.strength:
            twin.text, twin.sentence = d.text, d.sentence
            twin.strength = max(twin.strength, d.strength)
    return kept


def _content_sequence(text: str) -> list[str]:
    return [w for w in text.lower().split() if content_words(w)]


def _restarts(earlier: Decision, later: Decision) -> bool:
    """ "Sell the lamps for, hang on…" then "Sell the lamps for forty dollars": one decision."""
    if not 0 <= later.sentence.start - earlier.sentence.start <= RESTART_WINDOW:
        return False
    a, b = _content_sequence(earlier.text), _content_sequence(later.text)
    if len(a) >= RESTART_WORDS and a[:RESTART_WORDS] == b[:RESTART_WORDS] and a != b:
        return True
    broken = earlier.text.lower().split(",")[0].split()  # the words before an interruption
    words = later.text.lower().split()
    return (
        "," in earlier.text
        and len(broken) >= RESTART_WORDS
        and (words[: len(broken)] == broken and len(words) > len(broken))
    )
