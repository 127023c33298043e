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
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
                "million", "first", "second", "third", "once", "twice", "half", "dozen"}
DATE_WORDS = {w.lower() for w in (*MONTHS, *WEEKDAYS)} | {
    "today", "tomorrow", "yesterday", "tonight", "weekend", "week", "month", "year", "quarter"}


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


def fact_present(fact: str, draft: str, addressed: list[str] = ()) -> bool:
    """A given fact is in the draft: the text itself, or the day in any written form. A
    recipient is there when the greeting names them (in full, or by first name)."""
    if fact in addressed:
        greeting = draft.strip().split("\n\n")[1] if "\n\n" in draft else draft
        return fact in greeting or fact.split()[0] + " " in greeting.replace(",", " ")
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
            "missing": [f for f in case["must_include"]
                        if not fact_present(f, draft, case.get("to", []))],
            "repeat": has_repeat(draft), "placeholder": PLACEHOLDER.findall(draft),
            "invented": invented(case, draft, f"{the_plan.subject}\n{template}"),
            "model_parts": sum(o.source == "model" for o in outcomes),
            "reasons": [o.reason for o in outcomes if o.source != "model"],
            **fluency(body, case)})
    return rows


# --- the report -----------------------------------------------------------------------------

def _pct(rows: list[dict], test) -> str:
    return f"{100 * sum(1 for r in rows if test(r)) / len(rows):.0f} %"


def _median(values: list[float | None]) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):.2f} s" if values else "–"


def quality_table(model: list[dict], plain: list[dict]) -> list[str]:
    checks = [("every given fact appears", lambda r: not r["missing"]),
              ("no sentence repeats", lambda r: not r["repeat"]),
              ("no bracketed placeholder", lambda r: not r["placeholder"]),
              ("no name, date or number that was not given", lambda r: not r["invented"])]
    lines = ["| rate (goal 100 %) | model-assisted | template only |", "| --- | --- | --- |"]
    lines += [f"| {name} | {_pct(model, test)} | {_pct(plain, test)} |" for name, test in checks]
    return lines


def fluency_table(model: list[dict], plain: list[dict]) -> list[str]:
    def avg(rows):
        lengths = [n for r in rows for n in r["sentence_words"]]
        return f"{statistics.mean(lengths):.1f}" if lengths else "–"

    def distinct(rows, key):
        return f"{len({r[key] for r in rows})} of {len(rows)}"

    gaps = sum(len(r["reasons"]) + r["model_parts"] for r in model)
    return [
        "| fluency | model-assisted | template only |", "| --- | --- | --- |",
        f"| greeting | {_pct(model, lambda r: r['greeting'])} | "
        f"{_pct(plain, lambda r: r['greeting'])} |",
        f"| purpose sentence (opening names the topic) | {_pct(model, lambda r: r['purpose'])} "
        f"| {_pct(plain, lambda r: r['purpose'])} |",
        f"| closing line | {_pct(model, lambda r: r['closing'])} | "
        f"{_pct(plain, lambda r: r['closing'])} |",
        "| all three | " + _pct(model, lambda r: r["greeting"] and r["purpose"] and r["closing"])
        + " | " + _pct(plain, lambda r: r["greeting"] and r["purpose"] and r["closing"]) + " |",
        f"| average words per prose sentence | {avg(model)} | {avg(plain)} |",
        f"| distinct openings across cases | {distinct(model, 'opening')} | "
        f"{distinct(plain, 'opening')} |",
        f"| distinct closings across cases | {distinct(model, 'closing_line')} | "
        f"{distinct(plain, 'closing_line')} |",
        f"| sentences written by the model (rest: stock) | "
        f"{sum(r['model_parts'] for r in model)} of {gaps} | 0 |",
    ]


