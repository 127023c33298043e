"""`manage.py transcribe`: JSON for a recording; a reason and exit code 2 for bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings import pipeline

from .audio_fixtures import JFK, STEREO, needs_ffmpeg

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "manage.py", "transcribe", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@needs_ffmpeg
def test_it_prints_the_segments_as_json() -> None:
    done = _manage(str(JFK), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"language", "duration", "segments"}
    assert out["language"] == "en" and out["duration"] == pytest.approx(11.0, abs=0.05)
    assert out["segments"] and all(
        set(s) == {"start", "end", "speaker", "text", "language"} and s["speaker"] == "Speaker 1"
        for s in out["segments"]
    )
    assert "ask not what your country" in " ".join(s["text"] for s in out["segments"]).lower()


@needs_ffmpeg
def test_a_call_recorded_one_voice_per_channel_gives_each_side_its_speaker() -> None:
    done = _manage(str(STEREO), "--json")
    assert done.returncode == 0, done.stderr
    segments = json.loads(done.stdout)["segments"]
    text = " ".join(s["text"] for s in segments).lower()
    # Both people talk at once for two seconds: each line is transcribed on its own.
    assert "complaint against the wizard" in text and "horizon" in text
    def speakers(*words: str) -> set:
        return {s["speaker"] for s in segments if any(w in s["text"].lower() for w in words)}

    left, right = speakers("wizard", "curtain"), speakers("horizon", "distant")
    assert len(left) == len(right) == 1 and left != right and None not in left | right


@needs_ffmpeg
def test_a_file_that_is_not_audio_exits_2_with_the_reason(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp3"
    notes.write_text("Agenda: budget, hiring, launch date.\n" * 20)
    done = _manage(str(notes), "--json")
    assert done.returncode == 2
    assert "it looks like a text file" in done.stderr and done.stdout == ""


def test_roster_names_become_hotwords_and_options_are_kept(tmp_path: Path, monkeypatch) -> None:
    seen = {}

    def fake_process_audio(path, **kwargs):
        seen.update(kwargs, path=path)
        segment = {"start": 0.0, "end": 1.0, "text": " Hello Priya.", "language": "en"}
        return pipeline.Processed("en", 1.0, [segment])

    monkeypatch.setattr(pipeline, "process_audio", fake_process_audio)
    roster = tmp_path / "team.json"
    roster.write_text(json.dumps([{"name": "Priya Shah"}, {"name": "Tom Berg"}]))
    call_command(
        "transcribe",
        "meeting.wav",
        "--roster",
        str(roster),
        "--speakers",
        "2",
        "--model",
        "base",
        "--language",
        "de",
        "--json",
    )
    assert seen["hotwords"] == ["Priya Shah", "Tom Berg"]
    assert seen["language"] == "de" and seen["speech"].kind == "speech_multi"
    assert seen["speaker"].kind == "speaker" and seen["num_speakers"] == 2


@pytest.mark.parametrize(
    "args,reason",
    [
        (["--roster", "/no/such/roster.json"], "Cannot read the roster"),
        (["--model", "/no/such/model"], "--model is tiny.en, base, or a model folder"),
        (["--model", "tiny.en", "--language", "fr"], "tiny.en only understands English"),
        (["--speakers", "0"], "--speakers must be 1 or more"),
    ],
)
def test_bad_options_exit_2_with_what_to_fix(args: list[str], reason: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("transcribe", str(JFK), *args)
    assert refused.value.returncode == 2 and reason in str(refused.value)
