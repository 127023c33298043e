"""The life of a Job: queued → running → succeeded, failed or cancelled.

A feature declares its long work with `@job_task(name, queue=...)`; the function
receives the claimed Job and a Progress to report through. The Job row is the
source of truth: a task only acts after claiming the row with a conditional
UPDATE, so a message delivered twice (a worker killed, a broker restarted, the
sweeper re-queueing) does the work once.
"""

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone

from .celery import app, queue_name
from .models import Job, Team, User

log = logging.getLogger(__name__)

# Errors worth another attempt: the database or broker went away for a while.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError,
                                                     ConnectionError, TimeoutError)

_QUEUES: dict[str, str] = {}


class JobError(Exception):
    """A failure to explain to the person: the message is shown as it is."""


class JobCancelled(Exception):
    """The job was cancelled while it ran."""


JobFunction = Callable[[Job, "Progress"], dict | None]


def job_task(name: str, *, queue: str = "default") -> Callable[[JobFunction], Any]:
    """Declare `func(job, progress)` as the work behind jobs of kind `name`."""

    def register(func: JobFunction):
        _QUEUES[name] = queue

        @shared_task(name=name, bind=True, ignore_result=True)
        def task(self, job_id: str) -> None:
            try:
                job_run(job_id=job_id, func=func)
            except TRANSIENT_ERRORS as exc:
                # The database was away even to claim or re-queue the job: the broker
                # brings the message back later (10 s, 20 s, … 160 s), then the sweeper.
                _close_connection()
                raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries,
                                 max_retries=5) from None

        task.job_function = func
        return task

    return register


def queue_for(kind: str) -> str:
    if kind not in _QUEUES:
        raise KeyError(f"No job task is registered as {kind!r}")
    return _QUEUES[kind]


def job_create(*, team: Team, owner: User | None, kind: str, title: str = "",
               params: dict | None = None) -> Job:
    """Create a queued job and send it to its queue once the transaction commits."""
    queue_for(kind)  # fail now, in the caller, for an unknown kind
    limit = Job._meta.get_field("title").max_length
    if len(title) > limit:  # a title quoting a long meeting name is shortened, not refused
        title = title[: limit - 1].rstrip() + "…"
    job = Job.objects.create(team=team, owner=owner, kind=kind, title=title, params=params or {})
    transaction.on_commit(lambda: job_enqueue(job=job))
    return job


def job_enqueue(*, job: Job, countdown: float = 0) -> None:
    """Send the job's message; if the broker is away, the sweeper sends it later."""
    try:
        app.send_task(job.kind, args=[str(job.id)], queue=queue_name(queue_for(job.kind)),
                      countdown=countdown or None)
    except Exception:
        log.exception("could not send job %s to the broker; the sweeper will resend it", job.pk)


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER)


def job_claim(*, job_id: str) -> Job | None:
    """Take the job for this attempt, or None when it is not ours to run."""
    now = timezone.now()
    claimable = Q(status=Job.Status.QUEUED) | Q(
        status=Job.Status.RUNNING, heartbeat_at__lt=_stale_before()
    )
    updated = (
        Job.objects.filter(claimable, pk=job_id, attempts__lt=settings.JOB_MAX_ATTEMPTS)
        .update(status=Job.Status.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now,
                started_at=now, error="")
    )
    return Job.objects.get(pk=job_id) if updated else None


