from assistant.jobs import JobError, job_task

from .services import DRAFT_JOB


@job_task(DRAFT_JOB, queue="text")
def draft(job, progress) -> dict:
    """Write a draft's sentences with the team's text model, streaming into its row."""
    from assistant.slots import slot_config

    from .models import Draft
    from .prose import model_generate
    from .services import draft_write

    found = Draft.objects.filter(pk=job.params["draft"], team=job.team).first()
    if found is None:
        raise JobError("The draft was deleted before it was written.")
    if not found.is_writing:
        return {"skipped": "already written"}
    generate = model_generate(slot_config(team=found.team, kind="text"))
    return draft_write(draft=found, generate=generate)
