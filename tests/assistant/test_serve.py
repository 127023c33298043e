"""`manage.py serve`: the processes it starts and how each is configured."""

from assistant.management.commands.serve import worker_env


def test_the_text_worker_uses_one_model_thread_on_two_cores(monkeypatch):
    monkeypatch.setenv("MODEL_THREADS", "2")
    env = worker_env("text", cores=2)
    assert env["MODEL_THREADS"] == "1" and env["PATH"]


def test_other_workers_and_bigger_machines_keep_the_environment():
    assert worker_env("speech", cores=2) is None
    assert worker_env("text", cores=8) is None
