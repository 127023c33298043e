"""Transcription: pieces that resume after a kill, guards against loops and dropped speech."""

import json
import shutil
import threading

import numpy as np
import pytest

from assistant.ai import Segment as WhisperSegment
from assistant.ai import SlotConfig, Transcription
from assistant.ai import Word as WhisperWord
from meetings import transcription
from meetings.audio import AudioRejected
from meetings.transcription import (
    collapse_repeats,
    find_loops,
    hotword_text,
    is_loop,
    plan_pieces,
    transcribe_recording,
    uncovered,
)

from .audio_fixtures import jfk_wav, meeting_of, needs_ffmpeg

TINY = SlotConfig("speech_en")


def _words(text: str, start: float, step: float = 0.4) -> list[dict]:
    return [
        {
            "start": round(start + i * step, 3),
            "end": round(start + i * step + 0.3, 3),
            "word": f" {w}",
            "probability": 0.9,
        }
        for i, w in enumerate(text.split())
    ]


def _segment(text: str, start: float) -> dict:
    words = _words(text, start)
    return {
        "start": start,
        "end": words[-1]["end"],
        "text": text,
        "language": "en",
        "language_probability": 1.0,
        "words": words,
    }


# Guards, on made-up segment lists


def test_a_phrase_repeated_over_and_over_is_a_loop() -> None:
    looping = "Thank you for watching. " * 6
    segments = [
        _segment("We ship on Friday.", 0.0),
        _segment(looping, 3.0),
        _segment("Alice runs the migration.", 12.0),
    ]
    assert find_loops(segments) == [1]
    assert is_loop("the the the the budget")
    assert not is_loop("We decided to postpone the mobile launch until next quarter.")


def test_the_same_sentence_three_segments_running_is_a_loop() -> None:
    segments = [
        _segment("Let's meet again next week.", 0.0),
        *[_segment("I will send the report.", 3.0 + 3 * i) for i in range(3)],
    ]
    assert find_loops(segments) == [1, 2, 3]
    assert find_loops(segments[:3]) == []


def test_repeats_collapse_to_one_phrase_and_keep_their_times() -> None:
    words = _words("we ship it we ship it we ship it we ship it on friday", 10.0)
    kept = collapse_repeats(words)
    assert "".join(w["word"] for w in kept) == " we ship it on friday"
    assert kept[0]["start"] == 10.0 and kept[-1] is words[-1]


def test_a_loop_is_decoded_again_without_context_then_cut_if_it_persists(monkeypatch) -> None:
    calls = []

    def fake_transcribe(config, audio, **kwargs):
        calls.append((config.params, len(audio) / 16000))
        word = [WhisperWord(i * 0.3, i * 0.3 + 0.2, w, 0.5) for i, w in enumerate([" no"] * 12)]
        return Transcription("en", 1.0, 4.0, [WhisperSegment(0.0, 4.0, " no" * 12, word)])

    monkeypatch.setattr(transcription, "transcribe", fake_transcribe)
    run = transcription._Run(transcription.with_defaults(TINY), "en", None)
    loop = _segment("yes " * 5 + "we agree", 2.0)
    fixed = transcription._fix_loops(np.zeros(16000 * 10, np.float32), [loop], run)
    params, seconds = calls[0]
    assert params["condition_on_previous_text"] is False and params["batch_size"] == 0
    assert seconds == pytest.approx(loop["end"] - 2.0, abs=0.01)
    # The re-decoding looped too: what is left is the phrase once, at the loop's place.
    assert [s["text"] for s in fixed] == ["no"] and fixed[0]["start"] == 2.0


def test_speech_without_words_counts_as_dropped_but_a_lone_um_does_not() -> None:
    regions = [(0.0, 5.0), (6.0, 8.0), (8.3, 12.0), (12.5, 14.5), (15.0, 15.8)]
    segments = [
        _segment("good morning everyone we have a lot today", 0.2),
        _segment("yes that works for me", 12.6),
    ]
    assert uncovered(regions, segments) == [(6.0, 12.0)]
    # Words "lasting" seconds were stretched over audio Whisper skipped: they count for nothing.
    stretched = {
        **_segment("ok", 6.0),
        "words": [{"start": 6.0, "end": 11.9, "word": " ok", "probability": 0.2}],
    }
    assert uncovered(regions, [*segments, stretched]) == [(6.0, 12.0)]


