from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import navigation, services
from .forms import InvitationForm, NewTeamForm, OrganisationForm, ProfileForm, RoleForm, TeamForm
from .jobs import job_cancel, job_create, job_retry
from .models import Invitation, Job, Membership, Role, Team
from .selectors import SESSION_TEAM_KEY, get_for_user, jobs_failed


def team_required(min_role: str = Role.EMPLOYEE):
    """The view needs a current team in which the user has at least `min_role`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.membership is None:
                return redirect("home")
            if not request.membership.has_role(min_role):
                raise PermissionDenied(f"This page is for the team's {min_role}s.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@login_required
def home(request):
    if request.membership is None:
        invitations = Invitation.objects.filter(email=request.user.email, accepted_at=None)
        return render(request, "assistant/onboarding.html", {
            "form": OrganisationForm(),
            "invitations": [i for i in invitations if i.is_open],
        })
    return render(request, "assistant/home.html", {
        "recent_jobs": Job.objects.filter(team=request.team, owner=request.user)[:5],
    })


@login_required
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.organisation_create(user=request.user, **form.cleaned_data)
        request.session[SESSION_TEAM_KEY] = team.pk
        messages.success(request, f"{team.organisation} is ready. Invite your team next.")
        return redirect("members")
    return render(request, "assistant/organisation_new.html", {"form": form})


@team_required(Role.ADMIN)
def team_new(request):
    organisation = request.team.organisation
    form = NewTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(organisation=organisation, user=request.user,
                                    **form.cleaned_data)
        request.session[SESSION_TEAM_KEY] = team.pk
        messages.success(request, f"Team {team} created; you are its admin.")
        return redirect("members")
    return render(request, "assistant/team_new.html", {"form": form,
                                                       "organisation": organisation})


@login_required
@require_POST
def team_switch(request):
    team = get_for_user(Team.objects, request.user, pk=request.POST.get("team", ""))
    request.session[SESSION_TEAM_KEY] = team.pk
    messages.info(request, f"You are now working in {team}.")
    return redirect(request.POST.get("next") or "home")


@team_required(Role.ADMIN)
def team_settings(request):
    form = TeamForm(request.POST or None, instance=request.team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Team settings saved.")
        return redirect("team-settings")
    return render(request, "assistant/team_settings.html", {"form": form})


@team_required()
def members(request):
    team = request.team
    return render(request, "assistant/members.html", {
        "memberships": Membership.objects.filter(team=team).select_related("user"),
        "invitations": [i for i in Invitation.objects.filter(team=team, accepted_at=None)
                        if i.is_open],
        "form": InvitationForm(),
        "roles": Role.choices,
        "is_admin": request.membership.has_role(Role.ADMIN),
    })


@team_required(Role.ADMIN)
@require_POST
def invitation_new(request):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(team=request.team, invited_by=request.user,
                                                    **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
    else:
        messages.error(request, "Enter a valid email address and role.")
    return redirect("members")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_for_user(Invitation.objects, request.user, min_role=Role.ADMIN, pk=pk,
                              accepted_at=None)
    invitation.delete()
    messages.info(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("members")


def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation, token=token)
    if not request.user.is_authenticated:
        request.session["invitation_token"] = token
        return render(request, "assistant/invitation_signin.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, str(exc.messages[0] if hasattr(exc, "messages") else exc))
            return redirect("home")
        request.session.pop("invitation_token", None)
        request.session[SESSION_TEAM_KEY] = membership.team_id
        messages.success(request, f"Welcome to {membership.team}.")
        return redirect("home")
    return render(request, "assistant/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def member_role(request, pk: int):
    membership = get_for_user(Membership.objects, request.user, min_role=Role.ADMIN, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    return redirect("members")


@login_required
@require_POST
def member_remove(request, pk: int):
    membership = get_for_user(Membership.objects, request.user, min_role=Role.ADMIN, pk=pk)
    try:
        services.membership_remove(membership=membership)
        messages.info(request, f"{membership.user} was removed from {membership.team}.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("members")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return render(request, "assistant/profile.html", {"form": form,
                                                      "links": navigation.profile_links()})


@login_required
def job_detail(request, pk):
    """The progress partial: polled by htmx until the job ends (then status 286)."""
    job = get_for_user(Job.objects, request.user, pk=pk)
    response = render(request, "assistant/partials/job.html", {"job": job})
    if job.has_ended:
        response.status_code = 286  # htmx stops polling
        response["HX-Trigger"] = "job-ended"
    return response


@login_required
@require_POST
def job_cancel_view(request, pk):
    job = get_for_user(Job.objects, request.user, pk=pk)
    if job.owner_id != request.user.pk and not _is_admin_of(request.user, job.team):
        raise PermissionDenied("Only the person who started this job or an admin can cancel it.")
    job_cancel(job=job)
    job.refresh_from_db()
    if request.htmx:
        return render(request, "assistant/partials/job.html", {"job": job}, status=286)
    return redirect("home")


def _is_admin_of(user, team: Team) -> bool:
    return Membership.objects.filter(user=user, team=team, role=Role.ADMIN).exists()


@team_required(Role.ADMIN)
def jobs(request):
    return render(request, "assistant/jobs.html", {
        "failed": jobs_failed(team=request.team)[:50],
        "recent": Job.objects.filter(team=request.team).select_related("owner")[:20],
    })


@login_required
@require_POST
def job_retry_view(request, pk):
    job = get_for_user(Job.objects, request.user, min_role=Role.ADMIN, pk=pk)
    if job_retry(job=job):
        messages.success(request, f"“{job.title or job.kind}” is queued again.")
    else:
        messages.info(request, "That job is not failed or cancelled, so there is nothing to retry.")
    return redirect("jobs")


@team_required(Role.ADMIN)
@require_POST
def worker_check(request):
    job_create(team=request.team, owner=request.user, kind="assistant.worker_check",
               title="Worker check", params={"steps": 5})
    messages.info(request, "Worker check queued: watch it below.")
    return redirect("jobs")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")

