"""A GPU machine's speech workers choose device and compute type from the environment."""

import pytest

from assistant.ai import SlotConfig, speech


@pytest.fixture
def whisper_folder(tmp_path):
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    return tmp_path


@pytest.fixture
def built(monkeypatch):
    """The arguments faster-whisper's model would be built with (no weights are loaded)."""
    import faster_whisper

    seen = {}

    class Recorder:
        def __init__(self, path, **kwargs):
            seen.update(kwargs, path=path)

    monkeypatch.setattr(faster_whisper, "WhisperModel", Recorder)
    return seen


def test_cuda_and_float16_come_from_the_environment(monkeypatch, whisper_folder, built):
    monkeypatch.setenv("SPEECH_DEVICE", "cuda")
    monkeypatch.setenv("SPEECH_COMPUTE_TYPE", "float16")
    speech._build(SlotConfig("speech_en"), whisper_folder)
    assert (built["device"], built["compute_type"]) == ("cuda", "float16")


def test_the_cpu_default_stays_int8(monkeypatch, whisper_folder, built):
    monkeypatch.delenv("SPEECH_DEVICE", raising=False)
    monkeypatch.delenv("SPEECH_COMPUTE_TYPE", raising=False)
    speech._build(SlotConfig("speech_en"), whisper_folder)
    assert (built["device"], built["compute_type"]) == ("cpu", "int8")


def test_a_teams_slot_parameters_still_win(monkeypatch, whisper_folder, built):
    monkeypatch.setenv("SPEECH_DEVICE", "cuda")
    speech._build(SlotConfig("speech_en", params={"device": "cpu", "compute_type": "int8"}),
                  whisper_folder)
    assert built["device"] == "cpu"
