"""Live rooms in the web process: open, join, invite, presence, chat, audio in, the end."""

import json

import numpy as np
import pytest
from django.core import mail
from django.urls import reverse

from assistant.models import ModelSlot
from meetings.live_stream import Relay, room_events
from meetings.models import Caption, Participant, Room, RoomAudio
from meetings.rooms import (
    RoomError,
    caption_for,
    caption_save,
    chat_post,
    room_create,
    room_end,
    room_join,
)

pytestmark = pytest.mark.django_db


def _events(chunks):
    out = []
    for chunk in chunks:
        name = chunk.split("\n")[0].removeprefix("event: ")
        out.append((name, json.loads(chunk.split("\n")[1].removeprefix("data: "))))
    return out


def test_it_opens_a_room_with_the_host_seated(world, client_for):
    client = client_for(world.owner)
    response = client.post(reverse("room-list"), {"title": "Stand-up", "caption_language": "de"})
    room = Room.objects.get()
    assert response.url == reverse("room-detail", args=[room.pk])
    assert room.host == world.owner and room.is_open
    assert room.participants.get().caption_language == "de"
    page = client.get(reverse("room-detail", args=[room.pk])).content.decode()
    assert "Turn on my microphone" in page and "End the room" in page


def test_a_teammate_joins_with_a_language_and_a_stranger_cannot(world, client_for):
    room = room_create(team=world.team, host=world.owner, title="Sync")
    page = client_for(world.teammate).get(reverse("room-detail", args=[room.pk])).content
    assert b"Join the room" in page
    client_for(world.teammate).post(reverse("room-join", args=[room.pk]),
                                    {"caption_language": "fr"})
    assert Participant.objects.get(room=room, user=world.teammate).caption_language == "fr"
    assert client_for(world.stranger).get(reverse("room-detail", args=[room.pk])).status_code == 404


def test_the_host_invites_teammates_by_email(world, client_for):
    room = room_create(team=world.team, host=world.owner, title="Sync")
    client_for(world.owner).post(reverse("room-invite", args=[room.pk]),
                                 {"member": [world.teammate.pk, world.stranger.pk]})
    assert [m.to for m in mail.outbox] == [[world.teammate.email]]
    assert reverse("room-detail", args=[room.pk]) in mail.outbox[0].body


def test_only_the_host_ends_the_room(world, client_for):
    room = room_create(team=world.team, host=world.owner, title="Sync")
    seat = room_join(room=room, user=world.teammate)
    client_for(world.teammate).post(reverse("room-end", args=[room.pk]))
    assert Room.objects.get().is_open
    client_for(world.owner).post(reverse("room-end", args=[room.pk]))
    room.refresh_from_db()
    assert room.status == "ended" and room.ended_at
    with pytest.raises(RoomError):
        chat_post(participant=seat, text="hello")
    with pytest.raises(RoomError):
        room_join(room=room, user=world.manager)


def test_audio_pieces_are_placed_on_the_rooms_clock(world, client_for):
    room = room_create(team=world.team, host=world.owner, title="Sync")
    url = reverse("room-audio", args=[room.pk])
    client = client_for(world.owner)
    piece = (np.ones(8000) * 1000).astype("<i2").tobytes()
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"}
    ok = client.post(url + "?capture=abc&at=0", piece, content_type="application/octet-stream",
                     **headers)
    assert ok.status_code == 204
    client.post(url + "?capture=abc&at=8000", piece, content_type="application/octet-stream",
                **headers)
    first, second = RoomAudio.objects.order_by("id")
    assert second.offset - first.offset == 8000 and len(bytes(second.pcm)) == 16000
    too_long = client.post(url + "?capture=abc&at=16000", piece * 3,
                           content_type="application/octet-stream", **headers)
    assert too_long.status_code == 400
    outsider = client_for(world.teammate).post(url + "?capture=x&at=0", piece,
                                               content_type="application/octet-stream",
                                               **headers)
    assert outsider.status_code == 403  # not seated
    room_end(room=room, by=world.owner)
    late = client_for(world.owner).post(url + "?capture=abc&at=16000", piece,
                                        content_type="application/octet-stream", **headers)
    assert late.status_code == 409


def test_a_stream_sends_backlog_changes_presence_and_the_end(world):
    room = room_create(team=world.team, host=world.owner, title="Sync")
    host = room.participants.get()
    reader = room_join(room=room, user=world.teammate, caption_language="en")
    said = caption_save(Caption(room=room, participant=host), text="Guten Morgen",
                        language="de", start=1.0, end=2.0)
    relay = Relay(reader.pk)
    events = _events(relay.backlog())
    assert events[0] == ("caption", {**events[0][1], "text": "Guten Morgen", "final": False})
    assert ("presence" in [name for name, _ in events])
    caption_save(said, final=True, translations={"en": "Good morning"}, translated=True)
    (name, data), = _events(relay.poll())
    assert data["text"] == "Good morning" and data["original"] == "Guten Morgen"
    room_end(room=room, by=world.owner)
    relay.presence_at = 0
    assert "ended" in [name for name, _ in _events(relay.poll())]
    assert [name for name, _ in _events(room_events(reader.pk))][-1] == "ended"


def test_a_caption_without_a_translation_says_which_pairs_the_team_has(world):
    data = {"id": 1, "revision": 1, "kind": "speech", "speaker": "Ann", "start": 0, "end": 1,
            "text": "Bonjour", "language": "fr", "final": True, "translations": {},
            "translated": True}
    shown = caption_for(data, "de", ["de-en", "en-fr"])
    assert shown["text"] == "Bonjour" and "de→en, en→fr" in shown["note"]
    assert caption_for(data, "", [])["note"] == ""  # as spoken: nothing to explain
    assert caption_for({**data, "translated": False}, "de", [])["note"] == "translating…"


def test_chat_messages_take_the_authors_language(world):
    ModelSlot.objects.create(team=world.team, kind="translation", pair="de-en", source="path",
                             path="/nowhere")
    room = room_create(team=world.team, host=world.owner, title="Sync", caption_language="de")
    message = chat_post(participant=room.participants.get(), text="  Hallo   zusammen ")
    assert (message.text, message.language, message.final) == ("Hallo zusammen", "de", True)
    assert not message.translated  # the live worker translates it
