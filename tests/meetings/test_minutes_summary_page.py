"""The minutes page links every summary bullet to its moment in the transcript."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.extraction import extract_minutes
from meetings.minutes import minutes_store
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

LINES = [
    (0.0, "Ana", "Good morning, this is the weekly warehouse sync for the spring season."),
    (6.0, "Ben", "The new shelving arrived on Tuesday and the racks in aisle four are installed."),
    (14.0, "Ana", "The forklift inspection failed, so the night shift cannot unload pallets."),
    (22.0, "Ben", "I'll call the forklift supplier about the inspection by Friday."),
    (30.0, "Ana", "Thanks. The budget for overtime is nearly spent for this quarter."),
]


def test_summary_bullets_link_to_their_moment(world, client_for):
    meeting = MeetingFactory(team=world.team, held_on=dt.date(2026, 4, 13))
    segments = [{"start": t, "end": t + 5.5, "speaker": who, "text": text}
                for t, who, text in LINES]  # fmt: skip
    result = extract_minutes(segments=segments, roster=[{"name": "Ana"}, {"name": "Ben"}],
                             meeting_date=meeting.held_on, time_zone="UTC")  # fmt: skip
    minutes_store(meeting=meeting, result=result)
    page = client_for(world.teammate).get(reverse("minutes-detail", args=[meeting.pk]))
    html = page.content.decode()
    assert result["summary"], result
    for bullet in result["summary"]:
        assert f"#t={bullet['start']:.1f}" in html, (bullet, html)
        assert f'title="{bullet["quote"]}"' in html.replace("&#x27;", "'"), bullet
