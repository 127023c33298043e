"""A real Celery worker process for tests, on the test database and the test's file storage."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Start workers on uniquely prefixed queues; every one is killed at the end."""

    def __init__(self, settings_fixture, **env):
        self.prefix = f"test-{uuid.uuid4().hex[:8]}-"
        settings_fixture.CELERY_QUEUE_PREFIX = self.prefix
        media = settings.STORAGES["default"]["OPTIONS"]["location"]
        self.env = {**os.environ, "DATABASE_URL": database_url(),
                    "CELERY_QUEUE_PREFIX": self.prefix, "MEDIA_DIR": str(media),
                    "DJANGO_SETTINGS_MODULE": "assistant.settings",
                    **{k: str(v) for k, v in env.items()}}
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.processes: list[subprocess.Popen] = []

    def start(self, queues: str = "default") -> subprocess.Popen:
        names = ",".join(f"{self.prefix}{q}" for q in queues.split(","))
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "assistant", "worker", "-Q", names,
             "--concurrency", "1", "--pool", "prefork", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{self.prefix}{len(self.processes)}@%h",
             "--loglevel", "WARNING"],
            cwd=ROOT, env=self.env, start_new_session=True)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            self.kill(process)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")
