"""Two verbs joined by 'and' with one date at the end are one to-do; a date on the first splits."""

import datetime as dt

from meetings.extraction.tasks import make_tasks

MONDAY = dt.date(2026, 11, 30)


def _tasks(rest):
    return [(t.text, t.due) for t in make_tasks(rest, rest, MONDAY, "Europe/London")]


def test_a_date_at_the_end_scopes_both_verbs():
    assert _tasks("call the printer and get a new quote by Thursday") == [
        ("Call the printer and get a new quote", dt.date(2026, 12, 3))]


def test_a_date_on_the_first_verb_makes_two_tasks():
    assert [t for t, _ in _tasks("run it by Friday and send a status email")] == [
        "Run it", "Send a status email"]
