"""Faults against real workers, a throwaway Redis and a throwaway PostgreSQL (conftest.py).

Every job must end exactly once whatever stops under it: the worker (SIGKILL), the broker
(killed and restarted) or the database (stopped for a while). The sweeper is called the way
the beat calls it (`assistant.sweep_jobs`, every minute in production).
"""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.utils import InterfaceError, OperationalError

from assistant.jobs import job_create, jobs_sweep
from assistant.models import Job
from meetings.models import Meeting, Segment
from meetings.services import meeting_create
from tests.meetings.audio_fixtures import needs_ffmpeg
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), needs_ffmpeg]

STALE = 4


@pytest.fixture(autouse=True)
def _quick_sweeper(settings):
    settings.JOB_STALE_AFTER = STALE
    settings.JOB_QUEUED_TOO_LONG = 3


def _fresh(job: Job) -> Job | None:
    """The job as the database has it now, or None while the database is away."""
    try:
        job.refresh_from_db()
        return job
    except (OperationalError, InterfaceError):
        connection.close()
        return None


def _checks(world, count: int, steps: int, step_seconds: float = 0.25) -> list[Job]:
    return [job_create(team=world.team, owner=world.owner, kind="assistant.worker_check",
                       title=f"Check {n}", params={"steps": steps, "step_seconds": step_seconds})
            for n in range(count)]


def _all_ended(jobs: list[Job], sweep: bool = False):
    def ended() -> bool:
        if sweep:
            jobs_sweep()
        return all((fresh := _fresh(job)) is not None and fresh.has_ended for job in jobs)
    return ended


def _meeting_audio(path, repeats: int) -> bytes:
    """The JFK clip said `repeats` times with pauses: a long-enough meeting in a small file."""
    import soundfile

    from tests.meetings.audio_fixtures import jfk_wav, meeting_of

    soundfile.write(path, meeting_of(*[jfk_wav()] * repeats), 16000, format="FLAC")
    return path.read_bytes()


def test_killed_speech_worker_resumes_the_transcription_and_saves_it_once(
        world, fault_workers, tmp_path):
    fault_workers.env["TRANSCRIPTION_PIECE_SECONDS"] = "20"
    first = fault_workers.start("speech")
    meeting = meeting_create(team=world.team, user=world.teammate, language="en",
                             upload=SimpleUploadedFile("standup.flac",
                                                       _meeting_audio(tmp_path / "m.flac", 6)))
    job = meeting.job

    def pieces_done() -> int:
        state = _fresh(job).checkpoint.get("transcription", {}).get("0", {})
        return state.get("next_piece", 0) >= 1 and len(state["pieces"]) > state["next_piece"]

    wait_for(pieces_done, 120, "the first pieces to be checkpointed", interval=0.05)
    fault_workers.kill(first)
    done_when_killed = _fresh(job).checkpoint["transcription"]["0"]["next_piece"]
    assert job.status == Job.Status.RUNNING and job.attempts == 1

    time.sleep(STALE + 1)
    assert jobs_sweep() == {"failed": 0, "requeued": 1}
    fault_workers.start("speech")
    try:
        wait_for(_all_ended([job]), 240, "the transcription to finish")
    finally:
        print("job:", job.status, job.attempts, job.stage, job.error)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts == 2 and done_when_killed >= 1
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.READY
    segments = list(Segment.objects.filter(meeting=meeting).order_by("start"))
    assert len(segments) == job.result["segments"] > 0
    # No piece transcribed twice: no phrase of the clip is heard more than six times, and a
    # piece boundary may cost a word, not a clip (each of the six is heard at least in part).
    text = re.sub(r"[^a-z ]+", " ", " ".join(s.text for s in segments).lower())
    text = " ".join(text.split())
    counts = [text.count(phrase) for phrase in ("fellow americans", "ask not what your country",
                                                 "what you can do for your country")]
    assert max(counts) <= 6 and sum(counts) >= 16, (counts, text)
    starts = [s.start for s in segments]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert Job.objects.filter(kind="meetings.minutes", params={"meeting": meeting.pk}).count() == 1


@pytest.fixture
def restart_redis(broker):
    def restart(down_for: float = 2.0) -> None:
        broker.kill()
        time.sleep(down_for)
        broker.start()
    return restart


def test_jobs_survive_a_broker_restart(world, fault_workers, restart_redis):
    fault_workers.start()
    jobs = _checks(world, 4, steps=8)
    wait_for(lambda: _fresh(jobs[0]).checkpoint.get("done", 0) >= 2, 90,
             "the first job to be running")
    assert Job.objects.filter(pk__in=[j.pk for j in jobs], status=Job.Status.QUEUED).count() >= 2
    restart_redis()
    wait_for(_all_ended(jobs), 120, "every job to finish after the broker came back")
    assert [j.status for j in jobs] == [Job.Status.SUCCEEDED] * 4, [j.error for j in jobs]
    assert all(j.result["steps"] == 8 for j in jobs)


def test_database_away_for_a_while_the_job_retries_and_finishes(world, fault_workers, postgres):
    fault_workers.start()
    [job] = _checks(world, 1, steps=24)
    wait_for(lambda: _fresh(job).checkpoint.get("done", 0) >= 3, 90, "the job to be running")
    postgres.stop("immediate")
    time.sleep(6)
    postgres.start()
    wait_for(_all_ended([job]), 120, "the job to finish after the database came back")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts == 2 and job.result["resumed_from"] >= 3


def test_a_file_that_kills_its_worker_fails_after_max_attempts_and_the_queue_drains(
        world, fault_workers, settings):
    """The decoder's crash is the worker's death (SIGKILL) whenever it works on that file."""
    poison, after = _checks(world, 1, steps=40)[0], _checks(world, 1, steps=2)[0]
    worker = fault_workers.start()
    for attempt in range(1, settings.JOB_MAX_ATTEMPTS + 1):
        wait_for(lambda a=attempt: (j := _fresh(poison)).status == Job.Status.RUNNING
                 and j.attempts == a, 60, f"attempt {attempt} to start")
        fault_workers.kill(worker)
        time.sleep(STALE + 1)
        worker = fault_workers.start()
        jobs_sweep()
    wait_for(_all_ended([poison, after], sweep=True), 120, "the queue to drain")
    assert poison.status == Job.Status.FAILED and "stopped 3 times" in poison.error
    assert poison.attempts == settings.JOB_MAX_ATTEMPTS
    assert after.status == Job.Status.SUCCEEDED
