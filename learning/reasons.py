"""Needs per skill, and the "because …" that names the signals behind a suggestion."""

from dataclasses import dataclass, field

from .models import MAX_LEVEL, Signal, level_name

GROWTH = 0.05  # the need left in a skill already at its target, so there is always a next step
SIGNALS_RANGE = (-0.25, 0.5)


@dataclass
class SkillNeed:
    """Why a member needs a skill: level (and who rated it), target (and why), signals."""

    level: int | None
    rated_by: str  # "manager", "self" or ""
    target: int
    has_goal: bool
    signals: list[Signal] = field(default_factory=list)

    @property
    def gap(self) -> float:
        return max(0, self.target - (self.level or 0)) / MAX_LEVEL

    @property
    def need(self) -> float:
        low, high = SIGNALS_RANGE
        from_signals = min(max(sum(s.weight for s in self.signals), low), high)
        floor = GROWTH if (self.level or 0) < MAX_LEVEL else 0.0
        return max(self.gap + from_signals, floor)


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _gap_phrase(skill_name: str, need: SkillNeed) -> str:
    target = level_name(need.target)
    if need.level is None:
        return (f"{skill_name} is not rated for you yet and "
                + (f"your goal is {target}" if need.has_goal else f"the team expects {target}"))
    who = "your manager rates your" if need.rated_by == "manager" else "you rate your"
    if need.gap <= 0:
        return f"you already reach {target} in {skill_name}; this takes you further"
    aim = f"your goal is {target}" if need.has_goal else f"the team expects {target}"
    return f"{who} {skill_name} as {level_name(need.level)} and {aim}"


SIGNAL_PHRASES = {
    Signal.Kind.TODO_OVERDUE: ("an overdue to-do", "overdue to-dos"),
    Signal.Kind.TODO_BLOCKED: ("a blocked to-do", "blocked to-dos"),
    Signal.Kind.MEETING_TOPIC: ("a meeting topic", "meeting topics"),
    Signal.Kind.FEEDBACK: ("your manager's feedback", "your manager's feedback"),
    Signal.Kind.GOAL: ("your goal", "your goals"),
}


def _signal_phrases(signals: list[Signal]) -> list[str]:
    phrases = []
    for kind, (one, many) in SIGNAL_PHRASES.items():
        found = [s for s in signals if s.kind == kind]
        if not found:
            continue
        label = one if len(found) == 1 else f"{len(found)} {many}"
        phrases.append(f"{label}: {_quote(max(found, key=lambda s: s.similarity).text)}")
    return phrases


def because(*, skill_name: str, need: SkillNeed, resource_level: int, level_fit: float,
            inferred: bool, context_text: str | None) -> str:
    """One sentence naming the signals behind a suggestion; never empty."""
    parts = [_gap_phrase(skill_name, need), *_signal_phrases(need.signals)[:3]]
    if inferred:
        parts.append(f"its description matches {skill_name}")
    if context_text:
        parts.append(f"it is close to {_quote(context_text)}")
    if level_fit >= 0.99:
        parts.append(f"at {level_name(resource_level)} level it is the next step for you")
    return "Because " + "; ".join(parts) + "."
