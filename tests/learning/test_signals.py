"""Signals from a member's work, linked to skills by meaning (real all-MiniLM-L6-v2)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from learning import services
from learning.embedding import team_embed
from learning.models import Resource, Signal, Skill
from learning.signals import signals_refresh
from meetings.models import Meeting, Speaker, Todo
from meetings.todos import todo_create, todo_set_status
from reports.models import Draft
from tests.learning.fixture_team import SKILLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    for name, (description, expected) in SKILLS.items():
        Skill.objects.create(team=world.team, name=name, description=description,
                             expected_level=expected)
    team_embed(team=world.team)
    return world.team


def _todo(world, title, status=Todo.Status.OPEN, due_in=None):
    due = date.today() + timedelta(days=due_in) if due_in is not None else None
    todo = todo_create(team=world.team, title=title, assignee=world.teammate, due=due,
                       by=world.manager)
    if status != Todo.Status.OPEN:
        todo_set_status(todo=todo, status=status, by=world.teammate)
    return todo


def _signals(world):
    signals_refresh(team=world.team, members=[world.teammate])
    return {(s.kind, s.text): s.skill.name for s in Signal.objects.filter(member=world.teammate)}


def test_to_do_outcomes_are_linked_to_the_skill_they_are_about(world, team):
    _todo(world, "Fix the flaky integration tests in CI", Todo.Status.BLOCKED)
    _todo(world, "Speed up the slow SQL query behind the invoice report", due_in=-2)
    _todo(world, "Write the runbook for restoring backups", Todo.Status.DONE)
    _todo(world, "Book the team dinner for Friday")  # about no skill
    found = _signals(world)
    assert found == {
        ("todo_blocked", "Fix the flaky integration tests in CI"): "Testing",
        ("todo_overdue", "Speed up the slow SQL query behind the invoice report"):
            "SQL and databases",
        ("todo_done", "Write the runbook for restoring backups"): "Technical writing",
    }
    assert Signal.objects.get(kind="todo_blocked").similarity >= 0.3


def test_only_meetings_they_take_part_in_count(world, team):
    theirs = Meeting.objects.create(team=world.team, title="Threat modelling the login flow",
                                    held_on=date.today(), status="ready")
    Speaker.objects.create(meeting=theirs, label="Speaker 1", member=world.teammate)
    Meeting.objects.create(team=world.team, title="Planning the Kubernetes cluster upgrade",
                           held_on=date.today(), status="ready")
    assert _signals(world) == {("meeting_topic", "Threat modelling the login flow"): "Security"}


def test_feedback_counts_only_once_shared_with_the_member(world, team):
    draft = Draft.objects.create(
        team=world.team, author=world.manager, member=world.teammate, kind="feedback",
        status="ready", body="Hi,\n\nYour demos to customers ramble and lose the audience.")
    assert _signals(world) == {}
    draft.shared_at = timezone.now()
    draft.save()
    assert _signals(world) == {
        ("feedback", "Your demos to customers ramble and lose the audience."): "Presenting"}


def test_goals_and_finished_learning_are_signals_on_their_skill(world, team):
    testing = Skill.objects.get(team=world.team, name="Testing")
    services.goal_set(team=world.team, member=world.teammate, skill=testing, target_level=3,
                      note="Own the test strategy")
    resource = Resource.objects.create(team=world.team, title="Pytest basics", level=1)
    resource.skills.set([testing])
    assigned = services.resource_assign(team=world.team, member=world.teammate,
                                        resource=resource, due=None, by=world.manager)
    todo_set_status(todo=assigned.todo, status=Todo.Status.DONE, by=world.teammate)
    found = _signals(world)
    # The learning to-do itself is not a work to-do: it shows as finished learning only.
    assert found == {("goal", "Own the test strategy"): "Testing",
                     ("learned", "Pytest basics"): "Testing"}
