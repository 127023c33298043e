"""`manage.py models --check`: one line per slot, embedded and custom sources alike."""

import contextlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assistant.models import ModelSlot
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_every_embedded_slot_loads_and_runs(capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    call_command("models", check=True)
    lines = capsys.readouterr().out.splitlines()
    by_kind = {line.split()[0]: line for line in lines if line.strip()}
    assert set(by_kind) == {"speech_en", "speech_multi", "text", "embeddings", "speaker",
                            "translation"}
    for kind in ("speech_en", "speech_multi", "text", "embeddings", "speaker"):
        assert "FAILED" not in by_kind[kind], by_kind[kind]
        assert " MB  load " in by_kind[kind]
    assert "7/7 words" in by_kind["speech_en"]
    assert "dim 384" in by_kind["embeddings"] and "dim 256" in by_kind["speaker"]
    assert "empty" in by_kind["translation"] and "MarianMT" in by_kind["translation"]


def test_team_slots_from_local_folders(capsys, tiny_marian, tiny_bert):
    team = TeamFactory()
    ModelSlot.objects.create(team=team, kind="translation", pair="de-en", source="path",
                             path=tiny_marian.path)
    ModelSlot.objects.create(team=team, kind="embeddings", source="path", path=tiny_bert.path)
    # Random weights may translate "Hello" into nothing: judged as a wrong output.
    with contextlib.suppress(CommandError):
        call_command("models", check=True, team=team.slug)
    lines = capsys.readouterr().out.splitlines()
    translation = next(line for line in lines if line.startswith("translation de-en"))
    embeddings = next(line for line in lines if line.startswith("embeddings"))
    # Both loaded from their folders through the same loader and ran an inference.
    assert " path " in translation and "Unavailable" not in translation
    assert '"Hello" -> ' in translation
    assert " path " in embeddings and "FAILED" not in embeddings and "dim 32" in embeddings


def test_a_broken_path_is_reported_and_fails_the_command(capsys, tmp_path):
    team = TeamFactory()
    ModelSlot.objects.create(team=team, kind="speech_en", source="path",
                             path=str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="1 slot"):
        call_command("models", check=True, team=team.slug)
    line = next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("speech_en"))
    assert "FAILED" in line and "nowhere" in line


def test_unknown_team_is_refused():
    with pytest.raises(CommandError, match="No team"):
        call_command("models", check=True, team="nope")
