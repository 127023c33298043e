"""`manage.py translate AUDIO --to en --json`: each stretch's own language, text, translation."""

import io
import json
import wave
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assistant.ai.audio import load_audio
from tests.eval_data import EVAL

MULTILINGUAL = EVAL / "real" / "multilingual.mp3"
RATE = 16000


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory) -> Path:
    """Five seconds of the English passage, a pause, eight of the German one."""
    audio = load_audio(MULTILINGUAL)
    pause = np.zeros(int(1.5 * RATE), np.float32)
    mixed = np.concatenate([audio[:5 * RATE], pause, audio[int(30.8 * RATE):int(38.6 * RATE)],
                            pause])
    path = tmp_path_factory.mktemp("translate") / "two.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(mixed, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def test_each_segment_has_its_own_language_and_english(two_languages):
    out = io.StringIO()
    call_command("translate", str(two_languages), "--to", "en", "--json", stdout=out)
    result = json.loads(out.getvalue())
    segments = result["segments"]
    assert [s["language"] for s in segments] == ["en", "de"]
    assert set(segments[0]) == {"start", "end", "language", "text", "translation"}
    english, german = segments
    assert "permission" in english["text"].lower() and english["translation"] == english["text"]
    assert german["start"] > english["end"] and german["start"] >= 6.0
    assert "software" in german["text"].lower() and "software" in german["translation"].lower()
    assert german["translation"] != german["text"]
    assert result["language"] == "de"  # more of it was German


@pytest.mark.django_db
def test_other_targets_need_a_team_with_a_slot(two_languages):
    with pytest.raises(CommandError, match="--team") as raised:
        call_command("translate", str(two_languages), "--to", "fr")
    assert raised.value.returncode == 2


def test_a_long_passage_is_cut_at_pauses_into_stretches_whisper_translates_whole():
    from meetings.live_translate import MAX_SEGMENT_S, speech_stretches

    german = load_audio(MULTILINGUAL)[int(30.8 * RATE):int(60 * RATE)]  # one 21-s stretch + 8 s
    stretches = speech_stretches(german)
    assert len(stretches) >= 3
    assert all(0 < end - start <= (MAX_SEGMENT_S + 0.5) * RATE for start, end in stretches)
    assert all(a[1] <= b[0] for a, b in zip(stretches, stretches[1:], strict=False))
