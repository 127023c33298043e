"""The Job lifecycle, in-process: claiming, progress, cancel, retry, sweeping."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assistant.jobs import (
    JobError,
    Progress,
    job_cancel,
    job_claim,
    job_create,
    job_retry,
    job_run,
    jobs_sweep,
)
from assistant.models import Job
from assistant.tasks import worker_check
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_claim_is_exclusive(world):
    job = JobFactory(team=world.team)
    assert job_claim(job_id=job.pk).attempts == 1
    assert job_claim(job_id=job.pk) is None  # running with a fresh heartbeat


def test_stale_running_job_can_be_claimed_again(world, settings):
    job = JobFactory(team=world.team, status=Job.Status.RUNNING, attempts=1,
                     heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER + 5))
    assert job_claim(job_id=job.pk).attempts == 2


def test_run_records_success_and_result(world):
    job = JobFactory(team=world.team, params={"steps": 2, "step_seconds": 0})
    job_run(job_id=job.pk, func=worker_check.job_function)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert job.result == {"steps": 2, "resumed_from": 0}
    job_run(job_id=job.pk, func=worker_check.job_function)  # a duplicate message
    job.refresh_from_db()
    assert job.attempts == 1


def test_job_error_fails_with_its_message(world):
    job = JobFactory(team=world.team, params={"steps": 0})
    job_run(job_id=job.pk, func=worker_check.job_function)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "A worker check takes between 1 and 100 steps."


def test_unexpected_error_is_explained_without_internals(world):
    def crash(job, progress):
        raise ZeroDivisionError("secret internals")

    job = JobFactory(team=world.team)
    job_run(job_id=job.pk, func=crash)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "secret" not in job.error and "admin" in job.error


def test_transient_error_requeues_until_attempts_run_out(world, settings):
    from django.db.utils import OperationalError

    def flaky(job, progress):
        raise OperationalError("database went away")

    job = JobFactory(team=world.team)
    for attempt in range(1, settings.JOB_MAX_ATTEMPTS + 1):
        job_run(job_id=job.pk, func=flaky)
        job.refresh_from_db()
        expected = Job.Status.QUEUED if attempt < settings.JOB_MAX_ATTEMPTS else Job.Status.FAILED
        assert job.status == expected
    assert "Gave up after 3 attempts" in job.error


def test_resumes_from_checkpoint(world):
    job = JobFactory(team=world.team, params={"steps": 4, "step_seconds": 0},
                     checkpoint={"done": 3})
    job_run(job_id=job.pk, func=worker_check.job_function)
    job.refresh_from_db()
    assert job.result == {"steps": 4, "resumed_from": 3}


def test_cancel_stops_a_running_job_at_its_next_report(world):
    seen = []

    def long_work(job, progress):
        progress(10, stage="first")
        job_cancel(job=job)  # as if the person pressed Cancel meanwhile
        seen.append("before")
        progress(20, stage="second")
        seen.append("after")

    job = JobFactory(team=world.team)
    job_run(job_id=job.pk, func=long_work)
    job.refresh_from_db()
    assert seen == ["before"]
    assert job.status == Job.Status.CANCELLED


def test_progress_is_throttled_but_stage_changes_are_written(world):
    job = job_claim(job_id=JobFactory(team=world.team).pk)
    progress = Progress(job, min_interval=60)
    progress(10, stage="Decoding")
    progress(50)  # within the interval: skipped
    job.refresh_from_db()
    assert (job.progress, job.stage) == (10, "Decoding")
    progress(60, stage="Transcribing")
    job.refresh_from_db()
    assert (job.progress, job.stage) == (60, "Transcribing")


def test_retry_queues_a_failed_job_again(world, django_capture_on_commit_callbacks):
    job = JobFactory(team=world.team, status=Job.Status.FAILED, attempts=3, error="boom")
    with django_capture_on_commit_callbacks() as callbacks:
        assert job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (Job.Status.QUEUED, 0, "")
    assert len(callbacks) == 1


def test_sweeper_requeues_stale_and_fails_hopeless(world, settings):
    old = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER + 60)
    stale = JobFactory(team=world.team, status=Job.Status.RUNNING, attempts=1, heartbeat_at=old)
    hopeless = JobFactory(team=world.team, status=Job.Status.RUNNING,
                          attempts=settings.JOB_MAX_ATTEMPTS, heartbeat_at=old)
    fresh = JobFactory(team=world.team, status=Job.Status.RUNNING, attempts=1,
                       heartbeat_at=timezone.now())
    lost = JobFactory(team=world.team, queued_at=timezone.now() - timedelta(days=1))
    assert jobs_sweep() == {"failed": 1, "requeued": 2}
    for job in (stale, hopeless, fresh, lost):
        job.refresh_from_db()
    assert stale.status == Job.Status.QUEUED
    assert hopeless.status == Job.Status.FAILED and "stopped 3 times" in hopeless.error
    assert fresh.status == Job.Status.RUNNING
    assert lost.status == Job.Status.QUEUED
    assert lost.queued_at > timezone.now() - timedelta(minutes=1)


def test_create_refuses_unknown_kind(world):
    with pytest.raises(KeyError):
        job_create(team=world.team, owner=world.owner, kind="nope")


def test_job_error_is_a_plain_exception():
    assert str(JobError("Bad file")) == "Bad file"


# Views: the progress partial, cancel and retry, as owner, teammate and stranger.

def test_partial_polls_while_running_and_stops_with_286(world, client_for):
    job = JobFactory(team=world.team, owner=world.teammate, status=Job.Status.RUNNING,
                     progress=40, stage="Transcribing")
    client = client_for(world.teammate)
    running = client.get(reverse("job-detail", args=[job.pk]))
    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "Transcribing · 40 %" in running.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    ended = client.get(reverse("job-detail", args=[job.pk]))
    assert ended.status_code == 286
    assert "hx-trigger" not in ended.content.decode()


def test_partial_for_teammate_and_stranger(world, client_for):
    job = JobFactory(team=world.team, owner=world.owner)
    assert client_for(world.teammate).get(reverse("job-detail", args=[job.pk])).status_code == 200
    assert client_for(world.stranger).get(reverse("job-detail", args=[job.pk])).status_code == 404


def test_cancel_by_owner_teammate_stranger(world, client_for):
    job = JobFactory(team=world.team, owner=world.teammate)
    assert client_for(world.stranger).post(reverse("job-cancel", args=[job.pk])).status_code == 404
    assert client_for(world.manager).post(reverse("job-cancel", args=[job.pk])).status_code == 403
    client_for(world.teammate).post(reverse("job-cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_failed_jobs_page_and_retry_for_admins_only(world, client_for):
    job = JobFactory(team=world.team, status=Job.Status.FAILED, error="The file is damaged.")
    page = client_for(world.owner).get(reverse("jobs"))
    assert "The file is damaged." in page.content.decode()
    assert client_for(world.teammate).get(reverse("jobs")).status_code == 403
    assert client_for(world.teammate).post(reverse("job-retry", args=[job.pk])).status_code == 404
    assert client_for(world.stranger).post(reverse("job-retry", args=[job.pk])).status_code == 404
    client_for(world.owner).post(reverse("job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_a_long_title_is_shortened_not_refused(world):
    # A meeting named with the longest title the form allows still gets its job.
    job = job_create(team=world.team, owner=world.owner, kind="assistant.worker_check",
                     title="Transcribe “" + "Quarterly planning " * 15 + "”")
    job.refresh_from_db()
    assert len(job.title) == 200 and job.title.endswith("…")
