from .navigation import items_for
from .selectors import memberships_of


def team(request) -> dict:
    membership = getattr(request, "membership", None)
    user = request.user
    return {
        "membership": membership,
        "team": membership.team if membership else None,
        "nav_items": items_for(membership),
        "my_memberships": memberships_of(user=user) if user.is_authenticated else [],
    }
