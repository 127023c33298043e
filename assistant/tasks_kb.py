"""Jobs of the knowledge base and the team assistant (thin: re-fetch, call one service)."""

from .jobs import job_task
from .knowledge import EMBED, knowledge_embed
from .models import Job, KnowledgeSource


@job_task(EMBED, queue="text")
def kb_embed(job: Job, progress) -> dict:
    """Embed one source's passages; a deleted or replaced source is skipped."""
    source = KnowledgeSource.objects.filter(pk=job.params.get("source")).first()
    if source is None or source.job_id != job.pk:
        return {"skipped": "the source was deleted or replaced since"}
    return knowledge_embed(source=source, progress=progress)
