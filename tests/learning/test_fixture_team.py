"""The fixture team's stated gaps follow from its levels and goals (no ranking involved)."""

import pytest

from tests.learning import fixture_team

pytestmark = pytest.mark.django_db


def test_each_members_largest_gap_is_the_one_stated():
    fixture = fixture_team.build()
    for member in fixture.members.values():
        assert fixture_team.largest_gap(member.user, fixture.team) == member.largest_gap


def test_every_skill_has_resources_at_several_levels():
    fixture = fixture_team.build()
    for skill in fixture.team.skills.all():
        levels = set(skill.resources.values_list("level", flat=True))
        assert len(levels) >= 2, skill.name
