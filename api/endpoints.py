"""The REST API (/api/v1/): token-authenticated, team-scoped exactly like the web pages.

Every read goes through `for_user` / `get_for_user`, so another team's object answers 404.
The OpenAPI description is served at /api/v1/openapi.json.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from ninja import File, Form, NinjaAPI, Path, Query, Status, UploadedFile
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from assistant.models import Job, Membership, Role, Team, User
from assistant.selectors import get_for_user, membership_for
from meetings import services as meeting_services
from meetings import todos as todo_services
from meetings.forms import LANGUAGES
from meetings.models import Meeting, Minutes, Todo

from . import schemas, services
from .models import Webhook


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ta_…`: a personal access token from the profile page."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str) -> User | None:
        user = services.token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Team Assistant API", version="1", urls_namespace="api", docs_url=None,
    auth=TokenAuth(),
    description="Meetings, transcripts, minutes, to-dos and webhooks of the teams the "
                "token's owner belongs to. Create a token under Profile → API tokens.",
)
ERRORS = {401: schemas.Error, 404: schemas.Error, 422: schemas.Error}
# A row id as the database stores it (bigint): larger numbers are refused, not sent to it.
Id = Path(..., ge=1, le=schemas.MAX_ID)
Language = Literal[tuple(code for code, _ in LANGUAGES)]  # type: ignore[valid-type]


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = api.create_response(
        request, {"detail": "Send a valid personal access token: Authorization: Bearer ta_…"},
        status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _error(status: int, message: str) -> Status:
    return Status(status, {"detail": message})


def _job(job: Job | None) -> dict | None:
    if job is None:
        return None
    return {f: getattr(job, f) for f in ("id", "kind", "title", "status", "stage", "progress",
                                        "error", "attempts", "queued_at", "started_at",
                                        "finished_at")}


def _meeting(meeting: Meeting) -> dict:
    return {"id": meeting.pk, "team": meeting.team.slug, "title": meeting.title,
            "held_on": meeting.held_on, "language": meeting.language, "status": meeting.status,
            "duration": meeting.duration, "audio_name": meeting.audio_name,
            "has_audio": meeting.has_audio, "job": _job(meeting.job),
            "has_minutes": Minutes.objects.filter(meeting=meeting,
                                                  current__isnull=False).exists()}


def _team_for(user: User, slug: str | None) -> Team:
    """The named team, or the person's only team; 404 for a team they are not in."""
    if slug:
        return get_for_user(Team.objects, user, slug=slug)
    teams = list(Team.objects.for_user(user)[:2])
    if len(teams) != 1:
        raise Http404("Name the team (its slug): you belong to several teams, or none.")
    return teams[0]


@api.get("/me", response={200: schemas.MeOut, **ERRORS}, url_name="api-me")
def me(request):
    """The token's owner and their teams."""
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    return {"id": request.user.pk, "email": request.user.email, "name": request.user.name,
            "teams": [{"slug": m.team.slug, "name": m.team.name, "role": m.role}
                      for m in memberships]}


@api.get("/meetings", response={200: list[schemas.MeetingOut], **ERRORS},
         url_name="api-meetings")
def meeting_list(request, team: schemas.Text | None = None,
                 limit: int = Query(50, ge=1, le=200)):
    """The most recent meetings of your teams (or of one team)."""
    meetings = Meeting.objects.for_user(request.user).select_related("team", "job")
    if team:
        meetings = meetings.filter(team__slug=team)
    return [_meeting(m) for m in meetings[:limit]]


@api.post("/meetings", response={201: schemas.MeetingOut, 400: schemas.Error, **ERRORS},
          url_name="api-meeting-upload")
