"""Optional: the team's small text model rewrites a task more cleanly, and code checks it.

A 135M-parameter model cannot be trusted with facts, so it only rephrases: its answer is kept
when it parses as a short imperative whose every content word was said in the quoted sentence
(or is in the deterministic task), and it keeps at least half the task's content words.
Anything else, or any error, leaves the deterministic task as it was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from .actions import ActionItem
from .tasks import TASK_LIMIT, first_verb_ok
from .text import capitalise, content_words, words

Generate = Callable[..., str]
log = logging.getLogger(__name__)
SYSTEM = (
    "You turn one sentence from a meeting into a short task. Reply with the task only: an "
    "imperative verb phrase of at most 10 words, without the person's name or the date."
)
PREFIX = re.compile(r"^\s*(?:[-*•]|\d+[.)]|task\s*:|action(?:\s+item)?\s*:)\s*", re.IGNORECASE)
MAX_CALLS = 60


def _messages(item: ActionItem) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Sentence: {item.sentence.text}\nTask:"},
    ]


def _supported(word: str, said: set[str]) -> bool:
    """A word counts as said when it or a close inflection of it was ("renewal"/"renew")."""
    if word in said:
        return True
    stem = word[:5] if len(word) > 5 else word
    return len(stem) >= 4 and any(s.startswith(stem) for s in said)


def checked_task(answer: str, item: ActionItem) -> str | None:
    """The model's task when it is short, an imperative, and supported by what was said."""
    lines = [ln for ln in (answer or "").strip().splitlines() if ln.strip()]
    if not lines:
        return None
    text = PREFIX.sub("", lines[0]).strip().strip("\"'“”").rstrip(".!").strip()
    if not text or len(text.split()) > TASK_LIMIT or len(lines) > 2:
        return None
    said = set(words(item.sentence.text)) | set(words(item.task))
    proposed = content_words(text)
    if not proposed or not all(_supported(w, said) for w in proposed):
        return None
    kept = content_words(item.task) & proposed
    if len(kept) < 0.5 * len(content_words(item.task)) or not first_verb_ok(text):
        return None
    return capitalise(text)


def polish_tasks(items: list[ActionItem], generate: Generate | None) -> None:
    """Let the model reword each task; keep a rewording only when it passes the checks."""
    if generate is None:
        return
    for item in items[:MAX_CALLS]:
        try:
            answer = generate(_messages(item), max_new_tokens=24, stop=["\n\n"])
        except Exception as exc:  # the deterministic task stands; the model is optional
            log.warning("Task rewording failed, keeping the extracted task: %s", exc)
            return
        better = checked_task(str(answer), item) if isinstance(answer, str) else None
        if better:
            item.task = better
