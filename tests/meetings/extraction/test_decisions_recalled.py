"""Decisions of an earlier meeting recalled, and restated decisions: what the minutes keep."""

import datetime as dt

from meetings.extraction import extract_minutes

from .fixtures import ROOM as TEAM
from .fixtures import build_segments, decisions_of
from .fixtures import decision_texts as texts


def test_a_decision_recalled_from_the_last_meeting_is_not_this_meetings():
    found = decisions_of([
        ("Ana Souza", "First I'll go over what we decided last meeting,"),
        ("Ana Souza", "we decided upon one shared charger for all the devices in the van."),
        ("Wei Zhang", "Right."),
    ])  # fmt: skip
    assert "charger" not in texts(found), found


def test_as_we_decided_last_time_is_no_new_decision():
    found = decisions_of([
        ("Lena Braun", "As we had decided in the last meeting, we'll use the blue invoices."),
    ])  # fmt: skip
    assert "invoices" not in texts(found), found


def test_a_decision_taken_now_still_counts():
    found = decisions_of([
        ("Ana Souza", "Okay, so we've decided to use one shared calendar for the rota."),
        ("Wei Zhang", "Good."),
    ])  # fmt: skip
    assert "shared calendar" in texts(found), found


def test_a_restated_decision_keeps_the_clean_restatement():
    found = decisions_of([
        ("Wei Zhang", "We're planning to sell the lamps for, hang on, the projector went off."),
        ("Lena Braun", "It's the cable."),
        ("Wei Zhang", "Right. We're planning to sell the lamps for forty dollars each."),
    ])  # fmt: skip
    assert "forty dollars" in texts(found), found
    assert len([d for d in found if "lamps" in d["text"].lower()]) == 1, found


def test_a_tag_question_is_not_part_of_the_decision():
    found = decisions_of([
        ("Ana Souza", "Excellent, so we'll go with the steel frame, yeah?"),
        ("Wei Zhang", "Yes."),
    ])  # fmt: skip
    assert [d["text"] for d in found if "steel" in d["text"].lower()] == ["Go with the steel frame"]


def test_two_decisions_said_alike_stay_two():
    found = decisions_of([
        ("Ana Souza", "We'll go with the steel frame."),
        ("Wei Zhang", "And we'll go with the blue paint."),
    ])  # fmt: skip
    assert len(found) == 2, found


def test_a_choice_inside_a_relative_clause_is_no_decision():
    found = decisions_of([
        ("Ana Souza", "The method that we're going to use to finish the audit has three parts."),
        ("Wei Zhang", "Okay."),
        ("Ana Souza", "And what we're going to do today is look at the first part."),
    ])  # fmt: skip
    assert found == [], found


def test_what_was_decided_inside_a_noun_phrase_is_no_new_decision():
    found = decisions_of([
        ("Lena Braun", "I'll try to lay out the parts we've already decided on, so that the "
                       "thumb reaches every button."),
    ])  # fmt: skip
    assert found == [], found


def test_we_are_going_to_stop_something_is_a_decision():
    found = decisions_of([
        ("Wei Zhang", "Should we keep printing the catalogue?"),
        ("Ana Souza", "No. We are going to stop the printed catalogue and move the money to "
                      "the web shop."),
    ])  # fmt: skip
    assert "printed catalogue" in texts(found), found


def test_a_decision_announced_with_a_colon_is_a_decision():
    found = decisions_of(
        [("Lena Braun", "Another decision: the stand-up moves to half past nine.")]
    )
    assert "stand-up moves" in texts(found), found


def test_would_you_with_a_task_verb_is_a_request():
    minutes = extract_minutes(
        segments=build_segments([
            ("Ana Souza", "Lena, would you check the van insurance tomorrow?"),
            ("Lena Braun", "Sure."),
        ]),
        roster=TEAM, meeting_date=dt.date(2026, 5, 4), time_zone="UTC",
    )  # fmt: skip
    items = minutes["action_items"]
    assert [(i["owner"], i["due"]) for i in items] == [("Lena Braun", "2026-05-05")], items


def test_would_you_like_is_no_request():
    minutes = extract_minutes(
        segments=build_segments([
            ("Ana Souza", "Lena, would you like a coffee before we start?"),
            ("Lena Braun", "Sure."),
        ]),
        roster=TEAM, meeting_date=dt.date(2026, 5, 4), time_zone="UTC",
    )  # fmt: skip
    assert minutes["action_items"] == [], minutes["action_items"]


def test_no_problem_accepts_a_request():
    minutes = extract_minutes(
        segments=build_segments([
            ("Ana Souza", "Wei, can you renew the parking permits on Monday?"),
            ("Wei Zhang", "No problem."),
        ]),
        roster=TEAM, meeting_date=dt.date(2026, 5, 4), time_zone="UTC",
    )  # fmt: skip
    assert [i["owner"] for i in minutes["action_items"]] == ["Wei Zhang"], minutes["action_items"]
