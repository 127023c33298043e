"""The issue's targets on the fixture team (real embeddings): largest gap in the top 3, nothing
finished or dismissed comes back, every suggestion has a reason."""

import pytest

from learning import services
from learning.models import Suggestion
from learning.recommend import suggestions_recompute
from tests.learning import fixture_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform():
    fixture = fixture_team.build()
    suggestions_recompute(team=fixture.team)
    return fixture


def _top(user, n=3):
    return list(Suggestion.objects.filter(member=user, status=Suggestion.Status.SUGGESTED)
                .order_by("rank").select_related("resource", "skill")[:n])


def test_each_members_top_three_has_a_resource_for_their_largest_gap(platform):
    for key, member in platform.members.items():
        top = _top(member.user)
        assert len(top) == 3, key
        about = [s.skill.name for s in top]
        tagged = [list(s.resource.skills.values_list("name", flat=True)) for s in top]
        assert any(member.largest_gap in names for names in tagged), (key, about, tagged)


def test_every_suggestion_names_its_reason(platform):
    rows = Suggestion.objects.filter(team=platform.team)
    assert rows.count() >= 5 * 5
    for row in rows:
        assert row.because.startswith("Because ") and row.skill.name in row.because, row.because
        assert set(row.parts) == {"gap", "relevance", "level_fit", "novelty"}
        product = (row.parts["gap"] * row.parts["relevance"] * row.parts["level_fit"]
                   * row.parts["novelty"])
        assert product == pytest.approx(row.score, rel=0.02)


def test_reasons_name_the_signals_behind_them(platform):
    ben = _top(platform.members["ben"].user)
    security = next(s for s in ben if s.skill.name == "Security")
    assert "your manager rates your Security as Newcomer" in security.because
    assert "blocked to-do" in security.because and "cross-site scripting" in security.because
    chloe = _top(platform.members["chloe"].user, 1)[0]
    assert "your goal is Expert" in chloe.because
    assert "your manager's feedback" in chloe.because
    dev = _top(platform.members["dev"].user, 1)[0]
    assert "Python is not rated for you yet" in dev.because


def test_a_new_member_starts_with_beginner_resources_for_the_team_core_skill(platform):
    top = _top(platform.members["dev"].user)
    assert top[0].resource.title == "Python basics for the team's scripts"
    assert all(s.resource.level == 1 for s in top)


def test_an_untagged_resource_is_linked_by_its_meaning(platform):
    xss = Suggestion.objects.get(member=platform.members["ben"].user,
                                 resource__title__startswith="Hardening a web app")
    assert xss.skill.name == "Security"
    assert "its description matches Security" in xss.because


def test_done_and_dismissed_never_come_back(platform):
    for member in platform.members.values():
        first, second = _top(member.user, 2)
        services.suggestion_done(suggestion=first, by=member.user)
        services.suggestion_dismiss(suggestion=second, reason="I already know this")
    for _ in range(2):
        suggestions_recompute(team=platform.team)
        for member in platform.members.values():
            closed = set(Suggestion.objects.filter(member=member.user,
                                                   status__in=Suggestion.CLOSED)
                         .values_list("resource_id", flat=True))
            assert len(closed) == 2
            shown = set(Suggestion.objects.filter(member=member.user,
                                                  status=Suggestion.Status.SUGGESTED)
                        .values_list("resource_id", flat=True))
            assert shown and not shown & closed


def test_finishing_a_resource_lowers_the_need_and_the_novelty_of_its_neighbours(platform):
    dev = platform.members["dev"].user
    first = _top(dev, 1)[0]
    services.suggestion_done(suggestion=first, by=dev)
    suggestions_recompute(team=platform.team, members=[dev])
    python = Suggestion.objects.filter(member=dev, status=Suggestion.Status.SUGGESTED,
                                       skill__name="Python").order_by("rank").first()
    assert python.parts["novelty"] < 1.0
    assert python.score < first.score
