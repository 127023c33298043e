"""Writes for record templates and records: versions, dictation intake, filling, review, saving."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from assistant.jobs import JobError, Progress, job_create
from assistant.models import Job, Role, Team, User

from .fill import fill_from_hearings, fill_record
from .records_models import Record, RecordChange, RecordTemplate, TemplateVersion
from .records_starters import STARTERS, TYPES

DICTATE = "reports.dictation"
FREE_TEXT = "reports.dictation_free_text"
DEFAULT_VISIBLE = [Role.MANAGER, Role.ADMIN]
MAX_TEXT = 20_000


class RecordError(ValueError):
    """Input refused before anything is stored; the message is for the person."""


# ---------------------------------------------------------------- templates


def fields_clean(fields: list[dict]) -> list[dict]:
    """Check and normalise a template's fields, or raise RecordError saying what is wrong."""
    if not fields:
        raise RecordError("A template needs at least one field.")
    out, names = [], set()
    for i, raw in enumerate(fields, 1):
        label = " ".join(str(raw.get("label") or "").split())
        if not label:
            raise RecordError(f"Field {i} needs a name.")
        name = raw.get("name") or slugify(label).replace("-", "_")
        name = re.sub(r"[^a-z0-9_]", "", str(name).lower())[:40]
        if not name or name in names:
            raise RecordError(f"Two fields are called “{label}”: give each its own name.")
        kind = raw.get("type")
        if kind not in TYPES:
            raise RecordError(f"“{label}” has no type: choose one of {', '.join(TYPES)}.")
        options = [o.strip() for o in raw.get("options") or [] if str(o).strip()]
        if kind == "choice" and len(options) < 2:
            raise RecordError(f"“{label}” is a choice: list at least two options.")
        names.add(name)
        out.append(
            {
                "name": name,
                "label": label,
                "type": kind,
                "required": bool(raw.get("required")),
                "hint": " ".join(str(raw.get("hint") or "").split()),
                "options": options if kind == "choice" else [],
                "unit": str(raw.get("unit") or "").strip() if kind == "number" else "",
            }
        )
    return out


def template_create(
    *,
    team: Team,
    user: User | None,
    name: str,
    fields: list[dict],
    visible_to: list[str] | None = None,
    use_model: bool = False,
    slug: str = "",
) -> RecordTemplate:
    """A new template with its first version."""
    name = " ".join(name.split())
    if not name:
        raise RecordError("Give the template a name.")
    fields = fields_clean(fields)
    slug = _free_slug(team, slugify(slug or name)[:50] or "template")
    with transaction.atomic():
        template = RecordTemplate.objects.create(
            team=team,
            name=name,
            slug=slug,
            created_by=user,
            use_model=use_model,
            visible_to=list(DEFAULT_VISIBLE if visible_to is None else visible_to),
        )
        TemplateVersion.objects.create(template=template, number=1, fields=fields, created_by=user)
    return template


