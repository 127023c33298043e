"""The load test's pages render a few templates, not one per row or per option: each
template render costs CPU on a web tier that the load test saturates (bench/results/load.md)."""

import pytest

pytestmark = pytest.mark.django_db


def _templates(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [t.name for t in response.templates]


def test_the_profile_page_renders_its_time_zones_without_a_template_each(world, client_for):
    names = _templates(client_for(world.teammate), "/profile/")
    assert "django/forms/widgets/select_option.html" not in names
    assert len(names) < 40, names


class Calls:
    """Counts calls of a function while delegating to it."""

    def __init__(self, function):
        self.function, self.count = function, 0

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.function(*args, **kwargs)


def _transcript_costs(client, meeting, monkeypatch) -> tuple[int, int]:
    """(URL reversals, localised numbers) while the transcript page renders."""
    from django.urls.resolvers import URLResolver
    from django.utils import formats

    reversals = Calls(URLResolver._reverse_with_prefix)
    numbers = Calls(formats.number_format)
    with monkeypatch.context() as patch:
        patch.setattr(URLResolver, "_reverse_with_prefix",
                      lambda self, *a, **k: reversals(self, *a, **k))
        patch.setattr(formats, "number_format", numbers)
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    return reversals.count, numbers.count


def test_the_transcript_page_reverses_and_formats_nothing_per_segment(world, client_for,
                                                                      monkeypatch):
    """No `{% url %}`, floatformat or localised number per segment: with 30 segments, some
    edited, as many as with one."""
    from meetings.models import Speaker
    from tests.factories import MeetingFactory, SegmentFactory

    meeting = MeetingFactory(team=world.team, created_by=world.owner, duration=90.0)
    speaker = Speaker.objects.create(meeting=meeting, label="Speaker 1", colour=2)
    SegmentFactory(meeting=meeting, speaker=speaker, index=0, start=0.5, edited=True)
    client = client_for(world.teammate)
    client.get(f"/meetings/{meeting.pk}/")  # warm
    few = _transcript_costs(client, meeting, monkeypatch)
    for i in range(1, 30):
        SegmentFactory(meeting=meeting, speaker=speaker if i % 2 else None, index=i,
                       start=2.5 * i, edited=bool(i % 3))
    assert _transcript_costs(client, meeting, monkeypatch) == few
