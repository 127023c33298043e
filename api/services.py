"""Writes for the API: personal access tokens and webhooks."""

from django.utils import timezone

from assistant.models import Role, Team, User
from assistant.selectors import membership_for

from .models import ApiToken, Webhook, token_digest


class ApiInputError(ValueError):
    """Input refused with a message for the person or program that sent it."""


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret: the secret is shown once and only its hash is kept."""
    name = " ".join(name.split())[:100]
    if not name:
        raise ApiInputError("Give the token a name that says what it is for.")
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10],
                                    digest=token_digest(raw))
    return token, raw


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())


def token_authenticate(*, raw: str) -> User | None:
    """The active person behind a token, or None; marks the token as used."""
    token = (ApiToken.objects.active().select_related("user")
             .filter(digest=token_digest(raw)).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def webhook_create(*, team: Team, user: User, url: str, events: list[str]) -> Webhook:
    """A team admin adds an address to tell about the team's events."""
    membership = membership_for(user=user, team=team)
    if membership is None or not membership.has_role(Role.ADMIN):
        raise PermissionError("Only the team's admins can add webhooks.")
    if not url.startswith(("https://", "http://")):
        raise ApiInputError("A webhook address starts with https:// (or http://).")
    unknown = sorted(set(events) - set(Webhook.Event.values))
    if unknown:
        raise ApiInputError(f"Unknown events {unknown}: use {sorted(Webhook.Event.values)}.")
    return Webhook.objects.create(team=team, url=url, events=sorted(set(events)),
                                  created_by=user)


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()

