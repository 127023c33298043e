"""Meeting pages as the team's owner, a teammate and a stranger; uploads, exports, deletion."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistant.models import Job
from meetings.models import Meeting, Segment, SegmentRevision
from tests.eval_data import EVAL
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db
JFK = EVAL / "real" / "jfk.flac"


@pytest.fixture
def meeting(world):
    meeting = MeetingFactory(team=world.team, created_by=world.teammate, title="Roadmap review")
    SegmentFactory(meeting=meeting, index=0, start=0.0, end=1.8,
                   text="We agreed to ship the beta on Friday.")
    SegmentFactory(meeting=meeting, index=1, start=2.0, end=3.8,
                   text="Priya will draft the release notes.")
    return meeting


def test_upload_stores_the_file_and_queues_transcription(world, client_for,
                                                         django_capture_on_commit_callbacks):
    client = client_for(world.teammate)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("meeting-upload"), {
            "audio": SimpleUploadedFile("../../etc/passwd jfk.flac", JFK.read_bytes()),
            "title": "", "held_on": "2026-11-20", "language": ""})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.title == "passwd jfk"  # the name is kept as a label, never as a path
    assert meeting.audio.name.startswith(f"recordings/{world.team.pk}/")
    assert ".." not in meeting.audio.name and "passwd" not in meeting.audio.name
    assert meeting.audio.size == JFK.stat().st_size
    assert meeting.job.kind == "meetings.transcribe" and meeting.job.status == Job.Status.QUEUED
    assert len(callbacks) == 1  # the job is sent once the rows are committed


def test_empty_upload_is_refused_with_a_message(world, client_for):
    response = client_for(world.teammate).post(reverse("meeting-upload"), {
        "audio": SimpleUploadedFile("empty.mp3", b"")})
    assert response.status_code == 400
    assert "empty" in response.content.decode()
    assert not Meeting.objects.exists()


def test_oversize_request_is_refused_before_reading_the_body(world, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client = client_for(world.teammate)
    response = client.post(reverse("meeting-upload"), {
        "audio": SimpleUploadedFile("big.flac", b"x" * 5000)})
    assert response.status_code == 413
    assert "larger than this server accepts" in response.content.decode()
    assert not Meeting.objects.exists()


def test_list_and_detail_for_teammate_and_stranger(world, client_for, meeting):
    page = client_for(world.owner).get(reverse("meeting-list")).content.decode()
    assert "Roadmap review" in page
    detail = client_for(world.owner).get(reverse("meeting-detail", args=[meeting.pk]))
    assert "Priya will draft" in detail.content.decode() or "agreed" in detail.content.decode()
    assert client_for(world.stranger).get(reverse("meeting-detail", args=[meeting.pk])
                                          ).status_code == 404
    assert "Roadmap review" not in client_for(world.stranger).get(
        reverse("meeting-list")).content.decode()


def test_search_finds_words_in_transcripts_of_the_team_only(world, client_for, meeting):
    other = MeetingFactory(team=world.other_team, title="Secret")
    SegmentFactory(meeting=other, text="Priya will draft the merger memo.")
    page = client_for(world.owner).get(reverse("meeting-list"), {"q": "release notes"})
    body = page.content.decode()
    assert "Roadmap review" in body and "#t=" in body
    assert "Secret" not in body
    empty = client_for(world.owner).get(reverse("meeting-list"), {"q": "zebra"}).content.decode()
    assert "Nothing in the team" in empty


def test_audio_supports_range_requests(world, client_for, meeting):
    client = client_for(world.teammate)
    whole = client.get(reverse("meeting-audio", args=[meeting.pk]))
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(reverse("meeting-audio", args=[meeting.pk]), HTTP_RANGE="bytes=4-13")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-13/{meeting.audio.size}"
    assert b"".join(part.streaming_content) == bytes(10)
    outside = client.get(reverse("meeting-audio", args=[meeting.pk]), HTTP_RANGE="bytes=99999-")
    assert outside.status_code == 416
    assert client_for(world.stranger).get(reverse("meeting-audio", args=[meeting.pk])
                                          ).status_code == 404


@pytest.mark.parametrize("fmt", ["txt", "md", "srt", "vtt", "docx", "json"])
def test_exports(world, client_for, meeting, fmt):
    response = client_for(world.teammate).get(reverse("meeting-export", args=[meeting.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    if fmt == "json":
        data = json.loads(body)
        assert [s["text"] for s in data["segments"]][1] == "Priya will draft the release notes."
    elif fmt == "docx":
        assert body[:2] == b"PK"  # a zip container
    else:
        assert b"Priya will draft the release notes." in body
    if fmt == "srt":
        assert b"00:00:00,000 --> 00:00:01,800" in body
    if fmt == "vtt":
        assert body.startswith(b"WEBVTT")
    stranger = client_for(world.stranger).get(reverse("meeting-export", args=[meeting.pk, fmt]))
    assert stranger.status_code == 404


def test_segment_edit_keeps_history(world, client_for, meeting):
    segment = meeting.segments.first()
    client = client_for(world.owner)
    form = client.get(reverse("segment-edit", args=[segment.pk]), HTTP_HX_REQUEST="true")
    assert "<textarea" in form.content.decode()
    saved = client.post(reverse("segment-edit", args=[segment.pk]),
                        {"text": "We agreed to ship the beta on Monday."}, HTTP_HX_REQUEST="true")
    assert "Monday" in saved.content.decode()
    segment.refresh_from_db()
    assert segment.edited and segment.text.endswith("Monday.")
    assert SegmentRevision.objects.get(segment=segment).text.endswith("Friday.")
    assert len(segment.words) == 8 and segment.words[-1][1] == pytest.approx(segment.end, abs=0.01)
    history = client.get(reverse("segment-history", args=[segment.pk])).content.decode()
    assert "Friday" in history
    assert client_for(world.stranger).post(reverse("segment-edit", args=[segment.pk]),
                                           {"text": "hacked"}).status_code == 404


def test_segment_edit_refuses_empty_text(world, client_for, meeting):
    segment = meeting.segments.first()
    response = client_for(world.owner).post(reverse("segment-edit", args=[segment.pk]),
                                            {"text": "   "})
    assert response.status_code == 400


def test_delete_removes_everything_and_the_file(world, client_for, meeting,
                                                django_capture_on_commit_callbacks):
    path = Path(meeting.audio.path)
    assert path.exists()
    # An employee who did not add it may not delete it.
    client_for(world.owner)  # admin
    assert client_for(world.stranger).post(reverse("meeting-delete", args=[meeting.pk])
                                           ).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.teammate).post(reverse("meeting-delete", args=[meeting.pk]))
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Segment.objects.filter(meeting_id=meeting.pk).exists()
    assert not path.exists()


def test_teammate_who_did_not_add_it_cannot_delete(world, client_for):
    meeting = MeetingFactory(team=world.team, created_by=world.owner)
    from tests.factories import MembershipFactory

    other_employee = MembershipFactory(team=world.team).user
    client_for(other_employee).post(reverse("meeting-delete", args=[meeting.pk]))
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_retention_deletes_old_recordings_but_keeps_text(world, meeting):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.services import recordings_purge

    world.team.recording_retention_days = 30
    world.team.save()
    Meeting.objects.filter(pk=meeting.pk).update(created_at=timezone.now() - timedelta(days=31))
    path = Path(meeting.audio.path)
    assert recordings_purge() == 1
    meeting.refresh_from_db()
    assert not path.exists() and not meeting.has_audio
    assert meeting.segments.count() == 2


def test_status_partial_stops_polling_when_done(world, client_for, meeting):
    from tests.factories import JobFactory

    meeting.job = JobFactory(team=world.team, status=Job.Status.SUCCEEDED)
    meeting.save()
    client = client_for(world.teammate)
    url = reverse("meeting-status", args=[meeting.pk])
    on_page = client.get(url, HTTP_HX_REQUEST="true",
                         HTTP_HX_CURRENT_URL="http://x" + reverse("meeting-detail",
                                                                   args=[meeting.pk]))
    assert on_page.status_code == 286 and on_page["HX-Refresh"] == "true"
    elsewhere = client.get(url, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="http://x" + reverse("meeting-list"))
    assert elsewhere.status_code == 286 and "HX-Refresh" not in elsewhere
    assert "Open the transcript" in elsewhere.content.decode()


# The segment and timeline markup as templates wrote it with a filter and `{% url %}` per
# segment, before selectors.segments_for_display: the page must still write exactly this.
FILTERED_SEGMENT = """<div class="segment" id="segment-{{ segment.pk }}" data-start="{{ segment.start|stringformat:'.2f' }}">
  <div class="segment-meta">
    <button type="button" class="time link-button" data-seek="{{ segment.start|stringformat:'.2f' }}" aria-label="Play from {{ segment.start|floatformat:0 }} seconds">{{ segment.start|floatformat:0 }}s</button>
    {% if segment.speaker %}<span class="chip speaker-{{ segment.speaker.colour }}">{{ segment.speaker.name }}</span>{% endif %}
    <button type="button" class="link-button small" hx-get="{% url 'segment-edit' segment.pk %}" hx-target="#segment-{{ segment.pk }}" hx-swap="outerHTML">Edit</button>
    {% if segment.edited %}<button type="button" class="link-button small muted" hx-get="{% url 'segment-history' segment.pk %}" hx-target="#history-{{ segment.pk }}">edited</button>{% endif %}
  </div>
  <p class="segment-text">{% for word in segment.words %}<span class="w" data-s="{{ word.0|stringformat:'.2f' }}" data-e="{{ word.1|stringformat:'.2f' }}">{{ word.2 }}</span>{% empty %}{{ segment.text }}{% endfor %}</p>
  <div id="history-{{ segment.pk }}"></div>
