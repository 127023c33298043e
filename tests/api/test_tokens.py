"""Personal access tokens: created and revoked on the profile page, only a hash is kept."""

import pytest
from django.urls import reverse

from api.models import ApiToken, token_digest

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_shown_once_and_stores_only_its_hash(world, client_for):
    client = client_for(world.owner)
    response = client.post(reverse("api-tokens"), {"name": "CI upload"})
    assert response.status_code == 200
    raw = response.context["new_secret"]
    assert raw.startswith("ta_") and len(raw) > 40
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=world.owner)
    assert token.digest == token_digest(raw) and raw not in (token.digest, token.prefix)
    # Shown once: the list page never shows it again.
    assert raw not in client.get(reverse("api-tokens")).content.decode()


def test_the_token_works_until_revoked(world, client_for):
    client = client_for(world.owner)
    raw = client.post(reverse("api-tokens"), {"name": "script"}).context["new_secret"]
    client.logout()
    headers = {"Authorization": f"Bearer {raw}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == world.owner.email
    token = ApiToken.objects.get(user=world.owner)
    assert token.last_used_at is not None
    client_for(world.owner).post(reverse("api-token-revoke", args=[token.pk]))
    client.logout()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and "Bearer" in response["WWW-Authenticate"]


def test_a_nameless_token_is_refused_with_a_reason(world, client_for):
    response = client_for(world.owner).post(reverse("api-tokens"), {"name": "  "})
    assert response.status_code == 400
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_checks_ownership_of_the_token_to_revoke(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("api-tokens"), {"name": "mine"})
    token = ApiToken.objects.get()
    response = client_for(world.teammate).post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_page_links_to_tokens(world, client_for):
    assert reverse("api-tokens") in client_for(world.owner).get(reverse("profile")).content.decode()


def test_anonymous_and_garbage_tokens_get_401(client, world):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_admins_see_their_teams_webhooks_and_deliveries(world, client_for):
    from api.models import Webhook, WebhookDelivery

    hook = Webhook.objects.create(team=world.team, url="https://hooks.example.com/a")
    WebhookDelivery.objects.create(webhook=hook, event="todo.assigned", payload={},
                                   status="failed", attempts=6, error="HTTP 500")
    Webhook.objects.create(team=world.other_team, url="https://elsewhere.example.com/b")
    page = client_for(world.owner).get(reverse("api-tokens")).content.decode()
    assert "https://hooks.example.com/a" in page and "after 6 attempts" in page
    assert "elsewhere.example.com" not in page
    teammate_page = client_for(world.teammate).get(reverse("api-tokens")).content.decode()
    assert "hooks.example.com" not in teammate_page
