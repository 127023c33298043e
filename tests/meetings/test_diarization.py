"""Diarization and voice matching on short meetings spoken by espeak-ng voices (no database)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.ai import SlotConfig
from assistant.ai.audio import SAMPLE_RATE, load_audio
from meetings.diarization import _viterbi, diarize, enroll_voice, is_call
from tests.eval_data import EVAL

SPEAKER = SlotConfig("speaker")
VOICES = {  # espeak-ng voice, pitch, speed: three clearly different people
    "Ada Byrne": ("en-us+m7", 40, 165),
    "Bea Moss": ("en-gb-scotland+f3", 70, 160),
    "Cy Quinn": ("en-029+m2", 30, 150),
}
LINES = [
    ("Ada Byrne", "Good morning everyone, let us look at the release plan for this week."),
    ("Bea Moss", "The test servers are ready and the new build passed every check last night."),
    ("Cy Quinn", "I still need two more days to finish the billing changes for the customers."),
    ("Ada Byrne", "Then we move the release to Thursday and tell the support team today."),
    ("Bea Moss", "Fine with me, I will write the announcement for the customers this afternoon."),
    ("Cy Quinn", "Thanks, that gives me enough time to test the invoices properly."),
]
SAMPLE = (
    "Hello, this is my voice for the team assistant. I join the weekly meetings and I work on "
    "projects."
)

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def speak(folder: Path, name: str, text: str) -> np.ndarray:
    """One line in one person's voice, 16 kHz float32."""
    voice, pitch, speed = VOICES[name]
    path = folder / f"{abs(hash((name, text)))}.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    wav = load_audio(path)  # espeak-ng writes 22.05 kHz: decoded and resampled to 16 kHz
    keep = np.flatnonzero(np.abs(wav) > 0.01)
    return wav[keep[0] : keep[-1] + 1]  # the words' times below start and end on the voice


def timed_words(text: str, start: float, end: float, who: str) -> list[dict]:
    """Words spread over [start, end] by length, each marked with who says it (for checking)."""
    tokens = text.split()
    weights = np.array([len(t) + 1 for t in tokens], dtype=float)
    edges = start + (end - start) * np.concatenate([[0], np.cumsum(weights)]) / weights.sum()
    return [
        {"start": float(a), "end": float(b), "word": " " + t, "probability": 0.9, "who": who}
        for t, a, b in zip(tokens, edges[:-1], edges[1:], strict=True)
    ]


def meeting(folder: Path, lines: list[tuple[str, str]], pause: float = 0.6):
    """The lines one after another: audio, and one transcript segment per line."""
    pieces, segments, t = [], [], 0.0
    for name, text in lines:
        clip = speak(folder, name, text)
        end = t + len(clip) / SAMPLE_RATE
        segments.append(
            {"start": t, "end": end, "text": " " + text, "words": timed_words(text, t, end, name)}
        )
        pieces += [clip, np.zeros(int(pause * SAMPLE_RATE), np.float32)]
        t = end + pause
    return np.concatenate(pieces), segments


def word_accuracy(result: dict, name_of=lambda label: label) -> float:
    """Share of words whose turn's speaker is the person who said them."""
    pairs = [
        (w["who"], name_of(turn["speaker"])) for turn in result["segments"] for w in turn["words"]
    ]
    return sum(a == b for a, b in pairs) / len(pairs)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voices")


@pytest.fixture(scope="module")
def three(folder: Path):
    return meeting(folder, LINES)


@pytest.fixture(scope="module")
def voices(folder: Path) -> dict[str, np.ndarray]:
    return {name: enroll_voice(speak(folder, name, SAMPLE), config=SPEAKER) for name in VOICES}


def test_enrolled_members_are_named_word_by_word(three, voices) -> None:
    wav, segments = three
    result = diarize(wav, segments, config=SPEAKER, voices=voices)
    assert word_accuracy(result) >= 0.95
    assert [s["label"] for s in result["speakers"]] == ["Ada Byrne", "Bea Moss", "Cy Quinn"]
    assert all(s["member"] == s["label"] and s["similarity"] >= 0.75 for s in result["speakers"])
    assert set(result["centroids"]) == set(VOICES)
    assert all(len(c) == 256 for c in result["centroids"].values())


