"""Outgoing webhooks: an event becomes one signed delivery per interested webhook.

Feature apps call `minutes_ready(meeting)` or `todo_assigned(todo)`; nothing here imports
them. Deliveries are rows, sent by the `api.deliver_webhook` task after the transaction
commits and retried with exponential backoff (WEBHOOK_MAX_ATTEMPTS, WEBHOOK_BACKOFF_SECONDS).

A receiver checks `X-Assistant-Signature: sha256=HMAC(secret, "<timestamp>.<body>")` and
refuses a timestamp older than a few minutes.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assistant.models import Team

from .models import Webhook, WebhookDelivery

log = logging.getLogger(__name__)

# Answers worth another try; any other 4xx means the receiver refused the request itself.
RETRYABLE_STATUS = {408, 425, 429}


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def webhooks_emit(*, team: Team, event: str, data: dict) -> list[WebhookDelivery]:
    """Record a delivery for every webhook of the team that wants `event`; send on commit."""
    if event not in Webhook.Event.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    deliveries = [
        WebhookDelivery.objects.create(
            webhook=hook, event=event,
            payload={"event": event, "team": team.slug, "data": data,
                     "created_at": timezone.now().isoformat()})
        for hook in Webhook.objects.filter(team=team, active=True) if hook.wants(event)
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return deliveries


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver_webhook

    try:
        deliver_webhook.delay(delivery_id)
    except Exception:  # the broker is away: the delivery stays pending, visible on the page
        log.exception("could not queue webhook delivery %s", delivery_id)


def deliveries_resend(*, older_than: int = 600) -> int:
    """Queue again the deliveries never tried (their message was lost: broker away)."""
    before = timezone.now() - timedelta(seconds=older_than)
    lost = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING,
                                               attempts=0, created_at__lt=before)
                .values_list("pk", flat=True))
    for pk in lost:
        _enqueue(pk)
    return len(lost)


def minutes_ready(meeting) -> None:
    """Called by meetings once a meeting's minutes are stored."""
    webhooks_emit(team=meeting.team, event=Webhook.Event.MINUTES_READY, data={
        "meeting": meeting.pk, "title": meeting.title, "held_on": str(meeting.held_on),
        "minutes_url": f"{settings.SITE_URL}/api/v1/meetings/{meeting.pk}/minutes"})


def todo_assigned(todo) -> None:
    """Called by meetings when a to-do gets an assignee."""
    assignee = todo.assignee
    webhooks_emit(team=todo.team, event=Webhook.Event.TODO_ASSIGNED, data={
        "todo": todo.pk, "title": todo.title, "status": todo.status,
        "due": str(todo.due) if todo.due else None,
        "assignee": {"id": assignee.pk, "email": assignee.email,
                     "name": assignee.display_name} if assignee else None})


def backoff(attempt: int) -> int:
    """Seconds before try number `attempt + 1`: 30 s, 60 s, 120 s, … (capped at an hour)."""
    return min(settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1), 3600)


def _refused_address(url: str) -> str:
    """Why this address may not be called (a private network), or ''."""
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return ""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return f"{host} does not resolve"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{host} is a private address (set WEBHOOK_ALLOW_PRIVATE=True to allow it)"
    return ""


def delivery_attempt(*, delivery_id: int) -> str:
    """Send the delivery once: 'delivered', 'retry' or 'failed' (a final answer)."""
    claimed = WebhookDelivery.objects.filter(pk=delivery_id,
                                             status=WebhookDelivery.Status.PENDING)
    if not claimed.update(attempts=F("attempts") + 1):
        return "delivered"  # done (or given up) by another attempt: nothing to do
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    hook = delivery.webhook
    refused = _refused_address(hook.url)
    if refused:
        return _give_up(delivery, error=refused)
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "TeamAssistant-Webhook/1",
               "X-Assistant-Event": delivery.event, "X-Assistant-Delivery": str(delivery.pk),
               "X-Assistant-Timestamp": str(timestamp),
               "X-Assistant-Signature": sign(secret=hook.secret, timestamp=timestamp, body=body)}
    try:
        response = requests.post(hook.url, data=body, headers=headers,
                                 timeout=settings.WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException as exc:
        return _not_yet(delivery, error=f"{type(exc).__name__}: {exc}"[:300])
    WebhookDelivery.objects.filter(pk=delivery.pk).update(response_status=response.status_code)
    if 200 <= response.status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now(), error="")
        return "delivered"
    error = f"HTTP {response.status_code}"
    if response.status_code >= 500 or response.status_code in RETRYABLE_STATUS:
        return _not_yet(delivery, error=error)
    return _give_up(delivery, error=error)


def _not_yet(delivery: WebhookDelivery, *, error: str) -> str:
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        return _give_up(delivery, error=f"{error} (after {delivery.attempts} attempts)")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(error=error)
    return "retry"


def _give_up(delivery: WebhookDelivery, *, error: str) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED,
                                                          error=error[:300])
    return "failed"
