"""End to end: a recording uploaded → transcript, speakers, minutes and suggested to-dos ready.

    .venv/bin/python -m bench.e2e_eval            # 5, 15, 30 and 60 min; the 10-min comparison
    .venv/bin/python -m bench.e2e_eval --sizes 5,15 --repeats 1  # quicker
    .venv/bin/python -m bench.e2e_eval --sizes 5 --repeats 1 --no-compare --no-live

The app's own path on PostgreSQL + Redis: `meetings.services.meeting_create` (what the upload
view calls) stores the file and queues the transcription; real Celery workers for the speech,
text, live and default queues run with the command lines and environments `manage.py serve`
gives them (`worker_command`, `worker_env`), and uvicorn (`web_command`, `web_env`) answers the
meeting's status page once a second as the browser polls it. A meeting is ready when its minutes
job has succeeded. Each stage's share comes from the job rows (waiting, hand-off) and the stage
timings the jobs report (`assistant_job_seconds{kind,stage}`, read from the workers'
PROMETHEUS_MULTIPROC_DIR). Meetings of N minutes are the shared scenarios and bench/scenarios
renders joined round-robin and cut at N minutes (cached under bench/.cache/e2e/). Plain
faster-whisper's transcription of the 10-minute meeting (bench.transcription_eval's runner) is
timed alternately with the pipeline in the same run. Per worker type: peak resident memory
(VmHWM), threads, and the threads that did work. Writes bench/results/e2e.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("EVAL_DIR", ROOT.parent / "shared" / "eval"))
CACHE = ROOT / "bench" / ".cache" / "e2e"
SCENARIO_CACHE = ROOT / "bench" / ".cache" / "scenarios"  # shared with bench.minutes_audio_eval
RESULTS = ROOT / "bench" / "results" / "e2e.md"
TARGET_MINUTES, TARGET_SECONDS = 60, 240.0
COMPARE_MINUTES = 10
QUEUES = ("speech", "text", "live", "default")


# --- audio -------------------------------------------------------------------------------

def _cache() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return CACHE


def sources() -> list[tuple[Path, Path]]:
    """(audio, roster) of every scripted meeting: the shared ones and ours, rendered once."""
    out = [(p, p.with_suffix(".roster.json")) for p in sorted((EVAL / "audio").glob("*.flac"))]
    for scenario in sorted((ROOT / "bench" / "scenarios").glob("*.json")):
        wav = SCENARIO_CACHE / f"{scenario.stem}.wav"
        if not wav.exists():
            SCENARIO_CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(EVAL / "synth.py"), str(scenario),
                            str(SCENARIO_CACHE)], check=True, capture_output=True, timeout=900)
        out.append((wav, wav.with_suffix(".roster.json")))
    return out


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                          "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def meeting_audio(minutes: int) -> Path:
    """The scripted meetings joined round-robin and cut at `minutes` (FLAC, 16 kHz mono)."""
    out = _cache() / f"meeting{minutes}.flac"
    if out.exists():
        return out
    pieces = []
    for audio, _ in sources():  # one sample format, so the concat demuxer can join them
        wav = _cache() / f"part-{audio.stem}.wav"
        if not wav.exists():
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(audio), "-ac", "1", "-ar",
                            "16000", "-c:a", "pcm_s16le", str(wav)], check=True)
        pieces.append((wav, duration(wav)))
    listing, total, i = [], 0.0, 0
    while total < minutes * 60:
        wav, seconds = pieces[i % len(pieces)]
        listing.append(f"file '{wav}'")
        total, i = total + seconds, i + 1
    (_cache() / f"meeting{minutes}.txt").write_text("\n".join(listing) + "\n")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i",
                    str(_cache() / f"meeting{minutes}.txt"), "-t", str(minutes * 60),
                    "-c:a", "flac", str(out)], check=True, timeout=900)
    return out


def roster_names() -> list[str]:
    names: list[str] = []
    for _, roster in sources():
        if roster.exists():
            names += [m["name"] for m in json.loads(roster.read_text())
                      if m["name"] not in names]
    return names


# --- the processes ---------------------------------------------------------------------------

class Processes:
    """uvicorn and one worker per queue, started as `manage.py serve` starts them."""

    def __init__(self, run_dir: Path):
        from assistant.management.commands import serve

        self.run_dir = run_dir
        self.metrics_dir = run_dir / "prometheus"
        self.metrics_dir.mkdir(parents=True)
        self.port = _free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        extra = {"PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir), "LOG_LEVEL": "WARNING"}
        for queue in QUEUES:
            env = {**(serve.worker_env(queue) or os.environ), **extra}
            self._start(f"worker-{queue}", serve.worker_command(queue), env,
                        serve.lowered(serve.worker_nice(queue)))
        web_env = getattr(serve, "web_env", lambda: {**os.environ, "ASSISTANT_PROCESS": "web"})
        self._start("web", serve.web_command("127.0.0.1", self.port), web_env())
        self.envs = {**{"worker-" + q: serve.worker_env(q) or {} for q in QUEUES},
                     "web": web_env()}

    def _start(self, name: str, command: list[str], env: dict, preexec=None) -> None:
        log = open(self.run_dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=preexec)

    def tree(self, name: str) -> list[psutil.Process]:
        try:
            parent = psutil.Process(self.procs[name].pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def check(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                log = (self.run_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{log}")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_memory_mb(proc: psutil.Process) -> float:
    """VmHWM: the process's peak resident memory so far."""
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def thread_times(procs: Processes) -> dict[str, dict[tuple[int, int], float]]:
    """CPU seconds of every thread of every process, by process name."""
    out: dict[str, dict[tuple[int, int], float]] = {}
    for name in procs.procs:
        seen = {}
        for proc in procs.tree(name):
            try:
                for t in proc.threads():
                    seen[(proc.pid, t.id)] = t.user_time + t.system_time
            except psutil.NoSuchProcess:
                continue
        out[name] = seen
    return out


