"""The Celery app: four queues, JSON only, late acknowledgement for long jobs.

https://docs.celeryq.dev/en/stable/userguide/configuration.html
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")

from django.conf import settings  # noqa: E402

QUEUES = ("speech", "text", "live", "default")

app = Celery("assistant")


def queue_name(queue: str) -> str:
    """The broker name of one of QUEUES (a prefix keeps test runs apart; CELERY_QUEUE_NAMES
    renames a queue, e.g. speech=speech-gpu to send transcription to GPU machines)."""
    return f"{settings.CELERY_QUEUE_PREFIX}{settings.CELERY_QUEUE_NAMES.get(queue, queue)}"


def _configure() -> None:
    broker_options: dict = {
        # Longer than the longest job, so a slow job's message is never handed
        # out twice while its worker is alive.
        "visibility_timeout": settings.JOB_HARD_TIME_LIMIT + 600,
    }
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        folder = settings.CELERY_BROKER_FOLDER
        for sub in ("out", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        broker_options.update(
            data_folder_in=str(folder / "out"),
            data_folder_out=str(folder / "out"),
            processed_folder=str(folder / "processed"),
            control_folder=str(folder / "control"),
            store_processed=False,
        )
    app.conf.update(
        broker_url=settings.CELERY_BROKER_URL,
        broker_transport_options=broker_options,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=None,
        task_soft_time_limit=settings.JOB_SOFT_TIME_LIMIT,
        task_time_limit=settings.JOB_HARD_TIME_LIMIT,
        task_queues=[Queue(queue_name(q)) for q in QUEUES],
        task_default_queue=queue_name("default"),
        task_always_eager=settings.CELERY_TASK_ALWAYS_EAGER,
        timezone="UTC",
        beat_schedule={
            "sweep-jobs": {"task": "assistant.sweep_jobs", "schedule": 60.0},
        },
    )


_configure()
app.autodiscover_tasks()


def _connect_operations() -> None:
    """Worker heartbeats, job and model metrics, and job ids in the logs (assistant/health.py,
    metrics.py, logging.py)."""
    from . import health, metrics
    from .logging import connect_worker_signals

    app.autodiscover_tasks(["assistant"], related_name="ops")  # the storage check jobs
    health.connect_worker_signals()
    metrics.connect_worker_signals()
    connect_worker_signals(json_logs=settings.LOG_FORMAT == "json")


_connect_operations()
