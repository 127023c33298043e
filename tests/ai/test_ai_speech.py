"""Speech to text: the embedded Whisper models and a tiny CTranslate2 Whisper built here."""

import threading

import numpy as np

from assistant.ai import SlotConfig, Transcription, transcribe
from assistant.ai.audio import SAMPLE_RATE, speak
from assistant.ai.registry import cached


def _words(text: str) -> set[str]:
    return {w.strip(".,!?").lower() for w in text.split()}


def test_embedded_english_model_transcribes_with_word_times(clip: np.ndarray) -> None:
    progress: list[float] = []
    result = transcribe(
        SlotConfig("speech_en"), clip, hotwords="budget", on_progress=progress.append
    )
    assert {"budget", "meeting", "starts", "tomorrow", "morning"} <= _words(result.text)
    assert result.language == "en"
    assert abs(result.duration - len(clip) / SAMPLE_RATE) < 0.01
    words = [w for s in result.segments for w in s.words]
    assert len(words) >= 8
    starts = [w.start for w in words]
    assert starts == sorted(starts) and starts[0] >= 0 and words[-1].end <= result.duration + 0.1
    assert all(0 <= w.probability <= 1 for w in words)
    assert progress and progress[-1] == 1.0 and progress == sorted(progress)


def test_a_path_and_an_array_give_the_same_text(clip: np.ndarray, tmp_path) -> None:
    import soundfile

    path = tmp_path / "clip.wav"
    soundfile.write(path, clip, SAMPLE_RATE, subtype="FLOAT")  # lossless
    # temperature 0 only: faster-whisper's fallback to sampling would make runs differ.
    config = SlotConfig("speech_en", params={"temperature": 0.0})
    from_path = transcribe(config, path, word_timestamps=False, vad=False)
    assert from_path.text == transcribe(config, clip, word_timestamps=False, vad=False).text
    assert all(s.words == [] for s in from_path.segments)


def test_embedded_multilingual_model_detects_spanish(espeak: None) -> None:
    spanish = speak("Buenos días a todos, la reunión empieza a las nueve de la mañana.", "es")
    result = transcribe(SlotConfig("speech_multi"), spanish)
    assert result.language == "es" and result.language_probability > 0.5
    assert {"reunión", "mañana"} & _words(result.text)


def test_custom_ctranslate2_folder_loads_through_the_same_loader(
    tiny_whisper: SlotConfig, clip: np.ndarray
) -> None:
    result = transcribe(tiny_whisper, clip, language="en")
    assert isinstance(result, Transcription)
    assert result.language == "en"
    assert abs(result.duration - len(clip) / SAMPLE_RATE) < 0.01
    loaded = cached(tiny_whisper)
    assert loaded is not None and str(loaded.path) == tiny_whisper.path
    assert loaded.size_bytes > 0


def test_batched_pipeline_from_params(clip: np.ndarray) -> None:
    config = SlotConfig("speech_en", params={"batch_size": 4})
    long = np.concatenate([clip, np.zeros(SAMPLE_RATE, np.float32), clip])
    result = transcribe(config, long)
    assert result.text.lower().count("meeting") == 2
    meetings = [w.start for s in result.segments for w in s.words if "meeting" in w.word.lower()]
    # Timestamps are in the original timeline, after VAD cut the silence out.
    assert meetings[0] < len(clip) / SAMPLE_RATE + 0.5 < meetings[1]


def test_a_short_clip_is_encoded_once_to_detect_its_language_and_transcribe_it(
    espeak: None, monkeypatch
) -> None:
    from assistant.ai.speech import _Speech, load

    config = SlotConfig("speech_multi", params={"beam_size": 1, "temperature": 0.0})
    speech = load(config).model
    windows: list[int] = []
    encode = _Speech._encode
    caller = threading.current_thread()

    def counted(self, window):  # type: ignore[no-untyped-def]
        # This model's passes from this thread only: a model another test left busy
        # (a live room's thread, say) must not count.
        if self is speech and threading.current_thread() is caller:
            windows.append(1)
        return encode(self, window)

    monkeypatch.setattr(_Speech, "_encode", counted)
    german = speak("Guten Morgen, die Besprechung beginnt morgen um neun Uhr.", "de")
    result = transcribe(config, german, vad=False, word_timestamps=False)
    # faster-whisper alone encodes the window twice (detection, then transcription).
    assert windows == [1] and speech.encoded is None
    own, _, _ = speech.model.detect_language(german)
    assert result.language == own == "de" and 0.3 < result.language_probability <= 1
    assert {"morgen", "besprechung"} & _words(result.text)
    # A given language, or a clip longer than one window, takes faster-whisper's own path.
    windows.clear()
    transcribe(config, german, language="de", vad=False, word_timestamps=False)
    assert windows == [1]
