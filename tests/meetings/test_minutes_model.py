"""The minutes' use of the small model is bounded: past its time the extracted wording stands."""

import datetime as dt

import pytest

from meetings.extraction import extract_minutes
from meetings.minutes import ModelBudgetSpent, text_generator

SEGMENTS = [
    {"start": 0.0, "end": 4.0, "speaker": "Ana Lima",
     "text": "Ben, can you send the budget to finance by Friday?"},
    {"start": 4.0, "end": 6.0, "speaker": "Ben Cho", "text": "Sure, I'll send it."},
]
ROSTER = [{"name": "Ana Lima"}, {"name": "Ben Cho"}]


def test_a_spent_budget_refuses_before_loading_a_model():
    generate = text_generator(seconds=0)
    with pytest.raises(ModelBudgetSpent):
        generate([{"role": "user", "content": "Reword: send the budget"}], max_new_tokens=8)


def test_minutes_with_a_spent_budget_are_the_extracted_ones():
    args = {"segments": SEGMENTS, "roster": ROSTER, "meeting_date": dt.date(2026, 11, 16),
            "time_zone": "Europe/London"}
    plain = extract_minutes(**args)
    bounded = extract_minutes(**args, generate=text_generator(seconds=0))
    assert plain["action_items"], "the request and its acceptance make an action item"
    assert bounded == plain
