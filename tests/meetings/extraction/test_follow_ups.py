"""What a turn adds to an action item just made: a refusal with a preamble, a date said in the
next breath, the messenger of a delegated task, the task a volunteer names; and the clause after
a task that is no part of it."""

import datetime as dt

import pytest

from meetings.extraction import extract_minutes
from meetings.extraction.text import clean

from .fixtures import build_segments, evidence

TEAM = [{"name": "Sam Rivera"}, {"name": "Nina Petrova"}, {"name": "Kofi Mensah"}]
WEDNESDAY = dt.date(2026, 11, 18)


def items(lines):
    return extract_minutes(segments=build_segments(lines), roster=TEAM, meeting_date=WEDNESDAY,
                           time_zone="Europe/London")["action_items"]  # fmt: skip


@pytest.mark.parametrize(
    "reply",
    [
        "Oh, honestly, I'd rather not this time, I'm swamped.",
        "I'm afraid I can't, I'm away that weekend.",
        "Ooh, no, I can't that day, sorry.",
        "Not this week, sorry.",
        "Um, I'd prefer not to, to be honest.",
        "Ah, not this Saturday, I'm afraid, I'm on a course.",
        "Ah, Saturday I'm fully booked from eight, I really can't. Sorry.",
    ],
)
def test_a_refusal_after_a_preamble_is_still_a_refusal(reply):
    found = items([("Sam Rivera", "Nina, could you run the stall at the craft fair on Saturday?"),
                   ("Nina Petrova", reply)])  # fmt: skip
    assert found == [], found


def test_an_acceptance_after_a_preamble_is_still_an_acceptance():
    found = items([("Sam Rivera", "Nina, could you run the stall at the craft fair on Saturday?"),
                   ("Nina Petrova", "Oh, sure, I can do that.")])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", "2026-11-21")], found


@pytest.mark.parametrize(
    ("lines", "owner", "words", "due"),
    [
        ([("Kofi Mensah", "I'm going to replace the hinge on the side gate. "
                          "I'll have it done by Friday.")],
         "Kofi Mensah", "hinge", "2026-11-20"),
        ([("Nina Petrova", "I'll order the visitor badges for the open day, "
                           "I'll have them here by Monday.")],
         "Nina Petrova", "visitor badges", "2026-11-23"),
        ([("Sam Rivera", "Who can chase the printer about the invoices?"),
          ("Nina Petrova", "I can do that, I know their accounts person."),
          ("Sam Rivera", "Great. Get it sorted by the twenty-seventh at the latest.")],
         "Nina Petrova", "printer", "2026-11-27"),
    ],
)  # fmt: skip
def test_a_date_said_for_it_in_the_next_breath_is_the_items_due_date(lines, owner, words, due):
    found = items(lines)
    assert len(found) == 1, found
    assert (found[0]["owner"], found[0]["due"]) == (owner, due), found
    assert words in evidence(found[0])


@pytest.mark.parametrize(
    "lines",
    [
        [("Sam Rivera", "Nina, when Kofi gets in, could you ask him to sign the lease renewal "
                        "by tomorrow?"),
         ("Nina Petrova", "Sure, I'll catch him at lunch.")],
        [("Sam Rivera", "Nina, can you ask Kofi to sign the lease renewal by tomorrow?"),
         ("Nina Petrova", "Yep, I'll tell him after this.")],
    ],
)  # fmt: skip
def test_a_task_passed_on_through_a_messenger_is_the_doers_and_one_item(lines):
    found = items(lines)
    assert [(i["owner"], i["due"]) for i in found] == [("Kofi Mensah", "2026-11-19")], found
    assert "lease" in found[0]["task"].lower()


