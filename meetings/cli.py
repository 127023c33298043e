"""What the `transcribe` and `minutes` commands share: rosters, models by name, one audio path."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from assistant.ai import SlotConfig

BAD_INPUT = 2  # the exit code for input a person must fix (file, roster, options)


def load_roster(path: str | None) -> list[dict]:
    """A roster file: [{"name", "email", "voice_sample" (relative to the file)}]."""
    if not path:
        return []
    file = Path(path)
    try:
        roster = json.loads(file.read_text())
    except (OSError, ValueError) as exc:
        raise CommandError(f"Cannot read the roster {path}: {exc}") from None
    if not isinstance(roster, list) or not all(isinstance(m, dict) and m.get("name")
                                               for m in roster):
        raise CommandError(f"{path} is not a roster: a JSON list of objects with a name")
    for member in roster:
        if member.get("voice_sample"):
            member["voice_sample"] = str((file.parent / member["voice_sample"]).resolve())
    return roster


def speech_model(name: str | None, language: str | None) -> SlotConfig:
    """--model tiny.en | base | PATH (a CTranslate2 Whisper folder)."""
    if name in (None, ""):
        kind = "speech_en" if language in (None, "en") else "speech_multi"
        return SlotConfig(kind=kind)
    if name == "tiny.en":
        return SlotConfig(kind="speech_en")
    if name == "base":
        return SlotConfig(kind="speech_multi")
    if not Path(name).exists():
        raise CommandError(f"--model is tiny.en, base, or a model folder; {name} is neither")
    return SlotConfig(kind="speech_multi", source="path", path=str(Path(name).resolve()))


def roster_voices(roster: list[dict], config: SlotConfig) -> dict:
    """Enroll the roster's voice samples for this run: {name: embedding}."""
    from .audio import decode
    from .speakers import embed_sample

    return {m["name"]: embed_sample(decode(m["voice_sample"]), config=config)
            for m in roster if m.get("voice_sample")}


def transcript_from_audio(path: str, *, roster: list[dict], language: str | None,
                          model: str | None = None, speakers: int | None = None,
                          speech: SlotConfig | None = None,
                          on_progress=None) -> dict:
    """Transcribe and diarize a file the way the web job does; speakers named from the roster
    (its voice samples enrolled for this run), else `Speaker N`. Bad input exits 2."""
    from assistant.ai import ModelUnavailable

    from .audio import AudioRejected
    from .pipeline import process_audio

    speaker = SlotConfig(kind="speaker")
    try:
        processed = process_audio(
            path, speech=speech or speech_model(model, language), speaker=speaker,
            language=language, hotwords=[m["name"] for m in roster],
            voices=roster_voices(roster, speaker), num_speakers=speakers,
            on_progress=on_progress)
    except AudioRejected as exc:
        raise CommandError(str(exc), returncode=BAD_INPUT) from None
    except ModelUnavailable as exc:
        raise CommandError(str(exc)) from None
    return {"language": processed.language, "duration": round(processed.duration, 2),
            "segments": [{"start": round(s["start"], 2), "end": round(s["end"], 2),
                          "speaker": s.get("speaker"), "text": s["text"].strip(),
                          "language": s.get("language") or processed.language}
                         for s in processed.segments]}
