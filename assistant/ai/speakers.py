"""Speaker embeddings with a Resemblyzer-format voice encoder, batched over time windows."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .audio import SAMPLE_RATE, AudioInput, load_audio
from .config import SlotConfig
from .errors import ModelUnavailable
from .registry import Loaded, get_or_load, use_torch_threads

# Resemblyzer's hyperparameters: 40 mel channels, 25 ms windows every 10 ms,
# partial utterances of 160 frames (1.6 s), a 3-layer LSTM of 256 units.
MEL_CHANNELS = 40
FRAMES_PER_SECOND = 100
N_FFT, HOP = 400, 160
PARTIAL_FRAMES = 160
PARTIAL_STEP = 77  # round(16000 / 1.3 / 160): Resemblyzer's default rate of 1.3 partials/s
MIN_COVERAGE = 0.75
EMBEDDING_SIZE = 256
TARGET_DBFS = -30.0
BATCH = 64
WEIGHTS = "a Resemblyzer-format weights file (.pt holding model_state with lstm.* and linear.*)"


@cache
def _encoder_class() -> type:
    import torch
    from torch import nn

    class VoiceEncoder(nn.Module):
        """Resemblyzer's network: LSTM, linear, ReLU, L2 norm."""

        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(MEL_CHANNELS, 256, 3, batch_first=True)
            self.linear = nn.Linear(256, EMBEDDING_SIZE)

        def forward(self, mels: torch.Tensor) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            raw = torch.relu(self.linear(hidden[-1]))
            return raw / torch.norm(raw, dim=1, keepdim=True).clamp_min(1e-9)

    return VoiceEncoder


def _build(config: SlotConfig, path: Path) -> Any:
    if not path.is_file():
        raise ModelUnavailable(f"{path} is not a file: the speaker slot needs {WEIGHTS}")
    import torch

    use_torch_threads(config)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelUnavailable(
            f"{path} is not a torch weights file ({exc}): the speaker slot needs {WEIGHTS}"
        ) from exc
    state = checkpoint.get("model_state", checkpoint) if isinstance(checkpoint, dict) else None
    encoder = _encoder_class()()
    wanted = encoder.state_dict().keys()
    if not isinstance(state, dict) or not all(k in state for k in wanted):
        raise ModelUnavailable(f"{path} lacks the LSTM/linear weights: the slot needs {WEIGHTS}")
    # Resemblyzer's file also holds training-only similarity_* weights: keep what we use.
    encoder.load_state_dict({k: state[k] for k in wanted})
    return encoder.eval()


def load(config: SlotConfig) -> Loaded:
    """Load (once) the voice encoder of a speaker slot."""
    if config.kind != "speaker":
        raise ValueError(f"{config.kind} is not a speaker slot")
    return get_or_load(config, _build)


def speaker_level(audio: AudioInput) -> np.ndarray:
    """The recording at the level embed_speakers hears it (a slice of the result can then be
    embedded with level_set=True, as the whole recording would be)."""
    wav = load_audio(audio)
    # Resemblyzer raises quiet recordings to -30 dBFS; one gain for the whole
    # recording keeps timestamps, unlike its preprocess_wav silence trimming.
    rms = float(np.sqrt(np.mean(wav.astype(np.float64) ** 2))) if len(wav) else 0.0
    if rms > 0:
        gain = 10 ** ((TARGET_DBFS - 20 * np.log10(rms)) / 20)
        if gain > 1:
            wav = wav * np.float32(gain)
    return wav


