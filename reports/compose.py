"""From facts to a plan: the draft's text placed by code, with gaps the model may fill.

Everything here works on plain data (no database), so the web job, the command line and the
benchmark compose drafts the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import layouts as L

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
GROUP_WORDS = {"team", "all", "everyone", "support", "service", "department", "accounts",
               "customer", "desk", "office", "group"}


@dataclass
class Item:
    """One to-do or action item: who, what, by when."""

    task: str
    owner: str = ""
    due: date | None = None


@dataclass
class MeetingItems:
    title: str
    date: date | None = None
    items: list[Item] = field(default_factory=list)


@dataclass
class Facts:
    """What a draft is about. Which fields matter depends on the kind."""

    kind: str
    sender: str
    tone: str = L.FRIENDLY
    to: list[str] = field(default_factory=list)
    title: str = ""  # follow-up: the meeting
    date: date | None = None  # follow-up: the meeting's day; daily report: the day
    summary: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    purpose: str = ""
    points: list[str] = field(default_factory=list)
    original: str = ""  # reply: the pasted email
    gist: str = ""
    done: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    meetings: list[MeetingItems] = field(default_factory=list)
    notes: str = ""
    member: str = ""  # feedback: who it is for
    period: tuple[date, date] | None = None
    completed: list[str] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    impact: list[str] = field(default_factory=list)


@dataclass
class Part:
    """A piece of the body: code's text, or a gap for the model with its stock sentence."""

    text: str
    slot: str = ""  # "opening" / "closing" for the model's gaps, "" for code's text

    @property
    def is_prose(self) -> bool:
        return bool(self.slot)


@dataclass
class Plan:
    kind: str
    tone: str
    subject: str
    parts: list[Part]
    topic: str  # what the email is about, in a few words, for the model's prompt
    given: str  # every fact as text: the model may use these words, names and numbers
    about: str = ""  # words an opening must name one of: what the draft is about

    def template_text(self) -> str:
        """The draft with the stock sentences: what is shown when the model is not used."""
        return "".join(p.text for p in self.parts)


def day_text(day: date | None, *, year: bool = True) -> str:
    if day is None:
        return ""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def first_name(name: str) -> str:
    """A person's first name; a group or role ("Support team") stays whole."""
    words = name.split()
    if len(words) < 2 or len(words) > 3 or any(w.lower() in GROUP_WORDS for w in words):
        return name
    if not all(w[:1].isupper() for w in words):
        return name
    return words[0]


def greeting_names(names: list[str], tone: str) -> str:
    names = [n.strip() for n in names if n.strip()]
    if not names or len(names) > 3:
        return L.EVERYONE[tone]
    shown = names if tone == L.FORMAL else [first_name(n) for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def reply_parts(original: str) -> tuple[str, str, str]:
    """(subject, sender's name, sender's address) read from a pasted email, where present."""
    subject = name = address = ""
    for line in original.splitlines():
        if not subject and (m := re.match(r"\s*subject:\s*(.+)", line, re.I)):
            subject = re.sub(r"^(re:\s*)+", "", m.group(1).strip(), flags=re.I)
        if not name and (m := re.match(r"\s*from:\s*(.*?)\s*<([^>]+)>", line, re.I)):
            name, address = m.group(1).strip().strip('"'), m.group(2).strip()
        elif not address and (m := re.match(r"\s*from:\s*(\S+@\S+)", line, re.I)):
            address = m.group(1)
    if not subject:
        body = [ln.strip() for ln in original.splitlines()
                if ln.strip() and ":" not in ln[:12]]
        subject = " ".join(body[0].split()[:8]) if body else "your message"
    return subject, name, address


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line.strip()}" for line in lines if line and line.strip())


def _item(item: Item, ref: date | None, *, owner: bool = True) -> str:
    who = f"{item.owner or 'No owner yet'}: " if owner else ""
    due = f" (due {day_text(item.due, year=ref is None or item.due.year != ref.year)})" \
        if item.due else ""
    return f"{who}{item.task.strip()}{due}"


def _meeting_line(meeting: MeetingItems, ref: date | None) -> str:
    when = f" ({day_text(meeting.date, year=False)})" if meeting.date else ""
    items = "; ".join(_item(i, ref, owner=False) for i in meeting.items)
    return f"{meeting.title}{when}" + (f", my items: {items}" if items else "")


def _feedback_slots(f: Facts) -> dict[str, str]:
    start, end = f.period or (None, None)
    situation = [f"The period from {day_text(start)} to {day_text(end)}"] if start else []
    for m in f.meetings:
        when = f" ({day_text(m.date, year=False)})" if m.date else ""
        took = "; ".join(i.task for i in m.items)
        situation.append(f"{m.title}{when}" + (f", where you took on: {took}" if took else ""))
    behaviour = [f"Completed: {t}" for t in f.completed]
    behaviour += [f"Overdue: {_item(i, end, owner=False)}" for i in f.overdue]
    behaviour += f.points
    impact = list(f.impact)
    if not impact and f.overdue:
        impact.append("Overdue to-dos hold up the people who depend on them")
    if not impact and f.completed:
        impact.append("Finished to-dos let the people who depend on them move on")
    return {"situation": _bullets(situation), "behaviour": _bullets(behaviour),
            "impact": _bullets(impact), "member": f.member}


