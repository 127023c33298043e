"""A real worker process writes its heartbeat and serves its metrics."""

import os
import socket
import urllib.request

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache

from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_worker_beats_for_its_queues_and_serves_metrics(workers):
    port = _free_port()
    workers.env.update(WORKER_METRICS_PORT=str(port), WORKER_HEARTBEAT_SECONDS="1")
    workers.start("speech,default")
    # The cache the worker writes to: Redis when REDIS_URL is set, else the database's table.
    shared = (RedisCache(os.environ["REDIS_URL"], {}) if os.environ.get("REDIS_URL")
              else DatabaseCache("assistant_cache", {}))
    shared.delete_many([f"worker-heartbeat:{q}" for q in ("speech", "text", "default")])
    beat = wait_for(lambda: shared.get("worker-heartbeat:speech"), 60, "the speech heartbeat")
    assert beat["host"].startswith(workers.prefix)
    assert shared.get("worker-heartbeat:default") and not shared.get("worker-heartbeat:text")
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read()
    assert b"assistant_job_seconds" in body
