"""The load test's pages (bench/load/locustfile.py) read a bounded number of rows' worth of
queries: the same count with one row as with thirty (no query per meeting, segment, speaker,
job or to-do), and a small fixed budget each (session, user, memberships, then the page's own)."""

import pytest
from django.db import connection

from assistant.models import Job
from meetings.models import ActionItem, Speaker, Todo
from tests.factories import JobFactory, MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db

# Session, user and memberships (read once, for the current team and the menu), then the page.
BUDGET = {"home": 4, "job": 4, "meetings": 4, "transcript": 8, "todos": 5, "profile": 3}


class QueryCounter:
    def __init__(self):
        self.queries: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)


def _queries(client, url: str, **headers) -> list[str]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url, **headers)
    assert response.status_code in (200, 286), (url, response.status_code)
    return counter.queries


def _add_rows(world, meeting, n: int, start: int = 0):
    """n more of everything the pages list: jobs, meetings, segments with speakers who are
    team members, to-dos from action items."""
    members = [world.owner, world.manager, world.teammate]
    for i in range(start, start + n):
        JobFactory(team=world.team, owner=world.teammate, title=f"Job {i}",
                   status=Job.Status.SUCCEEDED, progress=100)
        other = MeetingFactory(team=world.team, created_by=members[i % 3])
        speaker = Speaker.objects.create(meeting=meeting, label=f"Speaker {i}",
                                         member=members[i % 3], colour=i % 8)
        SegmentFactory(meeting=meeting, speaker=speaker, index=i, start=2.0 * i)
        item = ActionItem.objects.create(meeting=other, task=f"Task {i}", start=1.0,
                                         owner=world.teammate,
                                         status=ActionItem.Status.ACCEPTED)
        Todo.objects.create(team=world.team, assignee=world.teammate, title=f"Task {i}",
                            action_item=item, status=Todo.Status.OPEN if i % 2 else "done")


def _pages(meeting, job) -> dict[str, tuple[str, dict]]:
    return {"home": ("/", {}), "job": (f"/jobs/{job.pk}/", {"HTTP_HX_REQUEST": "true"}),
            "meetings": ("/meetings/", {}), "transcript": (f"/meetings/{meeting.pk}/", {}),
            "todos": ("/meetings/todos/", {}), "profile": ("/profile/", {})}


def test_each_hot_page_issues_as_many_queries_with_thirty_rows_as_with_one(world, client_for):
    client = client_for(world.teammate)
    meeting = MeetingFactory(team=world.team, created_by=world.owner)
    job = JobFactory(team=world.team, owner=world.teammate)
    _add_rows(world, meeting, 1)
    pages = _pages(meeting, job)
    for url, headers in pages.values():
        client.get(url, **headers)  # warm: the first request may read caches, etc.
    few = {name: _queries(client, url, **headers) for name, (url, headers) in pages.items()}
    _add_rows(world, meeting, 29, start=1)
    many = {name: _queries(client, url, **headers) for name, (url, headers) in pages.items()}
    for name in pages:
        assert len(many[name]) == len(few[name]), (name, few[name], many[name])
        assert len(few[name]) <= BUDGET[name], (name, few[name])


def test_the_transcript_page_names_speakers_without_a_query_each(world, client_for):
    meeting = MeetingFactory(team=world.team, created_by=world.owner)
    _add_rows(world, meeting, 30)
    queries = _queries(client_for(world.owner), f"/meetings/{meeting.pk}/")
    assert len(queries) <= BUDGET["transcript"], queries
    assert sum('FROM "meetings_speaker"' in q for q in queries) == 1, queries


def test_memberships_are_read_once_per_page(world, client_for):
    """TeamMiddleware reads them; the menu's team switcher uses the same list."""
    from tests.factories import MembershipFactory

    MembershipFactory(team=world.other_team, user=world.teammate)
    client = client_for(world.teammate)
    client.get("/")
    queries = _queries(client, "/")
    assert sum('FROM "assistant_membership"' in q for q in queries) == 1, queries
    response = client.get("/")
    assert b'name="team"' in response.content  # the switcher still lists both teams
    assert world.other_team.name.encode() in response.content
