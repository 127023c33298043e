"""`manage.py draft ...`: the same drafts on the command line, as {"subject", "body"}."""

import datetime as dt
import json
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Todo, TodoEvent
from tests.factories import MembershipFactory, TeamFactory
from tests.reports.conftest import scripted

pytestmark = pytest.mark.django_db


def draft(*args) -> dict:
    out = StringIO()
    call_command("draft", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_email_without_the_model():
    result = draft("email", "--to", "Aisha Bello", "--to", "Mei Tanaka", "--points",
                   "Flights are booked for 14 January; Agenda is shared", "--purpose",
                   "the team offsite", "--sender", "Jonas Berg", "--tone", "formal",
                   "--no-model")
    assert result["subject"] == "The team offsite"
    assert result["body"] == (
        "Dear Aisha Bello and Mei Tanaka,\n\nI am writing regarding the team offsite.\n\n"
        "- Flights are booked for 14 January\n- Agenda is shared\n\n"
        "Please let me know if you have any questions.\n\nKind regards,\nJonas Berg")


def test_email_in_its_shortest_form_reads_well_and_is_signed():
    """`draft email --to NAME --points "..."`: no purpose given, no placeholder, a name."""
    result = draft("email", "--to", "Aisha Bello", "--points",
                   "flights are booked; Agenda is shared", "--no-model")
    assert result["subject"] == "Flights are booked"
    body = result["body"]
    assert body.startswith("Hi Aisha,\n\nI wanted to get in touch about a few points.\n\n"
                           "- flights are booked\n- Agenda is shared\n\n")
    signature = body.rsplit("\n", 1)[1]
    assert signature and "[" not in body and body.endswith(f"Thanks,\n{signature}")


def test_email_with_the_model_writes_the_connecting_sentences(monkeypatch):
    monkeypatch.setattr("reports.management.commands.draft.text_model",
                        lambda team: scripted("share where the offsite stands.",
                                                "Let me know what you think."))
    result = draft("email", "--to", "Aisha Bello", "--points", "Flights are booked",
                   "--purpose", "the offsite", "--sender", "Jonas")
    assert "I wanted to share where the offsite stands.\n\n- Flights are booked" \
        in result["body"]
    assert "Let me know what you think.\n\nThanks,\nJonas" in result["body"]


def test_daily_report_from_the_database(world):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    todo = Todo.objects.create(team=world.team, assignee=world.teammate, title="Ship the beta",
                               status="done")
    TodoEvent.objects.create(todo=todo, status="done",
                             at=dt.datetime(2026, 11, 18, 15, tzinfo=paris))
    result = draft("daily-report", "--member", world.teammate.email, "--date", "2026-11-18",
                   "--no-model")
    assert result["subject"] == (f"Daily report: {world.teammate.display_name}, "
                                 "Wednesday 18 November 2026")
    assert "Done:\n- Ship the beta" in result["body"]


def test_feedback_from_the_database(world):
    result = draft("feedback", "--member", world.teammate.email, "--team", world.team.slug,
                   "--points", "Clear slides; Quick answers", "--from", "2026-11-02", "--to",
                   "2026-11-15", "--as", world.manager.email, "--no-model")
    assert result["subject"] == f"Feedback for {world.teammate.display_name}"
    assert "Behaviour:\n- Clear slides\n- Quick answers" in result["body"]
    assert result["body"].endswith(f"Thanks,\n{world.manager.display_name}")


def test_someone_in_two_teams_needs_the_team(world):
    MembershipFactory(user=world.teammate, team=TeamFactory())
    with pytest.raises(CommandError, match="choose one with --team"):
        draft("daily-report", "--member", world.teammate.email, "--date", "2026-11-18")
    with pytest.raises(CommandError, match="No team with the slug"):
        draft("feedback", "--member", world.teammate.email, "--team", "nope", "--points", "x")
