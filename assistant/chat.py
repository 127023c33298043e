"""The team assistant chat: a person's questions, answered in a worker, relayed to the page.

The worker writes the growing answer into the message row; the page's server-sent events relay
reads the row a few times a second (the same with or without Redis, with any number of web
processes). Events: `reset` (the whole text), `piece` (text to append), `done`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

from django.db import transaction
from django.db.models import QuerySet

from .answering import answer_question
from .jobs import JobError, job_create
from .models import ChatMessage, Job, Team, User
from .sse import arelay_events, event, relay_events

ANSWER = "assistant.chat_answer"
WRITE_EVERY_S = 0.15
MAX_S = 120.0
HISTORY = 50


def chat_history(*, team: Team, user: User) -> QuerySet[ChatMessage]:
    """The person's own conversation in this team, oldest first (the last HISTORY turns)."""
    recent = ChatMessage.objects.filter(team=team, user=user).order_by("-created_at")
    ids = list(recent.values_list("pk", flat=True)[:HISTORY])
    return ChatMessage.objects.filter(pk__in=ids).order_by("created_at")


def chat_ask(*, team: Team, user: User, question: str) -> ChatMessage:
    """Record the question and queue its answer on the text workers."""
    question = " ".join(question.split())
    if not question:
        raise ValueError("Ask a question first.")
    with transaction.atomic():
        message = ChatMessage.objects.create(team=team, user=user, question=question[:1000])
        message.job = job_create(team=team, owner=user, kind=ANSWER, title="Team assistant",
                                 params={"message": message.pk})
        message.save(update_fields=["job"])
    return message


def chat_answer(*, message: ChatMessage, use_model: bool = True) -> ChatMessage:
    """Answer the message from the knowledge base, writing the text as it grows (worker)."""
    last = [0.0]

    def write(text: str) -> None:
        if time.monotonic() - last[0] >= WRITE_EVERY_S:
            last[0] = time.monotonic()
            ChatMessage.objects.filter(pk=message.pk).update(answer=text)

    try:
        answer = answer_question(team=message.team, question=message.question,
                                 use_model=use_model, on_text=write)
    except Exception as exc:
        ChatMessage.objects.filter(pk=message.pk).update(
            status=ChatMessage.Status.FAILED,
            answer="The assistant could not answer just now. Try again in a moment.")
        raise JobError(f"Answering failed: {exc}") from exc
    message.answer, message.citations, message.known = answer.text, answer.citations, answer.known
    message.status = ChatMessage.Status.DONE
    message.save(update_fields=["answer", "citations", "known", "status"])
    return message


class Relay:
    """Turns successive reads of a message into the events the page has not seen yet."""

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.sent: str | None = None
        self.started = time.monotonic()

    def step(self) -> tuple[list[str], bool]:
        message = ChatMessage.objects.filter(pk=self.pk).select_related("job").first()
        if message is None:
            return [event("gone", {})], True
        if message.is_writing and message.job and message.job.status in Job.ENDED:
            ChatMessage.objects.filter(pk=message.pk, status=ChatMessage.Status.WRITING).update(
                status=ChatMessage.Status.FAILED,
                answer=f"The answering job {message.job.status}: ask again.")
            message.refresh_from_db()
        chunks = []
        if self.sent is None or not message.answer.startswith(self.sent):
            chunks.append(event("reset", {"text": message.answer}))
        elif message.answer != self.sent:
            chunks.append(event("piece", {"text": message.answer[len(self.sent):]}))
        self.sent = message.answer
        if not message.is_writing:
            chunks.append(event("done", {"status": message.status}))
            return chunks, True
        return chunks, time.monotonic() - self.started > MAX_S


def message_events(pk: int) -> Iterator[str]:
    return relay_events(Relay(pk).step)


def amessage_events(pk: int) -> AsyncIterator[str]:
    return arelay_events(Relay(pk).step)
