"""A long meeting's minutes list its firmest decisions, about one per eight minutes."""



from . import fixtures

TEAM = [{"name": "Ana Souza"}, {"name": "Wei Zhang"}]


def decisions_of(lines, gap):
    return fixtures.decisions_of(lines, roster=TEAM, gap=gap)


LINES = [
    ("Ana Souza", "We're planning to repaint the meeting room in spring."),
    ("Wei Zhang", "We decided to rent the hall on the river for the summer party."),
    ("Ana Souza", "We're aiming for two new hires in the support team."),
    ("Wei Zhang", "We'll go with the cheaper cleaning contract."),
    ("Ana Souza", "We're planning to move the archive to the basement."),
    ("Wei Zhang", "We decided to close the office between Christmas and New Year."),
    ("Ana Souza", "Thanks, see you next week."),
]


def test_a_long_meeting_keeps_its_firmest_decisions():
    found = decisions_of(LINES, gap=180.0)  # about 18 minutes: two decisions
    texts = " | ".join(d["text"].lower() for d in found)
    assert len(found) == 2, found
    assert "summer party" in texts and "christmas" in texts, found


def test_a_short_meeting_keeps_every_decision():
    assert len(decisions_of(LINES, gap=1.0)) == 6
