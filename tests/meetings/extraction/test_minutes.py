"""The minutes as a whole: shape, attendees, summary, long meetings, and the optional model."""

import datetime as dt
import re
import time

import pytest

from meetings.extraction import extract_minutes

from .fixtures import KITCHEN, LAB, MEETINGS, build_segments, find_item, long_meeting, minutes_of

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_it_returns_the_documented_shape(name):
    meeting = MEETINGS[name]
    minutes = minutes_of(meeting)
    assert set(minutes) >= {
        "title",
        "attendees",
        "summary",
        "decisions",
        "action_items",
        "open_questions",
    }
    assert isinstance(minutes["title"], str) and minutes["title"]
    texts = [s["text"] for s in meeting.segments()]
    starts = {s["start"] for s in meeting.segments()}
    for item in minutes["action_items"]:
        assert set(item) >= {"owner", "task", "due", "quote", "start", "confidence"}
        assert item["owner"] is None or item["owner"] in [m["name"] for m in meeting.roster]
        assert item["due"] is None or ISO.match(item["due"])
        assert len(item["task"].split()) <= 12
        assert item["start"] in starts
        assert any(item["quote"] in t for t in texts)
    for entry in minutes["decisions"] + minutes["open_questions"]:
        assert set(entry) >= {"text", "start", "quote"}
        assert any(entry["quote"] in t for t in texts)


def test_attendees_are_the_roster_members_who_spoke():
    minutes = minutes_of(LAB)
    assert set(minutes["attendees"]) == {m["name"] for m in LAB.roster}
    short = extract_minutes(
        segments=build_segments([("Amara Okonkwo", "Quick update.")]),
        roster=LAB.roster,
        meeting_date=LAB.date,
        time_zone="UTC",
    )
    assert short["attendees"] == ["Amara Okonkwo"]


def test_speaker_labels_are_matched_to_the_roster():
    lines = [
        ("Sam", "Kofi, please patch the VPN gateway by Friday."),
        ("SPEAKER_01", "Sure, I'll patch it."),
    ]
    roster = [{"name": "Sam Rivera", "email": "s@x"}, {"name": "Kofi Mensah", "email": "k@x"}]
    minutes = extract_minutes(
        segments=build_segments(lines),
        roster=roster,
        meeting_date=dt.date(2026, 11, 18),
        time_zone="UTC",
    )
    assert find_item(minutes, "Kofi Mensah", ("vpn",)) is not None
    assert "Sam Rivera" in minutes["attendees"]


def test_a_first_person_commitment_of_an_unknown_speaker_has_no_owner():
    lines = [(None, "I'll order the new chairs by Friday.")]
    minutes = extract_minutes(
        segments=build_segments(lines),
        roster=[],
        meeting_date=dt.date(2026, 11, 18),
        time_zone="UTC",
    )
    (item,) = minutes["action_items"]
    assert item["owner"] is None
    assert item["due"] == "2026-11-20"


def test_an_empty_meeting_gives_empty_minutes():
    minutes = extract_minutes(
        segments=[], roster=[], meeting_date=dt.date(2026, 1, 5), time_zone="UTC"
    )
    assert minutes["action_items"] == minutes["decisions"] == minutes["open_questions"] == []
    assert minutes["summary"] == []


def test_the_summary_of_a_short_meeting_is_short_and_from_the_meeting():
    minutes = minutes_of(KITCHEN)
    assert 1 <= len(minutes["summary"]) <= 10
    vocabulary = " ".join(t for _, t in KITCHEN.lines).lower()
    for bullet in minutes["summary"]:
        words = re.findall(r"[a-z]{5,}", bullet["text"].lower())
        assert words and sum(w in vocabulary for w in words) >= 0.8 * len(words), bullet


def test_a_long_meeting_is_read_to_the_end_and_summarised():
    meeting = long_meeting()
    segments = meeting.segments()
    assert segments[-1]["end"] > 25 * 60
    began = time.perf_counter()
    minutes = minutes_of(meeting)
    took = time.perf_counter() - began
    for want in meeting.actions:
        item = find_item(minutes, want.owner, want.words)
        assert item is not None, (want, minutes["action_items"])
        assert item["due"] == want.due
    assert len(minutes["action_items"]) == len(meeting.actions), minutes["action_items"]
    assert 5 <= len(minutes["summary"]) <= 10
    assert took < 20, took


def test_a_checked_model_rewrite_replaces_the_task():
    calls = []

    def generate(prompt, **kw):
        calls.append(prompt)
        return "Renew the SSL certificate"

    lines = [
        (
            "Sam Rivera",
            "Um, so, Kofi, could you maybe sort of renew the SSL certificate thing by Friday?",
        ),
        ("Kofi Mensah", "Sure."),
    ]
    roster = [{"name": "Sam Rivera", "email": "s@x"}, {"name": "Kofi Mensah", "email": "k@x"}]
    minutes = extract_minutes(
        segments=build_segments(lines),
        roster=roster,
        meeting_date=dt.date(2026, 11, 18),
        time_zone="UTC",
        generate=generate,
    )
    (item,) = minutes["action_items"]
    assert calls
    assert item["task"] == "Renew the SSL certificate"
    assert item["owner"] == "Kofi Mensah" and item["due"] == "2026-11-20"


@pytest.mark.parametrize(
    "reply",
    [
        "Buy a new espresso machine for the office kitchen",  # words the quote never said
        "",
        "Sure! Here is the task you asked for: renew the SSL certificate and also update the "
        "firewall and the DNS and the mail server settings today",  # rambling, too long
    ],
)
def test_an_unsupported_model_rewrite_is_refused(reply):
    lines = [("Sam Rivera", "Kofi, renew the SSL certificate by Friday."), ("Kofi Mensah", "Sure.")]
    roster = [{"name": "Sam Rivera", "email": "s@x"}, {"name": "Kofi Mensah", "email": "k@x"}]
    plain = extract_minutes(
        segments=build_segments(lines),
        roster=roster,
        meeting_date=dt.date(2026, 11, 18),
        time_zone="UTC",
    )
    polished = extract_minutes(
        segments=build_segments(lines),
        roster=roster,
        meeting_date=dt.date(2026, 11, 18),
        time_zone="UTC",
        generate=lambda prompt, **kw: reply,
    )
    assert polished["action_items"] == plain["action_items"]


def test_a_failing_model_leaves_the_deterministic_minutes():
    def broken(prompt, **kw):
        raise RuntimeError("model unavailable")

    plain = minutes_of(KITCHEN)
    assert minutes_of(KITCHEN, generate=broken) == plain
