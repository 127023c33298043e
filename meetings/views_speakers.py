"""Naming and merging a meeting's speakers; a member's own voice sample."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assistant.jobs import JobError
from assistant.models import Membership, Role
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import speakers as services
from .models import Speaker, VoiceProfile


@team_required()
@require_POST
def speaker_rename(request, pk: int):
    speaker = get_for_user(Speaker.objects.select_related("meeting"), request.user, pk=pk)
    member = None
    if request.POST.get("member"):
        membership = Membership.objects.filter(team=speaker.meeting.team,
                                               user_id=request.POST["member"]).first()
        if membership is None:
            messages.error(request, "Choose someone from this team.")
            return redirect("meeting-detail", pk=speaker.meeting_id)
        member = membership.user
    enroll = bool(request.POST.get("enroll"))
    if enroll and member is not None and member != request.user \
            and not request.membership.has_role(Role.MANAGER):
        messages.error(request, "Only managers can save someone else's voice.")
        enroll = False
    services.speaker_rename(speaker=speaker, member=member, label=request.POST.get("label", ""),
                            enroll=enroll)
    messages.success(request, f"Renamed to {speaker.name} in the whole meeting."
                     + (" Their voice was saved for next time." if enroll and member else ""))
    return redirect("meeting-detail", pk=speaker.meeting_id)


@team_required()
@require_POST
def speaker_merge(request, pk: int):
    source = get_for_user(Speaker.objects, request.user, pk=pk)
    if not request.POST.get("into"):
        messages.error(request, "Choose the speaker to merge into.")
        return redirect("meeting-detail", pk=source.meeting_id)
    target = get_for_user(Speaker.objects, request.user, pk=request.POST.get("into", ""),
                          meeting_id=source.meeting_id)
    name = source.name
    services.speakers_merge(source=source, target=target)
    messages.success(request, f"{name} merged into {target.name}.")
    return redirect("meeting-detail", pk=target.meeting_id)


@team_required()
def voice(request):
    """Your enrolled voice: record or upload a sample, replace it, delete it."""
    profile = VoiceProfile.objects.filter(user=request.user).first()
    job = None
    if request.method == "POST":
        upload = request.FILES.get("audio")
        if upload is None:
            messages.error(request, "Choose or record a voice sample first.")
        else:
            try:
                job = services.voice_enroll(user=request.user, team=request.team, upload=upload)
            except JobError as exc:
                messages.error(request, str(exc))
        if request.headers.get("X-Requested-With") == "XMLHttpRequest" and job:
            return render(request, "assistant/partials/job.html", {"job": job})
        if job:
            messages.info(request, "Voice sample received; learning it takes a few seconds.")
        return redirect("voice")
    return render(request, "meetings/voice.html", {"profile": profile})


@team_required()
@require_POST
def voice_delete(request):
    if services.voice_delete(user=request.user):
        messages.success(request, "Your voice sample and what was learnt from it are deleted.")
    return redirect("voice")
