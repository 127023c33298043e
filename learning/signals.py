"""Signals: what a member's work says about their skills, linked to skills by meaning.

To-do outcomes, the topics of meetings they take part in, shared manager feedback and their
goals are embedded (all-MiniLM-L6-v2) and compared with the skills' descriptions; a text
counts for the skill it is closest to when the similarity reaches LINK_THRESHOLD.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assistant.models import Team, User
from meetings.models import ActionItem, Meeting, Speaker, Todo, TodoEvent

from . import embedding
from .bulk import rows_insert
from .models import LEVELS, Goal, Signal, Skill, Suggestion

LINK_THRESHOLD = 0.3
LOOKBACK = timedelta(days=180)
# What one signal adds to a skill's need (negative: evidence the member has the skill).
WEIGHTS = {
    Signal.Kind.TODO_OVERDUE: 0.15,
    Signal.Kind.TODO_BLOCKED: 0.2,
    Signal.Kind.TODO_DONE: -0.05,
    Signal.Kind.MEETING_TOPIC: 0.1,
    Signal.Kind.FEEDBACK: 0.2,
    Signal.Kind.GOAL: 0.1,
    Signal.Kind.LEARNED: -0.1,
}


@dataclass
class Evidence:
    """A text from a member's work, before it is linked to a skill."""

    kind: str
    text: str
    skill: Skill | None = None  # already known (goals, finished learning)


@dataclass
class MemberSignals:
    member: User
    signals: list[Signal] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # what their context vector is made of
    vectors: np.ndarray | None = None


def _todo_evidence(team: Team, members: list[User], since) -> dict[int, list[Evidence]]:
    todos = list(Todo.objects.filter(team=team, assignee__in=members, created_at__gte=since,
                                     learning__isnull=True)
                 .values_list("pk", "assignee_id", "title", "status", "due"))
    history = defaultdict(list)  # to-do → [(status, at)] in order
    events = TodoEvent.objects.filter(todo__team=team, todo__assignee__in=members,
                                      todo__created_at__gte=since)
    for todo_id, status, at in events.order_by("at").values_list("todo_id", "status", "at"):
        history[todo_id].append((status, at))
    today = timezone.localdate()
    out = defaultdict(list)
    for pk, assignee_id, title, status, due in todos:
        events = history[pk]
        done_at = next((at for s, at in reversed(events) if s == Todo.Status.DONE), None)
        late = due and (done_at.date() > due if status == Todo.Status.DONE and done_at
                        else due < today)
        found = out[assignee_id]
        if status == Todo.Status.BLOCKED or any(s == Todo.Status.BLOCKED for s, _ in events):
            found.append(Evidence(Signal.Kind.TODO_BLOCKED, title))
        if late:
            found.append(Evidence(Signal.Kind.TODO_OVERDUE, title))
        elif status == Todo.Status.DONE:
            found.append(Evidence(Signal.Kind.TODO_DONE, title))
    return out


def _meeting_evidence(team: Team, members: list[User], since) -> dict[int, list[Evidence]]:
    """The titles and decisions of meetings a member spoke in or got an action item from."""
    took_part = defaultdict(set)
    recent = {"meeting__team": team, "meeting__held_on__gte": since.date()}
    for member_id, meeting_id in Speaker.objects.filter(member__in=members, **recent).values_list(
            "member_id", "meeting_id"):
        took_part[member_id].add(meeting_id)
    for member_id, meeting_id in ActionItem.objects.filter(owner__in=members, **recent
                                                           ).values_list("owner_id", "meeting_id"):
        took_part[member_id].add(meeting_id)
    ids = set().union(*took_part.values()) if took_part else set()
    texts = {}
    for meeting in Meeting.objects.filter(pk__in=ids).prefetch_related("decisions"):
        texts[meeting.pk] = [meeting.title] + [d.text[:300]
                                               for d in list(meeting.decisions.all())[:5]]
    out = defaultdict(list)
    for member_id, meetings in took_part.items():
        recent_first = sorted(meetings, reverse=True)[:20]
        out[member_id] = [Evidence(Signal.Kind.MEETING_TOPIC, text)
                          for pk in recent_first for text in texts.get(pk, [])]
    return out


