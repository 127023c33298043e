"""Audio intake: probe, decode and check an uploaded recording before any model runs."""

from __future__ import annotations

import codecs
import json
import math
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
MAX_DURATION = 4 * 3600.0
PROBE_TIMEOUT = 30.0
# Loudness (RMS of a 100 ms frame) above which a frame counts as sound: -55 dBFS sits
# under the quietest speech we expect and over digital silence or a dithered gap.
SOUND_RMS = 10 ** (-55 / 20)
MIN_SOUND_SECONDS = 1.0
# What is left of a file once decoded may fall short of what its header announces
# by a little (encoder padding, rounding), never by this much.
MISSING_SLACK = 2.0
MISSING_RATIO = 0.9
FORMATS = "MP3, M4A, WAV, OGG, WebM, FLAC or an MP4 video"

# Leading bytes of files people upload by mistake, and of recordings we know.
NOT_MEDIA = {
    b"\x7fELF": "a program, not a recording",
    b"MZ": "a Windows program, not a recording",
    b"#!": "a script, not a recording",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive or an office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
MEDIA = {
    b"fLaC": "FLAC",
    b"OggS": "Ogg",
    b"RIFF": "WAV",
    b"ID3": "MP3",
    b"\x1aE\xdf\xa3": "WebM",
    b"#!AMR": "AMR",
}
TEXT = "a text file"


class AudioRejected(ValueError):
    """A recording we cannot use; the message is written for the person who uploaded it."""


@dataclass(frozen=True)
class AudioInfo:
    """What ffprobe says of a file's first audio stream; duration is None when unknown."""

    duration: float | None
    channels: int
    sample_rate: int
    codec: str
    format: str


def probe(path: str | Path, *, timeout: float = PROBE_TIMEOUT) -> AudioInfo:
    """Read a file's container and first audio stream, refusing what is not a recording."""
    path = _existing(path)
    what = _sniff(path)
    if what in (*NOT_MEDIA.values(), TEXT):
        # FFmpeg finds "frames" in almost any bytes: it once probed a program as MPEG audio.
        raise AudioRejected(_unreadable(what))
    command = [
        _tool("ffprobe"),
        "-v",
        "error",
        "-show_entries",
        "format=format_name,duration:stream=codec_type,codec_name,channels,sample_rate,duration",
        "-of",
        "json",
        str(path),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise AudioRejected("Reading this file took too long: it may be damaged.") from None
    found = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    if not found.get("format"):
        raise AudioRejected(_unreadable(what))
    streams = found.get("streams", [])
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is None:
        raise AudioRejected("This file has no audio track.")
    duration = _seconds(audio.get("duration")) or _seconds(found["format"].get("duration"))
    return AudioInfo(
        duration,
        int(audio.get("channels") or 1),
        int(audio.get("sample_rate") or 0),
        str(audio.get("codec_name", "")),
        str(found["format"].get("format_name", "")),
    )


def decode(
    path: str | Path,
    *,
    timeout: float | None = None,
    mono: bool = True,
    max_seconds: float | None = None,
) -> np.ndarray:
    """Decode to float32 at 16 kHz: 1-D when mono, else shaped (channels, samples)."""
    info = probe(path)
    channels = 1 if mono else info.channels
    samples = _run_decoder(path, info, channels, timeout, max_seconds)
    return samples if mono else samples.reshape(-1, channels).T.copy()


def decode_channels(
    path: str | Path, *, timeout: float | None = None, max_seconds: float | None = None
) -> list[np.ndarray]:
    """Each channel on its own (diarization tells stereo speakers apart this way)."""
    return list(decode(path, timeout=timeout, mono=False, max_seconds=max_seconds))


def load_recording(
    path: str | Path, *, max_duration: float = MAX_DURATION, timeout: float | None = None
) -> tuple[AudioInfo, np.ndarray]:
    """Probe, check, and decode a recording to mono 16 kHz, or raise AudioRejected."""
    info = probe(path)
    check_duration(info.duration, max_duration)
    check_sound(path, info=info, timeout=timeout)
    # One second past the limit is enough to know a file without a duration is too long.
    wav = _run_decoder(path, info, 1, timeout, max_duration + 1.0)
    check_duration(len(wav) / SAMPLE_RATE, max_duration)
    check_complete(info, len(wav) / SAMPLE_RATE)
    return info, wav


def check_complete(info: AudioInfo, decoded: float) -> None:
    """Refuse a file that decodes to much less than its header announces (a cut-off upload)."""
    if info.duration and decoded < min(
        info.duration * MISSING_RATIO, info.duration - MISSING_SLACK
    ):
        raise AudioRejected(
            f"This file seems to be cut off: it should last {_clock(info.duration)} but only "
            f"{_clock(decoded)} could be read. Please upload the complete recording again."
        )


def check_duration(seconds: float | None, max_duration: float = MAX_DURATION) -> None:
    """Refuse recordings longer than the limit (seconds None means not known yet)."""
    if seconds is not None and seconds > max_duration:
        raise AudioRejected(
            f"This recording lasts {_clock(seconds)}, longer than the {_clock(max_duration)} "
            "we accept. Please split it into shorter parts."
        )


def check_sound(
    path: str | Path, *, info: AudioInfo | None = None, timeout: float | None = None
) -> None:
    """Refuse a silent recording, stopping as soon as a second of sound is heard."""
    info = info or probe(path)
    rate = 8000  # loudness needs no more; half the bytes of 16 kHz
    heard = samples = 0
    # closing(): stopping early must kill ffmpeg now, not when the generator is collected.
    with closing(_stream(path, info, rate, np.int16, "s16le", timeout)) as blocks:
        for block in blocks:
            samples += len(block)
            frames = block[: len(block) // 800 * 800].astype(np.float32).reshape(-1, 800)
            heard += int(np.count_nonzero(np.sqrt((frames**2).mean(axis=1)) > SOUND_RMS * 32768))
            if heard * 0.1 >= MIN_SOUND_SECONDS:
                return
    # Read to the end without sound: a cut-off file explains that better than silence.
    check_complete(info, samples / rate)
    raise AudioRejected("We found no speech in this recording: it seems to be silent.")


def quietest_point(wav: np.ndarray, around: float, reach: float = 10.0) -> float:
    """The start (seconds) of the quietest 100 ms near a time: a cut there splits no word."""
    size = SAMPLE_RATE // 10
    lo = max(0, int((around - reach) * SAMPLE_RATE))
    hi = min(len(wav), int((around + reach) * SAMPLE_RATE))
    frames = wav[lo : lo + (hi - lo) // size * size].reshape(-1, size)
    if not len(frames):
        return around
    return (lo + int(np.argmin((frames.astype(np.float64) ** 2).sum(axis=1))) * size) / SAMPLE_RATE


def speech_regions(wav: np.ndarray, *, window: float = 600.0) -> list[tuple[float, float]]:
    """Voice activity (Silero VAD) as (start, end) seconds, each region at most 28 s long."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Short silences split regions (turns rarely pause less); 28 s keeps one in a window.
    options = VadOptions(min_silence_duration_ms=160, speech_pad_ms=200, max_speech_duration_s=28)
    regions: list[tuple[float, float]] = []
    start = 0.0
    total = len(wav) / SAMPLE_RATE
    # Windowed, so memory stays flat on a 4-hour file; windows end at quiet points.
    while start < total:
        end = total if total - start <= window * 1.5 else quietest_point(wav, start + window)
        chunk = wav[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        for found in get_speech_timestamps(chunk, options) if len(chunk) else []:
            regions.append(
                (start + found["start"] / SAMPLE_RATE, start + found["end"] / SAMPLE_RATE)
            )
        start = end
    return [(round(a, 3), round(b, 3)) for a, b in regions if b > a]


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise AudioRejected("We could not find the uploaded file: please upload it again.")
    if path.stat().st_size == 0:
        raise AudioRejected("The file is empty.")
    return path


def _sniff(path: Path) -> str | None:
    """What a file's first bytes say it is, when they say anything."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    for magic, what in {**MEDIA, **NOT_MEDIA}.items():
        if head.startswith(magic):
            return what
    if not any(b < 9 or 13 < b < 32 for b in head):
        try:
            # Incremental: the 4 KB may end inside a character.
            codecs.getincrementaldecoder("utf-8")().decode(head)
            return TEXT
        except UnicodeDecodeError:
            pass
    return None


def _unreadable(what: str | None) -> str:
    if what in MEDIA.values():
        return (
            f"We could not read this {what} file: it looks damaged or incomplete. "
            "Please upload it again."
        )
    if what:
        return f"We could not read this file as audio or video: it looks like {what}."
    return f"We could not read this file as audio or video. Please upload a recording ({FORMATS})."


def _run_decoder(
    path: str | Path,
    info: AudioInfo,
    channels: int,
    timeout: float | None,
    max_seconds: float | None,
) -> np.ndarray:
    # Filled in place from the announced length: a 4-hour file is never held twice.
    expected = min(info.duration or 600.0, max_seconds or math.inf) + 1.0
    wav = np.empty(int(expected * SAMPLE_RATE) * channels, np.float32)
    filled = 0
    for block in _stream(
        path, info, SAMPLE_RATE, np.float32, "f32le", timeout, channels, max_seconds
    ):
        if filled + len(block) > len(wav):
            wav = np.concatenate([wav[:filled], np.empty(max(len(wav), len(block)), np.float32)])
        wav[filled : filled + len(block)] = block
        filled += len(block)
    if not filled:
        raise AudioRejected("We could not decode any sound from this file: it may be damaged.")
    return wav[:filled].copy() if filled < len(wav) * 0.9 else wav[:filled]


def _stream(
    path: str | Path,
    info: AudioInfo,
    rate: int,
    dtype: type,
    fmt: str,
    timeout: float | None,
    channels: int = 1,
    max_seconds: float | None = None,
) -> Iterator[np.ndarray]:
    """Blocks of about 30 s of decoded samples, from an ffmpeg that is killed on timeout."""
    if timeout is None:
        # FFmpeg decodes at hundreds of times real time: this only catches a hang.
        timeout = 60.0 + (info.duration or MAX_DURATION) / 10
    command = [
        _tool("ffmpeg"),
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        "-map",
        "0:a:0",
        "-vn",
        "-ac",
        str(channels),
        "-ar",
        str(rate),
    ]
    if max_seconds is not None:
        command += ["-t", f"{max_seconds:.3f}"]
    command += ["-f", fmt, "pipe:1"]
    item = np.dtype(dtype).itemsize * channels
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            while chunk := process.stdout.read(30 * rate * item):
                usable = len(chunk) // item * item
                yield np.frombuffer(chunk[:usable], dtype=dtype).copy()
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()  # the caller stopped early (enough sound heard)
            process.stdout.close()
            process.wait()
        # The timer says so itself: comparing clocks raced with a kill at the deadline.
        if killed.is_set():
            raise AudioRejected("Decoding this file took too long: it may be damaged.")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: apt-get install ffmpeg")
    return found


def _seconds(value: object) -> float | None:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def _clock(seconds: float) -> str:
    """A duration as people say it: "2 h 5 min", "4 min 10 s", "12 s"."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"
