"""Load: people browsing, polling their jobs and uploading small recordings, on this machine.

    .venv/bin/python -m bench.load_eval                   # 200 users, 150 s; then 1/10/100
    .venv/bin/python -m bench.load_eval --users 50 --seconds 60 --no-table   # quicker

A production-like deployment: ASSISTANT_ENV=production settings, uvicorn as `manage.py serve`
starts it (`web_command`: WEB_CONCURRENCY processes, by default one per core; `web_env`), the
speech, text and default Celery workers with their `serve` command lines and priority
(WORKER_NICE below the web), PostgreSQL ($LOAD_DATABASE_URL, default database `assistant_load`
on 127.0.0.1:5432) and Redis ($LOAD_REDIS_URL, default db 3, queues under a prefix of this run's
own). Requests come as if through the TLS proxy (X-Forwarded-Proto: https). The users are
signed in beforehand (sessions written to the database), so the run measures the pages, not
password hashing. locust (requirements/bench.txt) runs headless, bounded in time: each user
thinks 2.5–7.5 s between requests (about 40 requests/s for 200 users). Then 1, 10 and 100
users browse with no think time for the web latency table. Writes bench/results/load.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULT = HERE / "results" / "load.md"
P95_TARGET_MS = 300


def ensure_locust() -> None:
    if importlib.util.find_spec("locust") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-r",
                        str(ROOT / "requirements" / "bench.txt")], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder: Path, port: int) -> dict[str, str]:
    return {
        "ASSISTANT_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "False",
        "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL",
                                       "postgres://postgres@127.0.0.1:5432/assistant_load"),
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/3"),
        "CELERY_QUEUE_PREFIX": f"load-{secrets.token_hex(4)}-",
        "VAR_DIR": str(folder / "var"), "MEDIA_DIR": str(folder / "media"),
        "MFA_REQUIRED_FOR_MANAGERS": "False", "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "assistant.settings"}


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(users: int, folder: Path, host: str) -> dict:
    """A team of `users` employees, meetings with transcripts, finished jobs, sessions."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from assistant.models import Job, Membership, Organisation, Role, Team, User
    from meetings.models import Meeting, Segment

    Team.objects.filter(slug="load").delete()
    User.objects.filter(email__endswith="@load.example").delete()
    org, _ = Organisation.objects.get_or_create(name="Load test")
    team = Team.objects.create(organisation=org, name="Load", slug="load")
    people = User.objects.bulk_create([
        User(email=f"person{n}@load.example", name=f"Person {n}", password=make_password(None))
        for n in range(users)])
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.EMPLOYEE)
                                    for u in people])
    sentence = "We agreed that {} sends the budget to finance by Friday and checks the numbers."
    meetings = []
    for n in range(10):
        meeting = Meeting.objects.create(team=team, created_by=people[n], title=f"Stand-up {n}",
                                         held_on=dt.date.today(), language="en",
                                         status=Meeting.Status.READY, duration=600.0)
        Segment.objects.bulk_create([
            Segment(meeting=meeting, index=i, start=10.0 * i, end=10.0 * i + 9,
                    text=sentence.format(people[i % users].name), language="en",
                    words=[]) for i in range(60)])
        meetings.append(meeting.pk)
    jobs = [str(Job.objects.create(team=team, owner=people[n], kind="assistant.worker_check",
                                   title="Check", status=Job.Status.SUCCEEDED, progress=100).pk)
            for n in range(20)]
    sessions = []
    for person in people:
        store = SessionStore()
        store.update({"_auth_user_id": str(person.pk),
                      "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                      "_auth_user_hash": person.get_session_auth_hash()})
        store.create()
        sessions.append(store.session_key)
    audio = folder / "standup.flac"
    from tests.eval_data import EVAL

    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(EVAL / "real/jfk.flac"),
                    "-t", "4", "-ac", "1", "-ar", "16000", str(audio)], check=True)
    return {"sessions": sessions, "meetings": meetings, "jobs": jobs, "audio": str(audio),
            "csrf": secrets.token_hex(16), "host": host}


