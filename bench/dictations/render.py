"""Render the scripted dictations to 16 kHz WAVs in bench/.cache/dictations/ (gitignored).

    python -m bench.dictations.render            # every dictation not rendered yet
    python -m bench.dictations.render --force    # all of them again

Uses the method of ../shared/eval/synth.py (imported, not copied): espeak-ng with each
dictation's voice, pitch and speed, resampled to 16 kHz, a pause after every sentence.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / ".cache" / "dictations"
SYNTH = Path(os.environ.get("EVAL_DIR") or HERE.parents[2] / "shared" / "eval") / "synth.py"
TEMPLATES = ("visit-note", "support-ticket", "incident-report")


def synth():
    """The shared synth.py as a module (it lives outside the project)."""
    spec = importlib.util.spec_from_file_location("eval_synth", SYNTH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dictations() -> list[dict]:
    """Every scripted dictation, with the slug of the template it fills."""
    found = []
    for slug in TEMPLATES:
        for item in json.loads((HERE / f"{slug}.json").read_text()):
            found.append({**item, "template": slug})
    return found


def audio_path(item: dict) -> Path:
    return CACHE / f"{item['id']}.wav"


def render(item: dict, module=None) -> Path:
    """One dictation spoken sentence by sentence, 0.5–1.1 s of silence after each."""
    module = module or synth()
    pcm = bytearray()
    with tempfile.TemporaryDirectory() as tmp:
        for i, line in enumerate(item["lines"]):
            clip = Path(tmp) / f"{i}.wav"
            module.speak(line, item["voice"], clip)
            pause = 0.5 + 0.3 * (i % 3)
            pcm += module.read_as_16k(clip) + b"\x00\x00" * int(pause * module.RATE)
    out = audio_path(item)
    out.parent.mkdir(parents=True, exist_ok=True)
    module.write_wav(out, bytes(pcm))
    return out


def main(argv: list[str]) -> int:
    module = synth()
    for item in dictations():
        if "--force" in argv or not audio_path(item).exists():
            print(render(item, module))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
