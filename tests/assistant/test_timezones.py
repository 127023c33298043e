"""Dates are shown in the user's zone, else the team's."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assistant.models import Job

pytestmark = pytest.mark.django_db


def _job_page(client, world):
    job = Job.objects.create(team=world.team, owner=world.owner, kind="assistant.worker_check",
                             title="Clock", status=Job.Status.FAILED, error="x",
                             finished_at=dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.UTC))
    return client.get(reverse("jobs")).content.decode(), job


def test_team_time_zone_is_used_by_default(world, client_for):
    world.team.time_zone = "Asia/Tokyo"
    world.team.save()
    page, _ = _job_page(client_for(world.owner), world)
    assert "2 Jan 2026 08:30" in page


def test_user_time_zone_wins(world, client_for):
    world.owner.time_zone = "America/New_York"
    world.owner.save()
    page, _ = _job_page(client_for(world.owner), world)
    assert "1 Jan 2026 18:30" in page


def test_profile_rejects_unknown_zone(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("profile"), {"name": "X", "time_zone": "Nowhere/Land"})
    world.owner.refresh_from_db()
    assert world.owner.time_zone == ""
    assert timezone.get_current_timezone_name() == "UTC"
