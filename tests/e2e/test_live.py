"""A live room in two Chromium contexts: the host speaks through Chromium's fake microphone
(a WAV file), a teammate reads the captions appear; the host ends the room and its recording
becomes a meeting. Real uvicorn-less live server, real Celery live worker, real Whisper base."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from assistant.models import Role
from meetings.models import Meeting, Room
from tests.e2e.conftest import sign_in
from tests.eval_data import EVAL
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
JFK = EVAL / "real" / "jfk.flac"
PASSWORD = "correct horse battery"


def _person(team, name, role=Role.EMPLOYEE):
    user = UserFactory(name=name, email=name.split()[0].lower() + "@example.com")
    MembershipFactory(user=user, team=team, role=role)
    return user


def test_a_teammate_reads_the_hosts_words_live(mic_browser, live_server, workers, tmp_path):
    team = TeamFactory(name="Platform")
    _person(team, "Sam Rivera", Role.MANAGER)
    _person(team, "Nina Petrova")
    wav = tmp_path / "jfk.wav"
    subprocess.run(["sox", str(JFK), "-r", "48000", "-c", "1", "-b", "16", str(wav)], check=True)
    workers.start("live")
    browser = mic_browser(wav)
    errors = []

    def context():
        ctx = browser.new_context(base_url=live_server.url)
        ctx.set_default_timeout(20_000)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    host = context()
    sign_in(host, "sam@example.com", PASSWORD)
    host.goto("/meetings/rooms/")
    host.get_by_label("Title").fill("Speech review")
    host.get_by_role("button", name="Open the room").click()
    expect(host.get_by_role("heading", name="Speech review")).to_be_visible()

    reader = context()
    sign_in(reader, "nina@example.com", PASSWORD)
    reader.goto(host.url.replace(live_server.url, ""))
    reader.get_by_role("button", name="Join the room").click()
    expect(reader.locator("[data-presence]")).to_contain_text("Sam Rivera (host)")

    host.get_by_role("button", name="● Turn on my microphone").click()
    expect(host.locator("[data-mic-status]")).to_have_text("Everyone reads what you say.")
    final = reader.locator(".caption.final", has_text=re.compile("country", re.I)).first
    expect(final).to_be_visible(timeout=180_000)
    expect(final.locator(".who")).to_have_text("Sam Rivera")
    expect(host.locator(".caption.final", has_text=re.compile("country", re.I)).first
           ).to_be_visible()

    host.get_by_role("button", name="End the room").click()
    expect(reader.get_by_text("The room ended")).to_be_visible(timeout=30_000)
    room = wait_for(lambda: Room.objects.filter(archived=True).first(), 120,
                    "the room to become a meeting")
    meeting = Meeting.objects.get(pk=room.meeting_id)
    assert meeting.title == "Speech review" and meeting.audio_size > 16000 * 2 * 5
    assert meeting.job.kind == "meetings.transcribe"
    assert not errors, errors
