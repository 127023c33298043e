"""The minutes of a meeting from its transcript: the deterministic extractors, merged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .actions import ActionFinder, ActionItem, merge_items
from .decisions import Decision, find_decisions, merge_decisions
from .polish import polish_tasks
from .questions import find_open_questions, merge_questions
from .roster import Roster
from .summary import summarise, title_of
from .text import Sentence, quote_around, to_sentences, words

# Long meetings are read in pieces of this many sentences; a piece may look ahead into the next
# for replies, and items found in every piece are merged (restatements become one item).
PIECE = 300
# A long meeting yields about one action item, and one decision, per this many minutes: its
# likeliest items are kept (handed out at the close, or with a date, before undated remarks from
# the middle), and its firmest decisions.
MINUTES_PER_ITEM = 8.0
LONG_MEETING = 10.0  # minutes


def _anchor(sentence: Sentence, phrase: str) -> str | None:
    """A word of `phrase` that occurs in the sentence, to centre a long quote on."""
    lowered = sentence.text.lower()
    for w in words(phrase):
        if len(w) > 3 and w in lowered:
            return w
    return None


def _quote(sentence: Sentence, phrase: str) -> str:
    return quote_around(sentence.text, _anchor(sentence, phrase), 30)


def _action_json(item: ActionItem) -> dict[str, Any]:
    return {
        "owner": item.owner,
        "task": item.task,
        "due": item.due.isoformat() if item.due else None,
        "quote": _quote(item.sentence, item.task),
        "start": item.sentence.start,
        "confidence": item.confidence,
    }


def _likeliest(
    items: list[ActionItem], sentences: list[Sentence], closing: float
) -> list[ActionItem]:
    """At most about one item per MINUTES_PER_ITEM minutes of a long meeting, best first."""
    minutes = (sentences[-1].end - sentences[0].start) / 60 if sentences else 0.0
    cap = max(3, round(minutes / MINUTES_PER_ITEM))
    if minutes < LONG_MEETING or len(items) <= cap:
        return items

    def rank(item: ActionItem) -> float:
        return item.confidence + 0.1 * (item.sentence.start >= closing) + 0.1 * bool(item.due)

    best = sorted(items, key=rank, reverse=True)[:cap]
    return [i for i in items if i in best]


def _firmest(decisions: list[Decision], sentences: list[Sentence]) -> list[Decision]:
    """At most about one decision per MINUTES_PER_ITEM minutes of a long meeting.

    The firmest are kept ("we decided" before "we're planning to"); between equally firm ones
    the later, since a matter settled late in a discussion is the one that stands.
    """
    minutes = (sentences[-1].end - sentences[0].start) / 60 if sentences else 0.0
    cap = max(2, round(minutes / MINUTES_PER_ITEM))
    if minutes < LONG_MEETING or len(decisions) <= cap:
        return decisions
    best = sorted(decisions, key=lambda d: (d.strength, d.sentence.start), reverse=True)[:cap]
    return [d for d in decisions if d in best]


def _attendees(team: Roster, sentences: list[Sentence]) -> list[str]:
    spoke = {s.speaker for s in sentences}
    present = [name for name in team.names if name in spoke]
    if present or not sentences:
        return present
    return team.names or sorted({s.speaker for s in sentences if s.speaker})


def extract_minutes(
    segments: list[dict[str, Any]],
    roster: list[dict[str, Any]],
    meeting_date: dt.date,
    time_zone: str = "UTC",
    generate: Callable[..., str] | None = None,
) -> dict[str, Any]:
    """Title, attendees, summary, decisions, action items and open questions of a meeting."""
    if isinstance(meeting_date, dt.datetime):
        meeting_date = meeting_date.date()
    team = Roster(roster)
    ordered = sorted(segments, key=lambda s: float(s.get("start") or 0.0))
    speakers = [team.resolve_speaker(s.get("speaker")) or s.get("speaker") for s in ordered]
    sentences = to_sentences(ordered, speakers)

    finder = ActionFinder(sentences, team, meeting_date, time_zone)
    decisions, questions = [], []
    for lo in range(0, len(sentences), PIECE):
        hi = min(lo + PIECE, len(sentences))
        finder.scan(lo, hi)
        decisions += find_decisions(sentences, lo, hi)
    items = _likeliest(merge_items(finder.items, finder.closing), sentences, finder.closing)
    polish_tasks(items, generate)
    asked = {i.sentence.index for i in finder.items}
    for lo in range(0, len(sentences), PIECE):
        questions += find_open_questions(sentences, asked, lo, min(lo + PIECE, len(sentences)))
    decisions = _firmest(merge_decisions(decisions), sentences)
    highlights = asked | {d.sentence.index for d in decisions}
    return {
        "title": title_of(sentences, meeting_date),
        "attendees": _attendees(team, sentences),
        "summary": summarise(sentences, highlights),
        "decisions": [
            {"text": d.text, "start": d.sentence.start, "quote": _quote(d.sentence, d.text)}
            for d in decisions
        ],
        "action_items": [_action_json(i) for i in items],
        "open_questions": [
            {"text": q.text, "start": q.sentence.start, "quote": _quote(q.sentence, q.text)}
            for q in merge_questions(questions)
        ],
    }
