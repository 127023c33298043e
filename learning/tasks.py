from celery import shared_task

from assistant.jobs import JobError, job_task
from assistant.models import User

from .services import EMBED, RECOMPUTE, recompute_all_teams


@job_task(RECOMPUTE, queue="default")
def recompute(job, progress) -> dict:
    from .recommend import suggestions_recompute

    members = None
    if job.params.get("member"):
        member = User.objects.filter(pk=job.params["member"],
                                     memberships__team=job.team).first()
        if member is None:
            raise JobError("That person is no longer in the team.")
        members = [member]
    return suggestions_recompute(team=job.team, members=members, progress=progress)


@job_task(EMBED, queue="default")
def embed(job, progress) -> dict:
    from .embedding import team_embed

    progress(10, stage="Reading new and changed items")
    return {"embedded": team_embed(team=job.team)}


@shared_task(name="learning.recompute_weekly", ignore_result=True)
def recompute_weekly() -> int:
    return recompute_all_teams()
