"""Signals: what a member's work says about their skills, linked to skills by meaning.

To-do outcomes, the topics of meetings they take part in, shared manager feedback and their
goals are embedded (all-MiniLM-L6-v2) and compared with the skills' descriptions; a text
counts for the skill it is closest to when the similarity reaches LINK_THRESHOLD.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assistant.models import Team, User
from meetings.models import Meeting, Todo

from . import embedding
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


def _todo_evidence(team: Team, member: User, since) -> list[Evidence]:
    todos = (Todo.objects.filter(team=team, assignee=member, created_at__gte=since,
                                 learning__isnull=True)
             .prefetch_related("events"))
    today = timezone.localdate()
    out = []
    for todo in todos:
        events = list(todo.events.all())
        done_at = next((e.at for e in reversed(events) if e.status == Todo.Status.DONE), None)
        late = todo.due and (done_at.date() > todo.due if todo.status == Todo.Status.DONE
                             and done_at else todo.due < today)
        if any(e.status == Todo.Status.BLOCKED for e in events) or (
                todo.status == Todo.Status.BLOCKED):
            out.append(Evidence(Signal.Kind.TODO_BLOCKED, todo.title))
        if late:
            out.append(Evidence(Signal.Kind.TODO_OVERDUE, todo.title))
        elif todo.status == Todo.Status.DONE:
            out.append(Evidence(Signal.Kind.TODO_DONE, todo.title))
    return out


def _meeting_evidence(team: Team, member: User, since) -> list[Evidence]:
    took_part = Q(speakers__member=member) | Q(action_items__owner=member)
    meetings = (Meeting.objects.filter(took_part, team=team, held_on__gte=since.date())
                .distinct().prefetch_related("decisions")[:20])
    out = []
    for meeting in meetings:
        out.append(Evidence(Signal.Kind.MEETING_TOPIC, meeting.title))
        out += [Evidence(Signal.Kind.MEETING_TOPIC, d.text[:300])
                for d in list(meeting.decisions.all())[:5]]
    return out


def _feedback_evidence(team: Team, member: User, since) -> list[Evidence]:
    """Sentences of the feedback a manager shared with the member (never an unshared draft)."""
    from reports.models import Draft

    drafts = Draft.objects.filter(team=team, member=member, kind=Draft.Kind.FEEDBACK,
                                  status=Draft.Status.READY, shared_at__gte=since)
    out = []
    for draft in drafts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", draft.body):
            if len(sentence.split()) >= 5:
                out.append(Evidence(Signal.Kind.FEEDBACK, sentence.strip()[:300]))
    return out


def _known_evidence(team: Team, member: User) -> list[Evidence]:
    out = []
    for goal in Goal.objects.filter(team=team, member=member).select_related("skill"):
        text = goal.note or f"Reach {dict(LEVELS)[goal.target_level]} in {goal.skill.name}"
        out.append(Evidence(Signal.Kind.GOAL, text, goal.skill))
    finished = (Suggestion.objects.filter(team=team, member=member)
                .filter(Q(status=Suggestion.Status.DONE)
                        | Q(status=Suggestion.Status.ASSIGNED, todo__status=Todo.Status.DONE))
                .select_related("resource", "skill"))
    for suggestion in finished:
        skill = suggestion.skill or suggestion.resource.skills.first()
        if skill is not None:
            out.append(Evidence(Signal.Kind.LEARNED, suggestion.resource.title, skill))
    return out


def evidence_for(*, team: Team, member: User) -> list[Evidence]:
    since = timezone.now() - LOOKBACK
    return (_todo_evidence(team, member, since) + _meeting_evidence(team, member, since)
            + _feedback_evidence(team, member, since) + _known_evidence(team, member))


def link(*, evidence: list[Evidence], skills: list[Skill], skill_vectors: np.ndarray,
         text_vectors: np.ndarray, team: Team, member: User) -> list[Signal]:
    """One Signal per piece of evidence close enough to a skill (or already tied to one)."""
    signals = []
    sims = text_vectors @ skill_vectors.T if len(skills) else np.zeros((len(evidence), 0))
    for i, item in enumerate(evidence):
        if item.skill is not None:
            skill, similarity = item.skill, 1.0
        elif sims.shape[1] and sims[i].max() >= LINK_THRESHOLD:
            best = int(sims[i].argmax())
            skill, similarity = skills[best], float(sims[i, best])
        else:
            continue
        signals.append(Signal(team=team, member=member, skill=skill, kind=item.kind,
                              text=item.text[:300], similarity=round(similarity, 3),
                              weight=WEIGHTS[item.kind]))
    return signals


def signals_refresh(*, team: Team, members: list[User]) -> dict[int, MemberSignals]:
    """Recompute and store the members' signals; returns them with their context texts."""
    skills = list(Skill.objects.filter(team=team))
    skill_vectors = embedding.matrix(skills)
    found: dict[int, MemberSignals] = {}
    for member in members:
        evidence = evidence_for(team=team, member=member)
        vectors = embedding.texts_embed(team=team, texts=[e.text for e in evidence])
        signals = link(evidence=evidence, skills=skills, skill_vectors=skill_vectors,
                       text_vectors=vectors, team=team, member=member)
        context = [i for i, e in enumerate(evidence) if WEIGHTS[e.kind] > 0]
        found[member.pk] = MemberSignals(member, signals, [evidence[i].text for i in context],
                                         vectors[context] if context else None)
    with transaction.atomic():
        Signal.objects.filter(team=team, member__in=members).delete()
        Signal.objects.bulk_create([s for m in found.values() for s in m.signals])
    return found