def _free_slug(team: Team, slug: str) -> str:
    taken = set(RecordTemplate.objects.filter(team=team).values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def template_from_starter(*, team: Team, user: User | None, starter: str) -> RecordTemplate:
    if starter not in STARTERS:
        raise RecordError(f"There is no starter template called {starter}.")
    spec = STARTERS[starter]
    return template_create(
        team=team, user=user, name=spec["name"], fields=spec["fields"], slug=starter
    )


def template_update(
    *,
    template: RecordTemplate,
    user: User,
    name: str,
    fields: list[dict],
    visible_to: list[str],
    use_model: bool,
) -> TemplateVersion:
    """Save settings; changed fields make a new version (records keep the one they used)."""
    fields = fields_clean(fields)
    name = " ".join(name.split())
    if not name:
        raise RecordError("Give the template a name.")
    with transaction.atomic():
        template.name, template.visible_to, template.use_model = name, visible_to, use_model
        template.save(update_fields=["name", "visible_to", "use_model"])
        current = template.current
        if current.fields == fields:
            return current
        return TemplateVersion.objects.create(
            template=template, number=current.number + 1, fields=fields, created_by=user
        )


# ---------------------------------------------------------------- dictation intake


def record_from_text(
    *, template: RecordTemplate, user: User, text: str, recorded_on: dt.date | None = None
) -> Record:
    """Fill a new record from pasted text at once (the rules are quick); model step queued."""
    text = " ".join(text.split())
    if not text:
        raise RecordError("Paste the dictated text first.")
    if len(text) > MAX_TEXT:
        raise RecordError(f"The text is longer than {MAX_TEXT} characters: split it.")
    version = template.current
    recorded_on = recorded_on or timezone.localdate()
    filled = fill_record(
        text, version.fields, recorded_on=recorded_on, time_zone=template.team.time_zone
    )
    with transaction.atomic():
        record = Record.objects.create(
            team=template.team,
            template=template,
            version=version,
            author=user,
            source=Record.Source.TEXT,
            recorded_on=recorded_on,
            transcript=text,
            filled=filled,
            values=_values_of(filled),
            status=Record.Status.REVIEW,
        )
        _queue_free_text(record, user)
    return record


def record_from_audio(
    *,
    template: RecordTemplate,
    user: User,
    upload: UploadedFile,
    recorded_on: dt.date | None = None,
) -> Record:
    """Store the recording under a random name and queue its transcription and filling."""
    if not upload.size:
        raise RecordError("The recording is empty. Record or choose a file with sound in it.")
    name = (upload.name or "dictation").rsplit("/", 1)[-1][:255]
    record = Record(
        team=template.team,
        template=template,
        version=template.current,
        author=user,
        source=Record.Source.AUDIO,
        status=Record.Status.TRANSCRIBING,
        recorded_on=recorded_on or timezone.localdate(),
        audio_name=name,
    )
    record.audio.save(name, upload, save=False)
    try:
        with transaction.atomic():
            record.save()
            record.job = job_create(
                team=template.team,
                owner=user,
                kind=DICTATE,
                title=f"Transcribe the {template.name.lower()} dictation",
                params={"record": record.pk},
            )
            record.save(update_fields=["job"])
    except Exception:
        record.audio.delete(save=False)  # no orphaned file when the rows did not land
        raise
    return record


def record_dictation(*, job: Job, progress: Progress) -> dict:
    """The body of the `reports.dictation` job (speech queue): transcribe, then fill."""
    from meetings.audio import AudioRejected
    from meetings.pipeline import local_copy

    from .records_audio import dictation_hotwords, dictation_speech, transcribe_dictation

    record = (
        Record.objects.select_related("team", "version")
        .filter(pk=job.params["record"], team=job.team)
        .first()
    )
    if record is None:
        raise JobError("The dictation was deleted before it could be transcribed.")
    team = record.team
    with local_copy(record.audio) as path:
        try:
            transcript = transcribe_dictation(
                path,
                speech=dictation_speech(team),
                hotwords=dictation_hotwords(record.version.fields, team.glossary_terms),
                language=team.language or None,
                on_progress=lambda f, stage: progress(90 * f, stage=stage),
            )
        except AudioRejected as exc:
            Record.objects.filter(pk=record.pk).update(status=Record.Status.FAILED)
            raise JobError(str(exc)) from None
    progress(92, stage="Filling the form")
    hearings = transcript.get("hearings", [])
    filled = fill_from_hearings(
        [transcript["text"], *(h["text"] for h in hearings)],
        record.version.fields,
        recorded_on=record.recorded_on,
        time_zone=team.time_zone,
    )
    # The further hearings stay with the fill: a value taken from one links into its text.
    filled["model"] = transcript.get("model", "")
    filled["hearings"] = [
        {"model": h["model"], "text": h["text"], "segments": h["segments"]} for h in hearings
    ]
    with transaction.atomic():
        Record.objects.filter(pk=record.pk).update(
            transcript=transcript["text"],
            segments=transcript["segments"],
            filled=filled,
            values=_values_of(filled),
            status=Record.Status.REVIEW,
        )
        record.refresh_from_db()
        _queue_free_text(record, job.owner)
    return {"record": record.pk, "missing": filled["missing"]}


def _values_of(filled: dict) -> dict:
    return {name: f["value"] for name, f in filled["fields"].items()}


def _queue_free_text(record: Record, user: User | None) -> None:
    """Ask the small model about empty free-text fields, when the template allows it."""
    empty = [
        f
        for f in record.version.fields
        if f["type"] == "text" and record.filled["fields"][f["name"]]["value"] is None
    ]
    if record.template.use_model and empty and record.transcript:
        job_create(
            team=record.team,
            owner=user,
            kind=FREE_TEXT,
            title="Propose free-text fields",
            params={"record": record.pk},
        )


def record_free_text(*, job: Job, progress: Progress) -> dict:
    """The body of the `reports.dictation_free_text` job (text queue)."""
    from assistant.ai import generate_text
    from assistant.slots import slot_config

    from .fill_model import fill_free_text

    record = (
        Record.objects.select_related("team", "version")
        .filter(pk=job.params["record"], team=job.team)
        .first()
    )
    if record is None or record.status != Record.Status.REVIEW:
        return {"skipped": True}
    config = slot_config(team=record.team, kind="text")
    progress(10, stage="Asking the small model")
    filled = fill_free_text(
        record.filled,
        record.transcript,
        record.version.fields,
        generate=lambda prompt, **kw: generate_text(config, prompt, **kw),
    )
    with transaction.atomic():
        fresh = Record.objects.select_for_update().get(pk=record.pk)
        if fresh.status != Record.Status.REVIEW:
            return {"skipped": True}  # saved meanwhile: the person's values stand
        for name, field in filled["fields"].items():
            if field["method"] == "model" and fresh.values.get(name) in (None, "", []):
                fresh.values[name] = field["value"]
        fresh.filled = filled
        fresh.save(update_fields=["filled", "values", "updated_at"])
    return {
        "record": record.pk,
        "proposed": [n for n, f in filled["fields"].items() if f["method"] == "model"],
    }


# ---------------------------------------------------------------- review and save


def record_save(*, record: Record, user: User, values: dict) -> Record:
    """Save the reviewed values (already typed by the form); every change is kept."""
    missing = [
        f["label"]
        for f in record.version.fields
        if f["required"] and values.get(f["name"]) in (None, "", [])
    ]
    if missing:
        raise RecordError("Fill in the required fields: " + ", ".join(missing) + ".")
    before = (
        record.values if record.status == Record.Status.SAVED else record.filled.get("fields", {})
    )
    if record.status != Record.Status.SAVED:
        before = {name: f.get("value") for name, f in before.items()}
    changes = {
        name: [before.get(name), value]
        for name, value in values.items()
        if before.get(name) != value
    }
    first = record.status != Record.Status.SAVED
    with transaction.atomic():
        record.values = values
        record.status = Record.Status.SAVED
        record.saved_at = record.saved_at or timezone.now()
        record.search_text = _search_text(values, record.transcript)
        record.save(update_fields=["values", "status", "saved_at", "search_text", "updated_at"])
        if first or changes:
            RecordChange.objects.create(
                record=record, user=user, what="saved" if first else "edited", changes=changes
            )
    return record


def _search_text(values: dict, transcript: str) -> str:
    parts = []
    for value in values.values():
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(str(p) for p in parts if p not in (None, "")) + "\n" + transcript


def record_delete(*, record: Record) -> None:
    audio = record.audio.name if record.audio else ""
    storage = record.audio.storage
    with transaction.atomic():
        if record.job_id:
            Job.objects.filter(
                pk=record.job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
            ).update(status=Job.Status.CANCELLED, finished_at=timezone.now())
        record.delete()
        if audio:
            transaction.on_commit(lambda: storage.delete(audio))
