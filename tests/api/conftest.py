import pytest

from api.services import token_create


@pytest.fixture
def bearer(world):
    """bearer(user) → headers for the test client with a fresh token of that user."""

    def headers(user=None):
        _, raw = token_create(user=user or world.owner, name="test")
        return {"Authorization": f"Bearer {raw}"}

    return headers
