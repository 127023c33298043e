"""The profile page where a person creates and revokes their personal access tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assistant.models import Role

from . import services
from .models import ApiToken, Webhook, WebhookDelivery


@login_required
def tokens(request):
    """List the person's tokens; a POST creates one and shows its secret this once."""
    new_secret = ""
    error = ""
    if request.method == "POST":
        try:
            _, new_secret = services.token_create(user=request.user,
                                                  name=request.POST.get("name", ""))
        except services.ApiInputError as exc:
            error = str(exc)
    webhooks = list(Webhook.objects.for_user(request.user, min_role=Role.ADMIN)
                    .select_related("team"))
    for hook in webhooks:
        hook.recent = list(WebhookDelivery.objects.filter(webhook=hook)[:5])
    return render(request, "assistant/tokens/list.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "new_secret": new_secret,
        "error": error, "webhooks": webhooks}, status=400 if error else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    # Someone else's token answers 404, like another team's object.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.info(request, f"The token “{token.name}” no longer works.")
    return redirect("api-tokens")
