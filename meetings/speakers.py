"""Speakers of a meeting and members' voices: naming, merging, enrollment."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assistant.jobs import JobError, Progress, job_create
from assistant.models import Job, Team, User
from assistant.slots import slot_config

from .models import Speaker, VoiceProfile

ENROLL = "meetings.enroll_voice"
MAX_SAMPLE_BYTES = 50 * 1024 * 1024


def speaker_rename(*, speaker: Speaker, member: User | None = None, label: str = "",
                   enroll: bool = False) -> Speaker:
    """Name a speaker in the whole meeting: a team member, or a free label."""
    with transaction.atomic():
        speaker.member = member
        if label.strip():
            speaker.label = label.strip()[:120]
        speaker.save(update_fields=["member", "label"])
        if enroll and member is not None and speaker.centroid:
            VoiceProfile.objects.update_or_create(user=member,
                                                  defaults={"embedding": speaker.centroid})
    return speaker


def speakers_merge(*, source: Speaker, target: Speaker) -> Speaker:
    """Two speakers who are one person: source's segments join target."""
    if source.meeting_id != target.meeting_id or source.pk == target.pk:
        raise ValueError("Only two different speakers of the same meeting can be merged.")
    with transaction.atomic():
        source.segments.update(speaker=target)
        source.delete()
    return target


def voice_enroll(*, user: User, team: Team, upload: UploadedFile) -> Job:
    """Keep the sample and compute the voice in the background (speech queue)."""
    if not upload.size:
        raise JobError("The voice sample is empty. Record a few sentences and try again.")
    if upload.size > MAX_SAMPLE_BYTES:
        raise JobError("A voice sample of under a minute is plenty; this file is too large.")
    profile, _ = VoiceProfile.objects.get_or_create(user=user)
    # The sample it replaces stays until the new one has proved to be a usable voice.
    previous = profile.sample.name if profile.sample else ""
    profile.sample.save(upload.name or "voice.webm", upload, save=True)
    return job_create(team=team, owner=user, kind=ENROLL, title="Learn your voice",
                      params={"profile": profile.pk, "previous": previous})


def voice_delete(*, user: User) -> bool:
    profile = VoiceProfile.objects.filter(user=user).first()
    if profile is None:
        return False
    if profile.sample:
        profile.sample.delete(save=False)
    profile.delete()
    return True


def voice_compute(*, job: Job, progress: Progress) -> dict:
    """The enroll job: decode the sample and store its voice embedding; an unusable sample
    leaves the voice (and sample) learned before as they were."""
    profile = VoiceProfile.objects.filter(pk=job.params["profile"], user=job.owner).first()
    if profile is None or not profile.sample:
        raise JobError("The voice sample was deleted before it could be used.")
    previous = job.params.get("previous") or ""
    try:
        result = _voice_learn(profile, job=job, progress=progress)
    except JobError:
        _voice_keep_previous(profile, previous)
        raise
    if previous and previous != profile.sample.name:
        profile.sample.storage.delete(previous)
    return result


def _voice_keep_previous(profile: VoiceProfile, previous: str) -> None:
    """An unusable new sample: back to the voice learned before, or to no voice at all."""
    unusable, storage = profile.sample.name, profile.sample.storage
    if profile.embedding:  # learned before: keep that voice and the sample it came from
        kept = previous if previous and storage.exists(previous) else ""
        VoiceProfile.objects.filter(pk=profile.pk).update(sample=kept)
    else:
        profile.delete()
    if unusable and unusable != previous:
        storage.delete(unusable)


def _voice_learn(profile: VoiceProfile, *, job: Job, progress: Progress) -> dict:
    from .audio import AudioRejected, load_recording
    from .pipeline import local_copy

    progress(10, stage="Listening to the sample")
    try:
        with local_copy(profile.sample) as path:
            wav = load_recording(path, max_duration=600)[1]
    except AudioRejected as exc:
        raise JobError(str(exc)) from None
    if len(wav) < 16000 * 2:
        raise JobError("The sample is shorter than two seconds: record a few full sentences.")
    progress(50, stage="Learning the voice")
    embedding = _embed(wav, team=job.team)
    profile.embedding = [round(float(x), 6) for x in embedding]
    profile.save(update_fields=["embedding", "created_at"])
    return {"profile": profile.pk, "seconds": round(len(wav) / 16000, 1)}


def embed_sample(wav, *, config):
    """A voice embedding from an enrollment sample (silences trimmed, partials averaged)."""
    from .diarization import enroll_voice

    return enroll_voice(wav, config=config)


def _embed(wav, *, team: Team):
    return embed_sample(wav, config=slot_config(team=team, kind="speaker"))