</div>
"""  # noqa: E501
FILTERED_BAR = """<button type="button" class="bar speaker-{{ segment.speaker.colour }}" data-seek="{{ segment.start|stringformat:'.2f' }}" data-end="{{ segment.end|stringformat:'.2f' }}" title="{{ segment.speaker.name }} at {{ segment.start|floatformat:0 }}s" tabindex="-1"></button>"""  # noqa: E501


def test_the_transcript_writes_each_segment_as_the_per_segment_filters_did(world, client_for):
    """Times (rounded half up to a second, two decimals for seeking), links, speakers, edits
    and words as before, so transcript.js finds the same data attributes."""
    from django.template import engines

    from meetings.models import Speaker

    meeting = MeetingFactory(team=world.team, created_by=world.owner, duration=7300.0)
    speaker = Speaker.objects.create(meeting=meeting, label="Speaker 1", colour=3)
    starts = [0.0, 0.5, 2.5, 12.4999, 59.995, 1234.5, 7200.25]
    for i, start in enumerate(starts):
        SegmentFactory(meeting=meeting, index=i, start=start, end=start + 1.0,
                       speaker=speaker if i % 2 else None, edited=i % 3 == 0,
                       words=[] if i == 4 else [[start, start + 0.5, " <b>Hi</b>"]])
    page = client_for(world.teammate).get(reverse("meeting-detail", args=[meeting.pk]))
    html = page.content.decode()
    engine = engines["django"]
    for segment in Segment.objects.filter(meeting=meeting).select_related("speaker"):
        old = engine.from_string(FILTERED_SEGMENT).render({"segment": segment})
        assert old in html, old
        if segment.speaker:
            bar = engine.from_string(FILTERED_BAR).render({"segment": segment})
            assert bar in html, bar
    assert 'aria-label="Play from 13 seconds">13s' not in html  # 12.4999 is 12
    assert 'data-seek="1234.50" aria-label="Play from 1235 seconds">1235s' in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html and "<b>Hi" not in html


def test_a_cancelled_edit_writes_the_segment_as_before(world, client_for, meeting):
    from django.template import engines

    segment = meeting.segments.get(index=1)
    response = client_for(world.owner).get(reverse("segment-edit", args=[segment.pk]),
                                           {"cancel": "1"}, HTTP_HX_REQUEST="true")
    old = engines["django"].from_string(FILTERED_SEGMENT).render({"segment": segment})
    assert response.content.decode() == old
