from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Brings a person who signed in or up to accept an invitation back to it."""

    def _invitation_url(self, request) -> str | None:
        token = request.session.get("invitation_token")
        return reverse("invitation-accept", args=[token]) if token else None

    def get_login_redirect_url(self, request):
        return self._invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._invitation_url(request) or super().get_signup_redirect_url(request)
