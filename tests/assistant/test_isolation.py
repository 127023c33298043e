"""Every URL pattern is checked for team isolation; a new pattern without a case fails here.

Each pattern is one of:
- OBJECT: addresses one team's object — a stranger (admin of another team) gets 404 on every method;
- CURRENT_TEAM: works on the team chosen in the session — a stranger only ever sees their own team;
- OPEN: needs no team (sign-in pages, health, the invitation link whose token is the secret).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assistant.models import Invitation, Membership
from tests.factories import JobFactory, MeetingFactory, SegmentFactory
from tests.reports import factories as reports_factories

pytestmark = pytest.mark.django_db

# Pages about the signed-in person only.
OPEN = {"healthz", "invitation-accept", "profile", "organisation-new", "team-switch", "voice",
        "voice-delete", "calendar-renew", "calendar-revoke", "calendar-ics", "api-tokens",
        "health", "health-check", "metrics"}
CURRENT_TEAM = {"home", "members", "team-settings", "team-new", "invitation-new", "jobs",
                "worker-check", "meeting-list", "meeting-upload", "todo-board", "items-bulk",
                "my-todos", "draft-list", "draft-email", "draft-reply", "draft-feedback",
                "draft-style", "report-today", "report-day", "report-team-day",
                "report-team-week", "record-list", "record-templates", "record-template-new",
                "learning-home", "learning-my-skills", "learning-refresh",
                "learning-team", "learning-catalog", "learning-import", "learning-skills",
                "kb-list", "chat", "room-list", "models", "model-slot-edit", "model-slot-test",
                "model-glossary", "model-prompt", "finetune-list", "finetune-base"}
# name → a function (world) → kwargs addressing an object of world.team
OBJECT = {
    "job-detail": lambda w: {"pk": JobFactory(team=w.team).pk},
    "job-cancel": lambda w: {"pk": JobFactory(team=w.team).pk},
    "job-retry": lambda w: {"pk": JobFactory(team=w.team, status="failed").pk},
    "member-role": lambda w: {"pk": Membership.objects.get(user=w.teammate).pk},
    "member-remove": lambda w: {"pk": Membership.objects.get(user=w.teammate).pk},
    "invitation-revoke": lambda w: {"pk": Invitation.objects.create(team=w.team,
                                                                    email="i@example.com").pk},
    "meeting-detail": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-update": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-status": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-delete": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-retranscribe": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-audio": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-export": lambda w: {"pk": MeetingFactory(team=w.team).pk, "fmt": "json"},
    "meeting-translate": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "meeting-translation": lambda w: _translation(w),
    "segment-edit": lambda w: {"pk": SegmentFactory(meeting__team=w.team).pk},
    "segment-history": lambda w: {"pk": SegmentFactory(meeting__team=w.team).pk},
    "minutes-detail": lambda w: {"pk": _minutes(w).meeting_id},
    "minutes-regenerate": lambda w: {"pk": _minutes(w).meeting_id},
    "minutes-export": lambda w: {"pk": _minutes(w).meeting_id, "fmt": "md"},
    "minutes-version-use": lambda w: {"pk": _minutes(w).current_id},
    "item-review": lambda w: {"pk": _minutes(w).meeting.action_items.first().pk},
    "todo-status": lambda w: {"pk": _todo(w).pk},
    "speaker-rename": lambda w: {"pk": _speaker(w).pk},
    "speaker-merge": lambda w: {"pk": _speaker(w).pk},
    "draft-followup": lambda w: {"pk": MeetingFactory(team=w.team).pk},
    "draft-detail": lambda w: {"pk": reports_factories.draft(w).pk},
    "draft-stream": lambda w: {"pk": reports_factories.draft(w).pk},
    "draft-stop": lambda w: {"pk": reports_factories.draft(w).pk},
    "draft-send": lambda w: {"pk": reports_factories.draft(w).pk},
    "draft-share": lambda w: {"pk": reports_factories.draft(w, "feedback").pk},
    "draft-delete": lambda w: {"pk": reports_factories.draft(w).pk},
    "report-detail": lambda w: {"pk": reports_factories.report(w).pk},
    "report-submit": lambda w: {"pk": reports_factories.report(w).pk},
    "learning-suggestion": lambda w: {"pk": _suggestion(w).pk},
    "learning-member": lambda w: {"pk": Membership.objects.get(user=w.teammate).pk},
    "learning-assign": lambda w: {"pk": Membership.objects.get(user=w.teammate).pk},
    "learning-resource": lambda w: {"pk": _suggestion(w).resource_id},
    "learning-skill": lambda w: {"pk": _suggestion(w).skill_id},
    "record-detail": lambda w: {"pk": _record(w).pk},
    "record-status": lambda w: {"pk": _record(w).pk},
    "record-delete": lambda w: {"pk": _record(w).pk},
    "record-dictate": lambda w: {"pk": _record_template(w).pk},
    "record-template-edit": lambda w: {"pk": _record_template(w).pk},
    "record-export": lambda w: {"pk": _record_template(w).pk, "fmt": "csv"},
    "kb-delete": lambda w: {"pk": _kb_source(w).pk},
    "kb-passage": lambda w: {"pk": _kb_source(w).chunks.first().pk},
    "chat-message": lambda w: {"pk": _chat_message(w).pk},
    "chat-stream": lambda w: {"pk": _chat_message(w).pk},
    "finetune-detail": lambda w: {"pk": _finetune_run(w).pk},
    "finetune-use": lambda w: {"pk": _finetune_run(w).pk},
    **{name: lambda w: {"pk": _room(w).pk} for name in (
        "room-detail", "room-join", "room-invite", "room-end", "room-chat", "room-audio",
        "room-stream")},
    "api-token-revoke": lambda w: {"pk": _api_token(w).pk},
}


def _room(w):
    from meetings.rooms import room_create

    return room_create(team=w.team, host=w.owner, title="Stand-up")


def _api_token(w):
    from api.services import token_create

    return token_create(user=w.owner, name="integration")[0]


def _kb_source(w):
    from assistant.knowledge import knowledge_document_put

    return knowledge_document_put(team=w.team, user=w.owner, name="handbook.md",
                                  data=b"# Travel\n\nTrains are booked for any trip under 500 km.")


def _finetune_run(w):
    from assistant.models import FineTuneRun

    return FineTuneRun.objects.create(team=w.team, version=1, status="kept")


def _chat_message(w):
    from assistant.models import ChatMessage

    return ChatMessage.objects.create(team=w.team, user=w.owner, question="Trains?",
                                      answer="Trains under 500 km. [1]", status="done")


def _record_template(w):
    from reports.records_services import template_from_starter

    return template_from_starter(team=w.team, user=w.owner, starter="incident-report")


def _record(w):
    from reports.records_services import record_from_text

    return record_from_text(template=_record_template(w), user=w.owner,
                            text="Severity minor. Location: the yard.")


def _minutes(w):
    from meetings.minutes import minutes_store

    meeting = MeetingFactory(team=w.team)
    SegmentFactory(meeting=meeting)
    minutes_store(meeting=meeting, result={
        "title": "T", "action_items": [{"owner": None, "task": "Do it", "quote": "do it",
                                        "start": 0.0}]})
    return meeting.minutes


def _todo(w):
    from meetings.todos import todo_create

    return todo_create(team=w.team, title="Do it", assignee=w.owner, due=None, by=w.owner)


def _suggestion(w):
    from learning.models import Resource, Skill, Suggestion

    skill = Skill.objects.create(team=w.team, name="Testing", description="Tests")
    resource = Resource.objects.create(team=w.team, title="Pytest basics")
    return Suggestion.objects.create(team=w.team, member=w.owner, resource=resource, skill=skill,
                                     because="Because of a test.")


def _translation(w):
    from meetings.models import MeetingTranslation

    made = MeetingTranslation.objects.create(meeting=MeetingFactory(team=w.team), language="fr")
    return {"pk": made.meeting_id, "language": made.language}


def _speaker(w):
    from meetings.models import Speaker

    return Speaker.objects.create(meeting=MeetingFactory(team=w.team), label="Speaker 1")


POST_ONLY = {"speaker-rename", "speaker-merge", "minutes-regenerate", "minutes-version-use",
             "item-review", "todo-status", "job-cancel", "job-retry", "member-role",
             "member-remove", "invitation-revoke", "meeting-update", "meeting-delete",
             "meeting-retranscribe", "meeting-translate", "draft-stop", "draft-share",
             "draft-delete",
             "report-submit", "learning-suggestion", "learning-assign", "record-delete",
             "kb-delete", "finetune-use", "room-join", "room-invite", "room-end", "room-chat",
             "room-audio",
             "api-token-revoke"}
# Third-party URL trees with their own access control (allauth; the Django admin), and the
# token-authenticated REST API, whose every operation tests/api/test_isolation.py checks.
SKIPPED_PREFIXES = ("accounts/", "django-admin/", "api/v1/")


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


ALL = list(_patterns(get_resolver()))


def test_every_pattern_has_an_isolation_case():
    unclassified = [(route, name) for route, name in ALL
                    if name not in OPEN | CURRENT_TEAM | set(OBJECT)]
    assert not unclassified, f"Add these URL patterns to {__file__}: {unclassified}"


@pytest.mark.parametrize("name", sorted(OBJECT))
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_stranger_gets_404_for_another_teams_object(world, client_for, name, method):
    url = reverse(name, kwargs=OBJECT[name](world))
    response = getattr(client_for(world.stranger), method)(url)
    # A method the view does not take answers 405 whoever asks: it reveals nothing.
    allowed = {"post"} if name in POST_ONLY else {"get", "post"}
    expected = {404} if method in allowed else {404, 405}
    assert response.status_code in expected, f"{method.upper()} {url} → {response.status_code}"


@pytest.mark.parametrize("name", sorted(CURRENT_TEAM))
def test_current_team_pages_never_show_another_team(world, client_for, name):
    client = client_for(world.stranger)
    response = client.get(reverse(name))
    assert world.team.name not in response.content.decode()
    assert response.status_code in (200, 302, 405)


@pytest.mark.parametrize("name", sorted(OBJECT))
def test_teammate_with_the_right_role_reaches_the_object(world, client_for, name):
    url = reverse(name, kwargs=OBJECT[name](world))
    client = client_for(world.owner)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code in (200, 286, 302)


def test_anonymous_is_sent_to_sign_in(client):
    for _, name in ALL:
        if name in CURRENT_TEAM:
            response = client.get(reverse(name))
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
