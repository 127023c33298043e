"""bench/load_eval.py: the report names the web process count and where the CPU went."""

from bench import load_eval


def _row(name: str, count: int = 10) -> dict:
    return {"Name": name, "Request Count": str(count), "Failure Count": "0", "Requests/s": "2.5",
            "50%": "20", "95%": "250", "99%": "400"}


def test_the_report_gives_the_cpu_of_each_process_and_the_web_process_count(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    main = {"rows": [_row("home"), _row("Aggregated")], "5xx": {}, "users": 200, "seconds": 60,
            "think": 5.0, "cpu": {"web": 0.81, "speech worker": 0.62, "machine busy": 1.9}}
    text = load_eval.report(main, [], {"succeeded": 1}, ("0.5", "4.6"), "python -m bench.load_eval")
    assert "uvicorn (3 processes" in text
    assert "web 0.81, speech worker 0.62, machine busy 1.90" in text
    assert "| home | 10 | 2.5 | 20 | 250 | 400 | 0 | yes |" in text
    assert "Priorities" not in text  # not measured, not claimed


def test_the_report_gives_each_process_priority():
    main = {"rows": [_row("home"), _row("Aggregated")], "5xx": {}, "users": 200, "seconds": 60,
            "think": 5.0, "nice": {"web": 0, "speech worker": 10}}
    text = load_eval.report(main, [], {}, ("0.5", "4.6"), "python -m bench.load_eval")
    assert "below the web): web 0, speech worker 10." in text


def test_cpu_seconds_counts_a_process_and_its_children(tmp_path):
    """uvicorn's web processes and Celery's pool processes are children of the one started."""
    import os
    import signal
    import subprocess
    import sys
    import time

    done = tmp_path / "burnt"
    child = f"sum(range(20_000_000)); open({str(done)!r}, 'w').close(); import time; time.sleep(60)"
    parent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; subprocess.run("
                               f"[sys.executable, '-c', {child!r}])"], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not done.exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        used = load_eval.cpu_seconds([parent])
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
    assert used["web"] > 0.1  # the child's work, counted under the first process's name
    assert used["machine busy"] > 0 and "locust" in used
