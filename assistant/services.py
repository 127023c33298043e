"""Writes for accounts, organisations, teams and invitations."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .models import Invitation, Membership, Organisation, Role, Team, User


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, user: User, name: str, team_name: str, time_zone: str = "UTC") -> Team:
    """A new organisation with its first team, the creator as that team's admin."""
    organisation = Organisation.objects.create(name=name.strip(), created_by=user)
    return team_create(organisation=organisation, user=user, name=team_name, time_zone=time_zone)


def organisation_admin(*, user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, team__organisation=organisation,
                                     role=Role.ADMIN).exists()


@transaction.atomic
def team_create(*, organisation: Organisation, user: User, name: str,
                time_zone: str = "UTC") -> Team:
    """A team in the organisation; the user who creates it becomes its admin."""
    team = Team(organisation=organisation, name=name.strip(), slug=_unique_slug(name),
                time_zone=time_zone)
    team.full_clean()
    team.save()
    Membership.objects.create(user=user, team=team, role=Role.ADMIN)
    return team


def invitation_create(*, team: Team, invited_by: User, email: str, role: str) -> Invitation:
    """Invite an email address to the team and send them the link."""
    email = email.strip().lower()
    if Membership.objects.filter(team=team, user__email=email).exists():
        raise ValidationError(f"{email} is already in {team}.")
    Invitation.objects.filter(team=team, email=email, accepted_at=None).delete()
    invitation = Invitation.objects.create(team=team, email=email, role=role,
                                           invited_by=invited_by)
    link = settings.SITE_URL + reverse("invitation-accept", args=[invitation.token])
    body = render_to_string("assistant/email/invitation.txt",
                            {"invitation": invitation, "link": link})
    send_mail(f"Join {team} on Team Assistant", body, None, [email])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn an open invitation into a membership for the invited email's user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation has been used or has expired. Ask for a new one.")
    if user.email.lower() != invitation.email:
        raise PermissionDenied(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, team=invitation.team, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_one_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        _keep_one_admin(membership)
    membership.delete()


def _keep_one_admin(membership: Membership) -> None:
    others = Membership.objects.filter(team=membership.team, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError("A team needs at least one admin. Make someone else admin first.")
