"""Text translation with a MarianMT, NLLB or M2M100 model folder (Hugging Face format)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SlotConfig
from .errors import ModelUnavailable
from .registry import Loaded, get_or_load, quiet_transformers, require_files, use_torch_threads

FOLDER = "a MarianMT, NLLB or M2M100 model folder (Hugging Face format)"
BATCH = 8
# NLLB names languages by FLORES-200 codes; people and the rest of the app use ISO 639-1.
NLLB_CODES = {
    "ar": "arb_Arab",
    "bg": "bul_Cyrl",
    "ca": "cat_Latn",
    "cs": "ces_Latn",
    "da": "dan_Latn",
    "de": "deu_Latn",
    "el": "ell_Grek",
    "en": "eng_Latn",
    "es": "spa_Latn",
    "et": "est_Latn",
    "fi": "fin_Latn",
    "fr": "fra_Latn",
    "he": "heb_Hebr",
    "hi": "hin_Deva",
    "hr": "hrv_Latn",
    "hu": "hun_Latn",
    "id": "ind_Latn",
    "it": "ita_Latn",
    "ja": "jpn_Jpan",
    "ko": "kor_Hang",
    "lt": "lit_Latn",
    "lv": "lvs_Latn",
    "nl": "nld_Latn",
    "no": "nob_Latn",
    "pl": "pol_Latn",
    "pt": "por_Latn",
    "ro": "ron_Latn",
    "ru": "rus_Cyrl",
    "sk": "slk_Latn",
    "sl": "slv_Latn",
    "sv": "swe_Latn",
    "tr": "tur_Latn",
    "uk": "ukr_Cyrl",
    "vi": "vie_Latn",
    "zh": "zho_Hans",
}


@dataclass
class _Translator:
    model: Any
    tokenizer: Any
    family: str  # "marian", "nllb" or "m2m100"
    # src_lang lives on the shared tokenizer: set it and tokenize under one lock.
    lock: threading.Lock = field(default_factory=threading.Lock)


def _family(model: Any, tokenizer: Any) -> str:
    name = type(tokenizer).__name__.lower()
    if model.config.model_type == "marian":
        return "marian"
    if "nllb" in name:
        return "nllb"
    if model.config.model_type == "m2m_100":
        return "m2m100"
    raise ModelUnavailable(f"A {model.config.model_type} model is not MarianMT, NLLB or M2M100")


def _build(config: SlotConfig, path: Path) -> _Translator:
    require_files(path, ("config.json",), FOLDER)
    quiet_transformers()
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    use_torch_threads(config)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True).eval()
    return _Translator(model, tokenizer, _family(model, tokenizer))


def load(config: SlotConfig) -> Loaded:
    """Load (once) the model of a translation slot."""
    if config.kind != "translation":
        raise ValueError(f"{config.kind} is not a translation slot")
    return get_or_load(config, _build)


def _language_token(translator: _Translator, code: str) -> tuple[str, str]:
    """The tokenizer's name for a language and its language token."""
    if translator.family == "nllb":
        name = code if "_" in code else NLLB_CODES.get(code, code)
        return name, name
    return code, f"__{code}__"


def translate(
    config: SlotConfig,
    texts: Sequence[str],
    *,
    source: str | None = None,
    target: str | None = None,
) -> list[str]:
    """Translate texts; source/target default to the slot's pair (ignored by MarianMT)."""
    translator: _Translator = load(config).model
    import torch

    pair = (config.pair or "-").split("-", 1)
    source, target = source or pair[0], target or pair[1]
    tokenizer, options = translator.tokenizer, {}
    if translator.family != "marian":
        if not source or not target:
            raise ValueError("NLLB and M2M100 need source and target languages (or a pair)")
        token = _language_token(translator, target)[1]
        token_id = tokenizer.convert_tokens_to_ids(token)
        if token_id is None or token_id == tokenizer.unk_token_id:
            raise ValueError(f"The {config.name} model has no language {target!r}")
        # The first generated token picks the output language.
        options["forced_bos_token_id"] = token_id
    params = config.params
    # Never ask for more tokens than the model has positions for (small models crash).
    positions = getattr(translator.model.config, "max_position_embeddings", None) or 1024
    options.update(
        max_new_tokens=min(int(params.get("max_tokens", 256)), positions - 2),
        num_beams=int(params.get("beam_size", 1)),
    )
    use_torch_threads(config)
    results: list[str] = []
    with torch.inference_mode():
        for i in range(0, len(texts), BATCH):
            with translator.lock:
                if translator.family != "marian":
                    tokenizer.src_lang = _language_token(translator, source)[0]
                batch = tokenizer(
                    list(texts[i : i + BATCH]),
                    return_tensors="pt",
                    padding=True,
                    truncation=True,
                    max_length=512,
                )
            out = translator.model.generate(**batch, **options).tolist()
            # Some tokenizers do not count language tokens as special: drop the forced one.
            forced = options.get("forced_bos_token_id")
            out = [[t for t in row if t != forced] for row in out]
            results.extend(tokenizer.batch_decode(out, skip_special_tokens=True))
    return [r.strip() for r in results]
