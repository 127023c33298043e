"""Sentence embeddings from a Hugging Face / sentence-transformers folder, L2-normalised."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .config import SlotConfig
from .errors import ModelUnavailable
from .registry import Loaded, get_or_load, quiet_transformers, require_files, use_torch_threads

FOLDER = "a Hugging Face or sentence-transformers model folder (config.json + tokenizer)"
POOLING_MODES = ("mean", "cls", "max")
BATCH = 32


@dataclass
class _Encoder:
    model: Any
    tokenizer: Any
    pooling: str
    max_length: int


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def _pooling(folder: Path) -> str:
    """The pooling a sentence-transformers folder asks for; mean for a plain HF folder."""
    for module in _read_json(folder / "modules.json") or []:
        if module.get("type", "").endswith("Pooling"):
            config = _read_json(folder / module.get("path", "") / "config.json")
            for mode in POOLING_MODES:
                if config.get(f"pooling_mode_{mode}_tokens") or config.get("pooling_mode") == mode:
                    return mode
            raise ModelUnavailable(f"{folder} asks for a pooling other than {POOLING_MODES}")
    return "mean"


def _build(config: SlotConfig, path: Path) -> _Encoder:
    require_files(path, ("config.json",), FOLDER)
    quiet_transformers()
    from transformers import AutoModel, AutoTokenizer

    use_torch_threads(config)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    limit = _read_json(path / "sentence_bert_config.json").get("max_seq_length")
    positions = getattr(model.config, "max_position_embeddings", 512)
    max_length = int(limit or min(tokenizer.model_max_length, positions, 512))
    return _Encoder(model, tokenizer, _pooling(path), max_length)


def load(config: SlotConfig) -> Loaded:
    """Load (once) the encoder of an embeddings slot."""
    if config.kind != "embeddings":
        raise ValueError(f"{config.kind} is not an embeddings slot")
    return get_or_load(config, _build)


def embed_sentences(config: SlotConfig, texts: Sequence[str]) -> np.ndarray:
    """An (n, dim) float32 array of L2-normalised sentence embeddings."""
    encoder: _Encoder = load(config).model
    import torch

    use_torch_threads(config)
    dim = int(encoder.model.config.hidden_size)
    rows = []
    with torch.inference_mode():
        for i in range(0, len(texts), BATCH):
            batch = encoder.tokenizer(
                list(texts[i : i + BATCH]),
                padding=True,
                truncation=True,
                max_length=encoder.max_length,
                return_tensors="pt",
            )
            hidden = encoder.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            if encoder.pooling == "cls":
                pooled = hidden[:, 0]
            elif encoder.pooling == "max":
                pooled = hidden.masked_fill(mask == 0, -1e9).max(dim=1).values
            else:
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp_min(1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            rows.append(pooled.float().numpy())
    return np.concatenate(rows) if rows else np.zeros((0, dim), dtype=np.float32)
