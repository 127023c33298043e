"""Layouts: where code places the facts and where the model may write, per kind and tone.

A layout is plain text with `{slots}`. `{opening}` and `{closing}` are the model's (one
sentence each, checked, with a stock sentence to fall back on); every other slot is filled by
code from the facts. A paragraph whose fact slot comes out empty is left out, heading and all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOLLOWUP, EMAIL, REPLY, DAILY_REPORT, FEEDBACK = (
    "followup", "email", "reply", "daily_report", "feedback")
KINDS = (FOLLOWUP, EMAIL, REPLY, DAILY_REPORT, FEEDBACK)
KIND_LABELS = {FOLLOWUP: "Meeting follow-up", EMAIL: "Email", REPLY: "Reply",
               DAILY_REPORT: "Daily report", FEEDBACK: "Feedback"}
FORMAL, FRIENDLY, BRIEF = "formal", "friendly", "brief"
TONES = (FORMAL, FRIENDLY, BRIEF)
PROSE_SLOTS = ("opening", "closing")
COMMON_SLOTS = ("greeting", "opening", "closing", "signoff", "sender")
# The facts each kind must keep in its layout: an admin may move them, never drop them.
FACT_SLOTS = {
    FOLLOWUP: ("summary", "decisions", "action_items"),
    EMAIL: ("points",),
    REPLY: ("answer",),
    DAILY_REPORT: ("done", "in_progress", "blocked", "meetings", "notes"),
    FEEDBACK: ("situation", "behaviour", "impact"),
}
SUBJECT_SLOTS = {
    FOLLOWUP: ("title", "date"), EMAIL: ("purpose",), REPLY: ("original_subject",),
    DAILY_REPORT: ("sender", "date"), FEEDBACK: ("member",),
}
SLOT = re.compile(r"\{([a-z_]+)\}")
_SIGN = "{closing}\n\n{signoff}\n{sender}"


@dataclass(frozen=True)
class Layout:
    subject: str
    body: str


DEFAULT_LAYOUTS = {
    FOLLOWUP: Layout("Follow-up: {title} ({date})",
                     "{greeting}\n\n{opening}\n\nSummary:\n{summary}\n\nDecisions:\n{decisions}"
                     f"\n\nAction items:\n{{action_items}}\n\n{_SIGN}"),
    EMAIL: Layout("{purpose}", f"{{greeting}}\n\n{{opening}}\n\n{{points}}\n\n{_SIGN}"),
    REPLY: Layout("Re: {original_subject}",
                  f"{{greeting}}\n\n{{opening}}\n\n{{answer}}\n\n{_SIGN}"),
    DAILY_REPORT: Layout("Daily report: {sender}, {date}",
                         "{greeting}\n\n{opening}\n\nDone:\n{done}\n\nIn progress:\n{in_progress}"
                         "\n\nBlocked:\n{blocked}\n\nMeetings:\n{meetings}\n\nNotes:\n{notes}"
                         f"\n\n{_SIGN}"),
    FEEDBACK: Layout("Feedback for {member}",
                     "{greeting}\n\n{opening}\n\nSituation:\n{situation}\n\nBehaviour:\n"
                     f"{{behaviour}}\n\nImpact:\n{{impact}}\n\n{_SIGN}"),
}

GREETINGS = {FORMAL: "Dear {names},", FRIENDLY: "Hi {names},", BRIEF: "Hi {names},"}
EVERYONE = {FORMAL: "all", FRIENDLY: "everyone", BRIEF: "all"}
SIGNOFFS = {FORMAL: "Kind regards,", FRIENDLY: "Thanks,", BRIEF: "Best,"}

# Stock sentences: what the draft says when the model's sentence is not used.
OPENINGS = {
    FOLLOWUP: {FORMAL: "Thank you for attending {title} on {date}; the summary, decisions and "
                       "action items follow below.",
               FRIENDLY: "Thanks for joining {title} on {date}; here is a quick recap.",
               BRIEF: "Recap of {title} on {date} below."},
    EMAIL: {FORMAL: "I am writing regarding {purpose}.",
            FRIENDLY: "I wanted to get in touch about {purpose}.",
            BRIEF: "A quick note about {purpose}."},
    REPLY: {FORMAL: "Thank you for your message.", FRIENDLY: "Thanks for your email.",
            BRIEF: "Thanks for your note."},
    DAILY_REPORT: {FORMAL: "Please find my report for {date} below.",
                   FRIENDLY: "Here is my report for {date}.", BRIEF: "My report for {date}."},
    FEEDBACK: {FORMAL: "I would like to share some feedback on your recent work.",
               FRIENDLY: "I wanted to share some feedback on your recent work.",
               BRIEF: "Some feedback on your recent work."},
}
CLOSINGS = {
    FOLLOWUP: {FORMAL: "Please let me know if anything is missing or incorrect.",
               FRIENDLY: "Let me know if I missed anything.", BRIEF: "Reply if anything is off."},
    EMAIL: {FORMAL: "Please let me know if you have any questions.",
            FRIENDLY: "Let me know if you have any questions.", BRIEF: "Questions welcome."},
    REPLY: {FORMAL: "Please let me know if you need anything else.",
            FRIENDLY: "Let me know if you need anything else.", BRIEF: "Anything else, just ask."},
    DAILY_REPORT: {FORMAL: "Please let me know if anything needs my attention.",
                   FRIENDLY: "Let me know if anything needs my attention.",
                   BRIEF: "Shout if anything needs my attention."},
    FEEDBACK: {FORMAL: "I am happy to talk this through whenever suits you.",
               FRIENDLY: "Happy to talk this through whenever suits you.",
               BRIEF: "Happy to discuss."},
}


def layout_errors(kind: str, layout: Layout) -> list[str]:
    """What is wrong with an edited layout, for the admin to read (empty when it is fine)."""
    errors = []
    body_allowed = set(COMMON_SLOTS) | set(FACT_SLOTS[kind]) | set(SUBJECT_SLOTS[kind])
    for name in sorted(set(SLOT.findall(layout.body)) - body_allowed):
        errors.append(f"{{{name}}} is not a slot of this layout.")
    for name in sorted(set(SLOT.findall(layout.subject)) - set(SUBJECT_SLOTS[kind])):
        errors.append(f"{{{name}}} cannot be used in the subject.")
    for name in FACT_SLOTS[kind]:
        if f"{{{name}}}" not in layout.body:
            errors.append(f"The layout must keep {{{name}}}: the facts go there.")
    for name in ("greeting", "signoff", "sender"):
        if f"{{{name}}}" not in layout.body:
            errors.append(f"The layout must keep {{{name}}}.")
    return errors


def paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
