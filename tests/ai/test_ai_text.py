"""Text generation: the embedded GGUF on llama.cpp, a tiny Llama folder on transformers,
streaming, stops, stop_event, prefix reuse, and the options meaning what transformers means."""

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from assistant.ai import ModelUnavailable, SlotConfig, generate, generate_text
from assistant.ai.registry import cached, resolve_path
from assistant.ai.text import THREAD_NAME, load
from assistant.ai.text_llama import _NgramBan, _penalise

TEXT = SlotConfig("text")
HELLO = [{"role": "user", "content": "Say hello."}]
STORY = [{"role": "user", "content": "Write a short story about a robot who paints."}]


def _engine():
    return load(TEXT).model.llama


def _generation_alive() -> bool:
    return any(t.name == THREAD_NAME and t.is_alive() for t in threading.enumerate())


def test_embedded_gguf_model_chats_greedily_on_llama_cpp() -> None:
    reply = generate_text(TEXT, HELLO, max_new_tokens=12)
    assert reply.strip() and any(c.isalpha() for c in reply)
    assert generate_text(TEXT, HELLO, max_new_tokens=12) == reply  # greedy by default
    loaded = cached(TEXT)
    assert loaded is not None and loaded.path.suffix == ".gguf"
    assert loaded.model.engine == "llama.cpp"
    assert loaded.load_seconds < 10  # no de-quantization: the file is used as it is


def test_pieces_stream_while_the_reply_is_still_being_written() -> None:
    engine, pieces, generated_at_first = _engine(), [], None
    for piece in generate(TEXT, STORY, max_new_tokens=40):
        if not pieces:
            generated_at_first = engine.last_counts[1]
        pieces.append(piece)
    assert generated_at_first is not None and generated_at_first <= 2
    assert engine.last_counts[1] > 20 and len(pieces) > 20


def test_stop_string_is_cut_and_never_emitted() -> None:
    prompt = "List three fruits, one per line."
    full = generate_text(TEXT, prompt, max_new_tokens=30)
    words = full.split()
    assert len(words) > 4, full
    stop = words[3]
    pieces = list(generate(TEXT, prompt, max_new_tokens=30, stop=[stop, "NEVER-SEEN"]))
    assert "".join(pieces) == full[: full.index(stop)]
    assert all(stop not in piece for piece in pieces)


def test_stop_event_ends_generation_early() -> None:
    stop_event = threading.Event()
    pieces = []
    for piece in generate(
        TEXT,
        "Write a long essay about the history of Europe.",
        max_new_tokens=400,
        stop_event=stop_event,
    ):
        pieces.append(piece)
        stop_event.set()
    assert len(pieces) <= 2
    assert _engine().last_counts[1] <= 2  # the engine stopped too, not only the reader


def test_dropping_the_iterator_stops_generation() -> None:
    engine = _engine()
    stream = generate(TEXT, "Count from one to one hundred.", max_new_tokens=400)
    next(stream)
    stream.close()
    written = engine.last_counts[1]
    assert written <= 2
    generate_text(TEXT, HELLO, max_new_tokens=3)  # the context serves the next call at once
    assert engine.last_counts[1] <= 3


def test_a_prompt_that_starts_like_the_last_one_reuses_its_computed_prefix() -> None:
    engine = _engine()
    generate_text(TEXT, STORY, max_new_tokens=4)
    prompt_tokens = engine.last_counts[0]
    follow_up = [
        *STORY,
        {"role": "assistant", "content": "Once"},
        {"role": "user", "content": "Go on."},
    ]
    generate_text(TEXT, follow_up, max_new_tokens=4)
    assert engine.reused >= prompt_tokens - 4  # the system prompt and the first question
    generate_text(TEXT, "Something else entirely.", max_new_tokens=4)
    assert engine.reused == 0


def test_two_streams_read_in_turn_each_get_their_own_reply() -> None:
    alone_story = generate_text(TEXT, STORY, max_new_tokens=16)
    alone_hello = generate_text(TEXT, HELLO, max_new_tokens=16)
    story, hello = (
        generate(TEXT, STORY, max_new_tokens=16),
        generate(TEXT, HELLO, max_new_tokens=16),
    )
    got = {"story": "", "hello": ""}
    for name, stream in [("story", story), ("hello", hello)] * 40:
        got[name] += next(stream, "")
    # Each stream answers its own prompt. Not byte-identical to the replies alone: a prefix
    # computed in another batch split gives slightly different logits, and greedy may turn.
    assert got["story"].split()[0] == alone_story.split()[0] != alone_hello.split()[0]
    assert got["hello"].split()[0] == alone_hello.split()[0]
    assert len(got["story"].split()) > 5 and len(got["hello"].split()) > 5