def test_nearest_mode_names_everyone_when_all_are_enrolled(three, voices) -> None:
    wav, segments = three
    result = diarize(wav, segments, config=SPEAKER, voices=voices, mode="nearest")
    assert word_accuracy(result) >= 0.95


def test_a_speaker_who_is_not_enrolled_gets_a_number(three, voices) -> None:
    wav, segments = three
    known = {k: v for k, v in voices.items() if k != "Bea Moss"}
    result = diarize(wav, segments, config=SPEAKER, voices=known)
    assert [s["label"] for s in result["speakers"]] == ["Ada Byrne", "Speaker 1", "Cy Quinn"]
    assert result["speakers"][1]["member"] is None
    assert word_accuracy(result, lambda s: "Bea Moss" if s == "Speaker 1" else s) >= 0.95


def test_without_voices_speakers_are_numbered_by_first_appearance(three) -> None:
    wav, segments = three
    result = diarize(wav, segments, config=SPEAKER)
    numbered = {"Speaker 1": "Ada Byrne", "Speaker 2": "Bea Moss", "Speaker 3": "Cy Quinn"}
    assert [s["label"] for s in result["speakers"]] == list(numbered)
    assert word_accuracy(result, numbered.get) >= 0.95
    total = sum(s["seconds"] for s in result["speakers"])
    assert total == pytest.approx(sum(s["end"] - s["start"] for s in segments), abs=0.1)


def test_a_given_number_of_speakers_is_kept(three) -> None:
    wav, segments = three
    result = diarize(wav, segments, config=SPEAKER, num_speakers=2)  # three people talk
    assert [s["label"] for s in result["speakers"]] == ["Speaker 1", "Speaker 2"]


def test_a_segment_holding_two_speakers_is_split_into_turns(folder: Path, voices) -> None:
    first = "We should ship the new dashboard on Monday morning after the review."
    second = "Agreed, and I will prepare the release notes for the whole company."
    a, b = speak(folder, "Ada Byrne", first), speak(folder, "Bea Moss", second)
    wav = np.concatenate([a, np.zeros(1600, np.float32), b])  # 0.1 s: no pause to cut on
    mid = len(a) / SAMPLE_RATE
    words = timed_words(first, 0.0, mid, "Ada Byrne")
    words += timed_words(second, mid + 0.1, len(wav) / SAMPLE_RATE, "Bea Moss")
    segment = {
        "start": 0.0,
        "end": len(wav) / SAMPLE_RATE,
        "text": f" {first} {second}",
        "words": words,
    }
    result = diarize(wav, [segment], config=SPEAKER, voices=voices)
    assert [t["speaker"] for t in result["segments"]] == ["Ada Byrne", "Bea Moss"]
    assert result["segments"][0]["text"].endswith("review.")
    assert result["segments"][1]["text"].startswith("Agreed")
    assert result["segments"][1]["start"] == pytest.approx(mid, abs=0.7)


def test_a_call_with_one_voice_per_channel_is_split_by_channel(folder: Path) -> None:
    lines = [LINES[0], LINES[2], LINES[3], LINES[5]]  # Ada on the left, Cy on the right
    wav, segments = meeting(folder, lines)
    stereo = np.zeros((2, len(wav)), np.float32)
    for seg in segments:
        side = 0 if seg["words"][0]["who"] == "Ada Byrne" else 1
        a, b = int(seg["start"] * SAMPLE_RATE), int(seg["end"] * SAMPLE_RATE)
        stereo[side, a:b] = wav[a:b]
        stereo[1 - side, a:b] = 0.01 * wav[a:b]  # a little crosstalk
    result = diarize(stereo, segments, config=SPEAKER)
    assert [s["label"] for s in result["speakers"]] == ["Speaker 1", "Speaker 2"]
    assert word_accuracy(result, {"Speaker 1": "Ada Byrne", "Speaker 2": "Cy Quinn"}.get) == 1.0


