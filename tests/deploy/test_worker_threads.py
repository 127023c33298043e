"""docker/compose.yaml pins each process's threads as `manage.py serve` does on two cores."""

from pathlib import Path

import yaml

from assistant.management.commands.serve import THREAD_VARIABLES, process_threads

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker" / "compose.yaml")
                         .read_text())
PINNED = ("MODEL_THREADS", *THREAD_VARIABLES)


def test_every_worker_and_the_web_server_pin_their_threads_for_two_cores(monkeypatch):
    monkeypatch.delenv("MODEL_THREADS", raising=False)
    services = COMPOSE["services"]
    for name in ("worker-speech", "worker-text", "worker-live", "worker-default", "web"):
        env = services[name]["environment"]
        expected = str(process_threads(name.removeprefix("worker-"), cores=2))
        assert {env.get(k) for k in PINNED} == {expected}, name


def test_together_they_ask_for_no_more_model_threads_than_jobs_can_overlap_on_two_cores():
    # The speech job and a minutes job run at once: 2 + 1 threads; live and default idle
    # most of the time and take one each.
    services = COMPOSE["services"]
    threads = {name: int(services[name]["environment"]["MODEL_THREADS"])
               for name in ("worker-speech", "worker-text", "worker-live", "worker-default")}
    assert threads == {"worker-speech": 2, "worker-text": 1, "worker-live": 1,
                       "worker-default": 1}
