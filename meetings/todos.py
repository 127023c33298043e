"""Reviewing a meeting's action items, and the to-dos they become."""

import secrets
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from api import webhooks
from assistant.models import Team, User

from .models import ActionItem, CalendarFeed, Todo, TodoEvent


def _notify_assigned(todo: Todo) -> None:
    if todo.assignee is None:
        return
    webhooks.todo_assigned(todo)
    link = settings.SITE_URL + reverse("my-todos")
    due = f" (due {todo.due:%A %-d %B})" if todo.due else ""
    send_mail(f"New to-do: {todo.title}",
              f"You have a new to-do in {todo.team}: {todo.title}{due}.\n\n{link}\n",
              None, [todo.assignee.email], fail_silently=True)


@transaction.atomic
def item_accept(*, item: ActionItem, by: User, owner: User | None = None, task: str = "",
                due: date | None = None) -> Todo:
    """Accept a suggested item (optionally corrected): it becomes the owner's to-do."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ActionItem.Status.ACCEPTED and hasattr(item, "todo"):
        return item.todo
    item_update(item=item, owner=owner or item.owner, task=task or item.task,
                due=due if due is not None else item.due)
    item.status = ActionItem.Status.ACCEPTED
    item.reviewed_by, item.reviewed_at = by, timezone.now()
    item.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    todo = Todo.objects.create(team=item.meeting.team, assignee=item.owner, title=item.task,
                               due=item.due, action_item=item, created_by=by)
    TodoEvent.objects.create(todo=todo, status=todo.status, changed_by=by)
    transaction.on_commit(lambda: _notify_assigned(todo))
    return todo


def item_update(*, item: ActionItem, owner: User | None, task: str, due: date | None) -> None:
    item.owner, item.task, item.due = owner, task.strip()[:300] or item.task, due
    item.save(update_fields=["owner", "task", "due"])


def item_dismiss(*, item: ActionItem, by: User) -> None:
    item.status = ActionItem.Status.DISMISSED
    item.reviewed_by, item.reviewed_at = by, timezone.now()
    item.save(update_fields=["status", "reviewed_by", "reviewed_at"])


def item_restore(*, item: ActionItem) -> None:
    """Undo a dismissal or merge: the item is suggested again."""
    item.status, item.merged_into = ActionItem.Status.SUGGESTED, None
    item.save(update_fields=["status", "merged_into"])


@transaction.atomic
def items_merge(*, items: list[ActionItem], into: ActionItem, by: User) -> None:
    """Duplicates fold into one item; the quotes are kept on the merged ones."""
    for item in items:
        if item.pk == into.pk:
            continue
        item.status, item.merged_into = ActionItem.Status.MERGED, into
        item.reviewed_by, item.reviewed_at = by, timezone.now()
        item.save(update_fields=["status", "merged_into", "reviewed_by", "reviewed_at"])


def items_accept_all(*, items: list[ActionItem], by: User) -> list[Todo]:
    return [item_accept(item=item, by=by) for item in items
            if item.status == ActionItem.Status.SUGGESTED]


@transaction.atomic
def todo_set_status(*, todo: Todo, status: str, by: User) -> Todo:
    """Change a to-do's status and record when, for reports and learning."""
    if status not in Todo.Status.values:
        raise ValueError(f"Unknown status {status!r}")
    if todo.status != status:
        todo.status = status
        todo.save(update_fields=["status", "updated_at"])
        TodoEvent.objects.create(todo=todo, status=status, changed_by=by)
    return todo


@transaction.atomic
def todo_assign(*, todo: Todo, assignee: User | None, due: date | None, by: User) -> Todo:
    changed = todo.assignee_id != (assignee.pk if assignee else None)
    todo.assignee, todo.due = assignee, due
    todo.save(update_fields=["assignee", "due", "updated_at"])
    if changed:
        transaction.on_commit(lambda: _notify_assigned(todo))
    return todo


def todo_create(*, team: Team, title: str, assignee: User | None, due: date | None,
                by: User) -> Todo:
    with transaction.atomic():
        todo = Todo.objects.create(team=team, title=title.strip()[:300], assignee=assignee,
                                   due=due, created_by=by)
        TodoEvent.objects.create(todo=todo, status=todo.status, changed_by=by)
        transaction.on_commit(lambda: _notify_assigned(todo))
    return todo


def local_today(user: User, team: Team | None = None) -> date:
    zone = user.time_zone or (team.time_zone if team else "UTC")
    return timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()


def urgency(todo: Todo, today: date, soon_days: int = 2) -> str:
    """"overdue", "soon" or "" for a to-do, in the person's own today."""
    if not todo.due or todo.status == Todo.Status.DONE:
        return ""
    if todo.due < today:
        return "overdue"
    return "soon" if todo.due <= today + timedelta(days=soon_days) else ""


def digest_send(*, soon_days: int = 2) -> int:
    """Email each person their overdue and soon-due open to-dos (a daily beat task)."""
    sent = 0
    open_statuses = [Todo.Status.OPEN, Todo.Status.IN_PROGRESS, Todo.Status.BLOCKED]
    for user in User.objects.filter(todos__status__in=open_statuses).distinct():
        today = local_today(user)
        todos = [t for t in Todo.objects.filter(assignee=user, status__in=open_statuses)
                 if t.due and t.due <= today + timedelta(days=soon_days)]
        if not todos:
            continue
        lines = [f"- {t.title} ({'overdue since' if t.due < today else 'due'} {t.due:%a %-d %b})"
                 for t in sorted(todos, key=lambda t: t.due)]
        send_mail(f"Your to-dos: {len(todos)} due soon or overdue",
                  "\n".join(lines) + f"\n\n{settings.SITE_URL}{reverse('my-todos')}\n",
                  None, [user.email], fail_silently=True)
        sent += 1
    return sent


def calendar_feed(*, user: User, renew: bool = False) -> CalendarFeed:
    """The person's secret feed address; renewing revokes the old one."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None or renew:
        token = secrets.token_urlsafe(32)
        feed, _ = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    return feed


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def calendar_ics(*, user: User) -> str:
    """An iCalendar file of the person's open to-dos that have a due date."""
    stamp = datetime.now(tz=zoneinfo.ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Team Assistant//To-dos//EN",
             "X-WR-CALNAME:Team Assistant to-dos"]
    todos = Todo.objects.filter(assignee=user, due__isnull=False).exclude(status=Todo.Status.DONE)
    for todo in todos:
        lines += ["BEGIN:VEVENT", f"UID:todo-{todo.pk}@team-assistant", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{todo.due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{todo.due + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_ics_text(todo.title)}",
                  f"DESCRIPTION:{_ics_text(f'{todo.team} · {todo.get_status_display()}')}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
