"""A past meeting's transcript and minutes translated with the team's text-translation slots.

Each segment goes from its own spoken language to the chosen one: through the team's pair for
it (`de-fr`), else through English when the team has both halves (`de-en` + `en-fr`). The job
translates everything first and writes the row once, so a failure leaves no half translation.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from assistant.jobs import JobError, Progress, job_create
from assistant.models import Job, Team, User

from .models import Meeting, MeetingTranslation, Minutes
from .rooms import LANGUAGES, translation_pairs

TRANSLATE = "meetings.translate"
BATCH = 16  # texts per model call: progress moves and memory stays small
NAMES = dict(LANGUAGES[1:])


def language_name(code: str) -> str:
    return NAMES.get(code, code)


def route(source: str, target: str, pairs: set[str]) -> list[str] | None:
    """The pairs that take `source` to `target` ([] when they are the same), or None."""
    if source == target:
        return []
    if f"{source}-{target}" in pairs:
        return [f"{source}-{target}"]
    if f"{source}-en" in pairs and f"en-{target}" in pairs:
        return [f"{source}-en", f"en-{target}"]
    return None


def meeting_languages(*, meeting: Meeting) -> set[str]:
    """The languages the meeting's segments were spoken in (the meeting's own if unknown)."""
    spoken = set(meeting.segments.exclude(language="").values_list("language", flat=True))
    return spoken or {meeting.language or "en"}


def translation_targets(*, meeting: Meeting) -> list[tuple[str, str]]:
    """(code, name) of every language the team's slots can take this whole meeting to."""
    pairs = set(translation_pairs(team=meeting.team))
    if not pairs:
        return []
    spoken = meeting_languages(meeting=meeting)
    targets = {p.split("-")[1] for p in pairs}
    reachable = [t for t in sorted(targets)
                 if all(route(s, t, pairs) is not None for s in spoken) and spoken != {t}]
    return [(code, language_name(code)) for code in reachable]


def translation_queue(*, meeting: Meeting, language: str, user: User | None) -> MeetingTranslation:
    """Queue (again) the meeting's translation into `language` on the text workers."""
    if language not in dict(translation_targets(meeting=meeting)):
        raise ValueError(f"The team has no translation model that reaches “{language}”: an "
                         "admin can add one on the Models page.")
    with transaction.atomic():
        translation, _ = MeetingTranslation.objects.get_or_create(meeting=meeting,
                                                                  language=language)
        translation.job = job_create(
            team=meeting.team, owner=user, kind=TRANSLATE,
            title=f"“{meeting.title}” in {language_name(language)}",
            params={"meeting": meeting.pk, "language": language})
        translation.save(update_fields=["job", "updated_at"])
    return translation


def _minutes_texts(meeting: Meeting) -> tuple[dict[str, list[str]], list[int]]:
    minutes = Minutes.objects.filter(meeting=meeting).select_related("current").first()
    body = minutes.current.body if minutes and minutes.current else {}
    texts = {"title": [body["title"]] if body.get("title") else []}
    for key in ("summary", "decisions", "open_questions"):
        texts[key] = [item["text"] if isinstance(item, dict) else str(item)
                      for item in body.get(key) or []]
    items = list(meeting.action_items.order_by("pk").values_list("pk", "task"))
    texts["items"] = [task for _, task in items]
    return texts, [pk for pk, _ in items]


def meeting_translate(*, job: Job, progress: Progress) -> dict:
    """The body of the `meetings.translate` job (text queue)."""
    from assistant.ai import translate
    from assistant.slots import slot_config

    language = job.params["language"]
    meeting = Meeting.objects.filter(pk=job.params["meeting"], team=job.team).first()
    if meeting is None:
        raise JobError("The meeting was deleted before it could be translated.")
    team: Team = meeting.team
    pairs = set(translation_pairs(team=team))
    segments = list(meeting.segments.order_by("index").values_list("pk", "language", "text"))
    minutes, item_ids = _minutes_texts(meeting)
    # Minutes are written in the meeting's main language.
    main = meeting.language or max(meeting_languages(meeting=meeting))
    work: list[tuple[str, str]] = [(lang or main, text) for _, lang, text in segments]
    work += [(main, text) for texts in minutes.values() for text in texts]
    done: list[str | None] = [None] * len(work)
    by_source: dict[str, list[int]] = {}
    for i, (source, _) in enumerate(work):
        by_source.setdefault(source, []).append(i)
    total = max(1, len(work))
    finished = 0
    for source, indexes in by_source.items():
        steps = route(source, language, pairs)
        if steps is None:
            raise JobError(f"The team has no translation model from {language_name(source)} "
                           f"to {language_name(language)}: an admin can add one on the "
                           f"Models page.")
        for at in range(0, len(indexes), BATCH):
            chunk = indexes[at:at + BATCH]
            texts = [work[i][1] for i in chunk]
            for pair in steps:
                texts = translate(slot_config(team=team, kind="translation", pair=pair), texts)
            for i, text in zip(chunk, texts, strict=True):
                done[i] = text
            finished += len(chunk)
            progress(95 * finished / total, stage=f"Translating from {language_name(source)}")
    by_segment = {str(pk): done[i] for i, (pk, _, _) in enumerate(segments)}
    translated_minutes, at = {}, len(segments)
    for key, texts in minutes.items():
        translated_minutes[key] = done[at:at + len(texts)]
        at += len(texts)
    translated_minutes["items"] = dict(zip(map(str, item_ids), translated_minutes["items"],
                                           strict=False))
    with transaction.atomic():
        updated = MeetingTranslation.objects.filter(meeting=meeting, language=language).update(
            segments=by_segment, minutes=translated_minutes, updated_at=timezone.now())
        if not updated:
            raise JobError("The translation was deleted while it was being made.")
    return {"segments": len(segments), "language": language}
