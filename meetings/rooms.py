"""Live rooms: create, join, invite, presence, chat, microphone audio in, and the end.

The web process only stores what arrives; the `live` worker (meetings/live.py) turns the
audio into captions and translates. Every caption change takes the room's next revision, so a
participant's stream (meetings/live_stream.py) asks for "everything after N".
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from assistant.models import ModelSlot, Team, User

from .models import Caption, Participant, Room, RoomAudio

log = logging.getLogger(__name__)

RATE = 16000
MAX_CHUNK_BYTES = 2 * RATE  # one second of 16-bit mono
PRESENT_FOR = timedelta(seconds=20)
PUMP_LEASE = timedelta(seconds=15)
LANGUAGES = [("", "As spoken"), ("en", "English"), ("de", "German"), ("fr", "French"),
             ("es", "Spanish"), ("it", "Italian"), ("nl", "Dutch"), ("pt", "Portuguese"),
             ("pl", "Polish"), ("uk", "Ukrainian"), ("tr", "Turkish")]


class RoomError(ValueError):
    """A request the room refuses; the message is for the person."""


# --- reads -----------------------------------------------------------------------------

def rooms_for_team(*, team: Team) -> QuerySet[Room]:
    return Room.objects.filter(team=team).select_related("host")


def participants_present(*, room: Room) -> list[Participant]:
    """Who is in the room now: seen by their caption stream within the last seconds."""
    since = timezone.now() - PRESENT_FOR
    return list(room.participants.filter(last_seen_at__gte=since).select_related("user"))


def translation_pairs(*, team: Team) -> list[str]:
    """The team's text-translation pairs, such as ["de-en", "en-fr"]."""
    return sorted(ModelSlot.objects.filter(team=team, kind="translation")
                  .exclude(pair="").values_list("pair", flat=True))


# --- writes ----------------------------------------------------------------------------

def room_create(*, team: Team, host: User, title: str, caption_language: str = "") -> Room:
    """Open a room; the host is its first participant."""
    with transaction.atomic():
        room = Room.objects.create(team=team, host=host,
                                   title=title.strip()[:200] or "Live room")
        Participant.objects.create(room=room, user=host, caption_language=caption_language)
    return room


def room_join(*, room: Room, user: User, caption_language: str | None = None) -> Participant:
    """Take a seat (or change the caption language of one's seat)."""
    if not room.is_open:
        raise RoomError("This room has ended.")
    participant, created = Participant.objects.get_or_create(
        room=room, user=user, defaults={"caption_language": caption_language or ""})
    if not created and caption_language is not None:
        participant.caption_language = caption_language
        participant.save(update_fields=["caption_language"])
    return participant


def room_invite(*, room: Room, by: User, users: list[User]) -> int:
    """Email team members the room's link."""
    link = settings.SITE_URL + reverse("room-detail", args=[room.pk])
    sent = 0
    for user in users:
        sent += send_mail(f"{by.display_name} invites you to “{room.title}”",
                          f"Join the live room “{room.title}”, with captions in your "
                          f"language:\n{link}\n", None, [user.email], fail_silently=True)
    return sent


def participant_seen(*, participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk).update(last_seen_at=timezone.now())


def room_end(*, room: Room, by: User) -> bool:
    """The host ends the room; the live worker finishes its captions and makes the meeting."""
    if room.host_id != by.pk:
        raise RoomError("Only the host can end the room.")
    ended = Room.objects.filter(pk=room.pk, status=Room.Status.OPEN).update(
        status=Room.Status.ENDED, ended_at=timezone.now())
    if ended:
        room.refresh_from_db()
        caption_publish(room=room, event={"type": "ended"})
        transaction.on_commit(lambda: pump_kick(room=room, force=True))
    return bool(ended)


def next_revision(room_id: int) -> int:
    """The room's next revision number (call inside a transaction)."""
    Room.objects.filter(pk=room_id).update(revision=F("revision") + 1)
    return Room.objects.values_list("revision", flat=True).get(pk=room_id)


