"""Behind nginx, a recording is handed over with X-Accel-Redirect after the team check."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_teammate_gets_an_accel_redirect_and_no_bytes(world, client_for, settings):
    settings.RECORDINGS_X_ACCEL_PREFIX = "/protected-media/"
    meeting = MeetingFactory(team=world.team, audio_name="Q4 review.flac")
    response = client_for(world.teammate).get(reverse("meeting-audio", args=[meeting.pk]),
                                              headers={"Range": "bytes=0-9"})
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{meeting.audio.name}"
    assert 'filename="Q4 review.flac"' in response["Content-Disposition"]


def test_a_stranger_gets_404_and_no_redirect(world, client_for, settings):
    settings.RECORDINGS_X_ACCEL_PREFIX = "/protected-media/"
    meeting = MeetingFactory(team=world.team)
    response = client_for(world.stranger).get(reverse("meeting-audio", args=[meeting.pk]))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_without_the_setting_the_app_serves_the_range_itself(world, client_for, settings):
    settings.RECORDINGS_X_ACCEL_PREFIX = ""
    meeting = MeetingFactory(team=world.team)
    response = client_for(world.owner).get(reverse("meeting-audio", args=[meeting.pk]),
                                           headers={"Range": "bytes=0-3"})
    assert response.status_code == 206 and b"".join(response.streaming_content) == b"fLaC"
    assert "X-Accel-Redirect" not in response
