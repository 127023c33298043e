"""What a model slot is: its kind, where its weights come from, and its parameters."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

KINDS = ("speech_en", "speech_multi", "text", "embeddings", "speaker", "translation")
SOURCES = ("embedded", "path")
# Only these params change the loaded object; the rest (beam_size, temperature, ...)
# apply per call, so changing them must not load a second copy of the weights.
LOAD_PARAMS = ("compute_type", "threads", "device", "workers")
EMBEDDED_LABELS = {"speech_en": "Whisper tiny.en", "speech_multi": "Whisper base",
                   "text": "SmolLM2-135M-Instruct", "embeddings": "all-MiniLM-L6-v2",
                   "speaker": "Resemblyzer"}


@dataclass(frozen=True)
class SlotConfig:
    """One model slot: kind, source ("embedded" or "path"), path and parameters."""

    kind: str
    source: str = "embedded"
    path: str | None = None
    # hash=False: a dict is not hashable, and two configs differing only in
    # params may still share a hash bucket; equality still compares them.
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown model kind {self.kind!r}: use one of {', '.join(KINDS)}")
        if self.source not in SOURCES:
            raise ValueError(f"Unknown model source {self.source!r}: use 'embedded' or 'path'")
        if self.source == "path" and not self.path:
            raise ValueError(f"The {self.kind} slot has source 'path' but no path")

    @property
    def pair(self) -> str | None:
        """The language pair of a translation slot, such as "de-en"."""
        return self.params.get("pair")

    @property
    def name(self) -> str:
        """A display name: the kind, plus the pair for translation slots."""
        return f"{self.kind} {self.pair}" if self.pair else self.kind

    @property
    def label(self) -> str:
        """The model as a person knows it: "Whisper base", or the folder or file's name."""
        if self.source == "path":
            return os.path.basename(os.path.normpath(self.path or "")) or self.kind
        return EMBEDDED_LABELS.get(self.kind, self.name)

    def cache_key(self) -> tuple:
        """The key of this slot's loaded model in the process-wide cache."""
        load = {k: self.params[k] for k in LOAD_PARAMS if k in self.params}
        return (self.kind, self.source, self.path, json.dumps(load, sort_keys=True))

    @property
    def threads(self) -> int:
        """CPU threads for this slot: params["threads"], else $MODEL_THREADS, else 2."""
        value = self.params.get("threads") or os.environ.get("MODEL_THREADS") or 2
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"MODEL_THREADS / threads is {value!r}: use a whole number") from None