def caption_save(caption: Caption, **fields) -> Caption:
    """Write a caption change under a new revision and tell the room's streams."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(caption, name, value)
        caption.revision = next_revision(caption.room_id)
        caption.save()
    caption_publish(room=caption.room, event={"type": "caption", "caption": caption_data(caption)})
    return caption


def chat_post(*, participant: Participant, text: str) -> Caption:
    """A typed message; the live worker adds its translations."""
    text = " ".join(text.split())[:1000]
    if not text:
        raise RoomError("Type a message first.")
    room = participant.room
    if not room.is_open:
        raise RoomError("This room has ended.")
    language = participant.caption_language or room.team.language or "en"
    at = (timezone.now() - room.created_at).total_seconds()
    caption = Caption(room=room, participant=participant, kind=Caption.Kind.CHAT, text=text,
                      language=language, final=True, final_at=timezone.now(), start=at, end=at)
    caption_save(caption)
    pump_kick(room=room)
    return caption


def audio_append(*, participant: Participant, pcm: bytes, capture: str, at: int) -> RoomAudio:
    """Store one piece of a participant's microphone (sample `at` of capture session `capture`)."""
    room = participant.room
    if not room.is_open:
        raise RoomError("This room has ended.")
    if not pcm or len(pcm) % 2 or len(pcm) > MAX_CHUNK_BYTES:
        raise RoomError("Send 16 kHz mono 16-bit audio in pieces of at most one second.")
    if not capture or at < 0:
        raise RoomError("Say which microphone session and sample the audio starts at.")
    if participant.capture != capture:
        # A new microphone session: place its first sample at "now" on the room's clock.
        elapsed = (timezone.now() - room.created_at).total_seconds()
        base = max(int(elapsed * RATE) - len(pcm) // 2 - at, participant.heard_until, 0)
        Participant.objects.filter(pk=participant.pk).update(capture=capture, capture_base=base)
        participant.capture, participant.capture_base = capture, base
    piece = RoomAudio.objects.create(participant=participant, pcm=pcm,
                                     offset=participant.capture_base + at)
    participant_seen(participant=participant)
    pump_kick(room=room)
    return piece


# --- the live worker and the streams ---------------------------------------------------

def pump_kick(*, room: Room, force: bool = False) -> None:
    """Make sure a live worker serves the room (one message per lease period at most)."""
    room.refresh_from_db(fields=["pump_until"])
    if not force and room.pump_until and room.pump_until > timezone.now():
        return
    if not force and not cache.add(f"live-kick:{room.pk}", 1, PUMP_LEASE.total_seconds()):
        return
    from assistant.celery import app, queue_name

    try:
        app.send_task("meetings.live_pump", queue=queue_name("live"))
    except Exception:
        log.exception("could not reach the broker for room %s", room.pk)


def caption_data(caption: Caption) -> dict:
    """What every stream needs to show a caption in any language."""
    participant = caption.participant
    return {"id": caption.pk, "revision": caption.revision, "kind": caption.kind,
            "speaker": participant.user.display_name if participant else "",
            "start": round(caption.start, 2), "end": round(caption.end, 2),
            "text": caption.text, "language": caption.language, "final": caption.final,
            "translations": caption.translations, "translated": caption.translated}


def caption_for(data: dict, language: str, pairs: list[str]) -> dict:
    """A caption as one participant reads it: in their language, else as spoken with a note."""
    shown = {k: data[k] for k in ("id", "revision", "kind", "speaker", "start", "end", "final",
                                  "language")}
    shown.update(text=data["text"], original="", note="")
    if not language or language == data["language"] or not data["final"]:
        return shown
    translated = (data.get("translations") or {}).get(language)
    if translated:
        shown.update(text=translated, original=data["text"], language=language)
    elif data.get("translated"):
        shown["note"] = untranslated_note(data["language"], language, pairs, data["kind"])
    else:
        shown["note"] = "translating…"
    return shown


def untranslated_note(source: str, target: str, pairs: list[str], kind: str) -> str:
    """Why a caption shows as spoken: which translations the team has."""
    have = ", ".join(p.replace("-", "→") for p in pairs) or "none"
    speech = " Speech is also translated to English." if kind == Caption.Kind.SPEECH else ""
    return (f"Shown as written/spoken ({source or '?'}): the team has no {source or '?'}→"
            f"{target} translation. Text translations set by an admin: {have}.{speech}")


def redis_channel(room_id: int) -> str:
    return f"{settings.CELERY_QUEUE_PREFIX}room:{room_id}"


def caption_publish(*, room: Room, event: dict) -> None:
    """Fan out through Redis pub/sub when there is Redis (the database row is always there)."""
    if not settings.REDIS_URL:
        return
    try:
        _redis().publish(redis_channel(room.pk), json.dumps(event))
    except Exception:
        log.warning("Redis publish failed for room %s; streams fall back to the database",
                    room.pk)


_client = None


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client
