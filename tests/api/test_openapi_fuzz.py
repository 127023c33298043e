"""schemathesis generates requests from the served OpenAPI description and checks every answer
against it: no server errors, documented status codes, bodies matching their schemas.

Bounded (a few examples per operation, no example database) so it runs in seconds.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from api.services import token_create
from meetings.todos import todo_create
from tests.factories import MeetingFactory, SegmentFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def token(world):
    # As Django's test client does: the test's transaction outlives each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    MeetingFactory(team=world.team)
    SegmentFactory(meeting__team=world.team)
    todo_create(team=world.team, title="Fuzz me", assignee=world.owner, due=None, by=world.owner)
    yield token_create(user=world.owner, name="fuzz")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_description(case, token):
    # Invalid data is still sent (and must not cause a 5xx or an undocumented answer), but
    # unknown query parameters are ignored, as most APIs do, rather than refused.
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           excluded_checks=[negative_data_rejection])
