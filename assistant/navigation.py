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
