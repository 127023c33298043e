"""A real Celery worker process: killed mid-job, restarted, the job finishes once."""

import time

import pytest

from assistant.jobs import job_create, job_enqueue, jobs_sweep
from assistant.models import Job
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STALE_AFTER = 4


def test_killed_worker_job_resumes_and_finishes_once(world, settings, workers):
    settings.JOB_STALE_AFTER = STALE_AFTER
    workers.env["JOB_STALE_AFTER"] = str(STALE_AFTER)
    first = workers.start()
    job = job_create(team=world.team, owner=world.owner, kind="assistant.worker_check",
                     title="Kill me", params={"steps": 30, "step_seconds": 0.25})

    def steps_done() -> int:
        job.refresh_from_db()
        return job.checkpoint.get("done", 0) >= 4

    wait_for(steps_done, 90, "the first worker to do four steps")
    workers.kill(first)  # SIGKILL to the whole worker: no chance to clean up
    done_when_killed = job.checkpoint["done"]
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1

    time.sleep(STALE_AFTER + 1)
    assert jobs_sweep() == {"failed": 0, "requeued": 1}
    workers.start()

    def finished():
        job.refresh_from_db()
        return job.has_ended

    wait_for(finished, 120, "the restarted worker to finish the job")
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
    assert job.result["steps"] == 30
    assert job.result["resumed_from"] >= done_when_killed  # it resumed, not restarted
    finished_at = job.finished_at

    # The original message may still be delivered again (acks_late): it must do nothing.
    job_enqueue(job=job)
    time.sleep(3)
    job.refresh_from_db()
    assert (job.attempts, job.finished_at, job.status) == (2, finished_at, Job.Status.SUCCEEDED)
    assert settings.CELERY_QUEUE_PREFIX.startswith("test-")
