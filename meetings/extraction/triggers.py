"""The spoken forms of a commitment, a request, a delegation or an announced action item."""

from __future__ import annotations

import re

from .lexicon import VERBS

_VERB = "|".join(sorted(VERBS, key=len, reverse=True))
CONTRACTIONS = [
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "cannot"), (r"\b(\w+)n't\b", r"\1 not"),
    (r"(\w)'ll\b", r"\1 will"), (r"\b(i|we|you|they)'ve\b", r"\1 have"),
    (r"(\w)'re\b", r"\1 are"), (r"\b(i)'m\b", r"\1 am"), (r"(\w)'d\b", r"\1 would"),
    (r"\b(he|she|it|that|who|what)'s\b", r"\1 is"), (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"), (r"\bgotta\b", "got to"), (r"(\w)'s\s+(going|gonna)", r"\1 is \2"),
    (r"’", "'"),
]  # fmt: skip

# Each: (kind, base confidence, pattern). The pattern's "rest" group is where the task begins.
FIRST_PERSON = [
    ("will", 0.8, r"\bi\s+(?:will|shall)\s+(?!not\b|never\b)(?:also\s+|just\s+|then\s+)?"
                  r"(?P<rest>.+)"),
    ("going", 0.8, r"\bi\s+am\s+going\s+to\s+(?P<rest>.+)"),
    ("happy", 0.75, r"\bi(?:\s+would|\s+am)\s+(?:be\s+)?(?:happy|glad)\s+to\s+(?P<rest>.+)"),
    ("let", 0.65, r"\blet\s+me\s+(?!know\b)(?P<rest>.+)"),
    ("can", 0.55, rf"\bi\s+can\s+(?P<rest>(?:take|do|handle|look|send|have|{_VERB})\b.+)"),
    ("must", 0.5, r"\bi\s+(?:need|have|must|have\s+got|got)\s+to\s+(?P<rest>.+)"),
]  # fmt: skip
REQUEST = [
    ("ask", 0.75, r"\b(?:can|could|will)\s+you(?:\s+(?:please|also|maybe|just|quickly|"
                  r"possibly|kindly|all|guys|two|then|both))*\s+(?P<rest>.+)"),
    ("would", 0.75, r"\bwould\s+you(?:\s+(?:all|guys|two|three|both|also))?\s+(?:please|kindly|"
                    r"mind|be\s+able\s+to)\s+(?P<rest>.+)"),
    ("would", 0.7, rf"\bwould\s+you(?:\s+(?:also|maybe|just|please))*\s+(?P<rest>(?:{_VERB})\b.+)"),
    ("want", 0.75, r"\bi\s+(?:would\s+like|want|need)\s+you\s+to\s+(?P<rest>.+)"),
    ("ask", 0.7, r"\bare\s+you\s+(?:alright|all\s+right|okay|ok|able|happy|free|good)\s+to\s+"
                 r"(?P<rest>.+)"),
    ("ifyou", 0.7, r"\bif\s+you\s+could\s+(?:please\s+|maybe\s+|just\s+|also\s+)*(?P<rest>.+)"),
    ("please", 0.75, r"\bplease\s+(?:also\s+|just\s+|could\s+you\s+)?(?P<rest>(?!(?:the|a|an|i|"
                     r"we|you|it|this|that|be|note|not|do\s+not|let|thank|thanks|sir|guys|"
                     r"everyone|all)\b)[a-z][\w\-]+\b.+)"),
]  # fmt: skip
SECOND_PERSON = [
    ("you", 0.75, r"\byou\s+(?:will|are\s+going\s+to)\s+(?!not\b|never\b)(?P<rest>.+)"),
    ("you_must", 0.65, r"\byou\s+(?:need\s+to|have\s+to|must|will\s+need\s+to|should)\s+"
                       r"(?P<rest>.+)"),
]  # fmt: skip
GROUP_REQUEST = re.compile(
    r"\b(?:who\s+(?:can|could|will|wants\s+to|is\s+able\s+to)|(?:can|could)\s+(?:someone|"
    r"somebody|anyone|anybody)|(?:does|would)\s+(?:anyone|anybody|someone)\s+(?:want|like|"
    r"mind)\s+to|we\s+need\s+(?:someone|somebody|a\s+volunteer)\s+to|(?:is\s+)?(?:anyone|"
    r"anybody)\s+(?:able|willing|free)\s+to|any\s+volunteers?\s+to|(?:is\s+)?(?:anyone|anybody)\s+"
    r"up\s+for|(?:someone|somebody)\s+"
    r"(?:has|needs|will\s+have|will\s+need)\s+to)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
THIRD_PERSON = re.compile(
    r"(?:^|\s)(?P<modal>will|is\s+going\s+to|are\s+going\s+to|going\s+to|is\s+to|needs\s+to|"
    r"has\s+to|"
    r"should|can|owns|is\s+responsible\s+for|is\s+in\s+charge\s+of|is\s+handling|is\s+taking)"
    r"\s+(?=(?P<rest>.+))",
    re.IGNORECASE,
)
ANNOUNCE = re.compile(
    r"\b(?:action\s+items?|to-?dos?|next\s+steps?|actions?(?=\s+for\b)|"
    r"(?:the\s+)?owner\s+(?:for|of)\s+(?:this|that|it)\s+is(?=\s+[^:,.]{1,40}?\s*[:\-–]))"
    r"(?:\s+(?:for|on)\s+(?P<who>[^:,.]{1,40}?)|\s+(?P<owner>[^:,.]{1,40}?)(?=\s*[:\-–]))?"
    r"\s*(?:[:\-–]|,|\bis\s+(?:to|that|for)\b|\bwould\s+be\b)\s*(?P<rest>.+)",
    re.IGNORECASE,
)
# "Action item for me." said alone (a colon heard as a full stop): the next sentence is the task.
ANNOUNCE_ALONE = re.compile(
    r"^(?:(?:one\s+)?(?:more|another|last|final)\s+)?(?:action\s+items?|to-?dos?|next\s+steps?|"
    r"actions?)(?:\s+(?:for|on)\s+(?P<who>[^.,:;!?]{1,40}?))?\s*[.!]?$",
    re.IGNORECASE,
)
NAME_TO = re.compile(r"^(?P<who>(?:[\w'\-]+\s+){0,2}?[\w'\-]+)\s+(?:to|will|should|is\s+to)\s+"
                     r"(?P<rest>.+)", re.IGNORECASE)  # fmt: skip
OWNERSHIP = re.compile(
    r"\b(?:that\s+is|this\s+is|it\s+is)\s+(?:on|with)\s+(?P<who>me|[\w\-]+)\s*[.,!]|"
    r"\bleave\s+(?:it|that|this)\s+(?:with|to)\s+me\b",
    re.IGNORECASE,
)
PAST_REPORT = re.compile(
    r"\b(?:said|told\s+\w+|thought|promised|mentioned|was|were|had|did|said\s+that)\s*(?:that\s+)?$",
    re.IGNORECASE,
)
SEE_IF = re.compile(r"^see\s+(?:if|whether)\s+(?:i|we)\s+can\s+(?P<rest>.+)", re.IGNORECASE)
TRY = re.compile(r"^(?:try|attempt)\s+(?:to|and)\s+", re.IGNORECASE)
# "I don't know what I'm going to…": an embedded question, not a commitment.
EMBEDDED = re.compile(
    r"\b(?:know|sure|idea|wonder(?:ing)?|decided?|clear|remember|tell\s+\w+|ask(?:ing)?|"
    r"see|think\s+about)\s+(?:what|how|where|when|which|whether|if|why)\s+$",
    re.IGNORECASE,
)
# After "if you could X": a consequence makes it a hypothetical ("…then it could remind people").
CONSEQUENCE = re.compile(
    r"\b(?:then\s+(?:it|that|we|you|they|people)|(?:it|that|this)\s+(?:would|could|might|will)|"
    r"we\s+(?:would|could|might))\b",
    re.IGNORECASE,
)
WH_BEFORE = re.compile(r"\b(?:what|how|why|where|when|which|who)\s+(?:\w+\s+)?$", re.IGNORECASE)
AFTER_MEETING = re.compile(
    r"\b(?:after\s+(?:the|this)\s+(?:meeting|call)|afterwards|later\s+(?:today|on|this)|offline|"
    r"before\s+(?:the\s+)?next\s+(?:meeting|time|call)|by\s+next\s+(?:meeting|time)|for\s+(?:the\s+)?"
    r"next\s+(?:meeting|time))\b",
    re.IGNORECASE,
)
RECEIVE = re.compile(
    r"^(?:get|have|receive|see|find|notice|hear|understand|reali[sz]e|know|love|like|need|want|"
    r"be\s+(?:getting|receiving|hearing|seeing))\b",
    re.IGNORECASE,
)
IMPERATIVE = re.compile(rf"^(?:please\s+)?(?P<rest>(?:{_VERB})\b.+)", re.IGNORECASE)


def expand(text: str) -> str:
    """Contractions spelt out, so one pattern covers "I'll" and "I will"."""
    for old, new in CONTRACTIONS:
        text = re.sub(old, new, text, flags=re.IGNORECASE)
    return text


def compiled(table: list[tuple[str, float, str]]) -> list[tuple[str, float, re.Pattern[str]]]:
    return [(k, c, re.compile(p, re.IGNORECASE)) for k, c, p in table]


FIRST = compiled(FIRST_PERSON)
ASKS = compiled(REQUEST)
YOU = compiled(SECOND_PERSON)
