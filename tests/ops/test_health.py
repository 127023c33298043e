"""Health endpoints: web, database, broker and the workers' heartbeats."""

import time

import pytest
from django.db import connection

from assistant import health

pytestmark = pytest.mark.django_db


def test_it_reports_every_check(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_FOLDER = tmp_path
    (tmp_path / "out").mkdir()
    health.heartbeat_beat(["speech", "text", "live", "default"], host="box-1")
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert set(checks) == {"web", "db", "broker", "workers"}
    assert checks["db"]["detail"] == connection.vendor
    assert checks["workers"]["detail"]["speech"]["host"] == "box-1"


def test_a_queue_without_a_fresh_heartbeat_fails(client, settings):
    settings.HEALTH_WORKER_QUEUES = ["speech", "text"]
    settings.WORKER_HEARTBEAT_STALE = 60
    health.heartbeat_beat(["text"], host="box-2")
    response = client.get("/health/workers")
    assert response.status_code == 503
    detail = response.json()["checks"]["workers"]["detail"]
    assert detail["speech"] == {"ok": False, "host": None, "seconds_ago": None}
    assert detail["text"]["ok"]


def test_a_stale_heartbeat_fails(client, settings, monkeypatch):
    settings.HEALTH_WORKER_QUEUES = ["speech"]
    health.heartbeat_beat(["speech"], host="box-3")
    later = time.time() + settings.WORKER_HEARTBEAT_STALE + 5
    monkeypatch.setattr(health.time, "time", lambda: later)
    assert client.get("/health/workers").status_code == 503


def test_a_prefixed_queue_name_counts_for_its_queue(settings):
    settings.CELERY_QUEUE_PREFIX = "test-"
    health.heartbeat_beat(["test-speech"], host="box-4")
    assert health.heartbeats()["speech"]["host"] == "box-4"


def test_an_unreachable_broker_answers_503_with_the_reason(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    response = client.get("/health/broker")
    assert response.status_code == 503
    assert "Error" in response.json()["checks"]["broker"]["detail"]


def test_an_unknown_check_is_a_404_naming_the_checks(client):
    response = client.get("/health/disk")
    assert response.status_code == 404 and "web, db, broker, workers" in response.json()["error"]


def test_web_needs_no_database(client):
    assert client.get("/health/web").json() == {"ok": True, "checks": {
        "web": {"ok": True, "detail": "answering"}}}
