"""Shared fixtures: a team with an admin (the owner), a teammate, and a stranger in another team."""

from dataclasses import dataclass

import pytest

from assistant.models import Role, Team, User
from tests.factories import MembershipFactory, TeamFactory


@dataclass
class World:
    team: Team
    owner: User
    manager: User
    teammate: User
    other_team: Team
    stranger: User


@pytest.fixture
def world(db) -> World:
    team = TeamFactory(name="Blue Team")
    other_team = TeamFactory(name="Red Team")
    owner = MembershipFactory(team=team, role=Role.ADMIN).user
    manager = MembershipFactory(team=team, role=Role.MANAGER).user
    teammate = MembershipFactory(team=team, role=Role.EMPLOYEE).user
    stranger = MembershipFactory(team=other_team, role=Role.ADMIN).user
    return World(team, owner, manager, teammate, other_team, stranger)


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client signed in as that user."""

    def sign_in(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files go to a folder of this test's own.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media"}}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: the suite creates many users (never used outside tests).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate limits and used TOTP codes live in the cache: each test gets its own."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def workers(settings):
    """workers.start("speech,text,default") → a real Celery worker on the test database."""
    from tests.workers import Workers

    pool = Workers(settings, JOB_STALE_AFTER=settings.JOB_STALE_AFTER)
    yield pool
    pool.stop_all()
