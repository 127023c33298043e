"""backup writes the database and the stored files; restore puts them into an empty database."""

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from meetings.todos import todo_create
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)


def _made(world):
    meeting = MeetingFactory(team=world.team, title="Budget review")
    SegmentFactory(meeting=meeting, text="We keep the budget.")
    todo_create(team=world.team, title="Send the numbers", assignee=world.teammate, due=None,
                by=world.manager)
    return meeting


def test_it_restores_into_an_empty_database(world, tmp_path):
    meeting = _made(world)
    audio = meeting.audio.read()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        assert f"files/{meeting.audio.name}" in tar.getnames()

    # A new machine: an empty database file and an empty media folder, another process.
    target = tmp_path / "restored"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target / 'db.sqlite3'}",
           "MEDIA_DIR": str(target / "media"), "VAR_DIR": str(target),
           "ASSISTANT_ENV": "development"}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Restored" in result.stdout

    db = sqlite3.connect(target / "db.sqlite3")
    assert db.execute("select title from meetings_meeting").fetchall() == [("Budget review",)]
    assert db.execute("select text from meetings_segment").fetchall() == [("We keep the budget.",)]
    emails = {e for (e,) in db.execute("select email from assistant_user")}
    assert {world.owner.email, world.stranger.email} <= emails
    todo = db.execute("select t.title, u.email from meetings_todo t join assistant_user u "
                      "on u.id = t.assignee_id").fetchall()
    assert todo == [("Send the numbers", world.teammate.email)]
    assert (target / "media" / meeting.audio.name).read_bytes() == audio

    again = subprocess.run([sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode != 0 and "already has people" in again.stderr


def test_a_backup_never_overwrites(world, tmp_path):
    existing = tmp_path / "b.tar.gz"
    existing.write_bytes(b"old")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"old"


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(bogus))
    empty = tmp_path / "e.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(empty))