def _ours(job: Job) -> Q:
    """Matches the job only while this attempt still owns it."""
    return Q(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


class Progress:
    """What a job function reports through; raises JobCancelled once cancelled."""

    def __init__(self, job: Job, min_interval: float = 0.5):
        self.job = job
        self.min_interval = min_interval
        self._last_write = 0.0
        self._stage: tuple[str, float] | None = None  # (its name without figures, since)

    def __call__(self, percent: float, stage: str | None = None) -> None:
        """Record progress (0–100) and the stage; cheap to call often."""
        now = timezone.now().timestamp()
        stage_changed = stage is not None and stage != self.job.stage
        if not stage_changed and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        self.job.progress = max(0, min(100, int(percent)))
        if stage is not None:
            self.job.stage = stage
            self._time_stage(stage)
        self._write(progress=self.job.progress, stage=self.job.stage)

    def _time_stage(self, stage: str | None) -> None:
        """Time spent in each stage, for the metrics ("Transcribing 40 %" is "Transcribing")."""
        name = re.sub(r"\s*[\d.,]+\s*%?", "", stage).strip() if stage else None
        if self._stage and self._stage[0] == name:
            return
        if self._stage:
            from assistant.metrics import JOB_SECONDS

            JOB_SECONDS.labels(self.job.kind, self._stage[0]).observe(
                time.monotonic() - self._stage[1])
        self._stage = (name, time.monotonic()) if name else None

    def close(self) -> None:
        """The job ended: its last stage's time is recorded."""
        self._time_stage(None)

    def checkpoint(self, **data) -> None:
        """Save what a resumed attempt can skip (merged into job.checkpoint)."""
        self.job.checkpoint = {**self.job.checkpoint, **data}
        self._write(checkpoint=self.job.checkpoint)

    def _write(self, **fields) -> None:
        updated = Job.objects.filter(_ours(self.job)).update(heartbeat_at=timezone.now(), **fields)
        if not updated:
            raise JobCancelled()


class _Heartbeat(threading.Thread):
    """Keeps heartbeat_at fresh while a model call runs without reporting progress."""

    def __init__(self, job: Job):
        super().__init__(daemon=True, name=f"heartbeat-{job.pk}")
        self.job = job
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            # Several beats within the staleness window, so one slow write is no harm.
            interval = min(15.0, settings.JOB_STALE_AFTER / 4)
            while not self.stopped.wait(interval):
                try:
                    Job.objects.filter(_ours(self.job)).update(heartbeat_at=timezone.now())
                except TRANSIENT_ERRORS:
                    log.warning("heartbeat for job %s missed", self.job.pk)
                    _close_connection()  # a broken connection never recovers by itself
        finally:
            connection.close()


def job_run(*, job_id: str, func: JobFunction) -> None:
    """Claim the job, run `func`, and record how it ended. Safe to call twice."""
    job = job_claim(job_id=job_id)
    if job is None:
        log.info("job %s is not claimable (done, cancelled, or running elsewhere)", job_id)
        return
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    progress = Progress(job)
    try:
        result = func(job, progress)
    except JobCancelled:
        log.info("job %s cancelled", job_id)
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except SoftTimeLimitExceeded:
        _finish(job, Job.Status.FAILED, error="This took longer than the time limit allows.")
    except TRANSIENT_ERRORS as exc:
        _retry_later(job, exc)
    except Exception:
        log.exception("job %s crashed", job_id)
        _finish(job, Job.Status.FAILED,
                error="Something went wrong on our side. An admin can see the details and retry.")
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})
    finally:
        progress.close()
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)


def _finish(job: Job, status: str, **fields) -> bool:
    fields.update(status=status, finished_at=timezone.now())
    if status == Job.Status.SUCCEEDED:
        fields.update(progress=100, stage="")
    return bool(Job.objects.filter(_ours(job)).update(**fields))


def _close_connection() -> None:
    with contextlib.suppress(Exception):
        connection.close()


def _when_database_answers(write: Callable[[], Any], *, tries: int = 6) -> Any:
    """Run a write, waiting out a database that went away (1, 2, 4, 8, 16 s between tries)."""
    for attempt in range(tries):
        try:
            return write()
        except TRANSIENT_ERRORS:
            if attempt == tries - 1:
                raise
            _close_connection()  # the next try connects afresh
            time.sleep(2**attempt)
    return None


def _retry_later(job: Job, exc: BaseException) -> None:
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        _when_database_answers(lambda: _finish(
            job, Job.Status.FAILED, error=f"Gave up after {job.attempts} attempts: {exc}"))
        return
    if _when_database_answers(lambda: Job.objects.filter(_ours(job)).update(
            status=Job.Status.QUEUED, queued_at=timezone.now())):
        delay = 10 * 2 ** (job.attempts - 1)
        log.warning("job %s hit %r; retrying in %ss", job.pk, exc, delay)
        job_enqueue(job=job, countdown=delay)


def job_cancel(*, job: Job) -> bool:
    """Cancel a queued or running job; a running one stops at its next report."""
    return bool(
        Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .update(status=Job.Status.CANCELLED, finished_at=timezone.now(), stage="")
    )


def job_retry(*, job: Job) -> bool:
    """Queue a failed or cancelled job again, with a fresh set of attempts."""
    updated = Job.objects.filter(
        pk=job.pk, status__in=[Job.Status.FAILED, Job.Status.CANCELLED]
    ).update(status=Job.Status.QUEUED, attempts=0, error="", progress=0, stage="",
             queued_at=timezone.now(), finished_at=None)
    if updated:
        transaction.on_commit(lambda: job_enqueue(job=job))
    return bool(updated)


def jobs_sweep() -> dict[str, int]:
    """Re-queue jobs whose worker died or whose message was lost; fail the hopeless."""
    now = timezone.now()
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=_stale_before())
    gave_up = stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=Job.Status.FAILED, finished_at=now,
        error=f"The worker stopped {settings.JOB_MAX_ATTEMPTS} times while working on this, "
              "so it was given up. The file may be damaged; an admin can retry it.",
    )
    requeue = list(stale.values_list("pk", flat=True))
    lost_before = now - timedelta(seconds=settings.JOB_QUEUED_TOO_LONG)
    lost = list(Job.objects.filter(status=Job.Status.QUEUED, queued_at__lt=lost_before)
                .values_list("pk", flat=True))
    resent = 0
    for job in Job.objects.filter(pk__in=requeue + lost):
        if job.status == Job.Status.RUNNING:
            moved = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING,
                                       heartbeat_at__lt=_stale_before(),
                                       attempts=job.attempts)
        else:
            moved = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED,
                                       queued_at__lt=lost_before)
        if moved.update(status=Job.Status.QUEUED, queued_at=now):
            job_enqueue(job=job)
            resent += 1
    return {"failed": gave_up, "requeued": resent}
