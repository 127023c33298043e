"""Meetings written for these tests: other teams, names, phrasings and dates than the eval set.

Each meeting is a transcript (segments), a roster and a date, with what a careful
minute-taker would write down. Speech recognition misspells some names on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from meetings.extraction import extract_minutes


@dataclass
class Expected:
    owner: str | None
    words: tuple[str, ...]  # every one of these must appear in the item's task or quote
    due: str | None


@dataclass
class Meeting:
    lines: list[tuple[str | None, str]]
    roster: list[dict[str, Any]]
    date: dt.date
    time_zone: str = "Europe/London"
    actions: list[Expected] = field(default_factory=list)
    decisions: list[tuple[str, ...]] = field(default_factory=list)
    not_actions: list[str] = field(default_factory=list)  # words no action item may hold

    def segments(self, gap: float = 0.6) -> list[dict[str, Any]]:
        return build_segments(self.lines, gap)


def build_segments(lines: list[tuple[str | None, str]], gap: float = 0.6) -> list[dict]:
    """Segments with plausible times: 0.4 s per word and a pause between turns."""
    out, t = [], 0.0
    for speaker, text in lines:
        end = t + 0.4 * len(text.split()) + 0.5
        out.append({"start": round(t, 2), "end": round(end, 2), "speaker": speaker, "text": text})
        t = end + gap
    return out


def minutes_of(meeting: Meeting, **kw: Any) -> dict[str, Any]:
    return extract_minutes(
        segments=meeting.segments(),
        roster=meeting.roster,
        meeting_date=meeting.date,
        time_zone=meeting.time_zone,
        **kw,
    )


def evidence(item: dict[str, Any]) -> str:
    return f"{item.get('task', '')} {item.get('quote', '')}".lower()


def find_item(minutes: dict[str, Any], owner: str | None, words: tuple[str, ...]) -> dict | None:
    for item in minutes["action_items"]:
        if item["owner"] == owner and all(w.lower() in evidence(item) for w in words):
            return item
    return None


def find_decision(minutes: dict[str, Any], words: tuple[str, ...]) -> dict | None:
    for d in minutes["decisions"]:
        if all(w.lower() in d["text"].lower() for w in words):
            return d
    return None


KITCHEN = Meeting(
    date=dt.date(2027, 1, 29),  # a Friday
    time_zone="Europe/Paris",
    roster=[
        {"name": "Élodie Marchand", "email": "elodie@bistro.example", "aliases": ["chef"]},
        {"name": "Jürgen Weiß", "email": "juergen@bistro.example"},
        {"name": "Oluwaseun Adeyemi", "email": "seun@bistro.example", "aliases": ["Seun"]},
        {"name": "Mei-Ling Wu", "email": "meiling@bistro.example"},
    ],
    lines=[
        (
            "Élodie Marchand",
            "Okay, kitchen meeting. Saturday service was busy and we ran out of the duck twice.",
        ),
        ("Jürgen Weiß", "I already called the butcher on Thursday about the duck."),
        (
            "Élodie Marchand",
            "Jurgen, can you raise the standing duck order with the butcher before Monday?",
        ),
        ("Jürgen Weiß", "Yes, I'll do that."),
        ("Mei-Ling Wu", "The walk-in fridge is making that noise again."),
        ("Élodie Marchand", "Seun, please get the refrigeration technician in by Wednesday."),
        ("Oluwaseun Adeyemi", "Okay, will do."),
        ("Mei-Ling Wu", "It would be nice to have a second fridge someday."),
        (
            "Élodie Marchand",
            "Let's go with the new menu for Valentine's week. We decided to drop "
            "the oyster starter.",
        ),
        ("Jürgen Weiß", "Should we also change the dessert? Let's park that until next month."),
        ("Mei-Ling Wu", "I will update the allergen sheets by the fourth of February."),
        (
            "Élodie Marchand",
            "Great. Action item for Jurgen: train the two new commis chefs on "
            "the grill by the end of next week.",
        ),
        (
            "Oluwaseun Adeyemi",
            "If the health inspector comes early, I would move the deep clean to Sunday.",
        ),
        ("Élodie Marchand", "Can you all see the rota on the screen?"),
        ("Mei-Ling Wu", "Yes."),
        (
            "Élodie Marchand",
            "Okay. From now on, every delivery gets checked against the invoice "
            "before anyone signs for it.",
        ),
        ("Élodie Marchand", "Thanks everyone, we'll see how the weekend goes."),
    ],
    actions=[
        Expected("Jürgen Weiß", ("duck order",), "2027-02-01"),
        Expected("Oluwaseun Adeyemi", ("refrigeration technician",), "2027-02-03"),
        Expected("Mei-Ling Wu", ("allergen sheets",), "2027-02-04"),
        Expected("Jürgen Weiß", ("train", "commis"), "2027-02-05"),
    ],
    decisions=[("new menu",), ("oyster",), ("delivery", "invoice")],
    not_actions=[
        "butcher on thursday",
        "second fridge",
        "deep clean",
        "rota",
        "dessert",
        "weekend",
    ],
)

LAB = Meeting(
    date=dt.date(2026, 3, 2),  # a Monday
    time_zone="America/New_York",
    roster=[
        {"name": "Amara Okonkwo", "email": "a.okonkwo@uni.example", "aliases": ["PI"]},
        {"name": "Rahul Venkataraman", "email": "rahul@uni.example"},
        {"name": "Sofía Hernández", "email": "sofia@uni.example"},
        {"name": "Tomasz Kowalczyk", "email": "tomasz@uni.example", "aliases": ["Tom"]},
    ],
    lines=[
        (
            "Amara Okonkwo",
            "Let's start. The grant report is due to the foundation on March twentieth.",
        ),
        ("Rahul Venkataraman", "I finished the data cleaning last Friday."),
        (
            "Amara Okonkwo",
            "Good. Raul, could you run the regression models on the cleaned data by next Monday?",
        ),
        ("Rahul Venkataraman", "Sure, I can do that."),
        ("Sofía Hernández", "The ethics approval for the second study is still pending."),
        ("Amara Okonkwo", "Sofia, can you chase the ethics office about the approval?"),
        ("Sofía Hernández", "Yes, I'll email them tomorrow."),
        ("Amara Okonkwo", "Tom will draft the methods section of the report."),
        ("Tomasz Kowalczyk", "Okay, I'll have a first draft by the 12th."),
        (
            "Amara Okonkwo",
            "We decided to submit the paper to the spring conference instead of the journal.",
        ),
        ("Rahul Venkataraman", "Do we know whether the conference allows supplementary material?"),
        ("Amara Okonkwo", "Good question, we'll come back to that."),
        (
            "Sofía Hernández",
            "Maybe someone could look at the new transcription tool at some point.",
        ),
        (
            "Amara Okonkwo",
            "That's on me. I'll ask the department about the software licence by Friday.",
        ),
        ("Tomasz Kowalczyk", "Did you send the budget spreadsheet to finance?"),
        ("Amara Okonkwo", "Yes, I sent it this morning."),
        ("Amara Okonkwo", "Alright, let's meet again next week. Thanks all."),
    ],
    actions=[
        Expected("Rahul Venkataraman", ("regression",), "2026-03-09"),
        Expected("Sofía Hernández", ("ethics office",), "2026-03-03"),
        Expected("Tomasz Kowalczyk", ("methods section",), "2026-03-12"),
        Expected("Amara Okonkwo", ("licence",), "2026-03-06"),
    ],
    decisions=[("spring conference",)],
    not_actions=[
        "data cleaning",
        "supplementary",
        "transcription tool",
        "budget spreadsheet",
        "meet again",
    ],
)

SPRINT = Meeting(
    date=dt.date(2026, 6, 11),  # a Thursday
    time_zone="UTC",
    roster=[
        {"name": "Product Owner", "email": "po@shop.example"},
        {"name": "QA Lead", "email": "qa@shop.example"},
        {"name": "Backend Developer", "email": "backend@shop.example"},
        {"name": "Designer", "email": "design@shop.example"},
    ],
    lines=[
        (
            "Product Owner",
            "Welcome to the sprint planning. The checkout redesign is our main goal.",
        ),
        ("Designer", "The mockups for checkout are finished, I shared them yesterday."),
        (
            "Product Owner",
            "Great. Then the backend developer will build the new payment endpoint this sprint.",
        ),
        ("Backend Developer", "Yeah, fine."),
        ("Product Owner", "Can you also write the test plan for the checkout flow?"),
        ("QA Lead", "Yes, I'll have it ready by Tuesday."),
        ("Product Owner", "We'll go with a single-page checkout instead of the three-step wizard."),
        (
            "Backend Developer",
            "I was thinking we might add Apple Pay later, but let's not worry about it now.",
        ),
        (
            "Product Owner",
            "Agreed. And as the designer, you're going to prepare the error "
            "states for the payment form.",
        ),
        ("Designer", "Okay."),
        ("QA Lead", "Is the staging environment going to be ready in time?"),
        ("Backend Developer", "Not sure yet, we'll see."),
        ("Product Owner", "Okay, that's it."),
    ],
    actions=[
        Expected("Backend Developer", ("payment endpoint",), None),
        Expected("QA Lead", ("test plan",), "2026-06-16"),
        Expected("Designer", ("error states",), None),
    ],
    decisions=[("single-page checkout",)],
    not_actions=["mockups", "apple pay", "staging"],
)

FESTIVAL = Meeting(
    date=dt.date(2026, 4, 9),  # a Thursday
    time_zone="Europe/Dublin",
    roster=[
        {"name": "Zhang Wei", "email": "zhang@festival.example"},
        {"name": "Aoife Byrne", "email": "aoife@festival.example"},
        {"name": "Mohammed Al-Rashid", "email": "mo@festival.example", "aliases": ["Mo"]},
        {"name": "Björn Lindqvist", "email": "bjorn@festival.example"},
    ],
    lines=[
        ("Aoife Byrne", "Right, this is the festival planning call. We have six weeks to go."),
        ("Björn Lindqvist", "I booked the photographer last week, so that's done."),
        ("Aoife Byrne", "Great. Could you take care of the street closure permits, Bjorn?"),
        ("Björn Lindqvist", "Yeah, leave it with me. I'll file them by Monday."),
        ("Mohammed Al-Rashid", "The caterer still hasn't sent a quote."),
        ("Aoife Byrne", "Muhammad, can you chase the caterer for the quote by the 12th?"),
        ("Mohammed Al-Rashid", "Will do."),
        ("Zhang Wei", "We might need more chairs, I'm not sure."),
        ("Aoife Byrne", "After the site visit we're going with the riverside venue."),
        ("Zhang Wei", "Should we invite the mayor to open it? Let's decide that next time."),
        ("Aoife Byrne", "Can someone book the sound system?"),
        ("Zhang Wei", "I can do that. I'll book it tomorrow."),
        (
            "Aoife Byrne",
            "And Zhang will send the volunteer schedule to everyone by the end of the month.",
        ),  # fmt: skip
        ("Mohammed Al-Rashid", "If it rains we would move everything indoors."),
        ("Aoife Byrne", "I'll circulate the updated budget in two weeks."),
        ("Björn Lindqvist", "Do we know how many stalls fit on the riverside path?"),
        ("Aoife Byrne", "No idea yet."),
        ("Aoife Byrne", "Okay, thanks all, talk soon."),
    ],
    actions=[
        Expected("Björn Lindqvist", ("permits",), "2026-04-13"),
        Expected("Mohammed Al-Rashid", ("caterer",), "2026-04-12"),
        Expected("Zhang Wei", ("sound system",), "2026-04-10"),
        Expected("Zhang Wei", ("volunteer schedule",), "2026-04-30"),
        Expected("Aoife Byrne", ("budget",), "2026-04-23"),
    ],
    decisions=[("riverside venue",)],
    not_actions=["photographer", "chairs", "mayor", "indoors", "stalls"],
)

MEETINGS = {"kitchen": KITCHEN, "lab": LAB, "sprint": SPRINT, "festival": FESTIVAL}

CHATTER = [
    "The dashboard numbers looked stable all week.",
    "Support tickets went down a little after the last release.",
    "I spent most of yesterday on the quarterly figures.",
    "The new intern started on Monday and is settling in well.",
    "We had two short outages last month but both were resolved quickly.",
    "The client was happy with the demo we gave them.",
    "Traffic from the newsletter was higher than expected.",
    "The office heating was fixed over the weekend.",
]


def long_meeting(minutes: int = 40) -> Meeting:
    """A long, mostly status-only meeting with three requests spread through it."""
    team = ["Nadia Haddad", "Lars Nilsson", "Ngozi Eze"]
    lines: list[tuple[str | None, str]] = []
    inserts = {
        12: [
            ("Lars Nilsson", "Ngozi, please send the onboarding checklist to HR by Friday."),
            ("Ngozi Eze", "Sure, will do."),
        ],
        200: [("Nadia Haddad", "I'll migrate the wiki pages to the new space tomorrow.")],
        380: [
            ("Lars Nilsson", "Nadia, can you renew the TLS certificate before Thursday?"),
            ("Nadia Haddad", "Yes, I'll renew it."),
        ],
    }
    i = 0
    # about 6 seconds a line
    while len(lines) < minutes * 10:
        lines.extend(inserts.get(len(lines), []))
        lines.append((team[i % 3], CHATTER[(i * 5) % len(CHATTER)]))
        i += 1
    return Meeting(
        date=dt.date(2026, 11, 23),  # a Monday
        roster=[{"name": n, "email": f"{n.split()[0].lower()}@example.com"} for n in team],
        lines=lines,
        actions=[
            Expected("Ngozi Eze", ("onboarding checklist",), "2026-11-27"),
            Expected("Nadia Haddad", ("wiki",), "2026-11-24"),
            Expected("Nadia Haddad", ("certificate",), "2026-11-26"),
        ],
    )


ROOM = [{"name": "Ana Souza"}, {"name": "Wei Zhang"}, {"name": "Lena Braun"}]


def decisions_of(lines: list[tuple[str | None, str]], roster: list[dict] = ROOM,
                 gap: float = 0.6) -> list[dict]:
    """The decisions extracted (no model) from spoken lines, on 4 May 2026."""
    return extract_minutes(segments=build_segments(lines, gap=gap), roster=roster,
                           meeting_date=dt.date(2026, 5, 4), time_zone="UTC")["decisions"]


def decision_texts(decisions: list[dict]) -> str:
    return " | ".join(d["text"].lower() for d in decisions)
