"""Sign up, create an organisation, invite, sign in as the demo manager, switch teams."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from playwright.sync_api import expect

from assistant.models import Membership, Role
from tests.e2e.conftest import last_link_in_email, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"


def _sign_up(page, email: str, live_server) -> None:
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Verify Your Email Address")).to_be_visible()
    link = last_link_in_email(email).replace("http://testserver", live_server.url)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    page.get_by_role("button", name="Confirm").click()


def test_sign_up_create_organisation_and_invite(page, live_server, settings):
    settings.SITE_URL = live_server.url
    _sign_up(page, "founder@example.com", live_server)
    expect(page.get_by_role("heading", name="Welcome to Team Assistant")).to_be_visible()
    page.get_by_label("Organisation name").fill("Acme")
    page.get_by_label("First team").fill("Support")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Members of Support")).to_be_visible()

    page.get_by_label("Email", exact=True).fill("colleague@example.com")
    page.get_by_label("Role", exact=True).select_option("manager")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to colleague@example.com")).to_be_visible()
    invitation_link = last_link_in_email("colleague@example.com")

    page.get_by_role("button", name="Sign out").click()
    page.goto(invitation_link)
    expect(page.get_by_text("This invitation is for colleague@example.com")).to_be_visible()
    _sign_up(page, "colleague@example.com", live_server)
    page.get_by_role("button", name="Accept and join").click()
    expect(page.get_by_text("Welcome to Support")).to_be_visible()
    membership = Membership.objects.get(user__email="colleague@example.com")
    assert (membership.team.name, membership.role) == ("Support", Role.MANAGER)


def test_demo_manager_signs_in_with_second_factor_and_switches_team(page):
    call_command("seed_demo")
    secret = decrypt(Authenticator.objects.get(user__email="manager@demo.local").data["secret"])
    sign_in(page, "manager@demo.local", "team-assistant-demo", totp_secret=secret)
    expect(page.get_by_text("You are working in Demo Team as manager")).to_be_visible()
    page.get_by_label("Team").select_option(label="Demo Research (Employee)")
    expect(page.get_by_text("You are now working in Demo Research")).to_be_visible()
    expect(page.get_by_text("as employee")).to_be_visible()


def test_keyboard_skip_link_and_dark_mode(page, live_server):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_role("button", name="Switch between light and dark").click()
    assert page.evaluate("document.documentElement.dataset.theme") in ("dark", "light")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_role("button", name="Switch between light and dark").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
