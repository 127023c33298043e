"""The team models page (admins): slots, glossary and prompts, tests, and the audit trail."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .ai import KINDS
from .models import Job, ModelChange, Role
from .slots import team_slot_configs
from .team_models import (
    PROMPTS,
    SLOT_TEST,
    SLOT_TEST_SPEECH,
    glossary_change,
    prompt_change,
    prompt_text,
    slot_propose,
    slot_test_queue,
)
from .views import team_required


def _last_tests(team) -> dict[str, Job]:
    tests = {}
    for job in Job.objects.filter(team=team, kind__in=[SLOT_TEST, SLOT_TEST_SPEECH])[:100]:
        key = f"{job.params.get('kind')}:{job.params.get('pair', '')}"
        tests.setdefault(key, job)
    return tests


@team_required(Role.ADMIN)
def models_page(request):
    team = request.team
    tests = _last_tests(team)
    slots = []
    for config in team_slot_configs(team=team):
        pair = config.pair or ""
        params = {k: v for k, v in config.params.items() if k != "pair"}
        slots.append({"config": config, "pair": pair, "params": json.dumps(params),
                      "test": tests.get(f"{config.kind}:{pair}"),
                      "pending": ModelChange.objects.filter(
                          team=team, subject=f"slot:{config.name}",
                          status=ModelChange.Status.TESTING).first()})
    return render(request, "assistant/models/page.html", {
        "slots": slots, "kinds": KINDS,
        "prompts": [(key, label, prompt_text(team=team, key=key))
                    for key, (label, _) in PROMPTS.items()],
        "changes": ModelChange.objects.filter(team=team).select_related("user")[:50],
        "testing": any(s["pending"] or (s["test"] and not s["test"].has_ended) for s in slots),
    })


@team_required(Role.ADMIN)
@require_POST
def model_slot_edit(request):
    kind = request.POST.get("kind", "")
    try:
        if kind not in KINDS:
            raise ValueError(f"There is no model slot called {kind!r}.")
        params = json.loads(request.POST.get("params") or "{}")
        if not isinstance(params, dict):
            raise ValueError("Parameters must be a JSON object such as {\"beam_size\": 1}.")
        slot_propose(team=request.team, user=request.user, kind=kind,
                     pair=request.POST.get("pair", "").strip(),
                     source=request.POST.get("source", "embedded"),
                     path=request.POST.get("path", ""), params=params)
    except json.JSONDecodeError as exc:
        messages.error(request, f"The parameters are not valid JSON ({exc.msg}): "
                                "nothing was changed.")
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"Testing the new {kind} model on a worker: it replaces the "
                               "current one only if it loads and answers.")
    return redirect("models")


@team_required(Role.ADMIN)
@require_POST
def model_slot_test(request):
    kind = request.POST.get("kind", "")
    if kind in KINDS:
        slot_test_queue(team=request.team, user=request.user, kind=kind,
                        pair=request.POST.get("pair", ""))
    return redirect("models")


@team_required(Role.ADMIN)
@require_POST
def model_glossary(request):
    if glossary_change(team=request.team, user=request.user,
                       glossary=request.POST.get("glossary", "")):
        messages.success(request, "Glossary saved.")
    return redirect("models")


@team_required(Role.ADMIN)
@require_POST
def model_prompt(request):
    try:
        changed = prompt_change(team=request.team, user=request.user,
                                key=request.POST.get("key", ""),
                                text=request.POST.get("text", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        if changed:
            messages.success(request, "Prompt saved.")
    return redirect("models")
