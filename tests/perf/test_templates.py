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
