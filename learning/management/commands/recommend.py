"""`python manage.py recommend --member EMAIL [--team SLUG] [--top 5] --json`"""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from assistant.models import Membership, User
from learning.models import Suggestion
from learning.recommend import suggestions_recompute


class Command(BaseCommand):
    help = "Recompute one member's learning suggestions and print the best ones, with why."

    def add_arguments(self, parser):
        parser.add_argument("--member", required=True, help="The member's email address.")
        parser.add_argument("--team", help="The team's slug (needed if they are in several).")
        parser.add_argument("--top", type=int, default=5, help="How many (default 5).")
        parser.add_argument("--json", action="store_true",
                            help='Print [{"resource", "score", "because"}] as JSON.')

    def handle(self, *args, member: str, team: str | None, top: int, json: bool, **options):
        if not 1 <= top <= 100:
            raise CommandError("--top takes a number from 1 to 100.")
        user = User.objects.filter(email__iexact=member.strip()).first()
        if user is None:
            raise CommandError(f"No one signs in as {member}.")
        memberships = Membership.objects.filter(user=user).select_related("team")
        if team:
            memberships = memberships.filter(team__slug=team)
            if not memberships:
                raise CommandError(f"{member} is not a member of a team “{team}”.")
        elif len(memberships) > 1:
            slugs = ", ".join(m.team.slug for m in memberships)
            raise CommandError(f"{member} is in several teams ({slugs}): choose one with --team.")
        elif not memberships:
            raise CommandError(f"{member} is in no team.")
        chosen = memberships[0].team
        suggestions_recompute(team=chosen, members=[user], top=max(top, 10))
        best = (Suggestion.objects.filter(team=chosen, member=user,
                                          status=Suggestion.Status.SUGGESTED)
                .select_related("resource").order_by("rank")[:top])
        rows = [{"resource": s.resource.title, "score": s.score, "because": s.because}
                for s in best]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for i, row in enumerate(rows, start=1):
            self.stdout.write(f"{i}. {row['resource']} ({row['score']:.3f})\n   {row['because']}")
        if not rows:
            self.stdout.write("No suggestions: the team's catalog has nothing for this member.")


def _dumps(rows) -> str:
    return jsonlib.dumps(rows, ensure_ascii=False, indent=2)