def test_dropped_speech_is_decoded_again_and_merged_in_time_order(monkeypatch) -> None:
    passes = []

    def fake_spans(wav, spans, run, on_step=None):
        passes.append(spans)
        if len(passes) == 1:  # the first pass skips the second turn, as Whisper sometimes does
            return [_segment("good morning everyone we have a lot today", 0.2)]
        return [_segment("the release moves to friday", 6.2)]

    monkeypatch.setattr(transcription, "_decode_spans", fake_spans)
    run = transcription._Run(TINY, "en", None)
    regions = [(0.0, 5.0), (6.0, 8.5)]
    segments = transcription.transcribe_piece(np.zeros(16000 * 9, np.float32), regions, run)
    assert passes[1] == [(6.0, 8.5)]
    assert [s["text"] for s in segments] == [
        "good morning everyone we have a lot today",
        "the release moves to friday",
    ]


def test_pieces_are_cut_in_the_widest_silence_near_each_target() -> None:
    speech = [(t, t + 9.0) for t in np.arange(0.0, 600.0, 10.0)]  # 1 s pauses
    speech[28] = (280.0, 286.0)  # a 4 s pause from 286 to 290, near the 300 s target
    pieces = plan_pieces(speech, 600.0, 300.0)
    assert pieces[0] == (0.0, 288.0) and pieces[-1][1] == 600.0
    assert all(a < b for a, b in pieces) and len(pieces) == 2


def test_hotwords_are_the_names_once_each() -> None:
    assert hotword_text(["Alice Moreau", "Dev Patel", "alice moreau", " ", "Kubernetes"]) == (
        "Alice Moreau, Dev Patel, Kubernetes"
    )
    assert hotword_text([]) is None and hotword_text(None) is None


# The real model (tiny.en, embedded) on short clips


@pytest.fixture(scope="module")
def three_turns() -> np.ndarray:
    """About 36 s: the JFK sentence three times, with pauses, so pieces of 12 s give three."""
    jfk = jfk_wav()
    return meeting_of(jfk, jfk * 0.8, jfk)


@needs_ffmpeg
def test_a_clip_becomes_timed_words_in_json() -> None:
    result = transcribe_recording(jfk_wav(), config=TINY, hotwords=["Americans"])
    assert json.loads(json.dumps(result)) == result
    text = " ".join(s["text"] for s in result["segments"]).lower()
    assert "ask not what your country can do for you" in text
    assert result["language"] == "en" and result["duration"] == pytest.approx(11.0, abs=0.05)
    words = [w for s in result["segments"] for w in s["words"]]
    assert all(0 <= w["start"] <= w["end"] <= 11.0 for w in words)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)


@needs_ffmpeg
@pytest.mark.parametrize(
    ("greedy_first", "unsure_below", "beams"),
    [(True, -99.0, [1]), (True, 0.0, [1, 5]), (False, -99.0, [5])],
)
def test_greedy_first_and_the_beam_only_for_unsure_clips(
    monkeypatch, greedy_first, unsure_below, beams
) -> None:
    # Every clip is decoded greedily first; only those under the threshold get the beam.
    monkeypatch.setattr(transcription, "UNSURE_LOGPROB", unsure_below)
    pipeline = transcription._pipeline_class()
    decode, used = pipeline._generate, []

    def spy(self, encoder_output, prompts, options, beam_size):  # type: ignore[no-untyped-def]
        used.append(beam_size)
        return decode(self, encoder_output, prompts, options, beam_size)

    monkeypatch.setattr(pipeline, "_generate", spy)
    config = SlotConfig("speech_en", params={"greedy_first": greedy_first})
    result = transcribe_recording(jfk_wav(), config=config)
    assert sorted(set(used)) == beams
    text = " ".join(s["text"] for s in result["segments"]).lower()
    assert "ask not what your country can do for you" in text


