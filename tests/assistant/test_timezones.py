"""Dates are shown in the user's zone, else the team's."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from assistant.forms import NewTeamForm, OrganisationForm, ProfileForm, TeamForm, TimeZoneSelect
from assistant.models import TIME_ZONE_CHOICES, Job

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


CHOICES = [("", "My team's time zone"), *TIME_ZONE_CHOICES]


@pytest.mark.parametrize("value", ["", "Europe/Paris", None, "Nowhere/Land", "UTC"])
def test_the_time_zone_select_writes_what_djangos_select_writes(value):
    """Rendered once per process instead of one template per option: the same HTML."""
    attrs = {"id": "id_time_zone", "required": True, "aria-invalid": "true",
             "aria-describedby": "id_time_zone_helptext", "disabled": False}
    ours = TimeZoneSelect(choices=CHOICES).render("time_zone", value, attrs)
    assert ours == forms.Select(choices=CHOICES).render("time_zone", value, attrs)
    assert ours.count(" selected") == (0 if value == "Nowhere/Land" else 1)


def test_the_time_zone_select_escapes_its_labels_and_attributes():
    html = TimeZoneSelect(choices=[("<b>", "<i>x</i>")]).render('"><script>', "<b>",
                                                               {"title": '"x'})
    assert "<script>" not in html and "<i>" not in html and 'title="&quot;x"' in html
    assert '<option value="&lt;b&gt;" selected>&lt;i&gt;x&lt;/i&gt;</option>' in html


def test_every_time_zone_field_uses_it():
    for form in (OrganisationForm, NewTeamForm, TeamForm, ProfileForm):
        assert isinstance(form().fields["time_zone"].widget, TimeZoneSelect), form


def test_the_profile_page_selects_the_saved_zone(world, client_for):
    client = client_for(world.owner)
    response = client.post(reverse("profile"), {"name": "X", "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    world.owner.refresh_from_db()
    assert world.owner.time_zone == "Europe/Paris"
    page = client.get(reverse("profile")).content.decode()
    assert '<label for="id_time_zone">Time zone</label>' in page
    assert page.count(" selected>") == 1
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in page
