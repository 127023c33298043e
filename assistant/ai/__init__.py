"""The offline model runtime: slots, lazy cached loading, and one small API per kind.

Importing this package loads no model and imports neither torch nor transformers.
"""

from .check import CheckResult, check_all, check_slot, format_check_line, load_slot
from .config import KINDS, SlotConfig
from .embeddings import embed_sentences
from .errors import ModelUnavailable
from .registry import evict, resolve_path
from .speakers import embed_speakers, embed_voice
from .speech import Segment, Transcription, Word, transcribe
from .text import generate, generate_text
from .translation import translate

__all__ = [
    "KINDS",
    "CheckResult",
    "ModelUnavailable",
    "Segment",
    "SlotConfig",
    "Transcription",
    "Word",
    "check_all",
    "check_slot",
    "embed_sentences",
    "embed_speakers",
    "embed_voice",
    "evict",
    "format_check_line",
    "generate",
    "generate_text",
    "load_slot",
    "resolve_path",
    "transcribe",
    "translate",
]
