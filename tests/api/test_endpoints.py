"""The REST API does what the web pages do, for the same people, with a token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assistant.models import Job
from meetings.minutes import minutes_store
from meetings.models import Meeting, TodoEvent
from meetings.todos import todo_create
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def _upload(client, headers, **fields):
    audio = SimpleUploadedFile("standup.webm", b"\x1aE\xdf\xa3" + bytes(4000), "audio/webm")
    return client.post("/api/v1/meetings", {"audio": audio, **fields}, headers=headers)


def test_it_uploads_a_recording_and_queues_its_transcription(client, world, bearer):
    response = _upload(client, bearer(world.teammate), title="Stand-up", held_on="2026-11-30")
    assert response.status_code == 201, response.content
    body = response.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert (meeting.team, meeting.created_by, meeting.title) == (world.team, world.teammate,
                                                                "Stand-up")
    assert meeting.audio.read()[:4] == b"\x1aE\xdf\xa3"
    assert body["job"]["status"] == "queued" and body["job"]["kind"] == "meetings.transcribe"
    job = client.get(f"/api/v1/jobs/{body['job']['id']}", headers=bearer(world.teammate))
    assert job.status_code == 200 and job.json()["progress"] == 0


def test_an_upload_needs_the_team_when_the_person_has_several(client, world, bearer):
    from assistant.models import Membership

    Membership.objects.create(user=world.owner, team=world.other_team)
    assert _upload(client, bearer()).status_code == 404
    response = _upload(client, bearer(), team=world.other_team.slug)
    assert response.status_code == 201 and response.json()["team"] == world.other_team.slug


def test_bad_upload_fields_get_a_clear_400(client, world, bearer):
    response = _upload(client, bearer(), language="klingon")
    assert response.status_code == 422 and "language" in str(response.json()["detail"])
    empty = SimpleUploadedFile("empty.wav", b"", "audio/wav")
    response = client.post("/api/v1/meetings", {"audio": empty}, headers=bearer())
    assert response.status_code == 400 and "empty" in response.json()["detail"]
    assert not Meeting.objects.exists()


def test_it_gives_the_transcript_and_minutes(client, world, bearer):
    meeting = MeetingFactory(team=world.team)
    SegmentFactory(meeting=meeting, text="Alex will send the report by Friday.")
    headers = bearer(world.teammate)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/minutes", headers=headers).status_code \
        == 404
    minutes_store(meeting=meeting, result={
        "title": "Sync", "summary": ["Reports"], "decisions": [{"text": "Ship it"}],
        "action_items": [{"owner": None, "task": "Send the report", "quote": "send the report",
                          "start": 0.0}]})
    transcript = client.get(f"/api/v1/meetings/{meeting.pk}/transcript", headers=headers).json()
    assert transcript["segments"][0]["text"] == "Alex will send the report by Friday."
    minutes = client.get(f"/api/v1/meetings/{meeting.pk}/minutes", headers=headers).json()
    assert minutes["title"] == "Sync" and minutes["decisions"] == [{"text": "Ship it"}]
    assert [i["task"] for i in minutes["action_items"]] == ["Send the report"]
    listed = client.get("/api/v1/meetings", headers=headers).json()
    assert [m["id"] for m in listed] == [meeting.pk] and listed[0]["has_minutes"]


def test_another_teams_objects_answer_404(client, world, bearer):
    meeting = MeetingFactory(team=world.team)
    todo = todo_create(team=world.team, title="Do it", assignee=world.owner, due=None,
                       by=world.owner)
    job = Job.objects.create(team=world.team, kind="meetings.transcribe")
    stranger = bearer(world.stranger)
    for url in (f"/api/v1/meetings/{meeting.pk}", f"/api/v1/meetings/{meeting.pk}/transcript",
                f"/api/v1/meetings/{meeting.pk}/minutes", f"/api/v1/jobs/{job.pk}"):
        assert client.get(url, headers=stranger).status_code == 404, url
    patch = client.patch(f"/api/v1/todos/{todo.pk}", {"status": "done"},
                         content_type="application/json", headers=stranger)
    assert patch.status_code == 404
    assert client.get("/api/v1/meetings", headers=stranger).json() == []
    assert client.get("/api/v1/todos?mine=false", headers=stranger).json() == []


def test_the_assignee_moves_their_todo_and_it_is_recorded(client, world, bearer):
    todo = todo_create(team=world.team, title="Write tests", assignee=world.teammate, due=None,
                       by=world.manager)
    headers = bearer(world.teammate)
    mine = client.get("/api/v1/todos", headers=headers).json()
    assert [t["id"] for t in mine] == [todo.pk]
    response = client.patch(f"/api/v1/todos/{todo.pk}", {"status": "in_progress"},
                            content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert TodoEvent.objects.filter(todo=todo, status="in_progress",
                                    changed_by=world.teammate).exists()


def test_only_a_manager_reassigns_or_moves_the_due_date(client, world, bearer):
    todo = todo_create(team=world.team, title="Plan", assignee=world.teammate, due=None,
                       by=world.manager)
    url = f"/api/v1/todos/{todo.pk}"
    refused = client.patch(url, {"due": "2026-12-24"}, content_type="application/json",
                           headers=bearer(world.teammate))
    assert refused.status_code == 403 and "manager" in refused.json()["detail"]
    done = client.patch(url, {"assignee_id": world.owner.pk, "due": "2026-12-24"},
                        content_type="application/json", headers=bearer(world.manager))
    assert done.status_code == 200
    assert (done.json()["assignee_id"], done.json()["due"]) == (world.owner.pk, "2026-12-24")
    outsider = client.patch(url, {"assignee_id": world.stranger.pk},
                            content_type="application/json", headers=bearer(world.manager))
    assert outsider.status_code == 404 and "member" in outsider.json()["detail"]


def test_a_status_change_by_someone_else_is_refused(client, world, bearer):
    todo = todo_create(team=world.team, title="Mine", assignee=world.manager, due=None,
                       by=world.manager)
    response = client.patch(f"/api/v1/todos/{todo.pk}", {"status": "done"},
                            content_type="application/json", headers=bearer(world.teammate))
    assert response.status_code == 403
    todo.refresh_from_db()
    assert todo.status == "open"


def test_an_unknown_status_is_a_422_naming_the_field(client, world, bearer):
    todo = todo_create(team=world.team, title="Mine", assignee=world.owner, due=None,
                       by=world.owner)
    response = client.patch(f"/api/v1/todos/{todo.pk}", {"status": "finished"},
                            content_type="application/json", headers=bearer())
    assert response.status_code == 422 and "status" in str(response.json()["detail"])


def test_the_openapi_description_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/meetings", "/api/v1/jobs/{job_id}", "/api/v1/todos/{todo_id}",
            "/api/v1/meetings/{meeting_id}/minutes"} <= set(schema["paths"])
