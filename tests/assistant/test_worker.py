"""A real Celery worker process: killed mid-job, restarted, the job finishes once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from assistant.jobs import job_create, job_enqueue, jobs_sweep
from assistant.models import Job

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
STALE_AFTER = 4


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(settings):
    prefix = f"test-{uuid.uuid4().hex[:8]}-"
    settings.CELERY_QUEUE_PREFIX = prefix
    settings.JOB_STALE_AFTER = STALE_AFTER
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_QUEUE_PREFIX": prefix,
           "JOB_STALE_AFTER": str(STALE_AFTER), "DJANGO_SETTINGS_MODULE": "assistant.settings"}
    workers = []

    def start() -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "assistant", "worker", "-Q", f"{prefix}default",
             "--concurrency", "1", "--pool", "prefork", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{prefix}{len(workers)}@%h", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, start_new_session=True)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_job_resumes_and_finishes_once(world, start_worker):
    first = start_worker()
    job = job_create(team=world.team, owner=world.owner, kind="assistant.worker_check",
                     title="Kill me", params={"steps": 30, "step_seconds": 0.25})

    def steps_done() -> int:
        job.refresh_from_db()
        return job.checkpoint.get("done", 0) >= 4

    _wait_for(steps_done, 90, "the first worker to do four steps")
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker: no chance to clean up
    first.wait()
    done_when_killed = job.checkpoint["done"]
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1

    time.sleep(STALE_AFTER + 1)
    assert jobs_sweep() == {"failed": 0, "requeued": 1}
    start_worker()

    def finished():
        job.refresh_from_db()
        return job.has_ended

    _wait_for(finished, 120, "the restarted worker to finish the job")
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
