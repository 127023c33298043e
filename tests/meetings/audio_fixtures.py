"""Recordings for the audio and transcription tests, made with ffmpeg in a temporary folder."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.eval_data import EVAL

JFK = EVAL / "real" / "jfk.flac"  # 11.0 s, stereo 44.1 kHz: "ask not what your country..."
STEREO = EVAL / "real" / "stereo_diarization.wav"  # 5.0 s, one speaker per channel

needs_ffmpeg = pytest.mark.skipif(
    not shutil.which("ffmpeg"), reason="needs ffmpeg (make test installs it)"
)


def ffmpeg(*args: str | Path) -> None:
    """Run ffmpeg quietly, overwriting its output."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *map(str, args)], check=True)


def jfk_as(folder: Path, name: str) -> Path:
    """The JFK clip converted by the file name's extension (mp4 gets a test-pattern video)."""
    out = folder / name
    if name.endswith(".mp4"):
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64:rate=5",
            "-i",
            JFK,
            "-shortest",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            out,
        )
    elif name.endswith((".ogg", ".webm")):
        ffmpeg("-i", JFK, "-c:a", "libopus", out)
    else:
        ffmpeg("-i", JFK, out)
    return out


def silence(folder: Path, seconds: float, name: str = "silence.flac") -> Path:
    """Digital silence at 8 kHz: FLAC stores two hours in about a megabyte, in a second."""
    out = folder / name
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", str(seconds), "-c:a", "flac", out)
    return out


def jfk_wav() -> np.ndarray:
    """The JFK clip as mono float32 at 16 kHz."""
    from meetings.audio import decode

    return decode(JFK)


def meeting_of(*clips: np.ndarray, pause: float = 1.5) -> np.ndarray:
    """Clips joined by pauses of silence, like turns in a meeting."""
    gap = np.zeros(int(pause * 16000), np.float32)
    parts = [part for clip in clips for part in (clip, gap)]
    return np.concatenate(parts[:-1])
