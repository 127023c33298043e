"""Answers from the team's passages only: extraction carries the answer, the model may reword it.

1. The closest passages are found (`retrieval.knowledge_search`).
2. Nothing relevant (tuned thresholds) → "I don't know", with no citation.
   Nor when the sentence cannot be the kind of answer the question asks for: a "who" question
   needs a name or a role the question does not already hold, "when" a date or time, "how
   many / how much / how long" a quantity (`fits_question`).
3. The best supporting sentence of the top passages is the answer, cited [1].
4. The team's text model may restate it in one sentence; the restatement is kept only when
   every number and nearly every word it uses is in the passage or the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .ai import generate
from .models import Team
from .retrieval import Hit, Support, best_support, content_words, knowledge_search
from .slots import slot_config
from .team_models import prompt_text

DONT_KNOW = "I don't know: nothing in the team's documents or meetings answers that."
# Tuned on the fixture's "tune" half (python -m bench.kb_eval --tune); see bench/results/kb.md.
MIN_PASSAGE_SCORE = 0.2
MIN_SENTENCE_SCORE = 0.5
MIN_OVERLAP = 0.0
MIN_FOCUS = 0.3
MAX_MODEL_TOKENS = 48


@dataclass
class Answer:
    text: str
    known: bool
    citations: list[dict] = field(default_factory=list)
    reworded: bool = False
    scores: dict = field(default_factory=dict)


def citation(hit: Hit, number: int, sentence: str) -> dict:
    """What the page and the command line show for one cited passage."""
    chunk, source = hit.chunk, hit.chunk.source
    if source.url and chunk.start is not None:
        url = f"{source.url}#t={chunk.start:.1f}"
    else:
        url = f"/team/knowledge/passages/{chunk.pk}/"
    return {"n": number, "title": source.title, "kind": source.kind, "url": url,
            "chunk": chunk.pk, "source": source.pk, "start": chunk.start,
            "passage": chunk.text, "quote": sentence, "score": round(hit.score, 3)}


def relevant(support: Support | None, thresholds: dict | None = None) -> bool:
    """Whether the best sentence is close enough to the question to answer from it."""
    if support is None:
        return False
    t = {"passage": MIN_PASSAGE_SCORE, "sentence": MIN_SENTENCE_SCORE, "overlap": MIN_OVERLAP,
         "focus": MIN_FOCUS, **(thresholds or {})}
    return (support.hit.score >= t["passage"] and support.similarity >= t["sentence"]
            and support.overlap >= t["overlap"] and support.focus >= t["focus"])


_MONTHS = ("january february march april may june july august september october november "
           "december monday tuesday wednesday thursday friday saturday sunday ")
_WHEN_WORDS = set((_MONTHS + """day days week weeks month months year years quarter morning
    afternoon evening night noon midnight before after until by during within daily weekly
    monthly yearly annually today tomorrow yesterday first second third last next end start
    beginning""").split())
_NUMBER_WORDS = set("""one two three four five six seven eight nine ten eleven twelve fifteen
    twenty thirty forty fifty hundred thousand million half quarter dozen once twice every
    each daily weekly monthly yearly annually single double none no all unlimited""".split())  # noqa: SIM905
_ROLE_WORDS = set("""manager managers lead leads officer director head owner owners team teams
    engineer engineers administrator admin department desk hr finance legal security support
    ceo cfo cto coo founder founders chair committee board""".split())  # noqa: SIM905
_NOT_NAMES = set("""the a an our your their this that these those it its in on at for to of by
    with and or but if when we you they he she i all every each""".split())  # noqa: SIM905


def question_kind(question: str) -> str | None:
    """"who", "when" or "quantity" for the questions whose answers have a checkable shape."""
    q = question.lower().strip()
    if re.match(r"(who|whom|whose)\b", q):
        return "who"
    if re.match(r"(when|by when|until when|since when|what time|at what time|by what time|"
                r"what date|on what date|in which year|which year|what year|by which year)\b", q):
        return "when"
    if re.match(r"how (many|much|long|often|large|big|old|far|quickly|soon|frequently)\b", q):
        return "quantity"
    return None


def fits_question(question: str, sentence: str) -> bool:
    """Whether the sentence holds the kind of thing the question asks for (see `question_kind`).

    Questions of other shapes always fit: the retrieval thresholds decide those.
    """
    kind = question_kind(question)
    if kind is None:
        return True
    words = re.findall(r"[\w'-]+", sentence)
    lower = [w.lower() for w in words]
    has_number = any(any(c.isdigit() for c in w) for w in words)
    if kind == "quantity":
        return has_number or any(w in _NUMBER_WORDS for w in lower)
    if kind == "when":
        return has_number or any(w in _WHEN_WORDS for w in lower)
    asked = {w.lower() for w in re.findall(r"[\w'-]+", question)}
    new_name = any(w[0].isupper() and w.lower() not in asked and w.lower() not in _NOT_NAMES
                   for w in words)
    new_role = any(w in _ROLE_WORDS and w not in asked for w in lower)
    return new_name or new_role


def answer_question(*, team: Team, question: str, use_model: bool = True,
                    on_text: Callable[[str], None] | None = None,
                    thresholds: dict | None = None) -> Answer:
    """Answer from the team's knowledge base; `on_text(text so far)` is called while writing."""
    question = " ".join(question.split())[:1000]
    hits = knowledge_search(team=team, question=question, k=5)
    support = best_support(team=team, question=question, hits=hits)
    scores = {"passage": hits[0].score if hits else 0.0,
              "sentence": support.similarity if support else 0.0,
              "overlap": support.overlap if support else 0.0,
              "focus": support.focus if support else 0.0}
    if not relevant(support, thresholds) or not fits_question(question, support.sentence):
        return Answer(DONT_KNOW, False, [], scores=scores)
    extracted = f"{support.sentence} [1]"
    cited = [citation(support.hit, 1, support.sentence)]
    if on_text is not None:
        on_text(extracted)
    if not use_model:
        return Answer(extracted, True, cited, scores=scores)
    reworded = model_restate(team=team, question=question, sentence=support.sentence,
                             passage=support.hit.chunk.text, on_text=on_text)
    if reworded is None:
        if on_text is not None:
            on_text(extracted)
        return Answer(extracted, True, cited, scores=scores)
    text = f"{reworded} [1]\n\n“{support.sentence}”"
    return Answer(text, True, cited, reworded=True, scores=scores)


def model_restate(*, team: Team, question: str, sentence: str, passage: str,
                  on_text: Callable[[str], None] | None = None) -> str | None:
    """The model's one-sentence answer, or None when it says anything the passage does not."""
    config = slot_config(team=team, kind="text")
    prompt = prompt_text(team=team, key="assistant_answer").format(passage=sentence,
                                                                   question=question)
    written = ""
    for piece in generate(config, [{"role": "user", "content": prompt}],
                          max_new_tokens=MAX_MODEL_TOKENS, stop=["\n"],
                          repetition_penalty=1.2):
        written += piece
        if on_text is not None:
            on_text(written.strip())
    restated = first_sentence(written)
    return restated if supported(restated, passage, question) else None


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text).strip()


def supported(claim: str, passage: str, question: str) -> bool:
    """Every number, and at least 90 % of the content words, of the claim are in the sources."""
    if not claim or len(claim) > 300:
        return False
    known = content_words(f"{passage} {question}")
    words = content_words(claim)
    numbers = set(re.findall(r"\d+(?:[.,:]\d+)?", claim))
    if any(n not in passage and n not in question for n in numbers):
        return False
    if not words:
        return False
    return len(words & known) / len(words) >= 0.9
