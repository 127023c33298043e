"""Naming, merging and enrolling speakers, as owner, teammate and stranger."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistant.models import Job
from meetings.models import Speaker, VoiceProfile
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    meeting = MeetingFactory(team=world.team)
    one = Speaker.objects.create(meeting=meeting, label="Speaker 1", centroid=[0.1] * 256)
    two = Speaker.objects.create(meeting=meeting, label="Speaker 2", colour=1)
    SegmentFactory(meeting=meeting, index=0, speaker=one, text="Let's start.")
    SegmentFactory(meeting=meeting, index=1, speaker=two, text="I will send the notes.")
    SegmentFactory(meeting=meeting, index=2, speaker=one, text="Thanks.")
    return meeting


def test_rename_to_a_member_shows_everywhere(world, client_for, meeting):
    speaker = meeting.speakers.get(label="Speaker 1")
    client = client_for(world.teammate)
    client.post(reverse("speaker-rename", args=[speaker.pk]), {"member": world.manager.pk})
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert page.count(world.manager.display_name) >= 3  # legend, timeline, two segments
    assert not VoiceProfile.objects.exists()  # enrolling was not asked for


def test_rename_with_a_free_label(world, client_for, meeting):
    speaker = meeting.speakers.get(label="Speaker 2")
    client_for(world.teammate).post(reverse("speaker-rename", args=[speaker.pk]),
                                    {"label": "Guest from legal"})
    speaker.refresh_from_db()
    assert speaker.name == "Guest from legal"


def test_enroll_own_voice_from_a_speaker(world, client_for, meeting):
    speaker = meeting.speakers.get(label="Speaker 1")
    client_for(world.teammate).post(reverse("speaker-rename", args=[speaker.pk]),
                                    {"member": world.teammate.pk, "enroll": "1"})
    assert VoiceProfile.objects.get(user=world.teammate).embedding == [0.1] * 256


def test_employee_cannot_enroll_someone_elses_voice(world, client_for, meeting):
    speaker = meeting.speakers.get(label="Speaker 1")
    client_for(world.teammate).post(reverse("speaker-rename", args=[speaker.pk]),
                                    {"member": world.manager.pk, "enroll": "1"})
    assert not VoiceProfile.objects.filter(user=world.manager).exists()
    client_for(world.manager).post(reverse("speaker-rename", args=[speaker.pk]),
                                   {"member": world.teammate.pk, "enroll": "1"})
    assert VoiceProfile.objects.filter(user=world.teammate).exists()


def test_rename_to_someone_outside_the_team_is_refused(world, client_for, meeting):
    speaker = meeting.speakers.get(label="Speaker 1")
    client_for(world.teammate).post(reverse("speaker-rename", args=[speaker.pk]),
                                    {"member": world.stranger.pk})
    speaker.refresh_from_db()
    assert speaker.member is None


def test_merge_two_speakers(world, client_for, meeting):
    one, two = meeting.speakers.get(label="Speaker 1"), meeting.speakers.get(label="Speaker 2")
    client_for(world.teammate).post(reverse("speaker-merge", args=[two.pk]), {"into": one.pk})
    assert list(meeting.speakers.all()) == [one]
    assert meeting.segments.filter(speaker=one).count() == 3


def test_stranger_cannot_rename_or_merge(world, client_for, meeting):
    one, two = meeting.speakers.get(label="Speaker 1"), meeting.speakers.get(label="Speaker 2")
    client = client_for(world.stranger)
    assert client.post(reverse("speaker-rename", args=[one.pk]), {"label": "x"}
                       ).status_code == 404
    assert client.post(reverse("speaker-merge", args=[two.pk]), {"into": one.pk}
                       ).status_code == 404


def test_voice_upload_queues_enrollment_and_delete_removes_it(world, client_for,
                                                              django_capture_on_commit_callbacks):
    client = client_for(world.teammate)
    assert "No voice enrolled yet" in client.get(reverse("voice")).content.decode()
    with django_capture_on_commit_callbacks():
        client.post(reverse("voice"), {"audio": SimpleUploadedFile("me.webm", b"x" * 3000)})
    profile = VoiceProfile.objects.get(user=world.teammate)
    job = Job.objects.get(kind="meetings.enroll_voice")
    assert job.params == {"profile": profile.pk, "previous": ""} and job.owner == world.teammate
    path = profile.sample.path
    client.post(reverse("voice-delete"))
    assert not VoiceProfile.objects.exists()
    import os

    assert not os.path.exists(path)


def test_empty_voice_sample_is_refused(world, client_for):
    response = client_for(world.teammate).post(
        reverse("voice"), {"audio": SimpleUploadedFile("me.webm", b"")}, follow=True)
    assert "empty" in response.content.decode()
    assert not Job.objects.exists()
