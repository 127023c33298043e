"""Live rooms: the list, a room's page, joining, inviting, chat, microphone audio, the end."""

from __future__ import annotations

from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render

from assistant.selectors import get_for_user
from assistant.views import team_required

from . import rooms
from .live_stream import aroom_events, room_events
from .models import Caption, Participant, Room


def _room(request, pk: int) -> Room:
    return get_for_user(Room.objects.select_related("team", "host"), request.user, pk=pk)


def _seat(room: Room, user) -> Participant | None:
    return Participant.objects.filter(room=room, user=user).first()


@team_required()
def room_list(request):
    if request.method == "POST":
        room = rooms.room_create(team=request.team, host=request.user,
                                 title=request.POST.get("title", ""),
                                 caption_language=_language(request))
        return redirect("room-detail", pk=room.pk)
    return render(request, "meetings/rooms/list.html", {
        "rooms": rooms.rooms_for_team(team=request.team)[:50],
        "languages": rooms.LANGUAGES,
    })


def _language(request) -> str:
    language = request.POST.get("caption_language", "")
    return language if language in dict(rooms.LANGUAGES) else ""


@team_required()
def room_detail(request, pk: int):
    room = _room(request, pk)
    seat = _seat(room, request.user)
    captions = []
    if not room.is_open:
        captions = (Caption.objects.filter(room=room, final=True).exclude(text="")
                    .select_related("participant__user"))
    return render(request, "meetings/rooms/detail.html", {
        "room": room, "seat": seat, "languages": rooms.LANGUAGES, "captions": captions,
        "is_host": room.host_id == request.user.pk,
        "members": [m.user for m in room.team.memberships.select_related("user")
                    if m.user_id != request.user.pk],
        "pairs": rooms.translation_pairs(team=room.team),
    })


@team_required()
def room_join(request, pk: int):
    room = _room(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        rooms.room_join(room=room, user=request.user, caption_language=_language(request))
    except rooms.RoomError as exc:
        messages.error(request, str(exc))
    return redirect("room-detail", pk=room.pk)


@team_required()
def room_invite(request, pk: int):
    room = _room(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ids = request.POST.getlist("member")
    users = [m.user for m in room.team.memberships.select_related("user")
             if str(m.user_id) in ids]
    sent = rooms.room_invite(room=room, by=request.user, users=users)
    messages.success(request, f"Invitation sent to {sent} people." if sent
                     else "Choose who to invite.")
    return redirect("room-detail", pk=room.pk)


@team_required()
def room_end(request, pk: int):
    room = _room(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        rooms.room_end(room=room, by=request.user)
    except rooms.RoomError as exc:
        messages.error(request, str(exc))
    return redirect("room-detail", pk=room.pk)


@team_required()
def room_chat(request, pk: int):
    room = _room(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    seat = _seat(room, request.user)
    try:
        if seat is None:
            raise rooms.RoomError("Join the room first.")
        rooms.chat_post(participant=seat, text=request.POST.get("text", ""))
    except rooms.RoomError as exc:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(str(exc), status=400, content_type="text/plain")
        messages.error(request, str(exc))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect("room-detail", pk=room.pk)


@team_required()
def room_audio(request, pk: int):
    """One piece of the microphone: raw 16 kHz mono 16-bit PCM, ?capture=ID&at=SAMPLE."""
    room = _room(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect("room-detail", pk=room.pk)  # only the room's script sends audio
    seat = _seat(room, request.user)
    if seat is None:
        return HttpResponse("Join the room first.", status=403, content_type="text/plain")
    try:
        at = int(request.GET.get("at", "-1"))
        rooms.audio_append(participant=seat, pcm=request.body,
                           capture=request.GET.get("capture", "")[:40], at=at)
    except ValueError as exc:  # RoomError included
        status = 409 if not room.is_open else 400
        return HttpResponse(str(exc), status=status, content_type="text/plain")
    return HttpResponse(status=204)


@team_required()
def room_stream(request, pk: int):
    """Server-sent events: captions in the participant's language, presence, the end."""
    room = _room(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    seat = _seat(room, request.user)
    if seat is None:
        raise Http404("Join the room first.")
    events = (aroom_events(seat.pk) if isinstance(request, ASGIRequest)
              else room_events(seat.pk))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
