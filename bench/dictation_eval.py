"""Dictation to records: field accuracy and unsupported fills on the scripted dictations.

    .venv/bin/python -m bench.dictation_eval             # bench/results/dictation.md
    .venv/bin/python -m bench.dictation_eval --cached    # reuse transcripts from an earlier run
    .venv/bin/python -m bench.dictation_eval --model     # also let the team's small model fill
                                                         # free-text fields the rules leave empty

Each dictation in bench/dictations/ is rendered with espeak-ng (bench.dictations.render),
transcribed through the app's path (meetings.pipeline.process_audio via reports.records_audio)
twice, by Whisper base and tiny.en, as the app does for an English team, and filled with the
template's starter fields against the dictation's recording date. Scored per field (rules in
bench/dictations/README.md) on the tune half and on the held-out half; an "unsupported fill"
is a value filled where the dictation says nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dictation.md"
CACHE = ROOT / "bench" / ".cache" / "dictations"
SPEECH_NAMES = {"speech_en": "Whisper tiny.en", "speech_multi": "Whisper base"}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
    import django

    django.setup()


def transcript_for(
    item: dict, fields: list[dict], *, cached: bool, speech: str = "speech_en"
) -> tuple[dict, float]:
    """The dictation's transcript through the real path; (transcript, seconds taken)."""
    from assistant.ai import SlotConfig
    from reports.records_audio import dictation_hotwords, transcribe_dictation

    from .dictations.render import audio_path, render

    suffix = "" if speech == "speech_en" else f".{speech}"
    saved = CACHE / f"{item['id']}{suffix}.transcript.json"
    if cached and saved.exists():
        return json.loads(saved.read_text()), 0.0
    wav = audio_path(item)
    if not wav.exists():
        render(item)
    began = time.perf_counter()
    transcript = transcribe_dictation(
        str(wav),
        speech=SlotConfig(kind=speech),
        hotwords=dictation_hotwords(fields),
        language="en",
    )
    took = time.perf_counter() - began
    saved.write_text(json.dumps(transcript, indent=1))
    return transcript, took


def score_field(kind: str, expected, got) -> bool:
    """Whether a filled value is right (rules in bench/dictations/README.md)."""
    from reports.fill_values import content_words

    if expected is None or got is None:
        return expected is None and got is None
    if kind == "number":
        return abs(float(expected) - float(got)) < 1e-6
    if kind == "list":
        if len(got) != len(expected):
            return False
        left = [content_words(g) for g in got]
        for item in expected:
            want = content_words(item)
            match = next((g for g in left if len(want & g) * 2 >= len(want)), None)
            if match is None:
                return False
            left.remove(match)
        return True
    if kind == "text":
        want, have = content_words(expected), content_words(got)
        common = len(want & have)
        if not common:
            return False
        precision, recall = common / len(have), common / len(want)
        return 2 * precision * recall / (precision + recall) >= 0.6
    return expected == got


def evaluate(item: dict, transcript: dict, *, model=None) -> list[dict]:
    """One row per field: expected, filled, right, unsupported (filled where nothing was said).

    A transcript with "hearings" is filled the product's way (reports.fill.fill_from_hearings).
    """
    from reports.fill import fill_from_hearings
    from reports.records_starters import STARTERS

    fields = STARTERS[item["template"]]["fields"]
    texts = [transcript["text"], *(h["text"] for h in transcript.get("hearings", []))]
    result = fill_from_hearings(
        texts, fields, recorded_on=dt.date.fromisoformat(item["recorded_on"])
    )
    if model is not None:
        from reports.fill_model import fill_free_text

        result = fill_free_text(result, transcript["text"], fields, generate=model)
    rows = []
    for spec in fields:
        got = result["fields"][spec["name"]]["value"]
        expected = item["expected"][spec["name"]]
        rows.append(
            {
                "id": item["id"],
                "split": item["split"],
                "field": spec["name"],
                "type": spec["type"],
                "expected": expected,
                "got": got,
                "right": score_field(spec["type"], expected, got),
                "unsupported": expected is None and got is not None,
                "method": result["fields"][spec["name"]]["method"],
            }
        )
    return rows


