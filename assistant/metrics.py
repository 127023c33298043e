"""Prometheus metrics: request latency, queue lengths, job durations, model load times.

The web process serves /metrics (with METRICS_TOKEN set, only to `Authorization: Bearer
<token>`). A worker serves its own on WORKER_METRICS_PORT; with PROMETHEUS_MULTIPROC_DIR set
(docker/ sets it) its prefork children's observations are gathered there too.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "assistant_request_seconds", "Time to answer an HTTP request.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
JOB_SECONDS = Histogram(
    "assistant_job_seconds",
    "A job's time by stage: waiting (queued → claimed), running, and each stage its "
    "function reports (\"Transcribing\", \"Finding speakers\", ...).",
    ["kind", "stage"],
    buckets=(0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200, 14400))
JOBS_FINISHED = Counter("assistant_jobs_finished", "Jobs that ended, by outcome.",
                        ["kind", "status"])
MODEL_LOAD_SECONDS = Histogram(
    "assistant_model_load_seconds", "Time to load a model into a worker process.",
    ["kind", "name"], buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120))


class RequestMetricsMiddleware:
    """Times every request, labelled by its URL pattern (not the path: bounded labels)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "unmatched"
        REQUEST_SECONDS.labels(request.method, route, str(response.status_code)).observe(
            time.perf_counter() - start)
        return response


def broker_queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each broker queue (None when the broker cannot be asked)."""
    from assistant.celery import QUEUES, queue_name

    lengths: dict[str, int | None] = {}
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        folder = settings.CELERY_BROKER_FOLDER / "out"
        names = [p.name for p in folder.glob("*.msg")] if folder.is_dir() else []
        for queue in QUEUES:
            lengths[queue] = sum(1 for n in names if n.endswith(f".{queue_name(queue)}.msg"))
        return lengths
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        for queue in QUEUES:
            lengths[queue] = int(client.llen(queue_name(queue)))
    except Exception:
        lengths = dict.fromkeys(QUEUES)
    return lengths


class QueueCollector:
    """Read at scrape time: broker queue lengths and queued/running jobs per queue."""

    def collect(self):
        from assistant.jobs import _QUEUES
        from assistant.models import Job

        broker = GaugeMetricFamily("assistant_queue_length",
                                   "Messages waiting in the broker queue.", labels=["queue"])
        for queue, length in broker_queue_lengths().items():
            if length is not None:
                broker.add_metric([queue], length)
        yield broker
        jobs = GaugeMetricFamily("assistant_jobs", "Jobs not yet ended, by queue and status.",
                                 labels=["queue", "status"])
        counts: dict[tuple[str, str], int] = {}
        rows = (Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
                .values_list("kind", "status"))
        for kind, status in rows:
            key = (_QUEUES.get(kind, "default"), status)
            counts[key] = counts.get(key, 0) + 1
        for (queue, status), count in sorted(counts.items()):
            jobs.add_metric([queue, status], count)
        yield jobs


def registry_for_scrape() -> CollectorRegistry:
    """All processes' metrics when PROMETHEUS_MULTIPROC_DIR is set, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics_view(request):
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(sent, token):
        return HttpResponse("Send Authorization: Bearer <METRICS_TOKEN>.", status=401,
                            content_type="text/plain")
    registry = CollectorRegistry()
    registry.register(QueueCollector())
    body = generate_latest(registry_for_scrape()) + generate_latest(registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# -- worker side: observed from Celery signals in the process that runs the task ----------

_seen_models: set[tuple] = set()


def _job_ended(task=None, args=None, **_) -> None:
    if not (args and getattr(task, "job_function", None)):
        return
    from assistant.models import Job

    job = Job.objects.filter(pk=args[0]).only(
        "kind", "status", "queued_at", "started_at", "finished_at").first()
    if job is None or job.started_at is None:
        return
    JOB_SECONDS.labels(job.kind, "waiting").observe(
        max((job.started_at - job.queued_at).total_seconds(), 0))
    if job.finished_at:
        JOB_SECONDS.labels(job.kind, "running").observe(
            max((job.finished_at - job.started_at).total_seconds(), 0))
        JOBS_FINISHED.labels(job.kind, job.status).inc()
    models_observe()


def models_observe() -> None:
    """Record the load time of every model this process loaded since the last look."""
    from assistant.ai import registry

    for key, loaded in list(registry._cache.items()):
        if key not in _seen_models:
            _seen_models.add(key)
            MODEL_LOAD_SECONDS.labels(loaded.config.kind, loaded.config.name).observe(
                loaded.load_seconds)


def _serve_worker_metrics(**_) -> None:
    port = settings.WORKER_METRICS_PORT
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, registry=registry_for_scrape())


def connect_worker_signals() -> None:
    from celery.signals import task_postrun, worker_ready

    task_postrun.connect(_job_ended, weak=False)
    worker_ready.connect(_serve_worker_metrics, weak=False)
