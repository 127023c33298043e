import mimetypes

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assistant.models import Role
from assistant.ranged import ranged_response
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import exports, services
from .forms import MeetingForm, SegmentForm, UploadForm
from .models import Meeting, Segment
from .selectors import meetings_for_team, meetings_search, segments_for_display, transcript
from .translations import translation_targets


@team_required()
def meeting_list(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "form": UploadForm()}
    if query:
        context["hits"] = meetings_search(team=request.team, query=query)
    else:
        context["meetings"] = meetings_for_team(team=request.team)[:100]
    if request.htmx and request.htmx.target == "meeting-results":
        return render(request, "meetings/list.html#results", context)
    return render(request, "meetings/list.html", context)


@team_required()
def meeting_upload(request):
    """The upload form; answers the JS uploader with the job partial, or a page without JS."""
    if request.method != "POST":
        return render(request, "meetings/upload.html", {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if request.htmx or request.headers.get("X-Requested-With") == "XMLHttpRequest":
            return render(request, "meetings/partials/upload_errors.html", {"form": form},
                          status=400)
        return render(request, "meetings/upload.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        meeting = services.meeting_create(team=request.team, user=request.user,
                                          upload=data["audio"], title=data["title"],
                                          held_on=data["held_on"], language=data["language"])
    except services.IntakeError as exc:
        form.add_error("audio", str(exc))
        return render(request, "meetings/upload.html", {"form": form}, status=400)
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return render(request, "meetings/partials/processing.html", {"meeting": meeting})
    return redirect("meeting-detail", pk=meeting.pk)


@team_required()
def meeting_detail(request, pk: int):
    meeting = get_for_user(Meeting.objects.select_related("team", "created_by"), request.user,
                           pk=pk)
    segments = segments_for_display(segments=transcript(meeting=meeting))
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "segments": segments,
        "speakers": list(meeting.speakers.select_related("member")),
        "team_members": meeting.team.memberships.select_related("user"),
        "edit_form": MeetingForm(initial={"title": meeting.title, "held_on": meeting.held_on}),
        "formats": exports.FORMATS,
        "targets": translation_targets(meeting=meeting) if segments else [],
    })


@team_required()
@require_POST
def meeting_update(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        meeting.title = form.cleaned_data["title"]
        meeting.held_on = form.cleaned_data["held_on"]
        meeting.save(update_fields=["title", "held_on", "updated_at"])
        messages.success(request, "Meeting details saved.")
    else:
        messages.error(request, "Give the meeting a title and a valid date.")
    return redirect("meeting-detail", pk=meeting.pk)


@team_required()
def meeting_status(request, pk: int):
    """Polled while the meeting is processed; reloads the page when it is ready."""
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    response = render(request, "meetings/partials/processing.html", {"meeting": meeting})
    if meeting.job is None or meeting.job.has_ended:
        response.status_code = 286
        # On the meeting's own page, reload to show the transcript; elsewhere the
        # partial's link to it is enough.
        on_its_page = reverse("meeting-detail", args=[meeting.pk]) in (
            request.headers.get("HX-Current-URL") or "")
        if meeting.status == Meeting.Status.READY and on_its_page:
            response["HX-Refresh"] = "true"
    return response


def _can_manage(request, meeting: Meeting) -> bool:
    return meeting.created_by_id == request.user.pk or request.membership.has_role(Role.MANAGER)


@team_required()
@require_POST
def meeting_delete(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    if not _can_manage(request, meeting):
        messages.error(request,
                       "Only the person who added this meeting or a manager can delete it.")
        return redirect("meeting-detail", pk=meeting.pk)
    title = meeting.title
    services.meeting_delete(meeting=meeting)
    messages.success(request, f"“{title}” and everything made from it were deleted.")
    return redirect("meeting-list")


@team_required()
@require_POST
def meeting_retranscribe(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    if not meeting.has_audio:
        messages.error(request, "The recording was deleted, so it cannot be transcribed again.")
    elif meeting.job and not meeting.job.has_ended:
        messages.info(request, "This meeting is already being processed.")
    else:
        services.meeting_retranscribe(meeting=meeting, user=request.user)
        messages.info(request, "Transcribing again. Edited segments will be replaced.")
    return redirect("meeting-detail", pk=meeting.pk)


@team_required()
def meeting_audio(request, pk: int):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    if not meeting.has_audio:
        raise Http404("This recording was deleted; its transcript remains.")
    content_type = mimetypes.guess_type(meeting.audio_name)[0] or "application/octet-stream"
    return ranged_response(request, meeting.audio, content_type, meeting.audio_name)


@team_required()
def meeting_export(request, pk: int, fmt: str):
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    if fmt not in exports.FORMATS:
        raise Http404("No such export format")
    content_type, suffix = exports.FORMATS[fmt]
    response = HttpResponse(exports.export(meeting, fmt), content_type=content_type)
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in meeting.title)[:80].strip()
    response["Content-Disposition"] = f'attachment; filename="{safe or "transcript"}.{suffix}"'
    return response


@team_required()
def segment_edit(request, pk: int):
    segment = get_for_user(Segment.objects.select_related("meeting", "speaker"), request.user,
                           pk=pk)
    if request.method == "POST":
        form = SegmentForm(request.POST)
        if form.is_valid():
            try:
                services.segment_edit(segment=segment, text=form.cleaned_data["text"],
                                      user=request.user)
                return _segment(request, segment)
            except services.IntakeError as exc:
                form.add_error("text", str(exc))
        return render(request, "meetings/partials/segment_form.html",
                      {"segment": segment, "form": form}, status=400)
    if request.GET.get("cancel"):
        return _segment(request, segment)
    return render(request, "meetings/partials/segment_form.html",
                  {"segment": segment, "form": SegmentForm(initial={"text": segment.text})})


def _segment(request, segment: Segment) -> HttpResponse:
    (segment,) = segments_for_display(segments=[segment])
    return render(request, "meetings/partials/segment.html", {"segment": segment})


@team_required()
def segment_history(request, pk: int):
    segment = get_for_user(Segment.objects, request.user, pk=pk)
    return render(request, "meetings/partials/segment_history.html", {
        "segment": segment, "revisions": segment.revisions.select_related("edited_by")})
