"""Drafts and daily reports for tests, already written (no worker needed)."""

import datetime as dt

from reports.compose import Facts, plan
from reports.models import DailyReport, Draft
from reports.services import plan_to_json


def draft(world, kind: str = "email", author=None, status: str = "ready", **fields) -> Draft:
    author = author or world.owner
    facts = Facts(kind=kind, sender=author.display_name, to=["Aisha Bello"], purpose="the offsite",
                  points=["Flights are booked"], member=world.teammate.display_name,
                  period=(dt.date(2026, 11, 2), dt.date(2026, 11, 15)), gist="Yes",
                  original="Subject: Offsite\n\nAre we going?", title="Weekly sync",
                  date=dt.date(2026, 11, 16))
    the_plan = plan(facts)
    defaults = {"team": world.team, "author": author, "kind": kind, "subject": the_plan.subject,
                "body": the_plan.template_text() if status == "ready" else "",
                "status": status, "recipients": "aisha@example.com",
                "inputs": {"plan": plan_to_json(the_plan)},
                "member": world.teammate if kind == "feedback" else None}
    return Draft.objects.create(**{**defaults, **fields})


def report(world, author=None, day=dt.date(2026, 11, 18), submitted: bool = False,
           body: str = "Hi,\n\nDone: the release notes.\n\nThanks") -> DailyReport:
    author = author or world.owner
    text = draft(world, "daily_report", author=author, body=body)
    return DailyReport.objects.create(
        team=world.team, author=author, day=day, draft=text,
        status=DailyReport.Status.SUBMITTED if submitted else DailyReport.Status.DRAFT)
