"""The catalog: resources from a form, from a CSV or JSON file (all rows or none), or from one
of the team's recorded meetings."""

import csv
import io
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse

from assistant.models import Team, User
from meetings.models import Meeting

from .models import LEVELS, MAX_LEVEL, Resource, Skill

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 10_000
COLUMNS = ("title", "url", "kind", "duration", "skills", "level", "description")
LEVEL_NAMES = {name.lower(): value for value, name in LEVELS if value}


class ImportFailed(ValueError):
    """Some rows were wrong; nothing was imported. `errors` lists them, by row number."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported")
        self.errors = errors


@dataclass
class Row:
    resource: Resource
    skills: list[Skill]


def _rows_from(name: str, data: bytes) -> list[dict]:
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportFailed([f"The file is larger than {IMPORT_MAX_BYTES // 2**20} MB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(["The file is not UTF-8 text."]) from None
    if name.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailed([f"The JSON is not valid: {exc.msg} (line {exc.lineno})."]) from None
        if isinstance(rows, dict):
            rows = rows.get("resources")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ImportFailed(['JSON must be a list of objects (or {"resources": [...]}).'])
        return rows
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "title" not in header:
        raise ImportFailed([f"The CSV needs a header row with at least “title”; columns are "
                            f"{', '.join(COLUMNS)}."])
    reader.fieldnames = header
    return list(reader)


def _level(value) -> int:
    if value in (None, ""):
        return 1
    text = str(value).strip().lower()
    if text in LEVEL_NAMES:
        return LEVEL_NAMES[text]
    if text.isdigit() and 1 <= int(text) <= MAX_LEVEL:
        return int(text)
    raise ValidationError(f"level “{value}” is not 1–4 or one of {', '.join(LEVEL_NAMES)}")


def _skills(value, known: dict[str, Skill]) -> list[Skill]:
    names = value if isinstance(value, list) else str(value or "").split(";")
    names = [str(n).strip() for n in names if str(n).strip()]
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        raise ValidationError(f"unknown skill(s) {', '.join(unknown)}: add them under Skills "
                              "first")
    return [known[n.lower()] for n in names]


def _row(team: Team, data: dict, known: dict[str, Skill], by: User) -> Row:
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationError("a title is required")
    kind = str(data.get("kind") or "article").strip().lower()
    if kind not in Resource.Kind.values or kind == Resource.Kind.MEETING:
        raise ValidationError(f"kind “{kind}” is not one of "
                              f"{', '.join(k for k in Resource.Kind.values if k != 'meeting')}")
    url = str(data.get("url") or "").strip()
    if url:
        URLValidator(schemes=["http", "https"])(url)
    duration = data.get("duration") or data.get("duration_minutes") or None
    if duration is not None and not str(duration).strip().isdigit():
        raise ValidationError(f"duration “{duration}” is not a whole number of minutes")
    resource = Resource(team=team, title=title[:200], url=url, kind=kind,
                        duration_minutes=int(duration) if duration is not None else None,
                        level=_level(data.get("level")),
                        description=str(data.get("description") or "").strip(), created_by=by)
    return Row(resource, _skills(data.get("skills"), known))


def resources_import(*, team: Team, name: str, data: bytes, by: User) -> list[Resource]:
    """Import every row, or none: ImportFailed lists each bad row."""
    rows = _rows_from(name, data)
    if not rows:
        raise ImportFailed(["The file has no rows."])
    if len(rows) > IMPORT_MAX_ROWS:
        raise ImportFailed([f"At most {IMPORT_MAX_ROWS} rows at a time."])
    known = {s.name.lower(): s for s in Skill.objects.filter(team=team)}
    parsed, errors = [], []
    for number, data in enumerate(rows, start=1):
        try:
            parsed.append(_row(team, data, known, by))
        except ValidationError as exc:
            errors.append(f"Row {number}: {'; '.join(exc.messages)}.")
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        created = Resource.objects.bulk_create([r.resource for r in parsed])
        Through = Resource.skills.through
        Through.objects.bulk_create([Through(resource_id=res.pk, skill_id=s.pk)
                                     for res, row in zip(created, parsed, strict=True)
                                     for s in row.skills])
    return created


def meeting_text(meeting: Meeting) -> str:
    """What a recorded meeting teaches: its minutes' summary and decisions."""
    parts = []
    minutes = getattr(meeting, "minutes", None)
    body = minutes.current.body if minutes and minutes.current else {}
    parts += [line.get("text", "") for line in body.get("summary") or []]
    parts += [d.text for d in meeting.decisions.all()[:10]]
    return " ".join(p for p in parts if p)[:2000]


def resource_from_meeting(*, team: Team, meeting: Meeting, level: int, skills: list[Skill],
                          by: User) -> Resource:
    if meeting.team_id != team.pk:
        raise ValidationError("That meeting belongs to another team.")
    with transaction.atomic():
        resource = Resource.objects.create(
            team=team, title=meeting.title, kind=Resource.Kind.MEETING, meeting=meeting,
            url=reverse("meeting-detail", args=[meeting.pk]), level=level,
            duration_minutes=round(meeting.duration / 60) if meeting.duration else None,
            description=meeting_text(meeting) or f"The team's meeting of {meeting.held_on}.",
            created_by=by)
        resource.skills.set(skills)
    return resource
