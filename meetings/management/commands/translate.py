"""`python manage.py translate AUDIO --to en [--team SLUG] [--model base|PATH] --json`."""

import json
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = ("Transcribe a recording stretch by stretch, each with its own detected language, "
            "and translate it (English by Whisper; other languages by the team's slots).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audio", help="A recording: wav, mp3, m4a, ogg/opus, webm, flac.")
        parser.add_argument("--to", default="en", help="The language to translate to (en).")
        parser.add_argument("--team", help="The team whose translation slots to use (slug).")
        parser.add_argument("--model", help="base (default) or a CTranslate2 Whisper folder.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        from assistant.ai import ModelUnavailable
        from assistant.models import Team
        from meetings.cli import BAD_INPUT, speech_model
        from meetings.live_translate import recording_translate

        logging.getLogger("faster_whisper").setLevel(logging.WARNING)
        team = None
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"No team {options['team']!r}", returncode=BAD_INPUT)
        speech = speech_model(options["model"] or "base", None)
        if speech.kind != "speech_multi":
            raise CommandError("translate needs the multilingual Whisper: --model base or a "
                               "folder", returncode=BAD_INPUT)
        target = options["to"].strip().lower()
        if target != "en" and team is None:
            raise CommandError(f"Only English comes from the speech model: for --to {target} "
                               "give --team with a translation slot", returncode=BAD_INPUT)
        try:
            out = recording_translate(options["audio"], target=target, speech=speech, team=team)
        except (FileNotFoundError, ModelUnavailable) as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        for s in out["segments"]:
            self.stdout.write(f"[{s['start']:7.1f}–{s['end']:7.1f}] ({s['language']}) {s['text']}")
            if s["translation"] and s["translation"] != s["text"]:
                self.stdout.write(f"{'':18}→ {s['translation']}")
            elif s["translation"] is None:
                self.stdout.write(f"{'':18}(no {s['language']}→{target} translation)")
