"""Reads that views, tasks and feature apps share."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from .models import ROLE_RANK, Job, Membership, Role, Team, User

SESSION_TEAM_KEY = "team_id"


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("team", "team__organisation")


def membership_current(*, request, memberships: list[Membership] | None = None
                       ) -> Membership | None:
    """The team chosen in this session, else the one where the user has the most say.
    `memberships`: the user's, when the caller has read them already."""
    if memberships is None:
        memberships = list(memberships_of(user=request.user))
    chosen = request.session.get(SESSION_TEAM_KEY)
    for membership in memberships:
        if membership.team_id == chosen:
            return membership
    if not memberships:
        return None
    return max(memberships, key=lambda m: (ROLE_RANK[Role(m.role)], -m.joined_at.timestamp()))


def membership_for(*, user: User, team: Team) -> Membership | None:
    return Membership.objects.filter(user=user, team=team).first()


def get_for_user(queryset: QuerySet, user: User, *, min_role: str = Role.EMPLOYEE, **lookup):
    """One team-scoped object, or 404 — also for objects of teams the user is not in."""
    try:
        return queryset.for_user(user, min_role=min_role).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such object in your teams") from None


def jobs_failed(*, team: Team) -> QuerySet[Job]:
    return Job.objects.filter(team=team, status=Job.Status.FAILED).select_related("owner")
