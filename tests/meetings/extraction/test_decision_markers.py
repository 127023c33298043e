"""Decisions marked as such ("Decided.", "That's how we're doing it") and consent to a matter
named just before ("So, the second week of March. Does that work for everyone?")."""

import pytest

from .fixtures import decision_texts as texts
from .fixtures import decisions_of


@pytest.mark.parametrize(
    "lines, words",
    [
        ([("Ana Souza", "Right, we'll hold the quiz on the first Friday of every month. Decided."),
          ("Wei Zhang", "Great.")], "quiz"),
        ([("Ana Souza", "Okay, decided then. The kiosk moves to the north entrance."),
          ("Wei Zhang", "Makes sense.")], "kiosk"),
        ([("Ana Souza", "Until the lift is repaired, all deliveries come through the loading "
                        "bay. That's how we're doing it."),
          ("Wei Zhang", "Understood.")], "deliveries"),
        ([("Ana Souza", "We print the flyers in black and white this year. Agreed."),
          ("Wei Zhang", "Yes.")], "flyers"),
    ],
)  # fmt: skip
def test_a_statement_marked_decided_is_a_decision(lines, words):
    found = decisions_of(lines)
    assert len(found) == 1, found
    assert words in found[0]["text"].lower()


def test_done_after_the_room_agreed_marks_the_statement_that_follows():
    found = decisions_of([
        ("Ana Souza", "Could we close the office at four on Fridays? Traffic is awful after five."),
        ("Wei Zhang", "Fine by me."),
        ("Lena Braun", "Works for me."),
        ("Ana Souza", "Done. The office closes at four on Fridays from next week."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert "four on fridays" in found[0]["text"].lower()


@pytest.mark.parametrize(
    "lines",
    [
        [("Ana Souza", "Did you send the invoices?"),
         ("Wei Zhang", "Done. I sent them this morning.")],
        [("Ana Souza", "Alright, let's keep this short, the client arrives at ten."),
         ("Wei Zhang", "Okay.")],
        [("Ana Souza", "Was that decided?"), ("Wei Zhang", "Not yet, no.")],
    ],
)  # fmt: skip
def test_a_done_that_reports_work_or_a_meeting_remark_is_no_decision(lines):
    assert decisions_of(lines) == [], texts(decisions_of(lines))


@pytest.mark.parametrize(
    "question", ["Does that work for everyone?", "Is everybody okay with that?",
                 "Everyone happy with that?"],
)  # fmt: skip
def test_consent_to_that_settles_the_matter_said_just_before(question):
    found = decisions_of([
        ("Ana Souza", "I would go for March, the venue is cheaper. So, the second week of March."),
        ("Ana Souza", question),
        ("Wei Zhang", "Works for me."),
        ("Lena Braun", "Yes, definitely."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert "second week of march" in found[0]["text"].lower()


def test_consent_without_the_verb_and_a_reason_after_the_question():
    found = decisions_of([
        ("Ana Souza", "Everybody happy with moving the open day to the ninth of May, instead of "
                      "the Saturday? The hall is booked that Saturday."),
        ("Wei Zhang", "Yes, fine by me."),
        ("Lena Braun", "Sure."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert "open day" in found[0]["text"].lower()


def test_consent_to_that_refused_is_no_decision():
    found = decisions_of([
        ("Ana Souza", "So, the second week of March. Does that work for everyone?"),
        ("Wei Zhang", "Not for me, I'm away that week."),
    ])  # fmt: skip
    assert found == [], texts(found)


@pytest.mark.parametrize(
    "lines, words",
    [
        ([("Ana Souza", "Any objections to moving the stand-up to nine thirty?"),
          ("Wei Zhang", "No, that's fine with me."), ("Lena Braun", "None.")], "stand-up"),
        ([("Ana Souza", "Does anyone object to the blue cover for the report?"),
          ("Wei Zhang", "No objection.")], "blue cover"),
        ([("Ana Souza", "Any objections to charging for rush orders?"),
          ("Wei Zhang", "None from me."), ("Lena Braun", "No, it's about time.")], "rush orders"),
        ([("Ana Souza", "Okay, the shorter survey it is, for every customer who calls."),
          ("Wei Zhang", "Good.")], "shorter survey"),
        ([("Ana Souza", "Alright, final call: no laptops in the client workshop."),
          ("Wei Zhang", "Understood.")], "laptops"),
        ([("Wei Zhang", "We could split it into two smaller vans, that halves the cost."),
          ("Ana Souza", "Two vans. Yeah, I like that. Let's do two vans instead of the coach.")],
         "two vans"),
        ([("Ana Souza", "Everyone okay with a quiet room on the second floor, away from the "
                        "kitchen?"),
          ("Wei Zhang", "As long as it's away from the kitchen, yes."),
          ("Lena Braun", "Fine by me.")], "quiet room"),
        ([("Ana Souza", "So what if we turn the Friday slot into a beginners' class? Does that "
                        "work for everyone?"),
          ("Wei Zhang", "Yeah, I think so."), ("Lena Braun", "Works for me.")], "beginners"),
        ([("Ana Souza", "Everyone happy to trial the new booking app for a month?"),
          ("Wei Zhang", "Yes!")], "booking app"),
        ([("Ana Souza", "So, are we all okay moving the book club to Wednesday evenings?"),
          ("Wei Zhang", "Yep, fine by me.")], "book club"),
        ([("Ana Souza", "I've talked it through with the landlord, and this is what we're doing: "
                        "we paint the hall in March and the stairs in May."),
          ("Wei Zhang", "Okay.")], "paint the hall"),
        ([("Ana Souza", "Should we stop taking cheques until the bank sorts this out? Thoughts?"),
          ("Wei Zhang", "Yes, please."), ("Lena Braun", "Agreed.")], "cheques"),
        ([("Ana Souza", "I hear you. But from January we charge a five pound fee on late "
                        "cancellations."),
          ("Wei Zhang", "Makes sense.")], "late cancellations"),
        ([("Ana Souza", "So for now, we keep the old printer and revisit it in spring. That's "
                        "what we're doing."), ("Wei Zhang", "Fine.")], "old printer"),
        ([("Ana Souza", "Right, having heard all that, we'll do the floor sanding on a Tuesday, "
                        "when we're closed."), ("Wei Zhang", "Fine.")], "floor sanding"),
        ([("Ana Souza", "The hall or the garden for the party? I'd say the garden, weather "
                        "permitting. So, the back garden. Does that work for both of you?"),
          ("Wei Zhang", "Works for me."), ("Lena Braun", "Yes, fine.")], "garden"),
        ([("Ana Souza", "Okay, so we agreed. The spring fair moves to the car park."),
          ("Wei Zhang", "Yes.")], "spring fair"),
        ([("Ana Souza", "Final decision. We close the café on Mondays."),
          ("Wei Zhang", "Okay.")], "café"),
        ([("Ana Souza", "Okay, I've heard enough. We're holding the fair in the car park this "
                        "year."), ("Wei Zhang", "Fine.")], "car park"),
        ([("Ana Souza", "Alright, I've listened to all of that, and I think Wei's right. We'll "
                        "recommend lowering the rent to nine hundred."), ("Lena Braun", "Okay.")],
         "rent"),
        ([("Ana Souza", "I think that settles it: refunds are capped at thirty days, unless the "
                        "item is faulty."), ("Wei Zhang", "Fine.")], "refunds"),
        ([("Ana Souza", "Right, we'll close at four on New Year's Eve, then."),
          ("Wei Zhang", "Good.")], "new year"),
        ([("Wei Zhang", "What about a raffle at the end? People love a raffle."),
          ("Lena Braun", "Ooh, I like that."),
          ("Ana Souza", "Yeah, let's do a raffle at the end of the evening.")], "raffle"),
    ],
)  # fmt: skip
def test_more_ways_a_group_settles_a_matter(lines, words):
    found = decisions_of(lines)
    assert len(found) == 1, found
    assert words in found[0]["text"].lower()


@pytest.mark.parametrize(
    "lines",
    [
        [("Ana Souza", "Any objections to moving the stand-up to nine thirty?"),
         ("Wei Zhang", "Yes, actually, I drop my kids off then.")],
        [("Ana Souza", "Yeah, if. Let's not get our hopes up. Okay, quick recap: Wei books "
                       "the room, Lena sends the invites and I talk to finance."),
         ("Wei Zhang", "Sounds good.")],
        [("Ana Souza", "I wonder what time it is."), ("Wei Zhang", "Good question.")],
        [("Ana Souza", "Wei, can you set up the new form? Let's say by the 9th, that gives us "
                       "time to test it."), ("Wei Zhang", "Sure.")],
        [("Ana Souza", "Let's pick the seating plan up next time, I need the numbers first."),
         ("Wei Zhang", "Fine.")],
        [("Ana Souza", "Any objections to charging for rush orders?"),
         ("Wei Zhang", "No, but I'd want the clients warned first.")],
    ],
)  # fmt: skip
def test_an_objection_or_agreement_with_something_else_settles_nothing(lines):
    assert decisions_of(lines) == [], texts(decisions_of(lines))


def test_a_decision_cut_in_two_segments_and_marked_agreed_after_a_comma():
    from meetings.extraction import extract_minutes

    segments = [
        {"start": 0.0, "end": 1.2, "speaker": "Ana Souza", "text": "Then we'll go"},
        {"start": 1.3, "end": 4.0, "speaker": "Ana Souza",
         "text": "with the oak flooring for the reading room, agreed."},
        {"start": 4.5, "end": 5.0, "speaker": "Wei Zhang", "text": "Good."},
        {"start": 5.5, "end": 8.0, "speaker": "Ana Souza",
         "text": "Okay, final call, no laptops in the quiet room."},
    ]  # fmt: skip
    import datetime as dt

    found = extract_minutes(segments=segments, roster=[{"name": "Ana Souza"},
                            {"name": "Wei Zhang"}], meeting_date=dt.date(2026, 5, 4))["decisions"]
    assert len(found) == 2, found
    assert "oak flooring" in found[0]["text"].lower() and "laptops" in found[1]["text"].lower()
