"""The bad-input corpus for every upload besides the meeting recording (tests/meetings covers
that one): each bad file ends in a clear message and a definite state — refused with nothing
stored, or accepted and its job failed with nothing half-written and no file left behind."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistant.jobs import job_run
from assistant.models import Job
from meetings.models import Meeting, VoiceProfile
from meetings.tasks import enroll_voice
from reports.records_models import Record
from reports.records_services import template_from_starter
from reports.records_tasks import dictation
from tests.eval_data import EVAL

pytestmark = pytest.mark.django_db
JFK = EVAL / "real" / "jfk.flac"


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()


def _huge_header_wav() -> bytes:
    """A RIFF/WAVE header that promises 4 GB of samples, followed by 200 bytes of them."""
    fmt = (b"fmt " + (16).to_bytes(4, "little") + (1).to_bytes(2, "little")
           + (1).to_bytes(2, "little") + (16000).to_bytes(4, "little")
           + (32000).to_bytes(4, "little") + (2).to_bytes(2, "little")
           + (16).to_bytes(2, "little"))
    return (b"RIFF" + (0xFFFFFFF0).to_bytes(4, "little") + b"WAVE" + fmt + b"data"
            + (0xFFFFFFE0).to_bytes(4, "little") + bytes(200))


BAD_AUDIO = {
    "a program renamed": ("voice.mp3", Path("/bin/true").read_bytes()),
    "text renamed": ("voice.wav", b"hello, this is not audio at all\n" * 200),
    "an archive in an archive": ("voice.m4a", _zip("inner.zip", _zip("a.wav", b"RIFF"))),
    "truncated": ("voice.flac", JFK.read_bytes()[:3000]),
    "a header promising 4 GB": ("voice.wav", _huge_header_wav()),
}


def _media_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


TASKS = {"meetings.enroll_voice": enroll_voice, "reports.dictation": dictation}


def _run(job: Job) -> Job:
    """The job in-process, as a worker runs it."""
    job_run(job_id=str(job.pk), func=TASKS[job.kind].job_function)
    job.refresh_from_db()
    return job


def _clear(job: Job) -> None:
    assert job.status == Job.Status.FAILED
    assert job.error and "Traceback" not in job.error and len(job.error) < 300, job.error


@pytest.mark.parametrize("case", sorted(BAD_AUDIO))
def test_a_bad_voice_sample_leaves_no_voice_and_no_file(world, client_for, settings, case):
    name, data = BAD_AUDIO[case]
    client_for(world.teammate).post(reverse("voice"), {"audio": SimpleUploadedFile(name, data)})
    job = Job.objects.get(kind="meetings.enroll_voice")
    _clear(_run(job))
    assert not VoiceProfile.objects.exists() and _media_files(settings) == []


def test_a_bad_replacement_sample_keeps_the_voice_learned_before(world, client_for, settings):
    client = client_for(world.teammate)
    client.post(reverse("voice"), {"audio": SimpleUploadedFile("me.flac", JFK.read_bytes())})
    first = Job.objects.get()
    assert _run(first).status == Job.Status.SUCCEEDED, first.error
    learned = VoiceProfile.objects.get()
    name, data = BAD_AUDIO["text renamed"]
    client.post(reverse("voice"), {"audio": SimpleUploadedFile(name, data)})
    _clear(_run(Job.objects.exclude(pk=first.pk).get()))
    kept = VoiceProfile.objects.get()
    assert kept.embedding == learned.embedding and kept.sample.name == learned.sample.name
    assert [p.name for p in _media_files(settings)] == [Path(learned.sample.name).name]


@pytest.mark.parametrize("case", sorted(BAD_AUDIO))
def test_a_bad_dictation_fails_with_a_message_and_no_values(world, client_for, case):
    template = template_from_starter(team=world.team, user=None, starter="support-ticket")
    name, data = BAD_AUDIO[case]
    url = reverse("record-dictate", kwargs={"pk": template.pk})
    client_for(world.teammate).post(url, {"audio": SimpleUploadedFile(name, data)})
    record = Record.objects.get()
    _clear(_run(record.job))
    record.refresh_from_db()
    assert record.status == Record.Status.FAILED and not record.values


def test_an_empty_dictation_is_refused_before_anything_is_stored(world, client_for, settings):
    template = template_from_starter(team=world.team, user=None, starter="support-ticket")
    url = reverse("record-dictate", kwargs={"pk": template.pk})
    response = client_for(world.teammate).post(url, {"audio": SimpleUploadedFile("d.wav", b"")})
    assert response.status_code == 400 and "empty" in response.content.decode().lower()
    assert not Record.objects.exists() and not Job.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize("name", ["../../../etc/passwd.flac", "..\\..\\boot.ini.flac",
                                  "réunion \u202egnp.flac 🎤.flac", "x" * 400 + ".flac"])
def test_odd_file_names_stay_inside_the_media_folder(world, client_for, settings, name):
    client_for(world.teammate).post(reverse("meeting-upload"),
                                    {"audio": SimpleUploadedFile(name, JFK.read_bytes())})
    meeting = Meeting.objects.get()
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    stored = Path(meeting.audio.path).resolve()
    assert stored.is_relative_to(root) and stored.is_file()
    assert "/" not in meeting.audio_name and len(meeting.audio_name) <= 255
    page = client_for(world.teammate).get(reverse("meeting-detail", kwargs={"pk": meeting.pk}))
    assert page.status_code == 200


BAD_CATALOGS = {
    "zero bytes": ("catalog.csv", b""),
    "broken rows": ("catalog.csv",
                    b"title,url,kind,duration,skills,level,description\n"
                    b"Good course,https://example.com/a,course,60,Python,beginner,Fine\n"
                    b"\"unclosed quote,https://example.com/b,course\n"
                    b"No url,,course,not-a-number,,expert-ish,\n"),
    "not UTF-8": ("catalog.csv", "título,url\nCurso,https://x\n".encode("utf-16")),
    "an archive renamed": ("catalog.csv", _zip("catalog.csv", b"title,url\n")),
    "a program renamed": ("catalog.json", Path("/bin/true").read_bytes()),
}


@pytest.mark.parametrize("case", sorted(BAD_CATALOGS))
def test_a_bad_catalog_import_lists_problems_and_imports_nothing(world, client_for, case):
    from learning.models import Resource

    name, data = BAD_CATALOGS[case]
    response = client_for(world.manager).post(reverse("learning-import"),
                                              {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert not Resource.objects.exists() and not Job.objects.exists()


BAD_DOCUMENTS = {
    "zero bytes": ("handbook.md", b""),
    "a program renamed": ("handbook.pdf", Path("/bin/true").read_bytes()),
    "an archive in an archive renamed": ("handbook.docx", _zip("x.zip", _zip("y.txt", b"hi"))),
    "truncated PDF": ("handbook.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
    "unknown kind": ("handbook.exe", b"hello"),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_with_a_message_and_nothing_indexed(world, client_for,
                                                                      settings, case):
    from assistant.models import KnowledgeSource

    name, data = BAD_DOCUMENTS[case]
    response = client_for(world.manager).post(
        reverse("kb-list"), {"documents": [SimpleUploadedFile(name, data)]}, follow=True)
    shown = list(response.context["messages"])
    assert shown and all(m.level == messages.ERROR for m in shown), [str(m) for m in shown]
    assert not KnowledgeSource.objects.exists() and not Job.objects.exists()
    assert _media_files(settings) == []
