from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Back to an invitation when the person signed in to accept one."""
        token = request.session.get("invitation_token")
        if token:
            return reverse("invitation-accept", args=[token])
        return super().get_login_redirect_url(request)
