"""Checks on the model's prose: one plain sentence, nothing invented, nothing repeated.

The model only writes an opening and a closing sentence; the facts are code's. So its
sentence may use the words of the facts and a small vocabulary of email phrasing, and nothing
else: an unknown word may be a name, a product, a claim. A name, a date or a number it was not
given, a placeholder, a repeat, a sign-off or an unfinished sentence fails the check, and the
draft keeps its stock sentence instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:/]*\d|\d")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
PLACEHOLDER = re.compile(r"[\[\]{}<>_@#|*]|https?:|www\.|\.\.\.|…")
MIN_WORDS, MAX_WORDS = 3, 28


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _set("""
a an the and or but if so to of in on at for with about from by as into onto over under than
then that this these those there here it its it's is are was were be been being am do does did
done have has had having i i'm i'd i'll i've me my mine we we're we'll we've we'd us our ours
you you're you'll you've you'd your yours they them their he she him her his hers what which who
whom whose how when where why all any anything everything everyone everybody each both some
something more most much many very just also too not no nor can could will would shall should
may might must let let's please up out off down below above again still yet now only own same
such well back soon there's that's what's here's one's other others another every per via
""")

# Phrasing an email's opening or closing may use without it being given.
EMAIL_WORDS = _set("""
thank thanks grateful appreciate appreciated joining join joined attending attend
attended taking take took time recap summary summarise summarize notes note points point quick
quickly short brief agreed agree discussed discuss discussion covered cover decided decide next
step steps share sharing shared follow following followed follow-up know questions question
missed miss wrong detail details happy glad help helpful talk reach contact hesitate reply
feedback thoughts thought update updates writing write wrote wanted want hope hoping look
looking forward hearing hear feel free message email mail note getting get touch
work working team progress thing things regarding concerning input support supporting meeting
meetings day report reporting recent recently keep kept posted loop need needs needed
attention change changes correct incorrect clarify confirm confirmed add added sure fine
kind kindly patience together plan plans find found attached below outline outlined summarised
summarized highlights main key list listed items item action actions latest current status
everything's anything's whenever suits suit convenience convenient earliest best chat catch
drop line reaching reached response respond responding answer answers useful worth mention
mentioned hope hopefully clear clearer heads-up heads remind reminder overview matter matters
issue issues concern concerns comment comments suggestion suggestions idea ideas welcome
further unclear helps looks think tell give giving stand go going through gone session end
side where things see possible possibly require required provide information available
availability assist assistance anytime clarification send sending sent ask asking asked
way proceed
""")

NUMBER_WORDS = _set("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred thousand million billion first second third fourth fifth sixth seventh eighth ninth
tenth once twice half dozen couple few several
""")
DATE_WORDS = _set("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec today tomorrow yesterday tonight weekend week
weeks month months year years quarter morning afternoon evening noon midnight daily weekly
monthly yearly annual
""") - {"may", "march", "sun", "sat", "mar"}  # verbs and nouns first; checked below
SIGNOFF = re.compile(r"^(best|kind regards|regards|sincerely|cheers|thanks,|thank you,|yours)",
                     re.I)
GREETING = re.compile(r"^(hi|hello|dear|hey|good (morning|afternoon|evening))\b", re.I)


def stem(word: str) -> str:
    """A word's rough root, so "joined" is given when the facts say "join"."""
    w = word.lower().replace("’", "'").strip("'-")
    w = re.sub(r"'s$", "", w)
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def words(text: str) -> list[str]:
    return WORD.findall(text)


def _number_key(token: str) -> str:
    return token.replace(",", "").rstrip(".")


class ProseCheck:
    """Judges one model sentence against the facts it was given and the draft around it."""

    def __init__(self, given: str, *, earlier: Iterable[str] = (),
                 allowed: Iterable[str] = ()) -> None:
        tokens = words(given)
        tokens += [piece for t in tokens if "-" in t for piece in t.split("-") if piece]
        self.given_exact = {t.lower() for t in tokens}
        self.given_stems = {stem(t) for t in tokens}
        self.numbers = {_number_key(t) for t in tokens if t[0].isdigit()}
        self.allowed = {a.lower() for a in allowed}
        self.earlier = [s for s in (_norm(e) for e in earlier) if s]

    def word_problem(self, word: str, *, initial: bool) -> str:
        """Why this word may not stand in the model's sentence ("" when it may)."""
        low = word.lower().replace("’", "'")
        if word[0].isdigit():
            known = _number_key(word) in self.numbers
            return "" if known else f"a number it was not given ({word})"
        if low in self.allowed:
            return ""
        if low in NUMBER_WORDS and low not in self.given_exact:
            return f"a number it was not given ({word})"
        if (low in DATE_WORDS or (low in {"may", "march"} and word[0].isupper())) \
                and low not in self.given_exact:
            return f"a date it was not given ({word})"
        given = low in self.given_exact or stem(word) in self.given_stems
        if word[0].isupper() and not initial and low not in ("i", "i'm", "i'd", "i'll", "i've"):
            return "" if given else f"a name it was not given ({word})"
        if low in STOPWORDS or low in EMAIL_WORDS or stem(word) in _EMAIL_STEMS or given:
            return ""
        return f"a word the facts do not support ({word})"

    def partial_problem(self, text: str) -> str:
        """A problem already visible in unfinished text (the last word may still grow)."""
        if m := PLACEHOLDER.search(text):
            return f"a placeholder or markup ({m.group(0)})"
        done = text if text[-1:].isspace() or text[-1:] in ".,;:!?" else text.rsplit(" ", 1)[0]
        return self._words_problem(done)

    def _words_problem(self, text: str) -> str:
        initial = True
        for match in re.finditer(r"[.!?]\s+|" + WORD.pattern, text):
            token = match.group(0)
            if token[0] in ".!?":
                initial = True
                continue
            if problem := self.word_problem(token, initial=initial):
                return problem
            initial = False
        return ""

    def sentence(self, text: str, *, topic: str = "") -> tuple[str, str]:
        """(the sentence to use, "") or ("", why it cannot be used). With a topic, the
        sentence has to name it (an opening says what the email is about)."""
        text = " ".join(text.split())
        end = SENTENCE_END.search(text)
        if not end:
            return "", "an unfinished sentence"
        sentence = text[: end.end()]
        if m := PLACEHOLDER.search(sentence):
            return "", f"a placeholder or markup ({m.group(0)})"
        if SIGNOFF.match(sentence) or GREETING.match(sentence):
            return "", "a greeting or sign-off, which code writes"
        count = len(words(sentence))
        if not MIN_WORDS <= count <= MAX_WORDS:
            return "", f"{count} words (a sentence of {MIN_WORDS}–{MAX_WORDS} is wanted)"
        if problem := self._words_problem(sentence):
            return "", problem
        if _repeats_itself(sentence):
            return "", "words repeated within the sentence"
        if any(_similar(_norm(sentence), e) for e in self.earlier):
            return "", "a sentence the draft already has"
        if topic and not _topic_stems(topic) & {stem(w) for w in words(sentence)}:
            return "", "an opening that does not say what it is about"
        return sentence, ""


_EMAIL_STEMS = frozenset(stem(w) for w in EMAIL_WORDS)


def _topic_stems(topic: str) -> set[str]:
    return {stem(w) for w in words(topic) if w.lower() not in STOPWORDS and len(w) > 2}


def _norm(sentence: str) -> str:
    return " ".join(w.lower() for w in words(sentence))


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    sa, sb = set(a.split()), set(b.split())
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= 0.8


def _repeats_itself(sentence: str) -> bool:
    tokens = _norm(sentence).split()
    grams = [tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)]
    return len(grams) != len(set(grams))


def sentences(text: str) -> list[str]:
    """The sentences of a draft: each line, split at sentence ends (for the repeat check)."""
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-• ").strip()
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return out


def repeated_sentences(text: str) -> list[str]:
    """Sentences that appear twice in a draft (after normalising case and punctuation)."""
    seen: set[str] = set()
    repeats = []
    for s in sentences(text):
        key = _norm(s)
        if len(key.split()) >= 3 and key in seen:
            repeats.append(s)
        seen.add(key)
    return repeats
