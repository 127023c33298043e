"""Meetings in the browser, with a real worker: upload → transcript → speakers → to-dos,
and recording with Chromium's fake microphone (kept in IndexedDB across a reload)."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assistant.models import Role
from meetings.models import ActionItem, Meeting, VoiceProfile
from tests.e2e.conftest import sign_in
from tests.eval_data import EVAL
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _wav(source: Path, folder: Path) -> Path:
    """Chromium's fake microphone plays a WAV file in a loop."""
    out = folder / (source.stem + ".wav")
    subprocess.run(["sox", str(source), "-r", "48000", "-c", "1", "-b", "16", str(out)],
                   check=True)
    return out


def _page(browser, live_server, user=None):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    if user is not None:
        sign_in(page, user.email, PASSWORD)
    return page


def _person(team, name, role=Role.EMPLOYEE):
    user = UserFactory(name=name, email=name.split()[0].lower() + "@example.com")
    MembershipFactory(user=user, team=team, role=role)
    return user


def test_upload_to_named_transcript_to_accepted_todos(mic_browser, live_server, workers,
                                                      settings, tmp_path):
    settings.SITE_URL = live_server.url
    team = TeamFactory(name="IT desk", time_zone="Europe/London")
    sam = _person(team, "Sam Rivera", Role.MANAGER)
    nina = _person(team, "Nina Petrova")
    _person(team, "Kofi Mensah")
    workers.start("speech,text,default")
    browser = mic_browser(_wav(EVAL / "audio/it-standup.voices/nina-petrova.flac", tmp_path))

    # Nina enrolls her voice with the (fake) microphone.
    page = _page(browser, live_server, nina)
    page.goto("/meetings/voice/")
    page.get_by_label("I agree to my voice being used").check()
    page.get_by_role("button", name="● Start recording").click()
    page.wait_for_timeout(7000)
    page.get_by_role("button", name="■ Stop and save").click()
    wait_for(lambda: VoiceProfile.objects.filter(user=nina).exclude(embedding=[]).exists(),
             120, "Nina's voice to be learnt")

    # Sam uploads the stand-up and watches it being processed.
    page = _page(browser, live_server, sam)
    page.goto("/meetings/")
    page.locator("#upload-audio").set_input_files(str(EVAL / "audio/it-standup.flac"))
    page.locator("#upload-date").fill("2026-11-18")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("is being processed")).to_be_visible()
    wait_for(lambda: Meeting.objects.filter(status__in=["ready", "failed"]).exists(), 300,
             "the meeting to be transcribed")
    assert Meeting.objects.get().status == "ready", Meeting.objects.get().job.error
    page.get_by_role("link", name=re.compile("Open the transcript")).click()

    # The enrolled voice is named; a word click seeks the player.
    expect(page.locator(".transcript .chip", has_text="Nina Petrova").first).to_be_visible()
    page.locator(".transcript .w").nth(12).click()
    seconds = page.evaluate("document.querySelector('[data-player]').currentTime")
    assert seconds > 1.0

    # Another speaker is named from the legend and shows under that name everywhere.
    meeting = Meeting.objects.get()
    unnamed = meeting.speakers.filter(member=None).first()
    assert unnamed is not None, [s.label for s in meeting.speakers.all()]
    page.locator(".speaker-legend summary", has_text=unnamed.label).click()
    page.locator(f"#member-{unnamed.pk}").select_option(label="Kofi Mensah")
    page.locator(f"#member-{unnamed.pk}").locator("xpath=ancestor::form").get_by_role(
        "button", name="Rename everywhere").click()
    expect(page.get_by_text("Renamed to Kofi Mensah in the whole meeting")).to_be_visible()
    assert page.locator(".transcript .chip", has_text="Kofi Mensah").count() >= 1
    assert page.locator(".transcript .chip", has_text=unnamed.label).count() == 0

    # The minutes suggest to-dos; Sam accepts Nina's on the board.
    wait_for(lambda: ActionItem.objects.filter(meeting=meeting, owner=nina).exists(), 240,
             "the minutes to suggest Nina's to-do")
    item = ActionItem.objects.filter(meeting=meeting, owner=nina).first()
    page.goto("/meetings/board/")
    page.locator(f"#item-{item.pk}").get_by_role("button", name="Accept").click()
    expect(page.locator(f"#item-{item.pk}").get_by_text("Accepted")).to_be_visible()

    page = _page(browser, live_server, nina)
    page.goto("/meetings/todos/")
    expect(page.get_by_text(item.task)).to_be_visible()


def test_browser_recording_survives_a_reload(mic_browser, live_server, workers, settings,
                                            tmp_path):
    team = TeamFactory(name="Clinic")
    alice = _person(team, "Alice Moreau")
    browser = mic_browser(_wav(EVAL / "real/jfk.flac", tmp_path))
    page = _page(browser, live_server, alice)
    page.goto("/meetings/new/")
    page.get_by_label("Everyone here knows this meeting is being recorded.").check()
    page.get_by_role("button", name="● Start recording").click()
    page.wait_for_timeout(4000)
    expect(page.locator("[data-timer]")).not_to_have_text("0:00")
    page.reload()  # before stopping: the chunks so far are in IndexedDB
    page.get_by_role("button", name="Upload it now").click()
    expect(page.get_by_text("is being processed")).to_be_visible()
    meeting = Meeting.objects.get()
    assert meeting.audio_size > 10_000 and meeting.audio_name.endswith((".webm", ".ogg"))
    workers.start("speech,default")
    wait_for(lambda: Meeting.objects.filter(pk=meeting.pk, status="ready").exists(), 180,
             "the recording to be transcribed")
    assert "fellow" in " ".join(meeting.segments.values_list("text", flat=True)).lower()
