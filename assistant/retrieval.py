"""Exact cosine search over a team's passages, with the matrix cached in the worker process.

Vectors are L2-normalised, so cosine similarity is one matrix-vector product. Each worker keeps
one float32 matrix per team and rebuilds it when the team's index version moved (a source was
added, replaced, re-embedded or deleted). Runs where the embeddings model runs: in workers and
management commands.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .ai import embed_sentences
from .knowledge import embedding_signature, sentences
from .models import KnowledgeChunk, KnowledgeIndexVersion, KnowledgeSource, Team
from .slots import slot_config

STOPWORDS = frozenset("""
a an and are as at be by can do does did for from has have how i if in is it its many much
my of on or our should the their there this to was we what when where which who whom why will
with you your me much long often get gets any after before about into than then them they
""".split())  # noqa: SIM905 - easier to read as text


@dataclass
class TeamIndex:
    version: int
    signature: str
    chunk_ids: np.ndarray
    matrix: np.ndarray
    # In how many passages each content word occurs: rare words weigh more in overlaps.
    document_frequency: Counter = field(default_factory=Counter)

    def idf(self, word: str) -> float:
        n = len(self.chunk_ids)
        return math.log((n + 1) / (self.document_frequency.get(word, 0) + 1)) + 1.0


@dataclass(frozen=True)
class Hit:
    chunk: KnowledgeChunk
    score: float


_indexes: dict[int, TeamIndex] = {}
_lock = threading.Lock()


def index_version(team: Team) -> int:
    row = KnowledgeIndexVersion.objects.filter(team=team).values_list("version", flat=True)
    return int(row.first() or 0)


def team_index(*, team: Team, signature: str) -> TeamIndex:
    """The team's matrix, rebuilt from the database only when its version changed."""
    version = index_version(team)
    cached = _indexes.get(team.pk)
    if cached is not None and cached.version == version and cached.signature == signature:
        return cached
    with _lock:
        rows = (KnowledgeChunk.objects
                .filter(team=team, embedding__isnull=False,
                        source__status=KnowledgeSource.Status.READY,
                        source__embedded_with=signature)
                .order_by("id").values_list("id", "embedding", "heading", "text"))
        ids, blobs, frequency = [], [], Counter()
        for pk, blob, heading, text in rows.iterator(chunk_size=2000):
            ids.append(pk)
            blobs.append(bytes(blob))
            frequency.update(content_words(f"{heading} {text}"))
        if blobs:
            matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)
        else:
            matrix = np.zeros((0, 0), dtype=np.float32)
        built = TeamIndex(version, signature, np.asarray(ids, dtype=np.int64), matrix,
                          frequency)
        _indexes[team.pk] = built
        return built


def top_k(matrix: np.ndarray, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the k highest cosine scores (best first) and their scores: exact, no ANN."""
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores = matrix @ vector.astype(np.float32)
    k = min(k, len(scores))
    rows = np.argpartition(-scores, k - 1)[:k]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return rows, scores[rows]


def knowledge_search(*, team: Team, question: str, k: int = 5) -> list[Hit]:
    """The k passages of the team closest to the question."""
    config = slot_config(team=team, kind="embeddings")
    index = team_index(team=team, signature=embedding_signature(config))
    if index.matrix.shape[0] == 0:
        return []
    vector = embed_sentences(config, [question])[0]
    rows, scores = top_k(index.matrix, vector, k)
    wanted = [int(index.chunk_ids[r]) for r in rows]
    chunks = KnowledgeChunk.objects.filter(team=team, pk__in=wanted).select_related("source")
    by_id = {c.pk: c for c in chunks}
    return [Hit(by_id[pk], float(s)) for pk, s in zip(wanted, scores, strict=True)
            if pk in by_id]


def content_words(text: str) -> set[str]:
    """Lower-case words that carry meaning, crudely singularised (for overlap tests)."""
    words = re.findall(r"[a-z0-9][a-z0-9@#.\-]*[a-z0-9]|[a-z0-9]", text.lower())
    return {_stem(w) for w in words if w not in STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Support:
    """The sentence that best answers the question, the hit it comes from, and its scores."""

    hit: Hit
    sentence: str
    similarity: float
    overlap: float
    focus: float = 0.0  # the overlap with words weighted by rarity (IDF) in the team's passages


def best_support(*, team: Team, question: str, hits: list[Hit],
                 passages: int = 3) -> Support | None:
    """Among the sentences of the top passages, the one closest to the question."""
    candidates = [(hit, sentence) for hit in hits[:passages]
                  for sentence in sentences(hit.chunk.text)]
    if not candidates:
        return None
    config = slot_config(team=team, kind="embeddings")
    vectors = embed_sentences(config, [question] + [s for _, s in candidates])
    similarity = vectors[1:] @ vectors[0]
    asked = content_words(question)
    index = _indexes.get(team.pk)
    weight = {w: index.idf(w) if index else 1.0 for w in asked}
    best, best_score = None, -1.0
    for (hit, sentence), sim in zip(candidates, similarity, strict=True):
        found = content_words(f"{hit.chunk.heading} {sentence}")
        overlap = len(asked & found) / max(1, len(asked))
        # The passage's own rank counts too: a sentence is read in its passage's context.
        score = float(sim) + 0.5 * hit.score + 0.3 * overlap
        if score > best_score:
            focus = sum(weight[w] for w in asked & found) / max(1e-9, sum(weight.values()))
            best, best_score = Support(hit, sentence, float(sim), overlap, focus), score
    return best


def clear_cache() -> None:
    """Forget every cached matrix (tests; a worker never needs it: versions invalidate)."""
    _indexes.clear()
