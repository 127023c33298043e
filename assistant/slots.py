"""Which model a team uses for each kind of work: the one way feature code asks for a model."""

from .ai import SlotConfig
from .models import ModelSlot, Team

ENGLISH = {"en", ""}


def slot_config(*, team: Team | None, kind: str, pair: str = "") -> SlotConfig:
    """The team's configured slot, else the embedded default (translation has none)."""
    row = None
    if team is not None:
        row = ModelSlot.objects.filter(team=team, kind=kind, pair=pair).first()
    params = dict(row.params) if row else {}
    if pair:
        params["pair"] = pair
    if row is None or row.source == ModelSlot.Source.EMBEDDED:
        return SlotConfig(kind=kind, params=params)
    return SlotConfig(kind=kind, source="path", path=row.path, params=params)


def speech_config(*, team: Team | None, language: str = "") -> SlotConfig:
    """English meetings use the English model; any other or unknown language the multilingual."""
    if language in ENGLISH and (team is None or team.language == "en"):
        return slot_config(team=team, kind="speech_en")
    return slot_config(team=team, kind="speech_multi")
