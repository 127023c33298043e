"""Assignments at the end of a meeting: the chair going round the room, by role, name or "you".

Real chairs rarely say "Nina, can you…": they say "as the data analyst, you're looking at X",
"for frontend, the login page", "and, um, sales lead," … "you'll be drafting Y", or just
"you're going to look at Z" to whoever has been talking about Z.
"""

import datetime as dt

from meetings.extraction import extract_minutes

from .fixtures import build_segments, evidence

ROLES = [
    {"name": "Team Lead"},
    {"name": "Data Analyst"},
    {"name": "Frontend Developer"},
    {"name": "Sales Manager"},
]
PEOPLE = [{"name": "Sam Rivera"}, {"name": "Nina Petrova"}, {"name": "Kofi Mensah"}]
MONDAY = dt.date(2026, 3, 9)

# A few minutes of ordinary discussion before the wrap-up, so that it comes at the end.
TALK = [
    ("Team Lead", "Okay, let's look at where the quarter stands."),
    ("Data Analyst", "The churn numbers went up a little in February, mostly small accounts."),
    ("Sales Manager", "Renewals were slow too, two customers asked for a discount."),
    ("Frontend Developer", "The new login page is nearly done, the design review went fine."),
    ("Team Lead", "Good. Anything else on the numbers?"),
    ("Data Analyst", "Not really, the dashboard still needs some cleaning but it works."),
    ("Sales Manager", "The pricing sheet is out of date, it still has last year's tiers."),
    ("Frontend Developer", "And the mobile layout has a few glitches on small screens."),
] * 3


def run(lines, roster=ROLES, date=MONDAY):
    return extract_minutes(
        segments=build_segments(lines), roster=roster, meeting_date=date, time_zone="UTC"
    )


def owners_of(minutes, words):
    return [i["owner"] for i in minutes["action_items"] if words in evidence(i)]


def test_a_role_named_at_the_end_of_one_sentence_owns_the_next():
    minutes = run(TALK + [
        ("Team Lead", "Right, to wrap up. Um, and, uh, sales lead,"),
        ("Data Analyst", "Mm-hmm."),
        ("Team Lead", "you'll be drafting the new pricing sheet for the renewals."),
    ])  # fmt: skip
    assert owners_of(minutes, "pricing sheet") == ["Sales Manager"], minutes["action_items"]


def test_a_role_and_a_noun_phrase_is_an_assignment_at_the_wrap_up():
    minutes = run(TALK + [
        ("Team Lead", "So just to wrap up. For frontend, the mobile layout fixes."),
        ("Frontend Developer", "Yep."),
    ])  # fmt: skip
    assert owners_of(minutes, "mobile layout") == ["Frontend Developer"], minutes["action_items"]


def test_you_are_looking_at_after_a_role_is_an_assignment_at_the_wrap_up():
    minutes = run(TALK + [
        ("Team Lead", "Okay, we need to wrap it up now."),
        ("Team Lead", "As the data analyst, you're looking at the churn dashboard cleanup."),
    ])  # fmt: skip
    assert owners_of(minutes, "churn dashboard") == ["Data Analyst"], minutes["action_items"]


def test_thinking_about_something_is_a_task_when_assigned():
    minutes = run(TALK + [
        ("Team Lead", "Frontend developer, you're going to be thinking about the onboarding flow."),
    ])  # fmt: skip
    assert owners_of(minutes, "onboarding flow") == ["Frontend Developer"], minutes["action_items"]


def test_an_unnamed_you_goes_to_whoever_talked_about_the_topic():
    talk = [
        ("Kofi Mensah", "I went through the supplier contracts, three of them renew in April."),
        ("Sam Rivera", "Which suppliers?"),
        ("Kofi Mensah", "The packaging supplier and both couriers. The supplier contracts "
                        "have price clauses we never used."),
        ("Nina Petrova", "The warehouse move is still on for May, by the way."),
        ("Sam Rivera", "Good, thanks both."),
    ] * 2  # fmt: skip
    minutes = run(talk + [
        ("Sam Rivera", "Okay, let's wrap up. You're going to look at the supplier contracts "
                       "price clauses."),
        ("Nina Petrova", "Okay."),
    ], roster=PEOPLE)  # fmt: skip
    assert owners_of(minutes, "supplier contracts") == ["Kofi Mensah"], minutes["action_items"]


def test_an_unnamed_you_about_a_new_topic_is_not_given_to_someone_at_random():
    talk = [
        ("Kofi Mensah", "The courier invoices are fine this month."),
        ("Nina Petrova", "The warehouse move is still on for May."),
        ("Sam Rivera", "Good, thanks both."),
    ] * 3
    minutes = run(talk + [
        ("Sam Rivera", "To wrap up, you're going to look at the trade fair budget."),
        ("Nina Petrova", "Mm-hmm."),
    ], roster=PEOPLE)  # fmt: skip
    assert all(o is None for o in owners_of(minutes, "trade fair")), minutes["action_items"]


def test_not_knowing_what_i_am_going_to_do_is_no_commitment():
    minutes = run([("Sam Rivera", "God, I still don't know what I'm going to write about.")],
                  roster=PEOPLE)  # fmt: skip
    assert minutes["action_items"] == []


def test_you_are_looking_at_in_the_middle_of_a_meeting_is_no_assignment():
    minutes = run([
        ("Team Lead", "Data analyst, you're looking at the churn chart on the screen now."),
        ("Data Analyst", "Yes, that's February."),
    ] + TALK)  # fmt: skip
    assert owners_of(minutes, "churn chart") == [], minutes["action_items"]


