"""The transcription job in-process on short real clips: bad input ends as a clear failure."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assistant.jobs import job_run
from assistant.models import Job
from meetings.models import Meeting
from meetings.services import meeting_create
from meetings.tasks import transcribe
from tests.eval_data import EVAL

pytestmark = pytest.mark.django_db


def _upload(world, name: str, data: bytes) -> Meeting:
    return meeting_create(team=world.team, user=world.teammate,
                          upload=SimpleUploadedFile(name, data))


def _run(meeting: Meeting) -> Job:
    job_run(job_id=meeting.job_id, func=transcribe.job_function)
    meeting.job.refresh_from_db()
    meeting.refresh_from_db()
    return meeting.job


def test_real_clip_becomes_segments_with_word_times(world):
    meeting = _upload(world, "jfk.flac", (EVAL / "real/jfk.flac").read_bytes())
    job = _run(meeting)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert meeting.status == Meeting.Status.READY and 10 < meeting.duration < 12
    text = " ".join(meeting.segments.values_list("text", flat=True)).lower()
    assert "ask not what your country can do for you" in text
    words = [w for s in meeting.segments.all() for w in s.words]
    assert words and all(a[0] <= b[0] for a, b in zip(words, words[1:], strict=False))
    # The minutes follow on the text queue.
    assert Job.objects.filter(kind="meetings.minutes", params={"meeting": meeting.pk}).exists()


@pytest.mark.parametrize("name,data,message", [
    ("notes.mp3", b"These are my meeting notes, not audio at all.\n" * 40, "not"),
    ("tool.mp3", Path("/bin/true").read_bytes(), "not"),
])
def test_bad_files_fail_with_a_message_and_leave_the_worker_fine(world, name, data, message):
    meeting = _upload(world, name, data)
    job = _run(meeting)
    assert job.status == Job.Status.FAILED
    assert message in job.error.lower() and "Traceback" not in job.error
    assert meeting.status == Meeting.Status.FAILED
    assert not meeting.segments.exists()


def test_truncated_flac_fails_cleanly(world):
    data = (EVAL / "real/jfk.flac").read_bytes()
    meeting = _upload(world, "cut.flac", data[: len(data) // 3])
    job = _run(meeting)
    # Either the readable third is transcribed, or the file is refused: never a crash.
    assert job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)
    if job.status == Job.Status.FAILED:
        assert job.error and "Something went wrong" not in job.error


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="needs ffmpeg (make test installs it)")
def test_video_without_audio_is_refused(world, tmp_path):
    video = tmp_path / "screen.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5",
                    "-t", "2", str(video)], check=True)
    meeting = _upload(world, "screen.mp4", video.read_bytes())
    job = _run(meeting)
    assert job.status == Job.Status.FAILED and "audio" in job.error.lower()
