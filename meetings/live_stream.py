"""A participant's view of a room: server-sent events with captions in their language.

With Redis, the live worker's caption changes arrive through pub/sub and are sent as they come
(the database is read once a second as well, so a lost message costs a second at most).
Without Redis, the room's captions are read every POLL_S from the database, by revision.
Events: `caption` (one caption as this participant reads it; an empty text removes a
partial), `presence` (who is in the room), `ended` (the host ended it; then the stream stops).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.urls import reverse

from .models import Caption, Participant, Room
from .rooms import (
    caption_data,
    caption_for,
    participant_seen,
    participants_present,
    redis_channel,
    translation_pairs,
)

POLL_S = 0.1
RECONCILE_S = 1.0
PRESENCE_S = 2.0
BACKLOG = 60
MAX_S = 300.0  # then the browser reconnects (EventSource does it by itself)


def event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


class Relay:
    """Turns the room's caption changes into the events one participant has not seen yet."""

    def __init__(self, participant_id: int) -> None:
        self.participant = (Participant.objects.select_related("room__team", "user")
                            .get(pk=participant_id))
        self.room: Room = self.participant.room
        self.language = self.participant.caption_language
        self.pairs = translation_pairs(team=self.room.team)
        self.revision = 0
        self.seen: dict[int, int] = {}
        self.people: list | None = None
        self.presence_at = 0.0
        self.started = time.monotonic()
        self.over = False

    def caption(self, data: dict) -> list[str]:
        if data["revision"] <= self.seen.get(data["id"], 0):
            return []
        self.seen[data["id"]] = data["revision"]
        return [event("caption", caption_for(data, self.language, self.pairs))]

    def backlog(self) -> list[str]:
        """The room so far: its latest captions, oldest first."""
        captions = list(Caption.objects.filter(room=self.room).exclude(text="")
                        .select_related("participant__user").order_by("-revision")[:BACKLOG])
        self.revision = Room.objects.values_list("revision", flat=True).get(pk=self.room.pk)
        chunks = []
        for caption in sorted(captions, key=lambda c: (c.start, c.pk)):
            chunks += self.caption(caption_data(caption))
        return chunks + self.poll()

    def poll(self) -> list[str]:
        """Read what changed since the last read, presence now and then, and the room's end."""
        changed = list(Caption.objects.filter(room=self.room, revision__gt=self.revision)
                       .select_related("participant__user").order_by("revision"))
        chunks = []
        for caption in changed:
            self.revision = max(self.revision, caption.revision)
            chunks += self.caption(caption_data(caption))
        if time.monotonic() - self.presence_at > PRESENCE_S:
            self.presence_at = time.monotonic()
            participant_seen(participant=self.participant)
            people = [{"name": p.user.display_name, "language": p.caption_language,
                       "host": p.user_id == self.room.host_id}
                      for p in participants_present(room=self.room)]
            if people != self.people:
                self.people = people
                chunks.append(event("presence", {"people": people}))
            self.room.refresh_from_db(fields=["status", "meeting"])
            if not self.room.is_open:
                chunks.append(self.ended())
        return chunks

    def message(self, data: dict) -> list[str]:
        """A Redis pub/sub message from the live worker or a web process."""
        if data.get("type") == "caption":
            caption = data["caption"]
            return self.caption(caption)
        if data.get("type") == "ended":
            return [self.ended()]
        return []

    def ended(self) -> str:
        self.over = True
        return event("ended", {"url": reverse("room-detail", args=[self.room.pk])})

    @property
    def timed_out(self) -> bool:
        return time.monotonic() - self.started > MAX_S


def room_events(participant_id: int) -> Iterator[str]:
    """For WSGI servers (and the test client): polling the database."""
    relay = Relay(participant_id)
    yield from relay.backlog()
    while not relay.over and not relay.timed_out:
        time.sleep(POLL_S)
        yield from relay.poll()


async def aroom_events(participant_id: int) -> AsyncIterator[str]:
    """For ASGI (uvicorn): Redis pub/sub when configured, else polling without a thread."""
    relay = await sync_to_async(Relay)(participant_id)
    if not settings.REDIS_URL:
        for chunk in await sync_to_async(relay.backlog)():
            yield chunk
        while not relay.over and not relay.timed_out:
            await asyncio.sleep(POLL_S)
            for chunk in await sync_to_async(relay.poll)():
                yield chunk
        return
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub()
    # Subscribed before the backlog is read, so nothing falls between the two.
    await pubsub.subscribe(redis_channel(relay.room.pk))
    try:
        for chunk in await sync_to_async(relay.backlog)():
            yield chunk
        polled = time.monotonic()
        while not relay.over and not relay.timed_out:
            message = await pubsub.get_message(ignore_subscribe_messages=True,
                                               timeout=RECONCILE_S)
            if message is not None:
                for chunk in relay.message(json.loads(message["data"])):
                    yield chunk
            if time.monotonic() - polled >= RECONCILE_S:
                polled = time.monotonic()
                for chunk in await sync_to_async(relay.poll)():
                    yield chunk
    finally:
        await pubsub.unsubscribe()
        await client.aclose()
