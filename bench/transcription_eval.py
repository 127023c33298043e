"""Transcription benchmark: our path (meetings.transcription) against plain faster-whisper.

    .venv/bin/python -m bench.transcription_eval              # bench/results/transcription.md
    .venv/bin/python -m bench.transcription_eval --repeats 1  # quicker, noisier timings
    .venv/bin/python -m bench.transcription_eval --ami        # also two AMI texts spoken by espeak

WER (score.py's words/wer) on jfk.flac and each scripted meeting, for: ours, ours with the
roster's names as hotwords, and plain faster-whisper with its defaults (beam 5, no VAD,
temperature fallback, conditioned on previous text). Speed on a 30-minute meeting made by
repeating the scenarios (cached under bench/.cache/, never committed): each timed run in its
own process, ours and plain alternating, with wall time, CPU time and peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.__main__ import machine

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("EVAL_DIR", ROOT.parent / "shared" / "eval"))
CACHE = ROOT / "bench" / ".cache" / "transcription"
RESULTS = ROOT / "bench" / "results" / "transcription.md"
LONG_S = 1800.0
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
sys.path.insert(0, str(EVAL))
from score import wer, words  # noqa: E402  (the eval's own normalisation and metric)


def cache_dir() -> Path:
    """The cache folder, ignored by git through a .gitignore of its own."""
    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return CACHE


def scenarios() -> list[Path]:
    return sorted((EVAL / "audio").glob("*.flac"))


def reference(path: Path) -> str:
    """The words spoken in a file: the scenario's lines, or the known JFK sentence."""
    if path.name == "jfk.flac":
        return JFK_TEXT
    if path.name.startswith("meeting30"):
        return " ".join(reference(p) for _ in range(_repeats_for_long()) for p in scenarios())
    scenario = path.parent / f"{path.stem}.json" if path.parent == cache_dir() else None
    if scenario is None or not scenario.exists():
        scenario = EVAL / "scenarios" / f"{path.stem}.json"
    return " ".join(line["text"] for line in json.loads(scenario.read_text())["lines"])


def roster(path: Path) -> list[str]:
    file = path.with_suffix(".roster.json")
    return [m["name"] for m in json.loads(file.read_text())] if file.exists() else []


def _repeats_for_long() -> int:
    total = sum(_duration(p) for p in scenarios())
    return int(-(-LONG_S // total))


def _duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return float(out.stdout.strip())


def long_meeting() -> Path:
    """The scenarios repeated until at least 30 minutes, joined by ffmpeg once and cached."""
    out = cache_dir() / "meeting30.flac"
    if not out.exists():
        listing = cache_dir() / "meeting30.txt"
        lines = [f"file '{p}'" for _ in range(_repeats_for_long()) for p in scenarios()]
        listing.write_text("\n".join(lines) + "\n")
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-c:a",
                "flac",
                str(out),
            ],
            check=True,
            timeout=600,
        )
    return out


def ami_meetings() -> list[Path]:
    """Two AMI transcripts (first 140 turns) spoken by espeak-ng with synth.py, cached."""
    voices = [
        ("en-us+m7", 40, 165),
        ("en-gb-scotland+f3", 70, 160),
        ("en-029+m2", 30, 150),
        ("en-us+f4", 55, 170),
    ]
    out = []
    for meeting in ("ES2002a", "ES2003c"):
        wav = cache_dir() / f"ami-{meeting}.wav"
        if not wav.exists():
            turns = json.loads((EVAL / "ami" / f"ami-{meeting}.transcript.json").read_text())
            roles = sorted({s["speaker"] for s in turns["segments"]})
            team = [
                {"name": r, "voice": v, "pitch": p, "speed": s}
                for r, (v, p, s) in zip(roles, voices * 2, strict=False)
            ]
            lines = [{"speaker": s["speaker"], "text": s["text"]} for s in turns["segments"][:140]]
            scenario = cache_dir() / f"ami-{meeting}.json"
            scenario.write_text(json.dumps({"id": f"ami-{meeting}", "team": team, "lines": lines}))
            subprocess.run(
                [sys.executable, str(EVAL / "synth.py"), str(scenario), str(cache_dir())],
                check=True,
                capture_output=True,
                timeout=900,
            )
        out.append(wav)
    return out


# The worker: one process per variant, so memory and warm caches never mix.


