"""The transcription job: check the file, transcribe in pieces, find speakers, save."""

import logging
import os
import tempfile

from assistant.jobs import JobError, Progress
from assistant.models import Job
from assistant.slots import slot_config, speech_config

from . import services
from .models import Meeting

log = logging.getLogger(__name__)


def roster_hotwords(meeting: Meeting) -> list[str]:
    """The names and terms Whisper should spell right: the team's people and glossary."""
    names = [m.user.display_name for m in meeting.team.memberships.select_related("user")]
    return [*names, *meeting.team.glossary_terms]


def meeting_transcribe(*, job: Job, progress: Progress) -> dict:
    """The body of the `meetings.transcribe` job (speech queue)."""
    from .audio import AudioRejected, decode, validate

    try:
        meeting = Meeting.objects.select_related("team").get(pk=job.params["meeting"],
                                                             team=job.team)
    except Meeting.DoesNotExist:
        raise JobError("The meeting was deleted before it could be transcribed.") from None
    if not meeting.has_audio:
        raise JobError("The recording was deleted, so there is nothing to transcribe.")
    progress(1, stage="Checking the file")
    with _local_copy(meeting) as path:
        try:
            info = validate(path)
            wav = decode(path)
        except AudioRejected as exc:
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FAILED)
            raise JobError(str(exc)) from None
        result = _transcribe(meeting, wav, job, progress)
    progress(90, stage="Finding speakers")
    segments, speakers = _speakers(meeting, wav, result["segments"])
    progress(97, stage="Saving")
    services.segments_replace(meeting=meeting, segments=segments, speakers=speakers)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.READY, duration=info.duration,
        language=meeting.language or result.get("language") or "")
    services.transcript_ready_notify(meeting=meeting)
    from .minutes import minutes_queue

    minutes_queue(meeting=meeting, user=job.owner)
    return {"meeting": meeting.pk, "segments": len(segments), "language": result.get("language")}


def _transcribe(meeting: Meeting, wav, job: Job, progress: Progress) -> dict:
    from .transcription import transcribe_recording

    def on_piece(state: dict) -> None:
        progress.checkpoint(transcription=state)

    def on_progress(fraction: float) -> None:
        progress(5 + 80 * fraction, stage=f"Transcribing {int(fraction * 100)} %")

    config = speech_config(team=meeting.team, language=meeting.language)
    return transcribe_recording(
        wav, config=config, language=meeting.language or None,
        hotwords=roster_hotwords(meeting), checkpoint=job.checkpoint.get("transcription"),
        on_piece=on_piece, on_progress=on_progress)


def _speakers(meeting: Meeting, wav, segments: list[dict]) -> tuple[list[dict], list[dict]]:
    """Speaker turns and who they are; without the diarization module, the plain segments."""
    try:
        from .diarization import diarize
    except ImportError:
        return segments, []
    from .selectors import enrolled_voices

    voices, members = enrolled_voices(team=meeting.team)
    result = diarize(wav, segments, config=slot_config(team=meeting.team, kind="speaker"),
                     voices=voices or None)
    speakers = [{**s, "member": members.get(s.get("member")),
                 "centroid": result.get("centroids", {}).get(s["label"], [])}
                for s in result["speakers"]]
    return result["segments"], speakers


class _local_copy:
    """A local path for the recording, copying it down when storage is remote (S3)."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        self.temp: str | None = None

    def __enter__(self) -> str:
        try:
            return self.meeting.audio.path
        except NotImplementedError:
            suffix = os.path.splitext(self.meeting.audio.name)[1]
            handle, self.temp = tempfile.mkstemp(suffix=suffix)
            with os.fdopen(handle, "wb") as out, self.meeting.audio.open("rb") as src:
                for chunk in src.chunks():
                    out.write(chunk)
            return self.temp

    def __exit__(self, *exc) -> None:
        if self.temp:
            os.unlink(self.temp)