class Sampler(threading.Thread):
    """Per process: most threads seen, CPU per thread over a run, and the page's latency."""

    def __init__(self, procs: Processes, status_url: str | None, cookie: str | None):
        super().__init__(daemon=True)
        self.procs, self.status_url, self.cookie = procs, status_url, cookie
        self.stopped = threading.Event()
        self.most_threads: dict[str, int] = {}
        self.latencies: list[float] = []
        self.before = thread_times(procs)

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for name in self.procs.procs:
                count = sum(_threads(p) for p in self.procs.tree(name))
                self.most_threads[name] = max(self.most_threads.get(name, 0), count)
            if self.status_url:
                request = urllib.request.Request(self.status_url, headers={  # noqa: S310
                    "Cookie": self.cookie or "", "HX-Request": "true"})
                began = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                        answer.read()
                    self.latencies.append(time.perf_counter() - began)
                except OSError:
                    pass

    def finish(self, wall: float) -> dict[str, dict]:
        self.stopped.set()
        self.join()
        after = thread_times(self.procs)
        out = {}
        for name, threads in after.items():
            used = sorted((v - self.before.get(name, {}).get(k, 0.0)
                           for k, v in threads.items()), reverse=True)
            # A thread "worked" when it took at least 0.5 s and a tenth of the busiest one's time.
            busiest = used[0] if used else 0.0
            out[name] = {"cpu": sum(used), "threads": self.most_threads.get(name, 0),
                         "working": sum(1 for v in used if v >= max(0.5, 0.1 * busiest)),
                         "top": [round(v, 1) for v in used[:6]]}
        return out


def _threads(proc: psutil.Process) -> int:
    try:
        return proc.num_threads()
    except psutil.NoSuchProcess:
        return 0


# --- one meeting through the pipeline ----------------------------------------------------------

