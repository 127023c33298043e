"""The team models page (admins): slots, glossary and prompts, tests, and the audit trail."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .ai import KINDS
from .finetune import finetune_activate, finetune_rollback_to_base, finetune_start
from .models import FineTuneRun, Job, ModelChange, Role
from .selectors import get_for_user
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


# -- fine-tuning ----------------------------------------------------------------------------

CHART_W, CHART_H, CHART_PAD = 480, 160, 24


def loss_chart(losses: list[float]) -> dict:
    """The polyline of a loss curve, scaled into the chart's box (drawn as SVG by the template)."""
    if len(losses) < 2:
        return {}
    top, bottom = max(losses), min(losses)
    span = (top - bottom) or 1.0
    width, height = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    points = " ".join(
        f"{CHART_PAD + width * i / (len(losses) - 1):.1f},"
        f"{CHART_PAD + height * (top - loss) / span:.1f}" for i, loss in enumerate(losses))
    return {"points": points, "top": f"{top:.2f}", "bottom": f"{bottom:.2f}",
            "steps": len(losses), "w": CHART_W, "h": CHART_H, "pad": CHART_PAD,
            "right": CHART_W - CHART_PAD, "base": CHART_H - CHART_PAD}


@team_required(Role.ADMIN)
def finetune_list(request):
    if request.method == "POST":
        run = finetune_start(team=request.team, user=request.user)
        messages.info(request, f"Fine-tuning v{run.version} is queued on the text workers.")
        return redirect("finetune-detail", pk=run.pk)
    return render(request, "assistant/models/finetune_list.html", {
        "runs": FineTuneRun.objects.filter(team=request.team).select_related("job")})


@team_required(Role.ADMIN)
def finetune_detail(request, pk: int):
    run = get_for_user(FineTuneRun.objects.select_related("job"), request.user,
                       min_role=Role.ADMIN, pk=pk)
    context = {"run": run, "chart": loss_chart(run.losses)}
    if request.htmx:
        return render(request, "assistant/models/finetune_detail.html#run", context)
    return render(request, "assistant/models/finetune_detail.html", context)


@team_required(Role.ADMIN)
@require_POST
def finetune_use(request, pk: int):
    """Activate this version's adapter (a rollback when it is an older one)."""
    run = get_for_user(FineTuneRun.objects, request.user, min_role=Role.ADMIN, pk=pk)
    try:
        finetune_activate(run=run, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The team's text model is now adapter v{run.version}.")
    return redirect("finetune-list")


@team_required(Role.ADMIN)
@require_POST
def finetune_base(request):
    finetune_rollback_to_base(team=request.team, user=request.user)
    messages.success(request, "The team's text model is back to its base model, no adapter.")
    return redirect("finetune-list")
