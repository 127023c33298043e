"""Recomputing suggestions: load the team's catalog and members' needs, rank, explain, store."""

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.utils import timezone

from assistant.models import Membership, Team, User

from . import embedding, ranking
from .bulk import rows_insert
from .models import Goal, Resource, Skill, SkillLevel, Suggestion
from .reasons import SkillNeed, because
from .signals import MemberSignals, signals_refresh

TOP = 10
CONTEXT_NAMED_FROM = 0.35  # the cosine from which "it is close to …" names a member's text
NEVER_RANKED = [Suggestion.Status.DISMISSED, Suggestion.Status.DONE, Suggestion.Status.SAVED,
                Suggestion.Status.ASSIGNED]
SEEN = [Suggestion.Status.DONE, Suggestion.Status.ASSIGNED]


def catalog_load(*, team: Team, skills: list[Skill]) -> ranking.Catalog:
    """The team's resources as arrays: ids, cached vectors, levels and skill links."""
    rows = list(Resource.objects.filter(team=team).order_by("pk")
                .values_list("pk", "level", "embedding"))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    vectors = np.zeros((len(rows), embedding.DIM), dtype=np.float32)
    for i, (_, _, blob) in enumerate(rows):
        if blob:
            vectors[i] = np.frombuffer(blob, dtype=np.float32)
    position = {pk: i for i, pk in enumerate(ids.tolist())}
    column = {s.pk: j for j, s in enumerate(skills)}
    tagged = np.zeros((len(rows), len(skills)), dtype=bool)
    through = Resource.skills.through.objects.filter(resource__team=team)
    for resource_id, skill_id in through.values_list("resource_id", "skill_id"):
        tagged[position[resource_id], column[skill_id]] = True
    links, inferred = ranking.catalog_links(tagged, vectors, embedding.matrix(skills))
    levels = np.array([r[1] for r in rows], dtype=np.float32)
    return ranking.Catalog(ids, vectors, levels, links, inferred)


def needs_load(*, team: Team, members: list[User], skills: list[Skill],
               signals: dict[int, MemberSignals]) -> dict[int, list[SkillNeed]]:
    """Each member's need for each skill (in the order of `skills`)."""
    levels = {(member_id, skill_id): (own, manager) for member_id, skill_id, own, manager
              in SkillLevel.objects.filter(team=team, member__in=members).values_list(
                  "member_id", "skill_id", "self_level", "manager_level")}
    goals = {(g.member_id, g.skill_id): g.target_level
             for g in Goal.objects.filter(team=team, member__in=members)}
    out = {}
    for member in members:
        by_skill = defaultdict(list)
        for signal in signals[member.pk].signals if member.pk in signals else []:
            by_skill[signal.skill_id].append(signal)
        needs = []
        for skill in skills:
            own, manager = levels.get((member.pk, skill.pk), (None, None))
            level = manager if manager is not None else own
            rated_by = "" if level is None else ("manager" if manager is not None else "self")
            goal = goals.get((member.pk, skill.pk))
            needs.append(SkillNeed(level, rated_by, goal or skill.expected_level,
                                   goal is not None, by_skill[skill.pk]))
        out[member.pk] = needs
    return out


def _context(found: MemberSignals | None) -> np.ndarray:
    if found is None or found.vectors is None or not len(found.vectors):
        return np.zeros(embedding.DIM, dtype=np.float32)
    mean = found.vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else mean


def members_load(*, team: Team, members: list[User], catalog: ranking.Catalog,
                 needs: dict[int, list[SkillNeed]],
                 signals: dict[int, MemberSignals]) -> ranking.Members:
    position = {pk: i for i, pk in enumerate(catalog.ids.tolist())}
    statuses = defaultdict(list)
    for member_id, resource_id, status in Suggestion.objects.filter(
            team=team, member__in=members, status__in=NEVER_RANKED).values_list(
            "member_id", "resource_id", "status"):
        statuses[member_id].append((position[resource_id], status))
    return ranking.Members(
        need=np.array([[n.need for n in needs[m.pk]] for m in members], dtype=np.float32),
        levels=np.array([[n.level or 0 for n in needs[m.pk]] for m in members],
                        dtype=np.float32),
        context=np.stack([_context(signals.get(m.pk)) for m in members]),
        excluded=[np.array([i for i, _ in statuses[m.pk]], dtype=np.int64) for m in members],
        seen=[np.array([i for i, s in statuses[m.pk] if s in SEEN], dtype=np.int64)
              for m in members])


def _nearest_text(found: MemberSignals | None, vector: np.ndarray) -> str | None:
    if found is None or found.vectors is None or not len(found.vectors) or not vector.any():
        return None
    sims = found.vectors @ vector
    best = int(sims.argmax())
    return found.texts[best] if sims[best] >= CONTEXT_NAMED_FROM else None


def suggestions_recompute(*, team: Team, members: list[User] | None = None,
                          progress: Callable[[float, str], None] | None = None,
                          top: int = TOP) -> dict:
    """Embed what changed, refresh signals, rank and store each member's suggestions."""
    report = progress or (lambda percent, stage: None)
    if members is None:
        members = [m.user for m in Membership.objects.filter(team=team).select_related("user")]
    report(5, "Reading the catalog")
    embedded = embedding.team_embed(team=team)
    skills = list(Skill.objects.filter(team=team).order_by("pk"))
    report(30, "Reading each member's work")
    signals = signals_refresh(team=team, members=members)
    report(70, "Ranking")
    catalog = catalog_load(team=team, skills=skills)
    needs = needs_load(team=team, members=members, skills=skills, signals=signals)
    ranked = ranking.rank(catalog, members_load(team=team, members=members, catalog=catalog,
                                                needs=needs, signals=signals), top=top)
    rows = []
    now = timezone.now()
    for member, best in zip(members, ranked, strict=True):
        for rank, r in enumerate(best, start=1):
            skill, need = skills[r.skill], needs[member.pk][r.skill]
            text = because(skill_name=skill.name, need=need,
                           resource_level=int(catalog.levels[r.index]), level_fit=r.level_fit,
                           inferred=bool(catalog.inferred[r.index, r.skill]),
                           context_text=_nearest_text(signals.get(member.pk),
                                                      catalog.vectors[r.index]))
            rows.append({
                "team": team.pk, "member": member.pk, "resource": int(catalog.ids[r.index]),
                "skill": skill.pk, "status": Suggestion.Status.SUGGESTED,
                "score": round(r.score, 4), "rank": rank, "because": text, "computed_at": now,
                "updated_at": now, "dismiss_reason": "",
                "parts": {"gap": round(r.gap, 3), "relevance": round(r.relevance, 3),
                          "level_fit": round(r.level_fit, 3), "novelty": round(r.novelty, 3)}})
    with transaction.atomic():
        Suggestion.objects.filter(team=team, member__in=members,
                                  status=Suggestion.Status.SUGGESTED).delete()
        rows_insert(Suggestion, rows)
    report(100, "Done")
    return {"members": len(members), "suggestions": len(rows), "embedded": embedded}
