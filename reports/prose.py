"""The model's small part: one opening and one closing sentence, streamed as they come.

`DraftWriter(plan, generate)` walks the plan: code's text is emitted at once, each gap is
filled by the model piece by piece while every finished word is checked; a sentence that
fails (or runs out of time, or is stopped) is replaced by the stock sentence. The events are
("append", text) and ("reset", whole text so far), so a reader can mirror the draft exactly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import layouts as L
from .checks import SENTENCE_END, ProseCheck, sentences
from .compose import Plan

log = logging.getLogger(__name__)
# generate(prompt, max_new_tokens, stop_event) → the model's pieces
Generate = Callable[[str, int, threading.Event | None], Iterator[str]]
Event = tuple[str, str]
MAX_TOKENS = {"opening": 28, "closing": 20}
MODEL_BUDGET_S = 6.0  # the model's share of the eight seconds a whole email may take

# Three examples of the same kind: a small model copies the shape it is shown.
EXAMPLES = {
    L.FOLLOWUP: (
        ('follow-up after the meeting "Budget review"',
         "Thanks for joining the budget review; here is a quick recap of what we agreed.",
         "Let me know if I missed anything or got a detail wrong."),
        ('follow-up after the meeting "Design critique"',
         "Thank you for attending the design critique; the notes and next steps follow.",
         "Please tell me if any of the action items need correcting."),
        ('follow-up after the meeting "Release planning"',
         "Here is a recap of the release planning session.", "Reply if anything looks off."),
    ),
    L.EMAIL: (
        ('about "the new office layout"',
         "I am writing to share the plans for the new office layout.",
         "Please let me know if you have any questions about the plans."),
        ('about "the customer survey"',
         "I wanted to give you a quick update on the customer survey.",
         "Let me know what you think."),
        ('about "the server upgrade"', "A quick note on the server upgrade.",
         "Shout if anything is unclear."),
    ),
    L.REPLY: (
        ('reply to "Server maintenance window"',
         "Thanks for the heads-up about the maintenance window.", "Shout if anything changes."),
        ('reply to "Question about the report"',
         "Thanks for your question about the report.", "Hope that helps."),
        ('reply to "Contract renewal"',
         "Thank you for your message about the contract renewal.",
         "Please let me know if you need anything further."),
    ),
    L.DAILY_REPORT: (
        ("my daily report to my manager", "Here is where things stand on my side.",
         "Let me know if anything needs my attention."),
        ("my daily report to my manager", "Please find my update below.",
         "I am happy to go through any of it."),
        ("my daily report to my manager", "Here is my update.", "Questions welcome."),
    ),
    L.FEEDBACK: (
        ("feedback to a colleague on their recent work",
         "I wanted to share some thoughts on your recent work.",
         "Happy to talk this through whenever suits you."),
        ("feedback to a colleague on their recent work",
         "I would like to give you some feedback on how things have gone recently.",
         "Let me know when you would like to discuss it."),
        ("feedback to a colleague on their recent work",
         "A few notes on your recent work.", "Happy to discuss."),
    ),
}
HEADER = "Opening and closing lines of work emails, one plain sentence each.\n\n"
# The first words of the opening, chosen by code: they keep the sentence on its topic.
STEMS = {
    L.FOLLOWUP: {L.FORMAL: "Thank you for attending the", L.FRIENDLY: "Thanks for joining the",
                 L.BRIEF: "Here is a recap of the"},
    L.EMAIL: {L.FORMAL: "I am writing", L.FRIENDLY: "I wanted to", L.BRIEF: "A quick note"},
    L.REPLY: {L.FORMAL: "Thank you for", L.FRIENDLY: "Thanks for", L.BRIEF: "Thanks for"},
    L.DAILY_REPORT: {L.FORMAL: "Please find my", L.FRIENDLY: "Here is my",
                     L.BRIEF: "My update"},
    L.FEEDBACK: {L.FORMAL: "I would like to", L.FRIENDLY: "I wanted to", L.BRIEF: "A few"},
}
ALLOWED: dict[str, tuple[str, ...]] = {}  # words a kind may use beyond its facts


@dataclass
class Outcome:
    """How one gap was filled: by the model, or by the stock sentence and why."""

    slot: str
    source: str  # "model" or "stock"
    reason: str = ""
    seconds: float = 0.0


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _ModelText:
    """One generation for the whole draft, read line by line: "Opening: …", "Closing: …".

    One prompt instead of two halves the time the model spends reading its prompt, which is
    most of the wait for its first word on two cores."""

    def __init__(self, pieces: Iterator[str], label: str) -> None:
        self.pieces = pieces
        self.buffer = ""
        self.label: str | None = label  # the line the stream is in, if any

    def close(self) -> None:
        """End the generation now (it joins the model's thread)."""
        close = getattr(self.pieces, "close", None)
        if close:
            close()

    def _more(self) -> bool:
        try:
            self.buffer += next(self.pieces)
        except StopIteration:
            return False
        return True

    def _next_line(self) -> bool:
        """Move past the line the stream is in and the next line's label, if it has one
        (a small model writes "Closing:", "Close:" or nothing at all)."""
        if self.label is not None:
            while "\n" not in self.buffer:
                if not self._more():
                    return False
            self.buffer = self.buffer.split("\n", 1)[1]
        while True:
            self.buffer = self.buffer.lstrip("\n")
            word = len(self.buffer) - len(self.buffer.lstrip(_LETTERS))
            if word < len(self.buffer):
                if self.buffer[word] == ":" and 2 <= word <= 12:
                    self.buffer = self.buffer[word + 1:]
                return True
            if not self._more():
                return bool(self.buffer)

    def line(self, slot: str) -> Iterator[str]:
        """The pieces of this slot's line as they come, up to its end."""
        if self.label != slot:
            if not self._next_line():
                return
            self.label = slot
        while True:
            if "\n" in self.buffer:
                head, self.buffer = self.buffer.split("\n", 1)
                self.label = None
                if head:
                    yield head
                return
            if self.buffer:
                piece, self.buffer = self.buffer, ""
                yield piece
            elif not self._more():
                return


@dataclass
class DraftWriter:
    plan: Plan
    generate: Generate | None
    stop: threading.Event | None = None
    budget_s: float = MODEL_BUDGET_S
    clock: Callable[[], float] = time.monotonic
    text: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    _model: _ModelText | None = None
    _halt: threading.Event = field(default_factory=threading.Event)

    def __iter__(self) -> Iterator[Event]:
        deadline = self.clock() + self.budget_s
        # The model never runs past the budget, even while it reads its prompt.
        timer = threading.Timer(self.budget_s, self._halt.set)
        timer.daemon = True
        timer.start()
        try:
            for index, part in enumerate(self.plan.parts):
                if not part.is_prose:
                    yield from self._append(part.text)
                    continue
                reason = self._why_not_model(deadline)
                if reason:
                    self.outcomes.append(Outcome(part.slot, "stock", reason))
                    yield from self._append(part.text)
                    continue
                yield from self._model_part(index, deadline)
        finally:
            timer.cancel()
            self._halt.set()
            if self._model is not None:
                self._model.close()

    def _why_not_model(self, deadline: float) -> str:
        if self.generate is None:
            return "no model"
        if self.stop is not None and self.stop.is_set():
            return "stopped"
        return "out of time" if self.clock() >= deadline else ""

    def _append(self, text: str) -> Iterator[Event]:
        if text:
            self.text += text
            yield ("append", text)

    def _lines(self, slot: str, stem: str) -> _ModelText:
        if self._model is None:
            shots = "".join(f"Email: {what}\nOpening: {opening}\nClosing: {closing}\n\n"
                            for what, opening, closing in EXAMPLES[self.plan.kind])
            prompt = f"{HEADER}{shots}Email: {self.plan.topic}\n"
            prompt += f"Opening: {stem}".rstrip() if slot == "opening" else "Closing:"
            tokens = sum(MAX_TOKENS[p.slot] for p in self.plan.parts if p.is_prose) + 4
            self._model = _ModelText(self.generate(prompt, tokens, self._halt), slot)
        return self._model

    def _model_part(self, index: int, deadline: float) -> Iterator[Event]:
        part = self.plan.parts[index]
        started, before = self.clock(), self.text
        later = "".join(p.text for p in self.plan.parts[index + 1:] if not p.is_prose)
        check = ProseCheck(self.plan.given, earlier=sentences(before + "\n" + later),
                           allowed=ALLOWED.get(self.plan.kind, ()))
        first = self._model is None
        stem = STEMS[self.plan.kind][self.plan.tone] if part.slot == "opening" and first else ""
        yield from self._append(stem)
        written, problem = stem, ""
        try:
            for piece in self._lines(part.slot, stem).line(part.slot):
                grown = written + piece if written else piece.lstrip()
                if end := SENTENCE_END.search(grown):
                    grown = grown[: end.end()]
                yield from self._append(grown[len(written):])
                written = grown
                if self.stop is not None and self.stop.is_set():
                    problem = "stopped"
                elif self.clock() >= deadline:
                    problem = "out of time"
                else:
                    problem = check.partial_problem(written) if written else ""
                if problem or end:
                    break
        except Exception as exc:  # a model that fails to load or run: the stock sentence
            log.warning("the model failed on the %s: %s", part.slot, exc)
            problem, self.generate = f"the model failed ({exc})", None
        if problem in ("stopped", "out of time") or not any(
                p.is_prose for p in self.plan.parts[index + 1:]):
            self._halt.set()
        topic = self.plan.about if part.slot == "opening" else ""
        sentence, problem = ("", problem) if problem else check.sentence(written, topic=topic)
        seconds = self.clock() - started
        if problem:
            self.outcomes.append(Outcome(part.slot, "stock", problem, seconds))
            sentence = part.text
        else:
            self.outcomes.append(Outcome(part.slot, "model", "", seconds))
        if self.text != before + sentence:
            self.text = before + sentence
            yield ("reset", self.text)


def write_all(plan: Plan, generate: Generate | None, **options) -> tuple[str, list[Outcome]]:
    """The whole draft at once (the command line and the benchmark's template-only column)."""
    writer = DraftWriter(plan, generate, **options)
    for _ in writer:
        pass
    return writer.text, writer.outcomes


def model_generate(config: Any) -> Generate:
    """The team's text model as a Generate: greedy, no repeated 3-grams, one email's lines."""
    from assistant.ai import generate

    def run(prompt: str, max_new_tokens: int, stop_event: threading.Event | None):
        return generate(config, prompt, max_new_tokens=max_new_tokens,
                        stop=["\n\n", "\nEmail:"],
                        repetition_penalty=1.1, no_repeat_ngram_size=3, stop_event=stop_event)

    return run
