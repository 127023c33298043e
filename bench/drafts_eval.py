"""Drafting benchmark: model-assisted drafts against template-only ones, and the live timing.

    .venv/bin/python -m bench.drafts_eval                # quality + timing, writes results
    .venv/bin/python -m bench.drafts_eval --no-timing    # quality only
    .venv/bin/python -m bench.drafts_eval --timing-runs 5

Quality runs every case of bench/drafting_cases through the same composer and writer the app
uses, in this process, once with the team's text model (the embedded SmolLM2-135M) and once
without it, and scores both with checks written for the benchmark (not the app's own).
Timing measures the production path: uvicorn serving the app (web process, no models), a real
Celery `text` worker with the model warm, a draft started by POST and read from the
server-sent-event stream, on a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "bench" / "drafting_cases"
RESULTS = ROOT / "bench" / "results" / "drafts.md"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:/]*\d|\d")
PLACEHOLDER = re.compile(r"\[[^\]\n]{0,40}\]|\{[a-z_ ]{1,30}\}|<[^>\n]{0,40}>|\bYour Name\b|"
                         r"\bRecipient\b|\bXX+\b|\bTBD\b", re.I)
NUMBER_WORDS = set("""one two three four five six seven eight nine ten eleven twelve twenty
thirty forty fifty hundred thousand million first second third once twice half dozen""".split())
DATE_WORDS = {w.lower() for w in (*MONTHS, *WEEKDAYS)} | set(
    "today tomorrow yesterday tonight weekend week month year quarter".split())


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_cases() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(CASES.glob("*.json"))]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def case_facts(case: dict[str, Any]):
    """A case's inputs as the app's Facts."""
    from reports.compose import Facts, Item, MeetingItems

    kind, tone = case["kind"], case.get("tone", "friendly")
    base = {"kind": kind, "sender": case["sender"], "tone": tone}
    if kind == "followup":
        m = case["meeting"]
        return Facts(**base, to=m["attendees"], title=m["title"], date=_date(m["date"]),
                     summary=m["summary"], decisions=m["decisions"],
                     items=[Item(i["task"], i["owner"], _date(i["due"]))
                            for i in m["action_items"]])
    if kind == "email":
        return Facts(**base, to=case["to"], purpose=case["purpose"], points=case["points"])
    if kind == "reply":
        return Facts(**base, original=case["original"], gist=case["gist"])
    if kind == "daily_report":
        meetings = [MeetingItems(m["title"], None, [Item(i["task"], "", _date(i["due"]))
                                                    for i in m["items"]])
                    for m in case["meetings"]]
        return Facts(**base, to=[case["manager"]], date=_date(case["date"]), done=case["done"],
                     in_progress=case["in_progress"], blocked=case["blocked"],
                     meetings=meetings, notes=case["notes"])
    period = (_date(case["period"]["start"]), _date(case["period"]["end"]))
    return Facts(**base, member=case["member"], period=period, completed=case["completed"],
                 overdue=[Item(o["title"], "", _date(o["due"])) for o in case["overdue"]],
                 meetings=[MeetingItems(m["title"], _date(m["date"]),
                                        [Item(t) for t in m["items"]])
                           for m in case["meetings"]],
                 points=case["points"], impact=case["impact"])


# --- the benchmark's own checks ------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip(".")


def fact_present(fact: str, draft: str) -> bool:
    """A given fact is in the draft: the text itself, or the day in any written form."""
    if ISO.match(fact):
        day = dt.date.fromisoformat(fact)
        month = MONTHS[day.month - 1]
        forms = [fact, f"{day.day} {month}", f"{month} {day.day}"]
        return any(f.lower() in draft.lower() for f in forms)
    return _norm(fact) in _norm(draft)


def sentence_list(draft: str) -> list[str]:
    out = []
    for line in draft.splitlines():
        line = line.strip().lstrip("- ").strip()
        out += [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    return out


def has_repeat(draft: str) -> bool:
    keys = [" ".join(TOKEN.findall(s.lower())) for s in sentence_list(draft)]
    keys = [k for k in keys if len(k.split()) >= 3]
    return len(keys) != len(set(keys))


def _given_words(case: dict[str, Any], template: str) -> set[str]:
    """Every word the case gives (its inputs, the days of its dates) or code's layout places."""
    strings: list[str] = [template]

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
            if ISO.match(value):
                day = dt.date.fromisoformat(value)
                strings.append(f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} "
                               f"{day.year}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "source", "must_include"):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(case)
    return {t.lower() for s in strings for t in TOKEN.findall(s)}


def invented(case: dict[str, Any], draft: str, template: str) -> list[str]:
    """Names, dates and numbers in the draft that the case did not give."""
    from reports.checks import EMAIL_WORDS, STOPWORDS

    given = _given_words(case, template)
    found = []
    for sentence in sentence_list(draft):
        for index, token in enumerate(TOKEN.findall(sentence)):
            low = token.lower()
            if low in given:
                continue
            number = token[0].isdigit() or low in NUMBER_WORDS
            date = low in DATE_WORDS and (token[0].isupper() or low not in ("may", "march"))
            common = low in STOPWORDS or low in EMAIL_WORDS or low == "i"
            name = token[0].isupper() and (index > 0 or not common)
            if number or date or name:
                found.append(token)
    return found


def fluency(draft: str, case: dict[str, Any]) -> dict[str, Any]:
    """Greeting, a purpose sentence, a closing line, and the prose's sentence length."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", draft.strip()) if p.strip()]
    greeting = bool(paragraphs) and bool(re.match(r"(Hi|Hello|Dear|Hey)\b.*,$", paragraphs[0]))
    prose = [p for p in paragraphs[1:-1] if not p.startswith("-") and ":\n" not in p
             and "\n" not in p]
    topic = {"followup": case.get("meeting", {}).get("title", ""),
             "email": case.get("purpose", ""), "reply": case.get("original", ""),
             "daily_report": "report", "feedback": "feedback"}[case["kind"]]
    topic_words = {w.lower() for w in TOKEN.findall(topic) if len(w) > 3}
    opening = prose[0] if prose else ""
    purpose = bool(topic_words & {w.lower() for w in TOKEN.findall(opening)})
    closing = len(prose) >= 2 and not paragraphs[-2].startswith("-")
    lengths = [len(TOKEN.findall(s)) for p in prose for s in sentence_list(p)]
    return {"greeting": greeting, "purpose": purpose, "closing": closing,
            "sentence_words": lengths, "opening": opening, "closing_line": prose[-1] if
            len(prose) >= 2 else ""}


def quality(cases: list[dict[str, Any]], generate) -> list[dict[str, Any]]:
    """Every case drafted with `generate` (None: template only), scored."""
    from reports.compose import plan
    from reports.prose import write_all

    rows = []
    for case in cases:
        the_plan = plan(case_facts(case))
        template = the_plan.template_text()
        started = time.monotonic()
        body, outcomes = write_all(the_plan, generate)
        seconds = time.monotonic() - started
        draft = f"{the_plan.subject}\n\n{body}"
        rows.append({
            "id": case["id"], "kind": case["kind"], "draft": draft, "seconds": seconds,
            "missing": [f for f in case["must_include"] if not fact_present(f, draft)],
            "repeat": has_repeat(draft), "placeholder": PLACEHOLDER.findall(draft),
            "invented": invented(case, draft, f"{the_plan.subject}\n{template}"),
            "model_parts": sum(o.source == "model" for o in outcomes),
            "reasons": [o.reason for o in outcomes if o.source != "model"],
            **fluency(body, case)})
    return rows
