"""Speech to text with faster-whisper (CTranslate2 Whisper folders, int8 on CPU)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audio import AudioInput, load_audio
from .config import SlotConfig
from .errors import ModelUnavailable
from .registry import Loaded, get_or_load, require_files

SPEECH_KINDS = ("speech_en", "speech_multi")
SHORT_CLIP_SAMPLES = 30 * 16000  # one Whisper window
CT2_WHISPER = "a CTranslate2 Whisper folder (model.bin, config.json, tokenizer.json)"


@dataclass(frozen=True)
class Word:
    """One word with its times in seconds from the start of the audio."""

    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One stretch of speech, with its words when word timestamps were asked for."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class Transcription:
    """What Whisper heard: language, duration in seconds, and timed segments."""

    language: str
    language_probability: float
    duration: float
    segments: list[Segment]

    @property
    def text(self) -> str:
        """All segments' text joined with spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


@dataclass
class _Speech:
    model: Any
    batched: Any = None
    # The last window encoded for language detection, kept for the transcription that follows
    # it (faster-whisper would encode the same window again): (digest, encoder output).
    encoded: tuple[bytes, Any] | None = None

    def encode(self, window) -> Any:
        """Whisper's encoder on one padded 30-s window of features, reusing the last one."""
        memo = self.encoded  # read once: parallel decoders share this object
        if memo is not None and memo[0] == _digest(window):
            self.encoded = None
            return memo[1]
        return self._encode(window)

    def _encode(self, window) -> Any:
        from faster_whisper.transcribe import WhisperModel

        return WhisperModel.encode(self.model, window)

    def detect_language(self, wav) -> tuple[str, float]:
        """The language of a clip of at most 30 s, from the window the transcription encodes
        first (features as faster-whisper makes them, without the last frame it drops): the
        detection and the transcript share one encoder pass instead of two."""
        from faster_whisper.audio import pad_or_trim

        extractor = self.model.feature_extractor
        features = extractor(wav)
        window = pad_or_trim(features[:, :min(extractor.nb_max_frames, features.shape[-1] - 1)])
        output = self._encode(window)
        self.encoded = (_digest(window), output)
        token, probability = self.model.model.detect_language(output)[0][0]
        return token[2:-2], float(probability)


def _digest(window) -> bytes:
    import hashlib

    return hashlib.blake2b(window.tobytes(), digest_size=16).digest()


def _build(config: SlotConfig, path: Path) -> _Speech:
    if (path / "model.safetensors").is_file() and not (path / "model.bin").is_file():
        raise ModelUnavailable(
            f"{path} is a Hugging Face folder, not CTranslate2: convert it with "
            f"ct2-transformers-converter --model {path} --output_dir OUT --quantization int8"
        )
    # Without tokenizer.json faster-whisper would download one from the Hub.
    require_files(path, ("model.bin", "config.json", "tokenizer.json"), CT2_WHISPER)
    from faster_whisper import WhisperModel

    params = config.params
    # Parallel decoders (CTranslate2 workers) share the slot's threads: on two cores two
    # one-thread decoders fed side by side keep both cores busy where one two-thread decoder
    # of a few clips does not (meetings.transcription decodes its streams in that many groups).
    workers = max(1, int(params.get("workers", 1)))
    model = WhisperModel(
        str(path),
        # A GPU machine's speech workers run with SPEECH_DEVICE=cuda, SPEECH_COMPUTE_TYPE=float16.
        device=params.get("device", os.getenv("SPEECH_DEVICE", "cpu")),
        compute_type=params.get("compute_type", os.getenv("SPEECH_COMPUTE_TYPE", "int8")),
        cpu_threads=max(1, config.threads // workers),
        num_workers=workers,
        local_files_only=True,
    )
    speech = _Speech(model)
    model.encode = speech.encode  # reuses the detection's window (_Speech.detect_language)
    return speech


def load(config: SlotConfig) -> Loaded:
    """Load (once) the speech model of a speech_en or speech_multi slot."""
    if config.kind not in SPEECH_KINDS:
        raise ValueError(f"{config.kind} is not a speech slot")
    return get_or_load(config, _build)


def transcribe(
    config: SlotConfig,
    audio: AudioInput,
    *,
    language: str | None = None,
    task: str = "transcribe",
    hotwords: str | None = None,
    initial_prompt: str | None = None,
    vad: bool = True,
    word_timestamps: bool = True,
    on_progress: Callable[[float], None] | None = None,
) -> Transcription:
    """Transcribe (or, with task="translate", translate to English) a path or 16 kHz array."""
    speech: _Speech = load(config).model
    wav = load_audio(audio)
    params = config.params
    options: dict[str, Any] = {
        "language": language,
        "task": task,
        "beam_size": int(params.get("beam_size", 5)),
        "vad_filter": vad,
        "word_timestamps": word_timestamps,
        # An empty string would still be sent as a prompt: pass None instead.
        "hotwords": hotwords or None,
        "initial_prompt": initial_prompt or None,
        "condition_on_previous_text": bool(params.get("condition_on_previous_text", True)),
        "max_new_tokens": params.get("max_new_tokens"),
    }
    if "temperature" in params:
        options["temperature"] = params["temperature"]
    batch_size = int(params.get("batch_size", 0))
    detected = None
    if batch_size > 1:
        # The batched pipeline is ~1.6x faster on 2 cores but always cuts on VAD.
        from faster_whisper import BatchedInferencePipeline

        if speech.batched is None:
            speech.batched = BatchedInferencePipeline(speech.model)
        pieces, info = speech.batched.transcribe(wav, batch_size=batch_size, **options)
    else:
        if (language is None and not vad and len(wav) <= SHORT_CLIP_SAMPLES
                and speech.model.model.is_multilingual):
            detected = speech.detect_language(wav)
            options["language"] = detected[0]
        pieces, info = speech.model.transcribe(wav, **options)
    segments = []
    # faster-whisper decodes lazily: each segment appears as this loop pulls it.
    for piece in pieces:
        # Plain floats (faster-whisper gives numpy ones): results go to JSON and the DB.
        words = [
            Word(float(w.start), float(w.end), w.word, float(w.probability))
            for w in piece.words or []
        ]
        segments.append(Segment(float(piece.start), float(piece.end), piece.text, words))
        if on_progress is not None and info.duration:
            on_progress(min(1.0, piece.end / info.duration))
    if on_progress is not None:
        on_progress(1.0)
    probability = detected[1] if detected else info.language_probability
    return Transcription(info.language, float(probability), float(info.duration), segments)
