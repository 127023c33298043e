"""`python manage.py minutes AUDIO --roster R.json --date YYYY-MM-DD --json`, or
`python manage.py minutes --transcript T.json --roster R.json --date YYYY-MM-DD --json`.
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.cli import load_roster, transcript_from_audio
from meetings.minutes import text_generator


class Command(BaseCommand):
    help = "Transcribe, attribute and write the minutes of a recording (or of a transcript)."

    def add_arguments(self, parser):
        parser.add_argument("audio", nargs="?", help="A recording (omit with --transcript).")
        parser.add_argument("--transcript", help="A transcript JSON: the minutes step alone.")
        parser.add_argument("--roster", help="Roster JSON: names, emails, voice samples.")
        parser.add_argument("--date", required=True, help="The meeting date, YYYY-MM-DD.")
        parser.add_argument("--time-zone", default="UTC")
        parser.add_argument("--language")
        parser.add_argument("--model", help="tiny.en, base, or a CTranslate2 Whisper folder.")
        parser.add_argument("--speakers", type=int, help="How many people spoke, if known.")
        parser.add_argument("--no-model", action="store_true",
                            help="Do not let the small text model polish task wording.")
        parser.add_argument("--json", action="store_true", help="Print JSON (the default).")

    def handle(self, *args, audio, transcript, roster, date, time_zone, language, model,
               speakers, no_model, **options):
        from meetings.extraction import extract_minutes

        try:
            meeting_date = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date such as 2026-11-20") from None
        members = load_roster(roster)
        if transcript:
            base = _read_transcript(transcript)
        elif audio:
            base = transcript_from_audio(audio, roster=members, language=language, model=model,
                                         speakers=speakers)
        else:
            raise CommandError("Give a recording, or --transcript T.json")
        generate = None if no_model else text_generator()
        minutes = extract_minutes(segments=base["segments"], roster=members,
                                  meeting_date=meeting_date, time_zone=time_zone,
                                  generate=generate)
        json.dump({**base, **minutes}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")


def _read_transcript(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise CommandError(f"Cannot read the transcript {path}: {exc}") from None
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list):
        raise CommandError(f"{path} has no list of segments")
    return {"language": data.get("language", "en") if isinstance(data, dict) else "en",
            "duration": data.get("duration") if isinstance(data, dict) else None,
            "segments": segments}

