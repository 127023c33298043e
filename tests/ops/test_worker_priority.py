"""The batch workers run at a lower CPU priority than the web server (WORKER_NICE), in
`manage.py serve` and in the load benchmark that starts the deployment as serve does."""

import os
import subprocess
import sys

import pytest

from assistant.management.commands import serve
from assistant.management.commands.serve import lowered, worker_nice

NICE_OF_CHILD = [sys.executable, "-c", "import os; print(os.nice(0))"]
POPEN = subprocess.Popen  # the real one: the tests below replace it in the module


def _child_nice(preexec_fn) -> int:
    with POPEN(NICE_OF_CHILD, preexec_fn=preexec_fn, stdout=subprocess.PIPE, text=True) as child:
        out, _ = child.communicate(timeout=60)
    assert child.returncode == 0
    return int(out)


def test_the_batch_workers_run_ten_steps_lower_by_default_and_live_does_not(monkeypatch):
    monkeypatch.delenv("WORKER_NICE", raising=False)
    assert [worker_nice(q) for q in ("speech", "text", "default", "live")] == [10, 10, 10, 0]
    monkeypatch.setenv("WORKER_NICE", "0")
    assert worker_nice("speech") == 0 and lowered(0) is None


@pytest.mark.parametrize("value", ["ten", "-1", "20"])
def test_a_bad_worker_nice_is_named(monkeypatch, value):
    monkeypatch.setenv("WORKER_NICE", value)
    with pytest.raises(ValueError, match="WORKER_NICE"):
        worker_nice("speech")


def test_a_lowered_child_runs_that_many_steps_below_its_parent():
    here = os.nice(0)
    assert _child_nice(None) == here
    assert _child_nice(lowered(5)) == min(19, here + 5)


class FakeProcess:
    started: list[tuple[list[str], dict]] = []

    def __init__(self, command, **kwargs):
        self.command, self.kwargs, self.pid, self.returncode = command, kwargs, 1, 0
        FakeProcess.started.append((command, kwargs))

    def poll(self):
        return 0  # exits at once: serve stops everything

    def terminate(self):
        pass

    def wait(self, timeout=None):
        return 0


def test_serve_starts_the_batch_workers_lowered_and_the_web_server_not(monkeypatch, settings,
                                                                      tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("WORKER_NICE", raising=False)
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    FakeProcess.started = []
    call_command("serve", port=8799)
    here = os.nice(0)
    nice = {}
    for command, kwargs in FakeProcess.started:
        name = ("web" if "uvicorn" in command else
                command[command.index("-n") + 1].split("@")[0] if "-n" in command else "beat")
        nice[name] = _child_nice(kwargs.get("preexec_fn"))
    lower = min(19, here + 10)
    assert nice == {"web": here, "beat": here, "live": here,
                    "speech": lower, "text": lower, "default": lower}


def test_the_load_benchmark_starts_its_workers_as_serve_does(monkeypatch):
    from bench import load_eval

    monkeypatch.delenv("WORKER_NICE", raising=False)
    monkeypatch.setattr(load_eval.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(load_eval.urllib.request, "urlopen", lambda *a, **k: None)
    FakeProcess.started = []
    processes = load_eval.start_deployment({}, 8799)
    assert len(processes) == 4
    web, *workers = FakeProcess.started
    assert _child_nice(web[1].get("preexec_fn")) == os.nice(0)
    for _command, kwargs in workers:
        assert _child_nice(kwargs["preexec_fn"]) == min(19, os.nice(0) + 10)


def test_in_docker_the_batch_workers_weigh_less_than_the_web_server():
    """Containers are weighed as wholes, so compose gives the weight (cpu_shares), not nice."""
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker" / "compose.yaml")
                             .read_text())["services"]
    default = 1024
    assert compose["web"].get("cpu_shares", default) == default
    assert compose["worker-live"].get("cpu_shares", default) == default
    for name in ("worker-speech", "worker-text", "worker-default"):
        assert compose[name]["cpu_shares"] < default / 4, name