@needs_ffmpeg
def test_a_killed_job_resumes_after_its_last_piece_with_the_same_result(
    three_turns: np.ndarray, monkeypatch
) -> None:
    states, progress = [], []
    whole = transcribe_recording(
        three_turns,
        config=TINY,
        piece_seconds=12,
        on_piece=states.append,
        on_progress=progress.append,
    )
    assert len(states) == len(states[0]["pieces"]) == 3 and progress[-1] == 1.0
    checkpoint = json.loads(json.dumps(states[0]))  # as the job stored it before the kill

    decoded = []
    real = transcription.transcribe_piece

    def spy(wav, regions, run, on_step=None):
        decoded.append(regions)
        return real(wav, regions, run, on_step)

    monkeypatch.setattr(transcription, "transcribe_piece", spy)
    resumed = transcribe_recording(three_turns, config=TINY, checkpoint=checkpoint)
    first_piece_end = checkpoint["pieces"][0][1]
    assert len(decoded) == 2 and all(r[0] >= first_piece_end for rs in decoded for r in rs)
    assert resumed == whole
    text = " ".join(s["text"] for s in whole["segments"]).lower()
    assert text.count("ask not what your country") >= 2


@needs_ffmpeg
def test_two_decoders_give_what_one_gives_and_progress_comes_from_the_callers_thread(
    three_turns: np.ndarray, monkeypatch
) -> None:
    monkeypatch.setattr(transcription, "STREAM_CLIPS", 1)  # 36 s: two clips, two streams
    decoded_in, real = [], transcription._decode_streams

    def spy(wav, clips, streams, run, on_step):  # type: ignore[no-untyped-def]
        decoded_in.append((threading.current_thread(), len(streams)))
        return real(wav, clips, streams, run, on_step)

    monkeypatch.setattr(transcription, "_decode_streams", spy)
    results, reporters = [], set()
    for workers in (1, 2):
        decoded_in.clear()
        config = SlotConfig("speech_en", params={"workers": workers, "temperature": 0.0})
        results.append(transcribe_recording(
            three_turns, config=config,
            on_progress=lambda _: reporters.add(threading.current_thread()),
        ))
        # The first pass: two streams in one decoder, or one each in two threads.
        first = decoded_in[: 1 if workers == 1 else 2]
        assert [n for _, n in first] == ([2] if workers == 1 else [1, 1])
        assert len({thread for thread, _ in first}) == workers
    one, two = results
    assert two["segments"] == one["segments"]
    assert " ".join(s["text"] for s in two["segments"]).count("country can do for you") == 3
    assert reporters == {threading.current_thread()}


@needs_ffmpeg
def test_a_checkpoint_for_other_audio_is_ignored(three_turns: np.ndarray) -> None:
    stale = {
        "version": 1,
        "settings": {"duration": 1.0},
        "speech": [[0, 1]],
        "pieces": [[0, 1]],
        "next_piece": 1,
        "segments": [],
    }
    result = transcribe_recording(three_turns[: 16000 * 11], config=TINY, checkpoint=stale)
    assert "country" in " ".join(s["text"] for s in result["segments"]).lower()


def test_silence_is_refused_before_whisper_runs(monkeypatch) -> None:
    monkeypatch.setattr(transcription, "transcribe_piece", pytest.fail)
    with pytest.raises(AudioRejected, match="no speech"):
        transcribe_recording(np.zeros(16000 * 20, np.float32), config=TINY)


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")
def test_each_segment_carries_the_language_it_was_spoken_in() -> None:
    from assistant.ai.audio import speak

    german = speak("Guten Morgen. Wir verschieben die Veröffentlichung auf nächsten Freitag.", "de")
    english = speak("Good morning. We are moving the release to next Friday.", "en")
    result = transcribe_recording(
        meeting_of(german, english, pause=4.0), config=SlotConfig("speech_multi")
    )
    spoken = {s["language"] for s in result["segments"]}
    assert spoken == {"de", "en"}
    assert result["language"] in spoken and 0 < result["language_probability"] <= 1


@needs_ffmpeg
def test_progress_moves_inside_a_piece(three_turns: np.ndarray) -> None:
    # One checkpoint piece for the whole recording: the bar still moves batch by batch.
    seen: list[float] = []
    transcribe_recording(three_turns, config=TINY, piece_seconds=3600, on_progress=seen.append)
    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == 1.0
    assert 0 < seen[0] < 1.0
