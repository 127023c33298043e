"""Learning pages: my suggestions and skills; the team's matrix; a member; refresh; actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assistant.models import Job, Membership, Role
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import services
from .forms import AssignForm, DismissForm
from .heatmap import heatmap_svg
from .models import LEVELS, Skill
from .selectors import (
    assigned_learning,
    member_skills,
    signals_visible,
    skill_matrix,
    suggestions_of,
    suggestions_visible,
)


def _level(value: str) -> int | None:
    if value in ("", None):
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError("A level is a whole number from 0 to 4.") from None


def _recompute_job(team, member) -> Job | None:
    return (Job.objects.filter(team=team, kind=services.RECOMPUTE, params__member=member.pk)
            .order_by("-created_at").first())


def _member_page(request, team, member) -> dict:
    return {"member": member, "suggestions": suggestions_of(team=team, member=member),
            "signals": signals_visible(user=request.user).filter(team=team, member=member),
            "skills": member_skills(team=team, member=member), "levels": LEVELS,
            "goal_levels": LEVELS[1:], "job": _recompute_job(team, member)}


@team_required()
def home(request):
    context = _member_page(request, request.team, request.user)
    if request.htmx and request.GET.get("part") == "suggestions":
        return render(request, "learning/home.html#suggestions", context)
    return render(request, "learning/home.html", {**context, "dismiss_form": DismissForm()})


@team_required()
@require_POST
def my_skills(request):
    """Save the person's own levels and goals (fields level-<skill>, goal-<skill>)."""
    try:
        for skill in Skill.objects.filter(team=request.team):
            if f"level-{skill.pk}" in request.POST:
                services.level_set(team=request.team, member=request.user, skill=skill,
                                   level=_level(request.POST[f"level-{skill.pk}"]),
                                   by=request.user, as_manager=False)
            if f"goal-{skill.pk}" in request.POST:
                services.goal_set(team=request.team, member=request.user, skill=skill,
                                  target_level=_level(request.POST[f"goal-{skill.pk}"]),
                                  note=request.POST.get(f"note-{skill.pk}", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("learning-home")
    services.recompute_queue(team=request.team, by=request.user, member=request.user)
    messages.success(request, "Your skills are saved; your suggestions are being updated.")
    return redirect("learning-home")


@team_required()
@require_POST
def refresh(request):
    """Recompute now: my suggestions, or (a manager asking) the whole team's."""
    whole_team = request.POST.get("scope") == "team"
    if whole_team and not request.membership.has_role(Role.MANAGER):
        raise PermissionDenied("Only managers recompute the whole team.")
    job = services.recompute_queue(team=request.team, by=request.user,
                                   member=None if whole_team else request.user)
    if request.htmx:
        return render(request, "assistant/partials/job.html", {"job": job})
    messages.info(request, "Suggestions are being recomputed.")
    return redirect("learning-team" if whole_team else "learning-home")


@team_required()
@require_POST
def suggestion_act(request, pk: int):
    """Save, unsave, dismiss (with a reason) or mark done: only the member it is for."""
    suggestion = get_for_user(suggestions_visible(user=request.user), request.user, pk=pk)
    if suggestion.member_id != request.user.pk:
        raise PermissionDenied("Only the person it is for can act on a suggestion.")
    action, error = request.POST.get("action", ""), ""
    try:
        if action == "save":
            services.suggestion_save(suggestion=suggestion)
        elif action == "unsave":
            services.suggestion_unsave(suggestion=suggestion)
        elif action == "done":
            services.suggestion_done(suggestion=suggestion, by=request.user)
        elif action == "dismiss":
            form = DismissForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("__all__", ["Choose a reason."])[0])
            services.suggestion_dismiss(suggestion=suggestion, reason=form.cleaned_data["reason"])
        else:
            raise ValidationError("Choose save, dismiss or done.")
    except ValidationError as exc:
        error = exc.messages[0]
    if request.htmx:
        return render(request, "learning/partials/suggestion.html",
                      {"s": suggestion, "dismiss_form": DismissForm(), "mine": True,
                       "error": error})
    if error:
        messages.error(request, error)
    return redirect("learning-home")


@team_required(Role.MANAGER)
def team(request):
    rows = skill_matrix(team=request.team)
    return render(request, "learning/team.html", {
        "rows": rows, "heatmap": heatmap_svg(rows) if rows and rows[0].cells else "",
        "assigned": assigned_learning(team=request.team),
        "job": Job.objects.filter(team=request.team, kind=services.RECOMPUTE,
                                  params__member=None).order_by("-created_at").first()})


def _membership(request, pk: int) -> Membership:
    return get_for_user(Membership.objects.select_related("user", "team"), request.user,
                        min_role=Role.MANAGER, pk=pk)


@team_required(Role.MANAGER)
def member(request, pk: int):
    """A member's levels (the manager rates them), signals and suggestions; assign learning."""
    membership = _membership(request, pk)
    team, person = membership.team, membership.user
    if request.method == "POST":
        try:
            for skill in Skill.objects.filter(team=team):
                if f"level-{skill.pk}" in request.POST:
                    services.level_set(team=team, member=person, skill=skill,
                                       level=_level(request.POST[f"level-{skill.pk}"]),
                                       by=request.user, as_manager=True)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            services.recompute_queue(team=team, by=request.user, member=person)
            messages.success(request, f"Ratings of {person} saved; their suggestions are "
                                      "being updated.")
        return redirect("learning-member", pk=membership.pk)
    return render(request, "learning/member.html", {
        **_member_page(request, team, person), "membership": membership,
        "assign_form": AssignForm(team=team)})


@team_required(Role.MANAGER)
@require_POST
def assign(request, pk: int):
    """Assign a resource with a due date: it becomes the member's to-do."""
    membership = _membership(request, pk)
    form = AssignForm(request.POST, team=membership.team)
    if not form.is_valid():
        messages.error(request, "Choose a resource and a due date.")
        return redirect("learning-member", pk=membership.pk)
    try:
        suggestion = services.resource_assign(
            team=membership.team, member=membership.user, resource=form.cleaned_data["resource"],
            due=form.cleaned_data["due"], by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"“{suggestion.resource}” is assigned to {membership.user}, "
                                  f"due {suggestion.todo.due:%a %-d %b}: it is in their to-dos.")
    return redirect("learning-member", pk=membership.pk)

