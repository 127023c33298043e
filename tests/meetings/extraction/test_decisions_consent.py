"""Decisions by consent: what counts as the group agreeing, and what a "yeah" does not settle."""


import pytest

from .fixtures import decision_texts as texts
from .fixtures import decisions_of


@pytest.mark.parametrize(
    "question",
    [
        "Are we all happy with printing the brochure on recycled paper?",
        "Is everyone okay with printing the brochure on recycled paper?",
        "So are we agreed on printing the brochure on recycled paper?",
        "Does everybody agree with printing the brochure on recycled paper?",
    ],
)
def test_a_question_asking_the_room_for_consent_then_a_yes_is_a_decision(question):
    found = decisions_of([("Ana Souza", question), ("Wei Zhang", "Yeah, that's fine.")])
    assert len(found) == 1, found
    assert "recycled paper" in found[0]["text"].lower()


def test_the_idea_of_in_a_consent_question_is_not_part_of_the_decision():
    found = decisions_of([
        ("Ana Souza", "Are we all happy about the idea of moving the stand-up to ten?"),
        ("Lena Braun", "Yes."),
    ])  # fmt: skip
    assert len(found) == 1, found
    assert found[0]["text"].lower().startswith("mov"), found


@pytest.mark.parametrize(
    "lines",
    [
        [
            ("Ana Souza", "Are we all happy with printing the brochure on recycled paper?"),
            ("Wei Zhang", "Not really, it costs twice as much."),
        ],
        [
            ("Ana Souza", "Is everybody okay with any of that, or shall I go over it again?"),
            ("Wei Zhang", "Yeah."),
        ],
        [("Ana Souza", "Are we all happy with printing the brochure on recycled paper?")],
    ],
)
def test_consent_refused_unasked_or_about_nothing_named_is_no_decision(lines):
    assert decisions_of(lines) == []


def test_we_should_answered_with_agreement_is_a_decision():
    found = decisions_of([
        ("Wei Zhang", "We should keep the old logo on the packaging."),
        ("Lena Braun", "Agreed, let's do that."),
    ])  # fmt: skip
    assert "old logo" in texts(found), found


def test_shall_we_answered_by_a_yes_is_still_a_decision():
    found = decisions_of([
        ("Ana Souza", "Shall we keep the old logo on the packaging?"),
        ("Wei Zhang", "Yes."),
    ])  # fmt: skip
    assert "old logo" in texts(found), found


def test_a_proposal_kept_open_with_if_we_can_is_not_settled():
    found = decisions_of([
        ("Ana Souza", "Shall we add a second charger to the kit if we can?"),
        ("Wei Zhang", "Sure."),
    ])  # fmt: skip
    assert found == []


def test_how_we_should_is_a_question_not_a_proposal():
    found = decisions_of([
        ("Lena Braun", "The survey looked at how we should price the garden lamps."),
        ("Wei Zhang", "Agreed, that was the main thing."),
    ])  # fmt: skip
    assert found == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Yeah, we won't add that feature.", False),
        ("We won't add it.", False),
        ("We won't add the export button to the first release.", True),
    ],
)
def test_a_decision_naming_its_matter_only_as_that_is_dropped(text, kept):
    found = decisions_of([("Ana Souza", text)])
    assert bool(found) is kept, found
