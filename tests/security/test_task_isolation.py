"""A job given another team's object id does nothing to it (the tasks re-fetch within job.team)."""

import pytest

from assistant.jobs import job_create, job_run
from assistant.models import Job
from meetings.models import Meeting, Minutes
from meetings.services import segments_replace
from meetings.tasks import minutes as minutes_task
from meetings.tasks import transcribe
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task,kind", [(transcribe, "meetings.transcribe"),
                                       (minutes_task, "meetings.minutes")])
def test_a_job_for_another_teams_meeting_fails_and_leaves_it_alone(world, task, kind):
    theirs = MeetingFactory(team=world.other_team, title="Red plans",
                            status=Meeting.Status.READY)
    segments_replace(meeting=theirs, segments=[
        {"start": 0.0, "end": 3.0, "text": "Kim will send the plan to finance by Friday."}])
    their_jobs = set(Job.objects.filter(team=world.other_team).values_list("pk", flat=True))
    job = job_create(team=world.team, owner=world.owner, kind=kind,
                     params={"meeting": theirs.pk})
    job_run(job_id=str(job.pk), func=task.job_function)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "deleted" in job.error
    theirs.refresh_from_db()
    assert theirs.status == Meeting.Status.READY and theirs.segments.count() == 1
    assert not Minutes.objects.filter(meeting=theirs).exists()
    # No job of theirs was started by ours (their transcript's indexing job is their own).
    assert set(Job.objects.filter(team=world.other_team).values_list("pk", flat=True)) == \
        their_jobs
