"""Jobs of the knowledge base and the team assistant (thin: re-fetch, call one service)."""

from .chat import ANSWER, chat_answer
from .finetune import FINETUNE, finetune_run
from .jobs import JobCancelled, JobError, job_task
from .knowledge import EMBED, knowledge_embed
from .models import ChatMessage, FineTuneRun, Job, KnowledgeSource
from .team_models import SLOT_TEST, SLOT_TEST_SPEECH, slot_test_run


@job_task(EMBED, queue="text")
def kb_embed(job: Job, progress) -> dict:
    """Embed one source's passages; a deleted or replaced source is skipped."""
    source = KnowledgeSource.objects.filter(pk=job.params.get("source")).first()
    if source is None or source.job_id != job.pk:
        return {"skipped": "the source was deleted or replaced since"}
    return knowledge_embed(source=source, progress=progress)


@job_task(ANSWER, queue="text")
def chat_answer_job(job: Job, progress) -> dict:
    """Answer one chat message; a message already answered is left as it is."""
    message = ChatMessage.objects.filter(pk=job.params.get("message")).first()
    if message is None or not message.is_writing:
        return {"skipped": "already answered or deleted"}
    progress(10, stage="Searching the knowledge base")
    message = chat_answer(message=message)
    return {"message": message.pk, "known": message.known}


def _slot_test(job: Job, progress) -> dict:
    """Load a model slot and run a tiny inference; apply a proposed change only if it works."""
    progress(5, stage=f"Loading the {job.params.get('kind')} model")
    return slot_test_run(job=job)


slot_test = job_task(SLOT_TEST, queue="text")(_slot_test)
slot_test_speech = job_task(SLOT_TEST_SPEECH, queue="speech")(_slot_test)


@job_task(FINETUNE, queue="text")
def finetune_job(job: Job, progress) -> dict:
    """LoRA-train the team's text model; the adapter is activated only if it scores better."""
    run = FineTuneRun.objects.filter(pk=job.params.get("run")).first()
    if run is None or run.status != FineTuneRun.Status.RUNNING:
        return {"skipped": "the run is gone or already finished"}
    try:
        steps = job.params.get("steps")
        run = finetune_run(run=run, progress=progress, steps=int(steps) if steps else None)
    except (JobCancelled, ValueError, JobError) as exc:
        FineTuneRun.objects.filter(pk=run.pk).update(status=FineTuneRun.Status.FAILED)
        if isinstance(exc, ValueError):
            raise JobError(str(exc)) from exc
        raise
    except Exception:
        FineTuneRun.objects.filter(pk=run.pk).update(status=FineTuneRun.Status.FAILED)
        raise
    return {"version": run.version, "status": run.status, "before": run.before["rouge_l"],
            "after": run.after["rouge_l"], "seconds": run.seconds}
