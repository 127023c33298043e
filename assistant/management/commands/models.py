"""`python manage.py models --check [--team SLUG]`: load every model slot and try it."""

from django.core.management.base import BaseCommand, CommandError

from assistant.ai import check_slot, format_check_line
from assistant.models import Team
from assistant.slots import team_slot_configs


class Command(BaseCommand):
    help = "Check each model slot: source, size on disk, load time and a tiny real inference."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Load and try every slot.")
        parser.add_argument("--team", help="A team's slug (default: the embedded models).")

    def handle(self, *args, check: bool, team: str | None, **options):
        if not check:
            raise CommandError("Say --check to load and try every model slot.")
        chosen = None
        if team:
            chosen = Team.objects.filter(slug=team).first()
            if chosen is None:
                raise CommandError(f"No team with the slug {team!r}.")
        failed = 0
        for config in team_slot_configs(team=chosen):
            if config.kind == "translation" and config.source == "embedded":
                self.stdout.write(f"{'translation':<16} {'empty':<8} no model is shipped for "
                                  "translation: an admin sets a MarianMT, NLLB or M2M100 folder "
                                  "per language pair")
                continue
            result = check_slot(config)
            self.stdout.write(format_check_line(result))
            failed += not result.ok
        if failed:
            raise CommandError(f"{failed} slot(s) failed to load or run.")
