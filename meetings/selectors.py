"""Reads for meetings: the list, search across transcripts, one transcript."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from assistant.models import Team

from .models import Meeting, Segment, VoiceProfile


@dataclass
class SearchHit:
    meeting: Meeting
    segment: Segment | None


def meetings_for_team(*, team: Team) -> QuerySet[Meeting]:
    return Meeting.objects.filter(team=team).select_related("job", "created_by")


def meetings_search(*, team: Team, query: str, limit: int = 50) -> list[SearchHit]:
    """Meetings whose title or transcript matches, each with its best segment."""
    query = query.strip()
    if not query:
        return []
    segments = Segment.objects.filter(meeting__team=team).select_related("meeting")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        search = SearchQuery(query, search_type="websearch", config="simple")
        segments = (segments.annotate(rank=SearchRank(SearchVector("text", config="simple"),
                                                      search))
                    .filter(rank__gt=0).order_by("-rank", "start"))
    else:  # SQLite: every word must appear, in any order
        for word in query.split():
            segments = segments.filter(text__icontains=word)
        segments = segments.order_by("meeting", "start")
    hits: dict[int, SearchHit] = {}
    for segment in segments[: limit * 5]:
        hits.setdefault(segment.meeting_id, SearchHit(segment.meeting, segment))
    for meeting in Meeting.objects.filter(team=team, title__icontains=query):
        hits.setdefault(meeting.pk, SearchHit(meeting, None))
    return list(hits.values())[:limit]


def transcript(*, meeting: Meeting) -> QuerySet[Segment]:
    return meeting.segments.select_related("speaker", "speaker__member")


def segments_for_display(*, segments: Iterable[Segment]) -> list[Segment]:
    """The segments with what meetings/partials/segment.html writes for each computed here, not
    by a filter and `{% url %}` per segment in the template (~0.1 ms of CPU each, 60 to a page):
    `seek` (the start with two decimals, for data-seek), `second` (the start rounded half up,
    as floatformat:0 writes it), `edit_url` and `history_url`."""
    edit_url, history_url = _url_for_each("segment-edit"), _url_for_each("segment-history")
    segments = list(segments)
    for segment in segments:
        segment.seek = f"{segment.start:.2f}"
        segment.second = str(int(Decimal(repr(segment.start)).quantize(Decimal(1), ROUND_HALF_UP)))
        segment.edit_url, segment.history_url = edit_url(segment.pk), history_url(segment.pk)
    return segments


def _url_for_each(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for any pk, for the cost of one reverse: the URL around a
    marker."""
    marker = "918273645"
    head, found, tail = reverse(name, args=[marker]).rpartition(marker)
    if not found:
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{head}{pk}{tail}"


def enrolled_voices(*, team: Team) -> tuple[dict, dict]:
    """({member name: embedding}, {member name: user}) for the team's enrolled members."""
    import numpy as np

    profiles = VoiceProfile.objects.filter(user__memberships__team=team).select_related("user")
    voices, members = {}, {}
    for profile in profiles:
        if profile.embedding:
            name = profile.user.display_name
            voices[name] = np.asarray(profile.embedding, dtype="float32")
            members[name] = profile.user
    return voices, members
