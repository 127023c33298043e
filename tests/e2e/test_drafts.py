"""Drafts in the browser with a real text worker and the embedded model: an email, a reply and
a follow-up streamed in and edited, a stopped draft, feedback shared, and a daily report
submitted that the manager then reads."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assistant.models import Role
from meetings.minutes import minutes_store
from meetings.models import Todo, TodoEvent
from reports.models import DailyReport, Draft
from tests.e2e.conftest import sign_in
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    SegmentFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
WRITING = 90_000  # the first draft also waits for the worker to load the model


@pytest.fixture
def one_thread(monkeypatch):
    # Two cores shared with the browser and the server: one model thread answers sooner.
    monkeypatch.setenv("MODEL_THREADS", "1")


def _person(team, name, role=Role.EMPLOYEE):
    user = UserFactory(name=name, email=name.split()[0].lower() + "@example.com")
    MembershipFactory(user=user, team=team, role=role)
    return user


def _menu(page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()


def _wait_until_written(page, timeout: float = 30_000) -> str:
    """The editor once the stream said it is done; returns the text."""
    expect(page.locator("[data-draft-status]")).to_have_text("Ready to edit", timeout=timeout)
    body = page.locator("[data-draft-body]")
    expect(body).to_be_editable()
    return body.input_value()


def test_drafting_in_the_browser(browser, live_server, one_thread, workers):
    team = TeamFactory(name="Platform", time_zone="UTC")
    dev = _person(team, "Dev Patel", Role.MANAGER)
    alice = _person(team, "Alice Moreau")
    workers.start("text,default")
    today = timezone.localdate()
    todo = Todo.objects.create(team=team, assignee=alice, title="Run the production migration",
                               status="done", created_by=dev)
    TodoEvent.objects.create(todo=todo, status="done")
    meeting = MeetingFactory(team=team, title="Platform weekly", held_on=today)
    SegmentFactory(meeting=meeting)
    minutes_store(meeting=meeting, result={
        "title": "Platform weekly", "attendees": ["Dev Patel", "Alice Moreau"],
        "summary": [{"text": "The migration scripts are ready"}],
        "decisions": [{"text": "Postpone the mobile launch"}],
        "action_items": [{"owner": "Alice Moreau", "task": "Send a status email",
                          "due": (today + dt.timedelta(days=2)).isoformat(), "quote": "",
                          "start": 1.0}]})

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, alice.email, PASSWORD)

    # A free-form email: the greeting is there at once, the rest streams in.
    _menu(page, "Drafts")
    page.get_by_role("link", name="New email").click()
    page.get_by_label("To (names)").fill("Bob Okafor")
    page.get_by_label("Their email addresses").fill("bob@example.com")
    page.get_by_label("Purpose").fill("the staging database clean-up")
    page.get_by_label("Key points, one a line").fill("Staging is read-only on Friday\n"
                                                    "Back up your test data")
    page.get_by_role("button", name="Write the draft").click()
    expect(page.locator("[data-draft-body]")).to_have_value(re.compile(r"^Hi Bob,"))
    text = _wait_until_written(page, WRITING)
    assert "- Staging is read-only on Friday\n- Back up your test data" in text
    assert text.endswith("Thanks,\nAlice Moreau") and "[" not in text
    assert page.locator("form[data-draft]").get_attribute("data-first-piece-at") or \
        Draft.objects.get().outcome["parts"][0]["source"] == "stock"
    href = page.get_by_role("link", name="Open in my mail app").get_attribute("href")
    assert href.startswith("mailto:bob@example.com?subject=The%20staging")
    page.locator("[data-draft-body]").fill(text + "\n\nP.S. Ask me for a dump.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert Draft.objects.get().body.endswith("P.S. Ask me for a dump.")

    # A reply, stopped at once: the facts still arrive, with the stock sentences.
    page.goto("/reports/drafts/reply/")
    page.get_by_label("The email you are answering").fill(
        "From: Bob Okafor <bob@example.com>\nSubject: Staging\n\nCan I keep my data?")
    page.get_by_label("Your answer, in a few words").fill("Yes, if you back it up by Thursday")
    page.get_by_role("button", name="Write the draft").click()
    stop = page.get_by_role("button", name="Stop")
    stopped = stop.is_visible()
    if stopped:  # the model may be quicker than the click
        stop.click()
    text = _wait_until_written(page)
    assert text.startswith("Hi Bob,") and "Yes, if you back it up by Thursday" in text
    reply = Draft.objects.get(kind="reply")
    if stopped:
        assert reply.outcome.get("stopped") or "stopped" in reply.outcome.get("error", "")

    # The follow-up to the meeting, from its minutes.
    page.goto(f"/reports/drafts/followup/{meeting.pk}/")
    page.get_by_role("button", name="Write the draft").click()
    text = _wait_until_written(page)
    assert "- Alice Moreau: Send a status email (due " in text
    assert "Decisions:\n- Postpone the mobile launch" in text
    assert page.get_by_label("To (email addresses)").input_value() == \
        "dev@example.com, alice@example.com"

    # The daily report: from today's to-dos and the meeting, edited, submitted.
    _menu(page, "Daily report")
    page.get_by_label("Notes").fill("Migration took 25 minutes.")
    page.get_by_role("button", name="Draft my report").click()
    text = _wait_until_written(page)
    assert "Done:\n- Run the production migration" in text
    assert "Notes:\nMigration took 25 minutes." in text
    page.locator("[data-draft-body]").fill(text.replace("Notes:", "Notes (edited):"))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit to my manager").click()
    expect(page.get_by_text("Report submitted to your manager.")).to_be_visible()
    assert DailyReport.objects.get().is_submitted
    context.close()

    # The manager reads it, then writes feedback and shares it.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, dev.email, PASSWORD)
    _menu(page, "Team reports")
    expect(page.locator(".report", has_text="Alice Moreau")).to_contain_text(
        "Notes (edited):")
    page.goto("/reports/drafts/feedback/")
    page.get_by_label("Member").select_option(label=str(alice))
    page.get_by_label("What you observed, one point a line").fill("The migration went smoothly")
    page.get_by_role("button", name="Write the draft").click()
    text = _wait_until_written(page)
    assert "Behaviour:\n- Completed: Run the production migration" in text
    assert "- The migration went smoothly" in text
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Share with Alice Moreau").click()
    expect(page.get_by_text("Alice Moreau can read this feedback now.")).to_be_visible()
    context.close()
    assert not errors, errors
