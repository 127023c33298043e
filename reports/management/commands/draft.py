"""`python manage.py draft email|reply|daily-report|feedback ... [--json]`: a draft on stdout.

Runs the same composer, model and checks as the web app, in this process (the model loads
here; the command is never the web process). Nothing is stored and nothing is sent.

    manage.py draft email --to "Aisha Bello" --points "Flights are booked; Agenda is shared"
    manage.py draft daily-report --member nina@example.com --date 2026-11-18 --json
    manage.py draft feedback --member kofi@example.com --points "Found the outage cause fast"
"""

import getpass
import json
import pwd
import re
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assistant.models import Membership, Team, User
from reports import layouts as L
from reports.compose import Facts, plan
from reports.prose import Generate, model_generate, write_all
from reports.selectors import day_facts, feedback_facts, managers_of, style_for, zone_of


def _items(value: str) -> list[str]:
    """Points given as lines or separated by semicolons."""
    return [p.strip(" -•\t") for p in re.split(r"[\n;]", value or "") if p.strip(" -•\t")]


def text_model(team: Team | None) -> Generate:
    """The team's text model, loaded now: a worker's model is warm, and a cold load inside the
    writer's time budget would leave only the stock sentences."""
    from assistant.ai import load_slot
    from assistant.slots import slot_config

    config = slot_config(team=team, kind="text")
    load_slot(config)
    return model_generate(config)


NO_PURPOSE = "a few points"  # reads well in every tone's opening ("A quick note about ...")


def _subject_from(points: list[str]) -> str:
    words = " ".join(points[0].split()[:8]) if points else "A few points"
    return words[:1].upper() + words[1:]


def _login_name() -> str:
    """The name of the person at the terminal: their full name from the system, if set."""
    login = getpass.getuser()
    try:
        full = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except KeyError:
        full = ""
    return full if full and full.lower() != login.lower() else login.capitalize()


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date such as 2026-11-18") from None


