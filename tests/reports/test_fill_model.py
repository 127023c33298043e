"""The small model may only propose free text, and only words the transcript holds."""

import datetime as dt

import pytest

from reports.fill import fill_record
from reports.fill_model import fill_free_text, supported_span
from reports.records_starters import STARTERS

INCIDENT = STARTERS["incident-report"]["fields"]
TEXT = (
    "Incident report for today. Location: the staff kitchen. A kettle caught fire and the "
    "smoke alarm went off. Severity minor."
)


def rules():
    return fill_record(TEXT, INCIDENT, recorded_on=dt.date(2026, 11, 18))


def answering(answer):
    def generate(prompt, **options):
        generate.prompts.append(prompt)
        return answer

    generate.prompts = []
    return generate


def test_a_quote_from_the_transcript_is_taken_with_its_source():
    generate = answering("A kettle caught fire and the smoke alarm went off")
    result = fill_free_text(rules(), TEXT, INCIDENT, generate=generate)
    found = result["fields"]["description"]
    assert found["value"] == "A kettle caught fire and the smoke alarm went off"
    assert found["method"] == "model"
    assert TEXT[found["source"]["start"] : found["source"]["end"]] == found["value"]
    assert "description" not in result["missing"]
    assert len(generate.prompts) == 1  # only the empty free-text field was asked about


@pytest.mark.parametrize(
    "answer",
    [
        "A toaster caught fire",  # not in the transcript
        "NONE",
        "fire",  # too little to be a description
        "Location: the staff kitchen",  # already the location's source
    ],
)
def test_anything_else_is_refused(answer):
    result = fill_free_text(rules(), TEXT, INCIDENT, generate=answering(answer))
    assert result["fields"]["description"]["value"] is None
    assert "not found in the transcript" in result["fields"]["description"]["note"]


def test_the_span_must_be_untaken_words_in_order():
    assert supported_span("smoke alarm went off", TEXT, []) is not None
    assert supported_span("alarm smoke went off", TEXT, []) is None
    start = TEXT.index("smoke")
    assert supported_span("smoke alarm", TEXT, [(start, start + 5)]) is None


def test_the_real_small_model_never_adds_words_of_its_own():
    from assistant.ai import SlotConfig, generate_text

    config = SlotConfig(kind="text")
    result = fill_free_text(
        rules(), TEXT, INCIDENT, generate=lambda prompt, **kw: generate_text(config, prompt, **kw)
    )
    value = result["fields"]["description"]["value"]
    assert value is None or value in TEXT