def _feedback_evidence(team: Team, members: list[User], since) -> dict[int, list[Evidence]]:
    """Sentences of the feedback a manager shared with the member (never an unshared draft)."""
    from reports.models import Draft

    drafts = Draft.objects.filter(team=team, member__in=members, kind=Draft.Kind.FEEDBACK,
                                  status=Draft.Status.READY, shared_at__gte=since)
    out = defaultdict(list)
    for draft in drafts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", draft.body):
            if len(sentence.split()) >= 5:
                out[draft.member_id].append(Evidence(Signal.Kind.FEEDBACK,
                                                     sentence.strip()[:300]))
    return out


def _known_evidence(team: Team, members: list[User]) -> dict[int, list[Evidence]]:
    """Goals, and learning finished (marked done, or its to-do done)."""
    out = defaultdict(list)
    for goal in Goal.objects.filter(team=team, member__in=members).select_related("skill"):
        text = goal.note or f"Reach {dict(LEVELS)[goal.target_level]} in {goal.skill.name}"
        out[goal.member_id].append(Evidence(Signal.Kind.GOAL, text, goal.skill))
    finished = (Suggestion.objects.filter(team=team, member__in=members)
                .filter(Q(status=Suggestion.Status.DONE)
                        | Q(status=Suggestion.Status.ASSIGNED, todo__status=Todo.Status.DONE))
                .select_related("resource", "skill").prefetch_related("resource__skills"))
    for suggestion in finished:
        tagged = list(suggestion.resource.skills.all())
        skill = suggestion.skill or (tagged[0] if tagged else None)
        if skill is not None:
            out[suggestion.member_id].append(Evidence(Signal.Kind.LEARNED,
                                                      suggestion.resource.title, skill))
    return out


def evidence_for(*, team: Team, members: list[User]) -> dict[int, list[Evidence]]:
    """Each member's evidence, read in a few queries for the whole list of members."""
    since = timezone.now() - LOOKBACK
    parts = [_todo_evidence(team, members, since), _meeting_evidence(team, members, since),
             _feedback_evidence(team, members, since), _known_evidence(team, members)]
    return {m.pk: [e for part in parts for e in part.get(m.pk, [])] for m in members}


def link(*, evidence: list[Evidence], skills: list[Skill], sims: np.ndarray, team: Team,
         member: User, at) -> list[Signal]:
    """One Signal per piece of evidence close enough to a skill (or already tied to one)."""
    signals = []
    for i, item in enumerate(evidence):
        if item.skill is not None:
            skill, similarity = item.skill, 1.0
        elif sims.shape[1] and sims[i].max() >= LINK_THRESHOLD:
            best = int(sims[i].argmax())
            skill, similarity = skills[best], float(sims[i, best])
        else:
            continue
        signals.append(Signal(team_id=team.pk, member_id=member.pk, skill_id=skill.pk,
                              kind=item.kind,
                              text=item.text[:300], similarity=round(similarity, 3),
                              weight=WEIGHTS[item.kind], at=at))
    return signals


def signals_refresh(*, team: Team, members: list[User]) -> dict[int, MemberSignals]:
    """Recompute and store the members' signals; returns them with their context texts."""
    skills = list(Skill.objects.filter(team=team).order_by("pk"))
    skill_vectors = embedding.matrix(skills)
    evidence = evidence_for(team=team, members=members)
    texts = sorted({e.text for found in evidence.values() for e in found})
    vectors = embedding.texts_embed(team=team, texts=texts)
    row = {text: i for i, text in enumerate(texts)}
    sims_all = vectors @ skill_vectors.T if len(skills) else np.zeros((len(texts), 0))
    now = timezone.now()
    found: dict[int, MemberSignals] = {}
    for member in members:
        items = evidence[member.pk]
        rows = [row[e.text] for e in items]
        signals = link(evidence=items, skills=skills, sims=sims_all[rows], team=team,
                       member=member, at=now)
        context = [rows[i] for i, e in enumerate(items) if WEIGHTS[e.kind] > 0]
        found[member.pk] = MemberSignals(member, signals, [texts[i] for i in context],
                                         vectors[context] if context else None)
    with transaction.atomic():
        Signal.objects.filter(team=team, member__in=members).delete()
        rows_insert(Signal, [{"team": s.team_id, "member": s.member_id, "skill": s.skill_id,
                              "kind": s.kind, "text": s.text, "similarity": s.similarity,
                              "weight": s.weight, "at": s.at}
                             for m in found.values() for s in m.signals])
    return found
