"""Every API operation is checked for team isolation; a new one without a case fails here.

The web's tests/assistant/test_isolation.py leaves the api/v1/ tree to this file: the API
answers 401 rather than redirecting to sign-in, and is addressed by path, not URL name.
"""

import pytest

from api.endpoints import api
from api.models import Webhook
from assistant.models import Job
from meetings.minutes import minutes_store
from meetings.todos import todo_create
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def _meeting_with_minutes(w):
    meeting = MeetingFactory(team=w.team)
    SegmentFactory(meeting=meeting)
    minutes_store(meeting=meeting, result={"title": "T", "action_items": []})
    return meeting.pk


# (method, path template) → a function (world) → path parameters of an object of world.team
OBJECT = {
    ("GET", "/api/v1/meetings/{meeting_id}"):
        lambda w: {"meeting_id": MeetingFactory(team=w.team).pk},
    ("GET", "/api/v1/meetings/{meeting_id}/transcript"):
        lambda w: {"meeting_id": MeetingFactory(team=w.team).pk},
    ("GET", "/api/v1/meetings/{meeting_id}/minutes"):
        lambda w: {"meeting_id": _meeting_with_minutes(w)},
    ("GET", "/api/v1/jobs/{job_id}"):
        lambda w: {"job_id": Job.objects.create(team=w.team, kind="meetings.transcribe").pk},
    ("PATCH", "/api/v1/todos/{todo_id}"):
        lambda w: {"todo_id": todo_create(team=w.team, title="x", assignee=w.owner, due=None,
                                          by=w.owner).pk},
    ("DELETE", "/api/v1/webhooks/{webhook_id}"):
        lambda w: {"webhook_id": Webhook.objects.create(team=w.team, url="https://e.x/h").pk},
}
# Lists and uploads of the token owner's own teams.
OWN_TEAMS = {("GET", "/api/v1/me"), ("GET", "/api/v1/meetings"), ("POST", "/api/v1/meetings"),
             ("GET", "/api/v1/todos"), ("GET", "/api/v1/webhooks"),
             ("POST", "/api/v1/webhooks")}


def _operations():
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def test_every_operation_has_an_isolation_case():
    unclassified = _operations() - OWN_TEAMS - set(OBJECT)
    assert not unclassified, f"Add these API operations to {__file__}: {sorted(unclassified)}"


@pytest.mark.parametrize("operation", sorted(OBJECT))
def test_stranger_gets_404_and_a_teammate_reaches_it(client, world, bearer, operation):
    method, template = operation
    path = template.format(**OBJECT[operation](world))
    call = getattr(client, method.lower())
    kwargs = {"content_type": "application/json", "data": {}} if method == "PATCH" else {}
    assert call(path, headers=bearer(world.stranger), **kwargs).status_code == 404
    assert call(path, headers=bearer(world.owner), **kwargs).status_code in (200, 204)


def test_lists_show_only_the_owners_teams(client, world, bearer):
    MeetingFactory(team=world.team)
    todo_create(team=world.team, title="x", assignee=world.owner, due=None, by=world.owner)
    Webhook.objects.create(team=world.team, url="https://e.x/h")
    for path in ("/api/v1/meetings", "/api/v1/todos?mine=false", "/api/v1/webhooks"):
        assert client.get(path, headers=bearer(world.stranger)).json() == [], path
        assert client.get(path, headers=bearer(world.owner)).json() != [], path
    me = client.get("/api/v1/me", headers=bearer(world.stranger)).json()
    assert [t["slug"] for t in me["teams"]] == [world.other_team.slug]


@pytest.mark.parametrize("operation", sorted(OWN_TEAMS | set(OBJECT)))
def test_anonymous_gets_401(client, operation):
    method, template = operation
    path = template.format(meeting_id=1, job_id="00000000-0000-0000-0000-000000000000",
                           todo_id=1, webhook_id=1)
    assert getattr(client, method.lower())(path).status_code == 401