def summary(rows: list[dict]) -> dict:
    right = sum(r["right"] for r in rows)
    said = [r for r in rows if r["expected"] is not None]
    return {
        "fields": len(rows),
        "right": right,
        "accuracy": right / len(rows) if rows else 0,
        "said": len(said),
        "filled_right": sum(r["right"] for r in said),
        "missed": sum(r["got"] is None for r in said),
        "wrong": sum(r["got"] is not None and not r["right"] for r in said),
        "unsupported": sum(r["unsupported"] for r in rows),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cached", action="store_true")
    parser.add_argument(
        "--speech",
        default="team",
        choices=["team", "speech_en", "speech_multi"],
        help="team: the product's two hearings (Whisper base, then tiny.en for what base left "
        "empty); or one model alone: embedded tiny.en, or Whisper base (multilingual)",
    )
    parser.add_argument("--model", action="store_true")
    parser.add_argument("--only", help="a dictation id prefix")
    parser.add_argument("--split", choices=["tune", "held-out"])
    parser.add_argument("--show", action="store_true", help="print every wrong field")
    args = parser.parse_args(argv)
    setup_django()
    from reports.records_starters import STARTERS

    from .dictations.render import dictations

    rows, seconds = [], []
    model = _model() if args.model else None
    for item in dictations():
        if args.only and not item["id"].startswith(args.only):
            continue
        if args.split and item["split"] != args.split:
            continue
        fields = STARTERS[item["template"]]["fields"]
        heard = {}
        for speech in ("speech_multi", "speech_en") if args.speech == "team" else (args.speech,):
            heard[speech], took = transcript_for(item, fields, cached=args.cached, speech=speech)
            seconds.append(took)
        if args.speech == "team":
            transcript = {**heard["speech_multi"], "hearings": [heard["speech_en"]]}
            for speech, alone in heard.items():
                rows += [{**r, "split": f"{speech}-{r['split']}"} for r in evaluate(item, alone)]
        else:
            transcript = heard[args.speech]
        rows += evaluate(item, transcript, model=model)
        script = {"text": " ".join(item["lines"])}
        rows += [{**r, "split": "script-" + r["split"]} for r in evaluate(item, script)]
    if args.show:
        for r in rows:
            if not r["right"]:
                print(
                    f"{r['id']:12} {r['field']:16} expected {r['expected']!r:40.40} "
                    f"got {r['got']!r}"
                )
    for split in ("tune", "held-out", "script-tune", "script-held-out", "speech_multi-tune",
                  "speech_multi-held-out", "speech_en-tune", "speech_en-held-out"):
        part = [r for r in rows if r["split"] == split]
        if part:
            print(split, summary(part))
    if not (args.only or args.split):
        write_results(rows, seconds, args)
    return 0


def _model():
    from assistant.ai import SlotConfig, generate_text

    config = SlotConfig(kind="text")
    return lambda prompt, **options: generate_text(config, prompt, **options)


def write_results(rows: list[dict], seconds: list[float], args) -> None:
    """bench/results/dictation.md: both halves, by type and template, every held-out miss."""
    import platform

    held = [r for r in rows if r["split"] == "held-out"]
    tune = [r for r in rows if r["split"] == "tune"]
    h, t = summary(held), summary(tune)
    script = summary([r for r in rows if r["split"] == "script-held-out"])
    timed = [s for s in seconds if s]
    lines = [
        "## Dictation to records",
        "",
        f"`python -m bench.dictation_eval{' --cached' if args.cached else ''}"
        f"{' --model' if args.model else ''}"
        f"{'' if args.speech == 'team' else ' --speech ' + args.speech}` — {dt.date.today()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. "
        f"{len({r['id'] for r in rows})} scripted dictations (bench/dictations/, three starter "
        "templates, espeak-ng voices with pauses, synth.py's method), transcribed through the "
        "app's path (meetings.pipeline.process_audio; the template's labels, hint phrases, "
        "choices and units as hotwords) "
        + (
            "twice, as the app does for an English team: by Whisper base, then by tiny.en, "
            "whose values fill only the fields base left empty "
            "(reports.fill.fill_from_hearings), "
            if args.speech == "team"
            else f"with {SPEECH_NAMES[args.speech]} alone, "
        )
        + "filled against each dictation's recording date. "
        + (
            "Transcripts reused from an earlier run of the same path. "
            if args.cached
            else f"Transcription took {sum(timed):.0f} s in all, both hearings "
            f"({sum(timed) / max(len(timed), 1):.1f} s a dictation, MODEL_THREADS="
            f"{os.environ.get('MODEL_THREADS', '2')}). "
        )
        + (
            "The small model proposed free text the rules left empty. "
            if args.model
            else "Rules only (the small model's free-text step is off). "
        ),
        "",
        "Word lists and thresholds were adjusted on the tune half only; the held-out half is "
        "reported as it came out.",
        "",
        "| half | fields | right | field accuracy | said & filled right | said, left empty "
        "| said, filled wrong | filled but not said |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    parts = [("held-out", h), ("tune", t)]
    for speech in ("speech_multi", "speech_en"):
        for split in ("held-out", "tune"):
            alone = [r for r in rows if r["split"] == f"{speech}-{split}"]
            if alone:
                parts.append((f"{split}, {SPEECH_NAMES[speech]} alone", summary(alone)))
    parts.append(("held-out, from the script's text (no speech model)", script))
    for name, part in parts:
        lines.append(
            f"| {name} | {part['fields']} | {part['right']} | "
            f"**{100 * part['accuracy']:.1f} %** | {part['filled_right']}/{part['said']}"
            f" | {part['missed']} | {part['wrong']} | **{part['unsupported']}** |"
        )
    lines += [
        "",
        "Held-out, by field type and by template:",
        "",
        "| | fields | accuracy | filled but not said |",
        "| --- | ---: | ---: | ---: |",
    ]
    groups = sorted(
        {("type", r["type"]) for r in held} | {("template", r["id"].split("-")[0]) for r in held}
    )
    for kind, name in groups:
        part = summary(
            [r for r in held if (r["type"] if kind == "type" else r["id"].split("-")[0]) == name]
        )
        lines.append(
            f"| {kind} {name} | {part['fields']} | {100 * part['accuracy']:.1f} % | "
            f"{part['unsupported']} |"
        )
    lines += [
        "",
        "Every held-out field not right (most are words the speech model misheard; "
        "an empty value is flagged for the person in the app):",
        "",
    ]
    for r in held:
        if not r["right"] and r["split"] == "held-out":
            lines.append(
                f"- {r['id']} `{r['field']}`: expected {json.dumps(r['expected'])}, "
                f"filled {json.dumps(r['got'])}"
            )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
