"""Sign-up, organisations, teams, invitations and switching."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from assistant.models import Invitation, Membership, Organisation, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_requires_email_verification(client):
    response = client.post(reverse("account_signup"), {
        "email": "new@example.com", "password1": "a long enough passphrase",
        "password2": "a long enough passphrase"})
    assert response.status_code == 302
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body
    # Unverified: not signed in yet.
    assert client.get(reverse("home")).status_code == 302


def test_user_without_team_sees_onboarding_and_creates_organisation(client_for):
    user = UserFactory()
    client = client_for(user)
    page = client.get(reverse("home"))
    assert "Create your organisation" in page.content.decode()
    response = client.post(reverse("organisation-new"), {
        "name": "Acme", "team_name": "Support", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.ADMIN
    assert membership.team.organisation == Organisation.objects.get(name="Acme")
    assert membership.team.time_zone == "Asia/Tokyo"
    assert "Support" in client.get(reverse("home")).content.decode()


def test_organisation_form_rejects_unknown_time_zone(client_for):
    client = client_for(UserFactory())
    response = client.post(reverse("organisation-new"), {
        "name": "Acme", "team_name": "Support", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_admin_invites_and_invitee_accepts(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("invitation-new"), {"email": "Newbie@Example.com", "role": "manager"})
    invitation = Invitation.objects.get(team=world.team)
    assert invitation.email == "newbie@example.com"
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert invitation.token in link

    newbie = UserFactory(email="newbie@example.com")
    client = client_for(newbie)
    page = client.get(reverse("invitation-accept", args=[invitation.token]))
    assert world.team.name in page.content.decode()
    client.post(reverse("invitation-accept", args=[invitation.token]))
    assert Membership.objects.get(user=newbie, team=world.team).role == Role.MANAGER
    # An invitation works once.
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_for_someone_else_is_refused(world, client_for):
    invitation = Invitation.objects.create(team=world.team, email="someone@example.com")
    client = client_for(world.stranger)
    client.post(reverse("invitation-accept", args=[invitation.token]))
    assert not Membership.objects.filter(user=world.stranger, team=world.team).exists()


def test_employee_cannot_invite(world, client_for):
    response = client_for(world.teammate).post(reverse("invitation-new"),
                                               {"email": "x@example.com", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_to_existing_member_is_refused(world, client_for):
    client_for(world.owner).post(reverse("invitation-new"),
                                 {"email": world.teammate.email, "role": "employee"})
    assert not Invitation.objects.exists()


def test_anonymous_invitee_is_sent_to_sign_in_and_back(world, client):
    invitation = Invitation.objects.create(team=world.team, email="later@example.com")
    page = client.get(reverse("invitation-accept", args=[invitation.token]))
    assert "later@example.com" in page.content.decode()
    assert client.session["invitation_token"] == invitation.token


def test_switch_team(world, client_for):
    MembershipFactory(user=world.teammate, team=world.other_team)
    client = client_for(world.teammate)
    client.post(reverse("team-switch"), {"team": world.other_team.pk})
    assert world.other_team.name in client.get(reverse("home")).content.decode()
    client.post(reverse("team-switch"), {"team": world.team.pk})
    assert "working in <strong>Blue Team" in client.get(reverse("home")).content.decode()


def test_cannot_switch_to_a_team_you_are_not_in(world, client_for):
    response = client_for(world.stranger).post(reverse("team-switch"), {"team": world.team.pk})
    assert response.status_code == 404


def test_last_admin_cannot_be_demoted_or_removed(world, client_for):
    client = client_for(world.owner)
    own = Membership.objects.get(user=world.owner, team=world.team)
    client.post(reverse("member-role", args=[own.pk]), {"role": "employee"})
    client.post(reverse("member-remove", args=[own.pk]))
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_admin_changes_role_and_removes_member(world, client_for):
    client = client_for(world.owner)
    teammate = Membership.objects.get(user=world.teammate, team=world.team)
    client.post(reverse("member-role", args=[teammate.pk]), {"role": "manager"})
    teammate.refresh_from_db()
    assert teammate.role == Role.MANAGER
    client.post(reverse("member-remove", args=[teammate.pk]))
    assert not Membership.objects.filter(pk=teammate.pk).exists()


def test_admin_creates_second_team_in_organisation(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("team-new"), {"name": "Night shift", "time_zone": "UTC"})
    team = Membership.objects.get(user=world.owner, team__name="Night shift").team
    assert team.organisation == world.team.organisation
    assert team.slug == "night-shift"
