"""Speaker embeddings: batched windows, enrollment, Resemblyzer parity, custom weights."""

import numpy as np
import pytest

from assistant.ai import SlotConfig, embed_speakers, embed_voice
from assistant.ai.audio import SAMPLE_RATE, speak

SPEAKER = SlotConfig("speaker")


@pytest.fixture(scope="module")
def voices(espeak: None) -> dict[str, np.ndarray]:
    return {
        "a1": speak("The meeting starts at nine tomorrow morning.", "en-us+m3"),
        "a2": speak("Please send the budget to the whole team today.", "en-us+m3"),
        "b1": speak("The meeting starts at nine tomorrow morning.", "en-us+f4"),
        "b2": speak("Please send the budget to the whole team today.", "en-us+f4"),
    }


def test_same_voice_is_closer_than_another_voice(voices: dict[str, np.ndarray]) -> None:
    e = {name: embed_voice(SPEAKER, wav) for name, wav in voices.items()}
    assert e["a1"].shape == (256,) and abs(np.linalg.norm(e["a1"]) - 1) < 1e-5
    assert e["a1"] @ e["a2"] > e["a1"] @ e["b2"] + 0.1
    assert e["b1"] @ e["b2"] > e["b1"] @ e["a2"] + 0.1


def test_windows_over_a_two_speaker_recording(voices: dict[str, np.ndarray]) -> None:
    a, b = voices["a2"], voices["b2"]
    recording = np.concatenate([a, b])
    split = len(a) / SAMPLE_RATE
    starts = np.arange(0.0, len(recording) / SAMPLE_RATE - 1.2, 0.3)
    windows = [(float(s), float(s) + 1.2) for s in starts]
    embeds = embed_speakers(SPEAKER, recording, windows)
    assert embeds.shape == (len(windows), 256)
    assert np.allclose(np.linalg.norm(embeds, axis=1), 1, atol=1e-5)
    enrolled = np.stack([embed_voice(SPEAKER, voices["a1"]), embed_voice(SPEAKER, voices["b1"])])
    guess = np.argmax(embeds @ enrolled.T, axis=1)
    truth = np.array([0 if s + 1.2 <= split else 1 for s, _ in windows])
    clean = [i for i, (s, e) in enumerate(windows) if e <= split or s >= split]
    accuracy = np.mean(guess[clean] == truth[clean])
    assert accuracy >= 0.8, accuracy


def test_a_batch_equals_windows_one_at_a_time(voices: dict[str, np.ndarray]) -> None:
    wav = voices["a2"]
    windows = [(0.0, 1.2), (0.5, 1.7), (1.0, 3.5), (0.2, 0.6)]
    batch = embed_speakers(SPEAKER, wav, windows)
    single = np.concatenate([embed_speakers(SPEAKER, wav, [w]) for w in windows])
    assert np.allclose(batch, single, atol=1e-5)
    with pytest.raises(ValueError, match="holds no audio"):
        embed_speakers(SPEAKER, wav, [(50.0, 51.0)])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # resemblyzer's old scipy import
def test_matches_resemblyzer_embed_utterance_on_a_raw_window(
    voices: dict[str, np.ndarray],
) -> None:
    from resemblyzer import VoiceEncoder

    # A loud clip (above -30 dBFS) so the volume step changes nothing on either side.
    wav = voices["b2"] / np.max(np.abs(voices["b2"])) * 0.5
    start, end = 0.5, 3.0
    window = wav[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    reference = VoiceEncoder("cpu", verbose=False).embed_utterance(window)
    ours = embed_speakers(SPEAKER, wav, [(start, end)])[0]
    assert float(reference @ ours) > 0.99


def test_custom_weights_file_loads_through_the_same_loader(
    random_speaker_file: SlotConfig, voices: dict[str, np.ndarray]
) -> None:
    embeds = embed_speakers(random_speaker_file, voices["a1"], [(0.0, 1.0), (1.0, 2.5)])
    assert embeds.shape == (2, 256) and np.all(np.isfinite(embeds))
    # Different weights, different embeddings: the file was really used.
    assert not np.allclose(embeds[0], embed_speakers(SPEAKER, voices["a1"], [(0.0, 1.0)])[0])
