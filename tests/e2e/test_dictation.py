"""Dictation to records in the browser, with a real speech worker: dictate with Chromium's fake
microphone, review the filled form beside its transcript, correct a field, save, find it."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assistant.models import Role
from bench.dictations.render import synth
from reports.records_models import Record
from reports.records_services import template_from_starter
from tests.e2e.conftest import sign_in
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
LINES = [
    "Support ticket reported today.",
    "Problem: the printer on the second floor jams.",
    "Category printer.",
    "Priority high.",
    "Deadline Friday.",
]


def _microphone_wav(folder: Path) -> tuple[Path, float]:
    """The dictation spoken as the benchmark's are, at 48 kHz for the fake microphone."""
    module = synth()
    pcm = bytearray()
    for i, line in enumerate(LINES):
        clip = folder / f"{i}.wav"
        module.speak(line, {"voice": "en-us", "pitch": 50, "speed": 150}, clip)
        pcm += module.read_as_16k(clip) + b"\x00\x00" * int(0.7 * module.RATE)
    seconds = len(pcm) / 2 / module.RATE
    # Chromium loops the file: trailing silence keeps a late "stop" from recording it twice.
    pcm += b"\x00\x00" * int(20 * module.RATE)
    spoken = folder / "spoken.wav"
    module.write_wav(spoken, bytes(pcm))
    out = folder / "microphone.wav"
    subprocess.run(["sox", str(spoken), "-r", "48000", "-c", "1", "-b", "16", str(out)], check=True)
    return out, seconds


def test_dictate_review_correct_save_and_find(mic_browser, live_server, workers, tmp_path):
    team = TeamFactory(name="IT desk")
    alice = UserFactory(name="Alice Moreau", email="alice@example.com")
    MembershipFactory(user=alice, team=team, role=Role.EMPLOYEE)
    template = template_from_starter(team=team, user=None, starter="support-ticket")
    wav, seconds = _microphone_wav(tmp_path)
    workers.start("speech,default")
    context = mic_browser(wav).new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, alice.email, PASSWORD)

    page.goto("/")
    page.locator("nav.sidenav").get_by_role("link", name="Records", exact=True).click()
    page.get_by_role("link", name="New support ticket").click()
    page.get_by_label("Only my own dictation is being recorded.").check()
    page.get_by_role("button", name="● Start recording").click()
    page.wait_for_timeout(int(seconds * 1000) + 1500)
    page.get_by_role("button", name="■ Stop and upload").click()
    expect(page.get_by_text("is being transcribed")).to_be_visible()

    # The worker transcribes and fills; the page moves on to the filled form by itself.
    wait_for(
        lambda: Record.objects.exclude(status="transcribing").exists(),
        240,
        "the dictation to be transcribed",
    )
    record = Record.objects.get()
    assert record.status == "review", record.job.error
    assert record.audio_name.endswith((".webm", ".ogg")) and record.template == template
    expect(page).to_have_url(re.compile(rf"/records/{record.pk}/$"), timeout=30_000)
    expect(page.locator("[data-record-transcript='0']")).to_contain_text("printer")
    priority = page.locator("#id_f-priority")
    expect(priority).to_have_value("high")
    expect(page.locator("#id_f-category")).to_have_value("printer")

    # Clicking a field marks the words it came from.
    page.locator("#field-priority").click()
    expect(page.locator("mark.record-source")).to_have_text(re.compile("high", re.I))
    expect(page.locator("#field-resolved .flag-note")).to_contain_text("Not said")

    # The person corrects the category and saves; the required fields were all filled.
    page.locator("#id_f-category").select_option("hardware")
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_text("Support ticket saved.")).to_be_visible()
    expect(page.locator(".record-history")).to_contain_text("category: printer → hardware")
    record.refresh_from_db()
    assert record.status == "saved" and record.values["category"] == "hardware"

    page.locator("nav.sidenav").get_by_role("link", name="Records", exact=True).click()
    page.locator("#record-q").fill("printer")
    row = page.locator(".record-table tbody tr", has_text="printer")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/records/{record.pk}/$"))
    context.close()