def timing_section(times: dict, model: list[dict]) -> list[str]:
    settings = times["settings"]
    first = next(iter(settings.values()))
    out = [f"### Timing: the production path ({len(first['runs'])} emails per setting, "
           "model warm)", "",
           "POST of the email form to uvicorn (web process, no models) → redirect → the draft "
           "page (code's greeting is already in it) → the server-sent-event stream relayed from "
           "the database while one Celery `text` worker writes; broker: "
           f"{times['broker']}. Medians, worst in brackets.", "",
           "| worker's MODEL_THREADS | load average | first words on screen (≤ 1 s) | first word "
           "from the model | whole email (≤ 8 s) | model sentences kept | warm-up draft |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for threads, result in settings.items():
        runs = result["runs"]
        kept = sum(p["source"] == "model" for r in runs for p in r["outcome"].get("parts", []))
        total = sum(len(r["outcome"].get("parts", [])) for r in runs)

        def cell(key: str, runs=runs) -> str:
            worst = max((r[key] or 0) for r in runs)
            return f"{_median([r[key] for r in runs])} ({worst:.2f} s)"

        out.append(f"| {threads} | {result['load'][0]:.1f} → {result['load'][1]:.1f} | "
                   f"{cell('first_words')} | {cell('first_model_piece')} | {cell('done')} | "
                   f"{kept} of {total} | {result['warm_up']['done']:.1f} s |")
    out += ["", "In-process writing time per draft (the quality run below; no broker, no web): "
            f"median {_median([r['seconds'] for r in model])}.", ""]
    return out


def _arguments() -> str:
    return " " + " ".join(sys.argv[1:]) if sys.argv[1:] else ""


def write_report(model: list[dict], plain: list[dict], times: dict | None, args) -> str:
    from collections import Counter

    from bench.__main__ import machine, versions

    reasons = Counter(re.sub(r" \(.*", "", why) for r in model for why in r["reasons"])
    out = [
        "## Drafts (daily reports, emails, feedback)", "",
        f"`.venv/bin/python -m bench.drafts_eval{_arguments()}` "
        f"on {dt.date.today()}; {machine()}; {versions()}. Load average at the start "
        f"{args.load[0]:.1f} (the machine was shared with other benchmarks). "
        f"{len(model)} cases from `bench/drafting_cases/` "
        f"({', '.join(f'{n} {k}' for k, n in Counter(r['kind'] for r in model).items())}).",
        "", "Each case is drafted by the app's own composer and writer: facts placed by code, "
        "the team's text model (embedded SmolLM2-135M-Instruct, transformers, "
        f"{args.quality_threads or os.environ.get('MODEL_THREADS', '2')} thread(s)) writing "
        "one opening and one closing "
        "sentence, each checked and replaced by the stock sentence when it fails. "
        "The benchmark's checks are its own (not the app's): facts by normalised text (dates in "
        "any written form; recipients by the greeting), repeats by normalised sentence, "
        "placeholders by pattern, and every number, month, weekday, relative day or capitalised "
        "word (not sentence-initial common words) must be in the case's inputs or the "
        "template's own words.", "",
        *quality_table(model, plain), "", *fluency_table(model, plain), "",
        "Why the model's sentence was not used: "
        + (", ".join(f"{why} ×{n}" for why, n in reasons.most_common()) or "–") + ".", "",
    ]
    if times:
        out += timing_section(times, model)
    out += ["### Per case (model-assisted)", "", "| case | model sentences | opening | "
            "problems |", "| --- | --- | --- | --- |"]
    for r in model:
        problems = "; ".join(filter(None, [
            "missing " + ", ".join(r["missing"]) if r["missing"] else "",
            "repeat" if r["repeat"] else "", "placeholder" if r["placeholder"] else "",
            "invented " + ", ".join(r["invented"]) if r["invented"] else ""])) or "–"
        out.append(f"| {r['id']} | {r['model_parts']} of 2 | {r['opening'][:90]} | {problems} |")
    example = next(r for r in model if r["model_parts"])
    plain_example = next(r for r in plain if r["id"] == example["id"])
    out += ["", f"### One draft both ways ({example['id']})", "", "Model-assisted:", "",
            "```", example["draft"], "```", "", "Template only:", "", "```",
            plain_example["draft"], "```"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--timing-runs", type=int, default=10)
    parser.add_argument("--redis", default="", help="time with this Redis as broker")
    parser.add_argument("--threads", default="2,1",
                        help="the worker's MODEL_THREADS settings to time, comma-separated")
    parser.add_argument("--quality-threads", type=int, default=0,
                        help="model threads for the in-process quality run (default: env)")
    args = parser.parse_args(argv)
    args.load = os.getloadavg()
    times = None
    if not args.no_timing:
        from bench.drafts_timing import timing

        times = timing(args.timing_runs, args.redis, tuple(args.threads.split(",")))
    else:
        django_setup()
    from assistant.ai import SlotConfig
    from assistant.slots import slot_config
    from reports.prose import model_generate

    cases = load_cases()
    plain = quality(cases, None)
    config = slot_config(team=None, kind="text")
    if args.quality_threads:
        config = SlotConfig(kind="text", params={**config.params,
                                                 "threads": args.quality_threads})
    generate = model_generate(config)
    list(generate("Hello", 2, None))  # load the model before the clock starts
    model = quality(cases, generate)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(write_report(model, plain, times, args))
    print(RESULTS.read_text())
    failed = [r["id"] for r in model if r["missing"] or r["repeat"] or r["placeholder"]
              or r["invented"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
