"""`python manage.py transcribe AUDIO [--roster R.json] [--language xx] [--model M] --json`."""

import json
import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Transcribe a recording the way the web job does, and print the segments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("audio", help="A recording: wav, mp3, m4a, ogg/opus, webm, flac, mp4.")
        parser.add_argument("--roster", help="Roster JSON: names as Whisper hotwords; voice "
                            "samples enrolled for this run, so speakers get names.")
        parser.add_argument("--language", help="The language spoken (default: detect).")
        parser.add_argument("--model", help="tiny.en, base, or a CTranslate2 Whisper folder.")
        parser.add_argument("--speakers", type=int, help="How many people spoke, if known.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        from meetings.cli import transcript_from_audio

        roster, config = _inputs(options)
        verbose = options["verbosity"] >= 2
        if not verbose:
            # faster-whisper logs every batch at INFO: noise on a terminal.
            logging.getLogger("faster_whisper").setLevel(logging.WARNING)
        out = transcript_from_audio(
            options["audio"], roster=roster, language=options["language"] or None,
            speakers=options["speakers"], speech=config,
            on_progress=lambda f, stage: verbose and self.stderr.write(f"{f:4.0%} {stage}"))
        if options["json"]:
            json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return
        for s in out["segments"]:
            who = f"{s['speaker']}: " if s["speaker"] else ""
            self.stdout.write(f"[{_clock(s['start'])} - {_clock(s['end'])}] {who}{s['text']}")


def _inputs(options: dict[str, Any]) -> tuple[list[dict], Any]:
    """The roster and the speech slot, or exit 2 with what to fix."""
    from meetings.cli import BAD_INPUT, load_roster, speech_model

    if options["speakers"] is not None and options["speakers"] < 1:
        raise CommandError("--speakers must be 1 or more", returncode=BAD_INPUT)
    language = options["language"] or None
    try:
        roster = load_roster(options["roster"])
        config = speech_model(options["model"], language)
    except CommandError as exc:
        raise CommandError(str(exc), returncode=BAD_INPUT) from None
    if config.kind == "speech_en" and language not in (None, "en"):
        raise CommandError(
            f"tiny.en only understands English: use --model base for --language {language}",
            returncode=BAD_INPUT,
        )
    return roster, config


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes):02d}:{secs:04.1f}"
