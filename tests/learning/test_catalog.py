"""The catalog: import from CSV or JSON (all rows or none), meetings as resources, embeddings
computed once per text and cached on the row."""

import json

import numpy as np
import pytest

from assistant.jobs import job_run
from assistant.models import Job
from learning import catalog, embedding, services, tasks
from learning.models import Resource, Skill
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

CSV = (b"title,url,kind,duration,skills,level,description\n"
       b"Pytest in an hour,https://learn.example.com/pytest,course,60,Testing,beginner,"
       b"Fixtures and asserts\n"
       b"Index design,,article,15,Testing;SQL,3,Which columns to index\n")


@pytest.fixture
def skills(world):
    return [Skill.objects.create(team=world.team, name=n, description=f"{n} work")
            for n in ("Testing", "SQL")]


def test_it_imports_every_row_of_a_csv(world, skills):
    created = catalog.resources_import(team=world.team, name="c.csv", data=CSV, by=world.owner)
    assert [r.title for r in created] == ["Pytest in an hour", "Index design"]
    pytest_row = Resource.objects.get(title="Pytest in an hour")
    assert (pytest_row.kind, pytest_row.level, pytest_row.duration_minutes) == ("course", 1, 60)
    index = Resource.objects.get(title="Index design")
    assert sorted(index.skills.values_list("name", flat=True)) == ["SQL", "Testing"]
    assert index.level == 3


def test_it_imports_json_with_skill_lists(world, skills):
    data = json.dumps({"resources": [{"title": "Joins", "kind": "video", "skills": ["SQL"],
                                      "level": 2, "duration": 12}]}).encode()
    (row,) = catalog.resources_import(team=world.team, name="c.json", data=data, by=world.owner)
    assert list(row.skills.values_list("name", flat=True)) == ["SQL"]


def test_a_bad_row_imports_nothing_and_every_error_is_reported(world, skills):
    data = CSV + (b"Rust,,article,,Rust,1,\n"
                  b",,video,,Testing,1,\n"
                  b"Slides,notaurl,podcast,ten,Testing,9,\n")
    with pytest.raises(catalog.ImportFailed) as failed:
        catalog.resources_import(team=world.team, name="c.csv", data=data, by=world.owner)
    errors = failed.value.errors
    assert errors[0] == "Row 3: unknown skill(s) Rust: add them under Skills first."
    assert errors[1] == "Row 4: a title is required."
    assert errors[2].startswith("Row 5: kind “podcast” is not one of")
    assert len(errors) == 3
    assert not Resource.objects.exists()


@pytest.mark.parametrize("data, message", [
    (b"name,url\nx,y\n", "The CSV needs a header row"),
    (b"[{\"title\": 1", "The JSON is not valid"),
    (b"{\"title\": \"x\"}", "JSON must be a list of objects"),
    (b"\xff\xfe", "The file is not UTF-8 text."),
    (b"title\n", "The file has no rows."),
])
def test_unreadable_files_are_refused_clearly(world, skills, data, message):
    with pytest.raises(catalog.ImportFailed) as failed:
        catalog.resources_import(team=world.team, name="c.csv", data=data, by=world.owner)
    assert failed.value.errors[0].startswith(message)


def test_skills_of_another_team_are_unknown(world, skills):
    Skill.objects.create(team=world.other_team, name="Kotlin", description="Kotlin")
    with pytest.raises(catalog.ImportFailed):
        catalog.resources_import(team=world.team, name="c.csv",
                                 data=b"title,skills\nK,Kotlin\n", by=world.owner)


def test_a_recorded_meeting_becomes_a_resource(world, skills):
    meeting = MeetingFactory(team=world.team, title="Incident review", duration=1800)
    meeting.decisions.create(text="We add a runbook for failed deploys.")
    resource = catalog.resource_from_meeting(team=world.team, meeting=meeting, level=2,
                                             skills=skills[:1], by=world.owner)
    assert resource.kind == "meeting" and resource.url == f"/meetings/{meeting.pk}/"
    assert "runbook for failed deploys" in resource.description
    assert resource.duration_minutes == 30
    other = MeetingFactory(team=world.other_team)
    with pytest.raises(Exception, match="another team"):
        catalog.resource_from_meeting(team=world.team, meeting=other, level=1, skills=[],
                                      by=world.owner)


def test_embeddings_are_computed_once_and_again_only_when_the_text_changes(world, skills):
    catalog.resources_import(team=world.team, name="c.csv", data=CSV, by=world.owner)
    job = services.embed_queue(team=world.team, by=world.owner)
    assert services.embed_queue(team=world.team, by=world.owner) == job  # one at a time
    job_run(job_id=str(job.pk), func=tasks.embed.job_function)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"embedded": 4}
    row = Resource.objects.get(title="Pytest in an hour")
    assert row.vector.shape == (384,) and np.linalg.norm(row.vector) == pytest.approx(1, 1e-4)
    assert embedding.team_embed(team=world.team) == 0
    row.description = "Parametrised tests and monkeypatch"
    row.save()
    assert embedding.team_embed(team=world.team) == 1
