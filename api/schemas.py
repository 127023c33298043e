"""What the API sends and accepts (these shape the OpenAPI description)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StringConstraints

# Text without NUL characters (PostgreSQL cannot store them), and the largest row id.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
MAX_ID = 2**63 - 1


class Error(Schema):
    detail: str | list


class TeamOut(Schema):
    slug: str
    name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    teams: list[TeamOut]


class JobOut(Schema):
    id: UUID
    kind: str
    title: str
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    stage: str
    progress: int = Field(ge=0, le=100)
    error: str
    attempts: int
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class MeetingOut(Schema):
    id: int
    team: str
    title: str
    held_on: date
    language: str
    status: Literal["processing", "ready", "failed"]
    duration: float | None
    audio_name: str
    has_audio: bool
    job: JobOut | None
    has_minutes: bool


class SegmentOut(Schema):
    index: int
    start: float
    end: float
    speaker: str | None
    text: str
    language: str


class TranscriptOut(Schema):
    meeting: int
    segments: list[SegmentOut]


class ActionItemOut(Schema):
    id: int
    task: str
    owner: str | None
    owner_id: int | None
    due: date | None
    status: str
    quote: str
    start: float | None


class MinutesOut(Schema):
    meeting: int
    title: str
    summary: list | str
    decisions: list
    open_questions: list
    attendees: list
    action_items: list[ActionItemOut]
    edited_by_a_person: bool
    updated_at: datetime


TodoStatus = Literal["open", "in_progress", "blocked", "done"]


class TodoOut(Schema):
    id: int
    team: str
    title: str
    status: TodoStatus
    due: date | None
    assignee_id: int | None
    assignee_email: str | None
    meeting: int | None
    updated_at: datetime


class TodoPatch(Schema):
    """Only the fields sent change. Status: the assignee or a manager; assignee and due: a
    manager of the to-do's team."""

    status: TodoStatus | None = None
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID)
    due: date | None = None


class WebhookIn(Schema):
    team: Text = Field(description="The team's slug; you must be its admin.")
    url: str = Field(max_length=500, pattern=r"^https?://[^\x00\s]+$",
                     description="Where to POST the events: https://…")
    events: list[Literal["minutes.ready", "todo.assigned"]] = Field(
        default_factory=list, description="Empty: every event.")


class WebhookOut(Schema):
    id: int
    team: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown once: verify X-Assistant-Signature with it.")
