"""`python manage.py ask --team SLUG "question" [--json]`: the team assistant's cited answer."""

import json

from django.core.management.base import BaseCommand, CommandError

from assistant.answering import answer_question
from assistant.models import Team


class Command(BaseCommand):
    help = "Answer a question from a team's knowledge base, with the passages it cites."

    def add_arguments(self, parser):
        parser.add_argument("question")
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--json", action="store_true", help="Print {answer, citations}.")
        parser.add_argument("--no-model", action="store_true",
                            help="Extraction only: skip the text model's restatement.")

    def handle(self, *args, question: str, team: str, **options):
        chosen = Team.objects.filter(slug=team).first()
        if chosen is None:
            raise CommandError(f"No team with the slug {team!r}.")
        answer = answer_question(team=chosen, question=question,
                                 use_model=not options["no_model"])
        if options["json"]:
            citations = [{k: c[k] for k in ("n", "title", "url", "quote", "passage", "start",
                                            "score")} for c in answer.citations]
            self.stdout.write(json.dumps({"answer": answer.text, "citations": citations},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(answer.text)
        for c in answer.citations:
            self.stdout.write(f"[{c['n']}] {c['title']} ({c['url']}): {c['quote']}")
