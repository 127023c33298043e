"""A team's model configuration: slots, glossary and prompts, every change audited.

A slot change is never applied blind: it is recorded as "being tested", a worker loads the
proposed model and runs a tiny inference (`assistant.ai.check_slot`), and only a model that
loads and answers replaces the slot. Until then, and after a failure, the previous working
configuration stays in force.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .ai import SlotConfig, check_slot, evict
from .jobs import JobError, job_create
from .models import Job, ModelChange, ModelSlot, PromptTemplate, Team, User
from .slots import slot_config

SLOT_TEST = "assistant.slot_test"  # on the text workers
SLOT_TEST_SPEECH = "assistant.slot_test_speech"  # speech and speaker models: the speech workers
SPEECH_KINDS = ("speech_en", "speech_multi", "speaker")
PROMPTS = {
    "assistant_answer": (
        "Team assistant: restate the cited sentence as an answer ({passage}, {question})",
        "Answer the question in one short sentence, using only the facts in the passage.\n"
        "Passage: {passage}\nQuestion: {question}"),
}


def slot_state(config: SlotConfig) -> dict:
    """What the audit records of a slot: source, path and parameters."""
    return {"source": config.source, "path": config.path or "", "params": dict(config.params)}


def slot_propose(*, team: Team, user: User, kind: str, pair: str = "", source: str,
                 path: str = "", params: dict | None = None) -> ModelChange:
    """Record a proposed slot configuration and queue its test; ValueError when it is invalid."""
    params = dict(params or {})
    if pair:
        params["pair"] = pair
    proposed = SlotConfig(kind=kind, source=source, path=path.strip() or None, params=params)
    if source == "path" and not Path(proposed.path).expanduser().exists():
        raise ValueError(f"{proposed.path} does not exist on this machine: nothing was changed.")
    current = slot_config(team=team, kind=kind, pair=pair)
    with transaction.atomic():
        change = ModelChange.objects.create(
            team=team, user=user, subject=f"slot:{proposed.name}", old=slot_state(current),
            new=slot_state(proposed), status=ModelChange.Status.TESTING)
        change.job = slot_test_queue(team=team, user=user, kind=kind, pair=pair,
                                     change=change)
        change.save(update_fields=["job"])
    return change


def slot_test_queue(*, team: Team, user: User | None, kind: str, pair: str = "",
                    change: ModelChange | None = None) -> Job:
    """Queue a smoke test of the slot (the proposed configuration when `change` is given)."""
    what = "proposed" if change else "current"
    return job_create(team=team, owner=user,
                      kind=SLOT_TEST_SPEECH if kind in SPEECH_KINDS else SLOT_TEST,
                      title=f"Test the {what} {kind}{' ' + pair if pair else ''} model",
                      params={"kind": kind, "pair": pair,
                              "change": change.pk if change else None})


def slot_test_run(*, job: Job) -> dict:
    """In the worker: load and try the slot; apply a proposed change only when it works."""
    kind, pair = job.params["kind"], job.params.get("pair", "")
    change = ModelChange.objects.filter(pk=job.params.get("change")).first()
    if change is not None:
        new = change.new
        config = SlotConfig(kind=kind, source=new["source"], path=new["path"] or None,
                            params=new["params"])
    else:
        config = slot_config(team=job.team, kind=kind, pair=pair)
    result = check_slot(config)
    summary = {"kind": kind, "source": result.source, "path": result.path,
               "size_mb": round(result.size_bytes / 1e6, 1),
               "load_seconds": round(result.load_seconds, 2),
               "latency_seconds": round(result.inference_seconds, 2),
               "output": result.result[:300], "ok": result.ok, "error": result.error or ""}
    if change is None:
        if not result.ok:
            raise JobError(f"The {kind} model failed its test: {result.error}")
        return summary
    if not result.ok:
        change.status, change.error = ModelChange.Status.REJECTED, result.error or "failed"
        change.save(update_fields=["status", "error"])
        evict(config)
        raise JobError(f"The new {kind} model was not applied, the previous one stays in "
                       f"use: {result.error}")
    _apply(change=change, kind=kind, pair=pair)
    return summary


def _apply(*, change: ModelChange, kind: str, pair: str) -> None:
    new = change.new
    params = {k: v for k, v in new["params"].items() if k != "pair"}
    with transaction.atomic():
        ModelSlot.objects.update_or_create(
            team=change.team, kind=kind, pair=pair,
            defaults={"source": new["source"], "path": new["path"], "params": params,
                      "updated_by": change.user})
        change.status = ModelChange.Status.APPLIED
        change.save(update_fields=["status"])
    if kind == "embeddings" and change.old != change.new:
        from .knowledge import knowledge_reindex

        knowledge_reindex(team=change.team, user=change.user)


def glossary_change(*, team: Team, user: User, glossary: str) -> ModelChange | None:
    """Replace the team's glossary and hotwords (one term a line), audited."""
    glossary = "\n".join(line.strip() for line in glossary.splitlines() if line.strip())
    if glossary == team.glossary:
        return None
    with transaction.atomic():
        change = ModelChange.objects.create(team=team, user=user, subject="glossary",
                                            old={"glossary": team.glossary},
                                            new={"glossary": glossary})
        team.glossary = glossary
        team.save(update_fields=["glossary"])
    return change


def prompt_text(*, team: Team | None, key: str) -> str:
    """The team's wording of a prompt, else the default."""
    if team is not None:
        row = PromptTemplate.objects.filter(team=team, key=key).first()
        if row is not None:
            return row.text
    return PROMPTS[key][1]


def prompt_change(*, team: Team, user: User, key: str, text: str) -> ModelChange | None:
    """Set a prompt's wording (empty restores the default); its placeholders must stay."""
    if key not in PROMPTS:
        raise ValueError(f"There is no prompt called {key}.")
    text = text.strip().replace("\r\n", "\n") or PROMPTS[key][1]
    for name in ("{passage}", "{question}"):
        if name not in text:
            raise ValueError(f"The prompt must keep the placeholder {name}.")
    try:
        text.format(passage="", question="")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"The prompt has a stray brace or placeholder: {exc}") from None
    old = prompt_text(team=team, key=key)
    if old == text:
        return None
    with transaction.atomic():
        PromptTemplate.objects.update_or_create(team=team, key=key, defaults={"text": text})
        return ModelChange.objects.create(team=team, user=user, subject=f"prompt:{key}",
                                          old={"text": old}, new={"text": text})
