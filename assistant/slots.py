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


def team_slot_configs(*, team: Team | None) -> list[SlotConfig]:
    """Every slot a team has: the five fixed kinds, plus one per translation pair set."""
    configs = [slot_config(team=team, kind=kind)
               for kind in ("speech_en", "speech_multi", "text", "embeddings", "speaker")]
    pairs = []
    if team is not None:
        pairs = list(ModelSlot.objects.filter(team=team, kind="translation")
                     .exclude(pair="").values_list("pair", flat=True))
    if not pairs:
        return [*configs, SlotConfig(kind="translation")]  # the empty slot, reported as such
    return [*configs, *(slot_config(team=team, kind="translation", pair=p) for p in pairs)]