def test_a_volunteer_who_names_the_task_gives_one_item_in_their_words():
    found = items([
        ("Sam Rivera", "The audit is on the second. So who can write it up?"),
        ("Kofi Mensah", "I can do that. I'll write up the safety checklist by Monday so everyone "
                        "can review it."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert (found[0]["owner"], found[0]["due"]) == ("Kofi Mensah", "2026-11-23"), found
    assert "safety checklist" in found[0]["task"].lower()
    assert "everyone" not in found[0]["task"].lower()


def test_a_commitment_to_it_takes_its_matter_from_the_speakers_own_sentence_before():
    found = items([
        ("Sam Rivera", "Then it's agreed: the car park closes for resurfacing."),
        ("Kofi Mensah", "I can take care of the parking permits for the visitors. The office "
                        "opens on the fourth, so I'll file them on December fourth."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert (found[0]["owner"], found[0]["due"]) == ("Kofi Mensah", "2026-12-04"), found
    assert "parking permits" in evidence(found[0])
    assert "resurfacing" not in found[0]["task"].lower()


@pytest.mark.parametrize(
    "lines",
    [
        [("Sam Rivera", "Okay, let's start, I know Nina has to leave for the dentist at three.")],
        [("Sam Rivera", "Let's be quick, I know Kofi has to run to a client call at eleven.")],
        [("Kofi Mensah", "Yeah, sorry, the bus is at ten, so I'll slip out in about fifteen "
                         "minutes.")],
        [("Kofi Mensah", "About the budget, does that mean the"),
         ("Sam Rivera", "Hang on, Kofi, I'll get to the budget in a second, promise.")],
    ],
)  # fmt: skip
def test_what_someone_is_known_to_be_doing_and_a_promise_for_the_meeting_are_no_items(lines):
    assert items(lines) == []


@pytest.mark.parametrize(
    ("line", "owner", "task"),
    [
        (("Nina Petrova", "I'll call the caterer on my way home, I've got her number somewhere."),
         "Nina Petrova", "Call the caterer on my way home"),
        (("Kofi Mensah", "Sam will handle the signage, he already knows the printer on Mill Road."),
         "Sam Rivera", "Handle the signage"),
        (("Nina Petrova", "I'll send the draft to the board before they meet."),
         "Nina Petrova", "Send the draft to the board"),
        (("Kofi Mensah", "I'll circulate the rota by Friday so everyone has time to swap shifts."),
         "Kofi Mensah", "Circulate the rota"),
    ],
)  # fmt: skip
def test_the_clause_after_a_task_is_no_part_of_it(line, owner, task):
    found = items([line])
    assert [(i["owner"], i["task"]) for i in found] == [(owner, task)], found


@pytest.mark.parametrize(
    ("lines", "owner", "words", "due"),
    [
        # an announced item with "Action for <name>:"
        ([("Sam Rivera", "Action for Kofi: order two spare projector bulbs by Friday."),
          ("Kofi Mensah", "Okay.")], "Kofi Mensah", "projector bulbs", "2026-11-20"),
        # what would be done in the meeting ("go through") is work when it has a date
        ([("Nina Petrova", "I'll go through the supplier contracts and mark the expired ones "
                           "by Monday.")], "Nina Petrova", "supplier contracts", "2026-11-23"),
        # the answer names the date ("Can do. In two days, okay?")
        ([("Sam Rivera", "Kofi, can you update the fire exit signs?"),
          ("Kofi Mensah", "Can do. In two days, okay?")], "Kofi Mensah", "fire exit", "2026-11-20"),
        # "somebody has to…": whoever takes it after another declines
        ([("Nina Petrova", "Somebody has to renew the parking permit for the van."),
          ("Sam Rivera", "Not me, I'm off next week."),
          ("Kofi Mensah", "Fine, I'll take that one. I'll get it done in three days.")],
         "Kofi Mensah", "parking permit", "2026-11-21"),
        # "it" named a few sentences back in the same turn, and put in its place
        ([("Sam Rivera", "And let me take the visitor badges. They're a mess. "
                         "I'll redesign them by the end of the month.")],
         "Sam Rivera", "redesign the visitor badges", "2026-11-30"),
        # the task committed to, with the date of how it will be delivered
        ([("Kofi Mensah", "Let me write up a fire drill plan for the annex. I'll send it round "
                          "by the end of next week.")],
         "Kofi Mensah", "fire drill plan", "2026-11-27"),
        # "all three" are what the other person just listed
        ([("Sam Rivera", "Which laptops are due for a battery swap?"),
          ("Kofi Mensah", "Let me check. The Dell, the Lenovo and the old Mac."),
          ("Sam Rivera", "Can you book all three in by the 25th?"),
          ("Kofi Mensah", "Sure thing.")], "Kofi Mensah", "lenovo", "2026-11-25"),
        # letting someone know is work
        ([("Nina Petrova", "I'm gonna let the landlord know by Friday.")],
         "Nina Petrova", "landlord", "2026-11-20"),
        # "Owner for this is X: …"
        ([("Sam Rivera", "Owner for this is Kofi: get the vendor to send the signed contract."),
          ("Kofi Mensah", "On it.")], "Kofi Mensah", "signed contract", None),
        # "that's yours" hands over what the speaker just described
        ([("Sam Rivera", "Yes, a new floor plan, but only for the ground floor. Kofi, that's "
                         "yours."),
          ("Kofi Mensah", "Yeah, leave it with me. You'll have it tomorrow.")],
         "Kofi Mensah", "ground floor", "2026-11-19"),
        # the date comes when the owner asks for it
        ([("Sam Rivera", "Nina, could you write the risk assessment?"),
          ("Nina Petrova", "Sure. When do they need it?"),
          ("Sam Rivera", "Let me look. It says before the audit, which is in two weeks."),
          ("Nina Petrova", "Okay, fine.")], "Nina Petrova", "risk assessment", "2026-12-02"),
        # the thing named first, then "I'll send it…"
        ([("Kofi Mensah", "And the parents' letter, I'll send it out to families on the 1st of "
                          "December, a week before the trip.")],
         "Kofi Mensah", "parents' letter", "2026-12-01"),
        # the asker adds the date in the next breath
        ([("Sam Rivera", "Kofi, can you get the glazier out to fix it? By the first of "
                         "December, please, the inspectors come that week."),
          ("Kofi Mensah", "Sure, I'll sort that.")], "Kofi Mensah", "glazier", "2026-12-01"),
        # "do it during the morning shift": "it" is still what was asked
        ([("Sam Rivera", "Nina, are you alright to get both kilns checked before Friday?"),
          ("Nina Petrova", "Course. I'll do it during the morning shift.")],
         "Nina Petrova", "kilns", "2026-11-20"),
        # "Monday morning" is one date
        ([("Sam Rivera", "Kofi, could you have the grant report done by Monday morning?"),
          ("Kofi Mensah", "Yeah, that's doable.")], "Kofi Mensah", "grant report", "2026-11-23"),
        # "by then" is the date said before it
        ([("Nina Petrova", "The portal closes on the 4th of December, so I'll get the claim "
                           "filed by then.")], "Nina Petrova", "claim", "2026-12-04"),
        # a nickname for the one addressed, who hands the task on
        ([("Sam Rivera", "Nina, text Kofi and get him to lock the side gate tonight."),
          ("Nina Petrova", "Will do.")], "Kofi Mensah", "side gate", "2026-11-18"),
        # "I can have X done by …" is a commitment
        ([("Nina Petrova", "I can have the grant summary done by the 25th.")],
         "Nina Petrova", "grant summary", "2026-11-25"),
    ],
)  # fmt: skip
def test_more_ways_an_item_and_its_date_are_said(lines, owner, words, due):
    found = items(lines)
    assert len(found) == 1, found
    assert (found[0]["owner"], found[0]["due"]) == (owner, due), found
    assert words in evidence(found[0])


def test_a_date_and_what_follows_it_after_a_comma_are_no_part_of_the_task():
    found = items([("Sam Rivera", "Action item for Nina: photograph the new kiln, before "
                                  "Friday's meeting, please.")])  # fmt: skip
    assert [(i["owner"], i["task"], i["due"]) for i in found] == [
        ("Nina Petrova", "Photograph the new kiln", "2026-11-20")], found


def test_a_holiday_named_for_a_weekday_is_no_due_date():
    found = items([("Sam Rivera", "Action for Nina: post the Good Friday opening hours on the "
                                  "website tomorrow.")])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", "2026-11-19")], found
    assert "good friday opening hours" in found[0]["task"].lower()


def test_a_weekday_that_names_an_event_is_no_due_date():
    found = items([("Sam Rivera", "Nina, could you print the handouts for the Saturday workshop?"),
                   ("Nina Petrova", "Sure.")])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", None)], found
    assert "saturday workshop" in found[0]["task"].lower()


def test_a_request_done_on_the_spot_is_no_item():
    found = items([("Sam Rivera", "Kofi, can you shut the window? It's freezing."),
                   ("Kofi Mensah", "Sure. Okay, done.")])  # fmt: skip
    assert found == [], found


def test_an_acknowledgement_at_the_close_is_no_second_item():
    found = items([
        ("Sam Rivera", "Nina, can you book the minibus for the site visit on Friday?"),
        ("Nina Petrova", "Sure."),
        ("Kofi Mensah", "The new drills arrived this morning, all twelve of them."),
        ("Sam Rivera", "Good. Okay, to wrap up: Nina books the minibus for Friday."),
        ("Nina Petrova", "Yep, the driver just confirmed. I'll get on it."),
    ])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", "2026-11-20")], found


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("Um, action for Ahmed: order the seed trays.", "action for Ahmed: order the seed trays."),
        ("Er, Erin found the error in the umbrella order.",
         "Erin found the error in the umbrella order."),
        ("Uh-huh. Mm-hmm, so, uh, Umar will ring them.", ". so, Umar will ring them."),
    ],
)  # fmt: skip
def test_fillers_go_but_words_that_begin_like_them_stay(said, kept):
    assert clean(said) == kept


def test_someone_has_to_handed_to_a_named_member_is_theirs_with_their_date():
    found = items([
        ("Kofi Mensah", "Someone'll have to tell the caterers about the new headcount, though."),
        ("Sam Rivera", "Yep, that one's yours, Nina, if you don't mind."),
        ("Nina Petrova", "Sure, I'll call them. Give me till Friday."),
    ])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", "2026-11-20")], found
    assert "caterers" in evidence(found[0])


def test_before_then_is_the_date_said_just_before():
    found = items([("Sam Rivera", "The auditor's coming Friday. Kofi, can you get the logs "
                                  "printed before then?"), ("Kofi Mensah", "Sure.")])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Kofi Mensah", "2026-11-20")], found


def test_a_dated_errand_about_him_and_its_purpose_are_one_item():
    found = items([("Sam Rivera", "He says it's the power board. So I'm gonna call him tonight "
                                  "and push for a delivery date.")])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Sam Rivera", "2026-11-18")], found
    assert "delivery date" in found[0]["task"].lower()


@pytest.mark.parametrize(
    ("lines", "owner", "words", "due"),
    [
        ([("Sam Rivera", "Next thing, the fire extinguisher check. Who can take that on?"),
          ("Kofi Mensah", "That's me, I'll do it. I'll have the check done within a fortnight.")],
         "Kofi Mensah", "check", "2026-12-02"),
        ([("Nina Petrova", "I'll get Kofi to have a look at the boiler, he's good with that.")],
         "Kofi Mensah", "boiler", None),
        ([("Nina Petrova", "I'll send you the final rota first thing tomorrow, promise.")],
         "Nina Petrova", "final rota", "2026-11-19"),
    ],
)  # fmt: skip
def test_yet_more_ways_an_item_is_said(lines, owner, words, due):
    found = items(lines)
    assert len(found) == 1, found
    assert (found[0]["owner"], found[0]["due"]) == (owner, due), found
    assert words in evidence(found[0])
    assert "tomorrow" not in found[0]["task"].lower()


@pytest.mark.parametrize(
    "lines",
    [
        [("Nina Petrova", "The draft's done. I'll paste it in the chat now, so you can see it.")],
        [("Kofi Mensah", "And I'll review it once it's— actually, no, hang on, let me check.")],
    ],
)  # fmt: skip
def test_pasting_into_the_chat_and_a_sentence_taken_back_are_no_items(lines):
    assert items(lines) == []


def test_an_answer_to_a_request_nobody_was_named_for_keeps_its_own_commitment():
    found = items([("Sam Rivera", "Soon, can you chase the council about the permit?"),
                   ("Kofi Mensah", "Can see that gone, I'll file a formal complaint tonight.")])
    assert [(i["owner"], i["due"]) for i in found] == [("Kofi Mensah", "2026-11-18")], found


def test_an_announcement_heard_as_its_own_sentence_takes_the_next_as_its_task():
    found = items([("Sam Rivera", "Action item for me. I update the supplier list by the end of "
                                  "the month."), ("Nina Petrova", "Great.")])  # fmt: skip
    assert [(i["owner"], i["task"], i["due"]) for i in found] == [
        ("Sam Rivera", "Update the supplier list", "2026-11-30")], found


@pytest.mark.parametrize(
    ("lines", "owner", "task", "due"),
    [
        ([("Kofi Mensah", "I'll have the boiler service booked by Friday.")],
         "Kofi Mensah", "Book the boiler service", "2026-11-20"),
        ([("Sam Rivera", "Nina, would you chase them for the signed contract?"),
          ("Nina Petrova", "Will do. I'll ring them straight after this.")],
         "Nina Petrova", "Chase them for the signed contract", "2026-11-18"),
    ],
)  # fmt: skip
def test_a_task_said_as_having_it_done_and_a_date_right_after_the_meeting(lines, owner, task, due):
    found = items(lines)
    assert [(i["owner"], i["task"], i["due"]) for i in found] == [(owner, task, due)], found


@pytest.mark.parametrize(
    ("line", "due"),
    [("I'll chase up their references. I want those back by Wednesday, so they can move in.",
      "2026-11-25"),
     ("I'm going to get the rota out to everyone. Sunday night at the latest.", "2026-11-22"),
     ("I'll book the hall for the party. Okay, thanks, everyone, see you Thursday.", None)],
)  # fmt: skip
def test_the_speakers_next_sentence_with_a_by_date_dates_their_commitment(line, due):
    found = items([("Nina Petrova", line)])
    assert [(i["owner"], i["due"]) for i in found] == [("Nina Petrova", due)], found


def test_a_vague_yes_then_the_task_named_in_the_same_turn_is_one_item():
    found = items([
        ("Sam Rivera", "Someone needs to sort out the holiday cover."),
        ("Nina Petrova", "Honestly, I can't, I'm away."),
        ("Kofi Mensah", "Go on, then, I'll do it. Give me till Friday and I'll have a draft of the "
                        "holiday rota up on the noticeboard."),
    ])  # fmt: skip
    assert [(i["owner"], i["due"]) for i in found] == [("Kofi Mensah", "2026-11-20")], found
    assert "holiday rota" in found[0]["task"].lower()
