"""`manage.py recommend` and the recompute jobs (real model, no worker process)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assistant.jobs import job_run
from assistant.models import Job
from learning import services, tasks
from learning.models import Suggestion
from tests.factories import MembershipFactory
from tests.learning import fixture_team

pytestmark = pytest.mark.django_db


def _recommend(*args) -> str:
    out = StringIO()
    call_command("recommend", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_members_best_resources_as_json():
    fixture = fixture_team.build()
    rows = json.loads(_recommend("--member", "BEN@platform.test", "--top", "3", "--json"))
    assert [set(r) for r in rows] == [{"resource", "score", "because"}] * 3
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"] > 0
    assert all(r["because"].startswith("Because ") for r in rows)
    assert "Security" in rows[0]["because"]
    stored = Suggestion.objects.filter(member=fixture.members["ben"].user, rank=1).get()
    assert stored.resource.title == rows[0]["resource"]
    text = _recommend("--member", "ben@platform.test", "--team", "platform")
    assert text.startswith(f"1. {rows[0]['resource']} (")


def test_it_refuses_unknown_people_and_asks_which_team():
    fixture = fixture_team.build()
    with pytest.raises(CommandError, match="No one signs in as nobody@example.com"):
        _recommend("--member", "nobody@example.com")
    MembershipFactory(user=fixture.members["ana"].user)
    with pytest.raises(CommandError, match="in several teams .*: choose one with --team"):
        _recommend("--member", "ana@platform.test")
    with pytest.raises(CommandError, match="not a member of a team “nope”"):
        _recommend("--member", "ana@platform.test", "--team", "nope")
    with pytest.raises(CommandError, match="--top takes a number from 1 to 100"):
        _recommend("--member", "ana@platform.test", "--top", "0")


def test_the_recompute_job_does_one_member_or_the_whole_team():
    fixture = fixture_team.build()
    dev = fixture.members["dev"].user
    job = services.recompute_queue(team=fixture.team, by=fixture.manager, member=dev)
    job_run(job_id=str(job.pk), func=tasks.recompute.job_function)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["members"] == 1
    assert set(Suggestion.objects.values_list("member", flat=True)) == {dev.pk}
    team_job = services.recompute_queue(team=fixture.team, by=None)
    job_run(job_id=str(team_job.pk), func=tasks.recompute.job_function)
    team_job.refresh_from_db()
    assert team_job.result["members"] == 5
    assert Suggestion.objects.values("member").distinct().count() == 5


def test_the_weekly_beat_queues_a_recompute_per_team_with_a_catalog(world):
    fixture = fixture_team.build()
    assert tasks.recompute_weekly() == 1  # the world's team has no catalog
    job = Job.objects.get(kind="learning.recompute")
    assert (job.team, job.params) == (fixture.team, {"member": None})
    assert tasks.recompute_weekly() == 1
    assert Job.objects.filter(kind="learning.recompute").count() == 1  # still queued: reused


def test_a_job_for_someone_who_left_fails_clearly(world):
    job = services.recompute_queue(team=world.team, by=world.owner, member=world.stranger)
    job_run(job_id=str(job.pk), func=tasks.recompute.job_function)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "That person is no longer in the team.")
