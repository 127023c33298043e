"""Minutes from audio: the `minutes` command end to end on the scripted meetings.

    .venv/bin/python -m bench.minutes_audio_eval            # writes bench/results/minutes_audio.md
    .venv/bin/python -m bench.minutes_audio_eval --no-model # without the small model's rewording

Each recording in ../shared/eval/audio (or $EVAL_DIR/audio) goes through exactly what a user
runs: `python manage.py minutes AUDIO --roster ROSTER.json --date DATE --json`, in a process of
its own (so model loading is part of the time), and the printed JSON is scored by the eval's
score.py against the scenario's gold and the audio's turns.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args(argv)
    score = load_score()
    load_before = os.getloadavg()
    rows = []
    for audio in sorted((EVAL / "audio").glob("*.flac")):
        name = audio.stem
        scenario = json.loads((EVAL / "scenarios" / f"{name}.json").read_text())
        turns = json.loads((EVAL / "audio" / f"{name}.turns.json").read_text())
        minutes, took = run_command(audio, EVAL / "audio" / f"{name}.roster.json",
                                    scenario["date"], args.no_model)
        scored = score.score(scenario, turns, minutes)
        rows.append({"id": name, "duration": minutes.get("duration") or 0.0, "time": took,
                     **{label: get(scored) for label, get in METRICS}})
        print(name, {k: v for k, v in rows[-1].items() if k != "id"}, flush=True)
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
    for row in rows:
        lines.append(f"| {row['id']} | {row['duration']:.0f} | "
                     + " | ".join(fmt(row[label]) for label in labels)
                     + f" | {row['time']:.0f} |")
    means = {label: statistics.mean(v) if (v := [r[label] for r in rows if r[label] is not None])
             else None for label in labels}
    lines.append("| **mean** | | " + " | ".join(f"**{fmt(means[label])}**" for label in labels)
                 + f" | {statistics.median(r['time'] for r in rows):.0f} (median) |")
    lines += ["", "Targets (issue #6, scripted meetings from audio): actions F1 ≥ 0.80 (owner "
              "included), due-date accuracy ≥ 0.90, decisions F1 ≥ 0.80.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
