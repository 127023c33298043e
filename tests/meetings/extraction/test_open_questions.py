"""Open questions: what was asked or parked and left unresolved."""

import datetime as dt

from meetings.extraction import extract_minutes

from .fixtures import LAB, SPRINT, build_segments, minutes_of

TEAM = [{"name": "Ana Souza", "email": "a@x"}, {"name": "Wei Zhang", "email": "w@x"}]


def questions_of(lines):
    return extract_minutes(
        segments=build_segments(lines),
        roster=TEAM,
        meeting_date=dt.date(2026, 5, 4),
        time_zone="UTC",
    )["open_questions"]


def test_an_unanswered_question_stays_open():
    found = questions_of(
        [
            ("Wei Zhang", "Who is going to cover the night shift during the holidays?"),
            ("Ana Souza", "Good point. Let's move on for now."),
        ]
    )
    assert any("night shift" in q["text"].lower() for q in found)


def test_an_answered_question_is_not_open():
    found = questions_of(
        [
            ("Wei Zhang", "When does the new contract start?"),
            ("Ana Souza", "The new contract starts on the first of June, it is all signed."),
        ]
    )
    assert found == []


def test_backchannel_and_procedural_questions_are_not_open():
    found = questions_of(
        [
            ("Ana Souza", "Can you all hear me?"),
            ("Wei Zhang", "Yes."),
            ("Ana Souza", "That's the plan, right?"),
            ("Ana Souza", "Okay?"),
        ]
    )
    assert found == []


def test_a_parked_question_is_open():
    minutes = minutes_of(LAB)
    assert any("supplementary" in q["text"].lower() for q in minutes["open_questions"])


def test_an_uncertain_answer_leaves_the_question_open():
    minutes = minutes_of(SPRINT)
    assert any("staging" in q["text"].lower() for q in minutes["open_questions"])


def test_questions_link_to_the_transcript():
    lines = [
        ("Wei Zhang", "Do we still need the old VPN after the move?"),
        ("Ana Souza", "I don't know yet, we'll check."),
    ]
    segments = build_segments(lines)
    found = extract_minutes(
        segments=segments, roster=TEAM, meeting_date=dt.date(2026, 5, 4), time_zone="UTC"
    )["open_questions"]
    (question,) = found
    assert question["start"] == segments[0]["start"]
    assert question["quote"] in segments[0]["text"]
