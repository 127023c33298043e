"""Outgoing webhooks: signed with HMAC, sent to a real HTTP server, retried with backoff."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api import webhooks
from api.models import Webhook, WebhookDelivery
from assistant.celery import app
from assistant.jobs import Progress
from assistant.models import Job
from meetings.minutes import meeting_minutes
from meetings.todos import todo_create
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server answering with the given statuses in turn, recording requests."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def eager(settings):
    """Celery runs the delivery task in-process (retries at once, ignoring the countdown)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _verify(request, secret):
    headers = request["headers"]
    signed = f"{headers['X-Assistant-Timestamp']}.".encode() + request["body"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Assistant-Signature"])


def test_an_admin_adds_a_webhook_and_gets_its_secret_once(client, world, bearer):
    body = {"team": world.team.slug, "url": "https://hooks.example.com/t",
            "events": ["todo.assigned"]}
    response = client.post("/api/v1/webhooks", body, content_type="application/json",
                           headers=bearer(world.owner))
    assert response.status_code == 201
    assert response.json()["secret"] == Webhook.objects.get().secret
    assert "secret" not in client.get("/api/v1/webhooks", headers=bearer()).json()[0]
    refused = client.post("/api/v1/webhooks", body, content_type="application/json",
                          headers=bearer(world.teammate))
    assert refused.status_code == 403 and "admins" in refused.json()["detail"]
    bad = client.post("/api/v1/webhooks", {**body, "url": "ftp://x"},
                      content_type="application/json", headers=bearer(world.owner))
    assert bad.status_code == 422 and "url" in str(bad.json()["detail"])


def test_an_assigned_todo_is_signed_and_delivered(world, receiver, eager,
                                                  django_capture_on_commit_callbacks):
    server = receiver(200)
    hook = Webhook.objects.create(team=world.team, url=server.url, events=["todo.assigned"])
    Webhook.objects.create(team=world.other_team, url=server.url)  # another team's: silent
    with django_capture_on_commit_callbacks(execute=True):
        todo = todo_create(team=world.team, title="Book the venue", assignee=world.teammate,
                           due=None, by=world.manager)
    assert len(server.requests) == 1
    request = server.requests[0]
    assert _verify(request, hook.secret)
    payload = json.loads(request["body"])
    assert payload["event"] == "todo.assigned" and payload["data"]["todo"] == todo.pk
    assert payload["data"]["assignee"]["email"] == world.teammate.email
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)


def test_a_failing_receiver_is_retried_until_it_answers(world, receiver, eager,
                                                        django_capture_on_commit_callbacks):
    server = receiver(503, 500, 200)
    Webhook.objects.create(team=world.team, url=server.url)
    with django_capture_on_commit_callbacks(execute=True):
        todo_create(team=world.team, title="Retry me", assignee=world.owner, due=None,
                    by=world.owner)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert len(server.requests) == 3
    ids = {r["headers"]["X-Assistant-Delivery"] for r in server.requests}
    assert ids == {str(delivery.pk)}  # the same delivery: a receiver can drop duplicates


def test_it_gives_up_after_the_last_attempt_and_on_a_refusal(world, receiver, eager, settings,
                                                             django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    down = receiver(500, 500, 500)
    refusing = receiver(410)
    Webhook.objects.create(team=world.team, url=down.url)
    Webhook.objects.create(team=world.team, url=refusing.url)
    with django_capture_on_commit_callbacks(execute=True):
        todo_create(team=world.team, title="Nobody home", assignee=world.owner, due=None,
                    by=world.owner)
    failed = {d.webhook.url: d for d in WebhookDelivery.objects.select_related("webhook")}
    assert failed[down.url].status == "failed" and failed[down.url].attempts == 2
    assert "after 2 attempts" in failed[down.url].error
    assert failed[refusing.url].status == "failed" and failed[refusing.url].attempts == 1
    assert len(down.requests) == 2 and len(refusing.requests) == 1


def test_backoff_doubles_from_the_setting(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    assert [webhooks.backoff(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


def test_private_addresses_are_refused_unless_allowed(world, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    server = receiver(200)
    hook = Webhook.objects.create(team=world.team, url=server.url)
    delivery = WebhookDelivery.objects.create(webhook=hook, event="todo.assigned", payload={})
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert "private address" in delivery.error and not server.requests


def test_minutes_ready_is_sent_when_the_minutes_job_stores_them(
        world, receiver, eager, settings, django_capture_on_commit_callbacks):
    settings.MINUTES_MODEL_SECONDS = 0
    server = receiver(200)
    hook = Webhook.objects.create(team=world.team, url=server.url, events=["minutes.ready"])
    meeting = MeetingFactory(team=world.team)
    SegmentFactory(meeting=meeting, text="We decided to ship on Friday.")
    job = Job.objects.create(team=world.team, kind="meetings.minutes", status="running",
                             attempts=1, params={"meeting": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        meeting_minutes(job=job, progress=Progress(job))
    assert len(server.requests) == 1 and _verify(server.requests[0], hook.secret)
    data = json.loads(server.requests[0]["body"])["data"]
    assert data["meeting"] == meeting.pk and data["minutes_url"].endswith(
        f"/api/v1/meetings/{meeting.pk}/minutes")


def test_a_delivery_whose_message_was_lost_is_sent_by_the_sweep(world, receiver, eager):
    from datetime import timedelta

    from django.utils import timezone

    server = receiver(200)
    hook = Webhook.objects.create(team=world.team, url=server.url)
    lost = WebhookDelivery.objects.create(webhook=hook, event="todo.assigned", payload={},
                                          created_at=timezone.now() - timedelta(minutes=11))
    WebhookDelivery.objects.create(webhook=hook, event="todo.assigned", payload={})  # fresh
    assert webhooks.deliveries_resend() == 1
    lost.refresh_from_db()
    assert lost.status == "delivered" and len(server.requests) == 1
