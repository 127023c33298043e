"""From a recording to speaker-attributed segments: one path for the web job and the CLI."""

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.ai import SlotConfig
from assistant.jobs import JobError, Progress
from assistant.models import Job
from assistant.slots import slot_config, speech_config

from . import services
from .models import Meeting

log = logging.getLogger(__name__)


@dataclass
class Processed:
    """What the audio gave: language, duration, speaker turns and who the speakers are."""

    language: str
    duration: float
    segments: list[dict]
    speakers: list[dict] = field(default_factory=list)


def process_audio(path: str, *, speech: SlotConfig, speaker: SlotConfig | None,
                  language: str | None = None, hotwords: list[str] | None = None,
                  voices: dict | None = None, num_speakers: int | None = None,
                  checkpoint: dict | None = None,
                  on_piece: Callable[[dict], None] | None = None,
                  on_progress: Callable[[float, str], None] | None = None) -> Processed:
    """Validate, decode, transcribe in resumable pieces, then diarize and name speakers.

    Raises AudioRejected (with a message for a person) for files that are not usable audio.
    """
    from django.conf import settings

    from .audio import decode_channels, load_recording
    from .diarization import Ahead, is_call

    report = on_progress or (lambda fraction, stage: None)
    report(0.01, "Checking the file")
    info, wav = load_recording(path, max_duration=settings.MEETING_MAX_SECONDS)
    channels = np.stack(decode_channels(path)) if info.channels > 1 else None
    if channels is not None and not is_call(channels):
        channels = None  # one room heard by several microphones: the mix is the recording
    streams = [wav] if channels is None else list(channels)
    # Voice windows are embedded on the second core while later pieces are transcribed.
    ahead = Ahead(wav, config=speaker) if speaker is not None and channels is None else None
    try:
        return _transcribe_and_diarize(
            wav, channels, streams, ahead, speech=speech, speaker=speaker, language=language,
            hotwords=hotwords, voices=voices, num_speakers=num_speakers, checkpoint=checkpoint,
            on_piece=on_piece, report=report)
    finally:
        if ahead is not None:
            ahead.close()


def _transcribe_and_diarize(wav, channels, streams, ahead, *, speech, speaker, language,
                            hotwords, voices, num_speakers, checkpoint, on_piece,
                            report) -> Processed:
    from django.conf import settings

    from .audio import SAMPLE_RATE, AudioRejected
    from .diarization import diarize
    from .transcription import NO_SPEECH, transcribe_recording

    report(0.05, "Transcribing 0 %")
    # The checkpoint holds each stream's transcription state under its number.
    state = {"0": checkpoint} if checkpoint and "pieces" in checkpoint else dict(checkpoint or {})
    results, detected = [], None
    for number, audio in enumerate(streams):
        def saved(piece_state, number=number):
            state[str(number)] = piece_state
            if on_piece is not None:
                on_piece(dict(state))
            if ahead is not None:
                done = piece_state["pieces"][piece_state["next_piece"] - 1][1]
                ahead.transcribed(piece_state["segments"], until=done)

        def moved(fraction, number=number):
            done = (number + fraction) / len(streams)
            report(0.05 + 0.8 * done, f"Transcribing {int(done * 100)} %")

        try:
            result = transcribe_recording(
                audio, config=speech, language=language, hotwords=hotwords,
                checkpoint=state.get(str(number)), on_piece=saved, on_progress=moved,
                piece_seconds=settings.TRANSCRIPTION_PIECE_SECONDS)
        except AudioRejected:
            if len(streams) == 1:
                raise
            continue  # one silent line of a call: the others may still speak
        # A call's lines are transcribed apart, so voices talking at once are both heard.
        tag = {"channel": number} if channels is not None else {}
        results += [{**s, **tag} for s in result["segments"]]
        detected = detected or result.get("language")
    if not results and channels is not None:
        raise AudioRejected(NO_SPEECH)
    segments = sorted(results, key=lambda s: s["start"])
    segments = [{**s, "language": s.get("language") or detected} for s in segments]
    speakers: list[dict] = []
    if speaker is not None and segments:
        report(0.88, "Finding speakers")
        found = diarize(wav if channels is None else channels, segments, config=speaker,
                        voices=voices or None, num_speakers=num_speakers, ahead=ahead)
        centroids = found.get("centroids", {})
        speakers = [{**s, "centroid": centroids.get(s["label"], [])} for s in found["speakers"]]
        segments = found["segments"]
    return Processed(detected or language or "", len(wav) / SAMPLE_RATE, segments, speakers)


def roster_hotwords(meeting: Meeting) -> list[str]:
    """The names and terms Whisper should spell right: the team's people and glossary."""
    names = [m.user.display_name for m in meeting.team.memberships.select_related("user")]
    return [*names, *meeting.team.glossary_terms]


def meeting_transcribe(*, job: Job, progress: Progress) -> dict:
    """The body of the `meetings.transcribe` job (speech queue)."""
    from .audio import AudioRejected
    from .minutes import minutes_queue
    from .selectors import enrolled_voices

    meeting = Meeting.objects.select_related("team").filter(pk=job.params["meeting"],
                                                            team=job.team).first()
    if meeting is None:
        raise JobError("The meeting was deleted before it could be transcribed.")
    if not meeting.has_audio:
        raise JobError("The recording was deleted, so there is nothing to transcribe.")
    voices, members = enrolled_voices(team=meeting.team)
    with local_copy(meeting.audio) as path:
        try:
            processed = process_audio(
                path, speech=speech_config(team=meeting.team, language=meeting.language),
                speaker=slot_config(team=meeting.team, kind="speaker"),
                language=meeting.language or None, hotwords=roster_hotwords(meeting),
                voices=voices, checkpoint=job.checkpoint.get("transcription"),
                on_piece=lambda state: progress.checkpoint(transcription=state),
                on_progress=lambda fraction, stage: progress(100 * fraction, stage=stage))
        except AudioRejected as exc:
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FAILED)
            raise JobError(str(exc)) from None
    progress(97, stage="Saving")
    speakers = [{**s, "member": members.get(s.get("member") or "")}
                for s in processed.speakers]
    services.segments_replace(meeting=meeting, segments=processed.segments, speakers=speakers)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.READY, duration=processed.duration,
        language=meeting.language or processed.language)
    services.transcript_ready_notify(meeting=meeting)
    minutes_queue(meeting=meeting, user=job.owner)
    return {"meeting": meeting.pk, "segments": len(processed.segments),
            "speakers": len(processed.speakers), "language": processed.language}


class local_copy:
    """A local path for a stored file (a recording, a voice sample), copied down when the
    storage is remote (S3)."""

    def __init__(self, file):
        self.file = file
        self.temp: str | None = None

    def __enter__(self) -> str:
        try:
            return self.file.path
        except NotImplementedError:
            suffix = os.path.splitext(self.file.name)[1]
            handle, self.temp = tempfile.mkstemp(suffix=suffix)
            with os.fdopen(handle, "wb") as out, self.file.open("rb") as src:
                for chunk in src.chunks():
                    out.write(chunk)
            return self.temp

    def __exit__(self, *exc) -> None:
        if self.temp:
            os.unlink(self.temp)
