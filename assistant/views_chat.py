"""The team assistant: ask, watch the answer being written, read its sources."""

from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from .chat import amessage_events, chat_ask, chat_history, message_events
from .models import ChatMessage
from .selectors import get_for_user
from .views import team_required


def _own_message(request, pk: int) -> ChatMessage:
    """One of the person's own messages in the current team (history is private)."""
    return get_for_user(ChatMessage.objects.filter(user=request.user), request.user, pk=pk)


@team_required()
def chat(request):
    if request.method == "POST":
        try:
            message = chat_ask(team=request.team, user=request.user,
                               question=request.POST.get("question", ""))
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("chat")
        if request.htmx:
            return render(request, "assistant/chat/message.html", {"message": message})
        return redirect("chat")
    return render(request, "assistant/chat/page.html", {
        "history": chat_history(team=request.team, user=request.user)})


@team_required()
def chat_message(request, pk: int):
    """One exchange, rendered by the server (the page swaps it in once the answer is done)."""
    return render(request, "assistant/chat/message.html", {"message": _own_message(request, pk)})


@team_required()
def chat_stream(request, pk: int):
    """Server-sent events: the answer as the worker writes it."""
    message = _own_message(request, pk)
    events = (amessage_events(message.pk) if isinstance(request, ASGIRequest)
              else message_events(message.pk))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
