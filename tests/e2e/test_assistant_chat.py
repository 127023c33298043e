"""The team assistant in the browser, with a real text worker: an admin adds a document to the
knowledge base, a member asks about it and gets an answer citing the passage."""

import re

import pytest
from playwright.sync_api import expect

from assistant.models import KnowledgeSource, Role
from tests.e2e.conftest import sign_in
from tests.factories import MembershipFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
HANDBOOK = b"""# Business travel

Travel is booked through the Navan portal so that the company can find people in an emergency.

Hotels should cost at most 140 euros per night in most cities, and 190 euros in London.
"""
SLOW = 240_000  # a cold embeddings and text model on two busy cores


def test_admin_uploads_a_document_and_a_member_gets_a_cited_answer(browser, live_server,
                                                                   workers):
    workers.env["MODEL_THREADS"] = "1"
    workers.start("text,default")
    team = TeamFactory(name="Kestrel")
    admin = MembershipFactory(team=team, role=Role.ADMIN).user
    member = MembershipFactory(team=team, role=Role.EMPLOYEE).user

    admin_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(admin_page, admin.email, PASSWORD)
    admin_page.goto("/team/knowledge/")
    admin_page.locator("#kb-documents").set_input_files(
        {"name": "travel-policy.md", "mimeType": "text/markdown", "buffer": HANDBOOK})
    admin_page.get_by_role("button", name="Add", exact=True).click()
    expect(admin_page.get_by_text("travel policy: 2 passages are being indexed")).to_be_visible()
    expect(admin_page.locator("[data-kb-status]")).to_have_text("Ready", timeout=SLOW)
    assert KnowledgeSource.objects.get(team=team).chunks.exclude(embedding=None).count() == 2
    admin_page.context.close()

    page = browser.new_context(base_url=live_server.url).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, member.email, PASSWORD)
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Assistant", exact=True).click()
    page.get_by_label("Your question").fill("What is the hotel limit per night in London?")
    page.get_by_role("button", name="Ask").click()

    citation = page.locator(".chat-citations a").first
    expect(citation).to_be_visible(timeout=SLOW)
    expect(citation).to_contain_text("travel policy")
    answer = page.locator(".chat-turn .chat-text").last
    expect(answer).to_contain_text("190 euros")
    expect(answer).to_contain_text("[1]")
    expect(page.locator(".chat-citations q")).to_contain_text("190 euros in London")

    citation.click()
    expect(page).to_have_url(re.compile(r"/team/knowledge/passages/\d+/$"))
    expect(page.locator(".kb-passage.cited")).to_contain_text("190 euros in London")
    assert not errors, errors
