"""Reads for records: who sees which record, search, and templates."""

from django.db.models import Q, QuerySet
from django.http import Http404

from assistant.models import Membership, Team, User
from assistant.selectors import get_for_user

from .records_models import Record, RecordTemplate


def templates_for(*, team: Team) -> QuerySet[RecordTemplate]:
    return RecordTemplate.objects.filter(team=team)


def records_visible(*, user: User, membership: Membership) -> QuerySet[Record]:
    """The team's records this person may see: their own, and all of the templates naming
    their role."""
    shown = [t.pk for t in templates_for(team=membership.team) if t.shows_all_to(membership.role)]
    return (
        Record.objects.for_user(user)
        .filter(team=membership.team)
        .filter(Q(author=user) | Q(template_id__in=shown, status=Record.Status.SAVED))
        .select_related("template", "version", "author")
    )


def record_for(*, user: User, membership: Membership, pk: int) -> Record:
    """One record this person may see, else 404 (also for another team's)."""
    record = get_for_user(
        Record.objects.select_related("template", "version", "author"), user, pk=pk
    )
    if (
        record.team_id != membership.team_id
        or not records_visible(user=user, membership=membership).filter(pk=record.pk).exists()
    ):
        raise Http404("No such record in your teams")
    return record


def records_search(*, records: QuerySet[Record], query: str) -> QuerySet[Record]:
    """Saved records whose values or transcript contain every word of the query."""
    for word in query.split()[:8]:
        records = records.filter(search_text__icontains=word)
    return records
