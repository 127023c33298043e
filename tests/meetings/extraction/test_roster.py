"""Names and roles heard in speech, matched to the roster despite recognition errors."""

import pytest

from meetings.extraction.roster import Roster

PEOPLE = Roster(
    [
        {"name": "Sam Rivera", "email": "sam@example.com"},
        {"name": "Nina Petrova", "email": "nina@example.com"},
        {"name": "Kofi Mensah", "email": "kofi@example.com"},
        {"name": "Jürgen Weiß", "email": "j@example.com"},
        {"name": "Oluwaseun Adeyemi", "email": "o@example.com", "aliases": ["Seun"]},
        {"name": "Amara Okonkwo", "email": "a@example.com", "aliases": ["team lead"]},
    ]
)
ROLES = Roster(
    [
        {"name": "Project Manager", "email": "pm@example.com"},
        {"name": "Industrial Designer", "email": "id@example.com"},
        {"name": "User Interface Designer", "email": "ui@example.com"},
        {"name": "Marketing Expert", "email": "me@example.com"},
    ]
)


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("Nina", "Nina Petrova"),
        ("Neena", "Nina Petrova"),
        ("Coffee", "Kofi Mensah"),
        ("Kofi Mensa", "Kofi Mensah"),
        ("Jurgen", "Jürgen Weiß"),
        ("Juergen", "Jürgen Weiß"),
        ("Seun", "Oluwaseun Adeyemi"),
        ("Petrova", "Nina Petrova"),
        ("the team lead", "Amara Okonkwo"),
        ("sam rivera", "Sam Rivera"),
    ],
)
def test_it_matches_misheard_names(heard, name):
    assert PEOPLE.resolve(heard) == name


@pytest.mark.parametrize("heard", ["Bob", "Pam", "Marketing", "the printer", "", "Okay"])
def test_it_refuses_names_that_are_not_on_the_roster(heard):
    assert PEOPLE.resolve(heard) is None


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("industrial designer", "Industrial Designer"),
        ("the industrial design", "Industrial Designer"),
        ("user interface designer", "User Interface Designer"),
        ("marketing expert", "Marketing Expert"),
        ("project manager", "Project Manager"),
    ],
)
def test_it_matches_roles(heard, name):
    assert ROLES.resolve(heard) == name


def test_a_bare_shared_word_is_not_a_role():
    assert ROLES.resolve("designer") is None
    assert ROLES.resolve("user") is None


def test_full_names_are_kept_in_roster_order():
    assert PEOPLE.names[:2] == ["Sam Rivera", "Nina Petrova"]


SHORT_FORMS = Roster(
    [{"name": n} for n in ("Aleksander Kowalczyk", "Brendan O'Neill", "Nkechi Eze",
                           "Esperanza Flores", "Tomasz Wolny", "Oluwafemi Bello")]
)  # fmt: skip


@pytest.mark.parametrize(
    ("heard", "name"),
    [("Alek", "Aleksander Kowalczyk"), ("Bren", "Brendan O'Neill"), ("Kechi", "Nkechi Eze"),
     ("Espe", "Esperanza Flores"), ("Tom", "Tomasz Wolny"), ("Femi", "Oluwafemi Bello")],
)  # fmt: skip
def test_a_short_form_of_a_first_name_is_that_member(heard, name):
    assert SHORT_FORMS.resolve(heard) == name


@pytest.mark.parametrize("heard", ["Al", "Est", "Brent", "Tomato", "Ali", "Fem"])
def test_a_short_word_or_another_name_is_not_a_short_form(heard):
    assert SHORT_FORMS.resolve(heard) is None
