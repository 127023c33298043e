"""The dictation jobs: transcribe and fill (speech queue), the small model's proposals (text)."""

from assistant.jobs import job_task


@job_task("reports.dictation", queue="speech")
def dictation(job, progress) -> dict:
    from .records_services import record_dictation

    return record_dictation(job=job, progress=progress)


@job_task("reports.dictation_free_text", queue="text")
def dictation_free_text(job, progress) -> dict:
    from .records_services import record_free_text

    return record_free_text(job=job, progress=progress)
