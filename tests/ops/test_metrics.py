"""Prometheus metrics: request latency, queue length, job durations, model load times."""

import os

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from assistant import metrics
from assistant.celery import app, queue_name
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def _value(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_it_times_requests_by_route(client):
    client.get("/health/web")
    text = client.get("/metrics").content.decode()
    assert _value(text, "assistant_request_seconds_count", route="health/<str:check>",
                  status="200") >= 1


def test_it_counts_queued_jobs_and_broker_messages(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_FOLDER = tmp_path
    (tmp_path / "out").mkdir()
    for n in range(2):  # what Kombu's filesystem transport writes for a message
        (tmp_path / "out" / f"{n}_x.{queue_name('speech')}.msg").write_text("{}")
    JobFactory(kind="meetings.transcribe")
    JobFactory(kind="meetings.minutes", status="running")
    text = client.get("/metrics").content.decode()
    assert _value(text, "assistant_queue_length", queue="speech") == 2
    assert _value(text, "assistant_queue_length", queue="text") == 0
    assert _value(text, "assistant_jobs", queue="speech", status="queued") == 1
    assert _value(text, "assistant_jobs", queue="text", status="running") == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI has it)")
def test_it_counts_messages_in_redis(settings):
    import redis

    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    settings.CELERY_QUEUE_PREFIX = f"metrics-{os.getpid()}-"
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    name = queue_name("text")
    client.delete(name)
    client.rpush(name, "a", "b", "c")
    try:
        assert metrics.broker_queue_lengths()["text"] == 3
    finally:
        client.delete(name)


def test_a_finished_job_is_timed_by_stage(client):
    now = timezone.now()
    job = JobFactory(kind="meetings.minutes", status="succeeded",
                     queued_at=now - timezone.timedelta(seconds=30),
                     started_at=now - timezone.timedelta(seconds=20), finished_at=now)
    task = app.tasks["meetings.minutes"]
    before = REGISTRY.get_sample_value("assistant_job_seconds_sum",
                                       {"kind": "meetings.minutes", "stage": "running"}) or 0
    metrics._job_ended(task=task, args=[str(job.pk)])
    after = REGISTRY.get_sample_value("assistant_job_seconds_sum",
                                      {"kind": "meetings.minutes", "stage": "running"})
    assert after - before == pytest.approx(20, abs=0.01)


def test_each_stage_a_job_reports_is_timed(world):
    from assistant.jobs import job_create, job_run

    def body(job, progress):
        progress(10, stage="Checking the file")
        for percent in (20, 40, 60):
            progress(percent, stage=f"Transcribing {percent} %")  # one stage, whatever the figure
        progress(90, stage="Saving")

    job = job_create(team=world.team, owner=world.owner, kind="assistant.worker_check")

    def sample(stage):
        return REGISTRY.get_sample_value("assistant_job_seconds_count",
                                         {"kind": "assistant.worker_check", "stage": stage}) or 0

    before = {s: sample(s) for s in ("Checking the file", "Transcribing", "Saving")}
    job_run(job_id=str(job.pk), func=body)
    assert {s: sample(s) - before[s] for s in before} == {
        "Checking the file": 1, "Transcribing": 1, "Saving": 1}


def test_model_load_times_are_recorded_once(monkeypatch):
    from assistant.ai import SlotConfig, registry

    loaded = registry.Loaded(SlotConfig("speech_en"), None, object(), 1.5, 0)
    monkeypatch.setitem(registry._cache, ("test-speech",), loaded)
    labels = {"kind": "speech_en", "name": "speech_en"}
    before = REGISTRY.get_sample_value("assistant_model_load_seconds_count", labels) or 0
    metrics.models_observe()
    metrics.models_observe()
    assert REGISTRY.get_sample_value("assistant_model_load_seconds_count", labels) == before + 1


def test_a_metrics_token_is_required_when_set(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})
    assert ok.status_code == 200 and b"assistant_request_seconds" in ok.content
