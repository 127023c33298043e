"""Action items: who committed to what, by when; and what is not an action item."""

import datetime as dt

import pytest

from meetings.extraction import extract_minutes

from .fixtures import MEETINGS, build_segments, evidence, find_item, minutes_of

TEAM = [
    {"name": "Sam Rivera", "email": "sam@example.com"},
    {"name": "Nina Petrova", "email": "nina@example.com"},
    {"name": "Kofi Mensah", "email": "kofi@example.com"},
]
WEDNESDAY = dt.date(2026, 11, 18)


def run(lines, roster=TEAM, date=WEDNESDAY):
    return extract_minutes(
        segments=build_segments(lines), roster=roster, meeting_date=date, time_zone="Europe/London"
    )


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_it_finds_every_action_item_of_a_meeting(name):
    meeting = MEETINGS[name]
    minutes = minutes_of(meeting)
    for want in meeting.actions:
        item = find_item(minutes, want.owner, want.words)
        assert item is not None, (want, minutes["action_items"])
        assert item["due"] == want.due, (want, item)


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_it_adds_nothing_else(name):
    meeting = MEETINGS[name]
    minutes = minutes_of(meeting)
    for item in minutes["action_items"]:
        for words in meeting.not_actions:
            assert words not in evidence(item), item
    assert len(minutes["action_items"]) <= len(meeting.actions) + 1, minutes["action_items"]


@pytest.mark.parametrize(
    ("lines", "owner", "words", "due"),
    [
        (
            [("Sam Rivera", "I'll renew the domain by Friday.")],
            "Sam Rivera",
            ("domain",),
            "2026-11-20",
        ),
        (
            [("Nina Petrova", "I will write up the incident report tomorrow.")],
            "Nina Petrova",
            ("incident report",),
            "2026-11-19",
        ),
        (
            [("Kofi Mensah", "Let me check the backup logs after the meeting.")],
            "Kofi Mensah",
            ("backup logs",),
            None,
        ),
        (
            [("Sam Rivera", "I'm going to call the landlord about the heating.")],
            "Sam Rivera",
            ("landlord",),
            None,
        ),
        (
            [("Sam Rivera", "Nina will book the venue for the offsite.")],
            "Nina Petrova",
            ("venue",),
            None,
        ),
        (
            [
                ("Sam Rivera", "Can you ask Kofi to reset the router tonight?"),
                ("Nina Petrova", "Sure."),
            ],
            "Kofi Mensah",
            ("router",),
            "2026-11-18",
        ),
        (
            [
                ("Kofi Mensah", "The vendor contract expires soon."),
                ("Nina Petrova", "That's on me, I'll renew the vendor contract."),
            ],
            "Nina Petrova",
            ("vendor contract",),
            None,
        ),
        (
            [("Sam Rivera", "Kofi owns the printer migration from here on.")],
            "Kofi Mensah",
            ("printer migration",),
            None,
        ),
        (
            [("Sam Rivera", "Action item: Nina to update the phone list by Monday.")],
            "Nina Petrova",
            ("phone list",),
            "2026-11-23",
        ),
        (
            [("Sam Rivera", "Neena, please order new headsets for the help desk.")],
            "Nina Petrova",
            ("headsets",),
            None,
        ),
        (
            [
                ("Sam Rivera", "Coffee, can you restart the build server?"),
                ("Kofi Mensah", "Yes, I'll do it now."),
            ],
            "Kofi Mensah",
            ("build server",),
            None,
        ),
        (
            [
                ("Sam Rivera", "Could you send me the slides by Thursday?"),
                ("Kofi Mensah", "Yes, no problem."),
            ],
            "Kofi Mensah",
            ("slides",),
            "2026-11-19",
        ),
        (
            [
                ("Sam Rivera", "Who can take the customer call on Friday?"),
                ("Nina Petrova", "I can take it."),
            ],
            "Nina Petrova",
            ("customer call",),
            "2026-11-20",
        ),
    ],
)
def test_it_recognises_commitments_requests_and_delegation(lines, owner, words, due):
    minutes = run(lines)
    item = find_item(minutes, owner, words)
    assert item is not None, minutes["action_items"]
    assert item["due"] == due


@pytest.mark.parametrize(
    "lines",
    [
        [("Nina Petrova", "Yesterday I closed fourteen tickets, and the printer queue is fixed.")],
        [("Kofi Mensah", "I already sent the invoice to the client last week.")],
        [("Sam Rivera", "The deployment is green now and latency is back to normal.")],
        [("Nina Petrova", "It would be nice to have a better wiki someday.")],
        [("Kofi Mensah", "Maybe at some point we could look into a new ticketing system.")],
        [("Sam Rivera", "Let's park the budget question until next quarter.")],
        [("Sam Rivera", "We'll come back to the hiring plan next time.")],
        [("Sam Rivera", "Nina, can you hear me okay?"), ("Nina Petrova", "Yes, loud and clear.")],
        [
            ("Kofi Mensah", "Did you send the report to the auditors?"),
            ("Sam Rivera", "Yes, on Monday."),
        ],
        [("Nina Petrova", "If the vendor says no, I would escalate it to legal.")],
        [("Sam Rivera", "We'll see how it goes.")],
        [("Kofi Mensah", "I'll be on holiday next week.")],
        [
            ("Sam Rivera", "Kofi, can you take the lead on the migration?"),
            ("Kofi Mensah", "No, sorry, I can't this month."),
        ],
        [("Nina Petrova", "I said I would look at it, but I never did.")],
        [
            ("Sam Rivera", "Let me share my screen."),
            ("Sam Rivera", "Let's move on to the next item."),
        ],
    ],
)
def test_it_ignores_what_is_not_an_action_item(lines):
    assert run(lines)["action_items"] == []


