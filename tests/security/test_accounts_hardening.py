"""Accounts: login rate limit, no user enumeration, the Django admin behind the app's login."""

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests/factories.UserFactory's


def _login(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_a_sixth_failed_login_for_one_email_is_refused_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        response = _login(client, user.email, "wrong password")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    refused = _login(client, user.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert refused.status_code in (200, 429)
    assert b"too many" in refused.content.lower()
    # Another person's email is not locked out by it.
    other = UserFactory()
    assert _login(client, other.email, PASSWORD).status_code == 302


def test_password_reset_does_not_tell_who_has_an_account(client):
    user = UserFactory()
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both get an email: the account holder a link, the stranger a note that there is none.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, "nobody@example.com"])
    assert "/accounts/password/reset/key/" in next(m.body for m in mail.outbox
                                                    if m.to == [user.email])
    assert "/accounts/password/reset/key/" not in next(m.body for m in mail.outbox
                                                        if m.to == ["nobody@example.com"])


def test_django_admin_is_behind_the_app_login(client, client_for, world):
    anonymous = client.get("/django-admin/")
    assert anonymous.status_code == 302 and "/django-admin/login/" in anonymous["Location"]
    login_page = client.get("/django-admin/login/")
    assert login_page.status_code == 302 and login_page["Location"].startswith("/accounts/login/")
    # A team admin who is not staff gets nothing from the Django admin.
    assert client_for(world.owner).get("/django-admin/").status_code == 302