def meeting_upload(request, audio: File[UploadedFile],
                   # 180, not the meeting's 200: the job titles quote it ("Transcribe “…”")
                   # in a 200-character column.
                   title: schemas.Text = Form("", max_length=180,  # noqa: B008
                                     description="Empty: the file's name."),
                   held_on: date = Form(None, description="Empty: today."),  # noqa: B008
                   language: Language = Form("", description="Empty: detect it."),  # noqa: B008
                   team: schemas.Text = Form("", description="The team's slug; needed when you "  # noqa: B008
                                                    "belong to several teams.")):
    """Upload a recording: it is stored and its transcription is queued (see `job`)."""
    target = _team_for(request.user, team or None)
    audio.name = (audio.name or "").replace("\x00", "")
    try:
        meeting = meeting_services.meeting_create(team=target, user=request.user, upload=audio,
                                                  title=title, held_on=held_on,
                                                  language=language)
    except meeting_services.IntakeError as exc:
        return _error(400, str(exc))
    return Status(201, _meeting(meeting))


@api.get("/meetings/{meeting_id}", response={200: schemas.MeetingOut, **ERRORS},
         url_name="api-meeting")
def meeting_detail(request, meeting_id: int = Id):
    return _meeting(get_for_user(Meeting.objects.select_related("team", "job"), request.user,
                                 pk=meeting_id))


@api.get("/meetings/{meeting_id}/transcript", response={200: schemas.TranscriptOut, **ERRORS},
         url_name="api-transcript")
def transcript(request, meeting_id: int = Id):
    """The transcript's segments in order, with their speakers' names."""
    meeting = get_for_user(Meeting.objects, request.user, pk=meeting_id)
    segments = meeting.segments.select_related("speaker", "speaker__member").order_by("index")
    return {"meeting": meeting.pk, "segments": [
        {"index": s.index, "start": s.start, "end": s.end, "text": s.text,
         "speaker": s.speaker.name if s.speaker else None,
         "language": s.language or meeting.language} for s in segments]}


@api.get("/meetings/{meeting_id}/minutes", response={200: schemas.MinutesOut, **ERRORS},
         url_name="api-minutes")
def minutes(request, meeting_id: int = Id):
    """The current version of the minutes and the meeting's action items (404 until ready)."""
    meeting = get_for_user(Meeting.objects, request.user, pk=meeting_id)
    found = Minutes.objects.filter(meeting=meeting, current__isnull=False).select_related(
        "current").first()
    if found is None:
        raise Http404("This meeting has no minutes yet.")
    body = found.current.body
    items = meeting.action_items.select_related("owner")
    return {"meeting": meeting.pk, "title": body.get("title") or meeting.title,
            "summary": body.get("summary") or [], "decisions": body.get("decisions") or [],
            "open_questions": body.get("open_questions") or [],
            "attendees": body.get("attendees") or [],
            "edited_by_a_person": found.edited_by_a_person, "updated_at": found.updated_at,
            "action_items": [{"id": i.pk, "task": i.task, "owner_id": i.owner_id,
                              "owner": i.owner.display_name if i.owner else (i.owner_name or None),
                              "due": i.due, "status": i.status, "quote": i.quote,
                              "start": i.start} for i in items]}


@api.get("/jobs/{job_id}", response={200: schemas.JobOut, **ERRORS}, url_name="api-job")
def job_detail(request, job_id: UUID):
    """A background job's status, stage and progress (poll it after an upload)."""
    return _job(get_for_user(Job.objects, request.user, pk=job_id))


def _todo(todo: Todo) -> dict:
    return {"id": todo.pk, "team": todo.team.slug, "title": todo.title, "status": todo.status,
            "due": todo.due, "assignee_id": todo.assignee_id,
            "assignee_email": todo.assignee.email if todo.assignee else None,
            "meeting": todo.action_item.meeting_id if todo.action_item else None,
            "updated_at": todo.updated_at}