def start_deployment(env: dict[str, str], port: int) -> list[subprocess.Popen]:
    from assistant.management.commands.serve import (
        lowered,
        web_command,
        web_env,
        worker_command,
        worker_env,
        worker_nice,
    )

    processes = [subprocess.Popen(web_command("127.0.0.1", port), cwd=ROOT,
                                  env={**web_env(), **env}, start_new_session=True)]
    for queue in ("speech", "text", "default"):  # at WORKER_NICE below the web, as serve runs them
        processes.append(subprocess.Popen(
            [*worker_command(queue), "--loglevel", "WARNING"], cwd=ROOT,
            env={**worker_env(queue), **env}, start_new_session=True,
            stdout=subprocess.DEVNULL, preexec_fn=lowered(worker_nice(queue))))
    # As through the TLS proxy: production settings redirect plain http to https.
    probe = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                   headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(probe, timeout=2)  # noqa: S310 - our own http URL
            return processes
        except OSError:
            time.sleep(0.5)
    stop(processes)
    raise RuntimeError("the web server did not answer /healthz within 180 s")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


PROCESS_NAMES = ("web", "speech worker", "text worker", "default worker")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its children."""
    import psutil

    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for member in family:
        try:
            times = member.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def cpu_seconds(processes: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds used so far by each deployment process and its children (uvicorn's web
    processes, Celery's pool processes), and by the whole machine (`machine busy`)."""
    import psutil

    used = {name: tree_cpu_seconds(process.pid)
            for name, process in zip(PROCESS_NAMES, processes, strict=False)}
    machine = psutil.cpu_times()
    used["machine busy"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    used["locust"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + \
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
    return used


def niceness(processes: list[subprocess.Popen]) -> dict[str, int]:
    """Each deployment process's nice value (higher runs behind lower on a busy machine)."""
    import psutil

    return {name: psutil.Process(process.pid).nice()
            for name, process in zip(PROCESS_NAMES, processes, strict=False)}


def run_locust(folder: Path, data: Path, port: int, users: int, seconds: int, think: float,
               browse_only: bool, label: str) -> dict:
    prefix = folder / label
    errors = folder / f"{label}-5xx.json"
    env = {**os.environ, "LOAD_DATA": str(data), "LOAD_THINK": str(think),
           "LOAD_BROWSE_ONLY": "1" if browse_only else "0", "LOAD_ERRORS": str(errors)}
    rate = max(1, min(users, 20))
    subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "load" / "locustfile.py"),
                    "--headless", "-u", str(users), "-r", str(rate), "-t", f"{seconds}s",
                    "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                    "--loglevel", "WARNING", "--stop-timeout", "10"],
                   cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
    five = json.loads(errors.read_text()) if errors.exists() else {}
    return {"rows": rows, "5xx": five, "users": users, "seconds": seconds, "think": think}


def _ms(value: str) -> str:
    return f"{float(value):.0f}" if value not in ("", "N/A") else "–"


def _web_processes() -> str:
    from assistant.management.commands.serve import web_workers

    workers = web_workers()
    return "one process" if workers == 1 else f"{workers} processes"


def report(main: dict, table: list[dict], jobs: dict, load: tuple, command: str) -> str:
    rows = [r for r in main["rows"] if r["Name"] != "Aggregated"]
    total = next(r for r in main["rows"] if r["Name"] == "Aggregated")
    five_total = sum(main["5xx"].values())
    lines = [
        "## Load (bench.load_eval)", "",
        f"`{command}` — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average "
        f"{load[0]} before, {load[1]} after (the machine is shared: other benchmarks may run).",
        "",
        f"Production-like on this machine: production settings, uvicorn ({_web_processes()}, "
        f"as `manage.py serve` starts it), speech/text/default Celery workers, PostgreSQL "
        f"(a connection pool in each web process), Redis. "
        f"{main['users']} signed-in users for {main['seconds']} s, think time "
        f"{main['think'] / 2:g}–{main['think'] * 1.5:g} s, browsing, polling a job's progress "
        f"(htmx partial) and uploading a 4-second recording (about one user in four, once).",
        "",
        f"**{float(total['Requests/s']):.1f} requests/s**, {total['Request Count']} requests, "
        f"{total['Failure Count']} failures, **{five_total} 5xx**; p50 {_ms(total['50%'])} ms, "
        f"p95 {_ms(total['95%'])} ms. Jobs from the uploads: {jobs}.", "",
        *([f"CPU during this run, in cores (of {os.cpu_count()}): "
           + ", ".join(f"{name} {cores:.2f}" for name, cores in main["cpu"].items())
           + " (machine busy: every process on the machine, PostgreSQL and other sessions' "
             "work included).", ""] if main.get("cpu") else []),
        *(["Priorities (nice; `manage.py serve` starts the workers WORKER_NICE below the web): "
           + ", ".join(f"{name} {value}" for name, value in main["nice"].items()) + ".", ""]
          if main.get("nice") else []),
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx | p95 ≤ 300 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        ok = "yes" if r["95%"] not in ("", "N/A") and float(r["95%"]) <= P95_TARGET_MS else "**no**"
        lines.append(f"| {r['Name']} | {r['Request Count']} | {float(r['Requests/s']):.1f} | "
                     f"{_ms(r['50%'])} | {_ms(r['95%'])} | {_ms(r['99%'])} | "
                     f"{main['5xx'].get(r['Name'], 0)} | {ok} |")
    if table:
        lines += ["", "Web latency by concurrent users (browsing only, no think time, "
                  f"{table[0]['seconds']} s each, after the uploads' jobs ended or "
                  f"{table[0].get('settle', '–')} s passed; all pages together):", "",
                  "| users | requests/s | p50 ms | p95 ms | p99 ms | 5xx |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: |"]
        for t in table:
            agg = next(r for r in t["rows"] if r["Name"] == "Aggregated")
            lines.append(f"| {t['users']} | {float(agg['Requests/s']):.1f} | {_ms(agg['50%'])} | "
                         f"{_ms(agg['95%'])} | {_ms(agg['99%'])} | {sum(t['5xx'].values())} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=150)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--table-seconds", type=int, default=30)
    parser.add_argument("--no-table", action="store_true")
    parser.add_argument("--settle-seconds", type=int, default=240,
                        help="wait at most this long for the uploads' jobs before the table")
    args = parser.parse_args()
    ensure_locust()
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="load-eval-"))
    port = free_port()
    env = environment(folder, port)
    os.environ.update(env)
    create_database(env["DATABASE_URL"])
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT,
                       env={**os.environ}, check=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    data = folder / "data.json"
    data.write_text(json.dumps(seed(max(args.users, 100), folder, f"127.0.0.1:{port}")))
    processes = start_deployment(env, port)
    try:
        nice = niceness(processes)
        cpu_before = cpu_seconds(processes)
        main_run = run_locust(folder, data, port, args.users, args.seconds, args.think,
                              False, "main")
        cpu_after = cpu_seconds(processes)
        main_run["cpu"] = {name: (cpu_after[name] - cpu_before[name]) / args.seconds
                           for name in cpu_after}
        main_run["nice"] = nice
        from assistant.models import Job

        uploads = Job.objects.filter(team__slug="load", kind="meetings.transcribe")
        jobs = {s: uploads.filter(status=s).count() for s in ("queued", "running", "succeeded",
                                                               "failed")}
        # The table measures the web alone: first let the uploads' jobs (transcription, then
        # the minutes and whatever follows) finish, bounded, so they do not compete for the cores.
        deadline = time.monotonic() + args.settle_seconds
        pending = Job.objects.filter(team__slug="load", status__in=("queued", "running"))
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(2)
        table = [] if args.no_table else [
            {**run_locust(folder, data, port, n, args.table_seconds, 0, True, f"users{n}"),
             "settle": args.settle_seconds} for n in (1, 10, 100)]
    finally:
        stop(processes)
        import redis

        broker = redis.Redis.from_url(env["REDIS_URL"])
        broker.delete(*[f"{env['CELERY_QUEUE_PREFIX']}{q}" for q in
                        ("speech", "text", "live", "default")])
    command = "python -m bench.load_eval " + " ".join(sys.argv[1:])
    text = report(main_run, table, jobs, (f"{load_before:.1f}", f"{os.getloadavg()[0]:.1f}"),
                  command.strip())
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
