"""The score's parts, in numpy, on small hand-made catalogs (no model)."""

import numpy as np
import pytest

from learning import ranking


def _unit(*values):
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _catalog(levels, links, vectors=None):
    links = np.array(links, dtype=np.float32)
    vectors = np.array(vectors if vectors is not None else np.eye(len(levels), 4),
                       dtype=np.float32)
    return ranking.Catalog(np.arange(1, len(levels) + 1), vectors,
                           np.array(levels, dtype=np.float32), links,
                           np.zeros_like(links, dtype=bool))


def _members(need, levels, context=None, excluded=None, seen=None):
    n = len(need)
    return ranking.Members(np.array(need, dtype=np.float32), np.array(levels, dtype=np.float32),
                           np.array(context if context is not None else np.zeros((n, 4)),
                                    dtype=np.float32),
                           [np.array(e, dtype=np.int64) for e in (excluded or [[]] * n)],
                           [np.array(s, dtype=np.int64) for s in (seen or [[]] * n)])


def test_level_fit_peaks_one_level_above_the_member():
    fit = ranking.level_fit(np.array([1, 2, 3, 4.0]), np.array([1.0]))
    assert fit.argmax() == 1 and fit[1] == pytest.approx(1.0)
    assert fit[0] == pytest.approx(fit[2]) and fit[3] < fit[0]


def test_the_skill_with_the_larger_need_wins_and_is_named():
    catalog = _catalog([1, 1], [[1, 0], [0, 1]])
    best = ranking.rank(catalog, _members([[0.2, 0.6]], [[0, 0]]), top=2)[0]
    assert [r.index for r in best] == [1, 0]
    assert best[0].skill == 1 and best[0].gap == pytest.approx(0.6)
    assert best[0].score == pytest.approx(best[0].gap * best[0].relevance * best[0].level_fit
                                          * best[0].novelty)


def test_excluded_resources_are_never_ranked_and_zero_need_ranks_nothing():
    catalog = _catalog([1, 1, 1], [[1, 0], [1, 0], [0, 1]])
    best = ranking.rank(catalog, _members([[0.5, 0.0]], [[0, 0]], excluded=[[0]]), top=3)[0]
    assert [r.index for r in best] == [1]


def test_relevance_favours_resources_close_to_the_members_context():
    vectors = [_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)]
    catalog = _catalog([1, 1], [[1], [1]], vectors)
    members = _members([[0.5]], [[0]], context=[_unit(0, 1, 0, 0)])
    best = ranking.rank(catalog, members, top=2)[0]
    assert best[0].index == 1 and best[0].relevance == pytest.approx(1.5)
    assert best[1].relevance == pytest.approx(1.0)


def test_novelty_lowers_resources_like_one_already_finished():
    vectors = [_unit(1, 0, 0, 0), _unit(1, 0.1, 0, 0), _unit(0, 0, 1, 0)]
    catalog = _catalog([1, 1, 1], [[1], [1], [1]], vectors)
    best = ranking.rank(catalog, _members([[0.5]], [[0]], excluded=[[0]], seen=[[0]]), top=2)[0]
    assert best[0].index == 2 and best[0].novelty == pytest.approx(1.0)
    assert best[1].index == 1 and best[1].novelty < 0.55


def test_untagged_resources_link_to_skills_by_meaning_only():
    skills = np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)])
    vectors = np.stack([_unit(1, 0.2, 0, 0), _unit(0, 0, 1, 0), _unit(1, 0, 0, 0)])
    tagged = np.array([[False, False], [False, False], [False, True]])
    links, inferred = ranking.catalog_links(tagged, vectors, skills)
    assert links[0, 0] == pytest.approx(1.0) and links[0, 1] == 0 and inferred[0, 0]
    assert not links[1].any()
    assert links[2].tolist() == [0.0, 1.0] and not inferred[2].any()


def test_many_members_are_scored_in_chunks_with_the_same_result():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 4)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    catalog = _catalog(rng.integers(1, 5, 50), (rng.random((50, 3)) > 0.6), vectors)
    need = rng.random((130, 3))
    members = _members(need, rng.integers(0, 4, (130, 3)), context=np.zeros((130, 4)))
    together = ranking.rank(catalog, members, top=5)
    alone = ranking.rank(catalog, _members(need[129:], members.levels[129:]), top=5)
    assert [r.index for r in together[129]] == [r.index for r in alone[0]]
