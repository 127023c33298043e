"""Learning in the browser, with a real worker: a manager recomputes the team's suggestions,
assigns one of a member's suggested resources with a due date, and the member finds it in
My to-dos."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from assistant.models import Job, Membership
from learning.models import Suggestion
from meetings.models import Todo
from tests.e2e.conftest import sign_in
from tests.learning import fixture_team
from tests.workers import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _menu(page, label):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=label,
                                                                   exact=True)


def test_a_manager_assigns_a_suggested_resource_and_the_member_sees_it(page, browser,
                                                                        live_server, workers):
    fixture = fixture_team.build()
    erin, ben = fixture.manager, fixture.members["ben"].user
    workers.start("default")

    # Erin recomputes everyone's suggestions from the team's skill page and sees the matrix.
    sign_in(page, erin.email, PASSWORD)
    _menu(page, "Team skills").click()
    expect(page.locator("svg.heatmap rect")).to_have_count(5 * 8)
    page.get_by_role("button", name="Recompute everyone's suggestions").click()
    expect(page.locator("#refresh-job .job")).to_be_visible()
    wait_for(lambda: Job.objects.filter(kind="learning.recompute",
                                        status__in=["succeeded", "failed"]).exists(), 300,
             "the suggestions to be computed")
    job = Job.objects.get(kind="learning.recompute")
    assert job.status == "succeeded", job.error
    expect(page.locator("#refresh-job")).to_contain_text("Done")

    # On Ben's page she assigns his first suggestion, due in a week.
    top = Suggestion.objects.filter(member=ben, rank=1).select_related("resource").get()
    page.get_by_role("link", name="Ben Okafor").click()
    card = page.locator(f"#suggestion-{top.pk}")
    expect(card).to_contain_text(top.resource.title)
    expect(card.locator(".because")).to_contain_text("Because your manager rates your Security")
    due = date.today() + timedelta(days=7)
    card.get_by_label("Due").fill(due.isoformat())
    card.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(re.compile(f"“{re.escape(top.resource.title)}” is assigned to "
                                       "Ben Okafor"))).to_be_visible()
    todo = Todo.objects.get(assignee=ben, title__startswith="Learning:")
    assert (todo.title, todo.due, todo.created_by) == (f"Learning: {top.resource.title}", due,
                                                       erin)

    # Ben sees it in his to-dos, and as assigned learning with its reason.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    ben_page = context.new_page()
    sign_in(ben_page, ben.email, PASSWORD)
    _menu(ben_page, "My to-dos").click()
    expect(ben_page.locator(f"#todo-{todo.pk}")).to_contain_text(
        f"Learning: {top.resource.title}")
    _menu(ben_page, "Learning").click()
    expect(ben_page.locator(f"#suggestion-{top.pk}")).to_contain_text("Assigned by Erin Walsh")
    context.close()
    assert Membership.objects.filter(team=fixture.team).count() == 5
