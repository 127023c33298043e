"""Reads for drafting: who may see what, and the facts a draft is made of."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from assistant.models import Membership, Role, Team, User
from meetings.models import ActionItem, Meeting, Todo, TodoEvent

from .compose import Item, MeetingItems
from .models import DailyReport, Draft, DraftStyle

MANAGERS = [Role.MANAGER, Role.ADMIN]
LIVE_ITEMS = [ActionItem.Status.SUGGESTED, ActionItem.Status.ACCEPTED]


def _managed_teams(user: User):
    return Membership.objects.filter(user=user, role__in=MANAGERS).values("team_id")


def drafts_visible(*, user: User) -> QuerySet[Draft]:
    """Emails: the author only. A daily report's text: also the team's managers once it is
    submitted. Feedback: also the team's other managers, and its member once shared."""
    managed = _managed_teams(user)
    mine = Q(author=user)
    submitted = Q(kind=Draft.Kind.DAILY_REPORT, team__in=managed,
                  daily_report__status=DailyReport.Status.SUBMITTED)
    # A manager who is the feedback's member reads it as its member: once shared.
    other_managers = Q(kind=Draft.Kind.FEEDBACK, team__in=managed) & ~Q(member=user)
    shared_with_me = Q(kind=Draft.Kind.FEEDBACK, member=user, shared_at__isnull=False)
    return Draft.objects.for_user(user).filter(mine | submitted | other_managers | shared_with_me)


def reports_visible(*, user: User) -> QuerySet[DailyReport]:
    """The author's own reports, and the submitted reports of the teams the user manages."""
    managed = Q(team__in=_managed_teams(user), status=DailyReport.Status.SUBMITTED)
    return (DailyReport.objects.for_user(user).filter(Q(author=user) | managed)
            .select_related("author", "draft", "team"))


def style_for(*, team: Team) -> DraftStyle:
    """The team's style, or the defaults (unsaved) when the admin never changed them."""
    return DraftStyle.objects.filter(team=team).first() or DraftStyle(team=team)


def zone_of(user: User, team: Team) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(user.time_zone or team.time_zone or "UTC")


def _bounds(first: date, last: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, zone),
            datetime.combine(last + timedelta(days=1), time.min, zone))


def managers_of(*, team: Team) -> list[User]:
    return [m.user for m in Membership.objects.filter(team=team, role__in=MANAGERS)
            .select_related("user").order_by("user__name")]


def meetings_attended(*, team: Team, member: User, first: date, last: date) -> list[Meeting]:
    """Meetings held in these days where the member spoke, was named, or took an item."""
    meetings = (Meeting.objects.filter(team=team, held_on__range=(first, last))
                .select_related("minutes__current").order_by("held_on", "created_at"))
    attended = []
    for meeting in meetings:
        current = getattr(getattr(meeting, "minutes", None), "current", None)
        names = (current.body.get("attendees") or []) if current else []
        if (member.display_name in names
                or meeting.speakers.filter(member=member).exists()
                or meeting.action_items.filter(owner=member, status__in=LIVE_ITEMS).exists()):
            attended.append(meeting)
    return attended


def _items_of(meeting: Meeting, member: User) -> list[Item]:
    return [Item(i.task, member.display_name, i.due) for i in
            meeting.action_items.filter(owner=member, status__in=LIVE_ITEMS)]


@dataclass
class DayFacts:
    done: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    meetings: list[MeetingItems] = field(default_factory=list)


def _status_at(todos: QuerySet[Todo], until: datetime) -> list[tuple[int, str]]:
    """Each to-do's status at a moment, from its history, in the order they reached it."""
    status: dict[int, tuple[datetime, str]] = {}
    for event in TodoEvent.objects.filter(todo__in=todos, at__lt=until).order_by("at", "pk"):
        status[event.todo_id] = (event.at, event.status)
    return [(pk, s) for pk, (_, s) in sorted(status.items(), key=lambda kv: kv[1][0])]


def day_facts(*, team: Team, member: User, day: date) -> DayFacts:
    """What the member finished that day, what stood in progress or blocked at its end,
    and the meetings they attended with their items."""
    start, end = _bounds(day, day, zone_of(member, team))
    todos = Todo.objects.filter(team=team, assignee=member)
    titles = dict(todos.values_list("pk", "title"))
    at_end = _status_at(todos, end)
    done_today = set(TodoEvent.objects.filter(todo__in=todos, at__gte=start, at__lt=end,
                                              status=Todo.Status.DONE)
                     .values_list("todo_id", flat=True))
    facts = DayFacts()
    for pk, status in at_end:
        if status == Todo.Status.DONE and pk in done_today:
            facts.done.append(titles[pk])
        elif status == Todo.Status.IN_PROGRESS:
            facts.in_progress.append(titles[pk])
        elif status == Todo.Status.BLOCKED:
            facts.blocked.append(titles[pk])
    facts.meetings = [MeetingItems(m.title, m.held_on, _items_of(m, member))
                      for m in meetings_attended(team=team, member=member, first=day, last=day)]
    return facts