class Command(BaseCommand):
    help = "Draft an email, a reply, a daily report or feedback and print it (nothing is sent)."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        common = {"--json": {"action": "store_true", "help": 'print {"subject", "body"}'},
                  "--no-model": {"action": "store_true", "help": "template only"},
                  "--tone": {"choices": L.TONES, "default": None},
                  "--team": {"help": "team slug (default: the person's only team)"},
                  "--as": {"dest": "sender_email", "help": "sign as this user (email)"}}
        email = kinds.add_parser("email")
        email.add_argument("--to", action="append", required=True, help="a recipient's name")
        email.add_argument("--points", required=True, help="key points: lines or a; b; c")
        email.add_argument("--purpose", default="",
                           help="what it is about (default: the subject is the first point)")
        email.add_argument("--sender", default="", help="the name to sign with")
        reply = kinds.add_parser("reply")
        reply.add_argument("--original", required=True, help="the email's text, or @file")
        reply.add_argument("--gist", required=True)
        reply.add_argument("--sender", default="")
        daily = kinds.add_parser("daily-report")
        daily.add_argument("--member", required=True, help="the author's email")
        daily.add_argument("--date", required=True)
        daily.add_argument("--notes", default="")
        feedback = kinds.add_parser("feedback")
        feedback.add_argument("--member", required=True, help="the team member's email")
        feedback.add_argument("--points", required=True)
        feedback.add_argument("--impact", default="")
        feedback.add_argument("--from", dest="first", help="first day (default: 13 days ago)")
        feedback.add_argument("--to", dest="last", help="last day (default: today)")
        for sub in (email, reply, daily, feedback):
            for flag, options in common.items():
                sub.add_argument(flag, **options)

    def handle(self, *args, kind: str, **o):
        team = self._team(o)
        facts = getattr(self, f"_{kind.replace('-', '_')}")(team, o)
        style = style_for(team=team) if team else None
        if style:
            facts.tone = o["tone"] or style.tone
        the_plan = plan(facts, style.layout(facts.kind) if style else None,
                        style.signoff(facts.tone) if style else "")
        if kind == "email" and not o["purpose"]:
            the_plan.subject = _subject_from(facts.points)
        generate = None
        if not o["no_model"]:
            from assistant.ai import ModelUnavailable

            try:
                generate = text_model(team)
            except ModelUnavailable as exc:  # the facts still make a whole draft
                self.stderr.write(f"The text model is not available ({exc}): template only.")
        body, _ = write_all(the_plan, generate)
        if o["json"]:
            self.stdout.write(json.dumps({"subject": the_plan.subject, "body": body},
                                         ensure_ascii=False))
        else:
            self.stdout.write(f"Subject: {the_plan.subject}\n\n{body}")

    def _team(self, o) -> Team | None:
        if o.get("team"):
            team = Team.objects.filter(slug=o["team"]).first()
            if team is None:
                raise CommandError(f"No team with the slug {o['team']!r}")
            return team
        email = o.get("member") or o.get("sender_email")
        if not email:
            return None
        teams = list(Team.objects.filter(memberships__user__email__iexact=email))
        if len(teams) != 1:
            raise CommandError(f"{email} is in {len(teams)} teams: choose one with --team SLUG")
        return teams[0]

    def _user(self, email: str, team: Team | None) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None or (team and not Membership.objects.filter(user=user, team=team)
                            .exists()):
            raise CommandError(f"{email} is not a member of {team or 'any team'}")
        return user

    def _sender(self, o, team: Team | None) -> str:
        if o.get("sender_email"):
            return self._user(o["sender_email"], team).display_name
        return o.get("sender") or _login_name()

    def _email(self, team, o) -> Facts:
        points = _items(o["points"])
        purpose = o["purpose"] or NO_PURPOSE
        return Facts(kind=L.EMAIL, sender=self._sender(o, team), tone=o["tone"] or L.FRIENDLY,
                     to=[n.strip() for to in o["to"] for n in to.split(",") if n.strip()],
                     purpose=purpose, points=points)

    def _reply(self, team, o) -> Facts:
        original = o["original"]
        if original.startswith("@"):
            with open(original[1:], encoding="utf-8") as f:
                original = f.read()
        return Facts(kind=L.REPLY, sender=self._sender(o, team), tone=o["tone"] or L.FRIENDLY,
                     original=original, gist=o["gist"])

    def _daily_report(self, team, o) -> Facts:
        if team is None:
            raise CommandError("--member is required")
        member = self._user(o["member"], team)
        day = _day(o["date"], "--date")
        found = day_facts(team=team, member=member, day=day)
        managers = [m.display_name for m in managers_of(team=team) if m != member]
        return Facts(kind=L.DAILY_REPORT, sender=member.display_name,
                     tone=o["tone"] or L.FRIENDLY, to=managers, date=day, done=found.done,
                     in_progress=found.in_progress, blocked=found.blocked,
                     meetings=found.meetings, notes=o["notes"])

    def _feedback(self, team, o) -> Facts:
        if team is None:
            raise CommandError("--member is required")
        member = self._user(o["member"], team)
        today = timezone.now().astimezone(zone_of(member, team)).date()
        last = _day(o["last"], "--to") or today
        first = _day(o["first"], "--from") or last - timedelta(days=13)
        found = feedback_facts(team=team, member=member, first=first, last=last)
        if o.get("sender_email"):
            sender = self._user(o["sender_email"], team).display_name
        else:
            managers = [m for m in managers_of(team=team) if m != member]
            sender = managers[0].display_name if managers else self._sender(o, team)
        return Facts(kind=L.FEEDBACK, sender=sender, tone=o["tone"] or L.FRIENDLY,
                     member=member.display_name, period=(first, last),
                     completed=found.completed, overdue=found.overdue, meetings=found.meetings,
                     points=_items(o["points"]), impact=_items(o["impact"]))


