"""Checks an operator runs on the workers: can this machine read the shared storage?

`assistant.storage_check.<queue>` jobs (one kind per queue, so each worker type is asked)
open a stored file by name through the default storage and report its size and SHA-256: a
worker on another machine that answers has the same files as the web server.
"""

import hashlib

from django.core.files.storage import default_storage

from assistant.celery import QUEUES
from assistant.jobs import JobError, job_task


def storage_check(job, progress) -> dict:
    name = job.params.get("name", "")
    if not name or not default_storage.exists(name):
        raise JobError(f"This worker cannot find {name!r} in its storage: point it at the "
                       "same storage as the web server (STORAGE_BACKEND, S3_*, MEDIA_DIR).")
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    progress(100, stage="Read")
    return {"name": name, "size": default_storage.size(name), "sha256": digest.hexdigest(),
            "storage": type(default_storage._wrapped).__name__}


STORAGE_CHECKS = {queue: job_task(f"assistant.storage_check.{queue}", queue=queue)(storage_check)
                  for queue in QUEUES}
