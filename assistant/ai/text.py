"""Text generation, streamed: llama.cpp for a GGUF file, transformers for a Hugging Face folder.

The embedded SmolLM2 is a GGUF file, so production runs on llama.cpp (`text_llama`): no
de-quantization at load (2 s against 20-30 s) and, per ../shared/NOTES.md, 112 tokens/s
against transformers' 19-22 on two cores (bench/textgen_eval.py measures it again). A folder
(a fine-tuned merge, an admin's own model) runs on transformers, and so does a GGUF file when
llama-cpp-python is not installed. Either way the options mean the same (transformers'
semantics) and stop strings are cut here.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SlotConfig
from .errors import ModelUnavailable
from .registry import Loaded, get_or_load, quiet_transformers, require_files, use_torch_threads

Messages = Sequence[dict[str, str]]
THREAD_NAME = "assistant-ai-generate"
DEFAULT_MAX_TOKENS = 256
TEXT_SOURCE = "a GGUF file or a Hugging Face causal-LM folder (config.json + tokenizer)"


log = logging.getLogger(__name__)


@dataclass
class _HF:
    model: Any
    tokenizer: Any


def _hf_build(config: SlotConfig, path: Path) -> _HF:
    quiet_transformers()
    kwargs: dict[str, Any] = {"local_files_only": True}
    if path.is_file():
        # transformers reads GGUF from (folder, gguf_file=name) and de-quantizes to float32.
        folder, kwargs["gguf_file"] = path.parent, path.name
    else:
        folder = path
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    use_torch_threads(config)
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
    return _HF(model.eval(), tokenizer)


class _Text:
    """A loaded text slot: the engine that generates, and transformers' model on demand.

    `model` and `tokenizer` are transformers objects (fine-tuning and evaluation need them);
    for a GGUF file served by llama.cpp they are loaded on first use only.
    """

    def __init__(self, config: SlotConfig, path: Path, llama: Any = None) -> None:
        self.config, self.path, self.llama = config, path, llama
        self._hf: _HF | None = None if llama is not None else _hf_build(config, path)
        self._lock = threading.Lock()

    @property
    def engine(self) -> str:
        return "llama.cpp" if self.llama is not None else "transformers"

    def hf(self) -> _HF:
        with self._lock:
            if self._hf is None:
                self._hf = _hf_build(self.config, self.path)
            return self._hf

    @property
    def model(self) -> Any:
        return self.hf().model

    @property
    def tokenizer(self) -> Any:
        return self.hf().tokenizer


def _build(config: SlotConfig, path: Path) -> _Text:
    if path.is_file():
        if path.suffix != ".gguf":
            raise ModelUnavailable(f"{path} is not a .gguf file: the text slot needs {TEXT_SOURCE}")
        if os.environ.get("TEXT_ENGINE", "llama.cpp") == "transformers":
            pass  # TEXT_ENGINE=transformers: the deployment's choice, for GGUF files too
        elif importlib.util.find_spec("llama_cpp") is None:
            log.warning(
                "llama-cpp-python is not installed: %s runs on transformers, several "
                "times slower (`make install` installs it)",
                path.name,
            )
        else:
            from .text_llama import LlamaText

            return _Text(config, path, LlamaText(path, config.threads))
    else:
        require_files(path, ("config.json",), TEXT_SOURCE)
    return _Text(config, path)


def load(config: SlotConfig) -> Loaded:
    """Load (once) the language model and tokenizer of a text slot."""
    if config.kind != "text":
        raise ValueError(f"{config.kind} is not a text slot")
    return get_or_load(config, _build)


def _prompt_text(tokenizer: Any, prompt: str | Messages) -> tuple[str, bool]:
    """The prompt as text, and whether the tokenizer should still add its special tokens."""
    if isinstance(prompt, str):
        return prompt, True
    messages = [dict(m) for m in prompt]
    if getattr(tokenizer, "chat_template", None):
        text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return text, False
    # A custom folder without a chat template still gets a plain transcript.
    lines = [f"{m['role']}: {m['content']}" for m in messages]
    return "\n".join(lines) + "\nassistant:", True


def _held_back(text: str, stops: Sequence[str]) -> int:
    """How many trailing characters could still be the start of a stop string."""
    longest = 0
    for stop in stops:
        for size in range(min(len(stop) - 1, len(text)), longest, -1):
            if text.endswith(stop[:size]):
                longest = size
                break
    return longest


def _first_stop(text: str, stops: Sequence[str]) -> int | None:
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(found) if found else None


def generate(
    config: SlotConfig,
    prompt_or_messages: str | Messages,
    *,
    max_new_tokens: int | None = None,
    temperature: float | None = None,
    stop: Sequence[str] = (),
    repetition_penalty: float | None = None,
    no_repeat_ngram_size: int | None = None,
    stop_event: threading.Event | None = None,
) -> Iterator[str]:
    """Stream generated text pieces; cut before any stop string; greedy unless temperature>0."""
    text_model: _Text = load(config).model
    params = config.params
    options = {
        "max_new_tokens": int(max_new_tokens or params.get("max_tokens", DEFAULT_MAX_TOKENS)),
        "temperature": float(
            params.get("temperature", 0.0) if temperature is None else temperature
        ),
        "top_p": float(params.get("top_p", 1.0)),
        "repetition_penalty": repetition_penalty or params.get("repetition_penalty"),
        "no_repeat_ngram_size": no_repeat_ngram_size or params.get("no_repeat_ngram_size"),
        "stop_event": stop_event,
    }
    stops = [s for s in stop if s]  # an empty stop string would cut everything
    if text_model.llama is not None:
        pieces = text_model.llama.tokens(prompt_or_messages, **options)
    else:
        pieces = _hf_pieces(config, text_model.hf(), prompt_or_messages, **options)
    return _cut_at_stops(pieces, stops, stop_event)


def _cut_at_stops(
    pieces: Iterator[str], stops: list[str], stop_event: threading.Event | None
) -> Iterator[str]:
    """The pieces up to the first stop string, which is never emitted, even across pieces."""
    buffer = ""
    try:
        for piece in pieces:
            if stop_event is not None and stop_event.is_set():
                return
            buffer += piece
            cut = _first_stop(buffer, stops)
            if cut is not None:
                if buffer[:cut]:
                    yield buffer[:cut]
                return
            # Hold back a tail that may grow into a stop string; emit the rest now.
            ready = len(buffer) - _held_back(buffer, stops)
            if ready > 0:
                yield buffer[:ready]
                buffer = buffer[ready:]
        if buffer:
            yield buffer
    finally:
        pieces.close()  # also when the caller drops us: the engine stops at once


def _hf_pieces(
    config: SlotConfig,
    hf: _HF,
    prompt_or_messages: str | Messages,
    *,
    max_new_tokens: int,
    temperature: float,
    top_p: float,
    repetition_penalty: float | None,
    no_repeat_ngram_size: int | None,
    stop_event: threading.Event | None,
) -> Iterator[str]:
    """transformers' generate in a thread, its text streamed back as it comes."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

    tokenizer, model = hf.tokenizer, hf.model
    prompt, special = _prompt_text(tokenizer, prompt_or_messages)
    inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=special)
    halt = threading.Event()

    class _Halt(StoppingCriteria):
        # Checked after every token: the caller's stop signal or ours ends generation.
        def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
            stopped = halt.is_set() or (stop_event is not None and stop_event.is_set())
            return torch.full((input_ids.shape[0],), stopped, dtype=torch.bool)

    # The timeout lets the reader notice a generation thread that died.
    streamer = TextIteratorStreamer(
        tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=0.2
    )
    pad = tokenizer.pad_token_id
    kwargs: dict[str, Any] = {
        "input_ids": inputs["input_ids"],
        "attention_mask": inputs["attention_mask"],
        "max_new_tokens": max_new_tokens,
        "do_sample": temperature > 0,
        "streamer": streamer,
        "stopping_criteria": StoppingCriteriaList([_Halt()]),
        "pad_token_id": pad if pad is not None else tokenizer.eos_token_id,
    }
    if temperature > 0:
        kwargs.update(temperature=temperature, top_p=top_p)
    else:
        # A model's generation_config may carry sampling defaults that greedy would warn on.
        kwargs.update(temperature=None, top_p=None, top_k=None)
    if repetition_penalty:
        kwargs["repetition_penalty"] = float(repetition_penalty)
    if no_repeat_ngram_size:
        kwargs["no_repeat_ngram_size"] = int(no_repeat_ngram_size)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            use_torch_threads(config)
            model.generate(**kwargs)
        except BaseException as exc:  # handed to the reader, which re-raises it
            errors.append(exc)
            streamer.end()

    thread = threading.Thread(target=run, name=THREAD_NAME, daemon=True)
    thread.start()
    try:
        while True:
            if stop_event is not None and stop_event.is_set():
                return
            try:
                yield next(streamer)
            except queue.Empty:
                if not thread.is_alive() and streamer.text_queue.empty():
                    break
            except StopIteration:
                break
        if errors:
            raise RuntimeError(f"Generation failed: {errors[0]}") from errors[0]
    finally:
        # Also runs when the caller drops the iterator: stop the thread, free the cores.
        halt.set()
        thread.join(timeout=30)


def generate_text(config: SlotConfig, prompt_or_messages: str | Messages, **options: Any) -> str:
    """The whole generated text (generate() joined); takes the same options."""
    return "".join(generate(config, prompt_or_messages, **options))
