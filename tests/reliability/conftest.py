"""Throwaway PostgreSQL and Redis servers for the fault tests, never the machine's shared ones.

Each server runs from a temporary folder on a free port, so a test may stop, kill and restart
it. The test database of this package lives on the throwaway PostgreSQL (the `default`
connection is pointed at it for the package and back afterwards), and Celery's broker is the
throwaway Redis, for the test process and for the workers it starts.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
REDIS = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(not PG_BIN or not REDIS,
                                reason="needs PostgreSQL's and Redis's server programs")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Postgres:
    """A PostgreSQL cluster in a temporary folder; stop() and start() keep its data."""

    def __init__(self):
        # PostgreSQL refuses to run as root: then the cluster belongs to the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.folder = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self.bin = Path(PG_BIN[-1])
        self.data = self.folder / "data"
        self.port = free_port()
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync",
                  "-E", "UTF8", check=True)

    def _run(self, program: str, *args, check: bool = False) -> None:
        subprocess.run([*self.as_user, self.bin / program, *args], check=check,
                       capture_output=True)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.folder / "pg.log", "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c full_page_writes=off -c max_connections=50", "start",
                  check=True)
        _wait(lambda: _answers(self.port), 30, "PostgreSQL to listen")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """A redis-server on a free port; kill() loses what it held unless it was saved."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # Append-only, as in docker/compose.yml: a restarted Redis keeps the queued messages.
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait(lambda: _answers(self.port), 30, "Redis to listen")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="package")
def postgres():
    server = Postgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="package")
def redis_server(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="package")
def django_db_setup(django_test_environment, django_db_blocker, postgres):
    """This package's test database, on the throwaway PostgreSQL."""
    from django.db import connections
    from django.test.utils import setup_databases

    databases = connections.settings
    saved = databases["default"]
    with django_db_blocker.unblock():
        connections.close_all()
        del connections["default"]
        databases["default"] = {
            **saved, "ENGINE": "django.db.backends.postgresql", "NAME": "reliability",
            "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": str(postgres.port),
            "OPTIONS": {}, "CONN_MAX_AGE": 0,
            "TEST": {**saved["TEST"], "NAME": "test_reliability"}}
        setup_databases(verbosity=0, interactive=False)
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        del connections["default"]
        databases["default"] = saved


@pytest.fixture
def broker(redis_server, settings):
    """Celery's broker is the throwaway Redis, in this process and in the workers."""
    from kombu import pools

    from assistant.celery import app

    saved = app.conf.broker_url
    settings.CELERY_BROKER_URL = redis_server.url

    def reset(url: str) -> None:
        pools.reset()  # kombu's connection and producer pools, shared by URL
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    reset(redis_server.url)
    yield redis_server
    reset(saved)


@pytest.fixture
def fault_workers(workers, broker):
    """`workers` on the throwaway Redis and PostgreSQL, judging a job stale after 4 s."""
    workers.env.update(REDIS_URL=broker.url, JOB_STALE_AFTER="4", JOB_QUEUED_TOO_LONG="3")
    return workers
