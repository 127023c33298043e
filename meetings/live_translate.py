"""A recording in several languages, segment by segment: each stretch of speech (Silero VAD)
gets its own detected language, its text, and its translation.

English comes from Whisper's own translate task (speech only, embedded); other target
languages from the team's text-translation slot for the pair (or through English when the
team has `en-xx`). Used by `manage.py translate`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.ai import SlotConfig, transcribe, translate
from assistant.ai.audio import SAMPLE_RATE, load_audio
from assistant.models import Team
from assistant.slots import slot_config

from .rooms import translation_pairs

# Whisper hears 30 s at a time, but its translate task shortens a long stretch: a 21-s German
# passage lost "use" from "the right to use, copy, modify…" (bench/results/live.md); at most
# 12 s, as live captions are, each clause keeps its verb.
MAX_SEGMENT_S = 12.0


def speech_stretches(wav: np.ndarray) -> list[tuple[int, int]]:
    """Sample ranges of speech, cut at pauses of a second and at MAX_SEGMENT_S."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=1000, speech_pad_ms=200,
                         max_speech_duration_s=MAX_SEGMENT_S)
    return [(r["start"], r["end"]) for r in get_speech_timestamps(wav, options)]


def _decoding(config: SlotConfig) -> SlotConfig:
    params = {"beam_size": 5, **config.params, "condition_on_previous_text": False}
    return SlotConfig(kind=config.kind, source=config.source, path=config.path, params=params)


def recording_translate(path: str, *, target: str, speech: SlotConfig, team: Team | None = None,
                        on_segment: Callable[[dict], None] | None = None) -> dict:
    """{"language", "segments": [{"start", "end", "language", "text", "translation"}]}."""
    wav = load_audio(path)
    config = _decoding(speech)
    pairs = set(translation_pairs(team=team)) if team else set()
    segments, seconds = [], {}
    for start, end in speech_stretches(wav):
        piece = wav[start:end]
        heard = transcribe(config, piece, vad=False, word_timestamps=False)
        text = heard.text.strip()
        if not text:
            continue
        language = heard.language
        segment = {"start": round(start / SAMPLE_RATE, 2), "end": round(end / SAMPLE_RATE, 2),
                   "language": language, "text": text,
                   "translation": _translation(config, piece, text, language, target, team,
                                               pairs)}
        segments.append(segment)
        seconds[language] = seconds.get(language, 0.0) + (end - start) / SAMPLE_RATE
        if on_segment:
            on_segment(segment)
    main = max(seconds, key=seconds.get) if seconds else ""
    return {"language": main, "segments": segments}


def _translation(config: SlotConfig, piece: np.ndarray, text: str, source: str, target: str,
                 team: Team | None, pairs: set[str]) -> str | None:
    if source == target:
        return text
    english = None
    if target == "en" or (f"en-{target}" in pairs and f"{source}-{target}" not in pairs):
        english = text if source == "en" else transcribe(
            config, piece, language=source, task="translate", vad=False,
            word_timestamps=False).text.strip()
    if target == "en":
        return english
    if f"{source}-{target}" in pairs:
        return translate(slot_config(team=team, kind="translation", pair=f"{source}-{target}"),
                         [text])[0]
    if english and f"en-{target}" in pairs:
        return translate(slot_config(team=team, kind="translation", pair=f"en-{target}"),
                         [english])[0]
    return None
