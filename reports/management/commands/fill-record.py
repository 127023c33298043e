"""`python manage.py fill-record --template SLUG --team SLUG AUDIO_OR_TEXT [--json]`.

Fills one record the way the web app does, in this process, and stores nothing:

    manage.py fill-record --template visit-note --team demo note.wav --json
    manage.py fill-record --template support-ticket --team demo "Priority high. ..." --json
    manage.py fill-record --template incident-report --team demo note.txt --date 2026-11-20

AUDIO_OR_TEXT is a recording (anything FFmpeg decodes), a .txt file, or the text itself.
The template is the team's template with that slug, else the starter of that name.
With --json it prints {"fields": {name: {"value", "source": {"start", "end", "quote"}}},
"missing": [...], "transcript": "..."}; start and end are character offsets in the
transcript (for a recording also "seconds": [from, to]). A recording heard by two speech
models (an English team without --model: reports.records_audio.dictation_speech) also prints
"hearings": [{"model", "text"}, ...]; a value taken from a later hearing has "hearing": n in
its source, and its offsets are in that hearing's text.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assistant.models import Team
from reports.fill import fill_from_hearings
from reports.records_audio import (
    dictation_hotwords,
    dictation_speech,
    seconds_of,
    transcribe_dictation,
)
from reports.records_models import RecordTemplate
from reports.records_starters import STARTERS

TEXT_SUFFIXES = {".txt", ".text", ".md"}


class Command(BaseCommand):
    help = "Fill a record template from a dictation (recording or text) and print the fields."

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="AUDIO_OR_TEXT")
        parser.add_argument("--template", required=True, help="the template's slug")
        parser.add_argument("--team", required=True, help="the team's slug")
        parser.add_argument(
            "--date",
            help="the dictation's date, YYYY-MM-DD (default: today, or the recording file's date)",
        )
        parser.add_argument(
            "--model",
            help="speech model: tiny.en, base or a folder (default: the team's; an English team's "
            "dictation is heard by base, then tiny.en)",
        )
        parser.add_argument(
            "--use-model",
            action="store_true",
            help="let the team's small model propose empty free-text fields",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"There is no team with the slug {options['team']!r}.")
        fields = self._fields(team, options["template"])
        text, transcript, recorded_on = self._read(options, team, fields)
        heard = [transcript, *transcript.get("hearings", [])] if transcript else []
        result = fill_from_hearings(
            [text, *(h["text"] for h in heard[1:])],
            fields,
            recorded_on=recorded_on,
            time_zone=team.time_zone,
        )
        if options["use_model"]:
            result = self._model(team, result, text, fields)
        out = {
            "fields": {},
            "missing": result["missing"],
            "transcript": text,
            "recorded_on": recorded_on.isoformat(),
        }
        if len(heard) > 1:
            out["hearings"] = [{"model": h["model"], "text": h["text"]} for h in heard]
        for name, found in result["fields"].items():
            source = found["source"]
            if source and heard:
                hearing = heard[source.get("hearing", 0)]
                source = {**source, "seconds": seconds_of(hearing, source["start"], source["end"])}
            out["fields"][name] = {"value": found["value"], "source": source}
            if found["note"]:
                out["fields"][name]["note"] = found["note"]
        if options["json"]:
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
            return
        width = max(len(f["label"]) for f in fields)
        for spec in fields:
            found = out["fields"][spec["name"]]
            shown = found["value"] if found["value"] is not None else "—  " + found.get("note", "")
            self.stdout.write(f"{spec['label']:<{width}}  {shown}")

    def _fields(self, team: Team, slug: str) -> list[dict]:
        template = RecordTemplate.objects.filter(team=team, slug=slug).first()
        if template is not None:
            return template.current.fields
        if slug in STARTERS:
            return STARTERS[slug]["fields"]
        known = sorted(
            {*RecordTemplate.objects.filter(team=team).values_list("slug", flat=True), *STARTERS}
        )
        raise CommandError(f"No template {slug!r} in {team.slug}; known: {', '.join(known)}")

    def _read(self, options, team: Team, fields: list[dict]):
        """(text, transcript with times or None, the dictation's date)."""
        source, path = options["source"], Path(options["source"])
        date = self._date(options["date"])
        if not path.is_file():
            if len(source) < 400 and ("/" in source or Path(source).suffix) and " " not in source:
                raise CommandError(f"{source} is not a file")
            return " ".join(source.split()), None, date or dt.date.today()
        if path.suffix.lower() in TEXT_SUFFIXES:
            return " ".join(path.read_text().split()), None, date or dt.date.today()
        from meetings.audio import AudioRejected
        from meetings.cli import speech_model

        try:
            transcript = transcribe_dictation(
                str(path),
                speech=(
                    speech_model(options["model"], team.language or "en")
                    if options["model"]
                    else dictation_speech(team)
                ),
                hotwords=dictation_hotwords(fields, team.glossary_terms),
                language=team.language or None,
            )
        except AudioRejected as exc:
            raise CommandError(str(exc)) from None
        mtime = dt.date.fromtimestamp(path.stat().st_mtime)
        return transcript["text"], transcript, date or mtime

    def _date(self, value: str | None) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date is YYYY-MM-DD; {value!r} is not") from None

    def _model(self, team: Team, result: dict, text: str, fields: list[dict]) -> dict:
        from assistant.ai import generate_text
        from assistant.slots import slot_config
        from reports.fill_model import fill_free_text

        config = slot_config(team=team, kind="text")
        return fill_free_text(
            result, text, fields, generate=lambda prompt, **kw: generate_text(config, prompt, **kw)
        )
