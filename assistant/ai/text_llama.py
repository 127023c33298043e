"""Text generation from a GGUF file with llama.cpp (llama-cpp-python), token by token.

llama.cpp computes on the file's quantized weights, so nothing is converted or de-quantized
at load (well under a second, against 20–30 s for transformers). The token loop is ours, so
the options mean what they mean in transformers' `generate`: the repetition penalty and
`no_repeat_ngram_size` look at the prompt and the reply, greedy is an argmax, sampling is
temperature then top-p. One context per process serves every call: a call whose prompt starts
like the previous one reuses the computed prefix (fixed templates and few-shot examples), and
two generators consumed in turn each put their own tokens back before stepping.
"""

from __future__ import annotations

import atexit
import codecs
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

# SmolLM2 was trained on 8k tokens; the key/value cache for them takes about 190 MB.
MAX_CONTEXT = 8192
BATCH = 512


class LlamaText:
    """One GGUF model and its llama.cpp context, shared by every call in the process."""

    def __init__(self, path: Path, threads: int, context: int = MAX_CONTEXT) -> None:
        from llama_cpp import Llama

        self.llm = Llama(
            model_path=str(path),
            n_ctx=context,
            n_batch=BATCH,
            n_ubatch=BATCH,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
        # Freed while the interpreter still runs: left to Llama.__del__ at exit, it calls
        # into an already torn-down module and prints a TypeError.
        atexit.register(self.llm.close)
        # A model trained on fewer tokens than the context holds reads no more than that.
        self.context = min(self.llm.n_ctx(), self.llm._model.n_ctx_train() or MAX_CONTEXT)
        self.vocab_size = self.llm.n_vocab()
        self.chat_template = self.llm.metadata.get("tokenizer.chat_template")
        self.add_bos = bool(self.llm._model.add_bos_token())
        self.lock = threading.Lock()
        self._owner: object | None = None
        # The latest call's (prompt, generated) tokens, and how many prompt tokens it found
        # already computed: for benchmarks and tests.
        self.last_counts = (0, 0)
        self.reused = 0

    # Prompts

    def prompt_ids(self, prompt: str | Sequence[dict[str, str]]) -> list[int]:
        """The prompt's tokens: a chat through the file's own template, text as it is."""
        if isinstance(prompt, str):
            text, bos = prompt, self.add_bos
        else:
            text, bos = self._chat(prompt), False
        return self.llm.tokenize(text.encode("utf-8"), add_bos=bos, special=True)

    def _chat(self, messages: Sequence[dict[str, str]]) -> str:
        messages = [dict(m) for m in messages]
        if not self.chat_template:
            lines = [f"{m['role']}: {m['content']}" for m in messages]
            return "\n".join(lines) + "\nassistant:"
        # The same environment transformers' apply_chat_template renders with.
        from jinja2.ext import loopcontrols
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        env = ImmutableSandboxedEnvironment(
            trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
        )
        tokens = self.llm._model
        return env.from_string(self.chat_template).render(
            messages=messages,
            add_generation_prompt=True,
            bos_token=tokens.token_get_text(tokens.token_bos()),
            eos_token=tokens.token_get_text(tokens.token_eos()),
        )

    # The context

    def _logits(self, ids: list[int], owner: object) -> np.ndarray:
        """The next-token logits after `ids`, computing only what the context lacks."""
        llm = self.llm
        with self.lock:
            held = llm.n_tokens
            try:
                if self._owner is owner and held == len(ids) - 1:
                    llm.eval(ids[-1:])  # the usual step: one new token
                else:
                    cached = np.asarray(llm.input_ids[: min(held, len(ids) - 1)])
                    differ = np.flatnonzero(
                        cached != np.asarray(ids[: len(cached)], dtype=cached.dtype)
                    )
                    common = int(differ[0]) if len(differ) else len(cached)
                    llm._ctx.kv_cache_seq_rm(-1, common, -1)
                    llm.n_tokens = common
                    llm.eval(ids[common:])
                    self._owner, self.reused = owner, common
            except BaseException:
                self._owner = None  # the next call checks what the context holds
                raise
            pointer = llm._ctx.get_logits_ith(-1)
            return np.ctypeslib.as_array(pointer, shape=(self.vocab_size,)).copy()

    def _is_end(self, token: int) -> bool:
        import llama_cpp

        return bool(llama_cpp.llama_vocab_is_eog(self.llm._model.vocab, token))

    # Generation

    def tokens(
        self,
        prompt: str | Sequence[dict[str, str]],
        *,
        max_new_tokens: int,
        temperature: float = 0.0,
        top_p: float = 1.0,
        repetition_penalty: float | None = None,
        no_repeat_ngram_size: int | None = None,
        stop_event: threading.Event | None = None,
        seed: int | None = None,
    ) -> Iterator[str]:
        """Stream the reply's text, piece by piece, until an end token or max_new_tokens."""
        ids = self.prompt_ids(prompt)
        if len(ids) >= self.context:
            raise ValueError(
                f"The prompt has {len(ids)} tokens: the text model reads at most {self.context}"
            )
        budget = min(max_new_tokens, self.context - len(ids))
        banned = _NgramBan(ids, no_repeat_ngram_size or 0)
        rng = np.random.default_rng(seed)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        owner = object()
        prompt_size = len(ids)
        self.last_counts = (prompt_size, 0)
        for _ in range(budget):
            if stop_event is not None and stop_event.is_set():
                return
            logits = self._logits(ids, owner)
            if repetition_penalty and repetition_penalty != 1.0:
                _penalise(logits, ids, repetition_penalty)
            banned.apply(logits, ids)
            token = _choose(logits, temperature, top_p, rng)
            if self._is_end(token):
                break
            ids.append(token)
            self.last_counts = (prompt_size, len(ids) - prompt_size)
            banned.add(ids)
            piece = decoder.decode(self.llm.detokenize([token]))
            if piece:
                yield piece
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail


def _penalise(logits: np.ndarray, ids: list[int], penalty: float) -> None:
    """transformers' RepetitionPenaltyLogitsProcessor: every token seen so far, once."""
    seen = np.unique(np.asarray(ids, dtype=np.int64))
    scores = logits[seen]
    logits[seen] = np.where(scores < 0, scores * penalty, scores / penalty)


class _NgramBan:
    """transformers' no_repeat_ngram_size: a token that would repeat an n-gram is banned."""

    def __init__(self, ids: list[int], size: int) -> None:
        self.size = size
        self.seen: dict[tuple[int, ...], set[int]] = {}
        for end in range(size, len(ids) + 1) if size else ():
            self.add(ids[:end])

    def add(self, ids: list[int]) -> None:
        """Note the n-gram that the last token of `ids` closes."""
        if self.size and len(ids) >= self.size:
            gram = ids[len(ids) - self.size :]
            self.seen.setdefault(tuple(gram[:-1]), set()).add(gram[-1])

    def apply(self, logits: np.ndarray, ids: list[int]) -> None:
        if not self.size or len(ids) + 1 < self.size:
            return
        banned = self.seen.get(tuple(ids[len(ids) - self.size + 1 :]))
        if banned:
            logits[list(banned)] = -np.inf


def _choose(logits: np.ndarray, temperature: float, top_p: float, rng: Any) -> int:
    """Greedy (argmax) without a temperature; else temperature, then top-p, then a draw."""
    if temperature <= 0:
        return int(np.argmax(logits))
    scaled = logits.astype(np.float64) / temperature
    probs = np.exp(scaled - scaled.max())
    probs /= probs.sum()
    if top_p < 1.0:
        order = np.argsort(-probs)
        keep = np.cumsum(probs[order]) - probs[order] < top_p  # the smallest set reaching top_p
        mask = np.zeros_like(probs, dtype=bool)
        mask[order[keep]] = True
        probs = np.where(mask, probs, 0.0)
        probs /= probs.sum()
    return int(rng.choice(len(probs), p=probs))
