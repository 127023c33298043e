"""Minutes of a meeting from its transcript: decisions, action items, summary, open questions.

Deterministic first: linguistic patterns, speaker identity and the roster decide; an optional
small text model may only reword a task, and its wording is checked against what was said.
"""

from .minutes import extract_minutes

__all__ = ["extract_minutes"]
