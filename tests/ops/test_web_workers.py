"""`manage.py serve` runs several web processes; the web process pools its database
connections."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.management.commands.serve import web_command, web_env, web_workers

ROOT = Path(__file__).resolve().parents[2]


def _workers(command: list[str]) -> int:
    return int(command[command.index("--workers") + 1])


def test_one_web_process_per_core_by_default(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert [web_workers(cores=n) for n in (1, 2, 4, 16)] == [2, 2, 4, 8]
    assert _workers(web_command("127.0.0.1", 8000)) == web_workers()


def test_web_concurrency_sets_the_number_of_web_processes(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    command = web_command("127.0.0.1", 8123)
    assert command[command.index("-m") + 1] == "uvicorn" and _workers(command) == 3
    assert command[command.index("--port") + 1] == "8123"
    assert _workers(web_command("127.0.0.1", 8123, workers=5)) == 5


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_a_bad_web_concurrency_is_named(monkeypatch, value):
    monkeypatch.setenv("WEB_CONCURRENCY", value)
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        web_workers()


def test_the_web_processes_keep_the_web_environment(monkeypatch):
    env = web_env()
    assert env["ASSISTANT_PROCESS"] == "web" and env["OMP_NUM_THREADS"] == "1"


PROBE = ("from django.conf import settings; db = settings.DATABASES['default']; "
         "print(repr(db.get('OPTIONS', {}).get('pool')), db['CONN_HEALTH_CHECKS'])")


def _pool(**env) -> str:
    done = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {PROBE}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "assistant.settings",
                               "DATABASE_CONN_MAX_AGE": "0", **env})
    return done.stdout.strip()


def test_the_web_process_pools_postgresql_connections():
    url = "postgres://postgres@127.0.0.1:5432/assistant"
    pool = _pool(DATABASE_URL=url, ASSISTANT_PROCESS="web")
    # Checked before it is lent (Django passes CONN_HEALTH_CHECKS to psycopg_pool as `check`).
    assert "'max_size': 10" in pool and pool.endswith("True")
    # Workers (forked by Celery's prefork pool) and persistent connections: no pool.
    assert _pool(DATABASE_URL=url, ASSISTANT_PROCESS="worker").startswith("None")
    assert _pool(DATABASE_URL=url, ASSISTANT_PROCESS="web",
                 DATABASE_CONN_MAX_AGE="60").startswith("None")
    assert _pool(DATABASE_URL="sqlite:////tmp/x.sqlite3",
                 ASSISTANT_PROCESS="web").startswith("None")


def test_a_web_process_serves_requests_from_its_pool(tmp_path):
    """The pooled settings really connect: a query through Django in a web process."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    code = ("import django; django.setup(); from django.db import connection; "
            "connection.cursor().execute('SELECT 1'); "
            "print(connection.pool is not None, connection.pool.get_stats()['pool_size'] >= 1)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "ASSISTANT_PROCESS": "web",
                                            "DJANGO_SETTINGS_MODULE": "assistant.settings",
                                            "DATABASE_CONN_MAX_AGE": "0"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]
