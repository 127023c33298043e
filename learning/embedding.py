"""Sentence embeddings for learning, cached: on the row for skills and resources, in the cache
for to-do, topic and feedback texts. Only workers and the command line call this (a web
process may not load a model)."""

import hashlib
import json
from collections.abc import Iterable, Sequence

import numpy as np
from django.core.cache import cache

from assistant.models import Team

from .models import EmbeddedMixin, Resource, Skill

DIM = 384
CACHE_SECONDS = 60 * 60 * 24 * 60


def _config(team: Team | None):
    from assistant.slots import slot_config

    return slot_config(team=team, kind="embeddings")


def _model_key(config) -> str:
    return json.dumps([config.kind, config.source, config.path], sort_keys=True)


def text_hash(config, text: str) -> str:
    """Changes when the text or the team's embeddings model changes."""
    return hashlib.sha256(f"{_model_key(config)}\n{text}".encode()).hexdigest()


def _embed(config, texts: Sequence[str]) -> np.ndarray:
    from assistant.ai import embed_sentences

    return embed_sentences(config, list(texts)).astype(np.float32)


def stale(rows: Iterable[EmbeddedMixin], config) -> list[EmbeddedMixin]:
    return [r for r in rows if not r.embedding
            or r.embedded_hash != text_hash(config, r.embedding_text())]


def rows_embed(*, team: Team, rows: Iterable[EmbeddedMixin]) -> int:
    """Embed the rows whose text changed since their embedding; returns how many."""
    config = _config(team)
    todo = stale(rows, config)
    if not todo:
        return 0
    vectors = _embed(config, [r.embedding_text() for r in todo])
    for row, vector in zip(todo, vectors, strict=True):
        row.embedding = vector.tobytes()
        row.embedded_hash = text_hash(config, row.embedding_text())
    model = type(todo[0])
    model.objects.bulk_update(todo, ["embedding", "embedded_hash"], batch_size=500)
    return len(todo)


def team_embed(*, team: Team) -> int:
    """Bring every skill and resource of the team up to date."""
    done = rows_embed(team=team, rows=Skill.objects.filter(team=team))
    resources = Resource.objects.filter(team=team).only("title", "description", "embedding",
                                                        "embedded_hash")
    return done + rows_embed(team=team, rows=resources)


def texts_embed(*, team: Team, texts: Sequence[str]) -> np.ndarray:
    """(n, 384) embeddings of free texts, from the cache where they were seen before."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    config = _config(team)
    keys = [f"learning:emb:{text_hash(config, t)}" for t in texts]
    found = cache.get_many(keys)
    missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in found})
    if missing:
        vectors = _embed(config, missing)
        fresh = {f"learning:emb:{text_hash(config, t)}": v.tobytes()
                 for t, v in zip(missing, vectors, strict=True)}
        cache.set_many(fresh, CACHE_SECONDS)
        found.update(fresh)
    return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])


def matrix(rows: Sequence[EmbeddedMixin]) -> np.ndarray:
    """The rows' cached vectors as one (n, 384) array; a row not embedded yet is zeros."""
    out = np.zeros((len(rows), DIM), dtype=np.float32)
    for i, row in enumerate(rows):
        if row.embedding:
            out[i] = np.frombuffer(row.embedding, dtype=np.float32)
    return out
