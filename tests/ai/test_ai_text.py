"""Text generation: the embedded GGUF model, a tiny Llama folder, streaming and stops."""

import threading
import time

from assistant.ai import SlotConfig, generate, generate_text
from assistant.ai.registry import cached
from assistant.ai.text import THREAD_NAME

TEXT = SlotConfig("text")
HELLO = [{"role": "user", "content": "Say hello."}]


def _generation_alive() -> bool:
    return any(t.name == THREAD_NAME and t.is_alive() for t in threading.enumerate())


def test_embedded_gguf_model_chats_greedily() -> None:
    reply = generate_text(TEXT, HELLO, max_new_tokens=12)
    assert reply.strip() and any(c.isalpha() for c in reply)
    assert generate_text(TEXT, HELLO, max_new_tokens=12) == reply  # greedy by default
    loaded = cached(TEXT)
    assert loaded is not None and loaded.path.suffix == ".gguf"


def test_first_piece_arrives_while_generation_is_still_running() -> None:
    pieces, alive_at_first = [], None
    story = [{"role": "user", "content": "Write a short story about a robot who paints."}]
    for piece in generate(TEXT, story, max_new_tokens=40):
        if not pieces:
            alive_at_first = _generation_alive()
        pieces.append(piece)
    assert alive_at_first is True
    assert len(pieces) > 3
    time.sleep(0.05)
    assert not _generation_alive()


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
    start, pieces = time.perf_counter(), []
    for piece in generate(
        TEXT,
        "Write a long essay about the history of Europe.",
        max_new_tokens=400,
        stop_event=stop_event,
    ):
        pieces.append(piece)
        stop_event.set()
    assert len(pieces) <= 2
    assert time.perf_counter() - start < 10  # 400 tokens would take about 20 s
    assert not _generation_alive()


def test_dropping_the_iterator_stops_the_thread() -> None:
    stream = generate(TEXT, "Count from one to one hundred.", max_new_tokens=400)
    next(stream)
    stream.close()
    assert not _generation_alive()


def test_custom_folder_loads_through_the_same_loader(tiny_llama: SlotConfig) -> None:
    reply = generate_text(
        tiny_llama, [{"role": "user", "content": "the meeting"}], max_new_tokens=6
    )
    assert len(reply.split()) == 6
    loaded = cached(tiny_llama)
    assert loaded is not None and str(loaded.path) == tiny_llama.path


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