@api.get("/todos", response={200: list[schemas.TodoOut], **ERRORS}, url_name="api-todos")
def todo_list(request, mine: bool = True, status: schemas.TodoStatus | None = None,
              team: schemas.Text | None = None, limit: int = Query(100, ge=1, le=500)):
    """Your to-dos (mine=true, the default) or all to-dos of your teams."""
    todos = Todo.objects.for_user(request.user).select_related("team", "assignee",
                                                               "action_item")
    if mine:
        todos = todos.filter(assignee=request.user)
    if status:
        todos = todos.filter(status=status)
    if team:
        todos = todos.filter(team__slug=team)
    return [_todo(t) for t in todos[:limit]]


@api.patch("/todos/{todo_id}", response={200: schemas.TodoOut, 400: schemas.Error,
                                         403: schemas.Error, **ERRORS}, url_name="api-todo")
def todo_update(request, payload: schemas.TodoPatch, todo_id: int = Id):
    """Change a to-do's status (its assignee or a manager), assignee or due date (a manager)."""
    todo = get_for_user(Todo.objects.select_related("team", "assignee", "action_item"),
                        request.user, pk=todo_id)
    changes = payload.model_dump(exclude_unset=True)
    membership = membership_for(user=request.user, team=todo.team)
    is_manager = membership is not None and membership.has_role(Role.MANAGER)
    if {"assignee_id", "due"} & changes.keys() and not is_manager:
        return _error(403, "Only a manager of the team can reassign a to-do or move its "
                               "due date.")
    if changes.get("status") and todo.assignee_id != request.user.pk and not is_manager:
        return _error(403, "Only the person it is assigned to, or a manager, can change "
                               "its status.")
    with transaction.atomic():
        if {"assignee_id", "due"} & changes.keys():
            assignee = todo.assignee
            if "assignee_id" in changes:
                assignee = _member(todo.team, changes["assignee_id"])
                if changes["assignee_id"] is not None and assignee is None:
                    # Like any object outside the person's reach: not found (nothing changed).
                    return _error(404, f"No member {changes['assignee_id']} in the to-do's "
                                       "team: the assignee must be one of its members.")
            todo_services.todo_assign(todo=todo, assignee=assignee,
                                      due=changes.get("due", todo.due), by=request.user)
        if changes.get("status"):
            todo_services.todo_set_status(todo=todo, status=changes["status"], by=request.user)
    todo.refresh_from_db()
    return _todo(todo)


def _member(team: Team, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    found = Membership.objects.filter(team=team, user_id=user_id).select_related("user").first()
    return found.user if found else None


def _webhook(hook: Webhook) -> dict:
    return {"id": hook.pk, "team": hook.team.slug, "url": hook.url, "events": hook.events,
            "active": hook.active, "created_at": hook.created_at}


@api.get("/webhooks", response={200: list[schemas.WebhookOut], **ERRORS},
         url_name="api-webhooks")
def webhook_list(request):
    """The webhooks of the teams you are an admin of."""
    hooks = Webhook.objects.for_user(request.user, min_role=Role.ADMIN).select_related("team")
    return [_webhook(h) for h in hooks]


@api.post("/webhooks", response={201: schemas.WebhookCreatedOut, 400: schemas.Error,
                                 403: schemas.Error, **ERRORS}, url_name="api-webhook-create")
def webhook_create(request, payload: schemas.WebhookIn):
    """Tell an address about a team's events (admins). The secret is returned only now."""
    team = get_for_user(Team.objects, request.user, slug=payload.team)
    try:
        hook = services.webhook_create(team=team, user=request.user, url=payload.url,
                                       events=payload.events)
    except PermissionError as exc:
        return _error(403, str(exc))
    except services.ApiInputError as exc:
        return _error(400, str(exc))
    return Status(201, {**_webhook(hook), "secret": hook.secret})


@api.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS},
            url_name="api-webhook")
def webhook_delete(request, webhook_id: int = Id):
    hook = get_for_user(Webhook.objects, request.user, min_role=Role.ADMIN, pk=webhook_id)
    services.webhook_delete(webhook=hook)
    return Status(204, None)
