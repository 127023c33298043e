"""`manage.py serve`: the processes it starts and how each is configured."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from assistant.management.commands.serve import (
    THREAD_VARIABLES,
    process_threads,
    web_env,
    worker_env,
)

ROOT = Path(__file__).resolve().parents[2]
PINNED = ("MODEL_THREADS", *THREAD_VARIABLES)


def _threads(env: dict) -> set[str]:
    return {env[name] for name in PINNED}


def test_on_two_cores_only_the_speech_worker_gets_two_threads(monkeypatch):
    monkeypatch.delenv("MODEL_THREADS", raising=False)
    assert _threads(worker_env("speech", cores=2)) == {"2"}
    for queue in ("text", "live", "default"):
        assert _threads(worker_env(queue, cores=2)) == {"1"}, queue


def test_the_text_worker_uses_one_model_thread_on_two_cores_even_if_asked_for_two(monkeypatch):
    monkeypatch.setenv("MODEL_THREADS", "2")
    env = worker_env("text", cores=2)
    assert env["MODEL_THREADS"] == "1" and env["PATH"] == os.environ["PATH"]


def test_bigger_machines_give_model_threads_to_the_model_workers(monkeypatch):
    monkeypatch.setenv("MODEL_THREADS", "4")
    assert [process_threads(q, cores=8) for q in ("speech", "text", "live", "default", "web")] \
        == [4, 4, 4, 1, 1]
    assert process_threads("speech", cores=1) == 1  # never more threads than cores


def test_a_bad_model_threads_value_is_named(monkeypatch):
    monkeypatch.setenv("MODEL_THREADS", "two")
    with pytest.raises(ValueError, match="MODEL_THREADS"):
        worker_env("speech", cores=2)


def test_the_web_server_loads_no_model_and_uses_one_thread():
    env = web_env()
    assert env["ASSISTANT_PROCESS"] == "web" and _threads(env) == {"1"}


PROBE = """
import json, torch, numpy
from threadpoolctl import threadpool_info
pools = {p["user_api"]: p["num_threads"] for p in threadpool_info()}
print(json.dumps({"torch": torch.get_num_threads(), **pools}))
"""


@pytest.mark.parametrize(("queue", "expected"), [("text", 1), ("speech", 2)])
def test_a_process_with_the_worker_environment_runs_its_libraries_on_those_threads(
        monkeypatch, queue, expected):
    monkeypatch.delenv("MODEL_THREADS", raising=False)
    done = subprocess.run([sys.executable, "-c", PROBE], env=worker_env(queue, cores=2),
                          capture_output=True, text=True, timeout=120, check=True)
    pools = json.loads(done.stdout)
    assert pools["torch"] == expected
    assert pools["blas"] == expected and pools["openmp"] == expected, pools


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environ(process: psutil.Process) -> dict:
    try:
        return process.environ()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return {}


def test_serve_starts_every_process_with_its_thread_counts(tmp_path, monkeypatch):
    """The real command: each Celery worker and uvicorn carry their pinned thread counts."""
    monkeypatch.delenv("MODEL_THREADS", raising=False)
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "MEDIA_DIR": str(tmp_path / "media"),
           "CELERY_QUEUE_PREFIX": f"serve-test-{port}-", "MODEL_THREADS": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LOG_LEVEL": "WARNING"}
    serve = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        found: dict[str, dict] = {}
        deadline = time.monotonic() + 120
        while len(found) < 5 and time.monotonic() < deadline:
            assert serve.poll() is None, "serve exited early"
            for child in psutil.Process(serve.pid).children():
                command = child.cmdline()
                if "worker" in command and "-Q" in command:
                    queue = command[command.index("-Q") + 1].removeprefix(env[
                        "CELERY_QUEUE_PREFIX"])
                    found[queue] = _environ(child)
                elif "uvicorn" in command:
                    found["web"] = _environ(child)
            time.sleep(0.5)
        cores = os.cpu_count()
        assert set(found) == {"speech", "text", "live", "default", "web"}
        for name, child_env in found.items():
            expected = str(process_threads(name, cores=cores))
            assert {child_env.get(k) for k in PINNED} == {expected}, (name, child_env)
        assert found["web"]["ASSISTANT_PROCESS"] == "web"
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
