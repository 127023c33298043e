"""The checks on the model's sentence: nothing invented, nothing repeated, one plain sentence."""

import pytest

from reports.checks import ProseCheck, repeated_sentences

GIVEN = "Follow-up: Platform weekly (Monday 16 November 2026)\nAlice Moreau: run the migration"


@pytest.fixture
def check():
    return ProseCheck(GIVEN, earlier=["Let me know if I missed anything."])


def test_a_plain_sentence_on_the_topic_passes(check):
    assert check.sentence("Thanks for joining the platform weekly; here is a quick recap.") == (
        "Thanks for joining the platform weekly; here is a quick recap.", "")


def test_only_the_first_sentence_is_kept(check):
    sentence, problem = check.sentence("Thanks for joining the weekly. Here is the recap.")
    assert (sentence, problem) == ("Thanks for joining the weekly.", "")


@pytest.mark.parametrize(("text", "why"), [
    ("Thanks for joining, John.", "a name it was not given (John)"),
    ("Here is the recap of the 2015 weekly.", "a number it was not given (2015)"),
    ("See you on Friday for the weekly.", "a date it was not given (Friday)"),
    ("Thanks for joining the meeting tomorrow.", "a date it was not given (tomorrow)"),
    ("The two of us agreed on the migration.", "a number it was not given (two)"),
    ("Best regards, [Your Name].", "a placeholder or markup ([)"),
    ("Thanks for your dedication to quality assurance.",
     "a word the facts do not support (dedication)"),
    ("Thanks for joining the platform weekly", "an unfinished sentence"),
    ("Thanks.", "1 words (a sentence of 3–28 is wanted)"),
    ("Best regards and thanks to everyone.", "a greeting or sign-off, which code writes"),
    ("Let me know if I missed anything.", "a sentence the draft already has"),
    ("Thanks for the recap and thanks for the recap.", "words repeated within the sentence"),
])
def test_what_fails_and_why(check, text, why):
    assert check.sentence(text) == ("", why)


def test_given_names_numbers_and_dates_are_allowed(check):
    sentence, problem = check.sentence("Alice will run the migration by Monday 16 November.")
    assert problem == "" and sentence


def test_a_problem_is_seen_before_the_sentence_ends(check):
    assert check.partial_problem("Thanks John ") == "a name it was not given (John)"
    assert check.partial_problem("Thanks Jo") == ""  # the word may still grow


def test_may_as_a_verb_is_no_date(check):
    assert check.sentence("Let me know if you may have questions.")[1] == ""


def test_repeated_sentences_in_a_draft_are_found():
    text = "Hi all,\n\nHere is the recap.\n- A\n\nHere is the recap.\n\nThanks,\nMe"
    assert repeated_sentences(text) == ["Here is the recap."]


def test_an_opening_has_to_say_what_it_is_about(check):
    assert check.sentence("Thanks for your patience.", topic="Platform weekly") == (
        "", "an opening that does not say what it is about")
    assert check.sentence("Thanks for joining the weekly.", topic="Platform weekly")[1] == ""
