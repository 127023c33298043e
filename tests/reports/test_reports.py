"""Daily reports: facts from the day's to-do history and meetings; the managers' day and week."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from assistant.models import Role
from meetings.models import ActionItem, Todo, TodoEvent
from reports.models import DailyReport, Draft
from reports.selectors import day_facts, feedback_facts, week_rollup
from tests.factories import MeetingFactory, MembershipFactory
from tests.reports import factories

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")  # the factories' team time zone
DAY = dt.date(2026, 11, 18)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), PARIS)


def _todo(world, title, history, due=None, who=None):
    """A to-do with its status history: [(status, datetime), ...]."""
    todo = Todo.objects.create(team=world.team, assignee=who or world.teammate, title=title,
                               due=due, status=history[-1][0], created_by=world.manager)
    for status, at in history:
        TodoEvent.objects.create(todo=todo, status=status, at=at)
    return todo


@pytest.fixture
def history(world):
    before = DAY - dt.timedelta(days=1)
    _todo(world, "Write the release notes", [("open", _at(before, 9)), ("done", _at(DAY, 11))])
    _todo(world, "Fix the login bug", [("open", _at(before, 9)), ("in_progress", _at(DAY, 10))])
    _todo(world, "Rotate the keys", [("open", _at(before, 9)), ("blocked", _at(before, 15))])
    _todo(world, "Old thing", [("open", _at(before, 8)), ("done", _at(before, 17))])
    _todo(world, "Late at night", [("open", _at(before, 8)), ("done", _at(DAY, 23))])
    _todo(world, "Tomorrow's", [("open", _at(before, 8)), ("done", _at(DAY + dt.timedelta(1), 0))])
    _todo(world, "Reopened", [("open", _at(before, 8)), ("done", _at(DAY, 9)),
                              ("in_progress", _at(DAY, 16))])
    meeting = MeetingFactory(team=world.team, title="Launch sync", held_on=DAY)
    ActionItem.objects.create(meeting=meeting, owner=world.teammate, task="Book the room",
                              due=DAY + dt.timedelta(days=2), status="accepted")
    MeetingFactory(team=world.team, title="Not mine", held_on=DAY)


def test_the_day_comes_from_the_todos_history_in_the_persons_time_zone(world, history):
    facts = day_facts(team=world.team, member=world.teammate, day=DAY)
    assert facts.done == ["Write the release notes", "Late at night"]
    assert sorted(facts.in_progress) == ["Fix the login bug", "Reopened"]
    assert facts.blocked == ["Rotate the keys"]
    assert [(m.title, [i.task for i in m.items]) for m in facts.meetings] == [
        ("Launch sync", ["Book the room"])]


def test_a_report_is_drafted_edited_submitted_and_read_by_the_managers(
        world, client_for, history, write_now):
    client = client_for(world.teammate)
    day = f"?day={DAY:%Y-%m-%d}"
    page = client.get(reverse("report-day") + day).content.decode()
    assert "Write the release notes" in page and "Draft my report" in page
    client.post(reverse("report-day") + day, {"notes": "Waiting for keys.", "tone": "friendly"})
    report = DailyReport.objects.get()
    draft = write_now(report.draft, "update for the day.", "Happy to go through any of it.")
    assert "Done:\n- Write the release notes\n- Late at night" in draft.body
    assert "Meetings:\n- Launch sync (Wednesday 18 November), my items: Book the room " \
        "(due Friday 20 November)" in draft.body
    assert "Notes:\nWaiting for keys." in draft.body
    assert draft.body.endswith(f"Thanks,\n{world.teammate.display_name}")
    # The managers see nothing before it is submitted.
    team_day = reverse("report-team-day") + day
    assert "Waiting for keys" not in client_for(world.manager).get(team_day).content.decode()
    client = client_for(world.teammate)  # one test client, signed in as one person at a time
    client.post(reverse("draft-detail", args=[draft.pk]), {
        "subject": draft.subject, "body": draft.body + "\nP.S. edited", "recipients": ""})
    client.post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_submitted
    assert {world.manager.email, world.owner.email} == {a for m in mail.outbox for a in m.to}
    page = client_for(world.manager).get(team_day).content.decode()
    assert "Waiting for keys." in page and "P.S. edited" in page
    week = client_for(world.manager).get(reverse("report-team-week") + f"?week={DAY}")
    assert reverse("report-detail", args=[report.pk]) in week.content.decode()


def test_reports_are_for_their_author_and_the_teams_managers(world, client_for):
    report = factories.report(world, author=world.teammate, submitted=True)
    url = reverse("report-detail", args=[report.pk])
    other = MembershipFactory(team=world.team, role=Role.EMPLOYEE).user
    for user, status in [(world.teammate, 200), (world.manager, 200), (world.owner, 200),
                         (other, 404), (world.stranger, 404)]:
        assert client_for(user).get(url).status_code == status, user
    assert client_for(world.teammate).get(reverse("report-team-day")).status_code == 403
    draft_url = reverse("draft-detail", args=[report.draft.pk])
    assert client_for(world.manager).get(draft_url).status_code == 200
    assert client_for(other).get(draft_url).status_code == 404


def test_an_unsubmitted_report_stays_private(world, client_for):
    report = factories.report(world, author=world.teammate)
    assert client_for(world.manager).get(
        reverse("report-detail", args=[report.pk])).status_code == 404
    # Nor can a manager read its text as a draft, or follow its stream.
    for name in ("draft-detail", "draft-stream"):
        url = reverse(name, args=[report.draft.pk])
        assert client_for(world.manager).get(url).status_code == 404, name
        assert client_for(world.teammate).get(url).status_code == 200, name
    client_for(world.teammate).post(reverse("report-submit", args=[report.pk]))
    url = reverse("draft-detail", args=[report.draft.pk])
    assert client_for(world.manager).get(url).status_code == 200


def test_only_the_author_submits(world, client_for):
    report = factories.report(world, author=world.teammate)
    client_for(world.manager).post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert not report.is_submitted


def test_writing_again_replaces_the_text(world, client_for, write_now):
    client = client_for(world.teammate)
    client.post(reverse("report-day") + f"?day={DAY}", {"notes": "first", "tone": "brief"})
    first = DailyReport.objects.get().draft
    client.post(reverse("report-day") + f"?day={DAY}", {"notes": "second", "tone": "brief"})
    report = DailyReport.objects.get()
    assert report.notes == "second" and report.draft != first
    assert not Draft.objects.filter(pk=first.pk).exists()


def test_the_week_rolls_up_per_person(world, history):
    factories.report(world, author=world.teammate, day=DAY, submitted=True)
    monday = DAY - dt.timedelta(days=DAY.weekday())
    rows = {r.member: r for r in week_rollup(team=world.team, monday=monday)}
    row = rows[world.teammate]
    assert [bool(report) for _, report in row.days] == [False, False, True, False, False,
                                                        False, False]
    assert set(row.done) >= {"Write the release notes", "Old thing", "Late at night"}
    assert row.blocked == ["Rotate the keys"] and row.meetings == 1
    assert rows[world.manager].done == []


def test_feedback_facts_completed_overdue_and_meetings(world, history):
    facts = feedback_facts(team=world.team, member=world.teammate, first=DAY - dt.timedelta(6),
                           last=DAY)
    assert set(facts.completed) == {"Write the release notes", "Old thing", "Late at night"}
    _todo(world, "Overdue one", [("open", _at(DAY, 8))], due=DAY - dt.timedelta(days=3))
    facts = feedback_facts(team=world.team, member=world.teammate, first=DAY - dt.timedelta(6),
                           last=DAY)
    assert [i.task for i in facts.overdue] == ["Overdue one"]
    assert [m.title for m in facts.meetings] == ["Launch sync"]
