"""Load a slot and run a tiny real inference on it, for the admin's "check models" view."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import embeddings, speakers, speech, text, translation
from .audio import speak, tone
from .config import SlotConfig
from .registry import Loaded, resolve_path, size_on_disk

SENTENCE = "The meeting starts at nine tomorrow morning."
LOADERS: dict[str, Callable[[SlotConfig], Loaded]] = {
    "speech_en": speech.load,
    "speech_multi": speech.load,
    "text": text.load,
    "embeddings": embeddings.load,
    "speaker": speakers.load,
    "translation": translation.load,
}


@dataclass(frozen=True)
class CheckResult:
    """What checking one slot found: where, how big, how long to load, and what it produced."""

    kind: str
    source: str
    path: str | None
    size_bytes: int
    load_seconds: float
    result: str
    ok: bool
    error: str | None = None
    name: str = ""
    inference_seconds: float = 0.0


def load_slot(config: SlotConfig) -> Loaded:
    """Load (once) whatever model a slot of any kind needs."""
    return LOADERS[config.kind](config)


def _words(value: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", value.lower()))


def _speech(config: SlotConfig) -> tuple[str, bool]:
    clip = speak(SENTENCE)
    if clip is None:
        heard = speech.transcribe(config, tone(1.0, 220.0), language="en", vad=False)
        return (
            f"espeak-ng is not installed: a 1 s tone ran without error and gave "
            f"{len(heard.segments)} segment(s); install espeak-ng for a real check",
            True,
        )
    heard = speech.transcribe(config, clip, vad=False)
    expected = _words(SENTENCE) | {"9"}
    matched = len(_words(heard.text) & expected)
    summary = f'"{heard.text}" ({heard.language}, {matched}/{len(_words(SENTENCE))} words)'
    return summary, matched > 0


def _text(config: SlotConfig) -> tuple[str, bool]:
    reply = text.generate_text(
        config, [{"role": "user", "content": "Say hello."}], max_new_tokens=8
    )
    return f'"{reply.strip()}"', bool(reply.strip())


def _embeddings(config: SlotConfig) -> tuple[str, bool]:
    vectors = embeddings.embed_sentences(
        config, ["The budget meeting", "A meeting on the budget", "Penguins swim in cold water"]
    )
    close, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    ok = bool(np.all(np.isfinite(vectors))) and vectors.shape[1] > 0
    return f"dim {vectors.shape[1]}, similar {close:.2f} vs unrelated {far:.2f}", ok


def _speaker(config: SlotConfig) -> tuple[str, bool]:
    first, second = speak(SENTENCE, "en-us+m3"), speak(SENTENCE, "en-us+f4")
    if first is None or second is None:
        first, second = tone(2.0, 110.0), tone(2.0, 260.0, harmonics=2)
    one, two = speakers.embed_voice(config, first), speakers.embed_voice(config, second)
    cosine = float(one @ two)
    ok = one.shape == (speakers.EMBEDDING_SIZE,) and cosine < 0.99
    return f"dim {one.shape[0]}, two voices cosine {cosine:.2f}", ok


def _translation(config: SlotConfig) -> tuple[str, bool]:
    out = translation.translate(config, ["Hello"])[0]
    return f'"Hello" -> "{out}"', bool(out)


CHECKS: dict[str, Callable[[SlotConfig], tuple[str, bool]]] = {
    "speech_en": _speech,
    "speech_multi": _speech,
    "text": _text,
    "embeddings": _embeddings,
    "speaker": _speaker,
    "translation": _translation,
}


def check_slot(config: SlotConfig) -> CheckResult:
    """Load the slot (if not yet loaded) and run a tiny inference; never raises."""
    path, size, load_seconds, spent = config.path, 0, 0.0, 0.0
    try:
        resolved = resolve_path(config)
        path, size = str(resolved), size_on_disk(resolved)
        load_seconds = load_slot(config).load_seconds
        start = time.perf_counter()
        result, ok = CHECKS[config.kind](config)
        spent = time.perf_counter() - start
        error = None if ok else "the model ran but its output looks wrong"
    except Exception as exc:  # a check reports every failure instead of raising it
        result, ok, error = "failed", False, f"{type(exc).__name__}: {exc}"
    return CheckResult(
        config.kind, config.source, path, size, load_seconds, result, ok, error, config.name, spent
    )


def format_check_line(result: CheckResult) -> str:
    """One line: name, source, size on disk, load time, and what the model produced."""
    status = result.result if result.ok else f"FAILED: {result.error} ({result.result})"
    return (
        f"{result.name or result.kind:<16} {result.source:<8} "
        f"{result.size_bytes / 1e6:8.1f} MB  load {result.load_seconds:5.1f} s  "
        f"run {result.inference_seconds:5.1f} s  {status}"
    )


def check_all(configs: list[SlotConfig]) -> list[CheckResult]:
    """Check several slots in turn (a management command prints format_check_line of each)."""
    return [check_slot(config) for config in configs]
