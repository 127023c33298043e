"""Summary bullets link to the transcript moment they come from: a start and a verbatim quote."""

import re

from .fixtures import KITCHEN, long_meeting, minutes_of


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower())


def _check(meeting):
    minutes = minutes_of(meeting)
    segments = meeting.segments()
    starts = {s["start"]: s["text"] for s in segments}
    assert minutes["summary"], minutes
    for bullet in minutes["summary"]:
        assert set(bullet) >= {"text", "start", "quote"}, bullet
        assert bullet["start"] in starts, bullet
        said = starts[bullet["start"]]
        assert bullet["quote"] and bullet["quote"] in said, (bullet, said)
        assert len(bullet["quote"].split()) <= 30, bullet
        # the bullet says what the quote says (the bullet is a cleaned-up sentence of it)
        quoted = set(_words(bullet["quote"]))
        text = [w for w in _words(bullet["text"]) if len(w) > 3]
        assert sum(w in quoted for w in text) >= 0.8 * len(text), bullet


def test_each_summary_bullet_of_a_short_meeting_has_its_moment():
    _check(KITCHEN)


def test_each_summary_bullet_of_a_long_meeting_has_its_moment():
    _check(long_meeting())