def fact_slots(f: Facts) -> dict[str, str]:
    """Every slot code fills for this kind, as text."""
    slots = {"sender": f.sender, "signoff": L.SIGNOFFS[f.tone]}
    if f.kind == L.FOLLOWUP:
        slots |= {"title": f.title, "date": day_text(f.date), "summary": _bullets(f.summary),
                  "decisions": _bullets(f.decisions),
                  "action_items": _bullets([_item(i, f.date) for i in f.items])}
        names = f.to
    elif f.kind == L.EMAIL:
        slots |= {"purpose": f.purpose.strip().rstrip("."), "points": _bullets(f.points)}
        names = f.to
    elif f.kind == L.REPLY:
        subject, sender_name, _ = reply_parts(f.original)
        slots |= {"original_subject": subject, "answer": f.gist.strip()}
        names = f.to or ([sender_name] if sender_name else [])
    elif f.kind == L.DAILY_REPORT:
        slots |= {"date": day_text(f.date), "done": _bullets(f.done),
                  "in_progress": _bullets(f.in_progress), "blocked": _bullets(f.blocked),
                  "meetings": _bullets([_meeting_line(m, f.date) for m in f.meetings]),
                  "notes": f.notes.strip()}
        names = f.to
    else:
        slots |= _feedback_slots(f)
        names = [f.member]
    slots["greeting"] = L.GREETINGS[f.tone].format(names=greeting_names(names, f.tone))
    return slots


def _fill(text: str, slots: dict[str, str]) -> str:
    return L.SLOT.sub(lambda m: slots.get(m.group(1), ""), text)


def plan(facts: Facts, layout: L.Layout | None = None, signoff: str = "") -> Plan:
    """The draft's plan: code's text and the model's gaps, in the order of the layout."""
    layout = layout or L.DEFAULT_LAYOUTS[facts.kind]
    slots = fact_slots(facts)
    if signoff:
        slots["signoff"] = signoff
    stock = {"opening": _fill(L.OPENINGS[facts.kind][facts.tone], slots),
             "closing": _fill(L.CLOSINGS[facts.kind][facts.tone], slots)}
    parts: list[Part] = []
    for paragraph in L.paragraphs(layout.body):
        names = L.SLOT.findall(paragraph)
        if any(n in slots and not slots[n] for n in names if n not in L.PROSE_SLOTS):
            continue  # an empty list: leave out its heading too
        if parts:
            parts.append(Part("\n\n"))
        for piece in re.split(r"(\{opening\}|\{closing\})", paragraph):
            if piece in ("{opening}", "{closing}"):
                parts.append(Part(stock[piece[1:-1]], slot=piece[1:-1]))
            elif piece:
                parts.append(Part(_fill(piece, slots)))
    parts = _merged(parts)
    subject = _fill(layout.subject, slots).strip()
    subject = subject[:1].upper() + subject[1:]
    given = "\n".join([subject, *(p.text for p in parts if not p.is_prose), *_raw(facts)])
    return Plan(facts.kind, facts.tone, subject, parts, _topic(facts, slots), given,
                _about(facts, slots))


def _merged(parts: list[Part]) -> list[Part]:
    out: list[Part] = []
    for part in parts:
        if out and not part.is_prose and not out[-1].is_prose:
            out[-1] = Part(out[-1].text + part.text)
        else:
            out.append(part)
    return out


def _raw(f: Facts) -> list[str]:
    raw = [f.sender, f.title, f.purpose, f.gist, f.original, f.notes, f.member, *f.to]
    raw += [i.owner for i in f.items] + [i.task for i in f.items]
    return [r for r in raw if r]


def _about(f: Facts, slots: dict[str, str]) -> str:
    return {L.FOLLOWUP: f.title, L.EMAIL: slots.get("purpose", ""),
            L.REPLY: slots.get("original_subject", ""), L.DAILY_REPORT: "report update day",
            L.FEEDBACK: "feedback thoughts notes work"}[f.kind]


def _topic(f: Facts, slots: dict[str, str]) -> str:
    if f.kind == L.FOLLOWUP:
        return f'follow-up after the meeting "{f.title}"'
    if f.kind == L.EMAIL:
        return f'about "{slots["purpose"]}"'
    if f.kind == L.REPLY:
        return f'reply to "{slots["original_subject"]}"'
    if f.kind == L.DAILY_REPORT:
        return "my daily report to my manager"
    return "feedback to a colleague on their recent work"
