"""Filling a template from a transcript: cues, passages, sources, and never guessing."""

import datetime as dt

from reports.fill import cue_phrases, fill_from_hearings, fill_record
from reports.records_starters import STARTERS

ON = dt.date(2026, 11, 25)  # a Wednesday
TICKET = STARTERS["support-ticket"]["fields"]
VISIT = STARTERS["visit-note"]["fields"]
INCIDENT = STARTERS["incident-report"]["fields"]


def values(result):
    return {name: f["value"] for name, f in result["fields"].items()}


def test_a_full_dictation_fills_every_field_with_its_source():
    text = (
        "Ticket reported yesterday. Problem: the VPN drops every hour for the sales team. "
        "Category network. Priority urgent. Eight users are affected. Already tried "
        "reinstalling the client and rebooting. Remote access: no. Not resolved yet. "
        "Needed by Friday."
    )
    result = fill_record(text, TICKET, recorded_on=ON)
    assert values(result) == {
        "reported_on": "2026-11-24",
        "summary": "the VPN drops every hour for the sales team",
        "category": "network",
        "priority": "urgent",
        "users_affected": 8,
        "steps_tried": ["reinstalling the client", "rebooting"],
        "remote_access": False,
        "resolved": False,
        "due": "2026-11-27",
    }
    assert result["missing"] == []
    for field in result["fields"].values():
        source = field["source"]
        assert text[source["start"] : source["end"]] == source["quote"]
    assert result["fields"]["users_affected"]["source"]["quote"] == "Eight users"
    assert result["fields"]["due"]["source"]["quote"] == "Friday"


def test_what_is_not_said_stays_empty_and_is_flagged():
    result = fill_record("Priority high. The printer on floor two jams.", TICKET, recorded_on=ON)
    assert result["fields"]["priority"]["value"] == "high"
    assert set(result["missing"]) == {f["name"] for f in TICKET} - {"priority"}
    assert "Not said" in result["fields"]["category"]["note"]
    assert result["fields"]["category"]["source"] is None


def test_a_mentioned_field_without_a_readable_value_is_flagged_not_guessed():
    result = fill_record(
        "Category: it is hard to say. Priority: whenever you can.", TICKET, recorded_on=ON
    )
    assert result["fields"]["category"]["value"] is None
    assert result["fields"]["priority"]["value"] is None
    assert "none of the allowed choices" in result["fields"]["priority"]["note"]


def test_conflicting_values_are_left_for_the_person():
    result = fill_record("Priority low. Actually, priority high.", TICKET, recorded_on=ON)
    assert result["fields"]["priority"]["value"] is None
    assert "different values" in result["fields"]["priority"]["note"]


def test_a_value_right_after_another_fields_cue_is_not_read_backwards():
    # A looped or repeated sentence: the trailing "report" must not take the deadline's Friday.
    text = (
        "Support, ticket, reported, today Problem, the printer jams, priority, high, "
        "deadline, Friday, support, ticket, report"
    )
    result = values(fill_record(text, TICKET, recorded_on=ON))
    assert result["reported_on"] == "2026-11-25" and result["due"] == "2026-11-27"


def test_a_value_said_before_its_cue_in_a_new_sentence_is_read():
    # No full stops at all (Whisper sometimes ends every sentence with a comma): the capital
    # after "medium," starts a new sentence, so "One" belongs to "user is affected".
    text = "Priority, medium, One user is affected, She tried replacing the paper roll,"
    result = values(fill_record(text, TICKET, recorded_on=ON))
    assert result["priority"] == "medium" and result["users_affected"] == 1
    text = "Priority, high, around 40 users are affected, tried, moving the access point,"
    result = values(fill_record(text, TICKET, recorded_on=ON))
    assert result["priority"] == "high" and result["users_affected"] == 40


