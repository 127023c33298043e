"""Words and phrases the extractors share: task verbs, in-meeting acts, replies, hedges."""

from __future__ import annotations

import re

from .text import wordset

# Base forms of verbs that start a task ("send the report"); used to split "X and Y" into two
# tasks and to recognise an imperative after a name ("Tom, send Acme the quote").
VERBS = wordset(
    """
    add adjust analyse analyze answer approve arrange ask assemble assess assign audit back
    book bring build buy calculate call cancel change chase check choose circulate clarify
    clean close collect compare compile complete configure confirm consider consult contact
    coordinate copy cost cover create deal debug decide define deliver demo deploy describe
    design develop document double-check download draft drive drop edit email e-mail enter
    escalate estimate evaluate examine expand explore export file fill finalise finalize
    find finish fix follow forward gather get give handle help hire implement import improve
    include increase inform install interview investigate invite invoice issue keep label
    launch lead list load locate log look mail make manage map measure meet merge message
    migrate mock model monitor move negotiate note notify offer onboard order organise
    organize own pay phone pick plan post prepare present price print prioritise prioritize
    produce program programme propose prototype provide publish pull purchase push put raise
    reach read rebook recheck record redesign reduce refactor refresh register reinstall
    release remind remove renew repair replace reply report request research reschedule
    reserve reset resolve restart restore return review revise rewrite ring run save
    schedule research search send set settle share ship sign sketch sort source speak
    specify start study submit summarise summarize supply survey swap take talk test text
    think tidy track train transfer translate type update upgrade upload use validate verify
    visit watch work write patch rerun retest rebuild reconcile refund remit draw grab fetch
    tweak polish proofread sanity-check scope rework back-up backup ping chase nudge loop
    escalate brief debrief shortlist outline
    """
)
# What people do inside the meeting itself: not action items ("let me share my screen").
PROCEDURAL = re.compile(
    r"^(?:just\s+)?(?:share\s+(?:my|the|your)\s+screen|show\s+(?:you|us|everyone)|present\b|"
    r"go\s+(?:through|over|back|on|ahead|round|around|first|next)|start\s+(?:with|off|by)|"
    r"begin|move\s+on|skip|pass\s+(?:it|this|that|you|over)|hand\s+(?:it\s+)?over|"
    r"stop\s+sharing|explain|tell\s+(?:me|you|us|everyone)|(?:talk|speak)\s+(?:a\s+(?:little\s+)?bit\s+)?(?:about|you|through)|start\s+again|say\b|"
    r"introduce|recap|read\s+(?:out|through|this|that)|scroll|switch\s+(?:to|over)|open\s+up|"
    r"wrap\s+(?:up|this)|finish\s+(?:up|this|off)|hear\b|see\b|notice|repeat|clarify|mute|"
    r"unmute|speak\s+up|sit\b|think\b(?!\s+about\s+(?!it\b|that\b|this\b))|guess|write\s+(?:that|this|it)\s+down|note\s+(?:that|"
    r"this|it)|come\s+back\s+to|pull\s+up|(?:bring|pull)\s+(?:it\s+|that\s+|this\s+)?up|put\s+(?:it|this)\s+on\s+the\s+screen|"
    r"have\s+a\s+look\s+(?:at\s+)?(?:this|that|here)|look\s+at\s+(?:this|that|here|the\s+"
    r"screen)|get\s+(?:this|that|it)\s+(?:up|going|started)|find\s+(?:it|that)\b|"
    r"let\s+you\s+know|love|like\b|enjoy|sum\s+up|summari[sz]e\s+(?:this|that|what)|"
    r"draw\b|leave\s+(?:it|that)\s+there|stop\b|turn\s+(?:it|this)|plug|unplug|click|"
    r"check\s+(?:if|whether|that)\s+(?:we|everyone|you)|ask\s+(?:you|a\s+question)|"
    r"scoot|jump\s+in|carry\s+on|keep\s+going|continue\b|get\s+back\s+to|remember\b|"
    r"imagine\b|believe\b|check\s+(?:we|everyone|you)\b|come\s+(?:to|on\s+to)\s+(?:that|this|it)|"
    r"do\s+(?:the|a|my)\s+(?:presentation|intro|introduction)|put\s+(?:it|this|that)\s+up|"
    r"(?:be|get)\s+(?:going|back)\b|get\s+to\s+(?:that|this|it|them)\b|"
    r"(?:review|go\s+over|go\s+through|read|recap)\s+(?:the\s+)?(?:minutes|agenda|notes)\s+"
    r"(?:of|from)\s+(?:the\s+|our\s+)?(?:last|previous)\b|describe\b|cover\b|run\s+through|walk\s+(?:you\s+|us\s+)?"
    r"through|give\s+(?:you|us)\b|do\s+(?:an|the)\s+(?:opening|intro)|take\s+(?:each|them|you)\b|"
    r"go\s+into|start\s+(?:at|from)|load\s+(?:it\s+|this\s+|that\s+)?up|"
    r"erase|rub\b|wipe\s+(?:the\s+)?(?:board|whiteboard)|copy\s+(?:this|that|it)\s+down|"
    r"take\s+(?:that|it)\s+back|(?:paste|post|drop|put|share|type|stick)\s+(?:it|this|that|them|the\s+"
    r"\w+)\s+(?:in|into|on)\s+(?:the\s+)?(?:chat|screen|whiteboard|board))",
    re.IGNORECASE,
)
ACCEPT = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok|okay|o\.k\.|will do|no problem|of course|course|absolutely|"
    r"certainly|fine|sounds good|on it|can do|definitely|alright|all right|right|got it|"
    r"understood|consider it done|i'?ll|i will|i can|i'm on it|i am on it|happy to|no worries|"
    r"roger|done|i'd be happy|makes sense|agreed|good|great|cool|mm-?hmm|uh-huh|me|that'?s me|"
    r"put me down|count me in)\b",
    re.IGNORECASE,
)
REFUSE = re.compile(
    r"^(?:no\b(?![\s,]+(?:problem|worries|sweat|bother)\b)|nope|sorry|i can'?t|i cannot|"
    r"i won'?t|not me|i don'?t think|unfortunately|i'?m afraid (?:i|not)\b|"
    r"i'?m not sure|not really|i'?d rather not|i'?d prefer not|i would (?:rather|prefer) not|"
    r"i don'?t have time|not (?:this|that|on that) (?:time|week|day|night|month|one|weekend|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)",
    re.IGNORECASE,
)
# Said anywhere in a short answer that does not start by accepting: a refusal.
REFUSE_ANY = re.compile(
    r"\bi\s+(?:really\s+|just\s+|honestly\s+)?(?:can'?t|cannot|won'?t\s+be\s+able)\b|"
    r"\bi'?m\s+afraid\b|\bi'?d\s+(?:rather|prefer)\s+not\b",
    re.IGNORECASE,
)
# Said before a reply's answer: "Oh, honestly, I'd rather not", "Ooh, no, I can't".
PREAMBLE = re.compile(
    r"^(?:(?:oh|ooh|ah|ahh|aw|um|uh|er|erm|hmm|well|honestly|actually|gosh|look|listen|hey)\b"
    r"[\s,.!]*)+",
    re.IGNORECASE,
)
# Before a commitment these make it hypothetical: not an action item.
CONDITIONAL = re.compile(
    r"\b(?:if|unless|in case|suppose|supposing|hypothetically|otherwise|or else)\b", re.I
)
HEDGE = re.compile(
    r"\b(?:maybe|perhaps|probably|possibly|might|hopefully|i hope|i guess|i suppose|"
    r"ideally|at some point|someday|some day|one day|eventually|no rush|in the future|"
    r"sometime|if possible)\b",
    re.IGNORECASE,
)
VAGUE_WISH = re.compile(
    r"\b(?:it would be (?:nice|good|great|cool)|it'd be (?:nice|good|great)|would be nice|"
    r"i wish|we could|we might|could maybe|maybe we (?:could|should)|at some point|someday|"
    r"some day|one day)\b",
    re.IGNORECASE,
)
DEFERRED = re.compile(
    r"\b(?:let'?s\s+(?:park|table|shelve|parking|revisit|leave)|park\s+(?:that|this|it)|"
    r"come back to (?:that|this|it)|keep (?:that|this|it) in mind|take (?:that|this|it) "
    r"offline|parking lot|(?:discuss|decide|look at) (?:that|this|it) (?:later|next time)|"
    r"we'?ll see|let'?s\s+(?:pick\s+(?:[\w'\-]+\s+){0,3}up|come\s+back\s+to|circle\s+back\s+to|"
    r"get\s+back\s+to|return\s+to|revisit|discuss|talk\s+about|look\s+at)\b[^.?!]*?\b"
    r"(?:next\s+time|later|next\s+(?:week|month|meeting)|(?:at|in)\s+the\s+next\s+meeting|"
    r"another\s+time))\b",
    re.IGNORECASE,
)
UNCERTAIN = re.compile(
    r"\b(?:i don'?t know|not sure|no idea|good question|we'?ll see|(?:we'?ll|i'?ll|let me) "
    r"(?:check|find out|look into|get back)|come back to|don'?t know yet|not yet|unclear|"
    r"depends|nobody knows|no one knows|tbd|to be (?:decided|determined|confirmed)|let'?s "
    r"(?:park|move on|table)|good point)\b",
    re.IGNORECASE,
)
DISCOURSE = re.compile(
    r"^(?:(?:okay|ok|so|and|um|uh|erm|right|well|great|good|alright|all right|then|also|now|"
    r"yes|yeah|yep|sure|thanks|thank you|perfect|cool|oh|but|hmm|mm|fine|lovely|next)\b[\s,.!]*)+",
    re.IGNORECASE,
)
STATE_AFTER_BE = re.compile(
    r"^(?:on\s+(?:holiday|leave|vacation|call)|out|away|off|back|there|here|late|happy|fine|"
    r"around|in\s+the\s+office|available|busy|able|glad|sure|ok|okay|good|done|ready|free|"
    r"the\s+one|a\s+bit|very|quite|really|fine|in\s+touch)\b",
    re.IGNORECASE,
)


def base_form(verb: str) -> str:
    """A verb's base form from its -ing form (looking → look, making → make, running → run)."""
    v = verb.lower()
    if not v.endswith("ing") or len(v) < 5:
        return v
    stem = v[:-3]
    if stem in VERBS:
        return stem
    if stem + "e" in VERBS:
        return stem + "e"
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz" and stem[:-1] in VERBS:
        return stem[:-1]
    return stem if stem[-1] not in "aeiou" or stem.endswith(("o", "e")) else stem


def is_verb(word: str) -> bool:
    """Whether a word is a base-form task verb (or looks like one: -ise, -ize, -ify)."""
    w = word.lower()
    return w in VERBS or (len(w) > 5 and w.endswith(("ise", "ize", "ify")))