def worker(variant: str, files: list[Path]) -> None:
    """Transcribe files with one variant; print one JSON line per file, then peak memory."""
    started = time.perf_counter()
    run = _runner(variant)
    load = time.perf_counter() - started
    for path in files:
        before, clock, load_avg = _cpu(), time.perf_counter(), os.getloadavg()[0]
        text = run(path)
        row = {
            "file": path.name,
            "text": text,
            "seconds": time.perf_counter() - clock,
            "cpu": _cpu() - before,
            "load": load_avg,
        }
        print(json.dumps(row), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": peak, "load_seconds": load}), flush=True)


def _runner(variant: str):  # noqa: ANN202
    from assistant.ai import SlotConfig
    from assistant.ai.registry import resolve_path

    if variant == "plain":
        from faster_whisper import WhisperModel

        model = WhisperModel(
            str(resolve_path(SlotConfig("speech_en"))), device="cpu", compute_type="int8"
        )

        def plain(path: Path) -> str:
            segments, _ = model.transcribe(str(path))
            return " ".join(s.text for s in segments)

        return plain
    from assistant.ai.speech import load
    from meetings.transcription import transcribe_recording

    config = SlotConfig("speech_en")
    load(config)

    def ours(path: Path) -> str:
        names = roster(path) if variant == "ours+roster" else None
        result = transcribe_recording(path, config=config, hotwords=names)
        return " ".join(s["text"] for s in result["segments"])

    return ours


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_worker(variant: str, files: list[Path]) -> tuple[list[dict], dict]:
    """Run a worker process; its rows and its summary line."""
    command = [
        sys.executable,
        "-m",
        "bench.transcription_eval",
        "--worker",
        variant,
        *map(str, files),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{variant} worker failed:\n{done.stderr[-3000:]}")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return lines[:-1], lines[-1]


# The parent: WER tables, timed runs, and the markdown.


def main(repeats: int, ami: bool) -> None:
    started = dt.datetime.now()
    small = [EVAL / "real" / "jfk.flac", *scenarios()] + (ami_meetings() if ami else [])
    variants = ["ours", "ours+roster", "plain"]
    accuracy: dict[str, dict[str, dict]] = {}
    for variant in variants:
        print(f"-- WER: {variant}", flush=True)
        rows, _ = run_worker(variant, small)
        accuracy[variant] = {row["file"]: row for row in rows}
    long = long_meeting()
    duration = _duration(long)
    timed: dict[str, list[dict]] = {"ours": [], "plain": []}
    order = [("ours", "plain") if i % 2 == 0 else ("plain", "ours") for i in range(repeats)]
    for i, pair in enumerate(order):
        for variant in pair:
            print(f"-- speed run {i + 1}/{repeats}: {variant}", flush=True)
            rows, summary = run_worker(variant, [long])
            timed[variant].append({**rows[0], **summary})
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(_markdown(started, small, accuracy, timed, duration, repeats, ami))
    print(RESULTS.read_text())


def _wer(path: Path, text: str) -> float:
    return wer(words(reference(path)), words(text))


def _markdown(
    started: dt.datetime,
    small: list[Path],
    accuracy: dict,
    timed: dict,
    duration: float,
    repeats: int,
    ami: bool,
) -> str:
    def pooled(variant: str) -> float:
        errors = sum(
            _wer(p, accuracy[variant][p.name]["text"]) * len(words(reference(p))) for p in small
        )
        return errors / sum(len(words(reference(p))) for p in small)

    rows = [
        f"| {p.name} | {_duration(p):.0f} s | "
        + " | ".join(f"{_wer(p, accuracy[v][p.name]['text']):.3f}" for v in accuracy)
        + " |"
        for p in small
    ]
    rows.append(
        "| **pooled (word-weighted)** | | "
        + " | ".join(f"**{pooled(v):.3f}**" for v in accuracy)
        + " |"
    )
    long = long_meeting()
    speed = []
    for variant, runs in timed.items():
        rtf = [r["seconds"] / duration for r in runs]
        speed.append(
            f"| {variant} | {statistics.median(rtf):.4f} ({', '.join(f'{x:.4f}' for x in rtf)}) "
            f"| {statistics.median(r['cpu'] / duration for r in runs):.4f} "
            f"| {_wer(long, runs[0]['text']):.3f} "
            f"| {max(r['peak_rss_mb'] for r in runs) / 1024:.2f} GiB "
            f"| {', '.join(format(r['load'], '.1f') for r in runs)} |"
        )
    pairs = [
        p["seconds"] / o["seconds"] for o, p in zip(timed["ours"], timed["plain"], strict=True)
    ]
    return "\n".join(
        [
            "## Transcription (tiny.en): our path vs plain faster-whisper",
            "",
            f"`.venv/bin/python -m bench.transcription_eval --repeats {repeats}"
            f"{' --ami' if ami else ''}`, {started:%Y-%m-%d %H:%M}, {machine()}; {_versions()}.",
            "",
            "- **ours**: `meetings.transcription.transcribe_recording` with the embedded tiny.en "
            f"({_our_settings()}; silences over 0.5 s cut out; ~30 s clips decoded as up to 8 "
            "parallel streams, each clip prompted with its stream's earlier text; word times; "
            "loop and dropped-speech guards), from the file (decoding and checks included).",
            "- **ours+roster**: the same with the roster's names as hotwords (what the app does).",
            '- **plain**: `WhisperModel(tiny.en, device="cpu", compute_type="int8")'
            ".transcribe(path)`, all defaults (beam 5, no VAD, cpu_threads=0 = CTranslate2's "
            "choice).",
            "",
            "| file | length | WER ours | WER ours+roster | WER plain |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Speed on `{long.name}` ({duration / 60:.1f} min, the scenarios repeated; "
            f"{repeats} run(s) per variant, alternating, each in its own process):",
            "",
            "| variant | real-time factor, median (runs) | CPU s per audio s | WER | peak RSS "
            "| load avg at start |",
            "| --- | --- | --- | --- | --- | --- |",
            *speed,
            "",
            f"Speed-up of ours over plain, run by run: {', '.join(f'{x:.2f}x' for x in pairs)} "
            f"(median {statistics.median(pairs):.2f}x). Model loading is excluded from the times "
            "(under a second each).",
            "",
            *_verdicts(small, accuracy, timed, duration, statistics.median(pairs)),
            "",
        ]
    )


def _our_settings() -> str:
    from assistant.ai import SlotConfig
    from meetings.transcription import with_defaults

    params = with_defaults(SlotConfig("speech_en")).params
    threads = SlotConfig("speech_en").threads
    decoders = (
        f"{params['workers']} parallel decoders sharing {threads} threads"
        if params["workers"] > 1 else f"{threads} threads"
    )
    beam = (
        f"greedy first, beam {params['beam_size']} again for a clip whose greedy average "
        "log-probability is under −0.5" if params["greedy_first"]
        else f"beam {params['beam_size']}"
    )
    return f"int8, {decoders}; {beam}"


def _verdicts(small: list[Path], accuracy: dict, timed: dict, duration: float,
              ratio: float) -> list[str]:
    """The issue's targets, each with this run's figure."""
    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    jfk = next(p for p in small if p.name == "jfk.flac")
    jfk_wer = _wer(jfk, accuracy["ours+roster"][jfk.name]["text"])
    worse = [
        p.name for p in scenarios()
        if _wer(p, accuracy["ours+roster"][p.name]["text"])
        > _wer(p, accuracy["plain"][p.name]["text"])
    ]
    ours = statistics.median(r["seconds"] / duration for r in timed["ours"])
    rss = max(r["peak_rss_mb"] for r in timed["ours"]) / 1024
    return [
        "Targets (ours+roster is what the app runs; the speed runs are ours):",
        "",
        f"- WER on jfk.flac ≤ 0.10: {jfk_wer:.3f}, {met(jfk_wer <= 0.10)}.",
        "- Every scenario no worse than plain: "
        + (met(True) if not worse else f"{met(False)} (worse on {', '.join(worse)})") + ".",
        f"- Real-time factor ≤ 0.03 on the 30-minute meeting: {ours:.4f}, {met(ours <= 0.03)}.",
        f"- At least 2x plain's speed: {ratio:.2f}x, {met(ratio >= 2)}.",
        f"- Peak resident memory ≤ 2 GiB: {rss:.2f} GiB, {met(rss <= 2)}.",
    ]


def _versions() -> str:
    names = ["faster-whisper", "ctranslate2", "onnxruntime", "numpy"]
    found = [f"{n} {importlib.metadata.version(n)}" for n in names]
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, timeout=30)
    return ", ".join(
        [f"Python {platform.python_version()}", *found, " ".join(ffmpeg.stdout.split()[:3])]
    )


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
    import django

    django.setup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--ami", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _setup_django()
        worker(args.worker, [Path(f) for f in args.files])
    else:
        main(args.repeats, args.ami)
