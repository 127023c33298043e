"""Recordings in S3-compatible storage (moto's emulator in server mode): uploaded by the web,
served with Range after the team check, read by a worker that has none of the web's disk."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.services import token_create
from meetings.models import Meeting
from tests.workers import wait_for

RECORDING = b"OggS" + bytes(range(256)) * 40


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_and_plays_with_range(client, world, s3_storage,
                                                           client_for):
    _, raw = token_create(user=world.owner, name="s3")
    upload = SimpleUploadedFile("standup.ogg", RECORDING, "audio/ogg")
    response = client.post("/api/v1/meetings", {"audio": upload},
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    key = f"{s3_storage['prefix']}/{meeting.audio.name}"
    stored = s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=key)
    assert stored["Body"].read() == RECORDING

    url = reverse("meeting-audio", args=[meeting.pk])
    partial = client_for(world.teammate).get(url, headers={"Range": "bytes=4-9"})
    assert partial.status_code == 206
    assert b"".join(partial.streaming_content) == RECORDING[4:10]
    assert client_for(world.stranger).get(url).status_code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_another_machine_reads_the_file(world, s3_storage, workers, tmp_path):
    from assistant.jobs import job_enqueue
    from assistant.models import Job
    from assistant.ops import STORAGE_CHECKS  # noqa: F401 - registers the job kinds

    name = default_storage.save("recordings/shared/standup.ogg",
                                SimpleUploadedFile("standup.ogg", RECORDING))
    # The worker's own disk is empty: only the bucket is shared with the web process.
    workers.env.update(s3_storage["env"], MEDIA_DIR=str(tmp_path / "other-machine"))
    workers.start("speech")
    job = Job.objects.create(team=world.team, kind="assistant.storage_check.speech",
                             params={"name": name})
    job_enqueue(job=job)
    done = wait_for(lambda: Job.objects.filter(pk=job.pk).exclude(
        status__in=["queued", "running"]).first(), 90, "the storage check job")
    assert done.status == "succeeded", done.error
    assert done.result == {"name": name, "size": len(RECORDING), "storage": "S3Storage",
                           "sha256": hashlib.sha256(RECORDING).hexdigest()}
    assert not [p for p in (tmp_path / "other-machine").rglob("*") if p.is_file()]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_without_the_shared_storage_says_so(world, workers, tmp_path):
    from assistant.jobs import job_enqueue
    from assistant.models import Job
    from assistant.ops import STORAGE_CHECKS  # noqa: F401

    name = default_storage.save("recordings/local-only.ogg",
                                SimpleUploadedFile("x.ogg", RECORDING))
    workers.env.update(MEDIA_DIR=str(tmp_path / "other-machine"))
    workers.start("default")
    job = Job.objects.create(team=world.team, kind="assistant.storage_check.default",
                             params={"name": name})
    job_enqueue(job=job)
    done = wait_for(lambda: Job.objects.filter(pk=job.pk, status="failed").first(), 90,
                    "the failed storage check")
    assert "cannot find" in done.error and "STORAGE_BACKEND" in done.error


@pytest.mark.django_db
def test_a_backup_takes_the_files_from_the_bucket(world, s3_storage, tmp_path):
    import tarfile

    from django.core.management import call_command

    name = default_storage.save("recordings/1/a.ogg", SimpleUploadedFile("a.ogg", RECORDING))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"files/{name}").read() == RECORDING