@dataclass
class FeedbackFacts:
    completed: list[str]
    overdue: list[Item]
    meetings: list[MeetingItems]


def feedback_facts(*, team: Team, member: User, first: date, last: date) -> FeedbackFacts:
    """Items the member completed in the period, those overdue at its end, and meetings."""
    start, end = _bounds(first, last, zone_of(member, team))
    todos = Todo.objects.filter(team=team, assignee=member)
    done = (TodoEvent.objects.filter(todo__in=todos, status=Todo.Status.DONE, at__gte=start,
                                     at__lt=end).values_list("todo_id", flat=True))
    completed = list(todos.filter(pk__in=done, status=Todo.Status.DONE)
                     .order_by("updated_at").values_list("title", flat=True))
    overdue = [Item(t.title, member.display_name, t.due) for t in
               todos.exclude(status=Todo.Status.DONE).filter(due__lt=last).order_by("due")]
    meetings = [MeetingItems(m.title, m.held_on, _items_of(m, member))
                for m in meetings_attended(team=team, member=member, first=first, last=last)]
    return FeedbackFacts(completed, overdue, meetings)


@dataclass
class MeetingFacts:
    title: str
    day: date
    attendees: list[str]
    summary: list[str]
    decisions: list[str]
    items: list[Item]
    recipients: list[str]


def _texts(values: list) -> list[str]:
    return [v.get("text", "") if isinstance(v, dict) else str(v) for v in values if v]


def meeting_facts(*, meeting: Meeting) -> MeetingFacts:
    """A meeting's minutes as the facts of its follow-up, and the attendees' addresses."""
    current = getattr(getattr(meeting, "minutes", None), "current", None)
    body = current.body if current else {}
    items = [Item(i.task, i.owner.display_name if i.owner else i.owner_name, i.due)
             for i in meeting.action_items.filter(status__in=LIVE_ITEMS)
             .select_related("owner")]
    members = {m.user.display_name: m.user for m in
               Membership.objects.filter(team=meeting.team).select_related("user")}
    attendees = list(body.get("attendees") or [])
    for speaker in meeting.speakers.select_related("member"):
        if speaker.member and speaker.member.display_name not in attendees:
            attendees.append(speaker.member.display_name)
    recipients = [members[n].email for n in attendees if n in members]
    decisions = _texts(body.get("decisions") or []) or list(
        meeting.decisions.values_list("text", flat=True))
    return MeetingFacts(body.get("title") or meeting.title, meeting.held_on, attendees,
                        _texts(body.get("summary") or []), decisions, items, recipients)


@dataclass
class WeekRow:
    member: User
    days: list[tuple[date, DailyReport | None]]
    done: list[str]
    blocked: list[str]
    meetings: int


def week_rollup(*, team: Team, monday: date) -> list[WeekRow]:
    """Per member: which days they reported, what they finished, what is blocked now."""
    sunday = monday + timedelta(days=6)
    reports = {(r.author_id, r.day): r for r in DailyReport.objects.filter(
        team=team, day__range=(monday, sunday), status=DailyReport.Status.SUBMITTED)}
    rows = []
    for membership in Membership.objects.filter(team=team).select_related("user"):
        member = membership.user
        start, end = _bounds(monday, sunday, zone_of(member, team))
        todos = Todo.objects.filter(team=team, assignee=member)
        done = (todos.filter(events__status=Todo.Status.DONE, events__at__gte=start,
                             events__at__lt=end).distinct().values_list("title", flat=True))
        blocked = todos.filter(status=Todo.Status.BLOCKED).values_list("title", flat=True)
        days = [(monday + timedelta(days=i), reports.get((member.pk, monday + timedelta(days=i))))
                for i in range(7)]
        count = len(meetings_attended(team=team, member=member, first=monday, last=sunday))
        rows.append(WeekRow(member, days, list(done), list(blocked), count))
    return sorted(rows, key=lambda r: r.member.display_name.lower())


def team_day(*, team: Team, day: date) -> list[tuple[User, DailyReport | None]]:
    """Every member of the team with their submitted report for the day (or None)."""
    reports = {r.author_id: r for r in DailyReport.objects.filter(
        team=team, day=day, status=DailyReport.Status.SUBMITTED).select_related("draft")}
    members = [m.user for m in Membership.objects.filter(team=team).select_related("user")]
    return sorted(((u, reports.get(u.pk)) for u in members),
                  key=lambda pair: pair[0].display_name.lower())
