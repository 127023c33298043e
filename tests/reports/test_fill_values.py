"""The typed readers: each reads one kind of value from a passage, or says it cannot."""

import datetime as dt

import pytest

from reports import fill_values as V
from reports.fill_dates import read_date

WED = dt.date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    "said, value",
    [
        ("thirty seven point eight", 37.8),
        ("one thousand two hundred", 1200),
        ("one hundred and four", 104),
        ("100 and 4", 104),
        ("twenty five", 25),
        ("3,500", 3500),
        ("38.2", 38.2),
        ("fifteen thousand", 15000),
    ],
)
def test_numbers_said_in_words_or_digits(said, value):
    assert V.words_to_number(said) == value


@pytest.mark.parametrize("said", ["seven eight", "7 8", "twenty thirty"])
def test_two_numbers_side_by_side_are_not_one(said):
    assert V.words_to_number(said) is None


def test_the_number_with_the_fields_unit_wins():
    value, start, end = V.read_number("Weight 72 kilos, about 3 more than in May", "kg")
    assert value == 72
    assert "Weight 72 kilos"[start:end] == "72 kilos"


def test_a_range_or_half_heard_decimal_is_not_a_value():
    assert V.read_number("weight 7 to 8 kilograms", "kg") is None
    assert V.read_number("temperature 36 point I'm", "°C") is None


def test_two_numbers_without_a_unit_are_not_guessed_between():
    assert V.read_number("between 3 and 5 of them", "") is None


@pytest.mark.parametrize(
    "said, day",
    [
        ("today", "2026-12-02"),
        ("yesterday afternoon", "2026-12-01"),
        ("last Friday", "2026-11-27"),
        ("three days ago", "2026-11-29"),
        ("in two weeks", "2026-12-16"),
        ("next Monday", "2026-12-07"),
        ("the 28th of November", "2026-11-28"),  # the nearest 28 November, not next year's
        ("on the fourth of December", "2026-12-04"),
        ("Saturday, the 28th of November", "2026-11-28"),
        ("December 3rd, 2027", "2027-12-03"),
    ],
)
def test_dates_resolve_against_the_recording_date(said, day):
    assert read_date(said, WED)[0] == day


def test_a_weekday_told_in_the_past_tense_is_the_last_one():
    assert read_date("it happened on Monday", WED)[0] == "2026-11-30"
    assert read_date("we will review on Monday", WED)[0] == "2026-12-07"


def test_two_different_dates_are_not_guessed_between():
    assert read_date("either Monday or the tenth of December", WED) is None
    assert read_date("no date here", WED) is None


@pytest.mark.parametrize(
    "passage, value",
    [
        ("The patient does not smoke", False),
        ("She has never smoked", False),
        ("He quit smoking last year", False),
        ("non-smoker", False),
        ("Nobody was injured", False),
        ("No injuries", False),
        ("Smoker: yes", True),
        ("He smokes a pack a week", True),
        ("The police were notified", True),
    ],
)
def test_yes_no_reads_negations(passage, value):
    assert V.read_yesno(passage, 0, 0)[0] is value


@pytest.mark.parametrize(
    "passage", ["Smoker: not sure", "Ask whether he smokes", "Police notified?"]
)
def test_doubt_leaves_yes_no_empty(passage):
    assert V.read_yesno(passage, 0, 0) is None


def test_a_choice_is_matched_to_the_list_forgiving_a_misspelling():
    options = ["sent home", "referred", "admitted"]
    assert V.read_choice("referred to the physiotherapist", options)[0] == "referred"
    assert V.read_choice("admited for observation", options)[0] == "admitted"
    assert V.read_choice("Outcome: sent home", options)[0] == "sent home"


def test_no_choice_or_two_choices_fill_nothing():
    options = ["low", "medium", "high"]
    assert V.read_choice("Priority: whenever", options) is None
    assert V.read_choice("low or maybe high", options) is None


def test_lists_split_on_the_speakers_enumeration():
    assert V.read_list("penicillin, peanuts and latex")[0] == ["penicillin", "peanuts", "latex"]
    assert V.read_list("first restart the router, then clear the cache")[0] == [
        "restart the router",
        "clear the cache",
    ]
    assert V.read_list("an antihistamine and a steroid cream")[0] == [
        "antihistamine",
        "steroid cream",
    ]


def test_a_list_of_nothing_is_empty():
    assert V.read_list("none known") is None
    assert V.read_list("none") is None
    assert V.read_list("Un") is None  # "none" misheard: too short to be an item


def test_a_list_item_of_only_small_words_is_not_an_item():
    assert V.read_list("warning signs placed, floor dried and the")[0] == [
        "warning signs placed",
        "floor dried",
    ]
