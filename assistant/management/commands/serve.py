"""`python manage.py serve`: the web server, one Celery worker per queue and beat.

For one machine (`make run`). Several machines run the same processes from the
commands in docker/ instead.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand

from assistant.celery import queue_name


def worker_command(queue: str, *, concurrency: int = 1) -> list[str]:
    """The Celery worker for one queue: one process, one job at a time, models kept warm."""
    return [sys.executable, "-m", "celery", "-A", "assistant", "worker",
            "-Q", queue_name(queue), "-n", f"{queue}@%h", "--concurrency", str(concurrency),
            "--pool", "prefork", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]


# The thread pools a process's libraries start on their own: OpenMP (torch, CTranslate2),
# OpenBLAS and MKL (numpy, torch). Unset, each sizes itself to every core of the machine, so
# four workers and the web server on two cores would ask for five times the cores there are.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def process_threads(name: str, *, cores: int | None = None) -> int:
    """Threads one process may use: the speech worker MODEL_THREADS (2 unless set, at most the
    cores); on two cores the text and live workers one each (the small model is starved by a
    second thread: bench/results/drafts.md); the default worker and the web server one."""
    cores = cores or os.cpu_count() or 1
    try:
        model_threads = max(1, int(os.environ.get("MODEL_THREADS") or 2))
    except ValueError:
        raise ValueError("MODEL_THREADS must be a whole number") from None
    if name == "speech":
        return min(model_threads, cores)
    if name in ("text", "live") and cores > 2:
        return min(model_threads, cores)
    return 1


def thread_env(threads: int) -> dict[str, str]:
    """The variables that pin a process's model and numeric library threads to `threads`."""
    return {"MODEL_THREADS": str(threads), **dict.fromkeys(THREAD_VARIABLES, str(threads))}


def worker_env(queue: str, *, cores: int | None = None) -> dict[str, str]:
    """The worker's environment: this process's, with its thread counts set explicitly."""
    return {**os.environ, **thread_env(process_threads(queue, cores=cores))}


# The workers that run long model jobs. The live worker is not among them: its captions are
# due within seconds, like a page.
BATCH_QUEUES = ("speech", "text", "default")


def worker_nice(queue: str) -> int:
    """How many steps below the web server a worker runs (os.nice): WORKER_NICE (0-19, 10
    unless set) for the batch workers, 0 for the live one. On a machine the workers keep busy,
    a page then waits for a core behind no transcription (bench/results/load.md)."""
    if queue not in BATCH_QUEUES:
        return 0
    value = os.environ.get("WORKER_NICE") or "10"
    try:
        niceness = int(value)
    except ValueError:
        raise ValueError("WORKER_NICE must be a whole number from 0 to 19") from None
    if not 0 <= niceness <= 19:
        raise ValueError("WORKER_NICE must be a whole number from 0 to 19")
    return niceness


def lowered(niceness: int) -> Callable[[], None] | None:
    """For Popen(preexec_fn=...): the child starts `niceness` steps below this process, so
    Celery's pool processes, forked from it, inherit the priority."""
    if not niceness:
        return None
    return lambda: os.nice(niceness)


def web_env() -> dict[str, str]:
    """The web server loads no model (ASSISTANT_PROCESS=web forbids it) and needs one thread."""
    return {**os.environ, "ASSISTANT_PROCESS": "web", **thread_env(1)}


def web_workers(*, cores: int | None = None) -> int:
    """Web server processes: WEB_CONCURRENCY (the variable uvicorn and docker/ use), else one
    per core, at least 2 and at most 8. One process runs Django's sync views on one core
    (bench/results/load.md); each process also keeps its own database connection pool."""
    cores = cores or os.cpu_count() or 1
    value = os.environ.get("WEB_CONCURRENCY") or ""
    if not value:
        return min(max(2, cores), 8)
    try:
        workers = int(value)
    except ValueError:
        raise ValueError("WEB_CONCURRENCY must be a whole number") from None
    if workers < 1:
        raise ValueError("WEB_CONCURRENCY must be 1 or more")
    return workers


def web_command(host: str, port: int, *, workers: int | None = None) -> list[str]:
    """uvicorn with `workers` processes (web_workers() unless given) sharing the port."""
    workers = web_workers() if workers is None else workers
    return [sys.executable, "-m", "uvicorn", "assistant.asgi:application", "--host", host,
            "--port", str(port), "--workers", str(workers), "--lifespan", "off",
            "--no-access-log"]


def beat_command() -> list[str]:
    schedule = settings.VAR_DIR / "celerybeat-schedule"
    return [sys.executable, "-m", "celery", "-A", "assistant", "beat", "--loglevel", "INFO",
            "-s", str(schedule)]


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the web server, the speech/text/live/default workers and beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.getenv("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("PORT", "8000")))

    def handle(self, *args, host: str, port: int, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        commands = {"web": web_command(host, port), "beat": beat_command()}
        for queue in ("speech", "text", "live", "default"):
            commands[f"worker-{queue}"] = worker_command(queue)
        envs = {"web": web_env()}
        envs |= {f"worker-{q}": worker_env(q) for q in ("speech", "text", "live", "default")}
        nice = {f"worker-{q}": worker_nice(q) for q in ("speech", "text", "live", "default")}
        processes = {name: subprocess.Popen(cmd, env=envs.get(name),
                                            preexec_fn=lowered(nice.get(name, 0)))
                     for name, cmd in commands.items()}
        broker = ("Redis" if settings.REDIS_URL
                  else f"the embedded broker in {settings.CELERY_BROKER_FOLDER}")
        self.stdout.write(self.style.SUCCESS(
            f"\nTeam Assistant is running at http://{host}:{port}/  "
            f"(jobs through {broker}; Ctrl-C stops everything)\n"))
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        raise KeyboardInterrupt
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
