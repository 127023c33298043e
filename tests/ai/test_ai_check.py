"""check_slot: a tiny real inference per slot, and its one-line report."""

import pytest

from assistant.ai import SlotConfig, check_slot, format_check_line

# MarianTokenizer recommends sacremoses (punctuation normalisation); the tiny test model
# does not need it.
pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")


@pytest.mark.parametrize("kind", ["speech_en", "speech_multi", "text", "embeddings", "speaker"])
def test_every_embedded_slot_passes_its_check(kind: str, espeak: None) -> None:
    result = check_slot(SlotConfig(kind))
    assert result.ok, result.error
    assert result.error is None and result.source == "embedded"
    assert result.size_bytes > 10_000_000 and result.load_seconds > 0
    line = format_check_line(result)
    assert line.startswith(kind) and " MB" in line and "load" in line and result.result in line
    if kind.startswith("speech"):
        assert "7/7 words" in result.result
    if kind == "embeddings":
        assert "dim 384" in result.result
    if kind == "speaker":
        assert "dim 256" in result.result


def test_custom_slots_are_checked_the_same_way(
    tiny_marian: SlotConfig, tiny_bert: SlotConfig
) -> None:
    for config in (tiny_marian, tiny_bert):
        result = check_slot(config)
        assert result.ok, result.error
        assert result.source == "path" and result.path == config.path
    assert format_check_line(check_slot(tiny_marian)).startswith("translation de-en")


def test_a_broken_slot_fails_its_check_with_the_reason(tmp_path) -> None:
    result = check_slot(SlotConfig("speech_en", "path", str(tmp_path)))
    assert not result.ok and f"{tmp_path} has no model.bin" in (result.error or "")
    assert "FAILED" in format_check_line(result)


def test_without_espeak_the_checks_fall_back_to_tones(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.ai import check

    monkeypatch.setattr(check, "speak", lambda *args, **kwargs: None)
    speech = check_slot(SlotConfig("speech_en"))
    assert speech.ok and "espeak-ng is not installed" in speech.result
    speaker = check_slot(SlotConfig("speaker"))
    assert speaker.ok and "dim 256" in speaker.result
