"""Audio intake: every usual format decodes to its length; every bad file gets a plain reason."""

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from meetings.audio import (
    AudioRejected,
    decode,
    decode_channels,
    load_recording,
    probe,
    speech_regions,
)

from .audio_fixtures import JFK, STEREO, ffmpeg, jfk_as, needs_ffmpeg, silence

pytestmark = needs_ffmpeg
FORMATS = ["wav", "mp3", "m4a", "ogg", "webm", "flac", "mp4"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="module")
def two_hours_of_silence(folder: Path) -> Path:
    return silence(folder, 7200)


@pytest.mark.parametrize("ext", FORMATS)
def test_each_format_decodes_to_its_duration(folder: Path, ext: str) -> None:
    info, wav = load_recording(jfk_as(folder, f"jfk.{ext}"))
    assert wav.dtype == np.float32 and wav.ndim == 1
    assert len(wav) / 16000 == pytest.approx(11.0, abs=0.1)
    assert info.duration == pytest.approx(11.0, abs=0.1) and info.channels == 2
    assert np.isfinite(wav).all() and np.abs(wav).max() > 0.1


def _empty(folder: Path) -> Path:
    (folder / "empty.mp3").write_bytes(b"")
    return folder / "empty.mp3"


def _truncated(folder: Path) -> Path:
    data = JFK.read_bytes()
    (folder / "cut.flac").write_bytes(data[: len(data) // 3])
    return folder / "cut.flac"


def _header_only(folder: Path) -> Path:
    (folder / "head.flac").write_bytes(JFK.read_bytes()[:100])
    return folder / "head.flac"


def _text(folder: Path) -> Path:
    (folder / "notes.mp3").write_text("Meeting notes\n- budget\n- hiring\n" * 50)
    return folder / "notes.mp3"


def _program(folder: Path) -> Path:
    return Path(shutil.copy("/bin/true", folder / "song.mp3"))


def _video_only(folder: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-t", "2", folder / "screen.mp4")
    return folder / "screen.mp4"


def _missing(folder: Path) -> Path:
    return folder / "never-uploaded.wav"


@pytest.mark.parametrize(
    "make,reason",
    [
        (_empty, "The file is empty."),
        (_truncated, "cut off"),
        (_header_only, "FLAC file: it looks damaged or incomplete"),
        (_text, "it looks like a text file"),
        (_program, "it looks like a program"),
        (_video_only, "This file has no audio track."),
        (_missing, "could not find"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_a_person_understands(
    tmp_path: Path, make, reason: str
) -> None:
    with pytest.raises(AudioRejected) as refused:
        load_recording(make(tmp_path))
    assert reason in str(refused.value)


def test_two_hours_of_silence_are_refused_without_decoding_them_for_whisper(
    two_hours_of_silence: Path,
) -> None:
    started = time.monotonic()
    with pytest.raises(AudioRejected, match="no speech"):
        load_recording(two_hours_of_silence)
    # About 3 s on 2 idle cores: streamed at 8 kHz, never held as a 460 MB array.
    assert time.monotonic() - started < 30


def test_a_recording_over_the_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    with pytest.raises(AudioRejected, match="longer than the 5.0 s we accept"):
        load_recording(JFK, max_duration=5)


def test_a_browser_recording_without_a_duration_is_still_held_to_the_limit(
    tmp_path: Path,
) -> None:
    # MediaRecorder's webm, like ffmpeg's written to a pipe, announces no duration.
    streamed = tmp_path / "recorded.webm"
    with open(streamed, "wb") as out:
        command = ["ffmpeg", "-v", "error", "-i", str(JFK), "-c:a", "libopus", "-f", "webm", "-"]
        subprocess.run(command, stdout=out, check=True)
    assert probe(streamed).duration is None
    assert len(load_recording(streamed)[1]) / 16000 == pytest.approx(11.0, abs=0.1)
    with pytest.raises(AudioRejected, match="longer than"):
        load_recording(streamed, max_duration=5)


def test_a_decoder_past_its_timeout_is_killed(two_hours_of_silence: Path) -> None:
    started = time.monotonic()
    with pytest.raises(AudioRejected, match="too long"):
        decode(two_hours_of_silence, timeout=0.2)
    assert time.monotonic() - started < 5


def test_stereo_channels_come_apart_for_diarization() -> None:
    left, right = decode_channels(STEREO)
    assert len(left) == len(right) == 5 * 16000
    assert not np.allclose(left, right)
    mono = decode(STEREO)
    assert mono.shape == left.shape and mono.dtype == np.float32


def test_voice_activity_finds_the_speech_and_nothing_in_silence() -> None:
    regions = speech_regions(decode(JFK))
    assert regions and all(0 <= a < b <= 11.0 for a, b in regions)
    assert 6 < sum(b - a for a, b in regions) < 11
    assert speech_regions(np.zeros(16000 * 30, np.float32)) == []
