"""The menu, by role: each app registers its pages when it loads."""

from dataclasses import dataclass

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    min_role: str = Role.EMPLOYEE
    order: int = 50


_ITEMS: list[NavItem] = []


def register(label: str, url_name: str, *, min_role: str = Role.EMPLOYEE, order: int = 50):
    item = NavItem(label, url_name, min_role, order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(membership) -> list[NavItem]:
    if membership is None:
        return []
    return sorted((i for i in _ITEMS if membership.has_role(i.min_role)),
                  key=lambda i: (i.order, i.label))


_PROFILE_LINKS: list[tuple[str, str]] = []


def register_profile_link(label: str, url_name: str) -> None:
    """A page of a feature app that belongs with the person's profile (e.g. their voice)."""
    if (label, url_name) not in _PROFILE_LINKS:
        _PROFILE_LINKS.append((label, url_name))


def profile_links() -> list[tuple[str, str]]:
    return list(_PROFILE_LINKS)
