"""The score, in numpy: skill gap × relevance × level fit × novelty, for many members at once.

- gap: max over skills of the member's need for the skill × how much the resource teaches it
  (1 for a tagged skill; from the meaning of its text for an untagged resource). The skill
  that gives the maximum is the one the suggestion is "about".
- relevance: 1 + half the cosine between the resource and the member's context (the texts of
  their signals that ask for learning); 1 when there is no context yet.
- level fit: a bell around one level above the member's level in that skill.
- novelty: 1 − half the resource's similarity to what the member finished or was assigned.
Resources the member finished, dismissed, saved or was assigned are never ranked.
"""

from dataclasses import dataclass

import numpy as np

from .models import MAX_LEVEL

CHUNK = 128
INFERRED_FLOOR = 0.3  # the cosine below which an untagged resource teaches nothing of a skill
INFERRED_SPAN = 0.3  # ... and above which, plus this, it counts as fully about the skill
NOVELTY_WEIGHT = 0.5
RELEVANCE_WEIGHT = 0.5  # relevance is 1..1.5: it orders resources for a need, rarely the needs
FIT_WIDTH = 1.0


@dataclass
class Catalog:
    """A team's resources, ready for scoring."""

    ids: np.ndarray  # (R,) resource primary keys
    vectors: np.ndarray  # (R, D) L2-normalised, float32
    levels: np.ndarray  # (R,) 1..4
    links: np.ndarray  # (R, S) in [0, 1]: how much each resource teaches each skill
    inferred: np.ndarray  # (R, S) bool: the link comes from meaning, not a tag


@dataclass
class Members:
    """Many members' needs, ready for scoring."""

    need: np.ndarray  # (M, S) how much each member needs each skill, ≥ 0
    levels: np.ndarray  # (M, S) current level, 0 when unknown
    context: np.ndarray  # (M, D) normalised context vector; zeros when none
    excluded: list[np.ndarray]  # per member: catalog indices never to rank
    seen: list[np.ndarray]  # per member: catalog indices they finished or were assigned


@dataclass
class Ranked:
    index: int  # into the catalog
    score: float
    gap: float
    relevance: float
    level_fit: float
    novelty: float
    skill: int  # into the skills


def catalog_links(tagged: np.ndarray, vectors: np.ndarray,
                  skill_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tagged skills count fully; an untagged resource teaches the skills it is close to."""
    links = tagged.astype(np.float32)
    inferred = np.zeros_like(tagged, dtype=bool)
    untagged = ~tagged.any(axis=1) & vectors.any(axis=1)
    if untagged.any() and skill_vectors.size:
        sims = vectors[untagged] @ skill_vectors.T
        meaning = np.clip((sims - INFERRED_FLOOR) / INFERRED_SPAN, 0.0, 1.0)
        links[untagged] = meaning
        inferred[untagged] = meaning > 0
    return links, inferred


def level_fit(resource_levels: np.ndarray, member_levels: np.ndarray) -> np.ndarray:
    """1 for a resource one level above the member, falling off a level either side."""
    ideal = np.clip(member_levels + 1, 1, MAX_LEVEL)
    return np.exp(-0.5 * ((resource_levels - ideal) / FIT_WIDTH) ** 2)


def _novelty(catalog: Catalog, seen: list[np.ndarray]) -> np.ndarray:
    out = np.ones((len(seen), len(catalog.ids)), dtype=np.float32)
    rows = [i for i, s in enumerate(seen) if len(s)]
    if not rows:
        return out
    stacked = np.concatenate([seen[i] for i in rows])
    sims = catalog.vectors[stacked] @ catalog.vectors.T  # (K, R)
    starts = np.cumsum([0] + [len(seen[i]) for i in rows[:-1]])
    nearest = np.maximum.reduceat(sims, starts, axis=0)
    out[rows] = 1.0 - NOVELTY_WEIGHT * np.clip(nearest, 0.0, 1.0)
    return out


def _gap(need: np.ndarray, links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """max over skills of need × link, and the skill that gives it, one skill at a time."""
    gap = np.zeros((need.shape[0], links.shape[0]), dtype=np.float32)
    skill = np.zeros(gap.shape, dtype=np.int64)
    for s in np.flatnonzero(links.any(axis=0)):
        candidate = np.outer(need[:, s], links[:, s])
        better = candidate > gap
        gap = np.where(better, candidate, gap)
        skill[better] = s
    return gap, skill


def _score_chunk(catalog: Catalog, members: Members, lo: int, hi: int, top: int):
    gap, skill = _gap(members.need[lo:hi], catalog.links)
    rows = np.arange(hi - lo)[:, None]
    fit = level_fit(catalog.levels[None, :], members.levels[lo:hi][rows, skill])
    relevance = 1.0 + RELEVANCE_WEIGHT * np.clip(members.context[lo:hi] @ catalog.vectors.T,
                                               0.0, 1.0)
    novelty = _novelty(catalog, members.seen[lo:hi])
    score = gap * relevance * fit * novelty
    for i, excluded in enumerate(members.excluded[lo:hi]):
        score[i, excluded] = -np.inf
    score[score <= 0] = -np.inf
    k = min(top, score.shape[1])
    best = np.argpartition(-score, k - 1, axis=1)[:, :k] if k else np.zeros((hi - lo, 0), int)
    results = []
    for i in range(hi - lo):
        order = best[i][np.argsort(-score[i, best[i]], kind="stable")]
        results.append([Ranked(int(r), float(score[i, r]), float(gap[i, r]),
                               float(relevance[i, r]), float(fit[i, r]), float(novelty[i, r]),
                               int(skill[i, r]))
                        for r in order if np.isfinite(score[i, r])])
    return results


def rank(catalog: Catalog, members: Members, *, top: int = 10) -> list[list[Ranked]]:
    """Each member's best `top` resources, best first."""
    if not len(catalog.ids):
        return [[] for _ in range(len(members.need))]
    results: list[list[Ranked]] = []
    for lo in range(0, len(members.need), CHUNK):
        results += _score_chunk(catalog, members, lo, min(lo + CHUNK, len(members.need)), top)
    return results
