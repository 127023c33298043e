"""A meeting's transcript and minutes in another language, side by side with the original."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assistant.selectors import get_for_user
from assistant.views import team_required

from .models import Meeting, MeetingTranslation, Minutes
from .selectors import transcript
from .translations import language_name, translation_queue, translation_targets


@team_required()
@require_POST
def meeting_translate(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    language = request.POST.get("language", "")
    if not meeting.segments.exists():
        messages.error(request, "There is no transcript yet to translate.")
        return redirect("meeting-detail", pk=meeting.pk)
    try:
        translation_queue(meeting=meeting, language=language, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("meeting-detail", pk=meeting.pk)
    return redirect("meeting-translation", pk=meeting.pk, language=language)


@team_required()
def meeting_translation(request, pk: int, language: str):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    translation = (MeetingTranslation.objects.filter(meeting=meeting, language=language)
                   .select_related("job").first())
    if translation is None:
        raise Http404("This meeting has not been translated into that language.")
    minutes = Minutes.objects.filter(meeting=meeting).select_related("current").first()
    body = minutes.current.body if minutes and minutes.current else {}
    done = translation.job is None or translation.job.status == "succeeded"
    lines = translation.segments or {}
    rows = [(segment, lines.get(str(segment.pk), "")) for segment in transcript(meeting=meeting)]
    translated = translation.minutes or {}
    items = [(item, (translated.get("items") or {}).get(str(item.pk), ""))
             for item in meeting.action_items.order_by("pk")]
    sections = []
    for key, heading in (("summary", "Summary"), ("decisions", "Decisions"),
                         ("open_questions", "Open questions")):
        originals = [i["text"] if isinstance(i, dict) else str(i) for i in body.get(key) or []]
        sections.append((heading, list(zip(originals, translated.get(key) or [], strict=False))))
    return render(request, "meetings/translation.html", {
        "meeting": meeting, "translation": translation, "done": done and bool(lines),
        "language_name": language_name(language), "rows": rows, "sections": sections,
        "title": (translated.get("title") or [""])[0] if translated.get("title") else "",
        "items": items, "targets": translation_targets(meeting=meeting),
    })