def test_a_request_and_its_acceptance_are_one_item():
    minutes = run(
        [
            ("Sam Rivera", "Kofi, please fix the firewall rule by tomorrow."),
            ("Kofi Mensah", "OK, I'll fix the firewall rule by tomorrow."),
        ]
    )
    assert len(minutes["action_items"]) == 1
    item = minutes["action_items"][0]
    assert item["owner"] == "Kofi Mensah"
    assert item["due"] == "2026-11-19"


def test_a_compound_commitment_gives_one_item_per_task_with_its_own_date():
    minutes = run(
        [
            ("Sam Rivera", "Nina, can you migrate the mailboxes by Friday?"),
            ("Nina Petrova", "Yes, I will migrate them by Friday and send a summary to the team."),
        ]
    )
    migrate = find_item(minutes, "Nina Petrova", ("mailboxes",))
    summary = find_item(minutes, "Nina Petrova", ("summary",))
    assert migrate is not None and summary is not None and migrate is not summary
    assert migrate["due"] == "2026-11-20"
    assert summary["due"] is None


def test_a_vague_reply_takes_the_task_from_the_request():
    minutes = run(
        [
            ("Sam Rivera", "Kofi, set up a call with the new supplier by Thursday."),
            ("Kofi Mensah", "Okay, I'll set that up."),
        ]
    )
    item = find_item(minutes, "Kofi Mensah", ("supplier",))
    assert item is not None
    assert item["due"] == "2026-11-19"


def test_roles_are_owners_when_the_roster_is_roles():
    roles = [
        {"name": "Project Manager", "email": "a@x"},
        {"name": "Industrial Designer", "email": "b@x"},
        {"name": "Marketing Expert", "email": "c@x"},
    ]
    minutes = run(
        [
            (
                "Project Manager",
                "So for next time, the industrial designer will work on the battery options.",
            ),
            ("Project Manager", "And marketing, you'll be looking at the competitor remotes."),
            ("Marketing Expert", "Okay."),
        ],
        roster=roles,
    )
    assert find_item(minutes, "Industrial Designer", ("battery",)) is not None
    assert find_item(minutes, "Marketing Expert", ("competitor",)) is not None


def test_an_unnamed_you_belongs_to_whoever_answers():
    minutes = run(
        [
            ("Sam Rivera", "You're going to look at the licence costs before Friday."),
            ("Kofi Mensah", "Right, okay."),
        ]
    )
    assert find_item(minutes, "Kofi Mensah", ("licence",)) is not None


def test_items_link_to_the_transcript():
    lines = [
        ("Sam Rivera", "Good morning."),
        ("Sam Rivera", "Kofi, please fix the SPF record for the mail server by tomorrow."),
    ]
    segments = build_segments(lines)
    minutes = extract_minutes(
        segments=segments, roster=TEAM, meeting_date=WEDNESDAY, time_zone="Europe/London"
    )
    (item,) = minutes["action_items"]
    assert item["start"] == segments[1]["start"]
    assert item["quote"] in segments[1]["text"]
    assert len(item["quote"].split()) <= 30
    assert 0.0 <= item["confidence"] <= 1.0


def test_the_task_is_a_short_imperative_without_the_date():
    minutes = run(
        [("Sam Rivera", "Kofi, please fix the SPF record for the mail server by tomorrow.")]
    )
    (item,) = minutes["action_items"]
    assert item["task"].lower().rstrip(".") == "fix the spf record for the mail server"


def test_a_long_turn_is_quoted_in_at_most_thirty_words():
    long = (
        "So um yeah, I mean, we talked about a lot of things today and there is plenty to "
        "do, and honestly it has been a long week for everyone, but anyway, Nina, please "
        "book the meeting room for the quarterly review by Friday, and then we can all "
        "relax a little before the holidays start."
    )
    minutes = run([("Sam Rivera", long)])
    item = find_item(minutes, "Nina Petrova", ("meeting room",))
    assert item is not None
    assert len(item["quote"].split()) <= 30
    assert item["quote"] in long
    assert len(item["task"].split()) <= 12


def test_the_task_leaves_out_the_name_of_the_person_addressed():
    minutes = run([("Sam Rivera", "Could you renew the parking permits, Nina?")])
    (item,) = minutes["action_items"]
    assert item["owner"] == "Nina Petrova"
    assert "nina" not in item["task"].lower()
