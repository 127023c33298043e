"""Sentence embeddings and translation, embedded and custom."""

import numpy as np
import pytest

from assistant.ai import SlotConfig, embed_sentences, translate
from assistant.ai.registry import resolve_path

# MarianTokenizer recommends sacremoses (punctuation normalisation); the tiny test model
# does not need it.
pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

EMBEDDINGS = SlotConfig("embeddings")
SENTENCES = [
    "The budget meeting is on Monday.",
    "We discuss the budget on Monday.",
    "Penguins live in Antarctica.",
]


def test_embedded_minilm_is_normalised_and_meaningful() -> None:
    vectors = embed_sentences(EMBEDDINGS, SENTENCES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert embed_sentences(EMBEDDINGS, []).shape == (0, 384)


def test_embedded_minilm_matches_sentence_transformers() -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(
        str(resolve_path(EMBEDDINGS)), device="cpu", local_files_only=True
    )
    expected = reference.encode(SENTENCES, normalize_embeddings=True)
    assert np.allclose(embed_sentences(EMBEDDINGS, SENTENCES), expected, atol=1e-4)


def test_custom_bert_folder_batches_like_single_texts(tiny_bert: SlotConfig) -> None:
    texts = [f"the meeting starts at {word}" for word in ("nine", "friday", "team")] * 14
    vectors = embed_sentences(tiny_bert, texts)  # 42 texts: two batches, with padding
    assert vectors.shape == (42, 32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    alone = embed_sentences(tiny_bert, [texts[1]])[0]
    assert np.allclose(vectors[1], alone, atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1])


def test_custom_marian_folder_translates(tiny_marian: SlotConfig) -> None:
    texts = ["die sitzung beginnt um neun", "bitte schick das budget", "hallo"]
    out = translate(tiny_marian, texts)
    assert len(out) == 3 and all(isinstance(t, str) for t in out)
    assert translate(tiny_marian, texts) == out  # greedy: the same every time
    assert translate(tiny_marian, []) == []


def test_custom_m2m100_folder_uses_language_codes(tiny_m2m100: SlotConfig) -> None:
    out = translate(tiny_m2m100, ["die sitzung beginnt", "hallo"])
    assert len(out) == 2 and not any("__en__" in t for t in out)
    french = translate(tiny_m2m100, ["die sitzung beginnt"], target="fr")
    assert "__fr__" not in french[0]
    with pytest.raises(ValueError, match="has no language 'xx'"):
        translate(tiny_m2m100, ["hallo"], target="xx")
