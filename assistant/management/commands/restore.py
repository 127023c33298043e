"""`python manage.py restore FILE.tar.gz`: a backup back into an empty database.

It migrates the database, loads the rows and writes the files into the default storage under
their original names. A database that already has people in it is refused (unless --force),
so a restore never mixes two installations.
"""

import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup import FORMAT


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


class Command(BaseCommand):
    help = "Restore a backup archive (manage.py backup) into an empty database and storage."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="Load even when the database already has people in it.")

    def handle(self, *args, archive: str, force: bool, **options):
        source = Path(archive)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            tar = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
        except (tarfile.TarError, OSError) as exc:
            raise CommandError(f"{source} is not a backup archive: {exc}") from None
        with tar, tempfile.TemporaryDirectory() as tmp:
            names = tar.getnames()
            if "manifest.json" not in names or "data.json" not in names:
                raise CommandError(f"{source} has no manifest.json and data.json: "
                                   "not made by manage.py backup.")
            if not all(_safe_member(n) for n in names):
                raise CommandError(f"{source} has a path outside the archive; refused.")
            manifest = json.load(tar.extractfile("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise CommandError(f"Backup format {manifest.get('format')} is not {FORMAT}.")
            call_command("migrate", interactive=False, verbosity=0)
            if get_user_model().objects.exists() and not force:
                raise CommandError("This database already has people in it. Restore into an "
                                   "empty database, or pass --force to load on top.")
            data = Path(tmp) / "data.json"
            data.write_bytes(tar.extractfile("data.json").read())
            with transaction.atomic():
                call_command("loaddata", str(data), verbosity=0)
            files = [n for n in names if n.startswith("files/")]
            for member in files:
                self._put(name=member.removeprefix("files/"), handle=tar.extractfile(member))
        self.stdout.write(self.style.SUCCESS(
            f"Restored {manifest['rows']} rows and {len(files)} files from {source} "
            f"(made {manifest['created_at']})."))

    def _put(self, *, name: str, handle) -> None:
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, handle)
        if saved != name:
            raise CommandError(f"The storage renamed {name} to {saved}; restore stopped.")
