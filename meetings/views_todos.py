"""Minutes pages, the manager's review board, my to-dos and the calendar feed."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from assistant.models import Membership, Role
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import exports, todos
from .minutes import minutes_edit, minutes_queue, minutes_use_version
from .models import ActionItem, CalendarFeed, Meeting, Minutes, MinutesVersion, Todo
from .translations import translation_targets

OPEN = [Todo.Status.OPEN, Todo.Status.IN_PROGRESS, Todo.Status.BLOCKED]


def _lines(value: str) -> list[dict]:
    return [{"text": line.strip(" -•\t")} for line in value.splitlines() if line.strip(" -•\t")]


@team_required()
def minutes_detail(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("current", "job").first()
    body = minutes.current.body if minutes and minutes.current else None
    if request.method == "POST":
        if minutes is None or body is None:
            raise Http404("There are no minutes to edit yet.")
        edited = {**body, "title": request.POST.get("title", "").strip() or meeting.title,
                  "summary": _lines(request.POST.get("summary", "")),
                  "decisions": _lines(request.POST.get("decisions", "")),
                  "open_questions": _lines(request.POST.get("open_questions", ""))}
        minutes_edit(minutes=minutes, body=edited, user=request.user)
        messages.success(request, "Minutes saved as a new version.")
        return redirect("minutes-detail", pk=meeting.pk)
    return render(request, "meetings/minutes.html", {
        "meeting": meeting, "minutes": minutes, "body": body,
        "items": meeting.action_items.exclude(status=ActionItem.Status.MERGED)
                        .select_related("owner"),
        "versions": minutes.versions.select_related("author")[:20] if minutes else [],
        "is_manager": request.membership.has_role(Role.MANAGER),
        "editing": request.GET.get("edit") == "1",
        "targets": translation_targets(meeting=meeting) if body else [],
    })


@team_required()
@require_POST
def minutes_regenerate(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    if not meeting.segments.exists():
        messages.error(request, "There is no transcript yet to write minutes from.")
    else:
        minutes_queue(meeting=meeting, user=request.user)
        messages.info(request, "Writing the minutes again. Your edits stay as they are; "
                               "you can compare and choose afterwards.")
    return redirect("minutes-detail", pk=meeting.pk)


@team_required()
@require_POST
def minutes_version_use(request, pk: int):
    version = get_object_or_404(MinutesVersion.objects.select_related("minutes"), pk=pk)
    minutes = get_for_user(Minutes.objects, request.user, pk=version.minutes_id)
    minutes_use_version(minutes=minutes, version=version, user=request.user)
    messages.success(request, "That version is the current minutes now.")
    return redirect("minutes-detail", pk=minutes.meeting_id)


@team_required()
def minutes_export(request, pk: int, fmt: str):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("current").first()
    if fmt not in exports.MINUTES_FORMATS or not minutes or not minutes.current:
        raise Http404("No minutes in that format")
    content_type, suffix = exports.MINUTES_FORMATS[fmt]
    response = HttpResponse(exports.minutes_export(meeting, minutes.current.body, fmt),
                            content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.{suffix}"'
    return response


@team_required(Role.MANAGER)
def board(request):
    """Suggested to-dos of every meeting, for review; accepted ones by person."""
    items = (ActionItem.objects.filter(meeting__team=request.team,
                                       status=ActionItem.Status.SUGGESTED)
             .select_related("meeting", "owner").order_by("-meeting__held_on", "start"))
    meeting_id = request.GET.get("meeting")
    if meeting_id:
        items = items.filter(meeting_id=meeting_id)
    return render(request, "meetings/board.html", {
        "items": items, "members": Membership.objects.filter(team=request.team)
                                                      .select_related("user"),
        "todos": Todo.objects.filter(team=request.team, status__in=OPEN)
                             .select_related("assignee").order_by("assignee__name", "due"),
        "meeting_id": meeting_id})


def _item_for_manager(request, pk: int) -> ActionItem:
    return get_for_user(ActionItem.objects.select_related("meeting", "owner"), request.user,
                        min_role=Role.MANAGER, pk=pk)


def _member(request, item_team, user_id):
    if not user_id:
        return None
    membership = Membership.objects.filter(team=item_team, user_id=user_id).first()
    return membership.user if membership else None


@team_required(Role.MANAGER)
@require_POST
def item_review(request, pk: int):
    """Accept (with edits), save edits, dismiss or restore one item; htmx swaps its row."""
    item = _item_for_manager(request, pk)
    action = request.POST.get("action", "accept")
    team = item.meeting.team
    owner = _member(request, team, request.POST.get("owner"))
    due = parse_date(request.POST.get("due") or "") if request.POST.get("due") else None
    task = request.POST.get("task", "")
    if action == "accept":
        todos.item_accept(item=item, by=request.user, owner=owner or item.owner, task=task,
                          due=due if request.POST.get("due") else item.due)
    elif action == "save":
        todos.item_update(item=item, owner=owner, task=task or item.task, due=due)
    elif action == "dismiss":
        todos.item_dismiss(item=item, by=request.user)
    elif action == "restore":
        todos.item_restore(item=item)
    item.refresh_from_db()
    if request.htmx:
        return render(request, "meetings/partials/item.html", {
            "item": item, "members": Membership.objects.filter(team=team).select_related("user"),
            "is_manager": True})
    return redirect(request.POST.get("next") or "todo-board")


@team_required(Role.MANAGER)
@require_POST
def items_bulk(request):
    ids = request.POST.getlist("items")
    items = list(ActionItem.objects.for_user(request.user, min_role=Role.MANAGER)
                 .filter(pk__in=ids, meeting__team=request.team))
    if request.POST.get("action") == "merge":
        into = next((i for i in items if str(i.pk) == request.POST.get("into")), None)
        if into is None or len(items) < 2:
            messages.error(request, "Tick at least two items and choose the one to keep.")
        else:
            todos.items_merge(items=items, into=into, by=request.user)
            messages.success(request, f"{len(items) - 1} duplicate(s) merged into “{into.task}”.")
    else:
        accepted = todos.items_accept_all(items=items, by=request.user)
        messages.success(request, f"{len(accepted)} to-do(s) accepted.")
    return redirect(request.POST.get("next") or "todo-board")


@team_required()
def my_todos(request):
    mine = Todo.objects.filter(team=request.team, assignee=request.user).select_related(
        "action_item", "action_item__meeting")
    today = todos.local_today(request.user, request.team)
    for todo in mine:
        todo.urgency = todos.urgency(todo, today)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "meetings/my_todos.html", {
        "open": [t for t in mine if t.status in OPEN],
        "done": [t for t in mine if t.status == Todo.Status.DONE][:20],
        "statuses": Todo.Status.choices, "feed": feed})


@team_required()
@require_POST
def todo_status(request, pk: int):
    todo = get_for_user(Todo.objects, request.user, pk=pk)
    if todo.assignee_id != request.user.pk and not request.membership.has_role(Role.MANAGER):
        messages.error(request, "Only the person it is assigned to, or a manager, can change it.")
        return redirect("my-todos")
    try:
        todos.todo_set_status(todo=todo, status=request.POST.get("status", ""), by=request.user)
    except ValueError:
        messages.error(request, "Choose one of the listed statuses.")
    if request.htmx:
        todo.urgency = todos.urgency(todo, todos.local_today(request.user, request.team))
        return render(request, "meetings/partials/todo.html", {
            "todo": todo, "statuses": Todo.Status.choices})
    return redirect("my-todos")


@team_required()
@require_POST
def calendar_renew(request):
    todos.calendar_feed(user=request.user, renew=True)
    messages.success(request, "A new calendar address was made; the old one stopped working.")
    return redirect("my-todos")


@team_required()
@require_POST
def calendar_revoke(request):
    CalendarFeed.objects.filter(user=request.user).delete()
    messages.info(request, "Your calendar address no longer works.")
    return redirect("my-todos")


def calendar_ics(request, token: str):
    """The secret feed: no session, the token is the key (calendar apps cannot sign in)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    response = HttpResponse(todos.calendar_ics(user=feed.user),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
