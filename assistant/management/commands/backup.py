"""`python manage.py backup FILE.tar.gz`: the database and the stored files in one archive.

The archive holds manifest.json (when, which migrations, how many rows and files),
data.json (every table but the ones migrate recreates, as `dumpdata` writes it) and files/
(everything in the default storage: recordings, voice samples, exports; local disk or S3).
`python manage.py restore FILE.tar.gz` puts it back into an empty database.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
# Rebuilt by migrate on the target, or not worth keeping (sessions expire, the cache refills).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def stored_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


class Command(BaseCommand):
    help = "Write the database and the stored files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write, e.g. backup-2026-12-02.tar.gz")
        parser.add_argument("--no-files", action="store_true",
                            help="Only the database (the files are backed up elsewhere).")

    def handle(self, *args, output: str, no_files: bool, **options):
        target = Path(output)
        if target.exists():
            raise CommandError(f"{target} exists: choose a new name (a backup never overwrites).")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a folder.")
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data.json"
            call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, indent=None,
                         output=str(data), verbosity=0)
            rows = len(json.loads(data.read_text()))
            files = [] if no_files else stored_files()
            manifest = {
                "format": FORMAT, "created_at": timezone.now().isoformat(),
                "database": connection.vendor, "rows": rows, "files": files,
                "migrations": sorted(f"{app}.{name}" for app, name in
                                     MigrationRecorder(connection).applied_migrations()),
            }
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
                archive.add(data, "data.json")
                for name in files:
                    with default_storage.open(name, "rb") as handle:
                        info = tarfile.TarInfo(f"files/{name}")
                        info.size = default_storage.size(name)
                        archive.addfile(info, handle)
            partial.rename(target)
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {rows} rows and {len(files)} files to {target}"))