def stage_sums(metrics_dir: Path, metric: str = "assistant_job_seconds",
               labels: tuple[str, str] = ("kind", "stage"),
               ) -> dict[tuple[str, str], tuple[float, float]]:
    """(kind, stage) → (seconds, count) of a histogram over every worker process."""
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(metrics_dir))
    sums: dict[tuple[str, str], list[float]] = {}
    for family in registry.collect():
        if family.name != metric:
            continue
        for sample in family.samples:
            key = (sample.labels[labels[0]], sample.labels[labels[1]])
            if sample.name.endswith("_sum"):
                sums.setdefault(key, [0.0, 0.0])[0] += sample.value
            elif sample.name.endswith("_count"):
                sums.setdefault(key, [0.0, 0.0])[1] += sample.value
    return {k: (v[0], v[1]) for k, v in sums.items()}


def wait_idle(team, timeout: float = 3600) -> None:
    """Until none of the team's jobs is queued or running (a room's meeting, a warm-up's
    minutes); the team is this run's own, so an earlier stopped run's jobs do not count."""
    from assistant.models import Job

    deadline = time.monotonic() + timeout
    while Job.objects.filter(team=team,
                             status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("jobs still queued or running after the timeout")
        time.sleep(1)


def run_meeting(procs: Processes, setup: dict, audio: Path) -> dict:
    """Upload `audio` through the service and wait until its minutes and to-dos are ready."""
    from django.core.files import File

    from assistant.models import Job
    from meetings import services
    from meetings.models import Meeting, Minutes

    wait_idle(setup["team"])
    before = stage_sums(procs.metrics_dir)
    load = os.getloadavg()[0]
    began = time.time()
    with open(audio, "rb") as handle:
        meeting = services.meeting_create(team=setup["team"], user=setup["owner"],
                                          upload=File(handle, name=audio.name),
                                          title=f"Bench {audio.stem}")
    uploaded = time.time()
    sampler = Sampler(procs, f"http://127.0.0.1:{procs.port}/meetings/{meeting.pk}/status/",
                      setup["cookie"])
    sampler.start()
    transcribe = minutes_job = None
    while True:
        procs.check()
        transcribe = Job.objects.get(pk=meeting.job_id)
        if transcribe.status in (Job.Status.FAILED, Job.Status.CANCELLED):
            raise RuntimeError(f"transcription {transcribe.status}: {transcribe.error}")
        minutes = Minutes.objects.filter(meeting=meeting).select_related("job").first()
        minutes_job = minutes.job if minutes else None
        if minutes_job and minutes_job.status == Job.Status.SUCCEEDED:
            break
        if minutes_job and minutes_job.status in (Job.Status.FAILED, Job.Status.CANCELLED):
            raise RuntimeError(f"minutes {minutes_job.status}: {minutes_job.error}")
        time.sleep(0.25)
    ready = minutes_job.finished_at.timestamp()
    wall = ready - began
    threads = sampler.finish(wall)
    after = _stages_after(procs.metrics_dir, before)
    meeting = Meeting.objects.get(pk=meeting.pk)
    return {
        "audio": audio.name, "seconds": duration(audio), "wall": wall, "load": load,
        "upload": uploaded - began,
        "speech_wait": max(transcribe.started_at.timestamp() - uploaded, 0.0),
        "speech_run": (transcribe.finished_at - transcribe.started_at).total_seconds(),
        "handoff": max(minutes_job.started_at.timestamp() - transcribe.finished_at.timestamp(),
                       0.0),
        "text_run": (minutes_job.finished_at - minutes_job.started_at).total_seconds(),
        "stages": {f"{k[0]}|{k[1]}": v for k, v in after.items()},
        "segments": meeting.segments.count(), "speakers": meeting.speakers.count(),
        "todos": meeting.action_items.count(), "decisions": meeting.decisions.count(),
        "threads": threads,
        "web_latency": sorted(sampler.latencies),
    }


def _stages_after(metrics_dir: Path, before: dict) -> dict[tuple[str, str], float]:
    """Each stage's seconds in this run (waits briefly for the last observation to land)."""
    deadline = time.monotonic() + 10
    while True:
        now = stage_sums(metrics_dir)
        done = now.get(("meetings.minutes", "running"), (0, 0))[1]
        if done > before.get(("meetings.minutes", "running"), (0, 0))[1] or \
                time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return {k: v[0] - before.get(k, (0.0, 0.0))[0] for k, v in now.items()
            if v[1] > before.get(k, (0.0, 0.0))[1]}


def live_room(setup: dict, seconds: float = 30.0) -> None:
    """Stream `seconds` of a meeting into a live room in real time, so the live worker loads
    and uses its models (its memory and threads are then measured like the others')."""
    import numpy as np

    from meetings import rooms
    from meetings.audio import load_recording

    _, wav = load_recording(str(EVAL / "audio" / "platform-weekly.flac"))
    pcm = (np.clip(wav[: int(seconds * 16000)], -1, 1) * 32767).astype("<i2").tobytes()
    room = rooms.room_create(team=setup["team"], host=setup["owner"], title="Bench room")
    participant = room.participants.get(user=setup["owner"])
    step = 16000  # half a second of 16-bit samples
    for at in range(0, len(pcm), step):
        rooms.audio_append(participant=participant, pcm=pcm[at:at + step], capture="bench",
                           at=at // 2)
        time.sleep(0.5)
    time.sleep(5)
    rooms.room_end(room=room, by=setup["owner"])


# --- setup -----------------------------------------------------------------------------------

def prepare_database(url: str) -> None:
    """Create the benchmark's database when missing and migrate it."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def team_setup() -> dict:
    """A team whose members are every scripted meeting's people (so names are hotwords and
    owners), its admin the uploader; a signed-in session for the status page."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from assistant.models import Membership, Organisation, Role, Team, User

    tag = uuid.uuid4().hex[:8]
    org = Organisation.objects.create(name=f"Bench {tag}")
    team = Team.objects.create(organisation=org, name=f"Bench {tag}", slug=f"bench-{tag}",
                               time_zone="Europe/London")
    owner = None
    for i, name in enumerate(roster_names()):
        user = User.objects.create_user(email=f"{tag}-{i}@example.com", password=None, name=name)
        Membership.objects.create(team=team, user=user, role=Role.ADMIN if i == 0 else
                                  Role.EMPLOYEE)
        owner = owner or user
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session.create()
    return {"team": team, "owner": owner,
            "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def configure(args: argparse.Namespace, run_dir: Path) -> None:
    """The environment every process of the run shares, set before Django reads it."""
    os.environ.update({
        "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url,
        "VAR_DIR": str(run_dir / "var"), "MEDIA_DIR": str(run_dir / "media"),
        "CELERY_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex[:8]}-",
        "DJANGO_SETTINGS_MODULE": "assistant.settings", "ASSISTANT_ENV": "development",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    })
    prepare_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def plain_transcription(audio: Path) -> dict:
    """Plain faster-whisper defaults on the file, in a process of its own (model load excluded)."""
    from bench.transcription_eval import run_worker

    load = os.getloadavg()[0]
    rows, summary = run_worker("plain", [audio])
    return {**rows[0], **summary, "load_before": load}


# --- main ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,15,30,60", help="meeting lengths in minutes")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-compare", action="store_true",
                        help="skip the 10-minute pipeline vs plain faster-whisper comparison")
    parser.add_argument("--no-live", action="store_true", help="skip the live room warm-up")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/assistant_bench_e2e"))
    parser.add_argument("--redis-url", default=os.environ.get(
        "BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument("--report", metavar="RUN_DIR[,RUN_DIR]", help="only write the section "
                        "again from runs' runs.json (give the flags of the first; several runs "
                        "are joined)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.report:
        return report_again(args, sizes, [Path(p) for p in args.report.split(",")])
    started = dt.datetime.now(dt.UTC)
    signal.signal(signal.SIGTERM, _stop)
    run_dir = _cache() / f"run-{started:%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True)
    audios = {m: meeting_audio(m) for m in sorted({*sizes, COMPARE_MINUTES, 1})}
    configure(args, run_dir)
    setup = team_setup()
    procs = Processes(run_dir)
    runs: list[dict] = []
    compare: list[tuple[dict, dict]] = []
    try:
        _wait_for_web(procs)
        print("-- warm-up (models load once per worker)", flush=True)
        warm = threading.Thread(target=live_room, args=(setup,)) if not args.no_live else None
        if warm:
            warm.start()
        cold = run_meeting(procs, setup, audios[1])
        if warm:
            warm.join()
        planned = args.repeats * (len(sizes) + (0 if args.no_compare else 1))

        def write(done: int) -> None:
            """The section as measured so far (rewritten after every meeting)."""
            memory = {name: max((peak_memory_mb(p) for p in procs.tree(name)), default=0.0)
                      for name in procs.procs}
            processes = {name: len(procs.tree(name)) for name in procs.procs}
            loads = stage_sums(procs.metrics_dir, "assistant_model_load_seconds",
                               ("kind", "name"))
            (run_dir / "runs.json").write_text(json.dumps(
                {"cold": cold, "runs": runs, "compare": compare, "memory": memory,
                 "processes": processes, "envs": procs.envs,
                 "loads": {"|".join(k): v for k, v in loads.items()}}, indent=1, default=str))
            RESULTS.write_text(_partial(done, planned, markdown(
                args, started, sizes, cold, runs, compare, memory, processes, procs.envs, loads)))

        done = 0
        for repeat in range(args.repeats):
            if not args.no_compare:  # first: the comparison is what a short run must show
                pair = _compare_pair(procs, setup, audios[COMPARE_MINUTES], repeat)
                compare.append(pair)
                print(f"   10 min pipeline {pair[0]['wall']:.1f} s, plain "
                      f"{pair[1]['seconds']:.1f} s", flush=True)
                done += 1
                write(done)
            for minutes in sizes:
                print(f"-- {minutes} min, run {repeat + 1}/{args.repeats}", flush=True)
                runs.append({"minutes": minutes, **run_meeting(procs, setup, audios[minutes])})
                print(_short(runs[-1]), flush=True)
                done += 1
                write(done)
        wait_idle(setup["team"])
        write(done)
    finally:
        procs.stop()
    print(RESULTS.read_text())
    shutil.rmtree(run_dir / "media", ignore_errors=True)
    return 0


def _partial(done: int, planned: int, section: str) -> str:
    """The section, saying under its heading when the run was stopped early."""
    if done == planned:
        return section
    heading, rest = section.split("\n", 1)
    return (f"{heading}\n\n**Partial: {done} of the {planned} planned measurements were made "
            f"before the run was stopped.**\n{rest}")


def report_again(args: argparse.Namespace, sizes: list[int], run_dirs: list[Path]) -> int:
    """The section rewritten from finished or stopped runs' runs.json (the first run's flags,
    warm-up and model loads; the others' meetings added, peak memory the highest seen)."""
    from assistant.management.commands import serve

    run_dir = run_dirs[0]
    saved = json.loads((run_dir / "runs.json").read_text())
    for other in run_dirs[1:]:
        more = json.loads((other / "runs.json").read_text())
        saved["runs"] += more["runs"]
        saved["compare"] += more["compare"]
        saved["memory"] = {k: max(v, more["memory"].get(k, 0.0))
                           for k, v in saved["memory"].items()}
    started = dt.datetime.strptime(run_dir.name, "run-%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    envs = saved.get("envs") or {**{f"worker-{q}": serve.worker_env(q) for q in QUEUES},
                                 "web": serve.web_env()}
    processes = saved.get("processes") or {**{f"worker-{q}": 2 for q in QUEUES}, "web": 1}
    loads = {tuple(k.split("|")): tuple(v) for k, v in saved["loads"].items()}
    compare = [tuple(pair) for pair in saved["compare"]]
    planned = args.repeats * (len(sizes) + (0 if args.no_compare else 1))
    RESULTS.write_text(_partial(len(saved["runs"]) + len(compare), planned, markdown(
        args, started, sizes, saved["cold"], saved["runs"], compare, saved["memory"], processes,
        envs, loads)))
    print(RESULTS.read_text())
    return 0


def _stop(*_) -> None:
    raise KeyboardInterrupt  # the workers are stopped and the last section written stays


def _compare_pair(procs: Processes, setup: dict, audio: Path, repeat: int) -> tuple[dict, dict]:
    """The pipeline and plain faster-whisper on the same file, order alternating by repeat."""
    if repeat % 2 == 0:
        ours = run_meeting(procs, setup, audio)
        wait_idle(setup["team"])
        return ours, plain_transcription(audio)
    plain = plain_transcription(audio)
    return run_meeting(procs, setup, audio), plain


def _short(run: dict) -> str:
    return (f"   wall {run['wall']:.1f} s (speech {run['speech_run']:.1f}, text "
            f"{run['text_run']:.1f}), load {run['load']:.1f}, {run['todos']} to-dos")


def _wait_for_web(procs: Processes, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs.check()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{procs.port}/health/web", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the web server did not answer /health/web")


# --- the section --------------------------------------------------------------------------

SPEECH, TEXT = "meetings.transcribe", "meetings.minutes"
STAGES = [  # (label, how to read it from a run)
    ("upload (store the file, queue the job)", lambda r: r["upload"]),
    ("speech queue: waiting", lambda r: r["speech_wait"]),
    # The job says "Checking the file" until its first 5-minute piece is transcribed.
    ("checking, decoding, transcribing", lambda r: _stage(r, SPEECH, "Checking the file")
     + _stage(r, SPEECH, "Transcribing")),
    ("finding speakers", lambda r: _stage(r, SPEECH, "Finding speakers")),
    ("saving the transcript", lambda r: _stage(r, SPEECH, "Saving")),
    ("hand-off to the text worker", lambda r: r["handoff"]),
    ("minutes: reading + extraction + model", lambda r: _stage(r, TEXT, "Reading the transcript")),
    ("minutes: saving, to-dos", lambda r: _stage(r, TEXT, "Saving the minutes")),
]


def _stage(run: dict, kind: str, stage: str) -> float:
    return run["stages"].get(f"{kind}|{stage}", 0.0)


def _spread(values: list[float], fmt: str = ".1f") -> str:
    """median (min–max) of several runs, or the one value."""
    if len(values) == 1:
        return format(values[0], fmt)
    return (f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–"
            f"{format(max(values), fmt)})")


def _cpu(run: dict) -> float:
    """CPU seconds every process of the app spent during a run (workers and web)."""
    return sum(p.get("cpu", 0.0) for p in run["threads"].values())


def _commit(before: dt.datetime | None = None) -> str:
    """HEAD, or the last commit made before a run started (for a section written again)."""
    command = ["git", "rev-list", "-1", "--abbrev-commit"]
    command += [f"--before={before.isoformat()}"] if before else []
    out = subprocess.run([*command, "HEAD"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    return out.stdout.strip() or "unknown"


def markdown(args, started, sizes, cold, runs, compare, memory, processes, envs, loads) -> str:
    from bench.__main__ import machine, versions

    lines = [
        "## End to end: a recording uploaded → transcript, speakers, minutes and to-dos",
        "",
        f"`.venv/bin/python -m bench.e2e_eval --sizes {','.join(map(str, sizes))} --repeats "
        f"{args.repeats}{' --no-compare' if args.no_compare else ''}"
        f"{' --no-live' if args.no_live else ''}`, {started:%Y-%m-%d %H:%M} UTC, commit "
        f"{_commit(started)}; {machine()}; {versions()}. PostgreSQL + Redis; the workers and "
        "uvicorn as `manage.py serve` starts them (their environment below; the speech, "
        "text and default workers WORKER_NICE below the web); models warm (a 1-minute "
        "meeting ran first, with every model loading"
        f"{'' if args.no_live else ' and 30 s streamed into a live room'}: "
        f"{cold['wall']:.1f} s, load {cold['load']:.1f}).",
        "",
    ]
    # The comparison's pipeline runs are 10-minute meetings through the same path.
    runs = runs + [{"minutes": COMPARE_MINUTES, **ours} for ours, _ in compare]
    by_size = {m: [r for r in runs if r["minutes"] == m]
               for m in sorted({*sizes, *(r["minutes"] for r in runs)})}
    if TARGET_MINUTES in sizes and not by_size.get(TARGET_MINUTES):
        lines += [f"**Target: {TARGET_MINUTES}-minute recording → minutes and to-dos ready in "
                  f"≤ {TARGET_SECONDS:.0f} s: not measured** (the run stopped before a "
                  f"{TARGET_MINUTES}-minute meeting was done).", ""]
    if TARGET_MINUTES in by_size and by_size[TARGET_MINUTES]:
        walls = [r["wall"] for r in by_size[TARGET_MINUTES]]
        met = statistics.median(walls) <= TARGET_SECONDS
        lines += [f"**Target: {TARGET_MINUTES}-minute recording → minutes and to-dos ready in "
                  f"≤ {TARGET_SECONDS:.0f} s: {'met' if met else 'not met'}** (median "
                  f"{statistics.median(walls):.1f} s, runs {', '.join(f'{w:.1f}' for w in walls)}"
                  ").", ""]
    if compare:
        ratios = [ours["wall"] / plain["seconds"] for ours, plain in compare]
        cpu = [_cpu(ours) / plain["cpu"] for ours, plain in compare]
        met = statistics.median(ratios) <= 1.0
        lines += [
            f"**Target: the whole pipeline on a {COMPARE_MINUTES}-minute meeting at least as fast "
            f"as plain faster-whisper's transcription alone: {'met' if met else 'not met'}** — "
            f"pipeline / plain = {_spread(ratios, '.2f')} (pairs in the same run, order "
            "alternating; plain is `WhisperModel(tiny.en, device=\"cpu\", compute_type=\"int8\")"
            ".transcribe(path)` with its defaults, model load excluded, in a process of its own "
            "while the warm workers idle):", "",
            "| pair | pipeline, upload → to-dos (s) | plain transcription (s) | ratio | CPU s: "
            "pipeline (every process), plain | CPU ratio | load at start (pipeline, plain) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            *[f"| {i + 1} | {o['wall']:.1f} | {p['seconds']:.1f} | {o['wall'] / p['seconds']:.2f}"
              f" | {_cpu(o):.1f}, {p['cpu']:.1f} | {_cpu(o) / p['cpu']:.2f} | {o['load']:.1f}, "
              f"{p['load_before']:.1f} |" for i, (o, p) in enumerate(compare)], "",
            f"CPU seconds, which a busy machine inflates less than wall time: pipeline / plain = "
            f"{_spread(cpu, '.2f')}.", ""]
    lines += ["How time grows with the meeting (median, min–max over runs; the 10-minute "
              "meeting's are the comparison's pipeline runs):", "",
              "| meeting | runs | upload → minutes and to-dos ready (s) | real-time factor | "
              "CPU s (every process) | load at start | segments, speakers, to-dos, decisions "
              "(last run) |",
              "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for m, rs in by_size.items():
        if not rs:
            continue
        last = rs[-1]
        lines.append(
            f"| {m} min | {len(rs)} | {_spread([r['wall'] for r in rs])} | "
            f"{_spread([r['wall'] / r['seconds'] for r in rs], '.3f')} | "
            f"{_spread([_cpu(r) for r in rs])} | "
            f"{', '.join(format(r['load'], '.1f') for r in rs)} | {last['segments']}, "
            f"{last['speakers']}, {last['todos']}, {last['decisions']} |")
    lines += ["", "Each stage's share of the wall time (median over runs; the stages the jobs "
              "report in `assistant_job_seconds{kind,stage}`, waiting and hand-off from the job "
              "rows):", "",
              "| stage | " + " | ".join(f"{m} min" for m, rs in by_size.items() if rs) + " |",
              "| --- |" + " ---: |" * sum(1 for rs in by_size.values() if rs)]
    for label, read in STAGES:
        cells = []
        for rs in by_size.values():
            if rs:
                seconds = statistics.median(read(r) for r in rs)
                share = statistics.median(read(r) / r["wall"] for r in rs)
                cells.append(f"{seconds:.1f} s ({share:.0%})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rest = []
    for rs in by_size.values():
        if rs:
            left = [r["wall"] - sum(read(r) for _, read in STAGES) for r in rs]
            rest.append(f"{statistics.median(left):.1f} s")
    lines += ["| not in a reported stage (job start/end, polling) | " + " | ".join(rest) + " |",
              ""]
    lines += _workers_table(runs, memory, processes, envs)
    lines += ["Models loaded over the whole run (`assistant_model_load_seconds`, every worker "
              "process; a run joined from several: the first): " + "; ".join(
                  f"{kind} {name}: {int(count)} load(s), {seconds:.1f} s"
                  for (kind, name), (seconds, count) in sorted(loads.items()))
              + ". A model is loaded by a worker's first job that needs it, then kept.", ""]
    latencies = sorted(x for r in runs for x in r["web_latency"])
    if latencies:
        p90 = latencies[int(0.9 * (len(latencies) - 1))]
        lines += [f"The meeting's status page (`/meetings/<id>/status/`, polled once a second as "
                  f"the browser does) answered in {statistics.median(latencies) * 1000:.0f} ms "
                  f"median, {p90 * 1000:.0f} ms p90 ({len(latencies)} requests) while the "
                  "workers ran.", ""]
    return "\n".join(lines) + "\n"


def _workers_table(runs, memory, processes, envs) -> list[str]:
    keys = ("MODEL_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    longest = max(runs, key=lambda r: r["wall"]) if runs else None
    out = ["Processes (a Celery worker is a parent plus its one prefork child, which runs the "
           "jobs): most threads seen; threads that worked in a run (≥ 0.5 CPU s and ≥ a tenth "
           "of the busiest thread's time; most over all runs); cores used during the longest "
           f"run ({longest['minutes'] if longest else '—'} min: CPU seconds / wall); peak "
           "resident memory (VmHWM of the process's biggest "
           "member):", "",
           "| process | thread settings | threads | working threads | cores used | peak RSS |",
           "| --- | --- | ---: | ---: | ---: | ---: |"]
    for name in memory:
        env = envs.get(name) or {}
        setting = ", ".join(f"{k}={env[k]}" for k in keys if k in env) or "inherited"
        most = max((r["threads"].get(name, {}).get("threads", 0) for r in runs), default=0)
        working = max((r["threads"].get(name, {}).get("working", 0) for r in runs), default=0)
        cores = (longest["threads"].get(name, {}).get("cpu", 0) / longest["wall"]
                 if longest else 0)
        out.append(f"| {name} ({processes.get(name, 0)} processes) | {setting} | {most} | "
                   f"{working} | {cores:.2f} | {memory[name]:.0f} MB |")
    return [*out, ""]


if __name__ == "__main__":
    sys.exit(main())
