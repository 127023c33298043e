"""A spoken dictation through the real path: audio checks, Whisper tiny.en, filling."""

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from assistant.jobs import job_run
from bench.dictations.render import synth
from reports import records_services as services
from reports.records_models import Record
from reports.records_tasks import dictation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng"),
]
LINES = [
    "Support ticket reported today.",
    "Problem: the printer on the second floor jams.",
    "Category printer.",
    "Priority high.",
    "Deadline Friday.",
]


@pytest.fixture(scope="module")
def spoken() -> Path:
    """The dictation spoken by espeak-ng the way bench/dictations are (synth.py's method)."""
    module = synth()
    folder = Path(tempfile.mkdtemp())
    pcm = bytearray()
    for i, line in enumerate(LINES):
        clip = folder / f"{i}.wav"
        module.speak(line, {"voice": "en-us", "pitch": 50, "speed": 150}, clip)
        pcm += module.read_as_16k(clip) + b"\x00\x00" * int(0.6 * module.RATE)
    out = folder / "ticket.wav"
    module.write_wav(out, bytes(pcm))
    yield out
    shutil.rmtree(folder)


def test_a_recorded_dictation_is_transcribed_and_filled(world, spoken):
    template = services.template_from_starter(
        team=world.team, user=world.owner, starter="support-ticket"
    )
    upload = SimpleUploadedFile("ticket.wav", spoken.read_bytes(), content_type="audio/wav")
    record = services.record_from_audio(
        template=template, user=world.teammate, upload=upload, recorded_on=dt.date(2026, 11, 25)
    )
    job_run(job_id=record.job_id, func=dictation.job_function)
    record.refresh_from_db()
    assert record.job.status == "succeeded", record.job.error
    assert record.status == Record.Status.REVIEW
    assert "printer" in record.transcript.lower()
    assert record.values["category"] == "printer" and record.values["priority"] == "high"
    # "Deadline" is at times heard as "Bedline": then the date is left empty, never guessed.
    assert record.values["due"] in ("2026-11-27", None), record.transcript
    assert record.values["reported_on"] == "2026-11-25", record.transcript
    source = record.filled["fields"]["priority"]["source"]
    assert record.transcript[source["start"] : source["end"]] == source["quote"]
    assert record.segments and record.segments[0]["char_start"] == 0
    # Heard twice (an English team): Whisper base first, tiny.en for what base left empty.
    assert record.filled["model"] == "Whisper base"
    [second] = record.filled["hearings"]
    assert second["model"] == "Whisper tiny.en" and "printer" in second["text"].lower()
    for found in record.filled["fields"].values():
        if found["source"] and found["source"].get("hearing") == 1:
            quoted = second["text"][found["source"]["start"] : found["source"]["end"]]
            assert quoted == found["source"]["quote"]


def test_a_file_that_is_not_audio_fails_the_job_with_a_message(world):
    template = services.template_from_starter(
        team=world.team, user=world.owner, starter="visit-note"
    )
    upload = SimpleUploadedFile("note.wav", b"%PDF-1.4 not audio", content_type="audio/wav")
    record = services.record_from_audio(template=template, user=world.teammate, upload=upload)
    job_run(job_id=record.job_id, func=dictation.job_function)
    record.refresh_from_db()
    assert record.status == Record.Status.FAILED
    assert "PDF" in record.job.error


def test_the_command_prints_fields_with_sources_from_audio(world, spoken, capsys):
    call_command(
        "fill-record",
        str(spoken),
        "--template",
        "support-ticket",
        "--team",
        world.team.slug,
        "--date",
        "2026-11-25",
        "--json",
    )
    out = json.loads(capsys.readouterr().out)
    assert out["fields"]["priority"]["value"] == "high"
    source = out["fields"]["priority"]["source"]
    assert out["transcript"][source["start"] : source["end"]] == source["quote"]
    assert source["seconds"][0] >= 0
    assert "resolved" in out["missing"]
    assert [h["model"] for h in out["hearings"]] == ["Whisper base", "Whisper tiny.en"]


def test_the_command_reads_text_and_uses_the_teams_own_template(world, capsys):
    services.template_create(
        team=world.team,
        user=world.owner,
        name="Site visit",
        slug="site-visit",
        fields=[
            {"label": "Risk", "type": "choice", "options": ["low", "high"]},
            {"label": "Visitors", "type": "number", "unit": "people"},
        ],
    )
    call_command(
        "fill-record",
        "Risk is low. Visitors: four people.",
        "--template",
        "site-visit",
        "--team",
        world.team.slug,
        "--json",
    )
    out = json.loads(capsys.readouterr().out)
    assert {k: v["value"] for k, v in out["fields"].items()} == {"risk": "low", "visitors": 4}
    assert out["fields"]["visitors"]["source"]["quote"] == "four people"
    assert out["missing"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--template", "nope", "--team", "{team}"], "No template 'nope'"),
        (["x", "--template", "visit-note", "--team", "nope"], "no team"),
        (["/no/such/file.wav", "--template", "visit-note", "--team", "{team}"], "is not a file"),
        (["x", "--template", "visit-note", "--team", "{team}", "--date", "soon"], "YYYY-MM-DD"),
    ],
)
def test_the_command_explains_bad_input(world, args, message):
    args = [a.replace("{team}", world.team.slug) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("fill-record", *args)
