"""Minutes from audio: the `minutes` command end to end on the scripted meetings.

    .venv/bin/python -m bench.minutes_audio_eval            # writes bench/results/minutes_audio.md
    .venv/bin/python -m bench.minutes_audio_eval --no-model # without the small model's rewording

Each recording in ../shared/eval/audio (or $EVAL_DIR/audio), and each of our own scenarios in
bench/scenarios/ (rendered once by the eval's synth.py into bench/.cache/), goes through exactly
what a user runs: `python manage.py minutes AUDIO --roster ROSTER.json --date DATE --json`, in a
process of its own (so model loading is part of the time), and the printed JSON is scored by the
eval's score.py against the scenario's gold and the audio's turns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.minutes_eval import EVAL, load_score

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "minutes_audio.md"
OURS = ROOT / "bench" / "scenarios"
CACHE = ROOT / "bench" / ".cache" / "scenarios"
METRICS = [
    ("actions F1", lambda s: s["action_items"]["f1"]),
    ("(no owner)", lambda s: s["action_items_ignoring_owner"]["f1"]),
    ("due acc", lambda s: s["due_accuracy"]),
    ("decisions F1", lambda s: s["decisions"]["f1"]),
    ("WER", lambda s: s["wer"]),
    ("named acc", lambda s: s["speaker_named_accuracy"]),
]


def run_command(audio: Path, roster: Path, date: str, no_model: bool) -> tuple[dict, float]:
    command = [sys.executable, "manage.py", "minutes", str(audio), "--roster", str(roster),
               "--date", date, "--json"] + (["--no-model"] if no_model else [])
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout), took


def recordings() -> list[tuple[str, Path, Path, Path, Path]]:
    """(set, audio, roster, turns, scenario) for the shared meetings and ours (rendered once)."""
    out = []
    for audio in sorted((EVAL / "audio").glob("*.flac")):
        out.append(("shared", audio, audio.with_suffix(".roster.json"),
                    audio.with_suffix(".turns.json"), EVAL / "scenarios" / f"{audio.stem}.json"))
    for scenario in sorted(OURS.glob("*.json")):
        audio = CACHE / f"{scenario.stem}.wav"
        if not audio.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(EVAL / "synth.py"), str(scenario), str(CACHE)],
                           check=True, capture_output=True)
        out.append(("ours", audio, audio.with_suffix(".roster.json"),
                    audio.with_suffix(".turns.json"), scenario))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--dump", type=Path, help="a folder to keep each meeting's minutes JSON "
                        "(transcript included) in, to study the extraction on it")
    args = parser.parse_args(argv)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    score = load_score()
    load_before = os.getloadavg()
    rows = []
    for kind, audio, roster, turns_path, scenario_path in recordings():
        scenario = json.loads(scenario_path.read_text())
        turns = json.loads(turns_path.read_text())
        minutes, took = run_command(audio, roster, scenario["date"], args.no_model)
        if args.dump:
            (args.dump / f"{audio.stem}.json").write_text(json.dumps(minutes, indent=1))
        scored = score.score(scenario, turns, minutes)
        rows.append({"id": audio.stem, "set": kind, "duration": minutes.get("duration") or 0.0,
                     "time": took, **{label: get(scored) for label, get in METRICS}})
        print(audio.stem, {k: v for k, v in rows[-1].items() if k != "id"}, flush=True)
    RESULTS.write_text(report(rows, args.no_model, load_before, os.getloadavg()))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def report(rows: list[dict], no_model: bool, before: tuple, after: tuple) -> str:
    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}" if value <= 1 else f"{value:.0f}"

    labels = [label for label, _ in METRICS]
    lines = [
        "## Minutes from audio (the `minutes` command on the scripted meetings)",
        "",
        f"`.venv/bin/python -m bench.minutes_audio_eval{' --no-model' if no_model else ''}` on "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}; {os.cpu_count()} cores; load average "
        f"{before[0]:.1f} → {after[0]:.1f}. Each meeting: `manage.py minutes AUDIO --roster "
        "ROSTER.json --date DATE --json` in its own process (embedded tiny.en, Resemblyzer with "
        "the roster's voice samples enrolled, the extraction"
        + (")" if no_model else ", the small model rewording tasks within MINUTES_MODEL_SECONDS)")
        + ", scored by score.py against the gold and the audio's turns.",
        "",
        "| meeting | audio s | " + " | ".join(labels) + " | command wall s |",
        "|---" * (len(labels) + 3) + "|",
    ]
    for kind, title in (("shared", "../shared/eval"), ("ours", "bench/scenarios")):
        chosen = [r for r in rows if r["set"] == kind]
        for row in chosen:
            lines.append(f"| {row['id']} | {row['duration']:.0f} | "
                         + " | ".join(fmt(row[label]) for label in labels)
                         + f" | {row['time']:.0f} |")
        if not chosen:
            continue
        means = {label: statistics.mean(v) if (v := [r[label] for r in chosen
                                                     if r[label] is not None]) else None
                 for label in labels}
        lines.append(f"| **mean, {title}** | | "
                     + " | ".join(f"**{fmt(means[label])}**" for label in labels)
                     + f" | {statistics.median(r['time'] for r in chosen):.0f} (median) |")
    lines += ["", "Targets (issue #6, scripted meetings from audio): actions F1 ≥ 0.80 (owner "
              "included), due-date accuracy ≥ 0.90, decisions F1 ≥ 0.80. The bench/scenarios "
              "meetings are our own (other trades, names, phrasings and dates, with negatives): a "
              "check that the extraction generalizes beyond the shared four.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
