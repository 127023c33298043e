from .navigation import items_for
from .selectors import memberships_of


def team(request) -> dict:
    membership = getattr(request, "membership", None)
    user = request.user
    return {
        "membership": membership,
        "team": membership.team if membership else None,
        "nav_items": items_for(membership),
        "my_memberships": _memberships(request, user),
    }


def _memberships(request, user) -> list:
    """The user's memberships as TeamMiddleware read them (no second query), else read now."""
    if not user.is_authenticated:
        return []
    memberships = getattr(request, "memberships", None)
    return memberships if memberships is not None else list(memberships_of(user=user))
