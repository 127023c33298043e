"""A task said once in passing and handed out again at the close is one action item."""

import datetime as dt

from meetings.extraction import extract_minutes

from .fixtures import build_segments

TEAM = [{"name": "Ana Souza"}, {"name": "Wei Zhang"}, {"name": "Lena Braun"}]
MIDDLE = [
    ("Wei Zhang", "And I have the invoices."),
    ("Ana Souza", "Good. The audit is in March and the auditors want everything on paper."),
    ("Wei Zhang", "Paper, really?"),
    ("Ana Souza", "Yes, they are old fashioned."),
    ("Ana Souza", "Okay, to wrap up."),
]


def items_of(lines):
    return extract_minutes(
        segments=build_segments(lines), roster=TEAM, meeting_date=dt.date(2026, 5, 4),
        time_zone="UTC",
    )["action_items"]  # fmt: skip


def test_a_rambling_first_mention_and_the_hand_out_at_the_close_are_one_item():
    found = items_of([
        ("Lena Braun", "I'm going to be doing the apparently according to the old wiki page "
                       "that nobody reads the supplier scorecard for the audit."),
        *MIDDLE,
        ("Ana Souza", "Lena, you're looking at the supplier scorecard, like you said."),
        ("Lena Braun", "Yes."),
    ])  # fmt: skip
    lena = [i for i in found if i["owner"] == "Lena Braun"]
    assert len(lena) == 1, found
    assert "supplier scorecard" in lena[0]["task"].lower()
    assert lena[0]["quote"].startswith("Lena, you're looking")


def test_like_you_said_is_not_part_of_the_task():
    found = items_of([
        ("Lena Braun", "The scorecard is a mess."),
        *MIDDLE,
        ("Ana Souza", "Lena, you're looking at the supplier scorecard, like you said."),
    ])  # fmt: skip
    assert [i["task"] for i in found] == ["Look at the supplier scorecard"], found


def test_two_different_tasks_of_one_person_stay_two():
    found = items_of([
        ("Lena Braun", "I'll update the supplier scorecard for the audit."),
        *MIDDLE,
        ("Ana Souza", "Lena, you're looking at the travel budget as well."),
    ])  # fmt: skip
    assert len([i for i in found if i["owner"] == "Lena Braun"]) == 2, found


def test_wiping_the_whiteboard_is_done_in_the_meeting():
    found = items_of([
        ("Wei Zhang", "I'll rub the old numbers off and leave the diagram."),
        ("Ana Souza", "Okay."),
    ])  # fmt: skip
    assert found == [], found


def test_a_commitment_broken_off_on_a_determiner_is_no_item():
    found = items_of([
        ("Ana Souza", "The scorecard for the audit is due in March."),
        ("Wei Zhang", "Okay, I'll do some"),
        ("Ana Souza", "Right."),
    ])  # fmt: skip
    assert found == [], found
