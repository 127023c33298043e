"""Minutes versions, the manager's review, my to-dos, digest and calendar feed."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from assistant.models import Job
from meetings.minutes import minutes_store
from meetings.models import ActionItem, Minutes, Todo, TodoEvent
from meetings.todos import digest_send
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def _result(world, **extra):
    return {
        "title": "Launch sync",
        "attendees": [world.manager.display_name, world.teammate.display_name],
        "summary": [{"text": "The beta is on track.", "start": 1.0, "quote": "on track"}],
        "decisions": [{"text": "Ship the beta on Friday", "start": 4.0,
                       "quote": "We will ship the beta on Friday."}],
        "open_questions": [],
        "action_items": [
            {"owner": world.teammate.display_name, "task": "Write the release notes",
             "due": "2026-11-20", "quote": "Can you write the release notes by Friday?",
             "start": 8.0, "confidence": 0.9},
            {"owner": None, "task": "Book the demo room", "due": None,
             "quote": "Someone should book the demo room.", "start": 12.0, "confidence": 0.5},
        ], **extra}


@pytest.fixture
def meeting(world):
    meeting = MeetingFactory(team=world.team, held_on=dt.date(2026, 11, 18))
    SegmentFactory(meeting=meeting, text="Can you write the release notes by Friday?")
    minutes_store(meeting=meeting, result=_result(world))
    return meeting


def test_store_saves_version_decisions_and_suggested_items(world, meeting):
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.current.body["title"] == "Launch sync"
    assert meeting.decisions.get().text == "Ship the beta on Friday"
    notes = meeting.action_items.get(task="Write the release notes")
    assert notes.owner == world.teammate and notes.due == dt.date(2026, 11, 20)
    assert meeting.action_items.get(task="Book the demo room").owner is None


def test_regenerating_never_overwrites_a_persons_edit(world, client_for, meeting):
    client = client_for(world.teammate)
    client.post(reverse("minutes-detail", args=[meeting.pk]), {
        "title": "Launch sync (edited)", "summary": "We are on track\nRisks are low",
        "decisions": "Ship the beta on Friday", "open_questions": ""})
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.current.author == world.teammate
    assert [s["text"] for s in minutes.current.body["summary"]] == ["We are on track",
                                                                     "Risks are low"]
    minutes_store(meeting=meeting, result=_result(world, title="Regenerated"))
    minutes.refresh_from_db()
    assert minutes.current.body["title"] == "Launch sync (edited)"
    assert minutes.newer_generated.body["title"] == "Regenerated"
    page = client.get(reverse("minutes-detail", args=[meeting.pk])).content.decode()
    assert "Use the new version instead" in page
    client.post(reverse("minutes-version-use", args=[minutes.newer_generated.pk]))
    minutes.refresh_from_db()
    assert minutes.current.body["title"] == "Regenerated"


def test_regenerating_keeps_reviewed_items(world, meeting):
    item = meeting.action_items.get(task="Write the release notes")
    from meetings.todos import item_accept, item_dismiss

    item_accept(item=item, by=world.manager)
    item_dismiss(item=meeting.action_items.get(task="Book the demo room"), by=world.manager)
    minutes_store(meeting=meeting, result=_result(world))
    assert meeting.action_items.filter(task="Write the release notes").count() == 1
    assert meeting.action_items.filter(task="Book the demo room").count() == 1
    assert Todo.objects.count() == 1


@pytest.mark.parametrize("fmt,magic", [("md", b"# Launch sync"), ("docx", b"PK"),
                                       ("pdf", b"%PDF")])
def test_minutes_exports(world, client_for, meeting, fmt, magic):
    response = client_for(world.teammate).get(reverse("minutes-export", args=[meeting.pk, fmt]))
    assert response.status_code == 200 and response.content.startswith(magic)
    assert client_for(world.stranger).get(reverse("minutes-export", args=[meeting.pk, fmt])
                                          ).status_code == 404


def test_manager_accepts_with_changes_and_employee_sees_it(world, client_for, meeting,
                                                          django_capture_on_commit_callbacks):
    item = meeting.action_items.get(task="Book the demo room")
    manager = client_for(world.manager)
    board = manager.get(reverse("todo-board")).content.decode()
    assert "Book the demo room" in board and "Write the release notes" in board
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("item-review", args=[item.pk]), {
            "action": "accept", "owner": world.teammate.pk, "task": "Book demo room B",
            "due": "2026-11-25"})
    todo = Todo.objects.get(action_item=item)
    assert (todo.assignee, todo.title, todo.due) == (world.teammate, "Book demo room B",
                                                     dt.date(2026, 11, 25))
    assert mail.outbox and world.teammate.email in mail.outbox[-1].to
    mine = client_for(world.teammate).get(reverse("my-todos")).content.decode()
    assert "Book demo room B" in mine and f"#t={item.start:.1f}" in mine


def test_employees_cannot_review(world, client_for, meeting):
    item = meeting.action_items.first()
    assert client_for(world.teammate).get(reverse("todo-board")).status_code == 403
    client_for(world.teammate).post(reverse("item-review", args=[item.pk]), {"action": "accept"})
    assert not Todo.objects.exists()
    assert client_for(world.stranger).post(reverse("item-review", args=[item.pk]),
                                           {"action": "accept"}).status_code in (403, 404)


def test_dismiss_and_undo(world, client_for, meeting):
    item = meeting.action_items.first()
    manager = client_for(world.manager)
    manager.post(reverse("item-review", args=[item.pk]), {"action": "dismiss"})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DISMISSED
    manager.post(reverse("item-review", args=[item.pk]), {"action": "restore"})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.SUGGESTED


def test_bulk_accept_and_merge(world, client_for, meeting):
    first, second = meeting.action_items.order_by("start")
    manager = client_for(world.manager)
    manager.post(reverse("items-bulk"), {"action": "merge", "items": [first.pk, second.pk],
                                         "into": first.pk})
    second.refresh_from_db()
    assert second.status == ActionItem.Status.MERGED and second.merged_into == first
    manager.post(reverse("items-bulk"), {"action": "accept", "items": [first.pk]})
    assert Todo.objects.get().action_item == first


def test_status_changes_are_recorded(world, client_for, meeting):
    from meetings.todos import item_accept

    todo = item_accept(item=meeting.action_items.first(), by=world.manager)
    client = client_for(world.teammate)
    client.post(reverse("todo-status", args=[todo.pk]), {"status": "in_progress"})
    client.post(reverse("todo-status", args=[todo.pk]), {"status": "done"})
    assert list(TodoEvent.objects.filter(todo=todo).values_list("status", flat=True)) == [
        "open", "in_progress", "done"]
    other = client_for(world.owner)  # an admin is also a manager
    other.post(reverse("todo-status", args=[todo.pk]), {"status": "blocked"})
    todo.refresh_from_db()
    assert todo.status == "blocked"
    assert client_for(world.stranger).post(reverse("todo-status", args=[todo.pk]),
                                           {"status": "done"}).status_code == 404


def test_overdue_is_highlighted_in_the_users_zone(world, client_for):
    from meetings.todos import todo_create

    today = dt.datetime.now(dt.UTC).date()
    todo_create(team=world.team, title="File taxes", assignee=world.teammate,
                due=today - dt.timedelta(days=1), by=world.manager)
    page = client_for(world.teammate).get(reverse("my-todos")).content.decode()
    assert "overdue since" in page and 'class="todo card overdue"' in page


def test_digest_mails_due_and_overdue(world):
    from meetings.todos import todo_create

    today = dt.datetime.now(dt.UTC).date()
    todo_create(team=world.team, title="Renew certificate", assignee=world.teammate,
                due=today, by=world.manager)
    todo_create(team=world.team, title="Far away", assignee=world.teammate,
                due=today + dt.timedelta(days=30), by=world.manager)
    mail.outbox.clear()
    assert digest_send() == 1
    assert "Renew certificate" in mail.outbox[0].body and "Far away" not in mail.outbox[0].body


def test_calendar_feed_is_secret_and_revocable(world, client_for, client):
    from meetings.todos import todo_create

    todo_create(team=world.team, title="Ship it, finally", assignee=world.teammate,
                due=dt.date(2026, 12, 4), by=world.manager)
    me = client_for(world.teammate)
    me.post(reverse("calendar-renew"))
    token = world.teammate.calendar_feed.token
    client.logout()
    feed = client.get(reverse("calendar-ics", args=[token]))
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20261204" in body and "SUMMARY:Ship it\\, finally" in body
    client_for(world.teammate).post(reverse("calendar-revoke"))
    assert client.get(reverse("calendar-ics", args=[token])).status_code == 404


def test_minutes_regenerate_queues_a_text_job(world, client_for, meeting):
    client_for(world.teammate).post(reverse("minutes-regenerate", args=[meeting.pk]))
    assert Job.objects.get(kind="meetings.minutes").params == {"meeting": meeting.pk}
