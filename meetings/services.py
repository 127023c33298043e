"""Writes for meetings: intake, the transcription job, edits, deletion and retention."""

import logging
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assistant.jobs import job_create
from assistant.knowledge import knowledge_source_delete, knowledge_transcript_put
from assistant.models import Job, Team, User

from .models import Meeting, Segment, SegmentRevision, Speaker

log = logging.getLogger(__name__)

TRANSCRIBE = "meetings.transcribe"


class IntakeError(ValueError):
    """An upload refused before any work starts; the message is for the person."""


def meeting_create(*, team: Team, user: User, upload: UploadedFile, title: str = "",
                   held_on: date | None = None, language: str = "") -> Meeting:
    """Store the recording under a random name and queue its transcription."""
    if not upload.size:
        raise IntakeError("The file is empty. Choose a recording with sound in it.")
    name = (upload.name or "recording").rsplit("/", 1)[-1][:255]
    meeting = Meeting(team=team, created_by=user, title=title.strip() or _title_from(name),
                      held_on=held_on or timezone.localdate(), language=language,
                      audio_name=name, audio_size=upload.size)
    meeting.audio.save(name, upload, save=False)
    try:
        with transaction.atomic():
            meeting.save()
            meeting.job = job_create(team=team, owner=user, kind=TRANSCRIBE,
                                     title=f"Transcribe “{meeting.title}”",
                                     params={"meeting": meeting.pk})
            meeting.save(update_fields=["job"])
    except Exception:
        meeting.audio.delete(save=False)  # no orphaned file when the rows did not land
        raise
    return meeting


def _title_from(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0].replace("_", " ").replace("-", " ").strip()
    return stem[:200] or "Meeting"


def meeting_retranscribe(*, meeting: Meeting, user: User) -> Job:
    with transaction.atomic():
        meeting.status = Meeting.Status.PROCESSING
        meeting.job = job_create(team=meeting.team, owner=user, kind=TRANSCRIBE,
                                 title=f"Transcribe “{meeting.title}”",
                                 params={"meeting": meeting.pk})
        meeting.save(update_fields=["status", "job"])
    return meeting.job


def meeting_delete(*, meeting: Meeting) -> None:
    """Delete the meeting and everything derived from it, then its file."""
    audio = meeting.audio.name if meeting.audio else ""
    storage = meeting.audio.storage
    with transaction.atomic():
        if meeting.job_id:
            Job.objects.filter(pk=meeting.job_id, status__in=[Job.Status.QUEUED,
                                                             Job.Status.RUNNING]).update(
                status=Job.Status.CANCELLED, finished_at=timezone.now())
        knowledge_source_delete(team=meeting.team, key=f"meeting:{meeting.pk}")
        meeting.delete()
        if audio:
            transaction.on_commit(lambda: storage.delete(audio))


def segments_replace(*, meeting: Meeting, segments: list[dict],
                     speakers: list[dict] | None = None) -> None:
    """Swap in a new transcript in one transaction (a re-run never half-replaces one)."""
    with transaction.atomic():
        meeting.segments.all().delete()
        meeting.speakers.all().delete()
        by_label = {}
        for colour, info in enumerate(speakers or []):
            by_label[info["label"]] = Speaker.objects.create(
                meeting=meeting, label=info["label"], member=info.get("member"),
                colour=colour % 8, similarity=info.get("similarity"),
                centroid=info.get("centroid") or [])
        Segment.objects.bulk_create([
            Segment(meeting=meeting, index=i, start=s["start"], end=s["end"],
                    text=s["text"].strip(), language=s.get("language") or "",
                    speaker=by_label.get(s.get("speaker")),
                    words=[[w["start"], w["end"], w["word"]] for w in s.get("words", [])])
            for i, s in enumerate(segments)
        ])
        knowledge_transcript_put(team=meeting.team, key=f"meeting:{meeting.pk}", title=meeting.title, url=reverse("meeting-detail", args=[meeting.pk]), segments=segments)  # noqa: E501


def segment_edit(*, segment: Segment, text: str, user: User) -> Segment:
    """Change a segment's text, keeping the old text; word times are spread over the new words."""
    text = " ".join(text.split())
    if not text:
        raise IntakeError("A segment cannot be empty: delete the words you don't want instead.")
    if text == segment.text:
        return segment
    with transaction.atomic():
        SegmentRevision.objects.create(segment=segment, text=segment.text, edited_by=user)
        segment.text = text
        segment.words = _spread(text, segment.start, segment.end)
        segment.edited = True
        segment.save(update_fields=["text", "words", "edited"])
    return segment


def _spread(text: str, start: float, end: float) -> list[list]:
    """Approximate word times for edited text, in proportion to word length."""
    tokens = text.split()
    total = sum(len(t) + 1 for t in tokens)
    words, at = [], start
    for token in tokens:
        length = (end - start) * (len(token) + 1) / total
        words.append([round(at, 2), round(at + length, 2), " " + token])
        at += length
    return words


def transcript_ready_notify(*, meeting: Meeting) -> None:
    user = meeting.created_by
    if user is None:
        return
    from django.conf import settings

    link = settings.SITE_URL + reverse("meeting-detail", args=[meeting.pk])
    send_mail(f"Transcript ready: {meeting.title}",
              f"The transcript of “{meeting.title}” is ready:\n{link}\n", None, [user.email],
              fail_silently=True)


def recordings_purge(*, now=None) -> int:
    """Delete recordings older than their team's retention, keeping the transcripts."""
    now = now or timezone.now()
    purged = 0
    for team in Team.objects.exclude(recording_retention_days=None):
        cutoff = now - timedelta(days=team.recording_retention_days)
        old = Meeting.objects.filter(team=team, audio_deleted_at=None,
                                     created_at__lt=cutoff).exclude(audio="")
        for meeting in old:
            meeting.audio.delete(save=False)
            meeting.audio_deleted_at = now
            meeting.save(update_fields=["audio", "audio_deleted_at"])
            purged += 1
    return purged
