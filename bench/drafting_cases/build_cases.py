"""Build the follow-up cases from ../shared/eval gold minutes (scripted meetings and AMI).

    .venv/bin/python -m bench.drafting_cases.build_cases

Writes followup-<meeting>.json beside this file. The hand-written cases (emails, replies,
daily reports, feedback, one follow-up) are committed as they are and not touched here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = Path(os.environ.get("EVAL_DIR", HERE.parents[2] / "shared" / "eval"))
AMI = {  # meeting → (title, tone): numbers, no decisions, long tasks, many items
    "ES2002a": ("Remote control kick-off", "formal"),
    "ES2004b": ("Remote control functional design", "friendly"),
    "ES2005a": ("Remote control project start", "brief"),
    "ES2006a": ("Remote control kick-off", "friendly"),
    "ES2007b": ("Remote control functional design", "formal"),
    "ES2008a": ("Remote control kick-off", "friendly"),
}
SCRIPTED = {  # scenario → (title, sender, tone)
    "platform-weekly": ("Platform weekly", "Dev Patel", "friendly"),
    "sales-pipeline": ("Sales pipeline review", "Maria Lopez", "formal"),
    "it-standup": ("IT stand-up", "Sam Rivera", "brief"),
    "clinic-huddle": ("Clinic huddle", "Hannah Kim", "friendly"),
}


def must_include(meeting: dict) -> list[str]:
    """The facts a follow-up has to carry: title, date, decisions, every item's who/what/when."""
    facts = [meeting["title"], meeting["date"], *meeting["decisions"]]
    for item in meeting["action_items"]:
        facts += [item["owner"], item["task"]] + ([item["due"]] if item["due"] else [])
    return facts


def case(case_id: str, source: str, title: str, sender: str, tone: str, scenario: dict) -> dict:
    meeting = {
        "title": title,
        "date": scenario["date"],
        "attendees": [m["name"] for m in scenario["team"]],
        "summary": [],
        "decisions": list(scenario["gold"]["decisions"]),
        "action_items": [{k: i[k] for k in ("owner", "task", "due")}
                         for i in scenario["gold"]["action_items"]],
    }
    return {"id": case_id, "kind": "followup", "source": source, "tone": tone,
            "sender": sender, "meeting": meeting, "must_include": must_include(meeting)}


def main() -> None:
    for name, (title, sender, tone) in SCRIPTED.items():
        scenario = json.loads((EVAL / "scenarios" / f"{name}.json").read_text())
        out = case(f"followup-{name}", f"shared/eval/scenarios/{name}.json (gold)", title,
                   sender, tone, scenario)
        (HERE / f"followup-{name}.json").write_text(json.dumps(out, indent=2) + "\n")
    for name, (title, tone) in AMI.items():
        scenario = json.loads((EVAL / "ami" / f"ami-{name}.json").read_text())
        out = case(f"followup-ami-{name}", f"shared/eval/ami/ami-{name}.json (AMI gold, CC BY 4.0)",
                   f"{title} ({name})", "Project Manager", tone, scenario)
        (HERE / f"followup-ami-{name}.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
