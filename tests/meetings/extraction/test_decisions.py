"""Decisions: choices the group commits to, not proposals, wishes or deferrals."""

import datetime as dt

import pytest

from meetings.extraction import extract_minutes

from .fixtures import MEETINGS, build_segments, find_decision, minutes_of

TEAM = [{"name": "Ana Souza", "email": "a@x"}, {"name": "Wei Zhang", "email": "w@x"}]


def decisions_of(lines):
    return extract_minutes(
        segments=build_segments(lines),
        roster=TEAM,
        meeting_date=dt.date(2026, 5, 4),
        time_zone="UTC",
    )["decisions"]


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_it_finds_the_decisions_of_a_meeting(name):
    meeting = MEETINGS[name]
    minutes = minutes_of(meeting)
    for words in meeting.decisions:
        assert find_decision(minutes, words) is not None, (words, minutes["decisions"])
    assert len(minutes["decisions"]) <= len(meeting.decisions) + 1, minutes["decisions"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("We'll go with the blue supplier.", "blue supplier"),
        ("Okay, let's go with option B for the logo.", "option b"),
        ("We decided to freeze hiring until March.", "freeze hiring"),
        ("Agreed: no deploys on Fridays.", "no deploys"),
        ("From now on, every pull request needs two reviewers.", "two reviewers"),
        ("Going forward we will publish the roadmap every quarter.", "roadmap"),
        ("The decision is to keep the old pricing for existing customers.", "old pricing"),
        ("We will not offer refunds after thirty days. That is final.", "refunds"),
        ("So we're going with the rubber case then.", "rubber case"),
    ],
)
def test_it_recognises_decision_phrasings(text, words):
    found = decisions_of([("Ana Souza", text)])
    assert len(found) == 1, found
    assert words in found[0]["text"].lower()


def test_an_accepted_proposal_is_a_decision():
    found = decisions_of(
        [
            ("Wei Zhang", "I suggest we move the retro to Thursday afternoons."),
            ("Ana Souza", "Agreed."),
        ]
    )
    assert len(found) == 1
    assert "retro" in found[0]["text"].lower()


@pytest.mark.parametrize(
    "lines",
    [
        [("Ana Souza", "We haven't decided on the venue yet.")],
        [("Ana Souza", "Let's decide about the venue next week.")],
        [("Wei Zhang", "Maybe we should switch to a different cloud provider.")],
        [("Ana Souza", "Let's move on to the next topic.")],
        [("Ana Souza", "Let's meet again on Thursday.")],
        [("Wei Zhang", "If we decide to launch early, we would need more testers.")],
        [("Ana Souza", "We'll see what the client says.")],
        [
            ("Wei Zhang", "I suggest we move the retro to Thursdays."),
            ("Ana Souza", "Hmm, I'm not sure about that."),
        ],
        [("Ana Souza", "Last year we tried a four-day week and it did not work.")],
        [("Ana Souza", "Let's keep that in mind.")],
    ],
)
def test_it_ignores_what_is_not_a_decision(lines):
    assert decisions_of(lines) == []


def test_decisions_link_to_the_transcript():
    segments = build_segments(
        [("Ana Souza", "Hello."), ("Ana Souza", "We decided to close the office on Fridays.")]
    )
    minutes = extract_minutes(
        segments=segments, roster=TEAM, meeting_date=dt.date(2026, 5, 4), time_zone="UTC"
    )
    (decision,) = minutes["decisions"]
    assert decision["start"] == segments[1]["start"]
    assert decision["quote"] in segments[1]["text"]


def test_a_restated_decision_is_listed_once():
    found = decisions_of(
        [
            ("Wei Zhang", "I suggest we postpone the launch until next quarter."),
            ("Ana Souza", "Agreed. We decided to postpone the launch until next quarter."),
        ]
    )
    assert len(found) == 1
