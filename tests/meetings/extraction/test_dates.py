"""Due dates: spoken expressions resolved against the meeting date.

Convention (checked against the scripted meetings): a bare weekday, "by/on/before <weekday>"
and "this <weekday>" mean its next occurrence strictly after the meeting day (said on a
Wednesday, "Wednesday" is a week later); "next <weekday>" means that weekday in the calendar
week after the meeting's week; "next week" is that week's Monday; "end of the week" its Friday.
"""

import datetime as dt

import pytest

from meetings.extraction.dates import parse_due

WEDNESDAY = dt.date(2026, 11, 18)
MONDAY = dt.date(2026, 11, 16)
FRIDAY = dt.date(2027, 1, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please fix it by tomorrow", "2026-11-19"),
        ("write the article by Friday", "2026-11-20"),
        ("send it on Wednesday", "2026-11-25"),
        ("this Thursday works", "2026-11-19"),
        ("let's do it next Tuesday", "2026-11-24"),
        ("by next Friday", "2026-11-27"),
        ("I'll call them today", "2026-11-18"),
        ("I'll call them this morning", "2026-11-18"),
        ("before noon", "2026-11-18"),
        ("by end of day", "2026-11-18"),
        ("by the end of the month", "2026-11-30"),
        ("by the end of the week", "2026-11-20"),
        ("by the end of next week", "2026-11-27"),
        ("sometime next week", "2026-11-23"),
        ("I will order them on December fourth", "2026-12-04"),
        ("on the fourth of December", "2026-12-04"),
        ("by December 4th", "2026-12-04"),
        ("by 4 December", "2026-12-04"),
        ("by the 3rd", "2026-12-03"),
        ("by the twenty-fifth", "2026-11-25"),
        ("by January tenth", "2027-01-10"),
        ("in two weeks", "2026-12-02"),
        ("in three days", "2026-11-21"),
        ("update the plan within the next two weeks", "2026-12-02"),
        ("in the next ten days", "2026-11-28"),
        ("the day after tomorrow", "2026-11-20"),
    ],
)
def test_it_resolves_against_a_wednesday(text, expected):
    assert parse_due(text, WEDNESDAY) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("before the release on Wednesday", "2026-11-18"),
        ("by Wednesday", "2026-11-18"),
        ("update the rotation tomorrow", "2026-11-17"),
        ("on Monday", "2026-11-23"),
        ("next Monday", "2026-11-23"),
    ],
)
def test_it_resolves_against_a_monday(text, expected):
    assert parse_due(text, MONDAY) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by Monday", "2027-02-01"),
        ("by the end of the month", "2027-01-31"),
        ("by the end of next month", "2027-02-28"),
        ("by the fourth of February", "2027-02-04"),
        ("by the end of next week", "2027-02-05"),
    ],
)
def test_it_crosses_month_and_year_ends(text, expected):
    assert parse_due(text, FRIDAY) == dt.date.fromisoformat(expected)


def test_numeric_dates_follow_the_time_zone_convention():
    assert parse_due("by 04/12", WEDNESDAY, "Europe/London") == dt.date(2026, 12, 4)
    assert parse_due("by 12/4", WEDNESDAY, "America/New_York") == dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    "text",
    [
        "fix the printer",
        "I tested them on staging last week",
        "the demo went well last Friday",
        "I closed fourteen tickets yesterday",
        "we sell it for twenty five Euro",
        "it was used in the fifties",
        "we have five minutes left",
        "at some point we could look into it",
        "the outage lasted thirty minutes",
    ],
)
def test_it_finds_no_due_date_where_none_was_said(text):
    assert parse_due(text, WEDNESDAY) is None