def test_a_past_assignment_recalled_at_the_wrap_up_is_no_action_item():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up. Last week, frontend developer, you were looking at "
                      "the error pages."),
        ("Frontend Developer", "Yes, those are done."),
    ])  # fmt: skip
    assert owners_of(minutes, "error pages") == [], minutes["action_items"]


def test_a_deferred_topic_at_the_wrap_up_is_no_action_item():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up: for sales, let's park the discount question until next "
                      "quarter."),
    ])  # fmt: skip
    assert owners_of(minutes, "discount") == [], minutes["action_items"]


def test_getting_instructions_is_no_action_item():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, you'll all get the instructions by email, I guess."),
    ])  # fmt: skip
    assert [i for i in minutes["action_items"] if "instructions" in evidence(i)] == []


def test_a_hedge_in_a_preamble_does_not_weaken_the_assignment_after_it():
    minutes = run(TALK + [
        ("Team Lead", "So I guess just to confirm what we're doing next week, for our data "
                      "analyst, you're going to be rebuilding the churn dashboard."),
    ])  # fmt: skip
    assert owners_of(minutes, "churn dashboard") == ["Data Analyst"], minutes["action_items"]


def test_a_no_to_a_later_question_does_not_refuse_an_earlier_assignment():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, data analyst, you're going to be rebuilding the churn "
                      "dashboard. Sales, you're going to update the pricing sheet. "
                      "Anything else from anyone? Questions at all?"),
        ("Data Analyst", "No."),
    ])  # fmt: skip
    assert owners_of(minutes, "churn dashboard") == ["Data Analyst"], minutes["action_items"]


def test_a_long_meeting_keeps_its_likeliest_items_and_not_every_i_will():
    # Forty minutes of talk with in-the-room "I'll…" remarks, then a wrap-up round.
    chatter = [
        ("Data Analyst", "I'll check the February numbers against the old export."),
        ("Frontend Developer", "I'll look at the font sizes on the settings page."),
        ("Sales Manager", "I'll call the two customers who asked for a discount."),
        ("Data Analyst", "I'm going to compare the churn with last year's cohort."),
        ("Frontend Developer", "I'll try the new icon set on the menu."),
        ("Sales Manager", "I'll write down the three complaints we had."),
        ("Data Analyst", "I'll rerun the query without the test accounts."),
        ("Frontend Developer", "I'm going to record the glitch on a small phone."),
    ]
    filler = [(who, text + " " + "We talked it through at length. " * 12) for who, text in TALK]
    lines = (
        filler * 2
        + chatter
        + filler
        + [
            (
                "Team Lead",
                "To wrap up. Data analyst, you're going to rebuild the churn dashboard. "
                "Frontend developer, you're going to fix the mobile layout. Sales, "
                "you're going to update the pricing sheet.",
            ),
            ("Sales Manager", "Okay."),
        ]
    )
    minutes = run(lines)
    duration = minutes["action_items"] and build_segments(lines)[-1]["end"] / 60
    assert duration > 30
    found = {i["owner"] for i in minutes["action_items"]}
    assert {"Data Analyst", "Frontend Developer", "Sales Manager"} <= found, minutes["action_items"]
    assert len(minutes["action_items"]) <= 6, minutes["action_items"]


def test_a_generic_you_at_the_wrap_up_is_no_assignment():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, the thing is, you're buying the app separately, but you "
                      "could get it bundled with the tablet."),
        ("Sales Manager", "Okay."),
    ])  # fmt: skip
    assert [i for i in minutes["action_items"] if "buy" in evidence(i)] == []


def test_a_repeated_phrase_is_read_once():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, frontend developer, you'll be looking you'll be looking at "
                      "the settings page."),
    ])  # fmt: skip
    items = [i for i in minutes["action_items"] if "settings page" in evidence(i)]
    assert [i["task"] for i in items] == ["Look at the settings page"], items


def test_if_you_could_with_a_consequence_is_a_hypothetical():
    minutes = run([
        ("Sales Manager", "If you could make it sync with the calendar then it could remind "
                          "people before the renewal."),
        ("Frontend Developer", "Yes, that would be nice."),
    ])  # fmt: skip
    assert minutes["action_items"] == [], minutes["action_items"]


def test_a_cut_off_word_is_not_part_of_the_task():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, as the data analyst, you're going to be rebuilding the "
                      "churn dashboard so y you know what the numbers are."),
    ])  # fmt: skip
    items = [i for i in minutes["action_items"] if "churn dashboard" in evidence(i)]
    assert items and " y " not in f" {items[0]['task']} ", items


def test_going_over_the_last_minutes_is_done_in_the_meeting():
    minutes = run([
        ("Team Lead", "First I'm going to review the minutes of the last meeting, then we'll "
                      "have your three presentations."),
    ] + TALK)  # fmt: skip
    assert [i for i in minutes["action_items"] if "minutes" in evidence(i)] == []


def test_getting_to_a_point_later_in_the_meeting_is_no_action_item():
    minutes = run(
        [("Team Lead", "Actually I'll get to that at the end, point number four.")] + TALK
    )
    assert minutes["action_items"] == [], minutes["action_items"]


def test_an_assignment_after_you_will_be_getting_instructions_is_read():
    minutes = run(TALK + [
        ("Team Lead", "To wrap up, you'll be getting instructions by email, but basically, "
                      "sales manager, you're looking at the pricing sheet."),
    ])  # fmt: skip
    assert owners_of(minutes, "pricing sheet") == ["Sales Manager"], minutes["action_items"]
