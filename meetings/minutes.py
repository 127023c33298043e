"""The minutes job and the minutes' versions: generated ones never overwrite a person's edit."""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api import webhooks
from assistant.jobs import JobError, Progress, job_create
from assistant.models import Job, User

from .models import ActionItem, Decision, Meeting, Minutes, MinutesVersion

log = logging.getLogger(__name__)

MINUTES = "meetings.minutes"
BODY_KEYS = ("title", "summary", "decisions", "open_questions", "attendees")


def minutes_queue(*, meeting: Meeting, user: User | None) -> Job:
    """Queue (again) the minutes of a meeting on the text workers."""
    with transaction.atomic():
        minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
        minutes.job = job_create(team=meeting.team, owner=user, kind=MINUTES,
                                 title=f"Minutes of “{meeting.title}”",
                                 params={"meeting": meeting.pk})
        minutes.save(update_fields=["job", "updated_at"])
    return minutes.job


def roster_for(meeting: Meeting) -> list[dict]:
    """The team's members as the extraction's roster; names said for speakers join as aliases."""
    roster = []
    for membership in meeting.team.memberships.select_related("user"):
        user = membership.user
        roster.append({"name": user.display_name, "email": user.email,
                       "aliases": [user.name.split()[0]] if user.name else []})
    return roster


def segments_for(meeting: Meeting) -> list[dict]:
    return [{"start": s.start, "end": s.end, "speaker": s.speaker.name if s.speaker else None,
             "text": s.text}
            for s in meeting.segments.select_related("speaker", "speaker__member")]


class ModelBudgetSpent(Exception):
    """The minutes' time for the small model is used up: the extracted wording stands."""


def text_generator(team=None, *, seconds: float | None = None):
    """The team's text model (the embedded one without a team) as the callable the extraction
    may polish with, refusing once `seconds` (MINUTES_MODEL_SECONDS) have passed since its
    first call: the model only rewords, so a long meeting's minutes never wait for it."""
    from assistant.ai import SlotConfig, generate_text
    from assistant.slots import slot_config

    config = slot_config(team=team, kind="text") if team is not None else SlotConfig("text")
    budget = settings.MINUTES_MODEL_SECONDS if seconds is None else seconds
    deadline: list[float] = []

    def generate(prompt, **options) -> str:
        now = time.monotonic()
        deadline[:] = deadline or [now + budget]
        if now >= deadline[0]:
            raise ModelBudgetSpent(f"the model's {budget:.0f} s for these minutes are spent")
        return generate_text(config, prompt, **options)

    return generate


def meeting_minutes(*, job: Job, progress: Progress) -> dict:
    """The body of the `meetings.minutes` job (text queue)."""
    from .extraction import extract_minutes

    meeting = Meeting.objects.filter(pk=job.params["meeting"], team=job.team).first()
    if meeting is None:
        raise JobError("The meeting was deleted before its minutes were written.")
    segments = segments_for(meeting)
    if not segments:
        raise JobError("There is no transcript to write minutes from yet.")
    progress(10, stage="Reading the transcript")
    result = extract_minutes(segments=segments, roster=roster_for(meeting),
                             meeting_date=meeting.held_on, time_zone=meeting.team.time_zone,
                             generate=text_generator(meeting.team))
    progress(90, stage="Saving the minutes")
    minutes_store(meeting=meeting, result=result)
    webhooks.minutes_ready(meeting)
    return {"action_items": len(result.get("action_items", [])),
            "decisions": len(result.get("decisions", []))}


def _member_by_name(meeting: Meeting) -> dict[str, User]:
    return {m.user.display_name: m.user
            for m in meeting.team.memberships.select_related("user")}


def _same_task(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


@transaction.atomic
def minutes_store(*, meeting: Meeting, result: dict) -> MinutesVersion:
    """Save a generated result: a new version, decisions, and fresh suggested items."""
    minutes, _ = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    body = {key: result.get(key) or ([] if key != "title" else meeting.title) for key in BODY_KEYS}
    version = MinutesVersion.objects.create(minutes=minutes, body=body)
    if not minutes.edited_by_a_person:
        minutes.current = version
        minutes.save(update_fields=["current", "updated_at"])
    meeting.decisions.all().delete()
    Decision.objects.bulk_create([
        Decision(meeting=meeting, text=d["text"], quote=d.get("quote", ""), start=d.get("start"))
        for d in result.get("decisions", [])])
    members = _member_by_name(meeting)
    reviewed = list(meeting.action_items.exclude(status=ActionItem.Status.SUGGESTED))
    meeting.action_items.filter(status=ActionItem.Status.SUGGESTED).delete()
    for item in result.get("action_items", []):
        owner = members.get(item.get("owner") or "")
        if any(_same_task(r.task, item["task"]) and r.owner == owner for r in reviewed):
            continue  # a manager already decided on this one
        ActionItem.objects.create(
            meeting=meeting, owner=owner, owner_name=item.get("owner") or "",
            task=item["task"][:300], due=item.get("due"), quote=item.get("quote", ""),
            start=item.get("start"), confidence=float(item.get("confidence", 0.5)))
    return version


def minutes_edit(*, minutes: Minutes, body: dict, user: User) -> MinutesVersion:
    """A person's edit becomes the current version; regenerating will not replace it."""
    clean = {key: body.get(key, []) for key in BODY_KEYS}
    with transaction.atomic():
        version = MinutesVersion.objects.create(minutes=minutes, body=clean, author=user,
                                                created_at=timezone.now())
        minutes.current = version
        minutes.save(update_fields=["current", "updated_at"])
    return version


def minutes_use_version(*, minutes: Minutes, version: MinutesVersion, user: User) -> None:
    """Make an earlier or newer version current again (as a person's choice)."""
    minutes_edit(minutes=minutes, body=version.body, user=user)