@cache
def _mel_basis() -> np.ndarray:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): Slaney scale and norm."""
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp

    def to_mel(hz: np.ndarray) -> np.ndarray:
        return np.where(
            hz >= min_log_hz,
            min_log_mel + np.log(np.maximum(hz, 1e-10) / min_log_hz) / logstep,
            hz / f_sp,
        )

    def to_hz(mel: np.ndarray) -> np.ndarray:
        return np.where(
            mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)), mel * f_sp
        )

    mel_f = to_hz(np.linspace(0.0, to_mel(np.array(SAMPLE_RATE / 2.0)), MEL_CHANNELS + 2))
    ramps = np.subtract.outer(mel_f, np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE))
    fdiff = np.diff(mel_f)
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def _mel(wav: np.ndarray) -> np.ndarray:
    """librosa.feature.melspectrogram as Resemblyzer calls it, as (frames, 40) float32."""
    # Our own numpy copy: importing librosa JIT-compiles numba code (20 s on a fresh
    # machine, and on every start where site-packages is read-only).
    padded = np.pad(wav.astype(np.float32), N_FFT // 2)
    count = 1 + (len(padded) - N_FFT) // HOP
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:count]
    basis, out = _mel_basis(), np.empty((count, MEL_CHANNELS), dtype=np.float32)
    for i in range(0, count, 8192):  # chunks bound the memory an hour of audio needs
        spectrum = np.fft.rfft(frames[i : i + 8192] * window, axis=1)
        power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
        out[i : i + 8192] = power @ basis.T
    return out


def _partials(mel: np.ndarray, start: int, stop: int) -> list[np.ndarray]:
    """Resemblyzer's split of one utterance into 160-frame partials, zero-padded at the end."""
    n = stop - start
    starts = list(range(0, max(1, n - PARTIAL_FRAMES + PARTIAL_STEP + 1), PARTIAL_STEP))
    if len(starts) > 1 and (n - starts[-1]) / PARTIAL_FRAMES < MIN_COVERAGE:
        starts.pop()
    out = []
    for offset in starts:
        chunk = mel[start + offset : min(stop, start + offset + PARTIAL_FRAMES)]
        padded = np.zeros((PARTIAL_FRAMES, MEL_CHANNELS), dtype=np.float32)
        padded[: len(chunk)] = chunk
        out.append(padded)
    return out


def embed_speakers(
    config: SlotConfig, wav_16k: AudioInput, windows: Sequence[tuple[float, float]],
    *, level_set: bool = False,
) -> np.ndarray:
    """One L2-normed 256-d voice embedding per (start_s, end_s) window, as an (n, 256) array.

    level_set: the audio already went through speaker_level (a slice of a recording that did).
    """
    encoder = load(config).model
    if not windows:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    wav = load_audio(wav_16k) if level_set else speaker_level(wav_16k)
    # One spectrogram for the whole recording; windows are slices of its frames.
    mel = _mel(wav)
    partials: list[np.ndarray] = []
    owners: list[int] = []
    for index, (start_s, end_s) in enumerate(windows):
        start = max(0, int(round(start_s * FRAMES_PER_SECOND)))
        stop = min(len(mel), int(round(end_s * FRAMES_PER_SECOND)))
        if stop <= start:
            raise ValueError(f"Window {index} ({start_s}, {end_s}) holds no audio")
        chunks = _partials(mel, start, stop)
        partials.extend(chunks)
        owners.extend([index] * len(chunks))
    import torch

    use_torch_threads(config)
    batch = np.stack(partials)
    outputs = []
    with torch.inference_mode():
        for i in range(0, len(batch), BATCH):
            outputs.append(encoder(torch.from_numpy(batch[i : i + BATCH])).numpy())
    partial_embeds = np.concatenate(outputs)
    sums = np.zeros((len(windows), EMBEDDING_SIZE), dtype=np.float64)
    np.add.at(sums, np.asarray(owners), partial_embeds)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.maximum(norms, 1e-9)).astype(np.float32)


def embed_voice(config: SlotConfig, wav: AudioInput) -> np.ndarray:
    """The 256-d voice embedding of a whole enrollment sample."""
    samples = load_audio(wav)
    if len(samples) < SAMPLE_RATE // 10:
        raise ValueError("The voice sample is shorter than 0.1 s")
    return embed_speakers(config, samples, [(0.0, len(samples) / SAMPLE_RATE)])[0]
