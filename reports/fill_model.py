"""The small model's only part in filling: quote the words of a free-text field left empty.

Its answer is kept only when it is words of the transcript, in order, that no other field
already took; the value and its source are then those transcript words, never the model's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from . import fill_values as V

MIN_CONTENT_WORDS = 2
MAX_WORDS = 40
PROMPT = (
    'Transcript of a dictated {template}:\n"{text}"\n\n'
    "Copy the exact words of the transcript that give the {label}{hint}. "
    "If the transcript does not say it, answer NONE.\nAnswer:"
)


def fill_free_text(
    filled: dict,
    text: str,
    fields: list[dict],
    *,
    generate: Callable[..., str],
    template: str = "record",
) -> dict:
    """A copy of a fill result with empty text fields proposed by the model, where checked."""
    result = copy.deepcopy(filled)
    for spec in fields:
        current = result["fields"][spec["name"]]
        if spec["type"] != "text" or current["value"] is not None:
            continue
        hint = f" ({spec['hint']})" if spec.get("hint") else ""
        answer = generate(
            PROMPT.format(template=template, text=text, label=spec["label"].lower(), hint=hint),
            max_new_tokens=60,
            temperature=0.0,
        )
        span = supported_span(answer, text, _taken(result))
        if span is None:
            current["note"] = (
                current.get("note") or ""
            ) + " The small model's answer was not found in the transcript."
            continue
        start, end = span
        current.update(
            value=text[start:end],
            method="model",
            note="",
            source={"start": start, "end": end, "quote": text[start:end]},
        )
    result["missing"] = [n for n, f in result["fields"].items() if f["value"] is None]
    return result


def supported_span(answer: str, text: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the answer's words stand in the transcript, in order and untaken; else None."""
    answer = answer.strip().strip('"').split("\n")[0]
    wanted = [w.lower() for w in V.TOKEN.findall(answer)]
    if not wanted or answer.upper().startswith("NONE") or len(wanted) > MAX_WORDS:
        return None
    if len(V.content_words(answer)) < MIN_CONTENT_WORDS:
        return None
    words = [(m.group().lower(), m.start(), m.end()) for m in V.TOKEN.finditer(text)]
    for i in range(len(words) - len(wanted) + 1):
        if [w for w, _, _ in words[i : i + len(wanted)]] == wanted:
            start, end = words[i][1], words[i + len(wanted) - 1][2]
            if not any(start < b and a < end for a, b in taken):
                return start, end
    return None


def _taken(result: dict) -> list[tuple[int, int]]:
    return [
        (f["source"]["start"], f["source"]["end"])
        for f in result["fields"].values()
        if f.get("source")
    ]
