"""Audio in the one shape the models take: mono float32 at 16 kHz."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .registry import ensure_offline

SAMPLE_RATE = 16000
AudioInput = str | Path | np.ndarray


def load_audio(audio: AudioInput) -> np.ndarray:
    """A path (any format PyAV decodes) or an array, as mono float32 samples at 16 kHz."""
    if isinstance(audio, np.ndarray):
        if audio.ndim != 1:
            raise ValueError(f"audio must be mono (1-D), got shape {audio.shape}")
        return np.ascontiguousarray(audio, dtype=np.float32)
    path = Path(audio)
    if not path.is_file():
        raise FileNotFoundError(f"No audio file at {path}")
    ensure_offline()
    # PyAV (through faster-whisper) decodes the browser's webm/opus as well as wav/mp3.
    from faster_whisper import decode_audio

    return decode_audio(str(path), sampling_rate=SAMPLE_RATE)


def speak(text: str, voice: str | None = None) -> np.ndarray | None:
    """Synthetic speech from espeak-ng at 16 kHz, or None when espeak-ng is not installed."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        command = [exe, "-w", str(out)] + (["-v", voice] if voice else []) + [text]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
        return load_audio(out)


def tone(seconds: float, frequency: float, harmonics: int = 6) -> np.ndarray:
    """A voiced-like buzz (a note with harmonics) for checks when espeak-ng is missing."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave = sum(np.sin(2 * np.pi * frequency * k * t) / k for k in range(1, harmonics + 1))
    return (0.3 * wave / np.max(np.abs(wave))).astype(np.float32)