def test_a_room_recorded_in_stereo_is_not_taken_for_a_call(three) -> None:
    wav, segments = three
    near, far = wav.copy(), 0.5 * np.roll(wav, 40)  # each voice reaches both mics, 6 dB apart
    for seg in segments[1::2]:  # every other speaker sits nearer the right mic
        a, b = int(seg["start"] * SAMPLE_RATE), int(seg["end"] * SAMPLE_RATE)
        near[a:b], far[a:b] = far[a:b].copy(), near[a:b].copy()
    assert not is_call(np.stack([near, far]))
    assert not is_call(np.stack([wav, wav]))


def test_a_real_stereo_call_gives_each_channel_its_speaker() -> None:
    path = EVAL / "real" / "stereo_diarization.wav"
    if not path.exists():
        pytest.skip("../shared/eval is not here")
    import soundfile

    stereo = np.ascontiguousarray(soundfile.read(path, dtype="float32")[0].T)
    # Only the left voice speaks after 2.6 s; both speak before: words from each channel.
    segments = [
        {"start": 0.2, "end": 2.4, "text": " The horizon seems extremely distant.", "channel": 1},
        {"start": 2.6, "end": 4.8, "text": " who had vanished behind the curtain", "channel": 0},
    ]
    result = diarize(stereo, segments, config=SPEAKER)
    assert len({t["speaker"] for t in result["segments"]}) == 2


def test_enrollment_ignores_silence_and_refuses_a_sample_without_speech(folder: Path) -> None:
    clip = speak(folder, "Bea Moss", SAMPLE)
    silence = np.zeros(2 * SAMPLE_RATE, np.float32)
    plain = enroll_voice(clip, config=SPEAKER)
    padded = enroll_voice(np.concatenate([silence, clip, silence, silence]), config=SPEAKER)
    assert plain.shape == (256,)
    assert float(plain @ padded) > 0.98
    with pytest.raises(ValueError, match="less than one second of speech"):
        enroll_voice(silence, config=SPEAKER)


def test_a_one_word_flip_is_smoothed_but_a_flip_after_a_pause_is_kept() -> None:
    votes = np.log(np.array([[1, 0.05]] * 3 + [[0.05, 1]] + [[1, 0.05]] * 3))
    no_pause = np.full(6, 2.0)
    assert list(_viterbi(votes, no_pause)) == [0] * 7
    pause = np.array([2.0, 2.0, 0.5, 0.5, 2.0, 2.0])
    assert list(_viterbi(votes, pause)) == [0, 0, 0, 1, 0, 0, 0]


def test_windows_embedded_ahead_give_the_same_speakers(three, voices, monkeypatch) -> None:
    """The pipeline embeds each transcribed piece's voice windows while the next is
    transcribed: the speakers come out as when everything is embedded at the end."""
    import meetings.diarization as diarization
    from meetings.diarization import Ahead

    wav, segments = three
    monkeypatch.setattr(diarization, "GAIN_SECONDS", 6.0)  # the level from the first lines
    ahead = Ahead(wav, config=SPEAKER)
    pieces = [(0, 2, segments[1]["end"] + 0.3), (2, 4, segments[3]["end"] + 0.3),
              (4, 6, len(wav) / SAMPLE_RATE)]
    for _, upto, until in pieces[:2]:  # as transcribe_recording reports its pieces
        ahead.transcribed(segments[:upto], until=until)
    for future in ahead._futures:
        future.result()
    early = dict(ahead.embedded)  # before the last piece is transcribed
    assert early and ahead.gain is not None
    assert max(end for _, end in early) < segments[3]["end"] + 0.3
    ahead.transcribed(segments, until=pieces[2][2])
    together = diarize(wav, segments, config=SPEAKER, voices=voices)
    piecewise = diarize(wav, segments, config=SPEAKER, voices=voices, ahead=ahead)
    assert [s["speaker"] for s in piecewise["segments"]] == [
        s["speaker"] for s in together["segments"]]
    assert word_accuracy(piecewise) == 1.0
    # Embedded from the piece's audio alone, they are what the whole recording gives.
    from assistant.ai import embed_speakers

    keys = sorted(early)
    whole = embed_speakers(SPEAKER, wav * ahead.gain, keys)
    assert np.allclose(np.stack([early[k] for k in keys]), whole, atol=1e-4)
    # Windows embedded early were used as they were, not embedded again.
    assert all(np.array_equal(ahead.embedded[k], v) for k, v in early.items())
    assert len(early) < len(ahead.embedded)
