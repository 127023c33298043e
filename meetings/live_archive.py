"""After a live room: everyone's microphone mixed into one recording, made a meeting.

The meeting then goes through the normal pipeline (transcript, speakers, minutes); the room
keeps its captions and links to the meeting.
"""

from __future__ import annotations

import io
import wave

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Caption, Room, RoomAudio
from .rooms import RATE


def room_mix(*, room: Room) -> np.ndarray:
    """Every participant's audio placed at its room time and summed, as int16 samples."""
    pieces = list(RoomAudio.objects.filter(participant__room=room).values_list("offset", "pcm"))
    if not pieces:
        return np.zeros(0, np.int16)
    length = max(offset + len(pcm) // 2 for offset, pcm in pieces)
    mix = np.zeros(length, np.float32)
    for offset, pcm in pieces:
        samples = np.frombuffer(bytes(pcm), dtype="<i2").astype(np.float32)
        mix[offset:offset + len(samples)] += samples
    return np.clip(mix, -32768, 32767).astype(np.int16)


def wav_bytes(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def room_archive(*, room: Room) -> Room:
    """Make the ended room's audio a meeting (queueing its transcription), once."""
    from .services import meeting_create

    room.refresh_from_db()
    if room.archived or room.is_open:
        return room
    samples = room_mix(room=room)
    meeting = None
    if len(samples) >= RATE // 2 and room.host is not None:
        upload = ContentFile(wav_bytes(samples), name=f"room-{room.pk}.wav")
        meeting = meeting_create(team=room.team, user=room.host, upload=upload,
                                 title=room.title, held_on=timezone.localdate(room.created_at))
    with transaction.atomic():
        Room.objects.filter(pk=room.pk).update(archived=True, meeting=meeting, pump="",
                                               pump_until=None)
        # The meeting holds the audio now; the pieces were only for captioning.
        RoomAudio.objects.filter(participant__room=room).delete()
    room.refresh_from_db()
    return room


def captions_text(*, room: Room) -> str:
    """The room's final captions as a plain transcript (for the room page and exports)."""
    lines = []
    for caption in (Caption.objects.filter(room=room, final=True).exclude(text="")
                    .select_related("participant__user")):
        who = caption.participant.user.display_name if caption.participant else ""
        lines.append(f"[{caption.start:7.1f}s] {who}: {caption.text}")
    return "\n".join(lines)