def test_a_negation_leading_into_the_next_fields_cue_is_that_fields():
    text = "Remote access was granted, not resolved yet, it needs to be fixed by Wednesday."
    result = values(fill_record(text, TICKET, recorded_on=ON))
    assert result["remote_access"] is True and result["resolved"] is False
    text = "Remote access, yes, Resolved, no, needed by next Tuesday."
    result = values(fill_record(text, TICKET, recorded_on=ON))
    assert result["remote_access"] is True and result["resolved"] is False


def test_whisper_style_commas_end_fields_but_not_free_text():
    text = (
        "Visit date, today, Reason for visit, persistent, dry cough for two weeks, "
        "Temperature 37.8 degrees, Weight 72 kilos, Smoker, Yes, Allergies, Penicillin "
        "and peanuts, Outcome, sent home, Follow-up in two weeks."
    )
    result = values(fill_record(text, VISIT, recorded_on=ON))
    assert result["visit_date"] == "2026-11-25"
    assert result["complaint"] == "persistent, dry cough for two weeks"
    assert result["temperature"] == 37.8 and result["weight"] == 72
    assert result["smoker"] is True
    assert result["allergies"] == ["Penicillin", "peanuts"]
    assert result["outcome"] == "sent home"
    assert result["follow_up"] == "2026-12-09"


def test_negated_lists_are_empty():
    text = "No known allergies. No medication for now. Outcome: sent home."
    result = values(fill_record(text, VISIT, recorded_on=ON))
    assert result["allergies"] is None and result["medication"] is None


def test_the_only_date_of_a_one_date_template_needs_no_cue():
    text = "Incident report. It happened last Friday. Location: the main workshop."
    result = fill_record(text, INCIDENT, recorded_on=dt.date(2026, 11, 23))
    assert result["fields"]["occurred_on"]["value"] == "2026-11-20"
    assert result["fields"]["occurred_on"]["source"]["quote"] == "last Friday"


def test_two_dates_and_no_cue_fill_no_date():
    text = "Something broke on Monday, or was it the tenth of November."
    assert fill_record(text, INCIDENT, recorded_on=ON)["fields"]["occurred_on"]["value"] is None


def test_a_number_in_the_fields_unit_needs_no_cue():
    text = "The break-in cost us about 3,500 euros. Two people were involved."
    result = values(fill_record(text, INCIDENT, recorded_on=ON))
    assert result["damage_cost"] == 3500
    assert result["people_involved"] == 2


def test_a_number_in_another_unit_is_not_taken():
    result = values(fill_record("Damage cost: about three days of work.", INCIDENT, recorded_on=ON))
    assert result["damage_cost"] is None


def test_cues_come_from_the_label_and_the_hint():
    spec = {
        "name": "smoker",
        "label": "Smoker",
        "type": "yesno",
        "hint": "smokes, smoking or tobacco",
    }
    assert cue_phrases(spec) == [["smok"], ["tobacco"]]


def test_a_misheard_long_cue_word_still_counts_but_a_short_one_does_not():
    result = values(fill_record("Renew in ten days.", VISIT, recorded_on=ON))
    assert result["follow_up"] == "2026-12-05"
    # "rebooting" is near "remote" in letters but too short a word to be forgiven
    text = "Tried rebooting. Resolved: yes."
    ticket = fill_record(text, TICKET, recorded_on=ON)
    assert ticket["fields"]["remote_access"]["value"] is None
    assert ticket["fields"]["steps_tried"]["value"] == ["rebooting"]


def test_a_second_hearing_fills_only_what_the_first_left_empty():
    first = "Priority high. Category, prism."  # the category misheard
    second = "Priority low. Category printer. Deadline Friday."
    result = fill_from_hearings([first, second], TICKET, recorded_on=ON)
    fields = result["fields"]
    assert fields["priority"]["value"] == "high" and "hearing" not in fields["priority"]["source"]
    assert fields["category"]["value"] == "printer"
    source = fields["category"]["source"]
    assert source["hearing"] == 1 and second[source["start"] : source["end"]] == source["quote"]
    assert fields["due"]["value"] == "2026-11-27"
    assert "resolved" in result["missing"] and "category" not in result["missing"]