def test_options_change_the_reply_as_asked() -> None:
    prompt = "Repeat after me ten times: the budget is due on Friday."
    plain = generate_text(TEXT, prompt, max_new_tokens=40)
    controlled = generate_text(TEXT, prompt, max_new_tokens=40, no_repeat_ngram_size=3)
    assert controlled != plain
    assert generate_text(TEXT, prompt, max_new_tokens=40, repetition_penalty=1.3) != plain
    sampled = generate_text(TEXT, prompt, max_new_tokens=8, temperature=1.0)
    assert sampled.strip()


def test_penalty_and_ngram_ban_match_transformers() -> None:
    import torch
    from transformers import NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

    rng = np.random.default_rng(0)
    for _ in range(20):
        ids = rng.integers(0, 12, size=int(rng.integers(1, 30))).tolist()
        logits = rng.normal(size=16).astype(np.float32)
        ours = logits.copy()
        _penalise(ours, ids, 1.3)
        ban = _NgramBan(ids, 3)
        ban.apply(ours, ids)
        theirs = RepetitionPenaltyLogitsProcessor(1.3)(
            torch.tensor([ids]), torch.from_numpy(logits[None])
        )
        theirs = NoRepeatNGramLogitsProcessor(3)(torch.tensor([ids]), theirs)[0].numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_the_ngram_ban_grows_with_the_reply() -> None:
    ids = [1, 2, 3]
    ban = _NgramBan(ids, 2)
    ids.append(1)
    ban.add(ids)
    logits = np.zeros(5, dtype=np.float32)
    ban.apply(logits, ids)
    assert np.isneginf(logits[2]) and np.isfinite(logits[[0, 1, 3, 4]]).all()


def test_transformers_objects_stay_available_for_fine_tuning() -> None:
    loaded = load(TEXT).model
    assert loaded.tokenizer.apply_chat_template(HELLO, add_generation_prompt=True, tokenize=False)
    assert loaded.model.config.tie_word_embeddings is not None


def test_a_broken_gguf_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "cut.gguf"
    with open(resolve_path(TEXT), "rb") as whole:
        broken.write_bytes(whole.read(1 << 20))  # the header, then nothing
    with pytest.raises(ModelUnavailable, match=f"Could not load the text model from {broken}"):
        load(SlotConfig("text", "path", str(broken)))
    renamed = tmp_path / "model.bin"
    shutil.copyfile(broken, renamed)
    with pytest.raises(ModelUnavailable, match="not a .gguf file"):
        load(SlotConfig("text", "path", str(renamed)))


def test_a_prompt_longer_than_the_context_is_refused() -> None:
    with pytest.raises(ValueError, match="tokens: the text model reads at most"):
        generate_text(TEXT, "word " * 9000, max_new_tokens=4)


def test_custom_folder_loads_through_the_same_loader(tiny_llama: SlotConfig) -> None:
    reply = generate_text(
        tiny_llama, [{"role": "user", "content": "the meeting"}], max_new_tokens=6
    )
    assert len(reply.split()) == 6
    loaded = cached(tiny_llama)
    assert loaded is not None and str(loaded.path) == tiny_llama.path
    assert loaded.model.engine == "transformers"


def test_a_folder_streams_from_a_thread_that_ends_with_the_stream(tiny_llama: SlotConfig) -> None:
    stream = generate(tiny_llama, "the meeting", max_new_tokens=200)
    next(stream)
    assert _generation_alive()
    stream.close()
    assert not _generation_alive()


def test_max_tokens_and_repetition_control(tiny_llama: SlotConfig) -> None:
    short = generate_text(tiny_llama, "the meeting", max_new_tokens=5)
    long = generate_text(tiny_llama, "the meeting", max_new_tokens=20)
    assert len(short.split()) == 5 and long.startswith(short)
    words = long.split()
    pairs = list(zip(words, words[1:], strict=False))
    assert len(set(pairs)) < len(pairs)  # the random model repeats itself...
    controlled = generate_text(
        tiny_llama, "the meeting", max_new_tokens=20, no_repeat_ngram_size=2
    ).split()
    pairs = list(zip(controlled, controlled[1:], strict=False))
    assert len(set(pairs)) == len(pairs)  # ...and no_repeat_ngram_size stops it
    from_params = SlotConfig("text", "path", tiny_llama.path, {"no_repeat_ngram_size": 2})
    assert generate_text(from_params, "the meeting", max_new_tokens=20).split() == controlled


def test_a_stop_string_spanning_two_pieces(tiny_llama: SlotConfig) -> None:
    full = generate_text(tiny_llama, "the meeting", max_new_tokens=12)
    words = full.split()
    # The stop string ends one token and starts the next: it must be held back.
    stop = words[2][-2:] + " " + words[3][:2]
    cut = generate_text(tiny_llama, "the meeting", max_new_tokens=12, stop=[stop])
    assert cut == full[: full.index(stop)]


def test_sampling_with_a_temperature(tiny_llama: SlotConfig) -> None:
    reply = generate_text(tiny_llama, "the meeting", max_new_tokens=8, temperature=1.0)
    assert len(reply.split()) == 8
