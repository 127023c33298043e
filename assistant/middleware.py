import zoneinfo

from django.conf import settings
from django.utils import timezone

from .selectors import membership_current, memberships_of

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    """No inline scripts or styles anywhere: everything comes from our static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/django-admin/"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
        return response


class TeamMiddleware:
    """Sets request.membership (the team the user works in now) and their time zone.
    request.memberships: all of the user's, read once for the menu's team switcher too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.team = None
        request.memberships = []
        if request.user.is_authenticated:
            request.memberships = list(memberships_of(user=request.user))
            request.membership = membership_current(request=request,
                                                    memberships=request.memberships)
            request.team = request.membership.team if request.membership else None
        timezone.activate(zoneinfo.ZoneInfo(self._time_zone(request)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _time_zone(request) -> str:
        if request.user.is_authenticated and request.user.time_zone:
            return request.user.time_zone
        if request.team:
            return request.team.time_zone
        return settings.TIME_ZONE
