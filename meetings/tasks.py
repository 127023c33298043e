from celery import shared_task

from assistant.jobs import job_task

from . import pipeline
from .services import recordings_purge


@job_task("meetings.transcribe", queue="speech")
def transcribe(job, progress) -> dict:
    return pipeline.meeting_transcribe(job=job, progress=progress)


@shared_task(name="meetings.purge_recordings", ignore_result=True)
def purge_recordings() -> int:
    return recordings_purge()


@job_task("meetings.enroll_voice", queue="speech")
def enroll_voice(job, progress) -> dict:
    from .speakers import voice_compute

    return voice_compute(job=job, progress=progress)


@job_task("meetings.minutes", queue="text")
def minutes(job, progress) -> dict:
    from .minutes import meeting_minutes

    return meeting_minutes(job=job, progress=progress)


@job_task("meetings.translate", queue="text")
def translate(job, progress) -> dict:
    from .translations import meeting_translate

    return meeting_translate(job=job, progress=progress)


@shared_task(name="meetings.todo_digest", ignore_result=True)
def todo_digest() -> int:
    from .todos import digest_send

    return digest_send()


@shared_task(name="meetings.live_pump", ignore_result=True)
def live_pump() -> int:
    """Serve live rooms (captions, translations, the meeting afterwards) on the live queue."""
    from .live import pump_run

    return pump_run()
