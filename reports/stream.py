"""The page's live view of a draft: server-sent events relayed from the draft's row.

The worker writes the growing text into the row; this relay reads it a few times a second and
sends what is new, so it works the same with Redis or without (database cache, filesystem
broker), and with any number of web processes. Events: `reset` (the whole text, first on every
connection), `piece` (text to append), `done` (the final subject, body and note).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

from django.utils import timezone

from assistant.models import Job
from assistant.sse import arelay_events, event, relay_events

from .models import Draft

QUEUE_PATIENCE = timedelta(seconds=10)  # then the draft is finished without the model
MAX_S = 120.0  # the browser reconnects after this; each connection starts with a reset


class Relay:
    """Turns successive reads of a draft into the events the page has not seen yet."""

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.sent: str | None = None
        self.started = time.monotonic()

    def step(self) -> tuple[list[str], bool]:
        """One read of the row: (events to send, whether the stream is over)."""
        draft = Draft.objects.filter(pk=self.pk).select_related("job").first()
        if draft is None:
            return [event("gone", {})], True
        if draft.is_writing and draft.job:
            from .services import draft_cancel_queued, draft_finish_plain

            if draft.job.status in Job.ENDED:
                draft_finish_plain(draft=draft, reason=f"the writing job {draft.job.status}")
            elif (draft.job.status == Job.Status.QUEUED
                  and timezone.now() - draft.created_at > QUEUE_PATIENCE):
                # The text workers are busy (minutes, other drafts): the facts should not wait.
                draft_cancel_queued(draft=draft, reason="the text workers were busy")
            draft.refresh_from_db()
        chunks = []
        if self.sent is None or not draft.body.startswith(self.sent):
            chunks.append(event("reset", {"text": draft.body}))
        elif draft.body != self.sent:
            chunks.append(event("piece", {"text": draft.body[len(self.sent):]}))
        self.sent = draft.body
        if not draft.is_writing:
            chunks.append(event("done", {"subject": draft.subject, "body": draft.body,
                                         "note": draft.note, "status": draft.status}))
            return chunks, True
        return chunks, time.monotonic() - self.started > MAX_S


def draft_events(pk: int) -> Iterator[str]:
    return relay_events(Relay(pk).step)


def adraft_events(pk: int) -> AsyncIterator[str]:
    return arelay_events(Relay(pk).step)
